"""A translator's proof sheet: one real frame per cue, subtitle burned in, timecode and cue number.

The frames come from the same filter graph as the render (same fonts, wrapping and position),
so what the translator signs off is what the film will show.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

from filmkit.ffmpeg import run_ffmpeg
from filmkit.graph import build_frames_args
from filmkit.render import TEMP_MARK, RenderPlan
from filmkit.timecode import format_timecode

THUMB_WIDTH = 480
COLUMNS = 4
CAPTION_HEIGHT = 34
GAP = 12


def proof_frames(plan: RenderPlan) -> list[tuple[int, int]]:
    """(cue number, record frame) for each cue of the first language: the middle of the cue."""
    track = plan.tracks[0]
    fps = plan.timeline.fps
    picks = []
    for cue in track.cues:
        middle = (cue.start + cue.end) / 2
        frame = min(math.floor(middle * fps), plan.timeline.total_frames - 1)
        picks.append((cue.number, frame))
    return picks


def make_proof_sheet(plan: RenderPlan, output: Path) -> Path:
    """Render the picked frames and lay them out on one PNG at `output` (written atomically)."""
    from PIL import Image, ImageDraw, ImageFont

    picks = proof_frames(plan)
    frames = sorted({frame for _, frame in picks})
    with tempfile.TemporaryDirectory(prefix="filmkit-proof-") as work:
        workdir = Path(work)
        burn = plan.write_burn(workdir)
        pattern = workdir / "frame_%05d.png"
        run_ffmpeg(build_frames_args(plan.timeline, plan.media, frames, pattern, THUMB_WIDTH, burn),
                   what=f"proof sheet {output.name}")
        shots = {frame: Image.open(workdir / f"frame_{i + 1:05d}.png").convert("RGB") for i, frame in enumerate(frames)}

        thumb_h = next(iter(shots.values())).height
        rows = math.ceil(len(picks) / COLUMNS)
        columns = min(COLUMNS, len(picks))
        sheet = Image.new("RGB", (GAP + columns * (THUMB_WIDTH + GAP), GAP + rows * (thumb_h + CAPTION_HEIGHT + GAP)), "#1e1e1e")
        draw = ImageDraw.Draw(sheet)
        font = ImageFont.load_default(size=18)
        for position, (number, frame) in enumerate(picks):
            column, row = position % COLUMNS, position // COLUMNS
            x = GAP + column * (THUMB_WIDTH + GAP)
            y = GAP + row * (thumb_h + CAPTION_HEIGHT + GAP)
            sheet.paste(shots[frame], (x, y))
            caption = f"cue {number}   {format_timecode(frame, plan.timeline.fps)}"
            draw.text((x + 4, y + thumb_h + 8), caption, font=font, fill="#f0f0f0")
    output.parent.mkdir(parents=True, exist_ok=True)
    temp = output.with_name(f".{output.stem}.{os.getpid()}{TEMP_MARK}.png")
    sheet.save(temp)
    os.replace(temp, output)
    return output
