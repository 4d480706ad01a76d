"""The main window: lesson list, parameters, timeline, cores, console, result and code."""

from __future__ import annotations

import os
import platform
import sys
import time
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.data.history import RunHistory
from desktop.data.rundata import RunData
from desktop.instruments.lag_meter import LagMeter
from desktop.instruments.session import RunSession
from desktop.shell import try_progress
from desktop.shell.actions import window_action
from desktop.shell.appearance import install as install_appearance
from desktop.shell.explore_control import ExploreControl
from desktop.shell.file_actions import FileActions
from desktop.shell.key_routing import WindowKeys, clear_field_focus
from desktop.shell.lesson_actions import LessonActions
from desktop.shell.python_choice import PythonChoice
from desktop.shell.screen_fit import fit
from desktop.shell.script_actions import ScriptActions
from desktop.shell.settings import Settings
from desktop.shell.splitter_shares import fold_away, give_room
from desktop.shell.step_control import StepControl
from desktop.views.code_view import CodeView
from desktop.views.compare_view import CompareView
from desktop.views.console_view import ConsoleView
from desktop.views.fold import Fold
from desktop.views.lag_view import LagView
from desktop.views.lesson_list import LessonList
from desktop.views.lesson_text import LessonTextView
from desktop.views.painting import frame
from desktop.views.param_panel import ParamPanel
from desktop.views.poke_panel import PokePanel
from desktop.views.result_card import ResultCard
from desktop.views.script_panel import ScriptPanel
from desktop.views.series_view import cores_view, measures_view
from desktop.views.step_panel import StepPanel
from desktop.views.table_view import LiveTables
from desktop.views.timeline_view import TimelineView
from scenarios.engine import backends, interpreters
from scenarios.engine.backends import BACKENDS
from scenarios.engine.events import Result
from scenarios.engine.interpreters import Interpreter
from scenarios.engine.scripts import ScriptRun
from scenarios.engine.stepping import Stepper
from scenarios.lessons import catalogue
from scenarios.model.lesson import Lesson
from scenarios.model.params import ParamError

# The measures plot's height when it appears (it is hidden until a lesson measures something).
MEASURES_HEIGHT = 110
# The UI-lag strip's height when it is unfolded.
LAG_HEIGHT = 80
# The left column (lessons, parameters) is at least this wide: every lesson's parameters fit.
LEFT_MIN_PX = 300
# Live parameter changes reach a run at most this often (per parameter, the newest value).
LIVE_CHANGE_MS = 50
BACKEND_HELP = {
    "thread": "thread: the lesson runs on a worker thread inside the app.",
    "process": "process: the lesson runs in its own child process.",
    "ui": "ui: the lesson runs on the window's own thread, freezing it (short runs only).",
}


