"""Output files that appear whole or not at all: temporaries beside the target, checks, sweeping.

A render writes into a temporary file in the target's folder (same file system, so the final
`os.replace` is atomic); a temporary left by a killed filmkit is swept once its pid is gone.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from filmkit.atomic import TEMP_MARK, UMASK, sweep, temp_affixes  # noqa: F401  (TEMP_MARK: re-exported)
from filmkit.errors import Interrupted, OutputError
from filmkit.paths import resolved


def check_output_path(target: Path, protected: list[Path]) -> None:
    """Refuse outputs that would destroy an input, a device or a folder, before any work starts."""
    if resolved(target) in {resolved(p) for p in protected}:
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


def remove_stale_temporaries(target: Path) -> None:
    """Delete temporaries in the target's folder left by a filmkit that was killed (its pid is gone)."""
    sweep(target.parent)


@contextlib.contextmanager
def temporary_beside(target: Path) -> Iterator[Path]:
    """A temp file in the target's folder (same file system, so the final move is atomic)."""
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name such as {target / 'film.mp4'}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)
        prefix, suffix = temp_affixes(target)
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=suffix)
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
