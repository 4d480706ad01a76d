"""The headless command line: `python -m scenarios list|run|step|explore|trace`."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from typing import Any

from scenarios.engine import backends, exploring, interpreters, scripts, stepping
from scenarios.engine.events import Line, count_by_type
from scenarios.lessons import catalogue
from scenarios.model.lesson import Lesson
from scenarios.model.params import ParamError, shown
from scenarios.model.words import plural

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Print one clear line and exit 2 (no usage dump)."""
        sys.stderr.write(one_line(f"{self.prog}: {message}") + "\n")
        raise SystemExit(EXIT_BAD_INPUT)


class UnknownLesson(LookupError):
    """A lesson id the catalogue does not have; the message names the known ones."""


class BadSchedule(ValueError):
    """A schedule step that cannot be taken; the message names the step and why."""


class BadInput(ValueError):
    """A script that cannot be run (missing, not Python, a syntax error): one line says why."""


def one_line(text: str) -> str:
    """The text with every line break and other unprintable character escaped, as repr does.

    argparse quotes some values it refuses as they are (`unrecognized arguments: a<newline>b`).
    """
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def build_parser() -> argparse.ArgumentParser:
    """The CLI's argument parser."""
    parser = _Parser(prog="python -m scenarios", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    listing = sub.add_parser("list", help="list the lessons")
    listing.add_argument("--json", action="store_true", help="print JSON")
    running = sub.add_parser("run", help="run one lesson headless")
    running.add_argument("id", help="lesson id (see `list`)")
    running.add_argument("--backend", default="", choices=("thread", "process"),
                         help="where the lesson runs (default: thread; process with --python)")
    running.add_argument("--python", default="", metavar="PATH",
                         help="run the lesson's process on this Python (CPython 3.10 or newer, "
                         "a free-threaded 3.13t too); implies --backend process")
    running.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                         dest="assignments", help="set a parameter (repeatable)")
    running.add_argument("--json", action="store_true", help="print one JSON object")
    stepping = sub.add_parser("step", help="run one lesson in step mode, on a schedule")
    stepping.add_argument("id", help="lesson id (see `list`)")
    stepping.add_argument("--schedule", default="", metavar="1,2,1,2",
                          help="which thread takes each step; after it, the lowest-numbered "
                          "thread that can run")
    stepping.add_argument("--backend", default="thread", choices=("thread", "process"))
    stepping.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                          dest="assignments", help="set a parameter (repeatable)")
    stepping.add_argument("--json", action="store_true", help="print one JSON object")
    exploring_ = sub.add_parser("explore", help="run every schedule of a small lesson run")
    exploring_.add_argument("id", help="lesson id (see `list`)")
    exploring_.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                            dest="assignments", help="set a parameter (repeatable)")
    exploring_.add_argument("--backend", default="thread", choices=("thread", "process"))
    exploring_.add_argument("--limit", type=int, default=exploring.MAX_RUNS,
                            help="stop after this many runs")
    exploring_.add_argument("--json", action="store_true", help="print one JSON object")
    tracing = sub.add_parser("trace", help="run your own script, traced, in a process of its own")
    tracing.add_argument("--input", default="", metavar="TEXT",
                         help="what the script reads on stdin (input()); none: EOF at once")
    tracing.add_argument("--json", action="store_true", help="print one JSON object")
    tracing.add_argument("script", help="the script's path (.py)")
    tracing.add_argument("args", nargs=argparse.REMAINDER,
                         help="the script's arguments (a last --json is the lab's)")
    return parser


def list_lessons(as_json: bool) -> None:
    """Print the catalogue."""
    lessons = catalogue.lessons()
    if as_json:
        print(json.dumps([lesson.to_json() for lesson in lessons], indent=2))
        return
    for lesson in lessons:
        print(f"{lesson.id:<22} {lesson.section:<20} {lesson.summary}")


