"""Where `import` and `timeline` may write: never over an input (the writing itself is
`filmkit.atomic.write_atomic`: never half a file)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

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
