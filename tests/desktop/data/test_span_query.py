"""Finding spans under the mouse and thinning them to what a pixel can show."""

import numpy as np

from desktop.data.rundata import RunData
from desktop.data.span_query import bin_samples, cpu_at, mark_at, merge_close, span_at, visible
from scenarios.engine.events import Mark, Metric, Span, Worker

S = 1_000_000_000  # ns in a second
MAIN, OTHER = Worker(1, 1, "main"), Worker(1, 2, "Thread 1")


def test_spans_closer_than_a_pixel_merge_per_row_only():
    rows = np.array([0, 0, 0, 1, 1])
    starts = np.array([0.0, 1.05, 3.0, 0.0, 1.05])
    ends = np.array([1.0, 2.0, 4.0, 1.0, 2.0])
    r, s, e = merge_close(rows, starts, ends, gap=0.1)
    assert list(r) == [0, 0, 1]
    assert list(s) == [0.0, 3.0, 0.0] and list(e) == [2.0, 4.0, 2.0]


def test_a_span_inside_a_longer_one_does_not_end_the_merge_early():
    r, s, e = merge_close(np.array([0, 0, 0]), np.array([0.0, 0.1, 2.5]),
                          np.array([2.0, 0.2, 3.0]), gap=0.01)
    assert list(s) == [0.0, 2.5] and list(e) == [2.0, 3.0]


def test_no_gap_or_one_span_leaves_spans_as_they_are():
    one = (np.array([0]), np.array([0.0]), np.array([1.0]))
    assert merge_close(*one, gap=0.5) == one


def data_with_spans() -> RunData:
    data = RunData(t0=0)
    data.add([Span(MAIN, "run", 0, 4 * S, "work"), Span(MAIN, "sleep", 1 * S, 2 * S, "nap"),
              Span(OTHER, "hold_lock", 0, S // 2, "lock"), Mark(MAIN, 3 * S, "started")])
    return data


def test_the_hover_prefers_what_is_drawn_on_top_of_running():
    data = data_with_spans()
    assert span_at(data, 0, 1.5, 0.0).kind == "sleep"
    hit = span_at(data, 0, 3.5, 0.0)
    assert (hit.kind, hit.start, hit.end, hit.label) == ("run", 0.0, 4.0, "work")
    assert span_at(data, 1, 0.25, 0.0).label == "lock"
    assert span_at(data, 1, 2.0, 0.1) is None


def test_ticks_are_found_within_the_slack():
    data = data_with_spans()
    assert mark_at(data, 0, 3.02, 0.05) == (3.0, "started")
    assert mark_at(data, 0, 3.2, 0.05) is None


def test_visible_keeps_spans_that_overlap_the_range():
    data = data_with_spans()
    run, hold = data.spans["run"], data.spans["hold_lock"]
    assert list(visible(run.starts, run.ends, 3.5, 9.0)) == [0]
    assert list(visible(hold.starts, hold.ends, 1.0, 2.0)) == []


def test_cpu_share_of_a_sample():
    data = data_with_spans()
    data.add([Metric("thread_cpu:1:1", S, 0.5), Metric("thread_cpu:1:1", 2 * S, 0.25)])
    assert cpu_at(data, 0, 0.95) == 0.5
    assert cpu_at(data, 0, 1.5) == 0.25
    assert cpu_at(data, 1, 1.5) is None


def test_samples_sharing_a_bin_are_averaged_by_time_per_row():
    rows = np.array([0, 0, 0, 1])
    starts = np.array([0.0, 0.1, 1.0, 0.0])
    ends = np.array([0.1, 0.3, 1.1, 0.1])
    values = np.array([1.0, 0.25, 0.5, 0.75])
    r, s, e, v = bin_samples(rows, starts, ends, values, width=0.5)
    assert list(r) == [0, 0, 1]
    np.testing.assert_allclose(v, [0.5, 0.5, 0.75])  # (1.0*0.1 + 0.25*0.2) / 0.3
    np.testing.assert_allclose(s, [0.0, 1.0, 0.0])
    np.testing.assert_allclose(e, [0.3, 1.1, 0.1])
