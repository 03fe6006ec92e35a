"""A text overlay (a title, a lower third) laid out by the text engine and drawn like the card.

The words go through `filmkit.text.layout` exactly as subtitles do: the same faces per run
(`FaceSet` with the subtitles' font setting unless the overlay names its own), direction by
language, balanced breaks, at an em sized from the subtitles' own (`caption_em`: 1.0 is the
caption size of the frame). A line break the author wrote (a name, then a role) is kept: each
written line is a paragraph of its own, one line pitch below the one before. The lines are drawn with the card's helpers (`text_marks`: run by
run in visual order, libass where Pillow cannot shape), over a box, a band across the frame,
or a soft shadow. A bilingual version stacks its two languages, the first above.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Literal

from filmkit.card import PlacedText, composite, save_png, soft_shadow, text_marks
from filmkit.card.model import Box, faded, parse_color, union
from filmkit.card.typeset import COMPLEX_SCRIPTS
from filmkit.project.overlay import TextStyle
from filmkit.subtitles.ass import GAP, SHRINK_FLOOR, WIDTH_LANDSCAPE, WIDTH_NARROW, caption_em
from filmkit.text.faces import FaceSet
from filmkit.text.layout import Block, lay_out
from filmkit.text.measure import raqm_available

PAD = 0.35  # em of box around the text
SLACK = 0.05  # em beside a line's advance that its ink may take (side bearings)


@dataclass(frozen=True)
class TextBlock:
    """One paragraph of one language laid out, and where its lines go inside the overlay's box."""

    lang: str
    block: Block
    top: float  # of the block, below the box's top


@dataclass(frozen=True)
class OverlayText:
    """The laid-out text of one overlay in one version: its blocks and the box they need."""

    blocks: tuple[TextBlock, ...]
    style: TextStyle
    width: int  # of the text's box (its column, padding included), pixels
    height: int
    pad: int

    def layer_box(self, column: Box, frame_width: int) -> Box:
        """What the overlay covers when its text is at `column`: the box, or a band across the frame."""
        return (0, column[1], frame_width, column[3]) if self.style.background == "band" else column


def lay_out_text(texts: list[tuple[str, str]], style: TextStyle, frame: tuple[int, int], max_width: float | None,
                 room: int, faces: dict[str, FaceSet]) -> tuple[OverlayText, list[str]]:
    """`texts` ((lang, text), first above) laid out for a frame, lines at most `max_width` (default: the
    subtitles' line length) and the box at most `room` wide; also the languages whose text needs more
    lines than `style.max_lines` even at the smallest size allowed."""
    width, height = frame
    em = caption_em(width, height, float(style.size))
    narrow = Fraction(width, height) <= Fraction(4, 3)
    limit = max_width if max_width is not None else width * (WIDTH_NARROW if narrow else WIDTH_LANDSCAPE)
    limit = min(limit, room - 2 * (PAD + SLACK) * em - 2)
    blocks, overflow, top = [], [], float(round(PAD * em))
    for lang, text in texts:
        paragraphs = _paragraphs(text, lang, limit, em, style.max_lines, faces[lang])
        if sum(len(block.lines) for block in paragraphs) > style.max_lines or not all(b.fits for b in paragraphs):
            overflow.append(lang)
        for number, block in enumerate(paragraphs):
            if number:  # the next paragraph's first baseline one line pitch below the last one's
                top += paragraphs[number - 1].baselines()[-1] + block.line_pitch - block.lines[0].ascent
            blocks.append(TextBlock(lang, block, top))
        top += paragraphs[-1].height + GAP * em
    pad = round(PAD * em)
    text_width = max(block.block.width for block in blocks) + 2 * SLACK * em
    box_height = math.ceil(top - GAP * em) + pad
    return OverlayText(tuple(blocks), style, math.ceil(text_width) + 2 * pad, box_height, pad), overflow


def _paragraphs(text: str, lang: str, limit: float, em: float, max_lines: int, faces: FaceSet) -> list[Block]:
    """Each line the author wrote (a name, then a role) as its own paragraph, all at one whole-pixel em
    (Pillow draws whole sizes), shrunk as subtitles are when one needs more lines than it may take."""
    written = [line.strip() for line in text.splitlines() if line.strip()]
    lines_each = max(1, max_lines - len(written) + 1)
    size = float(math.floor(em))
    blocks = [lay_out(part, lang, max_width=limit, em=size, max_lines=lines_each, faces=faces,
                      min_em=size * SHRINK_FLOOR) for part in written]
    smallest = float(math.floor(min(block.em for block in blocks)))
    if any(block.em != smallest for block in blocks):
        blocks = [lay_out(part, lang, max_width=limit, em=smallest, max_lines=lines_each, faces=faces, min_em=smallest)
                  for part in written]
    return blocks


def placed_lines(text: OverlayText, box: Box) -> list[PlacedText]:
    """Every line of `text` placed in its column `box` (output pixels), as the card's drawing takes them."""
    top = box[1]
    color = parse_color(text.style.color, "color")
    raqm = raqm_available()
    inner_left, inner_right = box[0] + text.pad, box[2] - text.pad
    lines = []
    for item in text.blocks:
        block = item.block
        align = _anchor(text.style.align, block.direction)
        x = {"l": inner_left + SLACK * block.em, "m": (inner_left + inner_right) / 2,
             "r": inner_right - SLACK * block.em}[align]
        for line, baseline in zip(block.lines, block.baselines()):
            runs = line.visual_runs()
            script = runs[0].script if runs else "latin"
            engine: Literal["raqm", "basic", "libass"] = "raqm" if raqm else (
                "libass" if script in COMPLEX_SCRIPTS else "basic")
            y = round(top + item.top + baseline)
            line_left = x - line.width * {"l": 0.0, "m": 0.5, "r": 1.0}[align]
            ink = (math.floor(line_left - SLACK * block.em), math.floor(y - line.ascent),
                   math.ceil(line_left + line.width + SLACK * block.em), math.ceil(y + line.descent))
            lines.append(PlacedText(
                line.text, "overlay", block.lang, script, runs[0].font, round(block.em), 400, 0.0, round(x), y,
                align, color, ink, math.ceil(line.width), engine, runs if len(runs) > 1 else ()))
    return lines


def _anchor(align: str, direction: str) -> Literal["l", "m", "r"]:
    """start/center/end for a paragraph of this direction, as the left, middle or right of its lines."""
    if align == "center":
        return "m"
    start = "r" if direction == "rtl" else "l"
    return start if align == "start" else ("l" if start == "r" else "r")


def draw_text(text: OverlayText, column: Box, frame: tuple[int, int], target: Path) -> Path:
    """The overlay drawn at the output's size, its text in `column`, saved as the transparent PNG
    of the box it covers (`layer_box`): the graph lays that box over the film."""
    from PIL import Image

    canvas = Image.new("RGBA", frame, (0, 0, 0, 0))
    lines = placed_lines(text, column)
    marks = text_marks(lines)
    style = text.style
    box = text.layer_box(column, frame[0])
    if style.background == "none":
        soft_shadow(canvas, union([line.box for line in lines]), marks)
    else:
        shade = faded(parse_color(style.background_color, "background_color"), float(style.background_opacity))
        composite(canvas, Image.new("L", (box[2] - box[0], box[3] - box[1]), 255), shade, box[:2])
    for mask, rgba, origin in marks:
        composite(canvas, mask, rgba, origin)
    return save_png(canvas.crop(box), target)
