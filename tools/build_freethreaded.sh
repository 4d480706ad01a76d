#!/bin/sh
# Builds CPython 3.13 without the GIL (PEP 703: --disable-gil) from Debian trixie's python3.13
# source package, once, into a cache folder outside the repository; prints the interpreter's path.
# `make freethreaded` runs it; tests and benches use the interpreter where it exists.
#
#   FREETHREADED_PREFIX   where to install (default ~/.cache/concurrency-lab/python3.13t)
#
# Needs root on Debian for the source list and the build dependencies (both by name, below).
set -eu

PREFIX=${FREETHREADED_PREFIX:-$HOME/.cache/concurrency-lab/python3.13t}
PYTHON_T="$PREFIX/bin/python3.13t"
if [ -x "$PYTHON_T" ] && "$PYTHON_T" -c "import sys; sys.exit(sys._is_gil_enabled())"; then
    echo "$PYTHON_T"
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "build_freethreaded: needs root on Debian (apt-get), or a free-threaded Python at $PYTHON_T" >&2
    exit 1
fi

LIST=/etc/apt/sources.list.d/concurrency-lab-trixie-src.list
if [ ! -f "$LIST" ]; then
    echo "deb-src http://deb.debian.org/debian trixie main" > "$LIST"
    apt-get update -qq -o Dir::Etc::sourcelist="$LIST" -o Dir::Etc::sourceparts=- \
        -o APT::Get::List-Cleanup=0
fi
apt-get install -y -qq --no-install-recommends dpkg-dev build-essential pkg-config \
    libssl-dev zlib1g-dev libffi-dev libbz2-dev liblzma-dev libsqlite3-dev uuid-dev >/dev/null

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
chown _apt "$WORK" 2>/dev/null || true  # apt downloads as its own user where it can
cd "$WORK"
# the upstream tarball only: Debian's patches change the install layout for its own packaging
apt-get source -qq --download-only python3.13 >/dev/null
tar -xf python3.13_*.orig.tar.xz
cd Python-3.13*/
./configure -q --disable-gil --prefix="$PREFIX" --without-ensurepip >/dev/null
make -s -j"$(nproc)" >/dev/null 2>&1
make -s install >/dev/null 2>&1
"$PYTHON_T" -c "import sys; assert not sys._is_gil_enabled(), 'the GIL is on'"
echo "$PYTHON_T"
