"""Other Pythons a lesson's process can run on: found on the machine, checked by running them.

The window stays on the Python it came with; the process back end can start the lesson's
process on another CPython >= 3.10, a free-threaded build (3.13t) among them. Each candidate is
run once to learn its version, whether it was built free-threaded and whether the GIL is on at
run time (`sys._is_gil_enabled()`), and its own sys.path (its child is given that, not ours).
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from scenarios.engine import spawning

OLDEST = (3, 10)
# Set for a process started on another Python: the Python of the lab that started it.
LAB_PYTHON = spawning.LAB_PYTHON
# A Python program's name: python3, python3.13, python3.13t, python.exe (not python3-config).
PYTHON_NAME = re.compile(r"python(3(\.\d+)?t?)?(\.exe)?$")
CHECK_TIMEOUT_S = 15.0
# What a candidate is asked, as one line of JSON; -I: no user site, no PYTHON* variables.
PROBE = (
    "import json, sys, sysconfig; print(json.dumps({"
    "'implementation': sys.implementation.name, 'version': list(sys.version_info[:3]), "
    "'free_threaded': bool(sysconfig.get_config_var('Py_GIL_DISABLED')), "
    "'gil': getattr(sys, '_is_gil_enabled', lambda: True)(), "
    "'path': [p for p in sys.path if p], 'executable': sys.executable}))"
)


class BadInterpreter(ValueError):
    """A path that is not a working CPython >= 3.10; the message says why, in one line."""


@dataclass(frozen=True)
class Interpreter:
    """A Python a lesson's process can run on, with what running it once told."""

    path: str
    version: tuple[int, int, int]
    free_threaded: bool
    gil: bool  # on at run time (a free-threaded build may have it switched back on)
    sys_path: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How the lab names it: 'Python 3.13.5 free-threaded, GIL off'."""
        version = ".".join(map(str, self.version))
        build = " free-threaded" if self.free_threaded else ""
        return f"Python {version}{build}, GIL {'on' if self.gil else 'off'}"

    @property
    def report(self) -> str:
        """As the CLI's JSON says it: '3.13.5 (CPython, free-threaded, GIL off)'."""
        build = ", free-threaded" if self.free_threaded else ""
        gil = "on" if self.gil else "off"
        return f"{'.'.join(map(str, self.version))} (CPython{build}, GIL {gil})"

    @property
    def is_bundled(self) -> bool:
        """True for the Python the lab itself runs on."""
        return same_file(self.path, sys.executable)

    def to_json(self) -> dict[str, object]:
        """Plain data, to remember it in the settings."""
        return {**asdict(self), "version": list(self.version), "sys_path": list(self.sys_path)}


def start(process: Any, python: Interpreter | None) -> None:
    """Start a spawn-context process on `python` (None, or the lab's own: as usual)."""
    if python is None or python.is_bundled:
        process.start()
    else:
        spawning.start_on(process, python.path, python.sys_path)


def same_file(a: str, b: str) -> bool:
    """True if the two paths name one file."""
    with contextlib.suppress(OSError):
        return os.path.samefile(a, b)
    return False


def this_python() -> Interpreter:
    """The Python this process runs on (no need to run it to know)."""
    return Interpreter(sys.executable, tuple(sys.version_info[:3]),
                       bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
                       getattr(sys, "_is_gil_enabled", lambda: True)(),
                       tuple(p for p in sys.path if p))


