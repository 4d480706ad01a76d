"""write_atomic writes a whole file or nothing: a failure leaves the old file and no temp file."""

import errno
import os
import stat

import pytest

from desktop.data import files
from desktop.data.files import write_atomic


def leftovers(folder, name):
    """Temporary files left beside `name` (any: their names no longer carry it)."""
    return sorted(p.name for p in folder.glob(".*.part"))


def no_space(*args):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_text_is_written_as_utf8(tmp_path):
    path = tmp_path / "run.json"
    write_atomic(path, "ünïcødé, ✓\nsecond line")
    assert path.read_bytes() == "ünïcødé, ✓\nsecond line".encode()
    assert leftovers(tmp_path, "run.json") == []


def test_bytes_are_written_as_they_are(tmp_path):
    path = tmp_path / "picture.png"
    write_atomic(path, b"\x89PNG\r\n\x1a\n\x00\xff")
    assert path.read_bytes() == b"\x89PNG\r\n\x1a\n\x00\xff"


def test_an_empty_file_can_be_written(tmp_path):
    path = tmp_path / "empty.csv"
    write_atomic(path, "")
    assert path.read_bytes() == b""


def test_an_existing_file_is_replaced(tmp_path):
    path = tmp_path / "run.csv"
    path.write_text("old and much longer than the new content", encoding="utf-8")
    write_atomic(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert leftovers(tmp_path, "run.csv") == []


@pytest.mark.parametrize("step", ["replace", "fsync"])
def test_a_full_disk_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch, step):
    path = tmp_path / "run.json"
    path.write_text("the earlier run", encoding="utf-8")
    monkeypatch.setattr(files.os, step, no_space)
    with pytest.raises(OSError) as caught:
        write_atomic(path, "the new run")
    assert caught.value.errno == errno.ENOSPC
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "the earlier run"
    assert leftovers(tmp_path, "run.json") == []
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"]


def test_a_failed_first_write_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(files.os, "replace", no_space)
    with pytest.raises(OSError):
        write_atomic(tmp_path / "new.json", "content")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "no such folder" / "run.json", "content")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root writes in a read-only folder; the full-disk cases cover this")
def test_a_read_only_folder_leaves_the_old_file_and_no_temp_file(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "run.json"
    path.write_text("the earlier run", encoding="utf-8")
    folder.chmod(0o555)
    try:
        with pytest.raises(PermissionError):
            write_atomic(path, "the new run")
    finally:
        folder.chmod(0o755)
    assert path.read_text(encoding="utf-8") == "the earlier run"
    assert leftovers(folder, "run.json") == []


def test_a_replaced_file_keeps_its_permissions_and_a_new_one_is_readable(tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("x")
    old.chmod(0o640)
    write_atomic(old, "y")
    write_atomic(new, "z")
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    assert stat.S_IMODE(new.stat().st_mode) == 0o644


# -- issue 22, cases 4 and 7 --------------------------------------------------------------------
def test_a_symbolic_link_is_written_through_and_stays_a_link(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_what_is_not_a_regular_file_is_refused_and_kept(tmp_path, kind):
    node = tmp_path / "node.json"
    if kind == "fifo":
        os.mkfifo(node)
    else:
        try:
            os.mknod(node, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # like /dev/null
        except PermissionError:
            pytest.skip("only root makes a device node")
    with pytest.raises(OSError, match="not a regular file"):
        write_atomic(node, "new")
    mode = node.lstat().st_mode
    assert stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISCHR(mode)
    assert [p.name for p in tmp_path.iterdir()] == ["node.json"]  # no temporary file left


def test_a_file_name_of_the_longest_legal_length_can_be_saved(tmp_path):
    path = tmp_path / ("r" * 250 + ".json")  # 255 characters: the most a name may have
    write_atomic(path, "{}")
    assert path.read_text() == "{}"
