"""Step mode's panel: who can run next (a button each, keys 1-9), the schedule, and why not."""

from __future__ import annotations

import html
from typing import NamedTuple

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.views.interleaving_view import InterleavingView
from desktop.views.outcome_bars import OutcomeBars

# Threads beyond this many have no key of their own (their buttons still work).
KEYS = 9


class Choice(NamedTuple):
    """One thread as the panel shows it: its number, its next step, why it cannot take it."""

    number: int
    label: str  # "Thread 2 → write x x = 5"
    blocked: str | None  # None if it can be chosen


class StepPanel(QWidget):
    """The learner as the scheduler: one button per thread, its next point and what it holds."""

    chosen = Signal(int)  # a thread's number
    random_step = Signal()
    run_rest = Signal()
    back = Signal()
    replay = Signal(str)  # the schedule typed in the box ("" for the last one played)

    def __init__(self) -> None:
        super().__init__()
        self.intro = QLabel("Turn on Step (Ctrl+T) and press Run: the lesson's threads stop at "
                            "each switch point, and you choose who goes on.")
        self.intro.setWordWrap(True)
        self.buttons_box = QVBoxLayout()
        self.random_button = QPushButton("Random step (R)")
        self.random_button.setToolTip("Let a thread that can run, chosen at random, take a step")
        self.random_button.clicked.connect(self.random_step)
        self.rest_button = QPushButton("Run the rest at random")
        self.rest_button.setToolTip("Random steps until the run ends (or no thread can go on)")
        self.rest_button.clicked.connect(self.run_rest)
        row = QHBoxLayout()
        row.addWidget(self.random_button)
        row.addWidget(self.rest_button)
        self.back_button = QPushButton("Back (Ctrl+Z)")
        self.back_button.setToolTip("Undo the last step: the run starts again and replays the "
                                    "schedule without it")
        self.back_button.clicked.connect(self.back)
        self.schedule_edit = QLineEdit()
        self.schedule_edit.setPlaceholderText("a schedule, e.g. 1 2 1 2")
        self.schedule_edit.setToolTip("Which thread takes each step; empty replays the last "
                                      "schedule. Where it ends, you choose again.")
        self.schedule_edit.returnPressed.connect(self._replay)
        self.replay_button = QPushButton("Replay")
        self.replay_button.setToolTip("Run the lesson again, taking the schedule's steps for you")
        self.replay_button.clicked.connect(self._replay)
        again = QHBoxLayout()
        again.addWidget(self.back_button)
        again.addWidget(self.schedule_edit, 1)
        again.addWidget(self.replay_button)
        self.explore_button = QPushButton("Explore every schedule")
        self.explore_button.setToolTip(
            "Run the lesson once for every order its threads can take their steps, and count "
            "the outcomes (keep it small: 2 or 3 threads, 1 to 3 increments)")
        self.outcomes = OutcomeBars()
        self.interleaving = InterleavingView()
        self.schedule = QLabel()
        self.schedule.setToolTip("Which thread took each step: the same schedule always gives "
                                 "the same outcome (python -m scenarios step ID --schedule ...)")
        self.shared = QLabel()
        self.shared.setToolTip("What the threads share, as it is now (the lesson names it)")
        self.locks = QLabel()
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        for widget in (self.intro, self.schedule, self.shared, self.locks, self.note):
            layout.addWidget(widget)
        layout.addLayout(self.buttons_box)
        layout.addLayout(row)
        layout.addLayout(again)
        layout.addWidget(self.interleaving)
        layout.addSpacing(8)
        layout.addWidget(self.explore_button)
        layout.addWidget(self.outcomes)
        layout.addStretch(1)
        self._buttons: list[QPushButton] = []
        self.show_state([], [], [], "", waiting=False)
        self.shared.hide()

    def show_state(self, choices: list[Choice], schedule: list[int], locks: list[str],
                   note: str, waiting: bool, shared: str | None = None) -> None:
        """Show who can run next (if `waiting` for a choice), the schedule, locks and a note.

        `shared` is the shared state in words ("x = 1"); None leaves the last one shown.
        """
        while len(self._buttons) > len(choices):  # a thread ended: one button fewer
            button = self._buttons.pop()
            self.buttons_box.removeWidget(button)
            button.deleteLater()
        while len(self._buttons) < len(choices):
            button = QPushButton()
            button.setStyleSheet("text-align: left; padding: 4px 8px;")
            button.clicked.connect(lambda _=False, b=button: self.chosen.emit(b.property("n")))
            self.buttons_box.addWidget(button)
            self._buttons.append(button)
        for button, choice in zip(self._buttons, choices, strict=True):
            self._show_choice(button, choice, waiting)
        steps = " ".join(map(str, schedule)) or "none yet"
        self.schedule.setText(f"<b>Schedule so far:</b> {steps}")
        self.locks.setText("<b>Locks:</b> " + (html.escape("; ".join(locks)) or "none held"))
        if shared is not None:
            self.shared.setText(f"<b>Shared:</b> {html.escape(shared)}")
            self.shared.setVisible(bool(shared))
        self.note.setText(note)
        can_run = waiting and any(choice.blocked is None for choice in choices)
        self.random_button.setEnabled(can_run)
        self.rest_button.setEnabled(can_run)

    @staticmethod
    def _show_choice(button: QPushButton, choice: Choice, waiting: bool) -> None:
        """A thread's button, reused from step to step (new widgets cost a re-layout)."""
        key = f"{choice.number}  " if choice.number <= KEYS else ""
        button.setProperty("n", choice.number)
        button.setText(f"{key}{choice.label}" + (f"   ({choice.blocked})" if choice.blocked
                                                 else ""))
        button.setEnabled(waiting and choice.blocked is None)
        button.setToolTip(choice.blocked or f"Let it take this step (key {choice.number})")

    def _replay(self) -> None:
        self.replay.emit(self.schedule_edit.text())

    def button_texts(self) -> list[str]:
        """The buttons' texts, as shown (for tests and automation)."""
        return [button.text() for button in self._buttons]
