"""A translator's proof sheet: one real frame per cue, subtitle burned in, timecode and cue number.

The frames come from the same filter graph as the render (same fonts, wrapping and position),
so what the translator signs off is what the film will show.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import TYPE_CHECKING

from filmkit.atomic import write_atomic
from filmkit.errors import FilmkitError
from filmkit.text.fonts import choose_font
from filmkit.render.plan import RenderPlan
from filmkit.render.stills import cue_frames, cue_stills, fit_width
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


def make_proof_sheet(plan: RenderPlan, output: Path) -> Path:
    """Render the picked frames and lay them out on one PNG at `output` (written atomically)."""
    from PIL import Image, ImageDraw

    picks = cue_frames(plan)
    width = fit_width(plan.timeline.width, plan.timeline.height, THUMB_BOX)
    shots = cue_stills(plan, width, f"proof sheet {output.name}")
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
