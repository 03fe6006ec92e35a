"""The overlay track resolved to exact record frames, checked against the film's length.

An overlay may run up to the end of the film; one that reaches into the closing card ends with
the cut (it leaves with the cut's last frame as the card comes in) unless it says `over_card`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from filmkit.errors import Problem
from filmkit.project.load import KeyPath, LoadedProject
from filmkit.timecode import format_seconds

FramesOf = Callable[[object, KeyPath], "int | None"]


@dataclass(frozen=True)
class OverlayTiming:
    """When one overlay is on screen, in record frames, and what it reads."""

    index: int  # position in `overlays`
    kind: Literal["image", "text", "video"]
    source: Path | None  # the image file or the video's media file
    src_in: int  # video: first source frame at the project fps
    start: int
    frames: int  # after ending with the cut, unless over_card
    fade_in: int
    fade_out: int
    over_card: bool

    @property
    def end(self) -> int:
        return self.start + self.frames


def resolve_overlays(loaded: LoadedProject, frames_of: FramesOf, cut_frames: int, total_frames: int,
                     problems: list[Problem]) -> tuple[OverlayTiming, ...]:
    """Every overlay on record frames; problems (times outside the film, fades too long) are appended."""
    resolved = []
    for index in range(len(loaded.project.overlays)):
        timing = _resolve(loaded, index, frames_of, cut_frames, total_frames, problems)
        if timing is not None:
            resolved.append(timing)
    return tuple(resolved)


def _resolve(loaded: LoadedProject, index: int, frames_of: FramesOf, cut_frames: int, total_frames: int,
             problems: list[Problem]) -> OverlayTiming | None:
    item = loaded.project.overlays[index]
    fps = loaded.project.format.fps
    path: KeyPath = ("overlays", index)
    start = frames_of(item.start, (*path, "start"))
    end_key = "end" if item.end is not None else "duration"
    length = frames_of(item.end if item.end is not None else item.duration, (*path, end_key))
    fade_in, fade_out = frames_of(item.fade_in, (*path, "fade_in")), frames_of(item.fade_out, (*path, "fade_out"))
    src_in = frames_of(item.in_, (*path, "in")) if item.in_ is not None else 0
    source = _source(loaded, index, problems)
    if None in (start, length, fade_in, fade_out, src_in):
        return None
    assert start is not None and length is not None and fade_in is not None and fade_out is not None
    end = length if item.end is not None else start + length
    film = format_seconds(total_frames, fps)

    def problem(key: str, message: str) -> None:
        problems.append(loaded.locations.problem((*path, key), message))

    if not 0 <= start < total_frames:
        problem("start", f"start {item.start!r} is outside the film, which lasts {film} ({total_frames} frames); "
                         "give a time from 0 up to the film's end")
        return None
    if end <= start:
        problem(end_key, f"{end_key} {getattr(item, end_key)!r} leaves the overlay no frame; "
                         + ("`end` is exclusive and must be later than `start`" if end_key == "end"
                            else "give at least one frame"))
        return None
    if end > total_frames:
        problem(end_key, f"the overlay ends at {format_seconds(end, fps)}, after the film ends ({film}); "
                         f"end it at {film} or earlier")
        return None
    if not item.over_card and start >= cut_frames:
        problem("start", f"start {item.start!r} is on the closing card (the cut ends at "
                         f"{format_seconds(cut_frames, fps)}), which overlays leave alone; add `over_card: true` "
                         "to show it over the card, or start it earlier")
        return None
    if fade_in < 0 or fade_out < 0 or fade_in + fade_out > end - start:
        problem("fade_in", f"fades of {format_seconds(fade_in, fps)} in and {format_seconds(fade_out, fps)} out do "
                           f"not fit in the overlay's {format_seconds(end - start, fps)}; shorten them")
        return None
    if not item.over_card:
        end = min(end, cut_frames)
    if source is None and item.kind != "text":
        return None
    return OverlayTiming(index, item.kind, source, src_in or 0, start, end - start, fade_in,
                         min(fade_out, end - start - fade_in), item.over_card)


def _source(loaded: LoadedProject, index: int, problems: list[Problem]) -> Path | None:
    """The file an image or video overlay reads; a video names a key of `media:`."""
    item = loaded.project.overlays[index]
    if item.image is not None:
        return loaded.resolve(item.image)
    if item.video is None:
        return None
    media = loaded.project.media
    if item.video not in media:
        hint = difflib.get_close_matches(item.video, list(media), n=1)
        fix = f"did you mean `{hint[0]}`?" if hint else "add it under `media:` (name: path/to/file)"
        problems.append(loaded.locations.problem(("overlays", index, "video"), (
            f"{item.video!r} is not a media name; names defined under `media:` are {', '.join(media) or '(none)'}. {fix}")))
        return None
    return loaded.resolve(media[item.video])
