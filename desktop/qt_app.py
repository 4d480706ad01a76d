"""QApplication set-up shared by the app and its tests."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QApplication


def configure_plots() -> None:
    """pyqtgraph settings for readable, fast plots: light background, no antialiasing."""
    pg.setConfigOptions(background="w", foreground="#222", antialias=False)


def create_app() -> QApplication:
    """The application object, created once."""
    app = QApplication.instance() or QApplication([])
    app.setApplicationName("Concurrency Lab")
    app.setOrganizationName("Concurrency Lab")
    configure_plots()
    return app
