"""Step mode in the window: the run's stepper, its panel, the keys 1-9 and random steps."""

from __future__ import annotations

import contextlib
import random
import time
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from desktop.views.step_panel import KEYS, Choice, StepPanel
from scenarios.engine.interleaving import Row, interleaving
from scenarios.engine.lab import said
from scenarios.engine.stepping import ScheduleError, Stepper, parse_schedule

WAITING_NOTE = "Choose who goes on: a button, or its number key."
RUNNING_NOTE = "Running to its next switch point…"
NOT_RUNNING_NOTE = "Press Run (F5) first: the threads start when the run does, then each key " \
                   "lets one go on."
OVER_NOTE = "The run is over: press Run (F5) to step it again, or Replay its schedule."
# How long a key press waits for the chosen thread to reach its next point before the frames
# take over (the window stays answerable: this is at most a missed frame).
QUICK_SETTLE_S = 0.02
# Steps taken for the learner (a replay, "run the rest") stop for a frame after this long.
AUTO_BUDGET_S = 0.05


class StepControl(QObject):
    """Between the window and a stepped run: shows who can go on, and lets the learner choose.

    Steps are taken by a key or a button, or for the learner: at random ("run the rest"), or
    from a schedule being replayed (Back replays the schedule without its last step).
    """

    again = Signal(list)  # a schedule to play from the start, in a new run

    def __init__(self, window: QWidget, panel: StepPanel) -> None:
        super().__init__(window)
        self.panel = panel
        self.stepper: Stepper | None = None
        self.last_schedule: list[int] = []  # the schedule of the last stepped run
        self.rows: list[Row] = []  # its interleaving table, as it stands
        self._rest = False  # "run the rest at random" is on
        self._queued: list[int] = []  # steps of a schedule being replayed
        self._shown: Any = None
        self.armed = False  # step mode is on: the keys answer even with no run going
        panel.chosen.connect(self.take)
        panel.random_step.connect(self.take_random)
        panel.run_rest.connect(self.take_rest)
        panel.back.connect(self.back)
        panel.replay.connect(self.replay)
        self.keys = [QShortcut(QKeySequence(str(n)), window, partial(self.take, n))
                     for n in range(1, KEYS + 1)]
        self.keys.append(QShortcut(QKeySequence("R"), window, self.take_random))
        self._enable_keys(False)
        self.back_key = QShortcut(QKeySequence("Ctrl+Z"), window, self.back)

    def begin(self, stepper: Stepper, schedule: list[int] | None = None) -> None:
        """A stepped run has started; `schedule`'s steps are taken first, then the learner's."""
        self.stepper, self._rest, self._shown = stepper, False, None
        self._queued = list(schedule or [])
        self._enable_keys(True)
        self.panel.intro.setText("The threads stop at each switch point. Choose who goes on.")
        self.panel.show_state([], [], [], RUNNING_NOTE, waiting=False, shared="")
        self._show_rows(stepper)

    def end(self, note: str = "") -> None:
        """The run is over: show the schedule it took; no more keys."""
        stepper = self.stepper
        self.stepper = None
        self._enable_keys(self.armed)
        if stepper is not None:
            self.last_schedule = stepper.schedule()
            self._show_rows(stepper, force=True)
            self.panel.show_state([], self.last_schedule, [], note or "The run is over.",
                                  waiting=False, shared=said(stepper.shared()))

    def forget(self) -> None:
        """Another lesson is on screen: the last stepped run's schedule and table go."""
        self.last_schedule, self.rows = [], []
        self.panel.interleaving.show_rows([])
        self.panel.show_state([], [], [], "", waiting=False, shared="")

    def _show_rows(self, stepper: Stepper, force: bool = False) -> None:
        """The interleaving table of the steps taken so far (redrawn only when one was added)."""
        if force or len(stepper.steps) != len(self.rows) or not stepper.steps:
            self.rows = interleaving(list(stepper.steps), stepper.shared())
            self.panel.interleaving.show_rows(self.rows)

    def tick(self) -> None:
        """At each frame: take the steps due (a replay, run the rest), or show the choices."""
        stepper = self.stepper
        if stepper is None:
            return
        deadline = time.perf_counter() + AUTO_BUDGET_S
        while stepper.settled():
            replaying = bool(self._queued)
            number = self._due(stepper)
            if number is None:
                self._show(stepper)
                return
            said = f"The replay stopped at step {len(stepper.steps) + 1}: " if replaying else ""
            if not self._step(stepper, number, said) or time.perf_counter() > deadline:
                return
            with contextlib.suppress(TimeoutError):  # still going: the next frame goes on
                stepper.settle(QUICK_SETTLE_S)

    def awaiting_choice(self) -> bool:
        """True while the run waits for the learner (no step going, none due for them)."""
        stepper = self.stepper
        return (stepper is not None and not self._queued and not self._rest
                and stepper.settled() and self._shown is not None)

    def _due(self, stepper: Stepper) -> int | None:
        """The step to take for the learner now, if any."""
        if self._queued:
            return self._queued.pop(0)
        runnable = stepper.runnable()
        return random.choice(runnable).number if self._rest and runnable else None

    def _show(self, stepper: Stepper) -> None:
        state = self._state(stepper)
        if state != self._shown:
            self._shown = state
            self.panel.show_state(*state)
            self._show_rows(stepper)

    def _state(self, stepper: Stepper) -> tuple[list[Choice], list[int], list[str], str, bool,
                                                  str]:
        choices = [Choice(part.number, part.label(), part.blocked_by())
                   for part in stepper.threads() if part.state != "done"]
        locks = stepper.held_locks()
        deadlock = stepper.deadlock()
        note = (f"⚠ {deadlock}. Press Stop to end the run, or Back." if deadlock
                else WAITING_NOTE if choices else RUNNING_NOTE)
        if stepper.steps:
            note = f"Last step: {stepper.steps[-1].describe()}. {note}"
        return choices, stepper.schedule(), locks, note, True, said(stepper.shared())

    def _step(self, stepper: Stepper, number: int, said: str) -> bool:
        """Let thread `number` go on; False (the reason shown after `said`) if it cannot."""
        try:
            stepper.step(number)
        except ScheduleError as exc:
            self._queued, self._rest = [], False
            self._show(stepper)
            self.panel.note.setText(f"{said}{exc}.")
            return False
        self._shown = None
        return True

    def arm(self, on: bool) -> None:
        """Step mode turned on or off: with it on, a step key before Run says to press Run."""
        self.armed = on
        self._enable_keys(on or self.stepper is not None)

    def take(self, number: int) -> None:
        """Let thread `number` go on to its next point (if every thread is at one)."""
        stepper = self.stepper
        if stepper is None:
            self._not_running()
            return
        if not stepper.settled() or not self._step(stepper, number, "Not that one: "):
            return
        try:  # a step is usually over in well under a millisecond: answer at once
            stepper.settle(QUICK_SETTLE_S)
        except TimeoutError:  # still going (a sleep, a long loop): the frames will tell
            self.panel.show_state([], stepper.schedule(), [], RUNNING_NOTE, waiting=False)
            return
        self.tick()

    def _not_running(self) -> None:
        """A step key with no stepped run going: say what to do."""
        self.panel.note.setText(OVER_NOTE if self.rows else NOT_RUNNING_NOTE)

    def take_random(self) -> None:
        """A random thread of those that can go on takes a step."""
        stepper = self.stepper
        if stepper is None:
            self._not_running()
        elif stepper.settled():
            runnable = stepper.runnable()
            if runnable:
                self.take(random.choice(runnable).number)

    def take_rest(self) -> None:
        """Random steps until the run ends or no thread can go on."""
        self._rest = True
        self.tick()

    def back(self) -> None:
        """Undo the last step: play the schedule so far without it, in a new run."""
        schedule = self.stepper.schedule() if self.stepper is not None else self.last_schedule
        self.again.emit(schedule[:-1])

    def replay(self, text: str) -> None:
        """Play the schedule typed (or, if none, the last one) from the start, in a new run."""
        try:
            schedule = parse_schedule(text) if text.strip() else self.last_schedule
        except ValueError as exc:
            self.panel.note.setText(str(exc))
            return
        self.again.emit(list(schedule))

    def _enable_keys(self, on: bool) -> None:
        for key in self.keys:
            key.setEnabled(on)
