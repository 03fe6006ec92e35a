"""What a card is made of: its words per language, the frame shapes, and the finished layout.

Plain values only, shared by every other module of the card: nothing here measures or draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from filmkit.errors import FilmkitError
from filmkit.text.fonts import FontChoice
from filmkit.text.layout import Run

Box = tuple[int, int, int, int]  # left, top, right, bottom; right and bottom exclusive, in pixels
RGBA = tuple[int, int, int, int]


@dataclass(frozen=True)
class CardContent:
    """What the card says in one language (the schema's `CardText` plus its language)."""

    lang: str
    tagline: str
    hashtag: str | None = None
    url: str | None = None


class Aspect(str, Enum):
    """The four frame shapes a card is composed for."""

    LANDSCAPE = "landscape"  # 16:9, 1.91:1 ...
    SQUARE = "square"  # 1:1
    PORTRAIT = "portrait"  # 4:5, 2:3
    VERTICAL = "vertical"  # 9:16


def aspect_class(width: int, height: int) -> Aspect:
    """Which composition a frame gets; the limits sit between the platform shapes."""
    ratio = width / height
    if ratio >= 1.25:
        return Aspect.LANDSCAPE
    if ratio >= 0.9:
        return Aspect.SQUARE
    if ratio >= 0.66:
        return Aspect.PORTRAIT
    return Aspect.VERTICAL


@dataclass(frozen=True)
class PlacedText:
    """One line of text where it is drawn: the anchor point on the baseline and its ink box."""

    text: str
    role: str  # tagline, tagline2, hashtag, url
    lang: str
    script: str
    font: FontChoice
    size: int  # em in pixels
    weight: int
    stroke: float  # extra weight, in pixels, for a face that has no bold
    x: int
    baseline: int
    align: Literal["l", "m", "r"]  # which point of the line x is: left, middle, right
    color: RGBA
    box: Box
    limit: int  # widest this line may be drawn
    engine: Literal["raqm", "basic", "libass"]
    runs: tuple[Run, ...] = ()  # left to right, each in its own face (drawn one by one when several)


@dataclass(frozen=True)
class PlacedImage:
    box: Box


@dataclass(frozen=True)
class PlacedRule:
    box: Box
    color: RGBA


@dataclass(frozen=True)
class CardLayout:
    """Where everything on a card goes; computed without drawing."""

    width: int
    height: int
    aspect: Aspect
    safe: Box
    lines: tuple[PlacedText, ...]
    logo: PlacedImage | None = None
    rules: tuple[PlacedRule, ...] = ()

    @property
    def box(self) -> Box:
        """The bounding box of everything drawn: text ink, logo and rules."""
        boxes = [line.box for line in self.lines] + [rule.box for rule in self.rules]
        if self.logo is not None:
            boxes.append(self.logo.box)
        return union(boxes)


def pixel_box(x: float, y: float, width: float, height: float) -> Box:
    """A box on whole pixels; the size is rounded on its own so that it never drifts with x and y."""
    left, top = round(x), round(y)
    return left, top, left + round(width), top + round(height)


def union(boxes: Sequence[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def parse_color(value: str, key: str) -> RGBA:
    """A colour from the project (`card.<key>`); FilmkitError saying how to write one."""
    from PIL import ImageColor

    try:
        rgb = ImageColor.getrgb(value)
    except ValueError:
        raise FilmkitError(f"card.{key}: {value!r} is not a colour; use #RRGGBB (quoted in YAML) or a name "
                           "such as white") from None
    return (rgb[0], rgb[1], rgb[2], rgb[3] if len(rgb) == 4 else 255)


def faded(rgba: RGBA, opacity: float) -> RGBA:
    return rgba[0], rgba[1], rgba[2], round(rgba[3] * opacity)
