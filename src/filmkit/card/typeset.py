"""Setting the card's text: a face and weight per text, measuring, and fitting text into a box.

Text is measured the way it will be drawn (raqm, Pillow's basic layout, or libass for scripts
that need shaping where raqm is missing), so what fits here fits on the card. Fonts are the
ones subtitles use (`filmkit.text.fonts`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from filmkit.card.linebreak import paragraph_for
from filmkit.card.model import Box, CardContent
from filmkit.errors import FilmkitError
from filmkit.text.faces import FaceSet
from filmkit.text.fonts import FontChoice, dominant_script
from filmkit.text.layout import Run
from filmkit.text.measure import axis_name, load_font, shaping_options
from filmkit.text.runs import itemize, missing

if TYPE_CHECKING:
    from PIL import ImageFont

# Scripts whose text is wrong without OpenType shaping and bidi (joining, reordering, conjuncts,
# mark stacking): Pillow's basic layout draws them broken, so they never take that path.
COMPLEX_SCRIPTS = frozenset({"arabic", "hebrew", "devanagari", "thai"})

WEIGHTS = {"tagline": 700, "tagline2": 500, "hashtag": 600, "url": 400}
LEADING = {"latin": 1.1, "greek": 1.1, "cyrillic": 1.1}  # baseline to baseline, in em; others 1.3


@dataclass(frozen=True)
class Style:
    """How one text element is set: face (of its main script), language, script and weight;
    `faces` gives every run of the text its own face (the engine's choice)."""

    font: FontChoice
    lang: str
    script: str
    weight: int
    faces: FaceSet = field(compare=False, repr=False, default_factory=lambda: FaceSet("en"))


Styles = dict[tuple[int, str], tuple[str, Style]]  # (content index, role) -> (text, style)


def choose_styles(contents: tuple[CardContent, ...], override: str | None, project_dir: Path | None) -> Styles:
    """(content index, role) -> (text, style); faces per run as for subtitles (`FaceSet`)."""
    styles: Styles = {}
    for index, content in enumerate(contents):
        faces = FaceSet(content.lang, override, project_dir, setting="card.font")
        roles = {"tagline" if index == 0 else "tagline2": content.tagline, "hashtag": content.hashtag,
                 "url": content.url}
        for role, text in roles.items():
            if not text:
                continue
            script = dominant_script(text, content.lang)
            try:
                face = faces.face(script)
                spans = itemize(text, faces)
            except FilmkitError as exc:
                raise FilmkitError(f"card ({content.lang}): {exc.message}") from None
            lacking = missing(spans)
            if lacking:
                shown = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in lacking[:6])
                used = ", ".join(sorted({f"{s.font.family} ({s.font.path.name})" for s in spans}))
                raise FilmkitError(
                    f"card.text.{content.lang}.{role}: {shown} cannot be drawn with {used}, the font(s) filmkit "
                    f"uses for this text in {content.lang!r}. Replace the character, or set card.font to a "
                    ".ttf/.otf file that has it")
            styles[(index, role)] = (text, Style(face, content.lang, script, WEIGHTS[role], faces))
    return styles


@dataclass(frozen=True)
class Fit:
    """A text set at one size, broken into lines; inks are relative to (anchor x, first baseline)."""

    size: int
    lines: tuple[str, ...]
    advance: int  # baseline to baseline
    inks: tuple[Box, ...]
    below_minimum: bool
    runs: tuple[tuple[Run, ...], ...] = ()  # each line's runs, left to right

    @property
    def width(self) -> int:
        return max(right - left for left, _, right, _ in self.inks)

    @property
    def top(self) -> int:
        return min(top for _, top, _, _ in self.inks)

    @property
    def bottom(self) -> int:
        return max(bottom for _, _, _, bottom in self.inks)

    @property
    def height(self) -> int:
        return self.bottom - self.top


class Typesetter:
    """Measures text the way it will be drawn: raqm, Pillow's basic layout, or libass."""

    def __init__(self, raqm: bool) -> None:
        self.raqm = raqm

    def engine(self, style: Style) -> Literal["raqm", "basic", "libass"]:
        if self.raqm:
            return "raqm"
        return "libass" if style.script in COMPLEX_SCRIPTS else "basic"

    def font(self, style: Style, size: int) -> ImageFont.FreeTypeFont:
        return load_font(str(style.font.path), style.font.index, size, style.weight, self.engine(style) == "raqm")

    def stroke(self, style: Style, size: int) -> float:
        """A face with no weight axis (the CJK collection) gets its bold as a thin same-colour stroke
        (1.2% of the em: heavier strokes clog dense characters such as 赢)."""
        if style.weight < 600 or _has_weight_axis(str(style.font.path), style.font.index):
            return 0.0
        return round(size * 0.012 * (style.weight - 400) / 300, 2)

    def length(self, style: Style, size: int, text: str) -> float:
        return _length(self.font(style, size), text, style.lang if self.engine(style) == "raqm" else None) \
            + 2 * self.stroke(style, size)

    def ink(self, style: Style, size: int, text: str, align: str) -> Box:
        """Ink box relative to the anchor point on the baseline."""
        return _ink(self.font(style, size), text, f"{align}s", self.stroke(style, size),
                    style.lang if self.engine(style) == "raqm" else None)

    def ink_runs(self, style: Style, size: int, runs: Sequence[Run], align: str) -> Box:
        """Ink box of a line of several runs (each in its own face), relative to its anchor."""
        raqm = self.engine(style) == "raqm"
        stroke = self.stroke(style, size)
        x = -sum(run.width for run in runs) * {"l": 0.0, "m": 0.5, "r": 1.0}[align]
        boxes = []
        for run in runs:
            font = load_font(str(run.font.path), run.font.index, size, style.weight, raqm)
            left, top, right, bottom = font.getbbox(run.text, anchor="ls", stroke_width=stroke,
                                                    **shaping_options(run.direction, style.lang, raqm))
            boxes.append((x + left, top, x + right, bottom))
            x += run.width
        return (math.floor(min(b[0] for b in boxes)), math.floor(min(b[1] for b in boxes)),
                math.ceil(max(b[2] for b in boxes)), math.ceil(max(b[3] for b in boxes)))


