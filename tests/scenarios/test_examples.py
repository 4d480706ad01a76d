"""The deck's own programs (scenarios/examples) print the same traced in the lab as under python."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import pytest

from scenarios.engine.scripts import EXAMPLES, deck_examples
from tests.support import printed as lines
from tests.support import traced

# The quick ones (the others sleep for seconds between prints; bench.tracing runs the timed two).
QUICK = ["04_threading_cube_square.py", "07_threads_synchronization.py",
         "09_multiprocessing_global_list.py", "10_multiprocessing_array.py",
         "11_multiprocessing_value_array.py", "12_multiprocessing_queue.py",
         "14_multiprocessing_lock.py", "16_pool_map.py"]


def test_every_example_says_what_it_shows_from_the_deck() -> None:
    found = deck_examples()
    assert len(found) >= 12
    assert all(shows for _, shows in found)
    assert [path.name for path, _ in found] == sorted(path.name for path, _ in found)


@pytest.mark.parametrize("name", QUICK)
def test_an_example_prints_the_same_traced_as_plain(name: str, tmp_path) -> None:
    path = EXAMPLES / name
    plain = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                           cwd=tmp_path, timeout=60, check=True).stdout.splitlines()
    result, events = traced(str(path))
    assert result.error is None
    printed = [text for _, stream, text in lines(events) if stream == "stdout"]
    # Threads may print in another order, and under plain python two threads' prints may even
    # interleave within a line ("Cube = 8Sqare = 4"): the same characters, in any order.
    assert Counter("".join(printed)) == Counter("".join(plain))


def test_the_lab_s_own_threads_are_not_the_script_s(tmp_path) -> None:
    path = tmp_path / "count.py"
    path.write_text("import threading\n"
                    "print(threading.active_count(), [t.name for t in threading.enumerate()])\n")
    result, events = traced(str(path))
    assert [text for _, _, text in lines(events)] == ["1 ['MainThread']"]


def test_no_example_is_importable_as_a_module() -> None:
    assert all(re.match(r"\d", path.name) for path, _ in deck_examples())
