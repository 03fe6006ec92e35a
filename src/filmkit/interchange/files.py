"""Writing what `import` and `timeline` make: never over an input, never half a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from filmkit.atomic import cannot_write, temp_affixes
from filmkit.errors import OutputError
from filmkit.paths import resolved


def check_target(target: Path, *, explicit: bool, inputs: Sequence[Path]) -> None:
    """Refuse to write over an input, or over an existing file the user did not name with -o."""
    for source in inputs:
        if target.exists() and source.exists() and resolved(target) == resolved(source):
            raise OutputError(f"{target}: is the input file; write the result elsewhere with -o NEW-FILE")
    if target.exists() and not explicit:
        raise OutputError(f"{target}: already exists and was not named with -o; give -o {target} to replace it, "
                          "or -o with another name")
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name with -o")
    if not target.parent.is_dir():
        raise OutputError(f"{target}: the folder {target.parent} does not exist; create it or choose another -o")


def write_atomic(target: Path, data: bytes, validate: Callable[[Path], None] | None = None) -> None:
    """Write beside `target`, check the written file with `validate`, then move it into place."""
    prefix, suffix = temp_affixes(target)  # named with the pid: swept if filmkit is killed
    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=target.parent)
    except OSError as exc:
        raise OutputError(cannot_write(target, exc)) from None
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if validate is not None:
            validate(temporary)
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OutputError(cannot_write(target, exc)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