@functools.lru_cache(maxsize=64)
def _has_weight_axis(path: str, index: int) -> bool:
    from PIL import ImageFont

    try:
        axes = ImageFont.truetype(path, size=10, index=index).get_variation_axes()
    except OSError:  # not a variable font
        return False
    return any(axis_name(axis) in ("weight", "wght") for axis in axes)


@functools.lru_cache(maxsize=8192)
def _length(font: ImageFont.FreeTypeFont, text: str, lang: str | None) -> float:
    return float(font.getlength(text, language=lang) if lang else font.getlength(text))


@functools.lru_cache(maxsize=4096)
def _ink(font: ImageFont.FreeTypeFont, text: str, anchor: str, stroke: float, lang: str | None) -> Box:
    options = {"language": lang} if lang else {}
    left, top, right, bottom = font.getbbox(text, anchor=anchor, stroke_width=stroke, **options)
    return math.floor(left), math.floor(top), math.ceil(right), math.ceil(bottom)


def fit_text(setter: Typesetter, style: Style, text: str, *, nominal: float, minimum: float, max_width: float,
             max_height: float, max_lines: int, one_line_floor: float = 1.0, align: str = "m") -> Fit:
    """Set `text` as large as possible within the box, broken by the text engine.

    In order of preference: one line down to `one_line_floor` x nominal; up to `max_lines`
    balanced lines down to `minimum`; more lines at `minimum`; smaller sizes (a last resort
    that guarantees the text never overflows).
    """
    paragraph = paragraph_for(style, text, setter.engine(style) == "raqm")
    leading = LEADING.get(style.script, 1.3)
    sizes = _sizes(nominal, minimum)

    def attempt(size: int, count: int, below: bool) -> Fit | None:
        if (count - 1) * leading * size > max_height:
            return None
        width = max_width - 2 * setter.stroke(style, size)
        lines = paragraph.lines(size, width, count)
        if lines is None or any(setter.length(style, size, line.text) > max_width
                                for line in lines if len(line.runs) == 1):
            return None
        runs = tuple(line.visual_runs() for line in lines)
        inks = [setter.ink(style, size, line.text, align) if len(line.runs) == 1
                else setter.ink_runs(style, size, line_runs, align) for line, line_runs in zip(lines, runs)]
        advance = round(leading * size)
        for upper, lower in zip(inks, inks[1:]):  # tall marks and descenders never touch
            advance = max(advance, upper[3] - lower[1] + round(0.08 * size))
        placed = tuple((l, t + i * advance, r, b + i * advance) for i, (l, t, r, b) in enumerate(inks))
        fit = Fit(size, tuple(line.text for line in lines), advance, placed, below, runs)
        return fit if fit.height <= max_height else None

    def needed(size: int) -> int | None:
        return paragraph.fewest(size, max_width - 2 * setter.stroke(style, size))

    def tries(size: int, counts: Sequence[int], below: bool = False) -> Fit | None:
        for count in counts:
            fit = attempt(size, count, below)
            if fit is not None:
                return fit
        return None

    for size in (s for s in sizes if s >= nominal * one_line_floor):
        if needed(size) == 1 and (fit := tries(size, [1])):
            return fit
    for size in sizes:
        count = needed(size)
        if count is not None and count <= max_lines and (fit := tries(size, range(count, max_lines + 1))):
            return fit
    size = sizes[-1]
    count = needed(size)
    if count is not None and (fit := tries(size, range(max(count, max_lines + 1), count + 3))):
        return fit
    for size in _sizes(size * 0.94, 1):
        count = needed(size)
        if count is not None and (fit := tries(size, range(count, count + 3), True)):
            return fit
    raise FilmkitError(f"card.text.{style.lang}: {text[:40]!r} cannot fit a {max_width:.0f}x{max_height:.0f} "
                       "pixel box at any size; use a larger frame or a smaller safe area")


def _sizes(start: float, stop: float) -> list[int]:
    """Whole pixel sizes from `start` down to `stop`, about 4% apart."""
    floor = max(1, math.ceil(stop))
    sizes: list[int] = []
    value = max(start, 1.0)
    while True:
        size = max(floor, int(value))
        if not sizes or size < sizes[-1]:
            sizes.append(size)
        if size <= floor:
            return sizes
        value *= 0.96
