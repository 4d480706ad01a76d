"""The run history numbers runs, tells their outcome, and exports them as CSV."""

import csv
import io
import json
from datetime import datetime

import pytest

from desktop.data.history import RunHistory


def add_run(history, lesson="race_counter", params=None, values=None, error=None,
            stopped=False, wall_s=1.5):
    return history.add(lesson, "thread", params or {}, values or {}, error, stopped, wall_s)


def exported(history):
    return list(csv.DictReader(io.StringIO(history.csv_text())))


def test_runs_are_numbered_in_the_order_they_finish():
    history = RunHistory()
    numbers = [add_run(history, lesson).number for lesson in ("a", "b", "a")]
    assert numbers == [1, 2, 3]
    assert [r.number for r in history.records] == [1, 2, 3]


def test_the_runs_of_one_lesson_come_oldest_first():
    history = RunHistory()
    for lesson in ("a", "b", "a", "c"):
        add_run(history, lesson)
    assert [r.number for r in history.of_lesson("a")] == [1, 3]
    assert history.of_lesson("nothing") == []


def test_clearing_forgets_every_run_and_numbering_starts_again():
    history = RunHistory()
    add_run(history)
    add_run(history)
    history.clear()
    assert history.records == [] and history.of_lesson("race_counter") == []
    assert add_run(history).number == 1


def test_a_record_keeps_its_own_copy_of_params_and_values():
    history = RunHistory()
    params, values = {"workers": 2}, {"speedup": 1.8}
    record = add_run(history, params=params, values=values)
    params["workers"], values["speedup"] = 8, 0.0
    assert (record.params, record.values) == ({"workers": 2}, {"speedup": 1.8})


def test_the_start_is_stamped_to_the_second():
    record = add_run(RunHistory())
    assert datetime.fromisoformat(record.started).microsecond == 0


@pytest.mark.parametrize("error, stopped, ok, outcome", [
    (None, False, True, "ok"),
    (None, True, False, "stopped"),
    ("ValueError: boom", False, False, "error: ValueError: boom"),
    ("stopped by the user", True, False, "stopped"),
])
def test_the_outcome_is_ok_stopped_or_the_error(error, stopped, ok, outcome):
    record = add_run(RunHistory(), error=error, stopped=stopped)
    assert record.ok is ok
    assert record.outcome == outcome


def test_the_csv_parses_back_with_params_and_result_as_json():
    history = RunHistory()
    add_run(history, params={"workers": 4, "lock": True}, values={"speedup": 3.2, "n": 7},
            wall_s=2.0)
    add_run(history, "pool, \"speedup\"", params={"note": "a, b\nc ✓"}, error="bad, \"x\"",
            wall_s=0.123456)
    first, second = exported(history)
    assert list(first) == ["run", "started", "lesson", "backend", "wall_s", "outcome",
                           "params", "result"]
    assert (first["run"], first["lesson"], first["backend"]) == ("1", "race_counter", "thread")
    assert (first["wall_s"], first["outcome"]) == ("2.0000", "ok")
    assert json.loads(first["params"]) == {"workers": 4, "lock": True}
    assert json.loads(first["result"]) == {"speedup": 3.2, "n": 7}
    assert (second["run"], second["lesson"]) == ("2", 'pool, "speedup"')
    assert (second["wall_s"], second["outcome"]) == ("0.1235", 'error: bad, "x"')
    assert json.loads(second["params"]) == {"note": "a, b\nc ✓"}
    assert json.loads(second["result"]) == {}


def test_an_empty_history_is_just_the_header():
    assert exported(RunHistory()) == []
    assert RunHistory().csv_text().splitlines() == [
        "run,started,lesson,backend,wall_s,outcome,params,result"]


def test_values_that_are_not_json_do_not_break_the_csv():
    history = RunHistory()
    add_run(history, params={"sizes": (1, 2)}, values={"pids": {3}, "pair": (1, "a"),
                                                       "when": datetime(2025, 1, 2),
                                                       "by_pid": {7: "x"}})
    (row,) = exported(history)
    assert json.loads(row["params"]) == {"sizes": [1, 2]}
    result = json.loads(row["result"])
    assert result["pids"] == [3] and result["pair"] == [1, "a"]
    assert result["when"] == "2025-01-02 00:00:00" and result["by_pid"] == {"7": "x"}


def test_a_dict_keyed_by_tuples_does_not_break_the_csv():
    history = RunHistory()
    add_run(history, values={"counts": {(0, 1): 5}})
    (row,) = exported(history)
    assert json.loads(row["result"]) == {"counts": {"(0, 1)": 5}}
