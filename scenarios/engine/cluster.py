"""A Dask cluster for a lesson: a LocalCluster it starts, or a scheduler it is given.

Dask distributed spreads the map over machines. This module runs in the lesson's "Dask client"
process only (`cluster_process.serve`), never in the window's: Dask leaves threads behind in
the process that uses it. It starts or reaches a cluster, maps tasks on it, turns Dask's own task
stream into the lab's spans (one row per worker thread), reports workers that leave mid-run, and
closes leaving no process. See docs/research/dask.md.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import operator
import os
import socket
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from scenarios.engine.events import Explained, Mark, Span, Worker, now_ns
from scenarios.engine.lab import Lab, StopRun

# How long a typed scheduler address may take to accept a connection, then to answer as Dask.
PROBE_TIMEOUT_S, CONNECT_TIMEOUT_S = 2.0, 3.0
# How long a LocalCluster's workers may take to start (spawn re-imports Dask in each), and to close.
START_TIMEOUT_S, CLOSE_TIMEOUT_S = 60.0, 3.0
# How long the scheduler's CPU is read with nothing to do, so that a map's share is told apart.
IDLE_S = 0.2
# How long the dashboard's page may take to answer.
DASHBOARD_TIMEOUT_S = 1.0
# How often a map looks for Stop, new task records and workers that came or went.
POLL_S = 0.1
# Dask's task-stream actions as the lab's span kinds: computing runs, moving data is I/O.
KINDS = {"compute": "run", "transfer": "io", "disk-read": "io", "disk-write": "io",
         "deserialize": "io"}
SCHEMES = ("tcp://", "tls://")


# What a run on a Python without Dask says: where to go to run it on one with Dask.
NO_DASK = ("The Python chosen for processes ({python}) has no Dask: switch back to the lab's "
           "Python (Lab → Python for processes…)")


class ClusterError(Explained):
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
    threads: dict[str, list[int]] = field(default_factory=dict)  # address -> thread idents
    native: dict[tuple[str, int], int] = field(default_factory=dict)  # (address, ident) -> tid
    alive: set[str] = field(default_factory=set)  # the workers' addresses now

    def to_ns(self, scheduler_s: float) -> int:
        """A time of the task stream (the scheduler's epoch seconds) on the lab's clock."""
        return self.perf0_ns + round((scheduler_s - self.offset_s - self.wall0) * 1e9)

    def worker_of(self, address: str, thread: int) -> Worker:
        """The timeline row of a worker's thread: 'worker 1 · t2', in that worker's process.

        `thread` is Dask's name for it (threading.get_ident); the row carries the OS's thread
        id where the worker said it, so the CPU strip under the row is that thread's.
        """
        pid, name = self.workers.get(address, (0, address))
        threads = self.threads.setdefault(address, [])
        if thread not in threads:
            threads.append(thread)
        tid = self.native.get((address, thread), thread)
        return Worker(pid, tid, f"{name} · t{threads.index(thread) + 1}")

    def learn_threads(self, records: Iterable[dict[str, Any]]) -> None:
        """Ask each worker with a thread not seen before for its threads' OS ids."""
        unknown = {_thread_of(record) for record in records}
        unknown -= self.native.keys()
        for address in {address for address, _ in unknown}:
            ids: dict[int, int] = {}
            with contextlib.suppress(Exception):  # a worker that just left: ids stay Dask's
                ids = self.client.run(_native_ids, workers=[address]).get(address, {})
            self.native.update({(address, int(k)): int(v) for k, v in ids.items()})
        for key in unknown - self.native.keys():  # asked once: not again at every look
            self.native[key] = key[1]

    def spans(self, records: Iterable[dict[str, Any]]) -> list[Span]:
        """The task stream's records as spans, one per action of each task, labelled by key."""
        found = []
        for record in records:
            worker = self.worker_of(*_thread_of(record))
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
        self.alive = set(pids)
        for address in sorted(pids):
            if address not in self.workers:
                self.workers[address] = (pids[address], f"worker {len(self.workers) + 1}")

    def name_of(self, address: str) -> str:
        """A worker's name in the lab ('worker 2'), or its address if it was never seen."""
        return self.workers.get(address, (0, address))[1]

    def comings_and_goings(self) -> tuple[list[str], list[str]]:
        """The workers that joined and that left since the last call (asked of the scheduler).

        The scheduler's event topics would say it too, but a subscribed client is sent events
        it cannot read (a scatter's), and the scheduler then drops its connection.
        """
        now = set(self.client.nthreads())
        joined, left = sorted(now - self.alive), sorted(self.alive - now)
        if joined:
            self.name_workers()
        self.alive = now
        return joined, left

    def scheduler_cpu_s(self) -> float:
        """The CPU time the scheduler's event loop has used so far (its per-task cost)."""
        return float(self.client.run_on_scheduler(_loop_cpu_s))

    def dashboard(self) -> str | None:
        """The address of Dask's own dashboard, if the scheduler serves its pages.

        They need bokeh, an optional dependency: without it the scheduler's HTTP service still
        runs, serving no page to look at. So the page is asked for once.
        """
        with contextlib.suppress(Exception):
            if "dashboard" in self.client.scheduler_info().get("services", {}):
                link = str(self.client.dashboard_link)
                with urllib.request.urlopen(link, timeout=DASHBOARD_TIMEOUT_S) as page:
                    return link if page.status == HTTPStatus.OK else None
        return None

    def describe(self) -> dict[str, Any]:
        """What the lesson shows of the cluster: where, its workers and threads, the dashboard."""
        info = self.client.scheduler_info()
        workers = info.get("workers", {})
        return {"address": info.get("address", ""), "local": self.local is not None,
                "workers": [(self.name_of(a), self.workers.get(a, (0, a))[0],
                             int(w.get("nthreads", 1))) for a, w in sorted(workers.items())],
                "threads": sum(int(w.get("nthreads", 1)) for w in workers.values()),
                "dashboard": self.dashboard()}

    def kill_local(self) -> None:
        """Kill the LocalCluster's worker processes at once (Stop must not wait for a close)."""
        if self.local is None:
            return
        import psutil  # here: a lesson's process on another Python may lack it

        from scenarios.engine.families import kill_family

        for child in psutil.Process().children():
            kill_family(child.pid)

    def close(self, fast: bool = False) -> None:
        """Close the client and, if the lab started it, the LocalCluster (no process left).

        `fast`: on Stop, kill the workers first, and give the close little time.
        """
        if fast:
            self.kill_local()
        timeout = 0.5 if fast else CLOSE_TIMEOUT_S
        closing = [self.client] + ([self.local] if self.local is not None else [])
        for part in closing:
            with contextlib.suppress(Exception):  # closing goes on whatever Dask says
                part.close(timeout=timeout)
        self.kill_local()  # anything the close left

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self.close(fast=kind is not None and issubclass(kind, StopRun | KeyboardInterrupt))


def _thread_of(record: dict[str, Any]) -> tuple[str, int]:
    """Where a task-stream record ran: its worker's address and Dask's ident of the thread."""
    return str(record.get("worker", "")), int(record.get("thread") or 0)


def _native_ids() -> dict[int, int]:
    """Run on a worker: its threads' OS ids, by Python's ident."""
    return {t.ident: t.native_id for t in threading.enumerate() if t.ident and t.native_id}


def _times_lost(keys: list[str], dask_scheduler: Any = None) -> int:
    """Run on the scheduler: how many times these tasks were lost with a worker that died."""
    tasks = dask_scheduler.tasks
    return sum(tasks[key].suspicious for key in keys if key in tasks)


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
    except ImportError:
        raise ClusterError(NO_DASK.format(python=sys.executable)) from None
    logging.getLogger("distributed").setLevel(logging.ERROR)
    # what the lab runs on the workers and the scheduler goes by value too: remote ones lack it
    ship_by_value((*options.ship, __name__))
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
    cpu, start = cluster.scheduler_cpu_s(), time.perf_counter()
    time.sleep(IDLE_S)
    cluster.idle_cpu = (cluster.scheduler_cpu_s() - cpu) / (time.perf_counter() - start)
    return cluster


@dataclass
class MapRun:
    """One Client.map on the cluster, drawn as it goes: its figures once it is done."""

    cluster: Cluster
    lab: Lab
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

        # The function goes to every worker first, by value, as data: Dask pickles a task's
        # function by reference, and a worker on another machine has no lab to import it from.
        shipped = client.scatter(func, broadcast=True, hash=False)
        name = f"{getattr(func, '__name__', 'task')}-{uuid.uuid4().hex[:8]}"
        cpu0, start, began = self.cluster.scheduler_cpu_s(), time.perf_counter(), now_ns()
        keys = [f"{name}-{i}" for i in range(len(items))]
        futures = client.map(operator.call, [shipped] * len(items), items, pure=False, key=keys)
        for future in futures:
            future.add_done_callback(one_done)
        if not items:
            done.set()
        try:
            while not done.wait(POLL_S):
                self.lab.check()
                self.look()
            results = client.gather(futures)
        except (StopRun, ClusterError):
            client.cancel([*futures, shipped])
            raise
        except Exception as exc:  # a task that failed, or a worker lost too often (KilledWorker)
            client.cancel([*futures, shipped])
            raise ClusterError(f"the map failed: {one_line(exc)}") from None
        wall_s = time.perf_counter() - start
        self.lab.record_span("blocked", began, f"Client.map: {len(items):,} tasks, gather")
        scheduler_s = max(0.0, self.cluster.scheduler_cpu_s() - cpu0
                          - self.cluster.idle_cpu * wall_s)
        rerun = int(client.run_on_scheduler(_times_lost, keys))
        shipped.release()
        self.settle(len(items))
        return {"results": results, "wall_s": wall_s, "tasks": len(items),
                "computed_s": self.computed_s, "scheduler_cpu_s": scheduler_s,
                "workers_used": len(self.used), "tasks_rerun": rerun,
                "workers_left": self.left}

    def look(self) -> None:
        """Draw the tasks finished since the last look, and say which workers came or went.

        ClusterError once no worker is left: the tasks would wait for one forever.
        """
        joined, left = self.cluster.comings_and_goings()
        for address in joined:
            self.lab.print(f"{self.cluster.name_of(address)} joined the cluster ({address})")
        for address in left:
            self.went(address)
        if not self.cluster.alive:
            last = self.left[-1] if self.left else "?"
            raise ClusterError(f"no worker is left in the cluster (the last to leave: {last}); "
                               "a worker that dies at its first task may lack what it needs")
        records = self.cluster.new_records()
        self.cluster.learn_threads(records)
        self.records += len(records)
        # by worker within a look: the rows of a run's first look come in order, worker 1 first
        for span in sorted(self.cluster.spans(records), key=lambda s: (s.worker.name, s.start)):
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

    def went(self, address: str) -> None:
        """A worker left mid-map: say so in the console and on its rows."""
        name = self.cluster.name_of(address)
        self.left.append(name)
        self.lab.print(f"{name} left the cluster mid-run ({address}): Dask runs the tasks it "
                       "had on the others", stream="stderr")
        rows = [self.cluster.worker_of(address, t) for t in self.cluster.threads.get(address, [])]
        for row in rows:
            self.lab.emit(Mark(row, now_ns(), f"{name} lost"))
        if not rows:  # it never finished a task: no row of its own
            self.lab.mark(f"{name} lost")
