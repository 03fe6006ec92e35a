"""The value types every YAML file of filmkit shares: how each is read, checked and described.

Sizes, rates, colours, paths, gains and seconds are validated here once (a NUL in a path, a
size that is odd, .inf ...), and each carries the JSON Schema of how it is written in YAML, for
`filmkit schema`.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Annotated, NamedTuple, Union

from pydantic import AfterValidator, BeforeValidator, Field, StrictFloat, StrictInt, StrictStr, WithJsonSchema

from filmkit.paths import path_text_problem
from filmkit.timecode import MAX_SECONDS, parse_rate

TimeValue = Union[StrictInt, StrictFloat, StrictStr]
Number = Union[StrictInt, StrictFloat]

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
        raise ValueError(
            f"{value!r}: width and height must be even (H.264 4:2:0 needs it); "
            f"use {width - width % 2}x{height - height % 2}"
        )
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


def _check_path(value: str) -> str:
    problem = path_text_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


# How each value is written in YAML, for the JSON Schema editors read (`filmkit schema`).
_SIZE_SCHEMA = {"type": "string", "pattern": r"^\s*\d+\s*[xX×]\s*\d+\s*$", "examples": ["1920x1080"],
                "description": "WIDTHxHEIGHT in pixels, both even, 16-8192"}
_RATE_SCHEMA = {"anyOf": [{"type": "number", "exclusiveMinimum": 0, "maximum": 1000},
                          {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*(/\s*\d+\s*)?$"}],
                "examples": [25, "30000/1001"], "description": "frames per second: a number or a ratio"}
_COLOR_SCHEMA = {"type": "string", "pattern": "^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[A-Za-z]+)$",
                 "description": f"#RRGGBB (quoted) or one of {', '.join(NAMED_COLORS)}"}

FrameSize = Annotated[Size, BeforeValidator(_parse_size), WithJsonSchema(_SIZE_SCHEMA)]
FrameRate = Annotated[Fraction, BeforeValidator(_parse_fps), WithJsonSchema(_RATE_SCHEMA)]
Color = Annotated[str, BeforeValidator(_check_color), WithJsonSchema(_COLOR_SCHEMA)]
FilePath = Annotated[StrictStr, AfterValidator(_check_path)]  # a file's path: no NUL, names of at most 255 bytes
Gain = Annotated[Number, Field(ge=-120, le=60)]  # dB: -120 is silence to any ear, +60 already clips
Seconds = Annotated[Number, Field(ge=0, le=MAX_SECONDS)]


