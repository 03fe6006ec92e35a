"""Drawing text that needs shaping when Pillow cannot shape: libass through the bundled ffmpeg.

Pillow loads libfribidi from the system at run time; where it is missing, text in a script
that needs shaping (Arabic, Hebrew, Devanagari, Thai) is drawn by libass, which the bundled
ffmpeg has with HarfBuzz and FriBidi built in, instead of being drawn broken.
"""

from __future__ import annotations

import math
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from filmkit.card.model import Box, PlacedText
from filmkit.card.typeset import load_font
from filmkit.errors import FilmkitError, RenderError
from filmkit.text.fonts import line_height_units, link_font_file
from filmkit.subtitles.ass import ass_document, ass_escape  # the subtitles' own script writing

if TYPE_CHECKING:
    from PIL import Image as PILImage

PAD = 8  # pixels above and below each line's band


@dataclass(frozen=True)
class _Sheet:
    """The scratch image libass draws on: a band per line, the line at `start`, its reference letter past `area`."""

    em: int
    start: int  # an em of room before the pen: swashes and descenders reach back past it
    area: int  # the line's part of a band; its reference letter is drawn beyond
    width: int
    height: int
    bands: tuple[tuple[int, int], ...]  # (top, height) per line

    @classmethod
    def for_lines(cls, lines: Sequence[PlacedText]) -> _Sheet:
        em = max(line.size for line in lines)
        start = em
        area = start + round(max(line.limit for line in lines) * 1.6) + em
        bands: list[tuple[int, int]] = []
        y = 0
        for line in lines:
            band = math.ceil(_font_size(line) * 1.8) + 2 * PAD
            bands.append((y, band))
            y += band
        return cls(em, start, area, area + 4 * em, y + (y % 2), tuple(bands))

    @property
    def even_width(self) -> int:
        """The width of the frame ffmpeg draws: `width` rounded up to an even number of pixels."""
        return self.width + self.width % 2


def libass_masks(lines: Sequence[PlacedText]) -> dict[int, tuple[PILImage.Image, tuple[int, int]]]:
    """Shape and draw lines with libass (HarfBuzz + FriBidi) through the bundled ffmpeg.

    Each line is drawn white on black in its own band of one scratch image (one ffmpeg run per
    card), so a pixel's brightness is the text's coverage; the line's ink is then cut out and
    set at its anchor, scaled down if libass set it wider than allowed. libass sizes and places
    a face by its own metrics, so each band also holds one reference letter whose exact outline
    Pillow knows without shaping: where libass drew it tells where the band's baseline is.
    Keyed by id(line).
    """
    sheet = _Sheet.for_lines(lines)
    coverage = _draw_with_libass(lines, sheet)
    return {id(line): _cut_out(line, coverage, sheet, band) for line, band in zip(lines, sheet.bands)}


def _font_size(line: PlacedText) -> float:
    """libass's font size for the line's em (libass sizes a face by its line height)."""
    return line.size * line_height_units(line.font.path, line.font.index)


def _ass_document(lines: Sequence[PlacedText], sheet: _Sheet) -> str:
    """The sheet as an ASS script: a style per line, the line and its reference letter as events."""
    styles: list[str] = []
    events: list[str] = []
    for number, (line, (y, _)) in enumerate(zip(lines, sheet.bands)):
        styles.append(f"Style: l{number},{line.font.family},{_font_size(line):.2f},&H00FFFFFF,&H00FFFFFF,&H00FFFFFF,"
                      f"&H00000000,0,0,0,0,100,100,0,0,1,{_libass_bold(line):.2f},0,7,0,0,0,-1")
        for x, text in ((sheet.start, line.text), (sheet.area + sheet.em, _reference_letter(line))):
            events.append(f"Dialogue: 0,0:00:00.00,0:00:05.00,l{number},,0,0,0,,{{\\pos({x},{y + PAD})}}"
                          f"{ass_escape(text)}")
    return ass_document(sheet.even_width, sheet.height, styles, events)


