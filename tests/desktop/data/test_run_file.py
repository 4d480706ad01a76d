"""A run saved as JSON or as one long CSV comes back column for column; bad files say why."""

import json
import os
import re
import time
from pathlib import Path

import numpy as np
import pytest

from desktop.data import run_file
from desktop.data.run_file import RunFileError
from desktop.data.rundata import ON_CPU, RunData
from scenarios.engine.events import Line, Mark, Metric, Result, Span, Table, Worker

T0 = 7_000_000_000_000  # a perf_counter_ns-sized start, so seconds are small differences
MAIN = Worker(100, 1, "main")
THREAD = Worker(100, 2, "Thread-1 (work)")
POOL = Worker(200, 3, "pool worker 1")
LAB = Worker(0, 0, "lab")
META = {"lesson": "race_counter", "backend": "process", "params": {"workers": 2, "lock": False},
        "wall_s": 1.25, "python": "3.11.7", "cores": 8}
ODD_TEXTS = ["a, b", 'say "hi"', "two\nlines", "ünïcødé → ✓ 🧵", ""]


def at(seconds):
    return T0 + round(seconds * 1e9)


def make_run():
    data = RunData(T0, "race_counter", "process")
    data.add([
        Metric(f"thread_cpu:{POOL.pid}:{POOL.tid}", at(0.1), 0.9),  # before its row: kept back
        Span(POOL, "run", at(0.0), at(0.4), ODD_TEXTS[0]),  # a worker speaks before main
        Span(MAIN, "run", at(0.0), at(0.05), ""),
        Mark(MAIN, at(0.0), "started"),
        Line(THREAD, at(0.06), "printed, with \"quotes\" ✓", "stdout"),
        Span(THREAD, "sleep", at(0.05), at(0.2), ODD_TEXTS[1]),
        Span(THREAD, "wait_lock", at(0.2), at(0.25), ODD_TEXTS[2]),
        Span(THREAD, "hold_lock", at(0.25), at(0.3), ODD_TEXTS[3]),
        Span(MAIN, "io", at(0.05), at(0.5), ODD_TEXTS[4]),
        Span(Worker(THREAD.pid, THREAD.tid, ""), ON_CPU, at(0.05), at(0.055), "on a CPU, 1 ms"),
        Span(Worker(POOL.pid, POOL.tid, ""), ON_CPU, at(0.1), at(0.3), "on a CPU, 1 ms"),
        Mark(THREAD, at(0.3), "exception: ValueError('x, y')"),
        Line(POOL, at(0.35), "to stderr,\nover two lines", "stderr"),
        Line(LAB, at(0.36), "workers: 2 → 3", "lab"),  # the lab's own line: no row, no tick
        Metric("counter", at(0.1), 1.0),
        Metric("counter", at(0.2), 5.0),
        Metric("core:0", at(0.1), 0.75),
        Metric(f"thread_cpu:{THREAD.pid}:{THREAD.tid}", at(0.1), 0.25),
        Metric(f"thread_cpu:{THREAD.pid}:{THREAD.tid}", at(0.2), 0.5),
        Metric(f"thread_cpu:{POOL.pid}:{POOL.tid}", at(0.2), 1.0),
        Table("threads alive", at(0.3), ("name", "alive"),
              (("main", True), ("Thread-1, (work)", False))),
        Mark(MAIN, at(0.5), "main ended"),
        Result(at(0.5), {"expected": 200, "actual": 187, "speedup": 1.8, "order": [3, 1, 2],
                         "note": 'lost, "some"\nupdates'}, None, False),
    ])
    data.add_lag(0.05, 3.5)
    data.add_lag(0.15, 12.25)
    return data


def assert_columns_equal(a, b):
    np.testing.assert_array_equal(a.rows, b.rows)
    np.testing.assert_allclose(a.starts, b.starts, atol=1e-9)
    np.testing.assert_allclose(a.ends, b.ends, atol=1e-9)
    np.testing.assert_allclose(a.values, b.values, atol=1e-9)
    assert a.labels == b.labels


def marks_of(data):
    m = data.marks
    return sorted(zip(m.rows.tolist(), np.round(m.starts, 9).tolist(), m.values.tolist(),
                      m.labels, strict=True))


