# Concurrency Lab: `make run` opens the app, `make test` runs every test and the linters.
# Both set up what they need first: the virtual environment, the Python packages, and (on
# Debian, as root) the system libraries Qt needs.

VENV := .venv
PY := $(VENV)/bin/python
# pip install runs again whenever pyproject.toml is newer than this file.
STAMP := $(VENV)/.installed
# Python 3.11 where it is installed, else whatever python3 is.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="tests/scenarios -x"`.
PYTEST_ARGS ?=
# PyInstaller is only installed for `make package`.
PKG_STAMP := $(VENV)/.installed-package
# The package version, read from pyproject.toml via the installed metadata (as build.spec does).
VERSION = $(shell $(PY) -c "from importlib.metadata import version; print(version('concurrency-lab'))")
# Extra app arguments, e.g. `make run ARGS="--run race_counter --exit-when-done"`.
ARGS ?=

.PHONY: run test bench package setup clean distclean syslibs-test syslibs-run freethreaded

run: syslibs-run $(STAMP)
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY$$QT_QPA_PLATFORM" ]; then \
		echo "make run: there is no display (DISPLAY and WAYLAND_DISPLAY are unset); use: xvfb-run -a make run" >&2; \
		exit 1; \
	fi
	$(PY) -m desktop $(ARGS)

# Runs pytest, ruff and lint-imports (the import rules in pyproject) even if one fails, so one
# run shows every problem.
test: syslibs-test $(STAMP)
	@status=0; \
	echo "QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)"; \
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS) || status=$$?; \
	echo "$(VENV)/bin/ruff check ."; \
	$(VENV)/bin/ruff check . || status=$$?; \
	echo "$(VENV)/bin/lint-imports"; \
	$(VENV)/bin/lint-imports --no-cache || status=$$?; \
	exit $$status

# Prints figures and writes bench/results/latest.json (budgets from the issues): bench.run_all
# runs every module, whatever the one before it found (a miss, a crash: recorded as a failed
# figure), then prints one summary and exits 1 if any figure missed. Start-up is measured on the
# frozen app too, so the first `make bench` also runs `make package`.
# Bytecode first, as an installed app has it: with PYTHONDONTWRITEBYTECODE set (as on the
# development machines), every spawned lesson process would compile its modules again, and
# bench.fidelity would count that against the probe.
bench: syslibs-test $(STAMP)
	$(PY) -m compileall -q scenarios bench desktop
	@test -x dist/ConcurrencyLab/ConcurrencyLab || $(MAKE) package
	$(PY) -m bench.run_all

# The one-folder app dist/ConcurrencyLab/ (PyInstaller, build.spec); on Debian also the .deb and
# a .tar.gz of it in dist/. Check it with dist/ConcurrencyLab/ConcurrencyLab --selftest / --smoke.
package: syslibs-test $(PKG_STAMP)
	rm -rf build/ConcurrencyLab dist/ConcurrencyLab
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN build.spec
	@if command -v dpkg-deb >/dev/null 2>&1; then \
		sh packaging/build_deb.sh $(VERSION); \
	else \
		echo "make package: no dpkg-deb here, so no .deb or .tar.gz (dist/ConcurrencyLab/ is built)"; \
	fi

setup: syslibs-run $(STAMP)

# CPython 3.13 without the GIL, built once from Debian's source package into
# ~/.cache/concurrency-lab/python3.13t (about five minutes on two cores); the tests and benches
# run the free-threaded lessons on it where it exists. Needs root on Debian.
freethreaded:
	@sh tools/build_freethreaded.sh

syslibs-test:
	@sh tools/system_libs.sh test

syslibs-run:
	@sh tools/system_libs.sh run

$(PY):
	@if [ -z "$(PYTHON)" ]; then echo "make: no python3.11 or python3 found; install Python 3.11" >&2; exit 1; fi
	@$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || sh tools/system_libs.sh venv
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

$(PKG_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,package]'
	@touch $@

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