def run_lesson(lesson_id: str, backend: str, assignments: list[str], as_json: bool,
               python_path: str = "") -> int:
    """Run one lesson to its end and print what happened; the exit code says if it went well."""
    lesson = find_lesson(lesson_id)
    params = lesson.parse(assignments)
    python = None
    if python_path:
        if backend == "thread":
            raise BadInput("--python runs the lesson's process on another Python: it needs "
                           "--backend process")
        backend = "process"
        python = interpreters.check(python_path)
    backend = lesson.backend_of(params, backend or "thread")  # a lesson of ways picks its own
    run = backends.make_run(lesson, params, backend, python=python)
    events, wall_s = _follow(run, as_json)
    result = backends.result_of(events)
    report = {
        "scenario": lesson.id,
        "backend": backend,
        "params": params,
        "ok": bool(result and result.error is None and not result.stopped),
        "error": _error_text(result),
        "wall_s": round(wall_s, 4),
        "result": result.values if result else {},
        "events": count_by_type(events),
        "python": (python or interpreters.this_python()).report,
        "python_path": (python or interpreters.this_python()).path,
        "cpu_count": os.cpu_count(),
    }
    if as_json:
        print(json.dumps(report, indent=2, default=str))
    else:
        print(json.dumps(report["result"], indent=2, default=str))
    return 0 if report["ok"] else 1


def _follow(run: backends.Run, quiet: bool) -> tuple[list[Any], float]:
    """Start the run and echo its lines until it ends (Ctrl+C stops it); events, wall time."""
    started = time.perf_counter()
    run.start()
    events: list[Any] = []
    try:
        while not run.wait(0.05):
            events += _echo(run.collector.drain(), quiet)
    except KeyboardInterrupt:
        run.close()
    wall_s = time.perf_counter() - started
    events += _echo(run.collector.drain(), quiet)
    return events, wall_s


def trace_script(path: str, args: list[str], stdin: str, as_json: bool) -> int:
    """Run a script traced, echo what it prints; the exit code is the script's (1 if stopped)."""
    if args and args[-1] == "--json":
        args, as_json = args[:-1], True
    try:
        scripts.check_script(path)
    except scripts.BadScript as exc:
        raise BadInput(str(exc)) from None
    run = scripts.ScriptRun(path, args, stdin)
    events, wall_s = _follow(run, as_json)
    result = backends.result_of(events)
    values = result.values if result else {}
    code = values.get("exit_code")
    report = {
        "script": os.path.abspath(path),
        "args": args,
        "ok": bool(result and result.error is None and not result.stopped),
        "error": _error_text(result),
        "exit_code": code,
        "wall_s": round(wall_s, 4),
        "result": values,
        "events": count_by_type(events),
        "python": sys.version.split()[0] + f" ({platform.python_implementation()})",
        "cpu_count": os.cpu_count(),
    }
    if as_json:
        print(json.dumps(report, indent=2, default=str))
    elif report["error"]:
        sys.stderr.write(one_line(f"error: {report['error']}") + "\n")
    return code if isinstance(code, int) and 0 <= code < 256 else (0 if report["ok"] else 1)


def step_lesson(lesson_id: str, schedule_text: str, assignments: list[str],
                as_json: bool, backend: str = "thread") -> int:
    """Run one lesson in step mode on a schedule and print its steps and result."""
    lesson = find_lesson(lesson_id)
    params = lesson.parse(assignments)
    try:
        schedule = stepping.parse_schedule(schedule_text)
    except ValueError as exc:
        raise ParamError(str(exc)) from None
    try:
        played, result = exploring.run_schedule(lesson, params, schedule, backend)
    except stepping.ScheduleError as exc:
        raise BadSchedule(str(exc)) from None
    except TimeoutError as exc:
        sys.stderr.write(one_line(f"error: {exc}") + "\n")
        return 1
    report = {
        "scenario": lesson.id,
        "backend": backend,
        "params": params,
        "schedule": played.schedule,
        "steps": [step.to_json() for step in played.steps],
        "deadlock": played.deadlock,
        "ok": bool(result and result.error is None and not result.stopped),
        "error": played.deadlock or _error_text(result),
        "result": result.values if result else {},
    }
    if as_json:
        print(json.dumps(report, indent=2, default=str))
    else:
        for number, step in enumerate(played.steps, start=1):
            print(f"{number:3d}. {step.describe()}")
        print(played.deadlock or json.dumps(report["result"], default=str))
    return 0 if report["ok"] else 1