def assert_same_run(a, b):
    assert [(r.pid, r.tid, r.name, r.order) for r in a.rows.values()] == \
        [(r.pid, r.tid, r.name, r.order) for r in b.rows.values()]
    assert a.pids == b.pids
    assert list(a.spans) == list(b.spans)
    for kind in a.spans:
        assert_columns_equal(a.spans[kind], b.spans[kind])
    # Loading adds the marks before the lines' ticks, so the entries match but not their order.
    assert marks_of(a) == marks_of(b)
    assert [(r, label) for r, _, label in a.notes] == [(r, label) for r, _, label in b.notes]
    np.testing.assert_allclose([s for _, s, _ in a.notes], [s for _, s, _ in b.notes], atol=1e-9)
    assert [(ln.worker, ln.text, ln.stream) for ln in a.lines] == \
        [(ln.worker, ln.text, ln.stream) for ln in b.lines]
    np.testing.assert_allclose([a.seconds(ln.time) for ln in a.lines],
                               [b.seconds(ln.time) for ln in b.lines], atol=1e-9)
    assert list(a.metrics) == list(b.metrics)
    for name in a.metrics:
        np.testing.assert_allclose(a.metrics[name].times, b.metrics[name].times, atol=1e-9)
        np.testing.assert_allclose(a.metrics[name].values, b.metrics[name].values, atol=1e-9)
    assert_columns_equal(a.cpu, b.cpu)
    assert_columns_equal(a.slices, b.slices)
    np.testing.assert_allclose(a.lag.times, b.lag.times, atol=1e-9)
    np.testing.assert_allclose(a.lag.values, b.lag.values, atol=1e-9)
    assert list(a.tables) == list(b.tables)
    for name, table in a.tables.items():
        other = b.tables[name]
        assert (table.name, table.columns, table.rows) == (other.name, other.columns, other.rows)
        assert abs(a.seconds(table.time) - b.seconds(other.time)) < 1e-9
    if a.result is None:
        assert b.result is None
    else:
        assert (a.result.values, a.result.error, a.result.stopped) == \
            (b.result.values, b.result.error, b.result.stopped)
    np.testing.assert_array_equal(a.display_order(), b.display_order())
    assert a.row_labels() == b.row_labels()
    assert a.latest_s == pytest.approx(b.latest_s, abs=1e-9)
    assert a.t0 == b.t0


def round_trip(tmp_path, data, suffix, meta=META):
    path = tmp_path / f"run{suffix}"
    run_file.save(path, data, meta)
    return run_file.load(path)


def test_the_example_run_has_everything_a_round_trip_should_keep():
    data = make_run()
    assert len(data.rows) == 3 and len(data.pids) == 2
    assert len(data.spans) == 5 and len(data.cpu) == 4 and len(data.lag) == 2
    assert len(data.slices) == 2 and data.row_labels()[-1] == (3, "on CPU / GIL")
    assert list(data.marks.values).count(1.0) == 2, "two printed lines, two ticks"
    assert list(data.display_order()) == [2, 0, 1], "main's process first, the worker's last"


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_a_run_comes_back_column_for_column(tmp_path, suffix):
    data = make_run()
    back, meta = round_trip(tmp_path, data, suffix)
    assert_same_run(data, back)
    assert meta == META
    assert (back.lesson_id, back.backend) == ("race_counter", "process"), "named from the meta"


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_a_printed_lines_tick_is_not_doubled_by_saving_twice(tmp_path, suffix):
    data = make_run()
    once, _ = round_trip(tmp_path, data, suffix)
    twice, _ = round_trip(tmp_path, once, suffix)
    assert len(twice.marks) == len(data.marks)
    assert list(twice.marks.values).count(1.0) == 2
    assert_same_run(data, twice)


@pytest.mark.parametrize("suffix", [".JSON", ".Csv"])
def test_the_suffix_is_read_in_any_case(tmp_path, suffix):
    data = make_run()
    back, _ = round_trip(tmp_path, data, suffix)
    assert_same_run(data, back)
    is_csv = (tmp_path / f"run{suffix}").read_text(encoding="utf-8").startswith("record,")
    assert is_csv == (suffix.lower() == ".csv")


@pytest.mark.parametrize("suffix", [".json", ".csv"])
@pytest.mark.parametrize("result", [None, Result(0, {}, "ValueError: boom, \"bad\"", False),
                                    Result(0, {"done": 3}, None, True)])
def test_no_result_an_error_and_a_stop_come_back(tmp_path, suffix, result):
    data = RunData(T0)
    data.add([Span(MAIN, "run", at(0), at(1), "")] + ([result] if result else []))
    back, _ = round_trip(tmp_path, data, suffix)
    assert_same_run(data, back)


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_an_empty_run_with_no_meta_comes_back(tmp_path, suffix):
    back, meta = round_trip(tmp_path, RunData(T0), suffix, meta={})
    assert_same_run(RunData(T0), back)
    assert meta == {}


