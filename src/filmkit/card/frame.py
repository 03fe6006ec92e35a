"""How a frame's shape sets the composition: the margins kept, the proportions, the grid unit.

Sizes and gaps all come from one grid unit (the short side / GRID), so a card looks the same
at 1080 and at 4K; each shape has its own proportions (`SPECS`), and the content sits inside
the safe area with a little breathing room.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from filmkit.card.model import Aspect, Box, aspect_class
from filmkit.errors import FilmkitError
from filmkit.platform.safearea import SafeArea

# Without a platform's figures: the title-safe area of SMPTE ST 2046-1 (90% of width and height,
# the same as EBU R 95's graphics-safe area), and for 9:16 the BBC Subtitle Guidelines' "central
# 75% of the height and 90% of the width" (docs/platforms.md, Encoding choices no platform dictates: safe areas).
TITLE_SAFE = SafeArea(top=0.05, bottom=0.05, left=0.05, right=0.05)
TITLE_SAFE_VERTICAL = SafeArea(top=0.125, bottom=0.125, left=0.05, right=0.05)


def default_safe_area(width: int, height: int) -> SafeArea:
    """The margin kept when no platform safe area is given (see TITLE_SAFE)."""
    return TITLE_SAFE_VERTICAL if aspect_class(width, height) is Aspect.VERTICAL else TITLE_SAFE


def safe_box(area: SafeArea, width: int, height: int) -> Box:
    """The usable rectangle in pixels, edges rounded inward so that it never grows."""
    left, top = math.ceil(area.left * width), math.ceil(area.top * height)
    right, bottom = math.floor((1 - area.right) * width), math.floor((1 - area.bottom) * height)
    if right - left < 4 or bottom - top < 4:
        raise FilmkitError(f"the card's safe area {area} leaves no room in a {width}x{height} frame; "
                           "the fractions of opposite sides must add up to less than 1")
    return left, top, right, bottom


@dataclass(frozen=True)
class Spec:
    """Proportions of one composition; sizes are fractions of the frame's short side."""

    tagline: float  # tagline em
    measure: float  # longest tagline line, fraction of the content width
    lines: int  # tagline lines allowed at full size before it shrinks
    one_line_floor: float  # a one-line tagline may shrink to this fraction before it wraps
    logo: float  # logo box height
    optical: float  # the block sits this fraction of the content height above centre


SPECS: dict[Aspect, Spec] = {
    Aspect.LANDSCAPE: Spec(tagline=0.09, measure=0.74, lines=2, one_line_floor=0.8, logo=0.25, optical=0.03),
    Aspect.SQUARE: Spec(tagline=0.088, measure=0.84, lines=2, one_line_floor=0.9, logo=0.15, optical=0.035),
    Aspect.PORTRAIT: Spec(tagline=0.095, measure=0.86, lines=3, one_line_floor=0.9, logo=0.17, optical=0.04),
    Aspect.VERTICAL: Spec(tagline=0.118, measure=0.9, lines=3, one_line_floor=1.0, logo=0.2, optical=0.04),
}

GRID = 40  # one grid unit is the short side / 40 (27 px at 1080): every gap is a multiple of it


@dataclass(frozen=True)
class Frame:
    """One frame's composition: its shape and proportions, grid unit, safe area and content box."""

    width: int
    height: int
    aspect: Aspect
    spec: Spec
    unit: float  # the grid unit, in pixels
    safe: Box
    content: Box  # the safe area less a grid unit of breathing room

    @classmethod
    def of(cls, width: int, height: int, safe: Box) -> Frame:
        aspect = aspect_class(width, height)
        unit = min(width, height) / GRID
        left, top, right, bottom = safe
        inset = min(round(unit), (right - left) // 8, (bottom - top) // 8)  # breathing room inside the edge
        content = (left + inset, top + inset, right - inset, bottom - inset)
        return cls(width, height, aspect, SPECS[aspect], unit, safe, content)

    @property
    def short(self) -> int:
        return min(self.width, self.height)

    def optical_top(self, block: float) -> float:
        """Where a block of this height starts: centred, then raised a little (optical centring)."""
        top, bottom = self.content[1], self.content[3]
        spare = bottom - top - block
        return top + spare / 2 - min(spare / 2, self.spec.optical * (bottom - top))
