"""The edit-decision file, schema 1, as frozen typed objects.

Times stay as the user wrote them (string or number) until `timeline` reads them at the
project's frame rate, so a bad timecode is reported with its line like any other error.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Annotated, Literal, NamedTuple, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

from filmkit.timecode import COMMON_RATES, parse_rate

SCHEMA_VERSION = 1

TimeValue = Union[StrictInt, StrictFloat, StrictStr]
Number = Union[StrictInt, StrictFloat]

# ffmpeg's xfade transitions (libavfilter/vf_xfade.c, ffmpeg 7-9); "custom" needs expressions
# filmkit does not expose, so it is left out.
XFADE_TRANSITIONS = (
    "fade", "wipeleft", "wiperight", "wipeup", "wipedown", "slideleft", "slideright",
    "slideup", "slidedown", "circlecrop", "rectcrop", "distance", "fadeblack", "fadewhite",
    "radial", "smoothleft", "smoothright", "smoothup", "smoothdown", "circleopen",
    "circleclose", "vertopen", "vertclose", "horzopen", "horzclose", "dissolve", "pixelize",
    "diagtl", "diagtr", "diagbl", "diagbr", "hlslice", "hrslice", "vuslice", "vdslice",
    "hblur", "fadegrays", "wipetl", "wipetr", "wipebl", "wipebr", "squeezeh", "squeezev",
    "zoomin", "fadefast", "fadeslow", "hlwind", "hrwind", "vuwind", "vdwind", "coverleft",
    "coverright", "coverup", "coverdown", "revealleft", "revealright", "revealup", "revealdown",
)
TRANSITION_TYPES = ("cut", "crossfade", "dip", *XFADE_TRANSITIONS)

_HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
NAMED_COLORS = ("black", "white", "gray", "red", "green", "blue", "yellow", "cyan", "magenta")
AUDIO_RATES = (44100, 48000, 96000)


class Size(NamedTuple):
    width: int
    height: int

    def __str__(self) -> str:
        return f"{self.width}x{self.height}"


def _parse_size(value: object) -> Size:
    text = str(value).strip() if isinstance(value, str) else None
    m = re.match(r"^(\d+)\s*[xX×]\s*(\d+)$", text or "")
    if not m:
        raise ValueError(f"{value!r} is not a frame size; write WIDTHxHEIGHT such as 1920x1080")
    width, height = int(m.group(1)), int(m.group(2))
    if not (16 <= width <= 8192 and 16 <= height <= 8192):
        raise ValueError(f"{value!r}: width and height must be 16-8192 pixels")
    if width % 2 or height % 2:
        raise ValueError(f"{value!r}: width and height must be even (H.264 4:2:0 needs it)")
    return Size(width, height)


def _parse_fps(value: object) -> Fraction:
    try:
        return parse_rate(value)
    except ValueError as exc:
        raise ValueError(str(exc)) from None


def _check_color(value: object) -> str:
    if isinstance(value, str) and (_HEX_COLOR.match(value) or value.lower() in NAMED_COLORS):
        return value
    raise ValueError(
        f"{value!r} is not a colour; use #RRGGBB (quoted, since # starts a YAML comment) "
        f"or one of {', '.join(NAMED_COLORS)}"
    )


FrameSize = Annotated[Size, BeforeValidator(_parse_size)]
FrameRate = Annotated[Fraction, BeforeValidator(_parse_fps)]
Color = Annotated[str, BeforeValidator(_check_color)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class AudioFormat(Strict):
    rate: Literal[44100, 48000, 96000] = 48000
    channels: Literal[1, 2] = 2


class Format(Strict):
    size: FrameSize = Size(1920, 1080)
    fps: FrameRate = Fraction(25)
    audio: AudioFormat = AudioFormat()


class Transition(Strict):
    type: StrictStr = "crossfade"
    duration: TimeValue = 0.5

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in TRANSITION_TYPES:
            raise ValueError(
                f"unknown transition {value!r}; use cut, crossfade, dip or an ffmpeg xfade "
                f"name ({', '.join(XFADE_TRANSITIONS[:8])} ...)"
            )
        return value


class Event(Strict):
    """One event of the cut: a piece of a media file, a colour slate or a still image."""

    media: StrictStr | None = None
    color: Color | None = None
    image: StrictStr | None = None
    in_: TimeValue | None = Field(default=None, alias="in")
    out: TimeValue | None = None
    duration: TimeValue | None = None
    transition: Transition | None = None
    gain_db: Number = 0

    @property
    def kind(self) -> Literal["media", "color", "image"]:
        if self.media is not None:
            return "media"
        return "color" if self.color is not None else "image"

    @model_validator(mode="after")
    def _one_source(self) -> Event:
        given = [k for k in ("media", "color", "image") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "an event needs exactly one of `media` (a name from `media:`), `color` "
                f"(a slate) or `image` (a still); this one has {', '.join(given) or 'none'}"
            )
        if self.media is not None:
            if self.in_ is None:
                raise ValueError('a media event needs `in` (e.g. in: "00:00:02:00")')
            if (self.out is None) == (self.duration is None):
                raise ValueError("a media event needs either `out` or `duration`, not both and not neither")
        else:
            if self.in_ is not None or self.out is not None:
                raise ValueError(f"a {given[0]} event has no source range; give `duration` only")
            if self.duration is None:
                raise ValueError(f"a {given[0]} event needs `duration`")
        return self


class Music(Strict):
    """A bed under the cut, placed on the record timeline."""

    file: StrictStr
    start: TimeValue = 0
    in_: TimeValue = Field(default=0, alias="in")
    duration: TimeValue | None = None
    gain_db: Number = 0
    fade_in: Number = Field(default=0, ge=0)
    fade_out: Number = Field(default=0, ge=0)


class Project(Strict):
    filmkit: Literal[1]
    title: StrictStr = Field(min_length=1)
    format: Format = Format()
    media: dict[StrictStr, StrictStr] = {}
    cut: list[Event] = Field(min_length=1)
    music: list[Music] = []


RATES_HELP = ", ".join(COMMON_RATES)
