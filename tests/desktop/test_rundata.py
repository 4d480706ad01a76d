"""RunData sorts events into rows grouped by process, spans by kind, lines and metrics."""

from desktop.rundata import RunData
from scenarios.events import Line, Mark, Metric, Span, Worker


def test_rows_are_grouped_by_process():
    data = RunData(t0=0)
    a_main, b_worker, a_thread = Worker(10, 1, "main"), Worker(20, 5, "w"), Worker(10, 2, "t")
    data.add([Span(a_main, "run", 0, 10, ""), Span(b_worker, "run", 0, 10, ""),
              Span(a_thread, "sleep", 5, 1_000_000_000, "")])
    labels = [label for _, label in data.row_labels()]
    assert labels == ["main · 10", "t · 10", "w · 20"]
    assert list(data.display_order()) == [0, 2, 1]
    assert data.latest_s == 1.0


def test_lines_metrics_and_marks_are_kept():
    data = RunData(t0=1_000_000_000)
    worker = Worker(1, 1, "main")
    data.add([Line(worker, 1_500_000_000, "hi", "stdout"), Metric("x", 2_000_000_000, 3),
              Mark(worker, 1_000_000_000, "started")])
    assert [line.text for line in data.take_new_lines()] == ["hi"]
    assert data.take_new_lines() == []
    times, values = data.metric("x")
    assert list(times) == [1.0] and list(values) == [3.0]
    assert data.marks.starts == [0.5, 0.0], "a printed line is a tick too"


def test_the_lessons_main_process_comes_first_even_if_a_worker_spoke_first():
    data = RunData(t0=0)
    worker, main = Worker(20, 5, "pool worker 1"), Worker(10, 1, "main")
    data.add([Span(worker, "run", 0, 10, ""), Span(main, "blocked", 0, 10, "")])
    assert [label for _, label in data.row_labels()] == ["main · 10", "pool worker 1 · 20"]
