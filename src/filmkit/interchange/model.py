"""A cut from an editing system in filmkit's terms, before its media are found.

Every time is an integer frame count at the rate it was written in (`At`), so nothing is
rounded until the project's rate is known: an EDL states no rate, and the media it links to
decide between 24 and 23.976.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Literal

from filmkit.timecode import nominal_fps


@dataclass(frozen=True)
class At:
    """A frame count at a rate: a source timecode, a duration."""

    frames: int
    rate: Fraction

    def to(self, fps: Fraction) -> tuple[int, bool]:
        """Frames at `fps` and whether that is exact.

        Rates that count timecode alike (24 and 23.976, 30 and 29.97) share frame numbers:
        an editing system conforms a 23.976 clip in a 24 timeline frame for frame.
        """
        if self.rate == fps or (nominal_fps(self.rate) == nominal_fps(fps) and self.rate.denominator in (1, 1001)
                                and fps.denominator in (1, 1001)):
            return self.frames, True
        exact = Fraction(self.frames) / self.rate * fps
        return round(exact), exact.denominator == 1


@dataclass(frozen=True)
class Caveat:
    """Something the cut holds that filmkit cannot keep as it is: said, never dropped.

    `code` names the feature (speed-change, multiple-video-tracks ...); `import` prints every
    caveat and `--strict` refuses the cut when there is any.
    """

    code: str
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


@dataclass(frozen=True)
class Origin:
    """Where an event comes from in the cut file, for messages and the YAML comment."""

    label: str  # "event 003", "clip 'rink' at 00:00:04:00"
    line: int | None = None  # 1-based, in formats that have lines

    def where(self, path: Path) -> str:
        return f"{path}:{self.line}: {self.label}" if self.line else f"{path}: {self.label}"


@dataclass(frozen=True)
class SourceRef:
    """What the cut says about an event's media: never a verified file."""

    name: str | None  # clip name
    reel: str | None  # tape or camera reel (EDL, ALE)
    path: str | None  # a path or URL the cut gives
    start: At | None  # the media's first frame on the source clock; None: unknown (EDLs)
    key: str | None = None  # a filmkit media name the cut carries (from a filmkit-written OTIO)

    @property
    def label(self) -> str:
        parts = [f"clip {self.name!r}"] if self.name else []
        if self.reel:
            parts.append(f"reel {self.reel!r}")
        if self.path:
            parts.append(f"path {self.path!r}")
        return ", ".join(parts) or "no clip or reel name"


@dataclass(frozen=True)
class CutEvent:
    """One event of video track 1, in record order; a transition joins it to the previous one."""

    kind: Literal["media", "color"]
    frames: int  # at the cut's rate, transitions included
    origin: Origin
    source_in: At | None = None  # media: first frame shown, on the source clock
    ref: SourceRef | None = None
    color: str | None = None
    transition: str | None = None  # a filmkit transition type
    transition_frames: int = 0
    name: str | None = None  # the event's name in the editing system
    settings: dict[str, object] = field(default_factory=dict)  # filmkit-only keys (gain_db, focus) from OTIO metadata


@dataclass(frozen=True)
class CutBed:
    """An audio clip under the cut: a music bed."""

    ref: SourceRef
    record_start: int  # frames at the cut's rate, from the film's first frame
    source_in: At
    frames: int
    origin: Origin
    fade_in: int = 0  # frames: an audio transition into it
    fade_out: int = 0
    settings: dict[str, object] = field(default_factory=dict)  # gain_db, fades from OTIO metadata


@dataclass(frozen=True)
class Cut:
    """The whole cut as read, with everything it holds that filmkit cannot keep."""

    path: Path
    kind: str  # "CMX 3600 EDL", "FCP 7 XML" ...
    title: str
    rate: Fraction
    rate_stated: bool  # False: an EDL, whose rate was inferred from its timecodes
    drop_frame: bool
    start: int  # record timecode of the first frame, frames at `rate`
    events: tuple[CutEvent, ...]
    beds: tuple[CutBed, ...] = ()
    size: tuple[int, int] | None = None
    caveats: tuple[Caveat, ...] = ()
    project: dict[str, object] = field(default_factory=dict)  # filmkit-only sections (card, subtitles ...) from OTIO
