#!/bin/sh
# Build the Linux packages from the one-folder app that PyInstaller made (make package):
#   dist/concurrency-lab_VERSION_ARCH.deb            installs under /opt/concurrency-lab
#   dist/concurrency-lab-VERSION-linux-ARCH.tar.gz   the one-folder app, unpack and run
#
#   sh packaging/build_deb.sh VERSION
#
# The .deb: the app in /opt/concurrency-lab, a launcher /usr/bin/concurrency-lab, a menu entry
# /usr/share/applications/concurrency-lab.desktop and its icon under /usr/share/icons/hicolor.
# Built with dpkg-deb (Debian's own tool), owned by root whoever builds it. No maintainer scripts:
# the icon cache and the menu are refreshed by dpkg triggers (hicolor-icon-theme,
# desktop-file-utils), and without a postrm `dpkg -r` leaves nothing behind, not even a record.
set -eu

version="${1:?usage: $0 VERSION}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
app="$root/dist/ConcurrencyLab"
[ -x "$app/ConcurrencyLab" ] || { echo "$app/ConcurrencyLab not found: run make package" >&2; exit 1; }
command -v dpkg-deb >/dev/null || { echo "dpkg-deb not found (apt-get install dpkg)" >&2; exit 1; }

arch="$(dpkg --print-architecture)"
name="concurrency-lab"
stage="$root/build/deb/${name}_${version}_${arch}"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
    "$stage/usr/share/icons/hicolor/256x256/apps" "$stage/usr/share/icons/hicolor/scalable/apps"

cp -a "$app" "$stage/opt/$name"
install -m 0755 "$here/linux/concurrency-lab" "$stage/usr/bin/$name"
install -m 0644 "$here/linux/concurrency-lab.desktop" "$stage/usr/share/applications/$name.desktop"
install -m 0644 "$root/resources/icon.png" "$stage/usr/share/icons/hicolor/256x256/apps/$name.png"
install -m 0644 "$root/resources/icon.svg" "$stage/usr/share/icons/hicolor/scalable/apps/$name.svg"
# dpkg wants no group- or world-writable files; a umask of 002 would leave some.
chmod -R go-w "$stage"

size_kb="$(du -sk "$stage" | cut -f1)"
# What Qt's xcb window needs from the system (DESIGN, known traps); the rest is in the app.
cat > "$stage/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: $arch
Maintainer: Concurrency Lab maintainers <maintainers@users.noreply.r-seed-20848343.example>
Installed-Size: $size_kb
Depends: libc6, libglib2.0-0 | libglib2.0-0t64, libegl1, libgl1, libfontconfig1, libxkbcommon0, libdbus-1-3, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-render-util0, libxcb-shape0, libxkbcommon-x11-0
Section: education
Priority: optional
Description: Concurrency Lab: see Python threads and processes run, live
 A desktop lab that teaches Python threads and processes by running real
 scenarios (threading, multiprocessing, pools) and drawing what they do:
 a timeline per thread and process, CPU use per core, timings and speedups.
CONTROL

deb="$root/dist/${name}_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "built $deb ($(du -h "$deb" | cut -f1))"

tarball="$root/dist/${name}-${version}-linux-${arch}.tar.gz"
tar -C "$root/dist" -czf "$tarball" ConcurrencyLab
echo "built $tarball ($(du -h "$tarball" | cut -f1))"
