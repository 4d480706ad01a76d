"""A Dask cluster for a lesson: a LocalCluster it starts, or a scheduler it is given.

Dask distributed is the engine (issue 21). This module runs in the lesson's "Dask client"
process only (`cluster_process.serve`), never in the window's: Dask leaves threads behind in
the process that uses it. It starts or reaches a cluster, maps tasks on it, turns Dask's own task
stream into the lab's spans (one row per worker thread), reports workers that leave mid-run, and
closes leaving no process. See docs/research/dask.md.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import psutil

from scenarios.engine.events import Mark, Span, Worker, now_ns
from scenarios.engine.lab import Lab, StopRun

# How long a typed scheduler address may take to accept a connection, then to answer as Dask.
PROBE_TIMEOUT_S, CONNECT_TIMEOUT_S = 2.0, 3.0
# How long a LocalCluster's workers may take to start (spawn re-imports Dask in each), and to close.
START_TIMEOUT_S, CLOSE_TIMEOUT_S = 60.0, 3.0
# How long the scheduler's CPU is read with nothing to do, so that a map's share is told apart.
IDLE_S = 0.2
# How often a map looks for Stop, new task records and workers that came or went.
POLL_S = 0.1
# Dask's task-stream actions as the lab's span kinds: computing runs, moving data is I/O.
KINDS = {"compute": "run", "transfer": "io", "disk-read": "io", "disk-write": "io",
         "deserialize": "io"}
SCHEMES = ("tcp://", "tls://")


class ClusterError(RuntimeError):
    """A cluster that could not be started, reached or used; the message says why, in one line."""


@dataclass(frozen=True)
class Options:
    """Which cluster: a scheduler's address, or a LocalCluster's workers, threads and kind."""

    address: str = ""  # empty: a LocalCluster on this machine
    workers: int = 2
    threads: int = 1  # per worker
    processes: bool = True  # workers in processes of their own (else threads of the client's)
    ship: tuple[str, ...] = ()  # modules whose tasks are sent by value (remote workers lack them)


def one_line(exc: BaseException) -> str:
    """An exception as one line: its type and the first line of its message."""
    said = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {said}" if said else type(exc).__name__


def host_port(address: str) -> tuple[str, int]:
    """The host and port of 'tcp://HOST:PORT' (or 'HOST:PORT'); ClusterError if there are none."""
    rest = address.strip()
    for scheme in SCHEMES:
        rest = rest.removeprefix(scheme)
    host, sep, port = rest.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ClusterError(f"{address!r} is not a scheduler address like tcp://HOST:PORT")
    return host.strip("[]"), int(port)


def probe(address: str, timeout: float = PROBE_TIMEOUT_S) -> None:
    """Connect to the address once with a plain socket; ClusterError in one line if none answers.

    Dask's own client retries for its whole timeout and leaves a thread behind when it fails;
    a refused or unreachable address is told at once this way.
    """
    host, port = host_port(address)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else (exc.strerror or one_line(exc))
        raise ClusterError(f"no Dask scheduler answered at {address}: {reason}") from None


@dataclass
class Cluster:
    """A Dask client, the LocalCluster behind it (if the lab started one), and its clock."""

    client: Any
    local: Any = None  # the LocalCluster this lab started (closed with it), or None
    offset_s: float = 0.0  # the scheduler's clock minus ours (0 on one machine)
    wall0: float = field(default_factory=time.time)  # our wall clock and the lab's clock,
    perf0_ns: int = field(default_factory=now_ns)  # read together
    workers: dict[str, tuple[int, str]] = field(default_factory=dict)  # address -> pid, name
    index: int = 0  # the task stream's records already drawn
    idle_cpu: float = 0.0  # the scheduler loop's CPU per second with nothing to do
    events: list[tuple[float, dict[str, Any]]] = field(default_factory=list)  # workers came, went
    events_lock: threading.Lock = field(default_factory=threading.Lock)
    threads: dict[str, list[int]] = field(default_factory=dict)  # address -> thread idents

    def to_ns(self, scheduler_s: float) -> int:
        """A time of the task stream (the scheduler's epoch seconds) on the lab's clock."""
        return self.perf0_ns + round((scheduler_s - self.offset_s - self.wall0) * 1e9)

    def worker_of(self, address: str, thread: int) -> Worker:
        """The timeline row of a worker's thread: 'worker 1 · t2', in that worker's process."""
        pid, name = self.workers.get(address, (0, address))
        threads = self.threads.setdefault(address, [])
        if thread not in threads:
            threads.append(thread)
        return Worker(pid, thread, f"{name} · t{threads.index(thread) + 1}")

    def spans(self, records: Iterable[dict[str, Any]]) -> list[Span]:
        """The task stream's records as spans, one per action of each task, labelled by key."""
        found = []
        for record in records:
            worker = self.worker_of(str(record.get("worker", "")), int(record.get("thread") or 0))
            for part in record.get("startstops", ()):
                action = str(part.get("action", "compute"))
                found.append(Span(worker, KINDS.get(action, "run"), self.to_ns(part["start"]),
                                  self.to_ns(part["stop"]), f"{action} {record.get('key')}"))
        return found

    def new_records(self) -> list[dict[str, Any]]:
        """The task stream's records since the last call (finished tasks only, as Dask keeps)."""
        client = self.client
        records = client.sync(client.scheduler.get_task_stream, start_index=self.index)
        self.index += len(records)
        return records

    def name_workers(self) -> None:
        """Number the workers in the cluster now; a new one (restarted, or joined) gets the next."""
        pids = self.client.run(os.getpid)
        for address in sorted(pids):
            if address not in self.workers:
                self.workers[address] = (pids[address], f"worker {len(self.workers) + 1}")

    def heard(self, event: tuple[float, Any]) -> None:
        """Keep a scheduler event about a worker that came or went (on the client's loop)."""
        when, msg = event
        if isinstance(msg, dict) and msg.get("action") in ("add-worker", "remove-worker"):
            with self.events_lock:
                self.events.append((when, msg))

    def departures(self) -> list[tuple[float, dict[str, Any]]]:
        """The workers that came or went since the last call, as the scheduler told them."""
        with self.events_lock:
            new, self.events = self.events, []
        return new

    def scheduler_cpu_s(self) -> float:
        """The CPU time the scheduler's event loop has used so far (its per-task cost)."""
        return float(self.client.run_on_scheduler(_loop_cpu_s))

    def dashboard(self) -> str | None:
        """The address of Dask's own dashboard, if the scheduler serves one.

        A LocalCluster serves it only with bokeh, an optional dependency (its HTTP service
        runs without it, serving no pages to look at).
        """
        if self.local is not None and not _has_bokeh():
            return None
        with contextlib.suppress(Exception):
            if "dashboard" in self.client.scheduler_info().get("services", {}):
                return str(self.client.dashboard_link)
        return None

    def describe(self) -> dict[str, Any]:
        """What the lesson shows of the cluster: where, its workers and threads, the dashboard."""
        info = self.client.scheduler_info()
        workers = info.get("workers", {})
        return {"address": info.get("address", ""), "local": self.local is not None,
                "workers": [(self.workers.get(a, (0, a))[1], self.workers.get(a, (0, a))[0],
                             int(w.get("nthreads", 1))) for a, w in sorted(workers.items())],
                "threads": sum(int(w.get("nthreads", 1)) for w in workers.values()),
                "dashboard": self.dashboard()}

    def kill_local(self) -> None:
        """Kill the LocalCluster's worker processes at once (Stop must not wait for a close)."""
        if self.local is None:
            return
        for child in psutil.Process().children(recursive=True):
            with contextlib.suppress(psutil.Error):
                child.kill()

    def close(self, fast: bool = False) -> None:
        """Close the client and, if the lab started it, the LocalCluster (no process left).

        `fast`: on Stop, kill the workers first, and give the close little time.
        """
        if fast:
            self.kill_local()
        timeout = 0.5 if fast else CLOSE_TIMEOUT_S
        with contextlib.suppress(Exception):  # else the scheduler writes to a closed client
            self.client.unsubscribe_topic("all")
        closing = [self.client] + ([self.local] if self.local is not None else [])
        for part in closing:
            with contextlib.suppress(Exception):  # closing goes on whatever Dask says
                part.close(timeout=timeout)
        self.kill_local()  # anything the close left

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self.close(fast=kind is not None and issubclass(kind, StopRun | KeyboardInterrupt))


def _loop_cpu_s(dask_scheduler: Any = None) -> float:
    """Run on the scheduler's event loop: that thread's CPU time so far."""
    return time.thread_time()


def ship_by_value(modules: Iterable[str]) -> None:
    """Send these modules' functions to the workers by value: a remote worker need not have them."""
    import cloudpickle

    for name in modules:
        cloudpickle.register_pickle_by_value(importlib.import_module(name))


def open_cluster(options: Options) -> Cluster:
    """Start a LocalCluster (no address), or reach the scheduler at the address.

    ClusterError, in one line, if Dask is missing, the workers do not start, or nothing answers.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ClusterError(f"Dask distributed is not installed for this Python ({exc})") from None
    logging.getLogger("distributed").setLevel(logging.ERROR)
    ship_by_value(options.ship)
    if options.address:
        probe(options.address)
    local = None
    try:
        if options.address:
            client = Client(options.address, timeout=CONNECT_TIMEOUT_S)
        else:
            local = LocalCluster(n_workers=options.workers, threads_per_worker=options.threads,
                                 processes=options.processes, silence_logs=logging.ERROR,
                                 dashboard_address="127.0.0.1:0")
            client = Client(local, timeout=START_TIMEOUT_S)
            client.wait_for_workers(options.workers, timeout=START_TIMEOUT_S)
    except Exception as exc:  # noqa: BLE001 - refused, timed out, or "Nanny failed to start"
        if local is not None:
            local.close(timeout=CLOSE_TIMEOUT_S)
        where = f"at {options.address}" if options.address else "on this machine"
        raise ClusterError(f"no Dask cluster answered {where}: {one_line(exc)}") from None
    return _anchored(Cluster(client, local))


def _anchored(cluster: Cluster) -> Cluster:
    """The cluster with its clock tied to ours, its workers named and its task stream recording."""
    client = cluster.client
    client.get_task_stream(count=0)  # the scheduler records tasks from its first asking on
    cluster.index = client.sync(client.scheduler.get_task_stream_index)
    before = time.time()
    scheduler_now = client.run_on_scheduler(time.time)
    cluster.offset_s = scheduler_now - (before + time.time()) / 2
    cluster.name_workers()
    client.subscribe_topic("all", cluster.heard)
    cpu, start = cluster.scheduler_cpu_s(), time.perf_counter()
    time.sleep(IDLE_S)
    cluster.idle_cpu = (cluster.scheduler_cpu_s() - cpu) / (time.perf_counter() - start)
    return cluster


def _has_bokeh() -> bool:
    """True if Dask's dashboard can be served (it needs bokeh, an optional dependency)."""
    try:
        importlib.import_module("bokeh")
    except ImportError:
        return False
    return True


@dataclass
class MapRun:
    """One Client.map on the cluster, drawn as it goes: its figures once it is done."""

    cluster: Cluster
    lab: Lab
    rerun: int = 0  # tasks Dask ran again after their worker left
    computed_s: float = 0.0  # the task stream's compute time, summed
    used: set[str] = field(default_factory=set)  # the workers that computed something
    left: list[str] = field(default_factory=list)  # the names of workers that left mid-run
    records: int = 0  # task records drawn (its tasks, and any run twice)

    def run(self, func: Callable[[Any], Any], items: list[Any]) -> dict[str, Any]:
        """Map func over items as Dask tasks; their results in order, and the map's figures."""
        client, done = self.cluster.client, threading.Event()
        remaining = [len(items)]
        lock = threading.Lock()

        def one_done(_future: Any) -> None:
            with lock:
                remaining[0] -= 1
                if remaining[0] <= 0:
                    done.set()

        cpu0, start, began = self.cluster.scheduler_cpu_s(), time.perf_counter(), now_ns()
        futures = client.map(func, items, pure=False)
        for future in futures:
            future.add_done_callback(one_done)
        if not items:
            done.set()
        try:
            while not done.wait(POLL_S):
                self.lab.check()
                self.look()
            results = client.gather(futures)
        except StopRun:
            client.cancel(futures)
            raise
        except Exception as exc:  # a task that failed, or a worker lost too often (KilledWorker)
            client.cancel(futures)
            raise ClusterError(f"the map failed: {one_line(exc)}") from None
        wall_s = time.perf_counter() - start
        self.lab.record_span("blocked", began, f"Client.map: {len(items):,} tasks, gather")
        scheduler_s = max(0.0, self.cluster.scheduler_cpu_s() - cpu0
                          - self.cluster.idle_cpu * wall_s)
        self.settle(len(items))
        return {"results": results, "wall_s": wall_s, "tasks": len(items),
                "computed_s": self.computed_s, "scheduler_cpu_s": scheduler_s,
                "workers_used": len(self.used), "tasks_rerun": self.rerun,
                "workers_left": self.left}

    def look(self) -> None:
        """Draw the tasks finished since the last look, and say which workers came or went."""
        for when, msg in self.cluster.departures():
            self.came_or_went(when, msg)
        records = self.cluster.new_records()
        self.records += len(records)
        for span in self.cluster.spans(records):
            if span.kind == "run":
                self.computed_s += (span.end - span.start) / 1e9
            self.used.add(span.worker.name.partition(" · ")[0])
            self.lab.emit(span)
        self.lab.flush()

    def settle(self, tasks: int) -> None:
        """Draw the last records (a task's record reaches the stream as its result is kept)."""
        deadline = time.monotonic() + 1.0
        while True:
            before = self.cluster.index
            self.look()
            if self.cluster.index - before == 0 and (
                    self.records >= tasks or time.monotonic() > deadline):
                return
            time.sleep(0.02)

    def came_or_went(self, when: float, msg: dict[str, Any]) -> None:
        """A worker joined or left: say so in the console and on its rows."""
        address = str(msg.get("worker", ""))
        if msg["action"] == "add-worker":
            self.cluster.name_workers()
            name = self.cluster.workers.get(address, (0, address))[1]
            self.lab.print(f"{name} joined the cluster ({address})")
            return
        if msg.get("expected"):
            return
        name = self.cluster.workers.get(address, (0, address))[1]
        lost = len(msg.get("processing-tasks") or ()) + len(msg.get("lost-computed-tasks") or ())
        self.rerun += lost
        self.left.append(name)
        self.lab.print(f"{name} left the cluster mid-run ({address}): Dask runs its {lost} "
                       f"unfinished task{'s' if lost != 1 else ''} again on the others",
                       stream="stderr")
        rows = [self.cluster.worker_of(address, t) for t in self.cluster.threads.get(address, [])]
        for row in rows or [None]:
            label = f"{name} lost"
            if row is None:
                self.lab.mark(label)
            else:
                self.lab.emit(Mark(row, self.cluster.to_ns(when), label))
