"""What to poke while a run goes on: a spinner, a button a clicker presses, a text box."""

from __future__ import annotations

import math
import threading
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

# The automatic clicker presses the button this often: ten clicks a second, a brisk person.
CLICK_EVERY_S = 0.1
# The spinner turns once a second, redrawn at about 30 frames a second.
SPIN_FRAME_MS = 33


class Spinner(QWidget):
    """An arc that turns with the clock: it jumps when the window could not repaint it."""

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumSize(64, 64)
        self.setToolTip("Turns once a second while a run goes on; it stops when the window "
                        "is frozen and jumps when it wakes up.")
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.update)

    def set_spinning(self, on: bool) -> None:
        """Start or stop turning."""
        if on:
            self._timer.start(SPIN_FRAME_MS)
        else:
            self._timer.stop()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Draw the arc at the angle the clock gives now."""
        side = min(self.width(), self.height()) - 8
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#CCCCCC"), 6))
        painter.drawEllipse(rect)
        pen = QPen(QColor("#0072B2"), 6)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        angle = math.fmod(time.perf_counter(), 1.0) * 360 if self._timer.isActive() else 90
        painter.drawArc(rect, int(-angle * 16), 90 * 16)
        painter.end()


class Clicker(QObject):
    """A thread that asks for a click every CLICK_EVERY_S, stamped with when it asked."""

    click = Signal(float)  # perf_counter seconds of the request; answered on the GUI thread

    def __init__(self) -> None:
        super().__init__()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start clicking."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="poke-clicker", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(CLICK_EVERY_S):
            self.click.emit(time.perf_counter())

    def stop(self) -> None:
        """Stop clicking and wait for the thread to end."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
            self._thread = None


class PokePanel(QWidget):
    """What a learner pokes during the responsiveness lesson, and what it measures of the window."""

    def __init__(self) -> None:
        super().__init__()
        self.spinner = Spinner()
        self.button = QPushButton("Click me")
        self.button.setToolTip("The automatic clicker presses this ten times a second during a "
                               "run; click it too and see when your clicks count.")
        self.button.clicked.connect(self._clicked)
        self.count_label = QLabel()
        self.typing = QLineEdit()
        self.typing.setPlaceholderText("Type here while it runs…")
        self.echo = QLabel()
        self.typing.textChanged.connect(lambda text: self.echo.setText(f"Echo: {text}"))
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.clicker = Clicker()
        self.clicker.click.connect(self._robot_click)
        self.missed_after_ms: float = math.inf  # until a lesson sets its limit
        layout = QVBoxLayout(self)
        for widget in (self.spinner, self.button, self.count_label, self.typing, self.echo,
                       self.verdict):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._reset()

    def _reset(self) -> None:
        self.clicks = 0
        self.delays_ms: list[float] = []  # how late each automatic click was answered
        self._show_count()

    def set_missed_after(self, ms: float | None) -> None:
        """Count an automatic click answered later than `ms` as missed (None: none is missed)."""
        self.missed_after_ms = math.inf if ms is None else ms

    def start(self) -> None:
        """A run begins: spin, click, and measure."""
        self._reset()
        self.verdict.setText("Running: poke me.")
        self.spinner.set_spinning(True)
        self.clicker.start()

    def finish(self) -> dict[str, float | int]:
        """The run is over: stop, answer the clicks still waiting, and return the measures."""
        self.clicker.stop()
        # clicks queued while the window was frozen are answered now, their delay measured
        QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)
        self.spinner.set_spinning(False)
        measures = self.measures()
        self.verdict.setText(f"{measures['clicks_missed']} of {measures['clicks_sent']} "
                             f"automatic clicks answered more than {self.missed_after_ms:g} ms "
                             f"late; the slowest after {measures['slowest_click_ms']:,.0f} ms.")
        return measures

    def measures(self) -> dict[str, float | int]:
        """Automatic clicks sent, answered late (missed), and the slowest answer, in ms."""
        missed = sum(delay > self.missed_after_ms for delay in self.delays_ms)
        return {"clicks_sent": len(self.delays_ms), "clicks_missed": missed,
                "slowest_click_ms": round(max(self.delays_ms, default=0.0), 1)}

    def _robot_click(self, asked_at: float) -> None:
        self.delays_ms.append((time.perf_counter() - asked_at) * 1000)
        self.button.click()

    def _clicked(self) -> None:
        self.clicks += 1
        self._show_count()

    def _show_count(self) -> None:
        yours = self.clicks - len(self.delays_ms)
        self.count_label.setText(f"Clicks answered: {self.clicks} (yours: {yours})")
