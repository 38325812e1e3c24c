"""Writing results: atomically, so a failed or killed run never leaves a half-written file."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from pathlib import Path

from .errors import OutputClosed, OutputError, UsageError


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, fsync it, then rename over ``path``.

    Readers see either the old file or the complete new one, never a prefix.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would, or
        # the mode of the file it replaces.
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp_name, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def _umask() -> int:
    """The process umask, read without changing it (os.umask would, for a moment, for every
    thread); 022 where /proc does not say."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


def check_destination(output: str | Path | None, *, create: bool = True) -> Path | None:
    """Where a result goes: None for stdout (``-`` included); refused before any work is
    done when it cannot be written.

    The folder is really tried: a temporary file is created in it and removed, since
    ``os.access`` says yes to root for folders that take no new file (``/proc``). A missing
    folder is made, as the write would make it; with ``create=False`` (a dry run) nothing is
    made and the nearest folder that exists is tried instead.
    """
    if output is None or str(output) == "-":
        return None
    path = Path(output)
    if path.is_dir():
        raise UsageError(f"-o {path}: is a directory", hint="name a file to write")
    folder = path.parent
    if create:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"-o {path}: cannot create its folder ({exc.strerror or exc})",
                hint="check the path",
            ) from exc
    else:
        folder = _nearest_existing(folder)
        if not folder.is_dir():
            raise OutputError(
                f"-o {path}: cannot create its folder ({folder} is not a folder)",
                hint="check the path",
            )
    _try_a_file_in(folder, path)
    return path


def _nearest_existing(folder: Path) -> Path:
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def _try_a_file_in(folder: Path, path: Path) -> None:
    """Create and remove a temporary file in ``folder``, as the atomic write will."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=folder)
    except OSError as exc:
        raise OutputError(
            f"-o {path}: cannot create a file in {folder} ({exc.strerror or exc})",
            hint="write to a folder you can create files in",
        ) from exc
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(name)


def write_result(text: str, destination: Path | None) -> None:
    """Write to ``destination`` atomically, or to standard output when it is None."""
    if destination is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader went away (| head): stop quietly, as command-line tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise OutputClosed("standard output was closed by its reader") from None
        except OSError as exc:
            raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from exc
        return
    try:
        atomic_write_text(destination, text)
    except OSError as exc:
        raise OutputError(
            f"cannot write {destination}: {exc.strerror or exc}",
            hint="check the path and its folder",
        ) from exc
