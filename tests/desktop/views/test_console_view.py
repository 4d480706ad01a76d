"""The console: a web address in a line (Dask's dashboard) is a link that a click opens."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDesktopServices, QTextCursor

from desktop.data.rundata import RunData
from desktop.views import console_view
from desktop.views.console_view import ConsoleView, linked
from scenarios.engine.events import Line, Worker, now_ns

DASHBOARD = "http://127.0.0.1:40123/status"


def test_a_web_address_becomes_a_link_and_the_rest_stays_escaped() -> None:
    text = f"Dask's dashboard <while this run lasts>: {DASHBOARD}"
    assert linked(text) == ("Dask&#x27;s dashboard &lt;while this run "
                            f"lasts&gt;: <a href=\"{DASHBOARD}\">{DASHBOARD}</a>")
    assert linked("no address here") == "no address here"


def test_runs_of_spaces_are_kept_and_the_last_of_each_still_wraps() -> None:
    assert linked("  a   b c") == "&nbsp; a&nbsp;&nbsp; b c"


def test_a_long_line_wraps_between_words_never_inside_one(qtbot) -> None:
    view = ConsoleView()
    qtbot.addWidget(view)
    view.resize(260, 300)
    view.show()
    qtbot.waitExposed(view)
    data = RunData(now_ns())
    text = ("Run it: threads 47 of 4.1 ms each, then 12,345 updates lost; "
            "the scheduler spent 0.85 ms of CPU per task " * 3)
    data.add([Line(Worker(1, 1, "Thread 1"), data.t0, text, "stdout")])
    view.refresh(data)
    block = view.document().firstBlock()
    shown = block.text()
    layout = block.layout()
    assert layout.lineCount() > 2, "the line does not wrap at this width"
    for n in range(1, layout.lineCount()):
        start = layout.lineAt(n).textStart()
        assert shown[start - 1].isspace(), f"wrapped inside {shown[start - 8:start + 8]!r}"
    assert shown.startswith("[Thread\xa01]")


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
