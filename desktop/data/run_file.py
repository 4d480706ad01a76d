"""A run saved to a file (JSON, or one long CSV) and read back into RunData, with no Qt."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import stat
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from desktop.data.files import json_text, write_atomic
from desktop.data.rundata import ON_CPU, THREAD_CPU, RunData
from scenarios.engine.events import Line, Mark, Metric, Result, Span, Table, Worker

FORMAT = "concurrency-lab run"
VERSION = 1
# One CSV row per record; `record` says which (meta, row, span, mark, line, metric, cpu,
# cpu_slice, lag, table). Spans and samples share the columns that fit them.
# What a damaged document can raise while it is rebuilt (a wrong type, size or shape anywhere).
DAMAGE = (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError,
          RecursionError)
# The document's event lists: checked as arrays once rebuilt, not value by value.
EVENTS = ("rows", "spans", "marks", "lines", "metrics", "cpu", "cpu_slices", "lag")
CSV_COLUMNS = ("record", "pid", "tid", "thread", "kind", "start_s", "end_s", "value", "text")
# A run file bigger than this is refused (a 10-minute run with every event is about 100 MB).
MAX_FILE_BYTES = 512 * 2**20
# A run document is a few levels deep (a table's rows of cells); far more is not one.
MAX_DEPTH = 32


class RunFileError(ValueError):
    """A file that is not a saved run (or is damaged); the message says what is wrong."""


# Told how far a load has come (0-1); it may raise (the user cancelled) to end the load.
Progress = Callable[[float], None]
# A rebuilt run's events are added this many at a time, the progress told between.
ADD_CHUNK = 50_000


def no_progress(_fraction: float) -> None:
    """Progress nobody watches."""


def to_document(data: RunData, meta: dict[str, Any]) -> dict[str, Any]:
    """Everything the window draws of a run, as plain JSON-ready data."""
    rows = sorted(data.rows.values(), key=lambda r: r.order)
    spans = [[int(r), kind, float(s), float(e), label]
             for kind, cols in data.spans.items()
             for r, s, e, label in zip(cols.rows, cols.starts, cols.ends, cols.labels,
                                       strict=True)]
    m = data.marks
    marks = [[int(r), float(at), label]
             for r, at, printed, label in zip(m.rows, m.starts, m.values, m.labels, strict=True)
             if not printed]  # a printed line's tick comes back with its line
    # a line goes under the row it is drawn on (a loop's later threads share earlier rows)
    lines = [[*data.row_key(ln.worker), ln.worker.name, data.seconds(ln.time), ln.text,
              ln.stream] for ln in data.lines]
    metrics = {name: [[float(t), float(v)] for t, v in zip(s.times, s.values, strict=True)]
               for name, s in data.metrics.items()}
    c = data.cpu
    cpu = [[int(r), float(e), float(v)] for r, e, v in zip(c.rows, c.ends, c.values, strict=True)]
    c = data.slices
    slices = [[int(r), float(s), float(e), label]
              for r, s, e, label in zip(c.rows, c.starts, c.ends, c.labels, strict=True)]
    lag = [[float(t), float(v)] for t, v in zip(data.lag.times, data.lag.values, strict=True)]
    tables = [{"name": t.name, "time_s": data.seconds(t.time), "columns": list(t.columns),
               "rows": [list(row) for row in t.rows]} for t in data.tables.values()]
    result = None
    if data.result is not None:
        result = {"values": data.result.values, "error": data.result.error,
                  "stopped": data.result.stopped}
    saved = datetime.now().isoformat(timespec="seconds")
    return {"format": FORMAT, "version": VERSION, "saved": saved,
            "meta": meta, "t0_ns": data.t0, "rows": [[r.pid, r.tid, r.name] for r in rows],
            "spans": spans, "marks": marks, "lines": lines, "metrics": metrics, "cpu": cpu,
            "cpu_slices": slices, "lag": lag, "tables": tables, "result": result}


def from_document(doc: Any, progress: Progress = no_progress) -> tuple[RunData, dict[str, Any]]:
    """Rebuild a run's data from a saved document, through the same path live events take.

    Everything is checked before anything is drawn: a damaged document raises RunFileError
    naming what is wrong, and no half-built run is shown.
    """
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise RunFileError("this is not a Concurrency Lab run file")
    check_values(doc)
    meta = check_meta(doc.get("meta"))
    check_result(doc.get("result"))
    try:
        data = _rebuild(doc, progress)
    except DAMAGE as exc:
        raise damaged(f"{type(exc).__name__}: {exc}") from exc
    check_finite(data)
    return data, meta


def check_finite(data: RunData) -> None:
    """Every time and value of the rebuilt run is a finite number (NaN cannot be drawn)."""
    arrays = {"the spans": [a for cols in data.spans.values() for a in (cols.starts, cols.ends)],
              "the marks": [data.marks.starts],
              "the metrics": [a for series in data.metrics.values()
                              for a in (series.times, series.values)],
              "the CPU samples": [data.cpu.starts, data.cpu.ends, data.cpu.values,
                                  data.slices.starts, data.slices.ends],
              "the UI lag": [data.lag.times, data.lag.values]}
    for where, columns in arrays.items():
        if not all(np.isfinite(column).all() for column in columns):
            raise damaged(f"a number in {where} is not finite (NaN or infinity)")


def damaged(why: str) -> RunFileError:
    """The error for a run file that is damaged, saying how."""
    return RunFileError(f"the run file is damaged: {why[:300]}")


def check_values(doc: dict[str, Any]) -> None:
    """Numbers finite, nothing nested deeper than MAX_DEPTH, beside the event lists.

    Looked at without recursion. The event lists (a million spans) are checked once they are
    arrays (check_finite), at numpy's speed.
    """
    stack: list[tuple[Any, str, int]] = [(v, k, 1) for k, v in doc.items() if k not in EVENTS]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise damaged(f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, float) and not math.isfinite(value):
            raise damaged(f"{where} holds {value}, not a finite number")
        if isinstance(value, dict):
            stack += [(v, f"{where}.{k}" if depth else str(k), depth + 1) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(v, where, depth + 1) for v in value]


def check_meta(meta: Any) -> dict[str, Any]:
    """The document's meta, with the types the window reads from it."""
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise damaged("its meta is not a table of values")
    wall = meta.get("wall_s")
    if wall is not None and (isinstance(wall, bool) or not isinstance(wall, int | float)
                             or wall < 0):
        raise damaged(f"meta.wall_s is {wall!r}, not a number of seconds")
    for key in ("lesson", "backend", "python"):
        if not isinstance(meta.get(key, ""), str):
            raise damaged(f"meta.{key} is {meta[key]!r}, not a text")
    if not isinstance(meta.get("params", {}), dict):
        raise damaged("meta.params is not a table of values")
    return dict(meta)


