"""Faults from outside: a worker process killed mid-run, an error anywhere in the window."""

from __future__ import annotations

import os
import signal

import psutil
import pytest

from desktop.startup.error_report import LOG_NAME, ErrorReport
from scenarios.engine.events import Mark

# pool_basics with its workers busy for half a minute: long enough to kill one mid-run
LONG_POOL = ["processes=2", "numbers=30", "delay=2"]


def start_and_wait_for_workers(qtbot, window, lesson_id: str, assignments: list[str]) -> None:
    """Start a process-back-end run and wait until its pool workers said they are up."""
    window.select(lesson_id)
    window.set_backend("process")
    assert window.apply_assignments(assignments)
    window.run_action.trigger()

    def workers_up() -> bool:
        marks = window.session.data.marks.labels if window.session else []
        return sum(str(label).startswith("worker up") for label in marks) >= 2

    qtbot.waitUntil(workers_up, timeout=30_000)


def lesson_process(window) -> psutil.Process:
    """The run's child process (the lesson's main)."""
    return psutil.Process(window.session.run.pid)


def test_a_killed_lesson_process_is_reported_and_the_app_goes_on(qtbot, window):
    start_and_wait_for_workers(qtbot, window, "pool_basics", LONG_POOL)
    with qtbot.waitSignal(window.run_finished, timeout=10_000) as blocker:
        os.kill(window.session.run.pid, signal.SIGKILL)
    result = blocker.args[0]
    assert result.error and "killed by SIGKILL" in result.error
    assert "killed by SIGKILL" in window.result_card.headline_text()
    assert not window.running and window.run_action.isEnabled()
    # still usable: the next run goes through
    window.set_backend("thread")
    assert window.apply_assignments(["numbers=2", "delay=0"])
    with qtbot.waitSignal(window.run_finished, timeout=30_000) as again:
        window.run_action.trigger()
    assert again.args[0].error is None


def test_a_killed_pool_worker_ends_the_run_with_a_message(qtbot, window):
    start_and_wait_for_workers(qtbot, window, "pool_basics", LONG_POOL)
    workers = lesson_process(window).children()
    assert len(workers) >= 2, "the pool's workers should be running"
    qtbot.wait(300)  # Pool.map has handed them their tasks
    with qtbot.waitSignal(window.run_finished, timeout=10_000) as blocker:
        workers[0].send_signal(signal.SIGKILL)
    result = blocker.args[0]
    assert result.error and "WorkerKilled" in result.error and "SIGKILL" in result.error
    assert any("SIGKILL" in line.text for line in window.session.data.lines)


def test_an_error_in_the_window_is_logged_and_shown_and_the_app_goes_on(qtbot, window,
                                                                      tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("desktop.startup.error_report.QMessageBox.open",
                        lambda box: shown.append(box))
    report = ErrorReport(window, tmp_path)
    try:
        raise ZeroDivisionError("a bug in a slot")
    except ZeroDivisionError as exc:
        report.report(type(exc), exc, exc.__traceback__)
    log = (tmp_path / LOG_NAME).read_text(encoding="utf-8")
    assert "ZeroDivisionError: a bug in a slot" in log
    assert len(shown) == 1 and "ZeroDivisionError" in shown[0].detailedText()
    assert str(tmp_path / LOG_NAME) in shown[0].text()
    assert window.isVisible()


def test_errors_from_other_threads_reach_the_dialog_once_at_a_time(qtbot, window, tmp_path,
                                                                 monkeypatch):
    import threading

    opened = []
    monkeypatch.setattr("desktop.startup.error_report.QMessageBox.open",
                        lambda box: (opened.append(box), box.show()))
    report = ErrorReport(window, tmp_path).install()
    try:
        def fail() -> None:
            raise ValueError("off the GUI thread")

        for _ in range(3):
            thread = threading.Thread(target=fail)
            thread.start()
            thread.join()
        qtbot.waitUntil(lambda: report.count == 3 and bool(opened), timeout=2000)
        qtbot.wait(50)
    finally:
        report.uninstall()
        for box in opened:
            box.close()
    assert len(opened) == 1, "a repeated error opened a dialog each time"
    # the same traceback is told once and counted
    assert opened[0].detailedText().count("ValueError: off the GUI thread") == 1
    assert "Errors this session: 3" in opened[0].informativeText()


def test_an_unwritable_log_folder_falls_back_to_stderr(qtbot, window, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    report = ErrorReport(window, blocker / "logs", dialogs=False)
    assert report.path is None
    report.report(RuntimeError, RuntimeError("still told"), None)
    assert "still told" in capsys.readouterr().err


@pytest.mark.parametrize("code, words", [(-9, "was killed by SIGKILL"), (3, "exit code 3")])
def test_how_a_process_ended_in_words(code, words):
    from scenarios.engine.processes import ended_how

    assert words in ended_how(code)


def test_marks_are_columns():  # the helper above relies on labels being a list
    from desktop.data.rundata import RunData
    from scenarios.engine.events import Worker

    data = RunData(0)
    data.add([Mark(Worker(1, 1, "main"), 0, "worker up (pid 5)")])
    assert list(data.marks.labels) == ["worker up (pid 5)"]
