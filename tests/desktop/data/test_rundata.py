"""RunData sorts events into rows grouped by process, spans by kind, lines and metrics."""

from desktop.data.rundata import RunData
from scenarios.engine.events import Line, Mark, Metric, Span, Worker


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
    assert list(data.marks.starts) == [0.5, 0.0], "a printed line is a tick too"


def test_the_lessons_main_process_comes_first_even_if_a_worker_spoke_first():
    data = RunData(t0=0)
    worker, main = Worker(20, 5, "pool worker 1"), Worker(10, 1, "main")
    data.add([Span(worker, "run", 0, 10, ""), Span(main, "blocked", 0, 10, "")])
    assert [label for _, label in data.row_labels()] == ["main · 10", "pool worker 1 · 20"]


def test_columns_grow_past_their_first_capacity():
    data = RunData(t0=0)
    worker = Worker(1, 1, "main")
    data.add([Span(worker, "run", i, i + 1, str(i)) for i in range(1000)])
    cols = data.spans["run"]
    assert len(cols) == 1000 and cols.starts[-1] == 999 / 1e9 and cols.labels[-1] == "999"


def test_cpu_samples_wait_for_their_threads_row():
    data = RunData(t0=0)
    worker = Worker(7, 70, "Thread 1")
    data.add([Metric("thread_cpu:7:70", 100_000_000, 0.9), Metric("thread_cpu:7:70", 200_000_000,
                                                                  0.4)])
    assert len(data.cpu) == 0, "no row yet: nothing drawn"
    data.add([Span(worker, "run", 0, 300_000_000, "")])
    assert list(data.cpu.values) == [0.9, 0.4]
    assert list(data.cpu.starts) == [0.0, 0.1] and list(data.cpu.ends) == [0.1, 0.2]
    assert not data.metric_names("thread_cpu"), "per-thread CPU is not a lesson measure"


def test_lag_samples_are_kept_in_order():
    data = RunData(t0=0)
    data.add_lag(0.01, 1.5)
    data.add_lag(0.02, 40.0)
    assert list(data.lag.times) == [0.01, 0.02] and list(data.lag.values) == [1.5, 40.0]


def test_a_workers_console_lines_between_two_times():
    data = RunData(t0=0)
    a, b = Worker(1, 1, "main"), Worker(1, 2, "Thread 1")
    data.add([Line(a, 100, "a1", "stdout"), Line(b, 200, "b1", "stdout"),
              Line(a, 2_000_000_000, "a2", "stdout")])
    row = data.rows[(1, 1)]
    assert [line.text for line in data.lines_of(row, 0.0, 1.0)] == ["a1"]
    assert data.row_at(0) is row and data.row_at(5) is None


def test_a_loops_later_threads_share_the_rows_of_their_names():
    """Round 2's 'Thread 1' (a new thread id) is drawn, sampled and filtered on round 1's row."""
    data = RunData(0)
    data.reuse_rows = True
    first, second = Worker(1, 11, "Thread 1"), Worker(1, 12, "Thread 1")
    data.add([Span(first, "run", 0, 10**9, "round 1"), Span(second, "run", 2 * 10**9,
                                                             3 * 10**9, "round 2"),
              Line(second, 2_500_000_000, "hi", "stdout"),
              Metric("thread_cpu:1:12", 3 * 10**9, 0.5)])
    assert len(data.rows) == 1 and data.spans["run"].rows.tolist() == [0, 0]
    assert len(data.cpu) == 1, "the new thread's CPU sample lands on the shared row"
    assert set(data.thread_keys) == {(1, 11), (1, 12)}
    row = data.row_at(0)
    assert [line.text for line in data.lines_of(row, 2.0, 3.0)] == ["hi"]


def test_without_a_loop_each_thread_has_its_own_row():
    data = RunData(0)
    data.add([Span(Worker(1, 11, "Thread 1"), "run", 0, 1, ""),
              Span(Worker(1, 12, "Thread 1"), "run", 2, 3, "")])
    assert len(data.rows) == 2


def test_a_flood_of_lines_keeps_the_newest_and_ticks_only_the_first() -> None:
    from desktop.data import rundata
    from scenarios.engine.events import Line, Worker

    data = rundata.RunData(0, "script:loud.py", "process")
    worker = Worker(10, 11, "main")
    total = rundata.MAX_KEPT_LINES + 5
    data.add([Line(worker, i * 1000, f"line {i}", "stdout") for i in range(total)])
    assert data.lines[-1].text == f"line {total - 1}"
    assert data.dropped_lines + len(data.lines) == total
    assert len(data.marks) == rundata.MAX_PRINT_MARKS
    assert data.latest_s >= (total - 1) * 1e-6  # the run lasts as long as it prints


def test_a_lane_s_slice_goes_in_its_thread_s_cpu_strip_and_keeps_the_row_s_name() -> None:
    from desktop.data import rundata
    from scenarios.engine.events import Span, Worker

    data = rundata.RunData(0, "gil_cpu_bound", "process")
    data.add([Span(Worker(10, 11, "Thread 1"), "run", 0, 10_000_000, "count")])
    data.add([Span(Worker(10, 11, ""), rundata.ON_CPU, 1_000_000, 6_000_000, "on a CPU")])
    assert [label for _, label in data.row_labels()] == ["Thread 1 · 10", rundata.LANE_NAME]
    assert rundata.ON_CPU not in data.spans and len(data.slices) == 1 and not len(data.cpu)
    assert data.lane_position == 1


def test_the_lane_gives_threads_running_alongside_each_other_tracks_of_their_own() -> None:
    from desktop.data import rundata
    from scenarios.engine.events import Span, Worker

    def on_cpu(pid: int, tid: int, start_ms: int, end_ms: int) -> Span:
        return Span(Worker(pid, tid, f"{pid}.{tid}"), rundata.ON_CPU, start_ms * 1_000_000,
                    end_ms * 1_000_000, "on a CPU")

    data = rundata.RunData(0, "gil_cpu_bound", "process")
    assert data.lane_position is None and data.slots() == {}
    # two threads take turns for 20 ms; then two processes run side by side
    data.add([on_cpu(1, 1, 0, 5), on_cpu(1, 2, 5, 10), on_cpu(1, 1, 10, 15),
              on_cpu(1, 2, 15, 20), on_cpu(2, 2, 30, 40), on_cpu(3, 3, 30, 40)])
    slots = {row.name: data.slots()[row.order] for row in data.rows.values()}
    assert slots == {"1.1": 0, "1.2": 1, "2.2": 0, "3.3": 1}  # the later pair reuses the tracks
    assert data.lane_position == 4 and data.row_labels()[-1] == (4, rundata.LANE_NAME)
