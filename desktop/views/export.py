"""Pictures of the window and its plots as PNG bytes (pyqtgraph's exporter for plots)."""

from __future__ import annotations

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QWidget


def png_bytes(image: QImage | QPixmap) -> bytes:
    """An image encoded as PNG."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("the image could not be encoded as PNG")
    return bytes(buffer.data())


def plot_png(plot: pg.PlotWidget) -> bytes:
    """A plot rendered as on screen, at its size on screen (axes, bars, labels)."""
    exporter = ImageExporter(plot.getPlotItem())
    size = plot.size()
    exporter.parameters()["width"] = size.width()
    exporter.parameters()["height"] = size.height()
    exporter.parameters()["antialias"] = bool(pg.getConfigOption("antialias"))  # as on screen
    return png_bytes(exporter.export(toBytes=True))


def widget_png(widget: QWidget) -> bytes:
    """A widget (the whole window) as it is drawn now."""
    return png_bytes(widget.grab())
