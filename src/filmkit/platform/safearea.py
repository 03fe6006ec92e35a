"""The part of a frame that a platform's own interface leaves readable.

One type for every safe area filmkit knows: a preset's `safe_area.text` and
`safe_area.subtitles` are read into it, the card and the subtitles are laid out inside it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from filmkit.project.schema import Strict

Fractional = Annotated[float, Field(ge=0, lt=0.5)]


class SafeArea(Strict):
    """Fractions of the frame kept clear on each side (caption bars, buttons, profile names)."""

    top: Fractional = 0.0
    bottom: Fractional = 0.0
    left: Fractional = 0.0
    right: Fractional = 0.0

    def box(self, width: int, height: int) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) in pixels of the readable rectangle."""
        return (round(self.left * width), round(self.top * height),
                width - round(self.right * width), height - round(self.bottom * height))
