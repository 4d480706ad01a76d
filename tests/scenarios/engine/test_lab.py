"""The probe lessons talk to (sleep, print, spans, locks, threads), its events and its sinks."""

from __future__ import annotations

import pickle
import threading
import time

import pytest

from scenarios.engine import lab as engine_lab
from scenarios.engine import merging, probe, spawning
from scenarios.engine.events import (
    Line,
    Mark,
    Metric,
    Result,
    Span,
    Worker,
    count_by_type,
    current_worker,
    now_ns,
)
from scenarios.engine.sink import MAX_BATCH, BatchingSink, Collector
from tests.support import Recorder

# Stop must wake a waiting lesson "at once": the probe polls every POLL_S (50 ms); half a second
# leaves room for a busy machine and is still far inside the 1 s the design promises.
WAKE_S = 0.5


def stop_later(token: threading.Event, after_s: float) -> threading.Thread:
    timer = threading.Timer(after_s, token.set)
    timer.start()
    return timer


def test_sleep_draws_a_sleep_bar() -> None:
    rec = Recorder()
    rec.lab.sleep(0.02)
    (span,) = rec.of(Span)
    assert span.kind == "sleep" and span.label == "sleep"
    assert span.end - span.start >= 15_000_000
    assert span.worker == current_worker()


def test_stop_wakes_sleep_at_once() -> None:
    rec = Recorder()
    timer = stop_later(rec.stop, 0.1)
    started = time.perf_counter()
    with pytest.raises(probe.StopRun):
        rec.lab.sleep(30)
    assert time.perf_counter() - started < 0.1 + WAKE_S
    assert rec.of(Span)[0].kind == "sleep"  # the bar is drawn up to the moment of Stop
    timer.join()


def test_sleep_zero_is_a_switch_point_that_still_honours_stop() -> None:
    rec = Recorder()
    rec.lab.sleep(0)
    rec.stop.set()
    with pytest.raises(probe.StopRun):
        rec.lab.sleep(0)


def test_check_raises_only_after_stop() -> None:
    rec = Recorder()
    rec.lab.check()
    assert not rec.lab.stopped
    rec.stop.set()
    assert rec.lab.stopped
    with pytest.raises(probe.StopRun):
        rec.lab.check()


def test_stop_run_escapes_except_exception() -> None:
    assert not issubclass(probe.StopRun, Exception)


def test_print_mark_metric_and_param() -> None:
    rec = Recorder({"delay": 0.5})
    rec.lab.print("Thread 1", "-----", 42)
    rec.lab.print("oops", stream="stderr")
    rec.lab.mark("started")
    rec.lab.metric("x", 7)
    out, err = rec.of(Line)
    assert (out.text, out.stream) == ("Thread 1 ----- 42", "stdout")
    assert err.stream == "stderr"
    assert rec.of(Mark)[0].label == "started"
    assert rec.of(Metric)[0][::2] == ("x", 7.0)
    assert rec.lab.param("delay") == 0.5


def test_live_parameters_are_read_fresh() -> None:
    live = {"use_lock": False}
    rec = Recorder(live)
    assert rec.lab.param("use_lock") is False
    live["use_lock"] = True
    assert rec.lab.param("use_lock") is True


def test_span_context_draws_the_block_even_when_it_raises() -> None:
    rec = Recorder()
    with pytest.raises(ValueError), rec.lab.span("io", "read file"):
        raise ValueError("disk")
    (span,) = rec.of(Span)
    assert (span.kind, span.label) == ("io", "read file")


def test_close_repeats_merge_into_one_counted_bar() -> None:
    rec = Recorder()
    for _ in range(5):
        rec.lab.record_span("hold_lock", now_ns(), "hold x", merge=True)
    assert rec.of(Span) == []  # still open
    rec.lab.flush_thread()
    (span,) = rec.of(Span)
    assert span.label == "hold x ×5"


def test_merged_bars_are_sent_at_least_every_max_merged_ns() -> None:
    sent: list = []
    merger = merging.SpanMerger(sent.append)
    gap = merging.MERGE_GAP_NS // 2  # close enough to merge
    length = merging.MAX_MERGED_NS // 50
    count = 200  # spread over about four MAX_MERGED_NS
    for i in range(count):
        start = i * (length + gap)
        merger.add("run", "f", start, start + length)
    merger.flush()
    assert len(sent) >= 4
    assert sum(int(s.label.split("×")[1]) if "×" in s.label else 1 for s in sent) == count
    assert all(s.end - s.start <= merging.MAX_MERGED_NS for s in sent)


def test_lock_draws_its_hold_and_excludes() -> None:
    rec = Recorder()
    lock = rec.lab.Lock("x lock")
    with lock:
        assert not lock._lock.acquire(blocking=False)
    assert lock._lock.acquire(blocking=False)
    lock._lock.release()
    rec.lab.flush_thread()
    assert [(s.kind, s.label) for s in rec.of(Span)] == [("hold_lock", "hold x lock")]


def test_stop_wakes_a_lock_wait() -> None:
    rec = Recorder()
    lock = rec.lab.Lock("x lock")
    lock.acquire()  # held by this thread, so the other one waits
    outcome: list = []

    def waiter() -> None:
        try:
            lock.acquire()
            outcome.append("acquired")
        except probe.StopRun:
            outcome.append("stopped")

    thread = threading.Thread(target=waiter)
    thread.start()
    time.sleep(0.1)
    rec.stop.set()
    thread.join(WAKE_S)
    assert not thread.is_alive()
    assert outcome == ["stopped"]
    lock.release()


