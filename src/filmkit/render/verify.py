"""The check every rendered file passes before it replaces anything: streams, size, frames, sound."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

from filmkit.errors import MediaError, RenderError
from filmkit.graph import Picture
from filmkit.media.probe import count_video_frames, probe
from filmkit.project import Timeline


def verify(path: Path, timeline: Timeline, picture: Picture | None = None, fps: Fraction | None = None) -> None:
    """The file must be exactly what the timeline asks for, or it does not replace anything."""
    from filmkit.errors import MediaError

    picture = picture or Picture(timeline.width, timeline.height)
    try:
        info = probe(path)
    except MediaError as exc:
        raise RenderError(f"the rendered file cannot be read back: {exc}") from None
    problems = []
    if info.video is None or info.audio is None:
        problems.append("a video or audio stream is missing")
    else:
        if (info.video.width, info.video.height) != (picture.width, picture.height):
            problems.append(f"size {info.video.width}x{info.video.height}, expected {picture.width}x{picture.height}")
        frames = count_video_frames(path)
        expected = expected_frames(timeline, fps)
        if frames != expected:
            problems.append(f"{frames} frames, expected {expected}")
        if info.audio.rate != timeline.audio_rate or info.audio.channels != timeline.channels:
            problems.append(f"audio {info.audio.rate} Hz x{info.audio.channels}, expected {timeline.audio_rate} Hz x{timeline.channels}")
    if problems:
        raise RenderError(
            "the render finished but failed verification: " + "; ".join(problems)
            + ". This is a filmkit bug; please report it with `filmkit render --dry-run` output"
        )


def expected_frames(timeline: Timeline, fps: Fraction | None = None) -> int:
    """Frames of the film at the output rate (the project's, or a platform's when it differs)."""
    if fps is None or fps == timeline.fps:
        return timeline.total_frames
    return math.ceil(timeline.duration * fps - Fraction(1, 2))
