"""One cue model for every subtitle format, and the findings reported about a file."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """Something wrong in a subtitle file, pointing at the cue and the file line to fix."""

    file: Path
    cue: int | None  # 1-based cue number in file order
    line: int | None  # 1-based line of the file
    code: str  # encoding, mojibake, parse, overlap, cps, cpl, lines, min-duration, ...
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.file}" + (f":{self.line}" if self.line else "")
        cue = f" cue {self.cue}" if self.cue else ""
        return f"{where}:{cue} {self.severity.value} [{self.code}] {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"file": str(self.file), "cue": self.cue, "line": self.line, "code": self.code,
                "severity": self.severity.value, "message": self.message}


@dataclass(frozen=True)
class Cue:
    number: int  # 1-based position in the file
    start: Fraction  # seconds on the record timeline
    end: Fraction  # exclusive
    text: str  # plain text, lines separated by "\n", markup removed
    line: int  # 1-based file line of the cue's timing line

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def duration(self) -> Fraction:
        return self.end - self.start


@dataclass(frozen=True)
class SubtitleFile:
    path: Path
    format: str  # "srt", "vtt" or "ass"
    encoding: str  # the codec the bytes were read with, e.g. "utf-8", "cp1251", "utf-16-le"
    cues: tuple[Cue, ...]
    findings: tuple[Finding, ...] = ()  # what loading noticed (recoverable problems)