def titled(title: str, widget: QWidget, beside: QWidget | None = None) -> QWidget:
    """A widget under a small bold heading; `beside` (a legend) shares the heading's line."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(2, 2, 2, 2)
    layout.setSpacing(2)
    heading = QHBoxLayout()
    heading.addWidget(QLabel(f"<b>{title}</b>"), 0, Qt.AlignmentFlag.AlignTop)
    if beside is not None:
        heading.addWidget(beside, 1)
    else:
        heading.addStretch(1)
    layout.addLayout(heading)
    layout.addWidget(widget, 1)
    return box


# A frame's work, one part per 10 ms probe of the lag meter (PROBES_PER_FRAME of them): each
# view is still drawn about 30 times a second, and each probe waits for a third of the work.
# With a lesson's thread computing in this process, every Qt call that lets the GIL go may cost
# a switch interval, so a frame drawn at once held the window up to 30 ms beyond a probe's.
LIVE_PARTS = (("timeline",), ("cores", "lag"), ("measures", "tables", "console"))
EVERY_PART = tuple(part for parts in LIVE_PARTS for part in parts)


class MainWindow(QMainWindow):
    """Concurrency Lab's window; one run at a time."""

    run_finished = Signal(object)  # Result
    # the Lesson and the RunRecord of each run or loop round added to the history
    recorded = Signal(object, object)

    def __init__(self, settings: Settings | None = None) -> None:
        """`settings`: where the look and the tries done are remembered (None: nowhere)."""
        super().__init__()
        self.setWindowTitle("Concurrency Lab")
        self.resize(1360, 760)
        self.session: RunSession | None = None
        # A dragged slider sends hundreds of values a second: the run gets at most one per
        # parameter every LIVE_CHANGE_MS, the newest.
        self._live_pending: dict[str, Any] = {}
        self._live_timer = QTimer(self, singleShot=True, interval=LIVE_CHANGE_MS,
                                  timeout=self._send_live_changes)
        self.lag = LagMeter(self)
        self.lag.sampled.connect(self._show_lag)
        self.lag.frame.connect(self._frame)
        self.run_started_at = 0.0  # perf_counter at the start of the last run
        self.run_ended_at = 0.0  # ... and when its end was seen
        self.start_cost_ms = 0.0  # the Run click's own work before the lesson started
        self.ask_before_freezing = True  # warn before a run on the window's own thread
        self.last_error: str | None = None  # the last message report_error showed
        self.users_backend: str | None = None  # kept while a lesson of ways shows its own
        self.round_started_at = 0.0
        self.round_params: dict[str, Any] = {}  # the parameters the current round started with
        self.last_round: tuple[Result, float] | None = None
        self.last_wall_s: float | None = None
        self.history = RunHistory()
        self.opened: tuple[RunData, dict[str, Any]] | None = None  # a saved run on screen
        self.run_lesson: Lesson | None = None  # the lesson (or script) of the run on screen
        self._fitted = False  # fitted to the screen's work area at the first show
        self._build_views()
        self._build_actions()
        self.files = FileActions(self, lab=self, timeline=self.timeline.plot,
                                 quit_action=self.quit_action)
        self.lesson_actions = LessonActions(self, choice=self, reset_params=self.params.reset)
        self.script_actions = ScriptActions(self, self, self.script_panel, self.files)
        self.step_control = StepControl(self, self.step_panel)
        self.step_control.again.connect(self.step_again)
        self.step_panel.interleaving.save_image.connect(
            lambda: self.files.save_widget_png(self.step_panel.interleaving, "interleaving"))
        self.lesson_keys = WindowKeys(self, (QKeySequence("Ctrl+Left"),
                                             QKeySequence("Ctrl+Right")))
        self.explore_control = ExploreControl(self, self.step_panel.explore_button,
                                              self.step_panel.outcomes)
        self.explore_control.replay.connect(self.step_again)
        self.step_panel.explore_button.clicked.connect(self.explore_schedules)
        self._again: list[int] | None = None  # a schedule to play once the run on screen ends
        for plot, name in self._plots():
            self.files.add_plot_menu(plot, name)
        self.timeline.span_clicked.connect(self._show_lines_of)
        self.timeline.nothing_clicked.connect(self.console.show_all)
        self.lessons.lesson_chosen.connect(self.show_lesson)
        self.params.value_changed.connect(self._param_changed)
        self.lessons.select(catalogue.lessons()[0].id)
        self.appearance = install_appearance(self, settings)
        self.python_choice = PythonChoice(self, self.lab_menu, self.quit_action, settings)
        self.python_choice.changed.connect(lambda _: self._show_interpreter())
        self.try_progress = try_progress.connect(self.recorded, self.lesson_text, self.tabs,
                                                 self.statusBar(), settings)
        self.lag.start()

    # -- assembly -------------------------------------------------------------------------------
    def _build_views(self) -> None:
        self.lessons = LessonList(catalogue.lessons())
        self.params = ParamPanel()
        self.timeline = TimelineView()
        self.cores = cores_view()
        self.measures = measures_view()
        self.lag_view = LagView()
        self.console = ConsoleView()
        self.result_card = ResultCard()
        self.tables = LiveTables()
        self.lesson_text = LessonTextView()
        self.compare = CompareView(self.history)
        self.code = CodeView()
        self.poke = PokePanel()
        self.step_panel = StepPanel()
        self.script_panel = ScriptPanel()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setContentsMargins(2, 2, 2, 2)
        self.summary.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # dim in any theme
        lessons_box = titled("Lessons", self.lessons)
        lessons_box.layout().addWidget(self.summary)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(lessons_box)
        left.addWidget(self.params)
        left.setSizes([300, 400])
        for view in (self.cores, self.measures, self.lag_view):
            # the strips share the timeline's time axis, drawn once under it: it saves room,
            # and an axis costs more to redraw on a pan than 20,000 bars
            view.plot.hideAxis("bottom")
        for view in (self.cores, self.measures, self.lag_view):
            view.plot.setXLink(self.timeline.plot)
            # panning any plot of the time axis stops the timeline following the live edge
            view.plot.getViewBox().sigRangeChangedManually.connect(self.timeline.stop_following)
        centre = QSplitter(Qt.Orientation.Vertical)
        timeline_box = titled("Timeline: what each thread and process is doing", self.timeline)
        timeline_box.setToolTip("Hover a bar for details; click it for its console lines. Drag "
                                "or scroll to pan and zoom time.")
        centre.addWidget(timeline_box)
        centre.addWidget(titled("CPU per core", self.cores, self.cores.legend))
        self.measures_box = titled("Measured", self.measures, self.measures.legend)
        centre.addWidget(self.measures_box)
        # the app's own responsiveness: folded but in the lesson about it
        self.lag_box = Fold("UI lag (the app's own responsiveness)", self.lag_view,
                            self.lag_view.legend, folded=True)
        self.lag_box.toggled.connect(self._lag_folded)
        centre.addWidget(self.lag_box)
        self.console_box = titled("Console", self.console)
        centre.addWidget(self.console_box)
        centre.setSizes([400, 100, 110, 80, 100])
        self.measures_box.hide()  # shown when a lesson measures something
        tabs = QTabWidget()
        for page, name in ((self.lesson_text, "lesson"), (self.code, "code"),
                           (self.tables, "live-table"), (self.compare, "compare"),
                           (self.poke, "poke"), (self.step_panel, "step"),
                           (self.script_panel, "script")):
            page.setObjectName(name)  # the name the current tab is remembered by
        tabs.addTab(self.lesson_text, "Lesson")
        tabs.addTab(self.code, "Code")
        tabs.addTab(self.tables, "Live table")
        tabs.addTab(self.compare, "Compare")
        tabs.addTab(self.poke, "Poke")
        tabs.addTab(self.step_panel, "Step")
        tabs.addTab(self.script_panel, "Script")
        tabs.setTabToolTip(1, "The code that runs: the lesson's own source")
        tabs.setTabToolTip(2, "Tables the lesson sends while it runs (newest values)")
        tabs.setTabToolTip(3, "This lesson's runs side by side, and its chart across runs")
        tabs.setTabToolTip(4, "Poke the window while the work runs: is it still answering?")
        tabs.setTabVisible(2, False)  # shown when a lesson sends a table
        tabs.setTabVisible(4, False)  # shown for the lesson about responsiveness
        tabs.setTabToolTip(5, "Step mode: you choose which thread runs next")
        tabs.setTabVisible(5, False)  # shown in step mode
        tabs.setTabToolTip(6, "Your own Python script, run here as it is: its threads and "
                              "processes drawn as a lesson's")
        self.tabs = tabs
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.result_card)
        right.addWidget(tabs)
        right.setSizes([190, 560])
        main = QSplitter(Qt.Orientation.Horizontal)
        for part in (left, centre, right):
            main.addWidget(part)
        # every lesson's title and parameters fit: the column keeps its width across lessons
        main.setSizes([max(LEFT_MIN_PX, self.lessons.ideal_width()), 660, 460])
        main.setStretchFactor(1, 1)
        self.setCentralWidget(main)
        # named, so the layout can be remembered between sessions
        self.splitters = {"main": main, "left": left, "centre": centre, "right": right}
        self.lag_label = QLabel()
        self.lag_label.setToolTip("How late the window's event loop serves a 10 ms timer: "
                                  "above 16 ms, animation stutters; above 100 ms, it feels stuck.")
        self.gil_label = QLabel()
        self.statusBar().addPermanentWidget(self.gil_label)
        self.statusBar().addPermanentWidget(self.lag_label)
        self._show_interpreter()

    def _build_actions(self) -> None:
        bar = QToolBar("Run")
        bar.setObjectName("run-toolbar")
        bar.setMovable(False)
        self.addToolBar(bar)
        self.run_action = window_action(self, "Run", QKeySequence("F5"), "Run the lesson",
                                        self._run_clicked)
        self.stop_action = window_action(self, "Stop", QKeySequence("Shift+F5"),
                                         "Stop the run: every thread and process of it ends",
                                         self.stop_run)
        self.stop_action.setEnabled(False)
        self.loop_action = window_action(
            self, "Loop", QKeySequence("Ctrl+L"), "Run the lesson round after round until Stop: "
            "change a live parameter (⚡) and compare the rounds that follow", self._loop_toggled)
        self.loop_action.setCheckable(True)
        self.step_action = window_action(
            self, "Step", QKeySequence("Ctrl+T"), "Step mode: the lesson's threads stop at each "
            "switch point, and you choose who goes on (keys 1-9)", lambda: None)
        self.step_action.setCheckable(True)
        self.step_action.toggled.connect(self._step_toggled)  # by a click, a key or by code
        self.quit_action = window_action(self, "Quit", QKeySequence("Ctrl+Q"),
                                         "Close the window; a run in progress is stopped first",
                                         self.close)
        menu = self.lab_menu = self.menuBar().addMenu("&Lab")
        for action in (self.run_action, self.stop_action, self.loop_action, self.step_action,
                       self.quit_action):
            menu.addAction(action)
        for action in (self.run_action, self.stop_action, self.loop_action, self.step_action):
            bar.addAction(action)
        bar.addSeparator()
        bar.addWidget(QLabel(" Back end: "))
        self.backend_box = QComboBox()
        self.backend_box.addItems(list(BACKENDS))
        self.backend_box.setToolTip("Where the lesson runs.\n" + "\n".join(BACKEND_HELP.values()))
        for i, name in enumerate(BACKENDS):
            self.backend_box.setItemData(i, BACKEND_HELP[name], Qt.ItemDataRole.ToolTipRole)
        bar.addWidget(self.backend_box)

    def _plots(self) -> list[tuple[Any, str]]:
        """The plots of the window and the names they are saved under."""
        return [(self.timeline.plot, "timeline"), (self.cores.plot, "CPU per core"),
                (self.measures.plot, "measures"), (self.lag_view.plot, "UI lag"),
                (self.compare.speedup.plot, "speedup chart"),
                (self.compare.race.plot, "race chart"),
                (self.compare.ways.plot, "UI lag per way chart")]

    # -- lessons and parameters -----------------------------------------------------------------
    def show_lesson(self, lesson_id: str) -> None:
        """Show a lesson's parameters, text and code (not while a run goes on)."""
        if self.running:
            return
        lesson = catalogue.get(lesson_id)
        self.lesson = lesson
        if self.run_lesson is not None and self.run_lesson.id != lesson.id:
            self._forget_run()
        self.params.show_lesson(lesson)
        self.lesson_keys.watch(self.params)
        self.summary.setText(lesson.summary)
        self.setWindowTitle(f"{lesson.title} · Concurrency Lab")
        self.lesson_text.show_lesson(lesson)
        self.code.show_lesson(lesson)
        self.result_card.show_waiting("Press Run (F5) to start the lesson.")
        self.compare.show_lesson(lesson)
        # a lesson chosen: F5 runs it, and what is in front is about it, not the last run
        if self.tabs.currentWidget() in (self.script_panel, self.compare, self.tables):
            self.tabs.setCurrentWidget(self.lesson_text)
        way = lesson.way_param()
        self.lag_box.set_folded(way is None)
        self.tabs.setTabVisible(self.tabs.indexOf(self.poke), way is not None)
        self.poke.set_missed_after(lesson.missed_after_ms)
        self.backend_box.setEnabled(way is None)
        if way is not None:
            if self.users_backend is None:  # the way shows in the box; the user's choice waits
                self.users_backend = self.backend_box.currentText()
            self.tabs.setCurrentWidget(self.poke)
            self._follow_way(self.params.values())
        elif self.users_backend is not None:
            self.backend_box.setCurrentText(self.users_backend)
            self.users_backend = None

    def _forget_run(self) -> None:
        """Another lesson is chosen: nothing of the last one's run stays on screen."""
        self.explore_control.stop(0)
        self.explore_control.bars.clear()
        self.step_control.forget()
        self._clear_views()
        self.session = self.opened = self.run_lesson = None
        self.setWindowTitle("Concurrency Lab")

    def select(self, lesson_id: str) -> None:
        """Select a lesson by id (as the user would in the list); KeyError names the known ones."""
        catalogue.get(lesson_id)  # "no lesson 'x' (known: ...)"
        self.lessons.select(lesson_id)

    def apply_assignments(self, assignments: list[str]) -> bool:
        """Set parameters from NAME=VALUE strings; a bad one is reported and nothing changes."""
        try:
            self.params.set_values(self.parse_assignments(assignments))
        except ParamError as exc:
            self.report_error(str(exc))
            return False
        return True

    def parse_assignments(self, assignments: list[str]) -> dict[str, Any]:
        """The parameters NAME=VALUE strings set for the lesson on screen (ParamError if bad)."""
        parsed = self.lesson.parse(assignments)
        names = {a.partition("=")[0].strip() for a in assignments}
        return {name: parsed[name] for name in names}

    @property
    def backend(self) -> str:
        """The back end the next run uses (a lesson of ways shows its way's)."""
        return self.backend_box.currentText()

    def set_backend(self, backend: str) -> None:
        """Choose the back end for the next run."""
        if backend not in BACKENDS:
            raise ParamError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
        self.backend_box.setCurrentText(backend)

    def report_error(self, message: str) -> None:
        """Tell the user what was wrong, without a crash."""
        self.statusBar().showMessage(message, 10_000)
        self.result_card.show_waiting(message)
        self.last_error = message

    def _param_changed(self, name: str, value: Any) -> None:
        if self.running and self.lesson.param(name).live:
            self._live_pending[name] = value
            if not self._live_timer.isActive():  # the first at once, the rest LIVE_CHANGE_MS on
                self._send_live_changes()
                self._live_timer.start()
        elif not self.running:
            self._follow_way({name: value})

    def _send_live_changes(self) -> None:
        """Send the run the newest value of each live parameter changed since the last send."""
        pending, self._live_pending = self._live_pending, {}
        if self.running:
            for name, value in pending.items():
                self.session.set_param(name, value)

    def _follow_way(self, values: dict[str, Any]) -> None:
        """A lesson of ways shows in the back-end box the back end its way runs on."""
        way = self.lesson.way_param()
        if way is not None and way.name in values:
            self.backend_box.setCurrentText(self.lesson.backend_of(values, ""))

    @property
    def current_tab(self) -> str:
        """The name of the tab in front (its page's object name)."""
        return self.tabs.currentWidget().objectName()

    @property
    def front_tab(self) -> str:
        """The title of the tab in front, as the learner reads it ("Step")."""
        return self.tabs.tabText(self.tabs.currentIndex())

    def show_tab(self, name: str) -> None:
        """Bring the tab of this name forward, if the lesson on screen shows it."""
        for index in range(self.tabs.count()):
            if self.tabs.widget(index).objectName() == name and self.tabs.isTabVisible(index):
                self.tabs.setCurrentIndex(index)

    @property
    def poking(self) -> bool:
        """True when the lesson on screen measures what the user feels (the Poke tab)."""
        return self.tabs.isTabVisible(self.tabs.indexOf(self.poke))

    def confirm_freeze(self) -> bool:
        """Warn before a run on the window's own thread; True to go on."""
        if not self.ask_before_freezing:
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, "The window will freeze",
                          f"The ui way runs the work on the window's own thread: the window "
                          f"will not answer (not even Stop) until it is done, at most "
                          f"{backends.UI_CAP_S:g} s.",
                          QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
                          self)
        again = QCheckBox("Do not ask again in this session")
        box.setCheckBox(again)
        if box.exec() != QMessageBox.StandardButton.Ok:
            return False
        self.ask_before_freezing = not again.isChecked()
        return True

    # -- running ----------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """True while a run goes on."""
        return self.session is not None and not self.session.done

    @property
    def stepping(self) -> bool:
        """True if the run on screen (going on or just over) is a stepped one."""
        return self.session is not None and self.session.run.stepper is not None

    def explore_schedules(self) -> None:
        """Run every schedule of the lesson with the panel's parameters (or stop doing so)."""
        if self.explore_control.busy:
            self.explore_control.stop(0)
            return
        try:
            params = self.params.values()
        except ParamError as exc:
            self.report_error(str(exc))
            return
        backend = self.lesson.backend_of(params, self.backend_box.currentText())
        if backend == "ui" or self.running:
            self.report_error("Explore runs the lesson on the thread or process back end, "
                              "with no other run going: choose one, or wait for the run to end.")
            return
        self.explore_control.start(self.lesson, params, backend)

    def _run_clicked(self) -> None:
        """Run (F5): the script when its tab is open, else the lesson."""
        if self.tabs.currentWidget() is self.script_panel:
            self.script_actions.run()
        else:
            self.start_run()

    def show_script_tab(self) -> None:
        """Bring the Script tab forward."""
        self.tabs.setCurrentWidget(self.script_panel)

    def run_script(self, path: str, args: list[str]) -> None:
        """Run a script of the learner's, traced, in a process of its own (see ScriptActions)."""
        if self.running:
            return
        clicked_at = time.perf_counter()
        self.explore_control.stop()
        run = ScriptRun(path, args, interactive=True)
        self.round_params = {"args": " ".join(args)}
        session = RunSession(run.lesson, {}, "process", self, run=run)
        self._show_session(session, run.lesson, clicked_at, f"Running {run.lesson.title}…")
        self.setWindowTitle(f"{run.lesson.title} · Concurrency Lab")
        self.session.start()

    def send_input(self, text: str) -> None:
        """A line for the running script's input() (nothing if no script runs)."""
        run = self.session.run if self.running else None
        if isinstance(run, ScriptRun):
            run.send_input(text)

    def step_again(self, schedule: list[int]) -> None:
        """Run the lesson anew in step mode, taking the schedule's steps first (Back, Replay)."""
        if self.running:  # this run ends first; _finished plays the schedule
            self._again = schedule
            self.stop_run()
            return
        self.step_action.setChecked(True)
        self.start_run(schedule)

    def start_run(self, schedule: list[int] | None = None) -> None:
        """Run the selected lesson with the panel's parameters on the chosen back end.

        In step mode `schedule`'s steps are taken first (a replay); then the learner chooses.
        """
        if self.running:
            return
        clicked_at = time.perf_counter()
        self.explore_control.stop()  # one or the other: both would share the cores
        try:
            params = self.params.values()
        except ParamError as exc:
            self.report_error(str(exc))
            return
        loop = self.loop_action.isChecked()
        backend = self.lesson.backend_of(params, self.backend_box.currentText())
        self.backend_box.setCurrentText(backend)
        if loop and backend == "ui":
            self.report_error("Loop needs the thread or process back end: on the ui back end "
                              "the window would stay frozen.")
            return
        if loop and self.lesson.way_param() is not None:
            self.report_error("Loop is not for this lesson: it measures the window during one "
                              "run of each way.")
            return
        stepping = self.step_action.isChecked()
        if stepping and (backend == "ui" or loop):
            self.report_error("Step mode runs once, on the thread or process back end: choose "
                              "one of them and turn Loop off.")
            return
        if backend == "ui" and not self.confirm_freeze():
            return
        if backend == "process" and not self._has_what_it_needs():
            return
        self.round_params = dict(params)
        stepper = Stepper() if stepping else None
        session = RunSession(self.lesson, params, backend, self, loop, stepper,
                             python=self.python if backend == "process" else None)
        self._show_session(session, self.lesson, clicked_at,
                           "Running round after round until Stop…" if loop else "Running…")
        if self.poking:
            self.poke.start()
        if stepper is not None:
            self.step_control.begin(stepper, schedule)
            self.tabs.setCurrentWidget(self.step_panel)
            clear_field_focus()  # the number keys choose threads, not digits of a field
        self.session.start()

    def _has_what_it_needs(self) -> bool:
        """False (said in one line) if the Python chosen for processes lacks a lesson package."""
        python = self.python
        lacking = interpreters.missing(python, self.lesson.needs) if python else []
        if lacking:
            self.report_error(f"{self.lesson.title} needs {', '.join(lacking)}, which the Python "
                              f"chosen for processes ({python.label}) lacks: switch back to the "
                              "lab's Python (Lab → Python for processes…).")
        return not lacking

    def _show_session(self, session: RunSession, lesson: Lesson, clicked_at: float,
                      waiting: str) -> None:
        """Empty the views for a new run and follow its session (the caller starts it)."""
        self._clear_views()
        self.result_card.show_waiting(waiting)
        self.opened = None
        self.run_lesson = lesson
        self.session = session
        session.updated.connect(self._redraw)
        session.finished.connect(self._finished)
        session.round_finished.connect(self._round_finished)
        self._set_running(True)
        self._paint_before_start()
        self.run_started_at = self.round_started_at = time.perf_counter()
        self.start_cost_ms = (self.run_started_at - clicked_at) * 1000
        self.lag.rearm()

    def _paint_before_start(self) -> None:
        """Lay out and paint the emptied window now, before the lesson's threads start.

        Left to the event loop, Qt paints each pyqtgraph item and Python widget by calling back
        into Python, and with a CPU-bound lesson thread already running every callback waits for
        the GIL (up to a switch interval each), so the run's first frame lags. Here this thread
        holds the GIL throughout.
        """
        # What was let go (an earlier run's session and items) is deleted now, not mid-run.
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.sendPostedEvents()  # layouts and queued calls, which post the repaints
        QApplication.sendPostedEvents()  # the repaints, of what changed only

    def stop_run(self) -> None:
        """Stop the current run."""
        if self.running:
            self.statusBar().showMessage("Stopping…", 2000)
            self.session.stop()

    def _frame(self, phase: int) -> None:
        """One probe's share of a frame: take in the events, or draw a later part of them."""
        with frame():  # also pays a whole repaint owed by an earlier one, running or not
            if not self.running:
                return
            if phase == 0:
                self.session.tick()  # draws the first part through _redraw
            else:
                self._draw(self.session.data, self.session.elapsed_s(), LIVE_PARTS[phase])
            self.step_control.tick()  # at every probe: a step's answer shows within 10 ms

    def _set_running(self, running: bool) -> None:
        self.run_action.setEnabled(not running)
        self.stop_action.setEnabled(running)
        self.backend_box.setEnabled(not running and self.lesson.way_param() is None)
        self.loop_action.setEnabled(not running)
        self.step_action.setEnabled(not running)
        self.lessons.setEnabled(not running)
        self.params.set_running(running)
        self.script_panel.set_running(running and isinstance(self.session.run, ScriptRun))

    def _clear_views(self) -> None:
        # one paint of the emptied views by the event loop, not one per view and range change
        centre = self.splitters["centre"]
        centre.setUpdatesEnabled(False)
        for view in (self.timeline, self.cores, self.measures, self.tables, self.lag_view):
            view.clear()
        if not self.measures_box.isHidden():  # its room back to the console it came from
            fold_away(centre, centre.indexOf(self.measures_box), centre.indexOf(self.console_box))
        centre.setUpdatesEnabled(True)
        self.tabs.setTabVisible(self.tabs.indexOf(self.tables), False)
        self.console.clear_run()

    def _redraw(self) -> None:
        """Draw what the session just took in: the live part of a frame, or all at the end."""
        parts = EVERY_PART if self.session.done else LIVE_PARTS[0]
        self._draw(self.session.data, self.session.elapsed_s(), parts)

    def _draw(self, data: RunData, now_s: float, parts: tuple[str, ...] = EVERY_PART) -> None:
        """Bring the named views up to date with the data (all of them unless told)."""
        steps = {"timeline": lambda: self.timeline.refresh(data, now_s),
                 "cores": lambda: self.cores.refresh(data),
                 "measures": lambda: self._draw_measures(data),
                 "lag": lambda: self.lag_view.refresh(data),
                 "tables": lambda: self._draw_tables(data),
                 "console": lambda: self.console.refresh(data)}
        for part in parts:
            steps[part]()

    def _lag_folded(self, folded: bool) -> None:
        """Unfolded, the UI-lag strip gets its room back, from the console first."""
        if not folded:
            centre = self.splitters["centre"]
            give_room(centre, centre.indexOf(self.lag_box), LAG_HEIGHT,
                      donor=centre.indexOf(self.console_box))

    def _draw_measures(self, data: RunData) -> None:
        self.measures.refresh(data)
        if self.measures.has_data and self.measures_box.isHidden():
            self.measures_box.show()
            centre = self.splitters["centre"]
            give_room(centre, centre.indexOf(self.measures_box), MEASURES_HEIGHT,
                      donor=centre.indexOf(self.console_box))

    def _draw_tables(self, data: RunData) -> None:
        self.tables.refresh(data)
        tab = self.tabs.indexOf(self.tables)
        if self.tables.count() and not self.tabs.isTabVisible(tab):
            self.tabs.setTabVisible(tab, True)
            if not self.stepping:  # step mode's story stays in front
                self.tabs.setCurrentIndex(tab)  # the lesson's live table, as soon as it has one

    def _step_toggled(self, on: bool) -> None:
        self.step_control.arm(on)
        tab = self.tabs.indexOf(self.step_panel)
        self.tabs.setTabVisible(tab, on)
        if on:
            self.tabs.setCurrentIndex(tab)
        self.statusBar().showMessage(
            "Step on: Run starts the lesson with its threads waiting at their switch points; "
            "you choose who goes on." if on else "Step off: the threads run freely.", 5000)

    def _loop_toggled(self, on: bool) -> None:
        self.statusBar().showMessage(
            "Loop on: Run repeats the lesson until Stop; live changes apply from the next round."
            if on else "Loop off: Run runs the lesson once.", 5000)

    def _round_finished(self, result: Result) -> None:
        """One round of a loop is over: its result goes on the card, in the history, the chart."""
        now = time.perf_counter()
        wall_s, self.round_started_at = now - self.round_started_at, now
        self.last_round = (result, wall_s)
        number = result.values.get("round", len(self.session.rounds))
        self.result_card.show_result(self.run_lesson, result, wall_s, f"Round {number}")
        self._record(result, wall_s, first=len(self.session.rounds) == 1)
        self.round_params = dict(self.session.run.params)  # the next round starts with these
        self.statusBar().showMessage(f"Round {number} finished in {wall_s:.2f} s", 3000)

    def _record(self, result: Result, wall_s: float, first: bool = True) -> None:
        """Add a run (or a round) to the history and bring its chart forward the first time."""
        # the values the run (or round) started with: a change mid-way counts from the next one
        record = self.history.add(self.run_lesson.id, self.session.data.backend, self.round_params,
                                  result.values, result.error, result.stopped, wall_s)
        self.recorded.emit(self.run_lesson, record)
        # the lesson's point across runs; a stepped run's story stays in front (Compare follows)
        if self.compare.show_lesson(self.run_lesson) and first and not self.stepping:
            self.tabs.setCurrentWidget(self.compare)

    def _finished(self, result: Result) -> None:
        self.run_ended_at = time.perf_counter()
        self.step_control.end("Stopped." if result.stopped else "")
        wall_s = self.run_ended_at - self.run_started_at
        self.last_wall_s = wall_s
        self._set_running(False)
        self.timeline.fit(max(self.session.data.latest_s, 0.01))
        self.lag_view.refresh(self.session.data, force=True)
        if self.poking:
            result = self.session.data.result = self._with_what_was_felt(result)
        rounds = len(self.session.rounds)
        if rounds and result.stopped:  # a loop's normal end: its rounds are recorded already
            last, last_wall = self.last_round
            self.result_card.show_result(self.run_lesson, last, last_wall,
                                         f"Round {rounds} (the last complete one)")
            self.statusBar().showMessage(f"Loop stopped after {rounds} rounds, {wall_s:.1f} s",
                                         8000)
        else:
            self.result_card.show_result(self.run_lesson, result, wall_s)
            self.statusBar().showMessage(f"Run finished in {wall_s:.2f} s", 5000)
            self._record(result, wall_s)
        self.run_finished.emit(result)
        if self._again is not None:  # Back or Replay pressed during the run: play it now
            schedule, self._again = self._again, None
            QTimer.singleShot(0, lambda: self.step_again(schedule))

    def _with_what_was_felt(self, result: Result) -> Result:
        """The result plus the window's lag during the run and the clicks it answered late."""
        felt = self.poke.finish()
        if result.error:
            return result
        lag = self.lag.stats(self.run_started_at, self.run_ended_at)
        felt.update({f"ui_lag_{key}_ms": lag[key] for key in ("p50", "p99", "max")})
        return result._replace(values={**result.values, **felt})

    # -- the run on screen, live or opened from a file ------------------------------------------
    @property
    def shown_data(self) -> RunData | None:
        """The data of the run on screen: an opened file's, or the last run's."""
        if self.opened is not None:
            return self.opened[0]
        return self.session.data if self.session is not None else None

    @property
    def shown_meta(self) -> dict[str, Any]:
        """What a saved file says about the run on screen besides its events."""
        if self.opened is not None:
            return self.opened[1]
        session = self.session
        return {"lesson": self.run_lesson.id, "backend": session.data.backend,
                "params": session.run.params, "wall_s": self.last_wall_s,
                "python": self._run_python(session), "cores": os.cpu_count()}

    def _run_python(self, session: RunSession) -> str:
        """Which Python the run on screen ran on, as its result says (or the window's)."""
        result = session.data.result
        said = result.values.get("python") if result is not None else None
        return str(said) if said else platform.python_version()

    def show_saved_run(self, data: RunData, meta: dict[str, Any], name: str) -> None:
        """Draw a run read from a file, as it was drawn when it ran."""
        if self.running:
            return
        lesson_id = meta.get("lesson", "")
        if lesson_id in catalogue.ids():
            self.select(lesson_id)
        self._clear_views()
        self.opened = (data, meta)
        self._draw(data, data.latest_s)
        self.timeline.fit(max(data.latest_s, 0.01))
        if data.result is not None and lesson_id in catalogue.ids():
            self.result_card.show_result(catalogue.get(lesson_id), data.result,
                                         float(meta.get("wall_s") or data.latest_s))
        self.setWindowTitle(f"{name} (saved run) · Concurrency Lab")
        self.statusBar().showMessage(f"Opened {name}", 8000)

    def _show_lines_of(self, row: Any, start: float, end: float, what: str) -> None:
        data = self.shown_data
        if data is None:
            return
        slack = 1e-6 if start == end else 0.0  # a tick: the line printed at that moment
        lines = data.lines_of(row, start - slack, end + slack)
        self.console.show_only(data, lines, f"{row.name}: {what}, {start:.3f}–{end:.3f} s")

    @property
    def python(self) -> Interpreter | None:
        """The Python of the process back end's lesson process (None: the lab's own)."""
        choice = getattr(self, "python_choice", None)
        return choice.chosen if choice is not None else None

    def _show_interpreter(self) -> None:
        interval_ms = sys.getswitchinterval() * 1000
        other = f" · processes on {self.python.label}" if self.python is not None else ""
        self.gil_label.setText(f"Python {platform.python_version()} · GIL switch "
                               f"{interval_ms:g} ms{other}")
        self.gil_label.setToolTip(
            "How long a thread may hold the GIL while another waits for it. Python's default is "
            "5 ms; the app uses less so the window stays responsive while a lesson's threads "
            "compute (start it with --switch-interval-ms 5 to see the difference).")

    def _show_lag(self, lag_ms: float) -> None:
        if self.running:
            data = self.session.data
            data.add_lag(data.seconds(int(self.lag.times[-1] * 1e9)), lag_ms)
        if len(self.lag.lags) % 25:
            return  # refresh the readout a few times a second, not at every probe
        stats = self.lag.stats(since=time.perf_counter() - 2.0)
        self.lag_label.setText(f"UI lag p99 {stats['p99']:.1f} ms · max {stats['max']:.1f} ms")

    # -- the window on the screen ---------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """The first time it is shown, the window fits the screen's work area."""
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            fit(self)

    # -- closing ----------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """End any run and every timer (used on close)."""
        self._live_timer.stop()
        self.lag.stop()
        self.poke.clicker.stop()
        self.explore_control.stop()
        if self.session is not None:
            self.session.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Closing asks about an unsaved script, then stops a run; nothing of it is left behind."""
        if not self.script_actions.may_replace():
            event.ignore()  # the learner kept the script's changes: the window stays
            return
        self.shutdown()
        event.accept()
