"""Range and draft renders: checking a ten-second change without rendering the whole film.

A range renders the film's record frames [first, last) exactly as the full render shows them
(`graph.range`): the same first frame, transitions, subtitles, overlays, card and sound. A
draft renders at a reduced size with x264's fastest settings and without loudness
normalization; the CLI says so. Both are verified (frame count, size, streams) and moved into
place atomically like any render; a draft is not held against a platform's preset, since it
deliberately does not meet it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from filmkit.errors import FilmkitError
from filmkit.graph import Encoding, Picture
from filmkit.graph.range import build_range_args
from filmkit.media.ffmpeg import Progress, run_ffmpeg
from filmkit.media.probe import pyav_imported_meanwhile
from filmkit.project import Timeline
from filmkit.project.segments import is_free, transitions, window_timeline
from filmkit.render.plan import RenderPlan
from filmkit.render.run import RenderResult, prepare_versions, spec_for_versions
from filmkit.render.verify import verify
from filmkit.timecode import TimecodeError, format_timecode, parse_time

DRAFT_LINES = 540  # a draft's picture height: enough to judge a cut, a quarter of 1080p's pixels
DRAFT_X264 = {"preset": "ultrafast", "crf": 26}  # the fastest x264 settings that still read well at 540 lines


class RangeError(FilmkitError):
    """--from/--to do not name a range of the film."""


@dataclass(frozen=True)
class FrameRange:
    """Record frames [first, last) of the film (card included)."""

    first: int
    last: int

    @property
    def frames(self) -> int:
        return self.last - self.first


def parse_range(timeline: Timeline, start: str | None, end: str | None) -> FrameRange:
    """--from and --to as record frames; either may be left out (the film's start, its end)."""
    total = timeline.total_frames
    first = 0 if start is None else _frame(start, "--from", timeline)
    last = total if end is None else _frame(end, "--to", timeline)
    length = format_timecode(total, timeline.fps)
    if first >= total:
        raise RangeError(f"--from {start}: the film has {total} frames ({length}); --from must be before its end")
    if last > total:
        raise RangeError(f"--to {end}: the film ends at {length} ({total} frames); give a --to at or before its end")
    if last <= first:
        raise RangeError(f"--to {end} is not after --from {start}; --to is the first frame not rendered, after --from")
    return FrameRange(first, last)


def _frame(text: str, option: str, timeline: Timeline) -> int:
    value: object = text
    with contextlib.suppress(ValueError):
        value = float(text)
    try:
        return parse_time(value, timeline.fps)
    except TimecodeError as exc:
        raise RangeError(f"{option} {text}: {exc}. Give a time of the film: \"HH:MM:SS:FF\", \"HH:MM:SS.mmm\" "
                         "or seconds") from None


def window_bounds(timeline: Timeline, wanted: FrameRange) -> tuple[int, int]:
    """The cut's frames [start, end) to build: the range widened to frames where no transition
    runs (a transition crossing --from is rendered whole, its first frames dropped), and ending
    at the cut's end (the card then follows) when the range reaches the card."""
    busy = transitions(timeline)
    cut = timeline.cut_frames
    start = min(wanted.first, cut - 1)
    while start > 0 and not is_free(start, busy):
        start -= 1
    end = max(wanted.last, start + 1)
    while end < cut and not is_free(end, busy):
        end += 1
    return start, min(end, cut)


def draft_plan(plan: RenderPlan) -> RenderPlan:
    """The plan at DRAFT_LINES lines (boxes scaled alike), fastest x264, fast decoding and scaling
    (`Picture.draft`), no loudness normalization."""
    picture = dataclasses.replace(plan.picture, draft=True)
    encoding = dataclasses.replace(Encoding(), audio_rate=plan.spec.encoding.audio_rate,
                                   audio_channels=plan.spec.encoding.audio_channels, **DRAFT_X264)
    captions = plan.caption_area
    if picture.height > DRAFT_LINES:
        scale = Fraction(DRAFT_LINES, picture.height)
        box = None if picture.box is None else _scaled(picture.box, scale)
        picture = dataclasses.replace(picture, width=_even(picture.width * scale), height=DRAFT_LINES, box=box)
        # a composed social frame's caption band is in output pixels too: the cues follow it
        captions = None if captions is None else _scaled(captions, scale)
    spec = dataclasses.replace(plan.spec, picture=picture, encoding=encoding, loudness=None)
    return dataclasses.replace(plan, spec=spec, caption_area=captions)


def _scaled(box: tuple[int, int, int, int], scale: Fraction) -> tuple[int, int, int, int]:
    left, top, right, bottom = (_even(side * scale) for side in box)
    return left, top, right, bottom


def _even(value: Fraction) -> int:
    return 2 * round(value / 2)


def renamed(plan: RenderPlan, wanted: FrameRange, draft: bool) -> RenderPlan:
    """Default output names that say what the file is, so a range never replaces the full film."""
    fps = plan.timeline.fps

    def stamp(frame: int) -> str:
        return format_timecode(frame, fps).replace(":", "").replace(";", "")

    tail = f"_{stamp(wanted.first)}-{stamp(wanted.last)}" + ("_draft" if draft else "")
    versions = tuple(dataclasses.replace(v, output=v.output.with_name(f"{v.output.stem}{tail}{v.output.suffix}"))
                     for v in plan.versions)
    return dataclasses.replace(plan, versions=versions)


def render_range(plan: RenderPlan, wanted: FrameRange,
                 on_progress: Callable[[Progress], None] | None = None) -> RenderResult:
    """The film's frames `wanted` of a single-version plan, verified and moved into place."""
    if plan.spec.fps is not None and plan.spec.fps != plan.timeline.fps:
        raise RangeError(f"--from/--to: {plan.platform} renders at {plan.spec.fps} fps, the project at "
                         f"{plan.timeline.fps}; a range keeps the project's frames exactly only at its own rate. "
                         "Render the range without --platform, or the whole film")
    start, end = window_bounds(plan.timeline, wanted)
    window = window_timeline(plan.timeline, start, end)
    if window.card is None:  # a range that ends before the card does not draw it
        plan = dataclasses.replace(plan, versions=tuple(dataclasses.replace(v, card_langs=()) for v in plan.versions))
    with contextlib.ExitStack() as stack:
        temps, versions = prepare_versions(plan, stack)
        spec = spec_for_versions(plan.spec, 1, os.cpu_count() or 2)
        args = build_range_args(plan.timeline, window, plan.media, versions[:1], spec, start, wanted.first, wanted.last)
        with pyav_imported_meanwhile():
            run_ffmpeg(args, on_progress=on_progress, what=f"rendering {plan.output.name}")
        info = verify(temps[0], plan.timeline, plan.picture, frames=wanted.frames).info
        os.replace(temps[0], plan.output)
    return RenderResult(plan.output, wanted.frames, plan.output.stat().st_size, dataclasses.replace(info, path=plan.output))
