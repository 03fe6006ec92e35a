"""Paths from users, checked before anything is opened.

A path in a project file (or on the command line) may hold a NUL byte or a name longer than any
file system allows, and it may name a FIFO, a device, a folder or a loop of symbolic links.
Opening a FIFO waits for a writer forever and a device reads without end, so whatever filmkit
reads is first looked at with `os.stat`, which never blocks, and refused unless it is a regular
file. Resolving never raises: a path that cannot be resolved is compared as written.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

MAX_NAME_BYTES = 255  # NAME_MAX of ext4, XFS, APFS and (in UTF-16 units) NTFS
MAX_PATH_BYTES = 4096  # PATH_MAX on Linux
_SEPARATORS = re.compile(r"[/\\]")


def path_text_problem(text: str) -> str | None:
    """Why `text` can be no file's path (NUL byte, a name or a path too long); None when it can."""
    if not text.strip():
        return "the path is empty; give the file's path (relative to the project file)"
    if "\x00" in text:
        return (f"{_shown(text)} contains a NUL byte (\\0), which no file name can hold; remove it "
                "(it often comes from a copy and paste)")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_PATH_BYTES:
        return f"the path is {size} bytes long; a path is at most {MAX_PATH_BYTES} bytes. Shorten it"
    for name in _SEPARATORS.split(text):
        size = len(name.encode("utf-8", "surrogatepass"))
        if size > MAX_NAME_BYTES:
            return (f"the name {_shown(name)} in this path is {size} bytes long; a file or folder name is at most "
                    f"{MAX_NAME_BYTES} bytes (in UTF-8). Rename the file and shorten the name here")
    return None


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:40] + "…" + text[-12:])


def resolved(path: Path | str, base: Path | None = None) -> Path:
    """`path` (relative to `base`, if given) made absolute with `~`, `..` and symbolic links
    resolved; only made absolute when it cannot be resolved (a symbolic link loop, a NUL byte,
    an unknown home folder), so that the file's own check can say what is wrong with it."""
    joined = Path(path) if base is None else Path(base) / path
    try:
        expanded = Path(path).expanduser()
        return (expanded if base is None or expanded.is_absolute() else Path(base) / expanded).resolve()
    except (OSError, RuntimeError, ValueError):
        return Path(os.path.abspath(joined))


def not_a_file(path: Path) -> str | None:
    """What `path` is when it is not a regular file filmkit may open (following symbolic links),
    said so a user can fix it; None for a regular file. Uses os.stat only: never blocks."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "does not exist; check the path and its spelling"
    except OSError as exc:
        return _stat_failure(exc)
    except ValueError:  # a NUL byte
        return "is not a valid path (it contains a NUL byte)"
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file; give the path of a file inside it"
    if stat.S_ISFIFO(mode):
        return ("is a named pipe (FIFO), not a file: reading it would wait for a writer forever. Point it at a "
                "regular file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file: reading it would never end. Point it at a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file. Point it at a regular file"
    return "is not a regular file. Point it at a regular file"


def _stat_failure(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return ("is a symbolic link that loops (it leads back to itself); point it at the real file, or "
                "fix the link")
    if exc.errno == errno.ENAMETOOLONG:
        return "is a path too long for the file system; shorten it"
    if exc.errno == errno.ENOTDIR:
        return "cannot exist: a part of the path is a file, not a folder"
    if exc.errno == errno.EACCES:
        return "cannot be read (permission denied); check the permissions of the file and its folders"
    return f"cannot be read ({exc.strerror or exc})"