def check_result(result: Any) -> None:
    """The document's result: values a table, error a text or nothing, stopped yes or no."""
    if result is None:
        return
    if not isinstance(result, dict) or not isinstance(result.get("values"), dict):
        raise damaged("its result has no table of values")
    if result.get("error") is not None and not isinstance(result["error"], str):
        raise damaged(f"result.error is {result['error']!r}, not a text")
    if not isinstance(result.get("stopped"), bool):
        raise damaged(f"result.stopped is {result.get('stopped')!r}, not true or false")


def _rebuild(doc: dict[str, Any], progress: Progress = no_progress) -> RunData:
    meta = doc.get("meta") or {}
    data = RunData(int(doc["t0_ns"]), meta.get("lesson", ""), meta.get("backend", ""))

    def ns(seconds: float) -> int:
        return data.t0 + round(float(seconds) * 1e9)

    workers = [Worker(int(pid), int(tid), str(name)) for pid, tid, name in doc["rows"]]
    for worker in workers:
        data.row_of(worker)

    def worker(row: int) -> Worker:
        if not 0 <= row < len(workers):
            raise IndexError(f"row {row} of {len(workers)}")
        return workers[row]

    events: list[Any] = []
    events += [Span(worker(r), str(kind), ns(s), ns(e), str(label))
               for r, kind, s, e, label in doc["spans"]]
    events += [Span(worker(r), ON_CPU, ns(s), ns(e), str(label))
               for r, s, e, label in doc.get("cpu_slices", [])]  # none before issue 19
    progress(0.45)
    events += [Mark(worker(r), ns(at), str(label)) for r, at, label in doc["marks"]]
    events += [Line(Worker(int(pid), int(tid), str(name)), ns(at), str(text), str(stream))
               for pid, tid, name, at, text, stream in doc["lines"]]
    for name, points in doc["metrics"].items():
        events += [Metric(name, ns(t), float(v)) for t, v in points]
    for r, end, share in doc["cpu"]:
        w = worker(r)
        events.append(Metric(f"{THREAD_CPU}{w.pid}:{w.tid}", ns(end), float(share)))
    events += [Table(t["name"], ns(t["time_s"]), tuple(t["columns"]),
                     tuple(tuple(row) for row in t["rows"])) for t in doc["tables"]]
    result = doc.get("result")
    if result is not None:
        events.append(Result(ns(data.latest_s), dict(result["values"]), result["error"],
                             bool(result["stopped"])))
    progress(0.55)
    for first in range(0, len(events), ADD_CHUNK):
        data.add(events[first:first + ADD_CHUNK])
        progress(0.55 + 0.4 * min(1.0, (first + ADD_CHUNK) / len(events)))
    for row, saved in zip(sorted(data.rows.values(), key=lambda r: r.order), workers, strict=True):
        row.name = saved.name  # a thread id reused under another name keeps its last one
    for at, ms in doc["lag"]:
        data.add_lag(float(at), float(ms))
    return data