def explore_lesson(lesson_id: str, assignments: list[str], limit: int, as_json: bool,
                   backend: str = "thread") -> int:
    """Run every schedule of the lesson (small sizes) and print the outcomes and examples."""
    lesson = find_lesson(lesson_id)
    params = lesson.parse(assignments)
    if limit < 1:
        raise ParamError(f"--limit must be 1 or more, not {limit}")
    started = time.perf_counter()
    try:
        explored = exploring.explore(lesson, params, limit, backend)
    except TimeoutError as exc:
        sys.stderr.write(one_line(f"error: {exc}") + "\n")
        return 1
    wall_s = time.perf_counter() - started
    counts = explored.counts()
    report = {
        "scenario": lesson.id,
        "backend": backend,
        "params": params,
        "schedules": explored.schedules(),
        "runs": explored.runs,
        "complete": explored.complete,
        "pruned": explored.pruned,  # counted, not run: their state was reached by another
        "outcomes": dict(counts.most_common()),
        "examples": explored.examples(),
        "wall_s": round(wall_s, 3),
        "schedules_per_s": round(explored.schedules() / wall_s, 1) if wall_s > 0 else 0.0,
        "runs_per_s": round(explored.runs / wall_s, 1) if wall_s > 0 else 0.0,
    }
    if as_json:
        print(json.dumps(report, indent=2, default=str))
    else:
        total = report["schedules"]
        print(f"{plural(total, 'schedule')}: {explored.runs} run, {explored.pruned} counted "
              "without running (the same state as one run)"
              + ("" if explored.complete else " (stopped at --limit)"))
        for outcome, count in counts.most_common():
            example = ",".join(map(str, report["examples"][outcome]))
            print(f"  {count:5d} of {total}  {outcome:24s} e.g. --schedule {example}")
    return 0


def find_lesson(lesson_id: str) -> Lesson:
    """The lesson with this id, or UnknownLesson naming the id given and the known ones."""
    if lesson_id not in catalogue.ids():
        known = ", ".join(catalogue.ids())
        raise UnknownLesson(f"no lesson {shown(lesson_id)} (known: {known})")
    return catalogue.get(lesson_id)


def _error_text(result: Any) -> str | None:
    if result is None:
        return "the lesson ended without a result"
    if result.stopped:
        return "stopped"
    return result.error


def _echo(events: list[Any], quiet: bool) -> list[Any]:
    if not quiet:
        for event in events:
            if isinstance(event, Line):
                stream = sys.stderr if event.stream == "stderr" else sys.stdout
                print(f"[{event.worker.name}] {event.text}", file=stream)
    return events


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m scenarios`."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "list":
            list_lessons(args.json)
            return 0
        if args.command == "explore":
            return explore_lesson(args.id, args.assignments, args.limit, args.json, args.backend)
        if args.command == "trace":
            return trace_script(args.script, args.args, args.input, args.json)
        if args.command == "step":
            return step_lesson(args.id, args.schedule, args.assignments, args.json, args.backend)
        return run_lesson(args.id, args.backend, args.assignments, args.json, args.python)
    except (ParamError, UnknownLesson, BadSchedule, BadInput, interpreters.BadInterpreter
            ) as exc:
        sys.stderr.write(one_line(f"error: {exc}") + "\n")
        return EXIT_BAD_INPUT
