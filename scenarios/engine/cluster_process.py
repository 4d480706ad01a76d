"""The lesson's "Dask client": a lab.Process that holds the cluster and maps on request.

Dask's client leaves threads in the process that uses it, and a LocalCluster's workers are that
process's children; both must never be the window's. So a lesson talks to the cluster through
`ClusterProcess`, over a pipe: start (the cluster's description back), map (the figures back),
close. Stop reaches the child through the run's stop token: it cancels the futures, kills a
LocalCluster's workers and ends, within a second.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from scenarios.engine import probe
from scenarios.engine.cluster import ClusterError, MapRun, Options, one_line, open_cluster
from scenarios.engine.lab import Lab, StopRun


def serve(conn: Any, options: Options) -> None:
    """In the child: open the cluster, then map what the parent sends until it says close."""
    lab = probe.current()
    try:
        cluster = open_cluster(options)
    except ClusterError as exc:
        conn.send(("error", str(exc)))
        return
    with cluster:
        conn.send(("ready", cluster.describe()))
        while True:
            lab.wait_until(conn.poll, "blocked", "wait for work")
            try:
                request = conn.recv()
            except (EOFError, OSError):  # the lesson is gone
                return
            if request[0] == "close":
                return
            func, items = request[1:]
            try:
                conn.send(("done", MapRun(cluster, lab).run(func, items)))
            except ClusterError as exc:
                conn.send(("error", str(exc)))


class ClusterProcess:
    """The lesson's side of the Dask client process: start, map, close; errors in one line."""

    def __init__(self, lab: Lab, options: Options, name: str = "Dask client") -> None:
        self.lab = lab
        self.conn, child_end = lab.mp.Pipe()
        self.process = lab.Process(target=serve, args=(child_end, options), name=name)
        self._child_end = child_end
        self.info: dict[str, Any] = {}

    def start(self) -> dict[str, Any]:
        """Start the client process and its cluster; the cluster's description."""
        self.process.start()
        self._child_end.close()  # the child holds its end now: EOF here if it dies
        self.info = self._reply("start the cluster")
        return self.info

    def map(self, func: Callable[[Any], Any], items: list[Any]) -> dict[str, Any]:
        """Map func (a module-level function) over items on the cluster; the map's figures."""
        self.conn.send(("map", func, items))
        return self._reply(f"map {getattr(func, '__name__', 'task')} on the cluster")

    def close(self) -> None:
        """Close the cluster and end the client process (it leaves no process behind)."""
        with contextlib.suppress(OSError):
            self.conn.send(("close",))
        self.process.join()
        self.conn.close()

    def _reply(self, label: str) -> Any:
        """Wait (drawn as blocked, woken by Stop) for the child's answer; ClusterError if none."""
        self.lab.wait_until(self._answered, "blocked", label)
        try:
            kind, value = self.conn.recv()
        except (EOFError, OSError):
            code = self.process.exitcode
            raise ClusterError(f"the Dask client process ended without an answer (exit code "
                               f"{code})") from None
        if kind == "error":
            raise ClusterError(value)
        return value

    def _answered(self, timeout: float) -> bool:
        try:
            return self.conn.poll(timeout) or not self.process.is_alive()
        except (EOFError, OSError) as exc:
            raise ClusterError(f"the Dask client process is gone: {one_line(exc)}") from None

    def __enter__(self) -> ClusterProcess:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.close()
            return
        self.conn.close()  # an error: the child sees the pipe close, and closes the cluster
        if issubclass(kind, StopRun) and self.process.pid is not None:
            # Stop: a LocalCluster's close takes seconds, and Stop has one. The child and its
            # workers go at once; a remote scheduler drops the tasks of a client that is gone.
            try:
                from scenarios.engine.families import kill_family  # psutil, not everywhere
            except ImportError:  # a lesson's process on another Python: no psutil there
                self.process.end()
            else:
                kill_family(self.process.pid)
