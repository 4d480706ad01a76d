"""Render resources/icon.svg into the bitmap icons the packages need (run after editing the SVG).

    .venv/bin/python tools/make_icon.py

Writes resources/icon.png (256 px: window icon, Linux menu), resources/icon.ico (Windows .exe) and
resources/icon.icns (macOS .app), with Qt's own SVG renderer and image plugins, so no other
library is needed. The outputs are committed; the build does not run this.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402 - the platform must be chosen before Qt loads
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SIZE = 256  # the largest size a Linux menu or a Windows .ico needs


def render(svg: Path, size: int) -> QImage:
    """The SVG drawn on a transparent square of this many pixels."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    return image


def main() -> int:
    """Write icon.png, icon.ico and icon.icns next to icon.svg."""
    QGuiApplication(sys.argv[:1])
    image = render(RESOURCES / "icon.svg", SIZE)
    for name, fmt in (("icon.png", "PNG"), ("icon.ico", "ICO"), ("icon.icns", "ICNS")):
        path = RESOURCES / name
        if not image.save(str(path), fmt):
            print(f"could not write {path} (is Qt's {fmt} image plugin there?)", file=sys.stderr)
            return 1
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
