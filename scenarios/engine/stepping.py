"""Step mode: a lesson's threads run one at a time, each from one switch point to its next.

The threads are real; only their turns are chosen. A thread that reaches a switch point
(`lab.point`, or the implicit one before a lab lock is taken) parks there until it is chosen; the
lesson's main thread runs freely between its waits (a join). Once every thread is parked, waiting
or finished, the run is *settled* and the next step can be chosen: by the learner, by a schedule
("1,2,1,2": which thread takes each step), or by the rule that ends every schedule: the
lowest-numbered thread that can run. Only one thread runs at a time, so a schedule always means
one outcome.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from scenarios.engine import gate as gates
from scenarios.engine.lab import StopRun, read_values, said

RUNNING, PARKED, WAITING, DONE = "running", "parked", "waiting", "done"
# How often a parked thread looks at Stop, and how long a step may run before it is given up.
POLL_S = 0.05
SETTLE_TIMEOUT_S = 10.0


class ScheduleError(ValueError):
    """A step that cannot be taken: the thread is unknown, finished, or cannot run yet."""


@dataclass
class Part:
    """One thread of the lesson as the scheduler sees it."""

    number: int  # 1, 2, ... in the order the threads were started; 0 is the lesson's main thread
    name: str
    state: str = RUNNING
    point: str = ""  # the switch point it is parked at, or what it waits for
    values: dict[str, Any] = field(default_factory=dict)  # what it holds there ("x": 5)
    needs: Any = None  # the lab lock it takes when it goes on (None if none)
    ready: Callable[[], bool] | None = None  # while waiting: True once the wait is over
    key: int = 0  # a thread in another process: its gate key (0 for one in this process)
    process: bool = False  # a lab.Process (its name gets its pid once it reports)

    def blocked_by(self) -> str | None:
        """Why it cannot be chosen now (None if it can)."""
        if self.state == DONE:
            return f"{self.name} has finished"
        if self.state != PARKED:
            return f"{self.name} is waiting ({self.point})" if self.point else \
                f"{self.name} is not at a switch point"
        owner = getattr(self.needs, "owner", None)
        if owner is not None:
            return f"{self.name} waits for {self.needs.name}, held by {owner.name}"
        return None

    def holds(self) -> dict[str, Any]:
        """What it holds at its point now (a value given as a function is read now)."""
        return read_values(self.values)

    def label(self) -> str:
        """The next step, as a button says it: 'Thread 2 → write x = 5'."""
        shown = said(self.values)
        return f"{self.name} → {self.point}" + (f" {shown}" if shown else "")


@dataclass(frozen=True)
class Step:
    """A step taken: which thread went on, from which point, holding what."""

    number: int
    name: str
    point: str
    values: dict[str, Any]
    shared: dict[str, Any] = field(default_factory=dict)  # the shared state as it was taken

    def describe(self) -> str:
        """The step in words: 'Thread 2: read x (x = 0)'."""
        shown = said(self.values)
        return f"{self.name}: {self.point}" + (f" ({shown})" if shown else "")

    def to_json(self) -> dict[str, Any]:
        """The step as the CLI prints it."""
        return {"thread": self.number, "name": self.name, "point": self.point,
                "values": self.values}


@dataclass
class RemoteLock:
    """A lab lock in another process, as the scheduler tracks it: its name, and who holds it."""

    name: str
    owner: Part | None = None


class Stepper:
    """The scheduler of step mode: parks the lesson's threads at points, lets one go at a time.

    Threads of this process park here; threads and processes elsewhere park through a gate
    (gate.GateClient), and the relay passes what they report to `apply`.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._parts: dict[Any, Part] = {}  # by thread here, by gate key elsewhere
        self._go: Part | None = None
        self._stopped = False
        self._entered = False  # the lesson's main thread has started
        self._locks: dict[Any, Any] = {}  # every lab lock a thread has waited to take
        self._count = itertools.count(1)
        self._gate: gates.Gate | None = None
        self._relay: gates.Relay | None = None
        self._shared: dict[str, Any] = {}  # the lesson's shared state, named in this process
        self._remote_shared: dict[str, Any] = {}  # ... and as other processes last read it
        self.steps: list[Step] = []
        self.found_deadlock: str | None = None  # the last deadlock deadlock() found, kept

    # -- the lesson's side ----------------------------------------------------------------------
    def enter_main(self) -> None:
        """The calling thread is the lesson's main thread (number 0: never chosen, never parked)."""
        with self._cond:
            self._parts[threading.current_thread()] = Part(0, "main")
            self._entered = True
            self._cond.notify_all()

    def add(self, thread: threading.Thread) -> None:
        """A lesson thread about to start: it runs to its first point, then waits to be chosen."""
        with self._cond:
            self._parts[thread] = Part(self._next_number(), thread.name)

    def _next_number(self) -> int:
        return sum(1 for part in self._parts.values() if part.number) + 1

    def new_key(self) -> int:
        """A key for a process this one is about to start (see add_process)."""
        return gates.new_key(self._count)

    def add_process(self, key: int, name: str) -> None:
        """A lesson process about to start under `key`: numbered now, it reports through a gate."""
        with self._cond:
            self._parts[key] = Part(self._next_number(), name, key=key, process=True)

    def listen(self, gate: gates.Gate) -> None:
        """Take in what the threads of other processes report through `gate`, from now on."""
        self._gate = gate
        self._relay = gates.Relay(gate, self.apply)

    def hang_up(self) -> None:
        """The run is over: take in what is left, then stop listening."""
        if self._relay is not None:
            self._relay.hang_up()
            self._relay = None

    def point(self, label: str, values: dict[str, Any], needs: Any = None,
              check: Callable[[], None] = lambda: None) -> bool:
        """Park the calling thread at a switch point until it is chosen; False if not stepped.

        `check` raises to end the wait (the lab's Stop).
        """
        part = self._parts.get(threading.current_thread())
        if part is None or part.number == 0:
            return False
        with self._cond:
            part.state, part.point, part.values, part.needs = PARKED, label, values, needs
            if needs is not None:
                self._locks[id(needs)] = needs
            self._cond.notify_all()
            try:
                while self._go is not part:
                    check()
                    if self._stopped:
                        raise StopRun
                    self._cond.wait(POLL_S)
            finally:
                if self._go is part:
                    self._go = None
                part.state, part.needs = RUNNING, None
        return True

    @contextmanager
    def waiting(self, what: str, ready: Callable[[], bool], joins: Any = None) -> Iterator[None]:
        """The calling thread waits (a join) until ready() is true: it is not running meanwhile.

        `joins` (what it waits for) matters only to a gate client, which cannot send `ready`.
        """
        part = self._parts.get(threading.current_thread())
        if part is None:
            yield
            return
        with self._cond:
            part.state, part.point, part.ready = WAITING, what, ready
            self._cond.notify_all()
        try:
            yield
        finally:
            with self._cond:
                part.state, part.point, part.ready = RUNNING, "", None
                self._cond.notify_all()

    def leave(self) -> None:
        """The calling thread has ended."""
        with self._cond:
            part = self._parts.get(threading.current_thread())
            if part is not None:
                part.state, part.point, part.values, part.needs = DONE, "", {}, None
            self._cond.notify_all()

    def share(self, values: dict[str, Any]) -> None:
        """The lesson's shared state (a function is read when shown): see Lab.shared."""
        with self._cond:
            self._shared.update(values)

    def shared(self) -> dict[str, Any]:
        """The lesson's shared state now, by name (x, the balance)."""
        with self._cond:
            return {**self._remote_shared, **read_values(self._shared)}

    def fingerprint(self) -> tuple | None:
        """All a settled run's future depends on, if the lesson names its shared state.

        Each thread's point, the values it holds and how many steps it has taken; who holds
        each lock; the shared state. Two schedules that reach one fingerprint go on alike, so
        explore runs only one of them. None (never alike) if the lesson names no shared state:
        then what the threads share is unknown.
        """
        shared = self.shared()
        if not shared:
            return None
        with self._cond:
            taken = Counter(step.number for step in self.steps)
            threads = tuple((part.number, part.state, part.point, taken[part.number],
                             _frozen(part.holds()))
                            for part in sorted(self._parts.values(), key=lambda p: p.number)
                            if part.number)
            numbers = {part.name: part.number for part in self._parts.values()}
            locks = tuple(sorted((lock.name, numbers.get(lock.owner.name, -1))
                                 for lock in self._locks.values()
                                 if getattr(lock, "owner", None) is not None))
        return threads, locks, _frozen(shared)

    def released(self, lock: Any) -> None:
        """A lab lock of this process was let go: it says so itself (its owner is None)."""

    def part_of(self, thread: Any) -> Part | None:
        """The scheduler's view of a thread, or of a process by its key (None if not stepped)."""
        return self._parts.get(thread)

    # -- what other processes report (through the relay) -----------------------------------------
    def apply(self, message: tuple) -> None:
        """Take in one report of a thread in another process (see gate.GateClient)."""
        kind, key, *rest = message
        with self._cond:
            if kind == "enter":
                self._parts[key] = Part(0, "main", key=key)
                self._entered = True
            elif kind == "add":
                name, process = rest
                self._parts[key] = Part(self._next_number(), name, key=key, process=process)
            elif kind == "fresh":
                fresh, shared = rest
                self._refresh(fresh)
                self._remote_shared.update(shared)
            elif key in self._parts:
                self._update(self._parts[key], kind, rest)
            self._cond.notify_all()

    def _update(self, part: Part, kind: str, rest: list[Any]) -> None:
        if kind == "park":  # its values came just before, with the others' ("fresh")
            label, lock, pid = rest
            part.state, part.point = PARKED, label
            part.needs = self._remote_lock(lock) if lock else None
            if part.process and "pid" not in part.name:
                part.name = f"{part.name} (pid {pid})"
        elif kind == "wait":
            what, target = rest
            part.state, part.point = WAITING, what
            part.ready = None if target is None else lambda: self._gone(target)
        elif kind == "run":
            part.state, part.point, part.ready = RUNNING, "", None
        elif kind == "leave":
            part.state, part.point, part.values, part.needs = DONE, "", {}, None
        elif kind == "released":
            lock = self._remote_lock(rest[0])
            lock.owner = None

    def _refresh(self, fresh: dict[int, dict[str, Any]]) -> None:
        """The values of threads parked in another process, read afresh there."""
        for key, shown in fresh.items():
            if key in self._parts:
                self._parts[key].values = shown

    def _gone(self, key: int) -> bool:
        part = self._parts.get(key)
        return part is None or part.state == DONE

    def _remote_lock(self, name: str) -> RemoteLock:
        lock = self._locks.get(name)
        if lock is None:
            lock = self._locks[name] = RemoteLock(name)
        return lock

    def held_locks(self) -> list[str]:
        """Every lab lock held now, in words: 'x lock held by Thread 1'."""
        with self._cond:
            return [f"{lock.name} held by {lock.owner.name}" for lock in self._locks.values()
                    if getattr(lock, "owner", None) is not None]

    # -- the chooser's side ---------------------------------------------------------------------
    def settle(self, timeout: float = SETTLE_TIMEOUT_S) -> list[Part]:
        """Wait until no thread runs; then the threads, main first (TimeoutError if one runs on)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._entered or any(self._busy(p) for p in self._parts.values()):
                left = deadline - time.monotonic()
                if left <= 0 or self._stopped:
                    busy = [p.name for p in self._parts.values() if self._busy(p)]
                    raise TimeoutError(f"{', '.join(busy)} did not reach a switch point within "
                                       f"{timeout:g} s")
                self._cond.wait(min(left, POLL_S))
            return sorted(self._parts.values(), key=lambda part: part.number)

    def settled(self) -> bool:
        """True if no thread is running now (a step can be chosen, or the run is over)."""
        with self._cond:
            return self._entered and not any(self._busy(p) for p in self._parts.values())

    @staticmethod
    def _busy(part: Part) -> bool:
        if part.state == RUNNING:
            return True
        return part.state == WAITING and part.ready is not None and part.ready()

    def threads(self) -> list[Part]:
        """The lesson's stepped threads (not main), by number."""
        with self._cond:
            return sorted((p for p in self._parts.values() if p.number), key=lambda p: p.number)

    def runnable(self) -> list[Part]:
        """The threads that can be chosen now, by number."""
        return [part for part in self.threads() if part.blocked_by() is None]

    def step(self, number: int) -> Step:
        """Let thread `number` go on to its next point (after settle()); ScheduleError if not."""
        with self._cond:
            part = next((p for p in self._parts.values() if number and p.number == number),
                        None)
            if part is None:
                known = ", ".join(str(p.number) for p in self._parts.values() if p.number)
                raise ScheduleError(f"there is no thread {number} (threads: {known or 'none'})")
            why = part.blocked_by()
            if why:
                raise ScheduleError(why)
            step = Step(part.number, part.name, part.point, part.holds(), self.shared())
            self.steps.append(step)
            part.state = RUNNING  # settle() waits for it from now on
            if part.key and self._gate is not None:
                if isinstance(part.needs, RemoteLock):
                    part.needs.owner = part  # it takes the lock as it goes on
                part.needs = None
                self._gate.let_go(part.key)
            else:
                self._go = part
            self._cond.notify_all()
            return step

    def deadlock(self) -> str | None:
        """If no thread can go on though some have not finished: who waits for what, in words."""
        parts = self.threads()
        if self.runnable() or all(part.state == DONE for part in parts):
            return None
        stuck = [part for part in parts if part.state != DONE]
        waits = []
        for part in stuck:
            held = [lock.name for lock in self._locks_held(part)]
            holds = f"holds {' and '.join(held)} and " if held else ""
            waits.append(f"{part.name} {holds}{_waits_for(part)}")
        self.found_deadlock = "deadlock: " + "; ".join(waits)
        return self.found_deadlock

    def _locks_held(self, part: Part) -> list[Any]:
        return [lock for lock in self._locks.values()
                if getattr(lock, "owner", None) is not None and lock.owner.name == part.name]

    def stop(self) -> None:
        """Let every parked thread see Stop."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    def schedule(self) -> list[int]:
        """The steps taken so far, as a schedule: which thread took each."""
        return [step.number for step in self.steps]


def _frozen(values: dict[str, Any]) -> tuple:
    return tuple(sorted((name, repr(value)) for name, value in values.items()))


def _waits_for(part: Part) -> str:
    owner = getattr(part.needs, "owner", None)
    if part.state == PARKED and owner is not None:
        return f"waits for {part.needs.name}, held by {owner.name}"
    return f"waits ({part.point})" if part.point else "waits"


@dataclass
class Played:
    """What a schedule did: the steps taken, who could have taken each, and any deadlock."""

    steps: list[Step]
    deadlock: str | None
    choices: list[list[int]] = field(default_factory=list)  # the runnable threads at each step
    cut: bool = False  # `visit` ended it early: the rest is known from another schedule

    @property
    def schedule(self) -> list[int]:
        """Which thread took each step."""
        return [step.number for step in self.steps]


# Called at each settled state with the schedule so far: False ends the play there.
Visit = Callable[[list[int], Stepper], bool]


def play(stepper: Stepper, schedule: list[int], visit: Visit | None = None) -> Played:
    """Take the schedule's steps, then the rest lowest-numbered runnable thread first.

    ScheduleError names the step (1-based) that could not be taken and why. On a deadlock (or
    a cut) the threads stay parked: the caller stops the run.
    """
    choices: list[list[int]] = []
    index = 0
    while True:
        stepper.settle()
        runnable = [part.number for part in stepper.runnable()]
        if visit is not None and not visit(stepper.schedule(), stepper):
            return Played(list(stepper.steps), None, choices, cut=True)
        if index >= len(schedule) and not runnable:
            return Played(list(stepper.steps), stepper.deadlock(), choices)
        choices.append(runnable)
        number = schedule[index] if index < len(schedule) else runnable[0]
        index += 1
        try:
            stepper.step(number)
        except ScheduleError as exc:
            raise ScheduleError(f"step {index} ({number}): {exc}") from None


def parse_schedule(text: str) -> list[int]:
    """'1,2,1,2' (spaces allowed) as [1, 2, 1, 2]; ValueError naming what is not a thread number."""
    schedule = []
    for item in text.replace(" ", ",").split(","):
        if not item:
            continue
        if not item.isdigit() or int(item) < 1:
            raise ValueError(f"schedule: {item!r} is not a thread number (1, 2, ...)")
        schedule.append(int(item))
    return schedule
