"""An EBU R128 loudness measurement, as ffmpeg's `ebur128` filter prints it in its summary."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from filmkit.errors import MediaError


@dataclass(frozen=True)
class Loudness:
    """EBU R128 / ITU BS.1770 measurement of a whole programme."""

    integrated: float  # LUFS (-70 for silence: everything is gated out)
    true_peak: float  # dBTP (-inf for digital silence)
    lra: float  # loudness range, LU
    # LUFS, the gating threshold (loudnorm's linear mode needs it back); a by-product, not compared
    threshold: float | None = field(default=None, compare=False)


_SUMMARY_VALUE = {
    "integrated": re.compile(r"^\s*I:\s+(-?inf|-?\d+(?:\.\d+)?)\s+LUFS", re.MULTILINE),
    "lra": re.compile(r"^\s*LRA:\s+(-?inf|-?\d+(?:\.\d+)?)\s+LU\b", re.MULTILINE),
    "true_peak": re.compile(r"^\s*Peak:\s+(-?inf|-?\d+(?:\.\d+)?)\s+dBFS", re.MULTILINE),
}
_THRESHOLD = re.compile(r"Threshold:\s*(-?inf|-?\d+(?:\.\d+)?)\s*LUFS")


def parse_ebur128_summary(log: str) -> Loudness:
    """The values of the last "Summary:" block the ebur128 filter printed."""
    at = log.rfind("Summary:")
    if at < 0:
        raise MediaError("ffmpeg's ebur128 filter printed no summary; the file may hold no decodable audio")
    summary = log[at:]
    values = {}
    for key, pattern in _SUMMARY_VALUE.items():
        match = pattern.search(summary)
        if match is None:
            raise MediaError(f"ffmpeg's ebur128 summary has no {key} value; is this ffmpeg built with the ebur128 filter?")
        values[key] = float(match.group(1))
    threshold = _THRESHOLD.search(summary)
    return Loudness(**values, threshold=float(threshold.group(1)) if threshold else None)
