"""Typed errors: every failure a user can cause or meet, with the context to fix it.

The CLI is the only place that turns these into text on stderr and an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


class ExitStatus(IntEnum):
    OK = 0
    RENDER_FAILED = 1
    INVALID_INPUT = 2
    INTERRUPTED = 130


class FilmkitError(Exception):
    """Base of all errors filmkit reports to a user."""

    exit_status: ExitStatus = ExitStatus.INVALID_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Problem:
    """One finding in a project file: where, what was found, what is allowed."""

    file: Path
    line: int | None  # 1-based
    column: int | None  # 1-based
    key_path: str  # e.g. "cut[2].out"
    message: str

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = f" {self.key_path}:" if self.key_path else ""
        return f"{where}:{key} {self.message}"


class ProjectError(FilmkitError):
    """The edit-decision file is wrong; carries every problem found, each with its line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n\n".join(str(p) for p in self.problems))


class MediaError(FilmkitError):
    """A media file is missing, unreadable or not what the project asks of it."""


class SubtitleError(FilmkitError):
    """A subtitle file cannot be read."""


class PresetError(FilmkitError):
    """A platform preset is unknown, or a preset file is wrong (each problem with its line)."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])

    @classmethod
    def from_problems(cls, problems: list[Problem]) -> PresetError:
        return cls("\n\n".join(str(p) for p in problems), problems)


class InterchangeError(FilmkitError):
    """A cut from an editing system cannot be read, linked to its media, or written back."""


class OutputError(FilmkitError):
    """The output cannot be written where the user asked."""


class RenderError(FilmkitError):
    """ffmpeg failed, or its output did not pass verification."""

    exit_status = ExitStatus.RENDER_FAILED

    def __init__(
        self,
        message: str,
        *,
        argv: list[str] | None = None,
        returncode: int | None = None,
        stderr_tail: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.argv = argv or []
        self.returncode = returncode
        self.stderr_tail = stderr_tail or []


class Reported(FilmkitError):
    """A command that has already printed what went wrong (lint findings, an export's summary)
    and now only ends with `status`: the error boundary prints nothing more."""

    def __init__(self, status: ExitStatus) -> None:
        super().__init__("")
        self.exit_status = status


class Interrupted(FilmkitError):
    """The user pressed Ctrl-C (or the process got SIGTERM); nothing was left half-written."""

    exit_status = ExitStatus.INTERRUPTED
