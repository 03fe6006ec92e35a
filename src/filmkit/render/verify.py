"""The check every rendered file passes before it replaces anything.

The file is read back once (one probe, one demux of its video packets) and held against what
the timeline asks for (streams, size, exact frame count, sound) and, for a platform version,
against its preset (`platform.conformance.preset_problems`: profile, level, GOP, faststart,
edit lists, limits). Nothing probes or demuxes the file a second time.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

from filmkit.errors import MediaError, RenderError
from filmkit.graph import Picture
from filmkit.media.probe import ReadBack, read_back
from filmkit.platform.conformance import preset_problems
from filmkit.platform.preset import Preset
from filmkit.project import Timeline


def verify(path: Path, timeline: Timeline, picture: Picture | None = None, fps: Fraction | None = None,
           preset: Preset | None = None, frames: int | None = None) -> ReadBack:
    """The file must be exactly what the timeline (and `preset`, if given) asks for, or it does
    not replace anything. Returns what was read, for the steps after (loudness, manifest).
    `frames`: the frame count of a range render, instead of the whole film's."""
    picture = picture or Picture(timeline.width, timeline.height)
    try:
        readback = read_back(path)
    except MediaError as exc:
        raise RenderError(f"the rendered file cannot be read back: {exc}") from None
    info, expected = readback.info, frames if frames is not None else expected_frames(timeline, fps)
    problems = []
    if info.video is None or info.audio is None or readback.gop is None:
        problems.append("a video or audio stream is missing")
    else:
        if (info.video.width, info.video.height) != (picture.width, picture.height):
            problems.append(f"size {info.video.width}x{info.video.height}, expected {picture.width}x{picture.height}")
        if readback.gop.frames != expected:
            problems.append(f"{readback.gop.frames} frames, expected {expected}")
        if info.audio.rate != timeline.audio_rate or info.audio.channels != timeline.channels:
            problems.append(f"audio {info.audio.rate} Hz x{info.audio.channels}, expected {timeline.audio_rate} Hz x{timeline.channels}")
    if problems:
        raise RenderError(
            "the render finished but failed verification: " + "; ".join(problems)
            + ". This is a filmkit bug; please report it with `filmkit render --dry-run` output"
        )
    if preset is not None:
        missed = preset_problems(readback, preset, expected_frames=expected, expected_fps=fps or timeline.fps)
        if missed:
            raise RenderError(f"{preset.name}: the render does not meet the preset: " + "; ".join(missed))
    return readback


def expected_frames(timeline: Timeline, fps: Fraction | None = None) -> int:
    """Frames of the film at the output rate (the project's, or a platform's when it differs)."""
    if fps is None or fps == timeline.fps:
        return timeline.total_frames
    # ffmpeg's fps filter rounds a half frame up (round=near, halves away from zero): a 151-frame
    # 50 fps film is 75.5 frames at 25 fps and comes out as 76.
    return math.floor(timeline.duration * fps + Fraction(1, 2))
