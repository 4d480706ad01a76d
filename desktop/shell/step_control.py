"""Step mode in the window: the run's stepper, its panel, the keys 1-9 and random steps."""

from __future__ import annotations

import random
from functools import partial
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from desktop.views.step_panel import KEYS, Choice, StepPanel
from scenarios.engine.stepping import ScheduleError, Stepper

WAITING_NOTE = "Choose who goes on: a button, or its number key."
RUNNING_NOTE = "Running to its next switch point…"
# How long a key press waits for the chosen thread to reach its next point before the frames
# take over (the window stays answerable: this is at most a missed frame).
QUICK_SETTLE_S = 0.02


class StepControl(QObject):
    """Between the window and a stepped run: shows who can go on, and lets the learner choose."""

    def __init__(self, window: QWidget, panel: StepPanel) -> None:
        super().__init__(window)
        self.panel = panel
        self.stepper: Stepper | None = None
        self._rest = False  # "run the rest at random" is on
        self._shown: Any = None
        panel.chosen.connect(self.take)
        panel.random_step.connect(self.take_random)
        panel.run_rest.connect(self.take_rest)
        self.keys = [QShortcut(QKeySequence(str(n)), window, partial(self.take, n))
                     for n in range(1, KEYS + 1)]
        self.keys.append(QShortcut(QKeySequence("R"), window, self.take_random))
        self._enable_keys(False)

    def begin(self, stepper: Stepper) -> None:
        """A stepped run has started: its threads will wait at their points for the learner."""
        self.stepper, self._rest, self._shown = stepper, False, None
        self._enable_keys(True)
        self.panel.intro.setText("The threads stop at each switch point. Choose who goes on.")
        self.panel.show_state([], [], [], RUNNING_NOTE, waiting=False)

    def end(self, note: str = "") -> None:
        """The run is over: show the schedule it took; no more keys."""
        stepper = self.stepper
        self._enable_keys(False)
        self.stepper = None
        if stepper is not None:
            self.panel.show_state([], stepper.schedule(), [], note or "The run is over.",
                                  waiting=False)

    def tick(self) -> None:
        """At each frame: once every thread is at a point, show the choices (or take one)."""
        stepper = self.stepper
        if stepper is None or not stepper.settled():
            return
        if self._rest and stepper.runnable():
            self.take_random()
            return
        state = self._state(stepper)
        if state != self._shown:
            self._shown = state
            self.panel.show_state(*state, waiting=True)

    def _state(self, stepper: Stepper) -> tuple[list[Choice], list[int], list[str], str]:
        choices = [Choice(part.number, part.label(), part.blocked_by())
                   for part in stepper.threads() if part.state != "done"]
        locks = stepper.held_locks()
        deadlock = stepper.deadlock()
        note = (f"⚠ {deadlock}. Press Stop to end the run." if deadlock
                else WAITING_NOTE if choices else RUNNING_NOTE)
        if stepper.steps:
            note = f"Last step: {stepper.steps[-1].describe()}. {note}"
        return choices, stepper.schedule(), locks, note

    def take(self, number: int) -> None:
        """Let thread `number` go on to its next point (if every thread is at one)."""
        stepper = self.stepper
        if stepper is None or not stepper.settled():
            return
        try:
            stepper.step(number)
        except ScheduleError as exc:
            self.panel.note.setText(f"Not that one: {exc}.")
            return
        self._shown = None
        try:  # a step is usually over in well under a millisecond: answer at once
            stepper.settle(QUICK_SETTLE_S)
        except TimeoutError:  # still going (a sleep, a long loop): the frames will tell
            self.panel.show_state([], stepper.schedule(), [], RUNNING_NOTE, waiting=False)
            return
        self.tick()

    def take_random(self) -> None:
        """A random thread of those that can go on takes a step."""
        stepper = self.stepper
        if stepper is not None and stepper.settled():
            runnable = stepper.runnable()
            if runnable:
                self.take(random.choice(runnable).number)

    def take_rest(self) -> None:
        """Random steps until the run ends or no thread can go on."""
        self._rest = True
        self.take_random()

    def _enable_keys(self, on: bool) -> None:
        for key in self.keys:
            key.setEnabled(on)
