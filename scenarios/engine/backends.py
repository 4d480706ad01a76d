"""The three back ends a lesson runs on: a worker thread, a spawned process, the calling thread."""

from __future__ import annotations

import contextlib
import importlib
import itertools
import threading
from collections.abc import Callable, Mapping
from typing import Any

from scenarios.engine import interpreters, probe
from scenarios.engine.events import (
    Event,
    Explained,
    Line,
    Mark,
    Result,
    Worker,
    change_label,
    current_worker,
    now_ns,
)
from scenarios.engine.gate import Gate
from scenarios.engine.interpreters import Interpreter, this_python
from scenarios.engine.lab import POLL_S
from scenarios.engine.sink import BatchingSink, Collector, QueueDrainer
from scenarios.engine.spawning import (
    STOP_GRACE_S,
    Joinable,
    below_the_window,
    ended_how,
    leave_queue,
    spawn_context,
)
from scenarios.engine.stop import StopToken
from scenarios.model.lesson import Lesson
from scenarios.model.words import key_words, value_text

BACKENDS = ("thread", "process", "ui")
# The ui back end blocks the window on purpose; this cap keeps the freeze a short lesson.
UI_CAP_S = 5.0


ThreadFactory = Callable[[Callable[[], None]], Joinable]


def execute(lesson: Lesson, params: Mapping[str, Any], lab: probe.Lab, loop: bool = False) -> None:
    """Run a lesson with a lab and emit its Result (errors become a message, never a crash).

    In a loop the lesson runs round after round, each with the live parameters of its start, and
    each complete round emits its own Result (values plus "round"); Stop or an error ends the
    loop with a last, stopped or failed, Result.
    """
    probe.install(lab)
    lab.main_worker = current_worker()
    if lab.stepper is not None:
        lab.stepper.enter_main()
    try:
        for number in itertools.count(1):
            if loop:
                lab.mark(f"round {number}")
            result = _one_round(lesson, params, lab)
            if not loop or result.error or result.stopped:
                lab.emit(result)
                return
            lab.emit(result._replace(values={"round": number, **result.values}))
            lab.emit(lab_line(f"round {number}: {_brief(result.values, lesson.result_keys)}"))
    finally:
        if lab.stepper is not None:
            lab.stepper.leave()
        probe.install(None)


def _one_round(lesson: Lesson, params: Mapping[str, Any], lab: probe.Lab) -> Result:
    values: dict[str, Any] = {}
    error: str | None = None
    stopped = False
    try:
        values = lesson.run(lab, params) or {}
        if values:  # every result says where it ran
            values["python"] = this_python().label
    except probe.StopRun as stop:
        stopped = True
        values = dict(stop.values)  # what the lesson counted before Stop, if it says
    except Exception as exc:  # a lesson that raises is reported, not fatal
        lab.report_exception(exc)
        error = str(exc) if isinstance(exc, Explained) else f"{type(exc).__name__}: {exc}"
    finally:
        lab.end_processes()
        lab.flush_thread()
        # a loop's next round starts afresh: ended processes would otherwise keep their pipes
        # open (three descriptors each) for as long as the loop runs
        lab.processes.clear()
        lab.locks.clear()
    return Result(now_ns(), values, error, stopped or lab.stopped)


