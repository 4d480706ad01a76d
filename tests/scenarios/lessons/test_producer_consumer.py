"""producer_consumer: every item gets through, the buffer never overfills, rates are live."""

from __future__ import annotations

import time

import pytest

from scenarios.engine import backends
from scenarios.engine.events import Metric, Span
from scenarios.lessons import catalogue
from tests.support import check_finished, check_stop_when, new_run

BACKENDS = ("thread", "process")
LESSON = catalogue.get("producer_consumer")
VARIANTS = ("queue.Queue", "Condition", "Semaphore")
# A fast producer against a slower consumer fills a small buffer in a few tenths of a second.
QUICK = {"items": 12, "maxsize": 3, "produce_rate": 100.0, "consume_rate": 40.0}


def depths(events) -> list[float]:
    return [e.value for e in events if isinstance(e, Metric) and e.name == "queue_depth"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_item_gets_through_and_the_buffer_stays_bounded(run_lesson, backend: str,
                                                               variant: str) -> None:
    result, events = run_lesson("producer_consumer", {**QUICK, "variant": variant}, backend)
    values = check_finished(result, LESSON)
    assert values["produced"] == values["consumed"] == QUICK["items"]
    # The producer is faster, so the buffer fills up to its size, and never beyond.
    assert values["max_depth"] == QUICK["maxsize"]
    assert max(depths(events)) <= QUICK["maxsize"]
    labels = {e.label for e in events if isinstance(e, Span)}
    assert "put: buffer full" in labels


def test_a_faster_consumer_waits_on_an_empty_buffer(run_lesson) -> None:
    params = {**QUICK, "produce_rate": 20.0, "consume_rate": 200.0, "items": 6}
    result, events = run_lesson("producer_consumer", params, "thread")
    assert result.values["max_depth"] <= 1
    labels = {e.label for e in events if isinstance(e, Span)}
    assert "get: buffer empty" in labels and "put: buffer full" not in labels


def test_several_producers_and_consumers(run_lesson) -> None:
    params = {**QUICK, "producers": 3, "consumers": 2, "items": 20, "variant": "Condition"}
    result, _ = run_lesson("producer_consumer", params, "thread")
    assert result.values["produced"] == result.values["consumed"] == 20


@pytest.mark.parametrize("backend", BACKENDS)
def test_rates_are_live(backend: str) -> None:
    """Speeding the consumer up mid-run empties the full buffer."""
    run = new_run("producer_consumer", {"items": 40, "maxsize": 4,
                                                  "produce_rate": 20.0, "consume_rate": 2.0},
                            backend)
    run.start()
    events = []
    deadline = time.monotonic() + 20
    while not depths(events) or max(depths(events)) < 4:
        assert time.monotonic() < deadline and not run.wait(0.05)
        events += run.collector.drain()
    run.set_param("consume_rate", 500.0)
    run.set_param("produce_rate", 100.0)
    assert run.wait(20)
    events += run.collector.drain()
    result = backends.result_of(events)
    assert result.values["consumed"] == 40 and not result.stopped
    assert depths(events)[-1] == 0


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_stop_mid_run_ends_within_a_second(backend: str, variant: str) -> None:
    check_stop_when(
        "producer_consumer", {"items": 1000, "consume_rate": 1.0, "variant": variant}, backend,
        lambda events: any(isinstance(e, Span) and e.label == "put: buffer full"
                           for e in events),
        timeout=20)
