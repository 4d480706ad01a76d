"""The Dask cluster's plain parts: addresses, a quick refusal, task records as spans.

Dask itself runs only in a lesson's child process (tests/scenarios/lessons/test_cluster_map.py):
it leaves threads in the process that uses it.
"""

from __future__ import annotations

import socket
import time

import pytest

from scenarios.engine.cluster import Cluster, ClusterError, host_port, one_line, probe


@pytest.mark.parametrize(("address", "expected"), [
    ("tcp://127.0.0.1:8786", ("127.0.0.1", 8786)),
    ("127.0.0.1:8786", ("127.0.0.1", 8786)),
    (" tls://lab-3.example.org:9000 ", ("lab-3.example.org", 9000)),
    ("tcp://[::1]:8786", ("::1", 8786)),
])
def test_an_address_gives_its_host_and_port(address: str, expected: tuple[str, int]) -> None:
    assert host_port(address) == expected


@pytest.mark.parametrize("address", ["tcp://host", "host:port", ":8786", "tcp://h:0",
                                     "tcp://h:70000"])
def test_an_address_without_a_port_is_refused_by_name(address: str) -> None:
    with pytest.raises(ClusterError, match="is not a scheduler address like tcp://HOST:PORT"):
        host_port(address)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (just freed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_address_nobody_answers_fails_at_once_in_one_line() -> None:
    address = f"tcp://127.0.0.1:{closed_port()}"
    started = time.perf_counter()
    with pytest.raises(ClusterError) as caught:
        probe(address)
    assert time.perf_counter() - started < 1.0
    assert str(caught.value) == f"no Dask scheduler answered at {address}: Connection refused"


def test_one_line_keeps_the_type_and_the_first_line() -> None:
    assert one_line(OSError("Timed out\nafter 3 s")) == "OSError: Timed out"
    assert one_line(TimeoutError()) == "TimeoutError"


def test_task_records_become_spans_on_one_row_per_worker_thread() -> None:
    cluster = Cluster(client=None, offset_s=0.5, wall0=1000.0, perf0_ns=5_000_000_000,
                      workers={"tcp://a:1": (11, "worker 1"), "tcp://b:2": (22, "worker 2")})
    records = [
        {"key": "f_over-1", "worker": "tcp://a:1", "thread": 7,
         "startstops": [{"action": "compute", "start": 1000.5, "stop": 1000.75}]},
        {"key": "f_over-2", "worker": "tcp://b:2", "thread": 9,
         "startstops": [{"action": "transfer", "start": 1000.5, "stop": 1000.6, "source": "x"},
                        {"action": "compute", "start": 1000.6, "stop": 1001.5}]},
        {"key": "f_over-3", "worker": "tcp://a:1", "thread": 8,
         "startstops": [{"action": "compute", "start": 1001.5, "stop": 1001.5}]},
    ]
    spans = cluster.spans(records)
    assert [(s.worker.name, s.worker.pid, s.kind, s.label) for s in spans] == [
        ("worker 1 · t1", 11, "run", "compute f_over-1"),
        ("worker 2 · t1", 22, "io", "transfer f_over-2"),
        ("worker 2 · t1", 22, "run", "compute f_over-2"),
        ("worker 1 · t2", 11, "run", "compute f_over-3"),
    ]
    # the scheduler's clock runs 0.5 s ahead: its 1000.5 is our wall clock's 1000.0
    assert spans[0].start == 5_000_000_000 and spans[0].end == 5_250_000_000