def _brief(values: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    """A round's result in one console line, in words: 'expected 4,000, lost updates 1,203'."""
    shown = [k for k in keys if k in values] or list(values)[:3]
    return ", ".join(f"{key_words(k)} {value_text(values[k], k)}" for k in shown)


def change_words(lesson: Lesson, name: str, old: Any, new: Any) -> str:
    """A live change as the panel says it: 'Use a lock: no → yes', 'Race window: 0 → 2 ms'."""
    param = lesson.param(name)
    unit = f" {param.unit}" if param.unit else ""
    return change_label(param.title, value_text(old, name), value_text(new, name) + unit)


def change_mark(lab: probe.Lab, words: str) -> Mark:
    """The tick on the lesson's main row where a live parameter changed (change_words)."""
    worker = lab.main_worker or current_worker()
    return Mark(worker, now_ns(), words)


def lab_line(text: str) -> Line:
    """A line of the lab's own in the console (not any thread's)."""
    return Line(Worker(0, 0, "lab"), now_ns(), text, "lab")


class Run:
    """One run of a lesson: start it, stop it, change live parameters, collect its events."""

    backend = "thread"

    def __init__(self, lesson: Lesson, params: Mapping[str, Any], loop: bool = False) -> None:
        self.lesson = lesson
        self.params = self.lesson.resolve(params)
        self.live: dict[str, Any] = dict(self.params)  # what the lesson reads, changed live
        self.loop = loop  # round after round until Stop
        self.lab: probe.Lab | None = None  # the lab of an in-process run, once it runs
        self.collector = Collector()
        self.ctx = spawn_context()
        self.stop_token = StopToken()
        self.t0 = 0
        self._queue: Any = None
        self._drainer: QueueDrainer | None = None
        self._ended = threading.Event()
        self.stepper: Any = None  # step mode's scheduler (stepping.Stepper); set before start

    # -- shared machinery ---------------------------------------------------------------------
    def _open_channel(self) -> probe.ChildProbe:
        self._queue = self.ctx.Queue()
        self._drainer = QueueDrainer(self._queue, self.collector)
        gate = None
        if self.stepper is not None:  # step mode reaches into every process of the run
            gate = Gate(self.ctx)
            self.stepper.listen(gate)
        return probe.ChildProbe(self._queue, self.stop_token, self.t0, self.child_module, gate)

    @property
    def child_module(self) -> str | None:
        """The module a child process imports first: the lesson's (its tasks are defined there)."""
        return self.lesson.run.__module__

    def _lab(self, sink: BatchingSink) -> probe.Lab:
        """A lab in this process; the channel for child processes opens only if one is made."""
        self.lab = probe.Lab(sink.emit, self.stop_token, self.live, self.t0, self._open_channel,
                             sink.flush)
        self.lab.stepper = self.stepper
        return self.lab

    def _close_channel(self) -> None:
        if self.stepper is not None:
            self.stepper.hang_up()
        if self._drainer:
            self._drainer.stop()
        if self._queue is not None:
            # Never wait on the queue's feeder: a child killed mid-write can leave the queue's
            # shared write lock taken, and joining would then hang the app.
            self._queue.cancel_join_thread()
            self._queue.close()
        # Let go of the queue now, not when the run object goes: each holds named semaphores
        # in /dev/shm (spawn unlinks them only when they are collected).
        self._queue = self._drainer = None

    def start(self) -> None:
        """Begin the run; events start arriving in `collector`."""
        self.t0 = now_ns()
        if self.stepper is not None:
            self.collector.on_result = self._with_schedule

    def _with_schedule(self, result: Result) -> Result:
        """Step mode: the result says the schedule the learner played ("1 2 1 2")."""
        if not result.values:
            return result
        stepped = {"schedule": " ".join(map(str, self.stepper.schedule()))}
        if self.stepper.found_deadlock:  # a deadlocked run is stopped: its values say why
            stepped["step_deadlock"] = self.stepper.found_deadlock
        return result._replace(values={**result.values, **stepped})

    def stop(self) -> None:
        """Ask the lesson to stop: wakes every lab sleep and lock wait, and every parked thread."""
        self.stop_token.set()
        if self.stepper is not None:
            self.stepper.stop()

    def set_param(self, name: str, value: Any) -> None:
        """Change a live parameter mid-run; the lesson sees it at its next iteration."""
        param = self.lesson.param(name)
        if not param.live:
            raise ValueError(f"{name} cannot be changed while the lesson runs")
        value = param.validate(value)
        old = self.params[name]
        if value == old:
            return  # nothing changed: nothing to tell the lesson, log or mark
        self._apply_param(name, value)
        self.params[name] = value
        self.collector.put_batch([lab_line(change_words(self.lesson, name, old, value))])

    def _apply_param(self, name: str, value: Any) -> None:
        old = self.live[name]
        self.live[name] = value
        if self.lab is not None:  # the tick on the main row; a child process makes its own
            self.collector.put_batch(
                [change_mark(self.lab, change_words(self.lesson, name, old, value))])

    @property
    def finished(self) -> bool:
        """True once the lesson and everything it started have ended."""
        return self._ended.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the end of the run; True if it ended."""
        return self._ended.wait(timeout)

    def close(self) -> None:
        """Stop the run and wait until nothing of it is left (used on window close)."""
        self.stop()
        if not self.t0:
            return  # never started: nothing to wait for
        self.wait(STOP_GRACE_S * 3)


class ThreadRun(Run):
    """The lesson runs on a worker thread in this process (the window's QThread, or a plain one)."""

    backend = "thread"

    def __init__(self, lesson: Lesson, params: Mapping[str, Any],
                 thread_factory: ThreadFactory | None = None, loop: bool = False) -> None:
        super().__init__(lesson, params, loop)
        self._factory = thread_factory or _plain_thread
        self._thread: Joinable | None = None

    def start(self) -> None:
        """Start the lesson on its worker thread."""
        super().start()
        self._thread = self._factory(self._body)
        self._thread.start()

    def _body(self) -> None:
        me = threading.current_thread()
        old_name, me.name = me.name, "main"
        sink = BatchingSink(self.collector.put_batch)
        try:
            execute(self.lesson, self.live, self._lab(sink), self.loop)
        finally:
            sink.close()
            self._close_channel()
            me.name = old_name
            self._ended.set()


def _plain_thread(target: Callable[[], None]) -> Joinable:
    return threading.Thread(target=target, name="lesson-runner", daemon=True)


class ProcessRun(Run):
    """The lesson runs in a spawned child process; its events come back over a queue."""

    backend = "process"

    def __init__(self, lesson: Lesson, params: Mapping[str, Any], loop: bool = False,
                 python: Interpreter | None = None) -> None:
        """`python`: the Python the lesson's process runs on (by default this one)."""
        super().__init__(lesson, params, loop)
        self.python = python
        self._control: Any = None
        self._process: Any = None
        self._pid: int | None = None
        self._spawned = threading.Event()
        self.exitcode: int | None = None

    def start(self) -> None:
        """Spawn the child and watch it, from a helper thread (spawning takes tens of ms)."""
        super().start()
        child = self._open_channel()
        self._control = self.ctx.Queue()
        target, args = self._process_target(child)
        self._process = self.ctx.Process(target=target, name="main", args=args)
        threading.Thread(target=self._watch, name="lab-watcher", daemon=True).start()

    def _process_target(self, child: probe.ChildProbe) -> tuple[Callable[..., None], tuple]:
        """What the child process runs: the lesson, with its channel and control queue."""
        return _child_main, (self.lesson.run.__module__, self.params, child, self._control,
                             self.loop)

    @property
    def pid(self) -> int | None:
        """The child's process id (waits briefly for the spawn)."""
        self._spawned.wait(5)
        return self._pid

    def _apply_param(self, name: str, value: Any) -> None:
        if self._control is None or self.finished:
            return  # not started (start sends self.params) or over: nothing to tell the child
        with contextlib.suppress(ValueError, OSError):  # closed as the run ended just now
            self._control.put((name, value))

    def _watch(self) -> None:
        process = self._process
        try:
            interpreters.start(process, self.python)
        except Exception as exc:  # e.g. no resources to start a process: report, do not hang
            self._spawned.set()
            self._close_channel()
            why = f"could not start the lesson's process: {type(exc).__name__}: {exc}"
            self.collector.put_batch([lab_line(why), Result(now_ns(), {}, why, False)])
            self._ended.set()
            return
        self._pid = process.pid
        self._spawned.set()
        while process.is_alive():
            process.join(POLL_S)
            if self.stop_token.is_set():
                process.join(STOP_GRACE_S)
                break
        family = _descendants(process.pid)
        if process.is_alive():
            process.terminate()
            process.join(0.5)
        if process.is_alive():
            process.kill()
            process.join()
        _kill_all(family)
        self.exitcode = process.exitcode
        self._close_channel()
        if process.exitcode != 0:
            self.collector.put_batch(self._abnormal_end(process.exitcode))
        elif not self.collector.results:  # its last events could not be sent (see _leave)
            self.collector.put_batch(self._abnormal_end(None))
        self._control.close()
        self._control.cancel_join_thread()
        self._control = self._process = None  # their semaphores go with them (see _close_channel)
        self._ended.set()

    def _abnormal_end(self, code: int | None) -> list[Event]:
        stopped = self.stop_token.is_set()
        if stopped:
            why = "stopped"
        elif code is None:
            why = "the lesson's process ended before it could send its result"
        else:
            why = f"the lesson's process {ended_how(code)}"
        return [lab_line(why), Result(now_ns(), {}, None if stopped else why, stopped)]


def _descendants(pid: int) -> list[Any]:
    """The processes a lesson's process started (psutil.Process each): the window's side only."""
    import psutil  # not at the top: a lesson's process on another Python may not have it

    with contextlib.suppress(psutil.Error):
        return psutil.Process(pid).children(recursive=True)
    return []


def _kill_all(processes: list[Any]) -> None:
    import psutil

    for proc in processes:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(processes, timeout=1)


def _child_main(module: str, params: dict[str, Any], child: probe.ChildProbe,
                control: Any, loop: bool = False) -> None:
    """Entry point of the lesson's process: run the LESSON of `module`, sending its events back."""
    lesson = importlib.import_module(module).LESSON
    live = dict(params)
    below_the_window()
    lab, sink = child.open(live)
    threading.Thread(target=_follow_control, args=(control, live, lab, lesson),
                     name="lab-control", daemon=True).start()
    try:
        execute(lesson, live, lab, loop)
    finally:
        sink.close()
        leave_queue(child.queue)


def _follow_control(control: Any, live: dict[str, Any], lab: probe.Lab, lesson: Lesson) -> None:
    while True:
        try:
            name, value = control.get()
        except (EOFError, OSError, ValueError, TypeError):
            return
        old, live[name] = live.get(name), value
        lab.emit(change_mark(lab, change_words(lesson, name, old, value)))
        lab.flush()


class UiRun(Run):
    """The lesson runs on the calling (GUI) thread on purpose, to show a frozen window."""

    backend = "ui"

    def __init__(self, lesson: Lesson, params: Mapping[str, Any]) -> None:
        super().__init__(lesson, params)  # never a loop: the window would stay frozen

    def start(self) -> None:
        """Run the lesson to its end right here (capped at UI_CAP_S), then return."""
        super().start()
        cap = threading.Timer(UI_CAP_S, self.stop_token.set)
        cap.start()
        sink = BatchingSink(self.collector.put_batch)
        try:
            execute(self.lesson, self.live, self._lab(sink), self.loop)
        finally:
            cap.cancel()
            sink.close()
            self._close_channel()
            self._ended.set()


def make_run(lesson: Lesson, params: Mapping[str, Any], backend: str,
             thread_factory: ThreadFactory | None = None, loop: bool = False,
             python: Interpreter | None = None) -> Run:
    """A run of the lesson on the named back end (not started yet); `loop` repeats it.

    `python`: another Python for the process back end's lesson process.
    """
    if backend == "thread":
        return ThreadRun(lesson, params, thread_factory, loop)
    if backend == "process":
        return ProcessRun(lesson, params, loop, python)
    if backend == "ui":
        if loop:
            raise ValueError("the ui back end cannot loop: the window would stay frozen")
        return UiRun(lesson, params)
    raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")


def result_of(events: list[Event]) -> Result | None:
    """The last Result among the events, if any."""
    for event in reversed(events):
        if isinstance(event, Result):
            return event
    return None
