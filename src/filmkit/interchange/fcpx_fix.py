"""Exact times for the FCPXML reader, whose arithmetic truncates (otio-fcpx-xml-adapter 1.0),
and no `ffprobe` process from its writer.

FCPXML writes times as rationals of seconds (`1001/30000s`). The adapter turns a format's
frame duration into an integer rate (29 for 29.97) and each time into `int(seconds * rate)`,
so an NTSC cut comes back at 29 fps with frames lost, and at any rate a time whose product
lands just under a whole number loses a frame. While filmkit reads an FCPXML file, the three
helpers that do this arithmetic are replaced by exact ones (Fractions, rounded once).
Its writer names each format by running `ffprobe` on the media; filmkit starts processes only
through `media.ffmpeg`, so while it writes, the frame size comes from `media.probe` instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

from filmkit.interchange.tracks import exact_rate


def _seconds(value: str | None) -> Fraction:
    return Fraction(0) if value in (None, "0s") else Fraction(str(value).rstrip("s"))


def _rate(reader: Any, format_id: str) -> Fraction:
    total, rate = reader._format_frame_duration(format_id)
    return exact_rate(float(Fraction(rate) / Fraction(total)))


@contextlib.contextmanager
def exact_fcpx_times() -> Iterator[None]:
    """Patch the adapter's time helpers for the duration of one read."""
    import opentimelineio as otio

    fcpx_xml = otio.adapters.from_name("fcpx_xml").module()  # the module object OTIO's plugin system runs

    def to_rational_time(rational_number: str | None, fps: float) -> Any:
        rate = exact_rate(float(fps))
        return otio.opentime.RationalTime(round(_seconds(rational_number) * rate), float(rate))

    def format_frame_rate(self: Any, format_id: str) -> float:
        return float(_rate(self, format_id))

    def number_of_frames(self: Any, time_value: str | None, format_id: str) -> int:
        return round(_seconds(time_value) * _rate(self, format_id))

    if not all(hasattr(owner, name) for owner, name in ((fcpx_xml, "to_rational_time"), (fcpx_xml, "FcpxXml"))):
        yield  # another version of the adapter: read as it reads (tests pin the one these fixes are for)
        return
    saved = (fcpx_xml.to_rational_time, fcpx_xml.FcpxXml._format_frame_rate, fcpx_xml.FcpxXml._number_of_frames)
    fcpx_xml.to_rational_time = to_rational_time
    fcpx_xml.FcpxXml._format_frame_rate = format_frame_rate
    fcpx_xml.FcpxXml._number_of_frames = number_of_frames
    try:
        yield
    finally:
        fcpx_xml.to_rational_time, fcpx_xml.FcpxXml._format_frame_rate, fcpx_xml.FcpxXml._number_of_frames = saved


@contextlib.contextmanager
def probed_fcpx_formats() -> Iterator[None]:
    """Patch the writer's format naming for the duration of one write."""
    import opentimelineio as otio

    fcpx_xml = otio.adapters.from_name("fcpx_xml").module()

    def format_name(frame_rate: float, path: str) -> str:
        from filmkit.errors import MediaError
        from filmkit.interchange.sources import local_path
        from filmkit.media.probe import probe

        try:
            video = probe(Path(local_path(path) or path)).video
        except MediaError:
            return ""
        if video is None:
            return ""
        height = video.display_size[1]
        return f"FFVideoFormat{height}p{round(frame_rate, 2):g}"

    if not hasattr(fcpx_xml, "format_name"):
        yield
        return
    saved = fcpx_xml.format_name
    fcpx_xml.format_name = format_name
    try:
        yield
    finally:
        fcpx_xml.format_name = saved