# -- files -------------------------------------------------------------------------------------
def as_text(path: Path, data: RunData, meta: dict[str, Any]) -> str:
    """A run as the text of a file: one long CSV for a .csv path, else JSON."""
    doc = to_document(data, meta)
    return document_csv(doc) if path.suffix.lower() == ".csv" else json_text(doc)


def save(path: Path, data: RunData, meta: dict[str, Any]) -> None:
    """Write a run as JSON (.json) or as one long CSV (.csv), replacing the file atomically."""
    write_atomic(path, as_text(path, data, meta))


def load(path: Path, progress: Progress = no_progress) -> tuple[RunData, dict[str, Any]]:
    """Read a run saved by `save` (JSON or CSV); RunFileError says what is wrong with it.

    Only a regular file of at most MAX_FILE_BYTES is read (a pipe would wait for ever, a
    device never ends). `progress` is told how far it has come, and may raise to cancel.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise RunFileError(f"cannot read {path.name}: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise RunFileError(f"cannot read {path.name}: it is a folder")
    if not stat.S_ISREG(info.st_mode):
        raise RunFileError(f"cannot read {path.name}: not a regular file (a pipe or a device)")
    if info.st_size > MAX_FILE_BYTES:
        raise RunFileError(f"{path.name} is {info.st_size / 2**20:,.0f} MB: a saved run is at "
                           f"most {MAX_FILE_BYTES // 2**20} MB")
    try:
        # newline="": a carriage return inside a quoted CSV field stays one
        with open(path, encoding="utf-8", newline="") as file:
            text = file.read(MAX_FILE_BYTES + 1)
    except (OSError, UnicodeDecodeError, MemoryError) as exc:
        raise RunFileError(f"cannot read {path.name}: {exc}") from exc
    progress(0.1)
    try:
        doc = csv_document(text) if path.suffix.lower() == ".csv" else json.loads(text)
    except RecursionError:
        raise RunFileError(f"{path.name} is nested too deeply to be a run file") from None
    except (csv.Error, *DAMAGE) as exc:
        raise RunFileError(f"{path.name} is not a readable run file ({exc})") from exc
    progress(0.3)
    return from_document(doc, progress)


# -- the long CSV ----------------------------------------------------------------------------
def document_csv(doc: dict[str, Any]) -> str:
    """A run document as one CSV table: spans, marks, lines and every sample, a row each."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    rows = doc["rows"]
    head = {k: doc[k] for k in ("format", "version", "saved", "meta", "t0_ns", "result")}
    writer.writerow(["meta", "", "", "", "", "", "", "", json_text(head)])
    for pid, tid, name in rows:
        writer.writerow(["row", pid, tid, name, "", "", "", "", ""])
    for r, kind, s, e, label in doc["spans"]:
        writer.writerow(["span", *rows[r], kind, repr(s), repr(e), "", label])
    for r, at, label in doc["marks"]:
        writer.writerow(["mark", *rows[r], "", repr(at), "", "", label])
    for pid, tid, name, at, text, stream in doc["lines"]:
        writer.writerow(["line", pid, tid, name, stream, repr(at), "", "", text])
    for name, points in doc["metrics"].items():
        for t, v in points:
            writer.writerow(["metric", "", "", "", name, repr(t), "", repr(v), ""])
    for r, end, share in doc["cpu"]:
        writer.writerow(["cpu", *rows[r], "", "", repr(end), repr(share), ""])
    for r, s, e, label in doc.get("cpu_slices", []):
        writer.writerow(["cpu_slice", *rows[r], "", repr(s), repr(e), "", label])
    for t, ms in doc["lag"]:
        writer.writerow(["lag", "", "", "", "", repr(t), "", repr(ms), ""])
    for table in doc["tables"]:
        writer.writerow(["table", "", "", "", table["name"], repr(table["time_s"]), "", "",
                         json_text(table)])
    return out.getvalue()


