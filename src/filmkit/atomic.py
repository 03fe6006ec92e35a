"""Files that appear whole or not at all, and the temporaries that make them.

Everything filmkit writes (films, posters, caption files, cards, proof sheets, the manifest) is
first written to a temporary beside its target, named `.<stem>.<pid>-<tag>.filmkit-part<ext>`,
and moved into place with `os.replace`. A temporary whose pid is no longer running was left by
a filmkit that was killed; `sweep` deletes those, whatever wrote them. A write that fails (a
full disk, a read-only folder) removes its temporary and says so in one OutputError.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from filmkit.errors import OutputError

TEMP_MARK = ".filmkit-part"
_OWNED = re.compile(r"^\..*\.(\d+)-[^./]*" + re.escape(TEMP_MARK))


def temporary_path(target: Path, tag: str) -> Path:
    """A temporary's name beside `target`, owned by this process (`tag` tells its pieces apart)."""
    return target.with_name(f".{target.stem}.{os.getpid()}-{tag}{TEMP_MARK}{target.suffix}")


def temp_affixes(target: Path) -> tuple[str, str]:
    """(prefix, suffix) for tempfile.mkstemp, giving a name `sweep` recognises."""
    return f".{target.stem}.{os.getpid()}-", f"{TEMP_MARK}{target.suffix}"


def owner(name: str) -> int | None:
    """The pid in a temporary's name, or None when the name is not a filmkit temporary's."""
    match = _OWNED.match(name)
    return int(match.group(1)) if match else None


def sweep(folder: Path) -> list[Path]:
    """Delete the temporaries in `folder` whose owner is gone; return what was deleted."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        pid = owner(entry.name)
        if pid is not None and pid != os.getpid() and not alive(pid):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process, or a number no pid can be: keep the file
    return True


def write_atomic(path: Path, data: bytes | str, *, mode: int | None = None, what: str = "the file",
                 validate: Callable[[Path], None] | None = None) -> Path:
    """Write `data` (text as UTF-8) to `path` through a temporary beside it; OutputError, with the
    temporary removed, when it cannot be written. `validate` checks the written temporary before
    it replaces anything (whatever it raises leaves `path` as it was)."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    temp: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        sweep(folder)
        prefix, suffix = temp_affixes(path)
        handle, temp = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
        if validate is not None:
            validate(Path(temp))
        os.chmod(temp, mode if mode is not None else 0o666 & ~UMASK)
        os.replace(temp, path)
        temp = None
    except OSError as exc:
        raise OutputError(cannot_write(path, exc, what)) from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    return path


def cannot_write(path: Path, exc: OSError, what: str = "the file") -> str:
    """One paragraph for a write the environment refused: which file, why, what to do."""
    return (f"{path}: cannot write {what} ({exc.strerror or exc}). {_fix(exc)}, then run the command again; "
            "nothing half-written was left")


def environment_failure(exc: OSError) -> str:
    """One paragraph for any other OSError (a full /tmp, a folder that vanished): what, why, what to do."""
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}. {_fix(exc)}, then run the command again"


_FIXES = {errno.ENOSPC: "Free some space on that disk", errno.EDQUOT: "Free some space (you are over your quota)",
          errno.EFBIG: "Free some space (or raise the file size limit)",
          errno.EROFS: "That file system is read-only: choose another folder",
          errno.EACCES: "Check the permissions, or choose another folder",
          errno.EPERM: "Check the permissions, or choose another folder",
          errno.ENOMEM: "Close other programs to free memory"}


def _fix(exc: OSError) -> str:
    return _FIXES.get(exc.errno or 0, "Check the file and its folder")


def _read_umask() -> int:
    """The process umask, read once at import: setting it is process-wide, so never from worker threads."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


UMASK = _read_umask()
