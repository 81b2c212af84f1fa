"""Files written atomically, like the Rust writers (``chiso_io::write::output``): the content
goes to a temporary file in the same folder, which replaces the target only once complete, so a
failing or interrupted write never leaves a truncated report where a good one was."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[str]:
    """Yields a temporary path beside ``path``; on success it is renamed over ``path``.

    A missing folder raises ``FileNotFoundError``, a read-only one ``PermissionError``, a full
    disk ``OSError``; ``path`` is left as it was in every case.
    """
    target = os.path.realpath(os.fspath(path))
    if os.path.exists(target) and not os.path.isfile(target):
        if os.path.isdir(target):
            raise IsADirectoryError(21, "is a folder, not a file", os.fspath(path))
        # A device or a pipe (/dev/stdout, /dev/full) cannot be renamed over: written in place.
        yield target
        return
    folder = os.path.dirname(target) or "."
    if not os.path.isdir(folder):
        raise FileNotFoundError(2, f"folder {folder} does not exist", os.fspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".part", dir=folder)
    os.close(fd)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        if os.path.exists(target):
            os.chmod(tmp, os.stat(target).st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