def test_the_document_is_plain_json_and_the_csv_gives_the_same_document():
    doc = run_file.to_document(make_run(), META)
    assert json.loads(json.dumps(doc)) == doc
    assert doc["format"] == run_file.FORMAT and doc["version"] == run_file.VERSION
    assert run_file.csv_document(run_file.document_csv(doc)) == json.loads(json.dumps(doc))


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_twenty_thousand_spans_come_back_quickly(tmp_path, suffix):
    data = RunData(T0)
    workers = [Worker(100 + i % 4, i, f"Thread-{i}") for i in range(8)]
    data.add([Span(workers[i % 8], ("run", "sleep", "wait_lock")[i % 3], at(i * 1e-4),
                   at(i * 1e-4 + 5e-5), f"step {i}") for i in range(20_000)])
    started = time.perf_counter()
    back, _ = round_trip(tmp_path, data, suffix)
    # Save, load and compare take a fraction of a second; the bound leaves room for a busy machine.
    assert time.perf_counter() - started < 3.0
    assert sum(len(c) for c in back.spans.values()) == 20_000
    assert_same_run(data, back)


# -- faults found and fixed --------------------------------------------------------------
def test_a_carriage_return_in_a_label_survives_the_csv(tmp_path):
    data = RunData(T0)
    data.add([Span(MAIN, "run", at(0), at(1), "a\rb\r\nc"),
              Line(MAIN, at(0.5), "50%\r100%", "stdout")])
    back, _ = round_trip(tmp_path, data, ".csv")
    assert back.spans["run"].labels == ["a\rb\r\nc"]
    assert [ln.text for ln in back.lines] == ["50%\r100%"]


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_a_row_keeps_its_newest_name_when_a_line_carries_an_older_one(tmp_path, suffix):
    data = RunData(T0)
    data.add([Line(Worker(100, 7, "Thread-1"), at(0.1), "hi", "stdout"),
              Span(Worker(100, 7, "Thread-5"), "run", at(0.2), at(0.3), "")])
    back, _ = round_trip(tmp_path, data, suffix)
    assert [r.name for r in back.rows.values()] == ["Thread-5"]


# -- files that are not runs ---------------------------------------------------------------
def good_document():
    return {"format": run_file.FORMAT, "version": 1, "saved": "2025-01-01T00:00:00",
            "meta": {"lesson": "x"}, "t0_ns": T0, "rows": [[100, 1, "main"]],
            "spans": [[0, "run", 0.0, 1.0, "busy"]], "marks": [[0, 0.0, "started"]],
            "lines": [[100, 1, "main", 0.5, "hi", "stdout"]], "metrics": {"n": [[0.5, 1.0]]},
            "cpu": [[0, 0.5, 0.9]], "lag": [[0.1, 2.0]],
            "tables": [{"name": "t", "time_s": 0.5, "columns": ["a"], "rows": [[1]]}],
            "result": {"values": {"n": 1}, "error": None, "stopped": False}}


def damaged(**changes):
    doc = good_document()
    for key, value in changes.items():
        if value is None:
            del doc[key]
        else:
            doc[key] = value
    return doc


def test_the_hand_made_document_loads():
    data, meta = run_file.from_document(good_document())
    assert len(data.rows) == 1 and len(data.spans["run"]) == 1 and meta == {"lesson": "x"}


@pytest.mark.parametrize("doc", [{}, [], "run", None, 3, {"format": "something else"}])
def test_json_that_is_not_a_run_is_refused(doc):
    with pytest.raises(RunFileError, match="not a Concurrency Lab run"):
        run_file.from_document(doc)


@pytest.mark.parametrize("doc", [
    damaged(spans=None), damaged(rows=None), damaged(t0_ns=None),
    damaged(spans=[[99, "run", 0.0, 1.0, ""]]), damaged(cpu=[[99, 0.5, 1.0]]),
    damaged(spans=[[0, "run", "soon", 1.0, ""]]), damaged(rows=[[100, 1]]),
    damaged(tables=["t"]), damaged(result={"values": 5}), damaged(t0_ns=float("nan")),
])
def test_a_damaged_run_is_refused_with_a_reason(doc):
    with pytest.raises(RunFileError, match="damaged"):
        run_file.from_document(doc)


@pytest.mark.parametrize("doc", [
    # _rebuild: doc["metrics"].items()
    damaged(metrics=[]),
    # _rebuild: meta.get("lesson", "")
    damaged(meta="oops"),
    # json.loads reads 1e400 as inf; int(inf)
    damaged(t0_ns=1e400),
    # ns(): round(1e300 * 1e9)
    damaged(spans=[[0, "run", 1e300, 1.0, ""]]),
])
def test_a_damaged_run_of_the_wrong_shape_is_refused_too(doc):
    """A mark labelled 5 is read as "5"; these cannot be read at all."""
    with pytest.raises(RunFileError, match="damaged"):
        run_file.from_document(doc)


