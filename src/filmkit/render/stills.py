"""Stills of the cut with the subtitles burned in: one frame per cue, from the middle of the cue.

`filmkit subs proof` lays them out on a contact sheet and the export's review page shows them
as cue thumbnails. They come from the same filter graph as the render (same fonts, wrapping
and position), so what a translator signs off is what the film shows.
"""

from __future__ import annotations

import dataclasses
import math
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from filmkit.graph import build_frames_args
from filmkit.media.ffmpeg import run_ffmpeg
from filmkit.render.plan import RenderPlan, VersionPlan

if TYPE_CHECKING:
    from PIL import Image


def cue_frames(plan: RenderPlan, version: VersionPlan | None = None) -> list[tuple[int, int]]:
    """(cue number, record frame) for each cue of the version's first language: the middle of the cue."""
    track = (version or plan.versions[0]).tracks[0]
    fps = plan.timeline.fps
    picks = []
    for cue in track.cues:
        middle = (cue.start + cue.end) / 2
        frame = min(math.floor(middle * fps), plan.timeline.total_frames - 1)
        picks.append((cue.number, frame))
    return picks


def fit_width(width: int, height: int, box: tuple[int, int]) -> int:
    """The (even) width a frame of width x height is scaled to so that it fits `box`."""
    box_w, box_h = box
    fitted = min(box_w, round(width * box_h / height))
    return max(2, fitted - fitted % 2)


def cue_stills(plan: RenderPlan, width: int, what: str) -> dict[int, Image.Image]:
    """The frames of `cue_frames` (record frame -> picture) with the subtitles burned in, `width` wide.

    One ffmpeg run decodes the cut once for every cue; `what` names the work in its errors.
    """
    return cue_stills_of_versions(dataclasses.replace(plan, versions=plan.versions[:1]), width, what)[0]


def cue_stills_of_versions(plan: RenderPlan, width: int, what: str) -> list[dict[int, Image.Image]]:
    """`cue_stills` of each of the plan's versions (its first track's cues, its subtitles burned),
    from one ffmpeg run: the cut is decoded once however many languages want their stills."""
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="filmkit-stills-") as work:
        wanted = []
        for index, version in enumerate(plan.versions):
            folder = Path(work) / str(index)
            folder.mkdir()
            frames = sorted({frame for _, frame in cue_frames(plan, version)})
            wanted.append((frames, folder / "frame_%05d.png", plan.write_burn(folder, version)))
        run_ffmpeg(build_frames_args(plan.timeline, plan.media, wanted, width), what=what)
        return [{frame: Image.open(pattern.parent / f"frame_{i + 1:05d}.png").convert("RGB")
                 for i, frame in enumerate(frames)} for frames, pattern, _ in wanted]