def _draw_with_libass(lines: Sequence[PlacedText], sheet: _Sheet) -> PILImage.Image:
    """The sheet drawn by ffmpeg's libass, as coverage (L); FilmkitError saying what to install."""
    from PIL import Image

    from filmkit.graph.text import build_text_still_args
    from filmkit.media.ffmpeg import run_tool

    with tempfile.TemporaryDirectory(prefix="filmkit-card-") as folder:
        work = Path(folder)
        fonts = work / "fonts"
        fonts.mkdir()
        for face in {line.font.path for line in lines}:
            link_font_file(face, fonts / face.name)
        (work / "card.ass").write_text(_ass_document(lines, sheet), encoding="utf-8")
        output = work / "text.png"
        try:
            run_tool(build_text_still_args(work / "card.ass", fonts, output, sheet.even_width, sheet.height),
                     what="card text (libass)")
            with Image.open(output) as image:
                return image.convert("RGB").getchannel("R")
        except (RenderError, OSError) as exc:
            langs = ", ".join(sorted({line.lang for line in lines}))
            raise FilmkitError(
                f"the card text in {langs} needs complex shaping, which Pillow cannot do here (its raqm layout needs "
                "libfribidi: install it, e.g. `apt install libfribidi0`, `dnf install fribidi` or `brew install "
                f"fribidi`), and drawing it with ffmpeg's libass instead failed: {exc}") from None


def _cut_out(line: PlacedText, coverage: PILImage.Image, sheet: _Sheet,
             band: tuple[int, int]) -> tuple[PILImage.Image, tuple[int, int]]:
    """The line's ink from its band, scaled to Pillow's em (and its limit), and where it goes on the card."""
    from PIL import Image

    band_top, band_height = band
    em, start = sheet.em, sheet.start
    ink = coverage.crop((0, band_top, sheet.area + em // 2, band_top + band_height)).getbbox()
    drawn = coverage.crop((sheet.area + em // 2, band_top, sheet.width, band_top + band_height)).getbbox()
    if ink is None or drawn is None:
        raise FilmkitError(f"libass drew nothing for the card text {line.text!r} ({line.lang}) with "
                           f"{line.font.family}; install libfribidi so Pillow can draw it (see `filmkit doctor`)")
    known = _reference_box(line)  # the letter's outline relative to its baseline, as Pillow sets it
    # libass's em may come out a little smaller than Pillow's: its size relative to Pillow's.
    ratio = max(drawn[3] - drawn[1] - 2 * _libass_bold(line), 1) / max(known[3] - known[1], 1)
    baseline = (drawn[1] + drawn[3]) / 2 - (known[1] + known[3]) / 2 * ratio
    glyphs = coverage.crop((ink[0], band_top + ink[1], ink[2], band_top + ink[3]))
    above = baseline - ink[1]  # ink above the baseline
    scale = min(1 / ratio if 0.8 < ratio < 0.97 else 1.0, line.limit / glyphs.width)
    if scale != 1.0:
        glyphs = glyphs.resize((max(1, round(glyphs.width * scale)), max(1, round(glyphs.height * scale))),
                               Image.Resampling.LANCZOS)
    if line.align == "l":
        left = line.x + round((ink[0] - start) * scale)
    elif line.align == "r":
        left = line.x - glyphs.width
    else:
        left = line.x - glyphs.width // 2
    return glyphs, (left, round(line.baseline - above * scale))


def _libass_bold(line: PlacedText) -> float:
    """libass does not set a variable font's weight: bold is an outline in the text colour."""
    return round(line.size * 0.02 * max(0, line.weight - 400) / 300, 2)


def _reference_letter(line: PlacedText) -> str:
    """A letter of the line that looks the same unshaped (its first one, in isolated form)."""
    return next((char for char in line.text if unicodedata.category(char).startswith("L")), line.text[0])


def _reference_box(line: PlacedText) -> Box:
    font = load_font(str(line.font.path), line.font.index, line.size, 400, False)
    return tuple(font.getbbox(_reference_letter(line), anchor="ls"))  # type: ignore[return-value]
