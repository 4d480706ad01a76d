"""The console: a web address in a line (Dask's dashboard) is a link that a click opens."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDesktopServices, QTextCursor

from desktop.views import console_view
from desktop.views.console_view import ConsoleView, linked

DASHBOARD = "http://127.0.0.1:40123/status"


def test_a_web_address_becomes_a_link_and_the_rest_stays_escaped() -> None:
    text = f"Dask's dashboard <while this run lasts>: {DASHBOARD}"
    assert linked(text) == ("Dask&#x27;s&nbsp;dashboard&nbsp;&lt;while&nbsp;this&nbsp;run&nbsp;"
                            f"lasts&gt;:&nbsp;<a href=\"{DASHBOARD}\">{DASHBOARD}</a>")
    assert linked("no address here") == "no&nbsp;address&nbsp;here"


def test_clicking_the_link_opens_it(qtbot, monkeypatch) -> None:
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    view = ConsoleView()
    qtbot.addWidget(view)
    view.resize(700, 200)
    view.show()
    qtbot.waitExposed(view)
    view.appendHtml(f"<span>[Dask client] dashboard: {console_view.linked(DASHBOARD)}</span>")
    cursor = QTextCursor(view.document())
    cursor.setPosition(len("[Dask client] dashboard: ") + 5)
    spot = view.cursorRect(cursor).center() + QPoint(2, 0)
    assert view.anchorAt(spot) == DASHBOARD
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert opened == [DASHBOARD]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(2, 150))
    assert opened == [DASHBOARD]  # a click beside it opens nothing
