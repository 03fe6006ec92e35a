"""The part of a frame that a platform's own interface leaves readable."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SafeArea:
    """Fractions of the frame kept clear on each side (caption bars, buttons, profile names)."""

    top: float = 0.0
    bottom: float = 0.0
    left: float = 0.0
    right: float = 0.0

    def box(self, width: int, height: int) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) in pixels of the readable rectangle."""
        return (round(self.left * width), round(self.top * height),
                width - round(self.right * width), height - round(self.bottom * height))