def load_text(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    with pytest.raises(RunFileError) as caught:
        run_file.load(path)
    assert str(caught.value)
    return str(caught.value)


@pytest.mark.parametrize("text", ["", "not json at all", "{\"format\": ", "[1, 2, 3]", "{}",
                                  "null", json.dumps(damaged(spans=None))])
def test_a_json_file_that_is_not_a_run_says_so(tmp_path, text):
    load_text(tmp_path, "run.json", text)


def test_a_file_that_is_not_utf8_says_so(tmp_path):
    assert "cannot read run.json" in load_text(tmp_path, "run.json", b"\xff\xfe\x00garbage")


def test_a_csv_with_other_columns_says_so(tmp_path):
    message = load_text(tmp_path, "run.csv", "name,value\nx,1\n")
    assert "columns" in message


def test_an_empty_csv_says_so(tmp_path):
    load_text(tmp_path, "run.csv", "")


def test_a_csv_with_the_right_columns_but_no_meta_is_not_a_run(tmp_path):
    load_text(tmp_path, "run.csv", ",".join(run_file.CSV_COLUMNS) + "\nrow,1,2,main,,,,,\n")


def test_a_csv_with_a_span_on_an_unknown_thread_says_so(tmp_path):
    doc = run_file.csv_document(run_file.document_csv(good_document()))
    text = run_file.document_csv(doc).replace("span,100,1,", "span,100,99,")
    load_text(tmp_path, "run.csv", text)


def test_a_csv_cut_short_says_so(tmp_path):
    load_text(tmp_path, "run.csv", run_file.document_csv(good_document()) + "span,100,1\r\n")


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(RunFileError, match="cannot read nothing.json"):
        run_file.load(tmp_path / "nothing.json")


def test_a_folder_is_not_a_run(tmp_path):
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(RunFileError, match="cannot read"):
        run_file.load(tmp_path / "folder.json")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads a file whatever its mode")
def test_a_file_without_read_permission_says_so(tmp_path):
    path = tmp_path / "secret.json"
    path.write_text(json.dumps(good_document()), encoding="utf-8")
    path.chmod(0)
    with pytest.raises(RunFileError, match="cannot read"):
        run_file.load(path)


# -- issue 22, cases 2 and 6: damaged values and files that are not files ------------------------
def with_meta(**meta):
    doc = good_document()
    doc["meta"] = {**doc["meta"], **meta}
    return doc


def nested(depth):
    value = 1
    for _ in range(depth):
        value = [value]
    return value


def with_result(**result):
    doc = good_document()
    doc["result"] = {**doc["result"], **result}
    return doc


@pytest.mark.parametrize(("doc", "why"), [
    (with_meta(wall_s="abc"), "meta.wall_s is 'abc'"),
    (with_meta(wall_s=-1), "meta.wall_s is -1"),
    (with_meta(lesson=5), "meta.lesson is 5"),
    (with_result(error=123), "result.error is 123"),
    (with_result(stopped="no"), "result.stopped"),
    (damaged(metrics={"n": [[0.1, float("nan")]]}), "in the metrics is not finite"),
    (damaged(lag=[[0.1, float("inf")]]), "in the UI lag is not finite"),
    (damaged(cpu=[[0, 0.5, float("nan")]]), "in the CPU samples is not finite"),
    (with_meta(params={"deep": nested(40)}), "nested more than"),
])
def test_a_damaged_value_is_named_before_anything_is_drawn(doc, why):
    with pytest.raises(RunFileError, match=re.escape(why)):
        run_file.from_document(doc)


def test_json_nested_100000_deep_is_refused_in_one_line(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(RunFileError, match="nested too deeply") as caught:
        run_file.load(path)
    assert "\n" not in str(caught.value)


def test_a_pipe_is_refused_at_once_not_waited_on(tmp_path):
    fifo = tmp_path / "run.json"
    os.mkfifo(fifo)
    started = time.perf_counter()
    with pytest.raises(RunFileError, match="not a regular file"):
        run_file.load(fifo)
    assert time.perf_counter() - started < 1.0


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_an_endless_device_is_refused():
    with pytest.raises(RunFileError, match="not a regular file"):
        run_file.load(Path("/dev/zero"))


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(good_document()))
    monkeypatch.setattr(run_file, "MAX_FILE_BYTES", 100)
    with pytest.raises(RunFileError, match="a saved run is at most"):
        run_file.load(path)


# -- issue 22, case 11: a long load tells how far it has come, and can be ended ------------------
def many_spans(count):
    doc = good_document()
    doc["spans"] = [[0, "run", i * 1e-4, i * 1e-4 + 5e-5, ""] for i in range(count)]
    return doc


def test_a_long_load_tells_its_progress_and_can_be_ended(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(many_spans(120_000)))
    told = []
    data, _ = run_file.load(path, told.append)
    assert len(data.spans["run"]) == 120_000
    assert told == sorted(told) and told[0] <= 0.1 and told[-1] >= 0.95 and len(told) >= 5

    class Enough(Exception):
        pass

    def cancel_half_way(fraction):
        if fraction > 0.5:
            raise Enough

    with pytest.raises(Enough):
        run_file.load(path, cancel_half_way)