def check(path: str) -> Interpreter:
    """Run the Python at `path` once and say what it is; BadInterpreter if it is none."""
    where = Path(path).expanduser()
    if not where.exists():
        raise BadInterpreter(f"{path}: no such file")
    if where.is_dir() or not os.access(where, os.X_OK):
        raise BadInterpreter(f"{path}: not a program that can be run")
    try:
        done = subprocess.run([str(where), "-I", "-c", PROBE], capture_output=True, text=True,
                              timeout=CHECK_TIMEOUT_S, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise BadInterpreter(f"{path}: did not answer within {CHECK_TIMEOUT_S:g} s") from None
    except OSError as exc:
        raise BadInterpreter(f"{path}: could not be run ({exc.strerror or exc})") from None
    facts = _facts(done.stdout)
    if done.returncode != 0 or facts is None:
        said = (done.stderr.strip().splitlines() or ["it printed nothing a Python would"])[-1]
        raise BadInterpreter(f"{path}: not a Python ({said[:120]})")
    version = tuple(int(v) for v in facts["version"])
    if facts["implementation"] != "cpython" or version[:2] < OLDEST:
        raise BadInterpreter(f"{path}: {facts['implementation']} {'.'.join(map(str, version))}"
                             f"; the lab needs CPython {'.'.join(map(str, OLDEST))} or newer")
    return Interpreter(str(where), version, bool(facts["free_threaded"]), bool(facts["gil"]),
                       tuple(str(p) for p in facts["path"]))


def missing(python: Interpreter, modules: tuple[str, ...]) -> list[str]:
    """The modules this Python cannot import (none asked of the lab's own Python)."""
    if not modules or python.is_bundled:
        return []
    look = ("import importlib.util, sys; print(' '.join(m for m in sys.argv[1:] "
            "if importlib.util.find_spec(m) is None))")
    try:
        done = subprocess.run([python.path, "-I", "-c", look, *modules], capture_output=True,
                              text=True, timeout=CHECK_TIMEOUT_S, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return list(modules)
    return done.stdout.split() if done.returncode == 0 else list(modules)


def _facts(stdout: str) -> dict | None:
    """The probe's answer, if the last line printed is one."""
    lines = stdout.strip().splitlines()
    try:
        facts = json.loads(lines[-1]) if lines else None
    except ValueError:
        return None
    keys = {"implementation", "version", "free_threaded", "gil", "path"}
    return facts if isinstance(facts, dict) and keys <= set(facts) else None


def candidates() -> list[str]:
    """Paths of Pythons that may be on this machine (not yet checked), each file once."""
    names = ["python3", *(f"python3.{minor}{t}" for minor in range(10, 20) for t in ("", "t"))]
    found = [shutil.which(name) for name in names]
    home = Path.home()
    patterns = ["/usr/bin/python3*", "/usr/local/bin/python3*",
                str(home / ".pyenv/versions/*/bin/python3*"),
                str(home / ".local/share/uv/python/*/bin/python3*"),
                str(home / ".cache/concurrency-lab/*/bin/python3*"),
                str(home / "AppData/Local/Programs/Python/Python3*/python*.exe")]
    for pattern in patterns:
        found += sorted(glob.glob(pattern))
    found += _windows_launcher()
    # free-threaded builds first ("python3.13t"): one file may be named both ways
    found.sort(key=lambda path: not (path or "").removesuffix(".exe").endswith("t"))
    unique: list[str] = []
    for path in found:
        if path and PYTHON_NAME.match(Path(path).name) and not is_shim(path) and \
                os.access(path, os.X_OK) and not any(same_file(path, seen) for seen in unique):
            unique.append(path)
    return unique


def is_shim(path: str) -> bool:
    """True for a version manager's launcher script (pyenv's shims).

    Its Pythons are listed themselves, and each start of a shim runs the manager first.
    """
    return os.sep + "shims" + os.sep in path


def _windows_launcher() -> list[str]:
    """The Pythons the Windows launcher knows (`py -0p`), if there is one."""
    if sys.platform != "win32" or shutil.which("py") is None:
        return []
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        listed = subprocess.run(["py", "-0p"], capture_output=True, text=True,
                                timeout=CHECK_TIMEOUT_S).stdout
        return [line.split()[-1] for line in listed.splitlines() if line.strip()]
    return []


def first_found(wanted: Callable[[Interpreter], bool]) -> Interpreter | None:
    """The first Python on the machine that answers and is `wanted` (free-threaded names first).

    This process's own is looked at first of all (no need to run it).
    """
    mine = this_python()
    if wanted(mine):
        return mine
    lab = os.environ.get(LAB_PYTHON, "")  # the lab's own, when this process runs on another
    for path in [lab] * bool(lab) + candidates():
        with contextlib.suppress(BadInterpreter):
            python = check(path)
            if wanted(python):
                return python
    return None


def without_gil(python: Interpreter) -> bool:
    """True for a free-threaded Python with the GIL off."""
    return python.free_threaded and not python.gil


def found() -> list[Interpreter]:
    """Every CPython >= 3.10 on the machine that answered, the lab's own first."""
    mine = this_python()
    pythons = [mine]
    for path in candidates():
        if same_file(path, mine.path):
            continue
        with contextlib.suppress(BadInterpreter):
            pythons.append(check(path))
    return pythons
