"""Output files that appear whole or not at all: temporaries beside the target, checks, sweeping.

A render writes into a temporary file in the target's folder (same file system, so the final
`os.replace` is atomic); a temporary left by a killed filmkit is swept once its pid is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from filmkit.errors import Interrupted, OutputError

TEMP_MARK = ".filmkit-part"


def check_output_path(target: Path, protected: list[Path]) -> None:
    """Refuse outputs that would destroy an input, a device or a folder, before any work starts."""
    if target.resolve() in {p.resolve() for p in protected}:
        raise OutputError(f"{target}: the output would overwrite one of the project's own files (the project, "
                          "its media or subtitles). Choose another -o")
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name such as {target / 'film.mp4'}")
    if target.exists() and not target.is_file():
        raise OutputError(f"{target}: exists and is not a regular file (a device, pipe or socket); "
                          "filmkit only replaces files. Choose another -o")
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"{target}: {parent} is a file, not a folder. Choose another -o")
            break


def _read_umask() -> int:
    """The process umask (read once at import: setting it is process-wide, so never from worker threads)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


UMASK = _read_umask()


def remove_stale_temporaries(target: Path) -> None:
    """Delete temporaries of `target` left by a filmkit that was killed (its pid is gone)."""
    for leftover in target.parent.glob(f".{glob_escape(target.stem)}.*{TEMP_MARK}*"):
        pid_text = leftover.name[len(target.stem) + 2 :].split("-", 1)[0]
        if pid_text.isdigit() and not _alive(int(pid_text)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def temporary_beside(target: Path) -> Iterator[Path]:
    """A temp file in the target's folder (same file system, so the final move is atomic)."""
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name such as {target / 'film.mp4'}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)
        handle, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.stem}.{os.getpid()}-", suffix=f"{TEMP_MARK}{target.suffix}"
        )
        # mkstemp makes the file private (0600); a film is an ordinary file, readable as umask allows.
        os.chmod(name, 0o666 & ~UMASK)
    except OSError as exc:
        raise OutputError(
            f"{target}: cannot write in {target.parent} ({exc.strerror}). "
            "Choose another output with -o, or fix the folder's permissions"
        ) from None
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; {target.name} was not written (nothing half-written was left)") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
