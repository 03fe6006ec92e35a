"""The level of a sound over time, as ffmpeg's `astats` measures it window by window.

A music bed that ducks is turned down where the cut's own sound is loud (graph.duck): these are
the measurements it reads, RMS levels in dBFS of consecutive windows of equal length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from filmkit.errors import MediaError

LEVEL_KEY = "lavfi.astats.Overall.RMS_level"
_LEVEL = re.compile(rf"{re.escape(LEVEL_KEY)}=(-?inf|-?nan|-?\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class SoundLevels:
    """RMS levels (dBFS, -inf for digital silence) of consecutive windows of `window` samples."""

    rate: int  # samples per second
    window: int  # samples per measurement
    db: tuple[float, ...]

    @property
    def seconds(self) -> Fraction:
        """The length of one window."""
        return Fraction(self.window, self.rate)


def parse_levels(log: str, rate: int, window: int) -> SoundLevels:
    """The levels `ametadata=mode=print` wrote into ffmpeg's log, in order."""
    values = [float(match.group(1)) for match in _LEVEL.finditer(log)]
    if not values and "ametadata" not in log:
        raise MediaError("ffmpeg printed no sound levels; is this ffmpeg built with the astats and ametadata filters?")
    return SoundLevels(rate, window, tuple(value if value == value else float("-inf") for value in values))
