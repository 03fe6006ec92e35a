"""A translator's proof sheet: one real frame per cue, subtitle burned in, timecode and cue number.

The frames come from the same filter graph as the render (same fonts, wrapping and position),
so what the translator signs off is what the film will show.
"""

from __future__ import annotations

import io
import math
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from filmkit.atomic import write_atomic
from filmkit.errors import FilmkitError
from filmkit.media.ffmpeg import run_ffmpeg
from filmkit.text.fonts import choose_font
from filmkit.graph import build_frames_args
from filmkit.render.plan import RenderPlan
from filmkit.timecode import format_timecode

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont, ImageFont

# Each frame is fitted into this box (a small project is enlarged to it): a 16:9 frame becomes
# 800x450, where a subtitle is ~25 px high, big enough to proofread accents, harakat and vowel
# signs; a 9:16 frame becomes 405x720, still wide enough for its caption.
THUMB_BOX = (800, 720)
SHEET_WIDTH = 1700  # as many columns as fit
CAPTION_HEIGHT = 40
CAPTION_SIZE = 20
GAP = 12
BACKGROUND = "#1e1e1e"


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


def thumb_width(width: int, height: int) -> int:
    """The (even) width each frame is scaled to so that it fits THUMB_BOX."""
    box_w, box_h = THUMB_BOX
    fitted = min(box_w, round(width * box_h / height))
    return max(2, fitted - fitted % 2)


def make_proof_sheet(plan: RenderPlan, output: Path) -> Path:
    """Render the picked frames and lay them out on one PNG at `output` (written atomically)."""
    from PIL import Image, ImageDraw

    picks = proof_frames(plan)
    frames = sorted({frame for _, frame in picks})
    width = thumb_width(plan.timeline.width, plan.timeline.height)
    with tempfile.TemporaryDirectory(prefix="filmkit-proof-") as work:
        workdir = Path(work)
        burn = plan.write_burn(workdir)
        pattern = workdir / "frame_%05d.png"
        run_ffmpeg(build_frames_args(plan.timeline, plan.media, frames, pattern, width, burn),
                   what=f"proof sheet {output.name}")
        shots = {frame: Image.open(workdir / f"frame_{i + 1:05d}.png").convert("RGB") for i, frame in enumerate(frames)}

        thumb_h = next(iter(shots.values())).height
        columns = min(max(1, (SHEET_WIDTH - GAP) // (width + GAP)), len(picks))
        rows = math.ceil(len(picks) / columns)
        sheet = Image.new("RGB", (GAP + columns * (width + GAP), GAP + rows * (thumb_h + CAPTION_HEIGHT + GAP)), BACKGROUND)
        draw = ImageDraw.Draw(sheet)
        font = _caption_font()
        track = plan.tracks[0]
        lines = {cue.number: cue.line for cue in track.cues}
        for position, (number, frame) in enumerate(picks):
            column, row = position % columns, position // columns
            x = GAP + column * (width + GAP)
            y = GAP + row * (thumb_h + CAPTION_HEIGHT + GAP)
            sheet.paste(shots[frame], (x, y))
            caption = f"cue {number}    {track.file.path.name}:{lines[number]}    {format_timecode(frame, plan.timeline.fps)}"
            draw.text((x + 2, y + thumb_h + (CAPTION_HEIGHT - CAPTION_SIZE) // 2), caption, font=font, fill="#f0f0f0")
    data = io.BytesIO()
    sheet.save(data, format="PNG")
    return write_atomic(output, data.getvalue(), what="the proof sheet")


def _caption_font() -> FreeTypeFont | ImageFont:
    """The Latin face subtitles use (Noto Sans), so captions look like the rest of filmkit's output;
    Pillow's built-in font if even that is missing, since the captions are only labels."""
    from PIL import ImageFont

    try:
        face = choose_font("latin")
        return ImageFont.truetype(str(face.path), CAPTION_SIZE, index=face.index)
    except (FilmkitError, OSError):
        return ImageFont.load_default(size=CAPTION_SIZE)