def test_lab_thread_marks_its_life_and_reports_errors() -> None:
    rec = Recorder()

    def broken() -> None:
        raise ZeroDivisionError("division by zero")

    thread = rec.lab.Thread(target=broken, name="Worker")
    assert thread.daemon
    thread.start()
    thread.join()
    assert isinstance(thread.exception, ZeroDivisionError)
    labels = [m.label for m in rec.of(Mark)]
    assert labels[0] == "started"
    assert "exception: ZeroDivisionError" in labels
    assert "finished" in labels
    assert labels[-1] == "joined Worker"
    errors = [line.text for line in rec.of(Line) if line.stream == "stderr"]
    assert errors[0].startswith("Traceback")
    assert any("ZeroDivisionError: division by zero" in text for text in errors)
    assert thread.finished_ns >= thread.started_ns > 0


def test_lab_thread_stops_quietly() -> None:
    rec = Recorder()
    thread = rec.lab.Thread(target=rec.lab.sleep, args=(30,), name="Sleeper")
    thread.start()
    time.sleep(0.05)
    rec.stop.set()
    thread.join(WAKE_S)
    assert not thread.is_alive()
    assert thread.exception is None
    assert "stopped" in [m.label for m in rec.of(Mark)]


def test_join_without_timeout_wakes_for_stop() -> None:
    rec = Recorder()
    release = threading.Event()
    thread = threading.Thread(target=release.wait)  # a thread that ignores Stop
    lab_thread = rec.lab.Thread(target=release.wait, name="Stubborn")
    lab_thread.start()
    thread.start()
    stop_later(rec.stop, 0.1).join()
    started = time.perf_counter()
    with pytest.raises(probe.StopRun):
        lab_thread.join()
    assert time.perf_counter() - started < WAKE_S
    release.set()
    thread.join()
    lab_thread.join(1)


def test_current_lab_is_per_process_and_must_be_installed() -> None:
    rec = Recorder()
    probe.install(rec.lab)
    try:
        assert probe.current() is rec.lab
    finally:
        probe.install(None)
    with pytest.raises(RuntimeError, match="no lab is running"):
        probe.current()


def test_spawn_context_everywhere() -> None:
    assert spawning.spawn_context().get_start_method() == "spawn"


# -- events and sinks -----------------------------------------------------------------------------
def test_events_are_small_picklable_records() -> None:
    worker = Worker(1, 2, "main")
    events = [Span(worker, "run", 1, 2, "x"), Mark(worker, 1, "started"),
              Line(worker, 1, "hi", "stdout"), Metric("x", 1, 2.0),
              Result(1, {"lost_updates": 3}, None, False)]
    assert pickle.loads(pickle.dumps(events)) == events
    assert count_by_type(events + [events[0]]) == {
        "span": 2, "mark": 1, "line": 1, "metric": 1, "table": 0, "result": 1}


def test_the_main_thread_is_named_after_the_process() -> None:
    assert threading.current_thread() is threading.main_thread()
    assert current_worker().name == "main"


def test_batching_sink_holds_events_until_a_batch_is_due() -> None:
    collector = Collector()
    sink = BatchingSink(collector.put_batch, interval=60)  # never due by time in this test
    sink.emit(Metric("x", 1, 1.0))
    sink.emit(Metric("x", 2, 2.0))
    assert collector.drain() == []
    sink.flush()
    assert collector.drain() == [Metric("x", 1, 1.0), Metric("x", 2, 2.0)]
    sink.emit(Metric("x", 3, 3.0))
    sink.close()  # close delivers what is left
    assert collector.drain() == [Metric("x", 3, 3.0)]


def test_batching_sink_sends_when_the_interval_has_passed_or_the_batch_is_full() -> None:
    batches: list = []
    sink = BatchingSink(batches.append, interval=0)
    sink.emit(Metric("x", 1, 1.0))
    assert batches == [[Metric("x", 1, 1.0)]]
    batches.clear()
    sink = BatchingSink(batches.append, interval=60)
    for i in range(MAX_BATCH):
        sink.emit(Metric("x", i, 1.0))
    assert [len(batch) for batch in batches] == [MAX_BATCH]


def test_a_short_sleep_still_sees_stop() -> None:
    stop = threading.Event()
    lab = probe.Lab(lambda event: None, stop, {}, now_ns())
    stop.set()
    with pytest.raises(probe.StopRun):
        lab.sleep(0.001)
    with pytest.raises(probe.StopRun):
        lab.sleep(0)


def test_the_lab_flushes_before_it_blocks() -> None:
    flushes: list[str] = []
    stop = threading.Event()
    lab = probe.Lab(lambda event: None, stop, {}, now_ns(), None, lambda: flushes.append("x"))
    lab.sleep(0.001)  # shorter than a batch interval: the batch goes out when due
    assert flushes == []
    lab.sleep(engine_lab.SHORT_SLEEP_S + 0.005)
    assert len(flushes) == 1
    lab.wait_until(lambda timeout: True, "blocked", "join")
    assert len(flushes) == 2
    lab.flush_thread()
    assert len(flushes) == 3
