"""The decoder's VBV buffer across pieces encoded one after another and joined without re-encoding.

A capped encode (maxrate/bufsize) starts with its buffer 90 % full (x264's vbv-init) and may
spend it; pieces joined into one film would each spend it again, and a decoder following the
joined film would run dry (measured on the languages benchmark: films 14 % larger than one
encode, a buffer 39 Mbit short). So each piece starts with the buffer its predecessor left:
its packets' sizes run through x264's own model (ratecontrol.c, update_vbv).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from filmkit.graph import Encoding, RenderSpec
from filmkit.media.probe import video_packet_bits

X264_VBV_START = Fraction(9, 10)  # x264's vbv-init: a capped encode starts with its buffer this full


def starting_with(spec: RenderSpec, fill: int | None) -> RenderSpec:
    """`spec` for a piece whose decoder buffer starts `fill` bits full (None: x264's own start)."""
    if fill is None:
        return spec
    return dataclasses.replace(spec, encoding=dataclasses.replace(spec.encoding, vbv_start_bits=fill))


def buffer_left(encoding: Encoding, fps: Fraction, paths: Sequence[Path], fill: int | None) -> int | None:
    """The emptiest buffer any of `paths` (one piece's versions, started with `fill`; None: x264's
    own start) leaves after its last frame: the next piece's start. None without a cap."""
    if not encoding.maxrate_kbps:
        return None
    rate = encoding.maxrate_kbps * 1000
    size = (encoding.bufsize_kbps or 2 * encoding.maxrate_kbps) * 1000
    start = fill if fill is not None else int(size * X264_VBV_START)
    return min(buffer_after(video_packet_bits(path), start, rate, size, fps) for path in paths)


def buffer_after(bits: Sequence[int], start: int, rate: int, size: int, fps: Fraction) -> int:
    """A decoder's VBV buffer (bits) after these frames: each frame's bits taken out, then a
    frame's worth of `rate` put in, never above `size` (x264's own model, ratecontrol.c update_vbv)."""
    fill = Fraction(start)
    for frame in bits:
        fill = min(Fraction(size), max(Fraction(0), fill - frame) + rate / fps)
    return math.floor(fill)
