"""Writing files so that a failure (full disk, read-only folder) never loses an earlier file."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

# A new file's permissions, as open() would give them under the usual umask.
NEW_FILE_MODE = 0o644


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path` in one step.

    On any error (OSError: no space, no permission) the temporary file is removed, the old
    file at `path` is untouched, and the error goes to the caller to report. A symbolic link is
    written through (its target gets the content, the link stays); anything but a regular file
    (a device, a pipe, a folder) is refused with an OSError that says so.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    path = Path(os.path.realpath(path))  # through a link: the file it names is the one saved
    try:
        info = path.stat()
    except FileNotFoundError:
        mode = NEW_FILE_MODE
    else:
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a device, a pipe or a folder)",
                          str(path))
        mode = stat.S_IMODE(info.st_mode)  # a replaced file keeps its permissions
    # a short temporary name: a file name of the longest legal length must still fit beside it
    fd, temp = tempfile.mkstemp(prefix=".", suffix=".part", dir=path.parent)
    try:
        os.chmod(temp, mode)  # mkstemp makes it private (0600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def jsonable(value: Any) -> Any:
    """A value JSON can hold: dict keys as strings, tuples and sets as lists, the rest as str."""
    if isinstance(value, dict):
        return {k if isinstance(k, str) else str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def json_text(value: Any) -> str:
    """Any result or parameters as JSON text (never raises on odd types or keys)."""
    return json.dumps(jsonable(value))
