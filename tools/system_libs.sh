#!/bin/sh
# Make sure the Debian libraries Qt needs are installed.
#
#   tools/system_libs.sh test    what the offscreen platform needs (make test)
#   tools/system_libs.sh run     that, plus what a real window under Xvfb needs (make run)
#   tools/system_libs.sh venv    what `python3 -m venv` needs on Debian's own Python
#
# As root with apt-get, missing packages are installed. Otherwise one line says which
# `sudo apt-get install ...` to run, and the script carries on (exit 0): the build goes on and
# fails later with Qt's own message if a library really is needed.
# On systems without dpkg-query (not Debian or Ubuntu) it does nothing, silently.
set -u

# Lists from DESIGN.md, "Known traps: System libraries".
OFFSCREEN="libglib2.0-0 libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3"
WINDOW="xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
libxcb-render-util0 libxcb-shape0 libxkbcommon-x11-0"
VENV="python3-venv"

case "${1:-test}" in
    test) wanted="$OFFSCREEN" ;;
    run) wanted="$OFFSCREEN $WINDOW" ;;
    venv) wanted="$VENV" ;;
    *) echo "usage: $0 test|run|venv" >&2; exit 2 ;;
esac

command -v dpkg-query >/dev/null 2>&1 || exit 0

missing=""
for pkg in $wanted; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
missing="${missing# }"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing missing system libraries: $missing"
    export DEBIAN_FRONTEND=noninteractive
    log="${TMPDIR:-/tmp}/system_libs.$$.log"
    # shellcheck disable=SC2086 # the package list is meant to split into words
    if { apt-get update -q && apt-get install -y -q --no-install-recommends $missing; } \
        >"$log" 2>&1
    then
        rm -f "$log"
        exit 0
    fi
    cat "$log" >&2
    rm -f "$log"
    echo "warning: could not install system libraries; try: apt-get install -y $missing" >&2
    exit 0
fi

echo "Missing system libraries; please run: sudo apt-get install -y $missing" >&2
exit 0