def csv_document(text: str) -> dict[str, Any]:
    """The run document back from `document_csv`'s table."""
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != CSV_COLUMNS:
        raise RunFileError("the CSV's columns are not those of a saved run")
    doc: dict[str, Any] = {"rows": [], "spans": [], "marks": [], "lines": [], "metrics": {},
                           "cpu": [], "cpu_slices": [], "lag": [], "tables": []}
    index: dict[tuple[int, int], int] = {}
    for rec in reader:
        kind = rec["record"]
        if kind == "meta":
            doc.update(json.loads(rec["text"]))
        elif kind == "row":
            index[(int(rec["pid"]), int(rec["tid"]))] = len(doc["rows"])
            doc["rows"].append([int(rec["pid"]), int(rec["tid"]), rec["thread"]])
        elif kind in ("span", "mark", "cpu", "cpu_slice"):
            row = index[(int(rec["pid"]), int(rec["tid"]))]
            if kind == "cpu_slice":
                doc["cpu_slices"].append([row, float(rec["start_s"]), float(rec["end_s"]),
                                          rec["text"]])
            elif kind == "span":
                doc["spans"].append([row, rec["kind"], float(rec["start_s"]),
                                     float(rec["end_s"]), rec["text"]])
            elif kind == "mark":
                doc["marks"].append([row, float(rec["start_s"]), rec["text"]])
            else:
                doc["cpu"].append([row, float(rec["end_s"]), float(rec["value"])])
        elif kind == "line":
            doc["lines"].append([int(rec["pid"]), int(rec["tid"]), rec["thread"],
                                 float(rec["start_s"]), rec["text"], rec["kind"]])
        elif kind == "metric":
            doc["metrics"].setdefault(rec["kind"], []).append(
                [float(rec["start_s"]), float(rec["value"])])
        elif kind == "lag":
            doc["lag"].append([float(rec["start_s"]), float(rec["value"])])
        elif kind == "table":
            doc["tables"].append(json.loads(rec["text"]))
    return doc
