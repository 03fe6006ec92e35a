"""The closing card: tagline, hashtag, call to action and logo, drawn with Pillow at the output size.

A card is composed for its frame rather than stretched to it: wide frames set the logo beside
the text (a lockup, mirrored for right-to-left languages), square, 4:5 and 9:16 frames stack
logo, tagline and the smaller lines on one centred axis with type sized for that shape. Sizes
and gaps come from one grid unit, the block sits a little above the geometric centre (optical
centring), and everything stays inside the platform's safe area (or a title-safe margin).

Text is shaped by raqm (HarfBuzz + FriBidi) so Arabic and Hebrew run right to left and join,
Devanagari forms conjuncts and Chinese uses the regional face; fonts are the ones subtitles
use (`filmkit.fonts`). Long translations first wrap into balanced lines, then shrink; below a
minimum size they wrap further instead, and they shrink below it only as a last resort, so
nothing ever overflows. Pillow loads libfribidi from the system at run time: where it is
missing, text in a script that needs shaping is drawn by libass through the bundled ffmpeg
(which has HarfBuzz and FriBidi built in) instead of being drawn broken. Over a picture or
a transparent card (laid over the film's blurred last frame) the text gets a soft shadow.

Everything here is pure except `save_png` and that ffmpeg fallback.
"""

from __future__ import annotations

import functools
import math
import os
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from filmkit.errors import FilmkitError, MediaError, OutputError, RenderError
from filmkit.fonts import (CJK_SCRIPTS, RTL_SCRIPTS, FontChoice, choose_font, dominant_script, line_height_units,
                           missing_glyphs)
from filmkit.safearea import SafeArea  # shared with the subtitles; re-exported for the card's callers
from filmkit.subtitles.ass import _escape as _ass_escape  # the same literal-text escaping the subtitles use
from filmkit.subtitles.ass import _units

if TYPE_CHECKING:
    from PIL import Image as PILImage
    from PIL import ImageFont

__all__ = ["Aspect", "CardContent", "CardLayout", "PlacedImage", "PlacedRule", "PlacedText", "SafeArea",
           "aspect_class", "card_text_box", "default_safe_area", "draw_card", "layout_card", "raqm_available",
           "save_png", "thai_clusters"]

Box = tuple[int, int, int, int]  # left, top, right, bottom; right and bottom exclusive, in pixels
RGBA = tuple[int, int, int, int]

# Scripts whose text is wrong without OpenType shaping and bidi (joining, reordering, conjuncts,
# mark stacking): Pillow's basic layout draws them broken, so they never take that path.
COMPLEX_SCRIPTS = frozenset({"arabic", "hebrew", "devanagari", "thai"})


@dataclass(frozen=True)
class CardContent:
    """What the card says in one language (the schema's `CardText` plus its language)."""

    lang: str
    tagline: str
    hashtag: str | None = None
    url: str | None = None


def _safe_box(area: SafeArea, width: int, height: int) -> Box:
    """The usable rectangle in pixels, edges rounded inward so that it never grows."""
    left, top = math.ceil(area.left * width), math.ceil(area.top * height)
    right, bottom = math.floor((1 - area.right) * width), math.floor((1 - area.bottom) * height)
    if right - left < 4 or bottom - top < 4:
        raise FilmkitError(f"the card's safe area {area} leaves no room in a {width}x{height} frame; "
                           "the fractions of opposite sides must add up to less than 1")
    return left, top, right, bottom


# Without a platform's figures: the title-safe area of SMPTE ST 2046-1 (90% of width and height,
# the same as EBU R 95's graphics-safe area), and for 9:16 the BBC Subtitle Guidelines' "central
# 75% of the height and 90% of the width" (PLATFORMS.md, 9:16 safe zones).
TITLE_SAFE = SafeArea(top=0.05, bottom=0.05, left=0.05, right=0.05)
TITLE_SAFE_VERTICAL = SafeArea(top=0.125, bottom=0.125, left=0.05, right=0.05)


class Aspect(str, Enum):
    """The four frame shapes a card is composed for."""

    LANDSCAPE = "landscape"  # 16:9, 1.91:1 ...
    SQUARE = "square"  # 1:1
    PORTRAIT = "portrait"  # 4:5, 2:3
    VERTICAL = "vertical"  # 9:16


def aspect_class(width: int, height: int) -> Aspect:
    """Which composition a frame gets; the limits sit between the platform shapes."""
    ratio = width / height
    if ratio >= 1.25:
        return Aspect.LANDSCAPE
    if ratio >= 0.9:
        return Aspect.SQUARE
    if ratio >= 0.66:
        return Aspect.PORTRAIT
    return Aspect.VERTICAL


def default_safe_area(width: int, height: int) -> SafeArea:
    """The margin kept when no platform safe area is given (see TITLE_SAFE)."""
    return TITLE_SAFE_VERTICAL if aspect_class(width, height) is Aspect.VERTICAL else TITLE_SAFE


def raqm_available() -> bool:
    """Whether Pillow can shape text (raqm and the libfribidi it loads at run time are present)."""
    from PIL import features

    return bool(features.check("raqm"))


# --- the composition, per frame shape -------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    """Proportions of one composition; sizes are fractions of the frame's short side."""

    tagline: float  # tagline em
    measure: float  # longest tagline line, fraction of the content width
    lines: int  # tagline lines allowed at full size before it shrinks
    one_line_floor: float  # a one-line tagline may shrink to this fraction before it wraps
    logo: float  # logo box height
    optical: float  # the block sits this fraction of the content height above centre


SPECS: dict[Aspect, _Spec] = {
    Aspect.LANDSCAPE: _Spec(tagline=0.09, measure=0.74, lines=2, one_line_floor=0.8, logo=0.25, optical=0.03),
    Aspect.SQUARE: _Spec(tagline=0.088, measure=0.84, lines=2, one_line_floor=0.9, logo=0.15, optical=0.035),
    Aspect.PORTRAIT: _Spec(tagline=0.095, measure=0.86, lines=3, one_line_floor=0.9, logo=0.17, optical=0.04),
    Aspect.VERTICAL: _Spec(tagline=0.118, measure=0.9, lines=3, one_line_floor=1.0, logo=0.2, optical=0.04),
}

GRID = 40  # one grid unit is the short side / 40 (27 px at 1080): every gap is a multiple of it
MIN_TAGLINE = 0.55  # below this fraction of its size a tagline wraps into more lines instead
HASHTAG = 0.40  # hashtag em, fraction of the tagline's full size
URL = 0.31  # call to action em
SECOND = 0.42  # second language's tagline, fraction of the first one's final size
WEIGHTS = {"tagline": 700, "tagline2": 500, "hashtag": 600, "url": 400}
LEADING = {"latin": 1.1, "greek": 1.1, "cyrillic": 1.1}  # baseline to baseline, in em; others 1.3
UPPER_LINES = 1.05  # see _balanced
DARKEN = 0.45  # an image background is darkened this much (towards black) for legible text
SHADOW = 0.6  # opacity of the soft shadow under text over pictures


@dataclass(frozen=True)
class PlacedText:
    """One line of text where it is drawn: the anchor point on the baseline and its ink box."""

    text: str
    role: str  # tagline, tagline2, hashtag, url
    lang: str
    script: str
    font: FontChoice
    size: int  # em in pixels
    weight: int
    stroke: float  # extra weight, in pixels, for a face that has no bold
    x: int
    baseline: int
    align: Literal["l", "m", "r"]  # which point of the line x is: left, middle, right
    color: RGBA
    box: Box
    limit: int  # widest this line may be drawn
    engine: Literal["raqm", "basic", "libass"]


@dataclass(frozen=True)
class PlacedImage:
    box: Box


@dataclass(frozen=True)
class PlacedRule:
    box: Box
    color: RGBA


@dataclass(frozen=True)
class CardLayout:
    """Where everything on a card goes; computed without drawing."""

    width: int
    height: int
    aspect: Aspect
    safe: Box
    lines: tuple[PlacedText, ...]
    logo: PlacedImage | None = None
    rules: tuple[PlacedRule, ...] = ()

    @property
    def box(self) -> Box:
        """The bounding box of everything drawn: text ink, logo and rules."""
        boxes = [line.box for line in self.lines] + [rule.box for rule in self.rules]
        if self.logo is not None:
            boxes.append(self.logo.box)
        return _union(boxes)


def layout_card(contents: Sequence[CardContent], width: int, height: int, *,
                logo_size: tuple[int, int] | None = None, color: str = "#FFFFFF", accent: str | None = None,
                font: str | None = None, project_dir: Path | None = None,
                safe_area: SafeArea | None = None) -> CardLayout:
    """Place every element of the card for this frame; FilmkitError for text no font can draw."""
    contents = _checked(contents, width, height)
    text_rgba = _color(color, "color")
    accent_rgba = _color(accent, "accent") if accent else text_rgba
    safe = _safe_box(safe_area or default_safe_area(width, height), width, height)
    setter = _Typesetter(raqm_available())
    styles = _styles(contents, font, project_dir)
    composer = _Composer(contents, width, height, safe, setter, styles, logo_size, text_rgba, accent_rgba)
    return composer.compose()


def card_text_box(contents: Sequence[CardContent], width: int, height: int, *, logo: Path | None = None,
                  color: str = "#FFFFFF", accent: str | None = None, font: str | None = None,
                  project_dir: Path | None = None, safe_area: SafeArea | None = None) -> Box:
    """The bounding box of everything `draw_card` draws with these arguments (text, logo, rules)."""
    logo_size = _open_image(_resolve(logo, project_dir), "logo").size if logo is not None else None
    return layout_card(contents, width, height, logo_size=logo_size, color=color, accent=accent, font=font,
                       project_dir=project_dir, safe_area=safe_area).box


def draw_card(contents: Sequence[CardContent], width: int, height: int, *,
              background: str | Path | None, logo: Path | None = None, color: str = "#FFFFFF",
              accent: str | None = None, font: str | None = None, project_dir: Path | None = None,
              safe_area: SafeArea | None = None, shadow: bool | None = None) -> PILImage.Image:
    """The card as an RGBA image of exactly width x height.

    `contents` is one language, or two for a bilingual version (the second drawn smaller under
    the first). `background` is a colour ("#RRGGBB" or a name), an image Path (scaled to cover
    the frame, centre-cropped and darkened; a str naming a file is read the same way), or None
    for a transparent card to lay over the blurred last frame. Relative paths are taken from
    `project_dir`, like every path in a project. `shadow` puts a soft dark halo under the text so it reads over any
    picture; by default it is on for image and transparent backgrounds, off on a flat colour.
    """
    from PIL import Image

    if isinstance(background, Path):
        background = _resolve(background, project_dir)
    canvas = _background(background, width, height, project_dir)
    logo_image = _open_image(_resolve(logo, project_dir), "logo") if logo is not None else None
    layout = layout_card(contents, width, height, logo_size=logo_image.size if logo_image else None,
                         color=color, accent=accent, font=font, project_dir=project_dir, safe_area=safe_area)
    # Everything drawn, as (coverage, colour, top-left): the rules, then each line of text.
    marks: list[Mark] = [
        (Image.new("L", (rule.box[2] - rule.box[0], rule.box[3] - rule.box[1]), 255), rule.color, rule.box[:2])
        for rule in layout.rules]
    shaped_by_libass = [line for line in layout.lines if line.engine == "libass"]
    masks = _libass_masks(shaped_by_libass) if shaped_by_libass else {}
    for line in layout.lines:
        mask, origin = masks[id(line)] if line.engine == "libass" else _pillow_mask(line)
        marks.append((mask, line.color, origin))
    if shadow if shadow is not None else not _is_colour(background):
        _soft_shadow(canvas, layout.box, marks)
    if logo_image is not None and layout.logo is not None:
        left, top, right, bottom = layout.logo.box
        scaled = logo_image.convert("RGBA").resize((right - left, bottom - top), Image.Resampling.LANCZOS)
        canvas.alpha_composite(scaled, (left, top))
    for mask, rgba, origin in marks:
        _composite(canvas, mask, rgba, origin)
    return canvas


def save_png(image: PILImage.Image, path: Path) -> Path:
    """Write `image` to `path` atomically: a temporary file beside it, then os.replace."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.stem}.", suffix=".png.part",
                                             delete=False)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the card there ({exc.strerror or exc}); "
                          "choose a folder you can write to") from None
    temp = Path(handle.name)
    try:
        with handle:
            image.save(handle, format="PNG")
        os.replace(temp, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the card ({exc.strerror or exc}); "
                          "check the free space and permissions of that folder") from None
    finally:
        temp.unlink(missing_ok=True)
    return path


# --- checking the input ---------------------------------------------------------------------


def _checked(contents: Sequence[CardContent], width: int, height: int) -> tuple[CardContent, ...]:
    if width < 16 or height < 16:
        raise FilmkitError(f"a card of {width}x{height} pixels is too small to draw; use at least 16x16")
    contents = tuple(contents)
    if not 1 <= len(contents) <= 2:
        raise FilmkitError(f"a card shows one language, or two for a bilingual version; got {len(contents)}")
    cleaned = []
    for content in contents:
        tagline = " ".join(content.tagline.split())
        if not tagline:
            raise FilmkitError(f"card.text.{content.lang}.tagline is empty; write the tagline in {content.lang}")
        hashtag = " ".join((content.hashtag or "").split()) or None
        url = " ".join((content.url or "").split()) or None
        cleaned.append(CardContent(content.lang, tagline, hashtag, url))
    return tuple(cleaned)


def _color(value: str, key: str) -> RGBA:
    from PIL import ImageColor

    try:
        rgb = ImageColor.getrgb(value)
    except ValueError:
        raise FilmkitError(f"card.{key}: {value!r} is not a colour; use #RRGGBB (quoted in YAML) or a name "
                           "such as white") from None
    return (rgb[0], rgb[1], rgb[2], rgb[3] if len(rgb) == 4 else 255)


def _faded(rgba: RGBA, opacity: float) -> RGBA:
    return rgba[0], rgba[1], rgba[2], round(rgba[3] * opacity)


@dataclass(frozen=True)
class _Style:
    """How one text element is set: face, language, script and weight."""

    font: FontChoice
    lang: str
    script: str
    weight: int


def _styles(contents: tuple[CardContent, ...], override: str | None,
            project_dir: Path | None) -> dict[tuple[int, str], tuple[str, _Style]]:
    """(content index, role) -> (text, style); the font is chosen per text as for subtitles."""
    styles: dict[tuple[int, str], tuple[str, _Style]] = {}
    for index, content in enumerate(contents):
        roles = {"tagline" if index == 0 else "tagline2": content.tagline, "hashtag": content.hashtag,
                 "url": content.url}
        for role, text in roles.items():
            if not text:
                continue
            script = dominant_script(text, content.lang)
            try:
                face = choose_font(script, content.lang, override, project_dir)
            except FilmkitError as exc:
                raise FilmkitError(f"card ({content.lang}): {exc.message.replace('subtitles.style.font', 'card.font')}"
                                   ) from None
            missing = missing_glyphs(text, [face])
            if missing:
                shown = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in missing[:6])
                raise FilmkitError(
                    f"card.text.{content.lang}.{role}: {shown} cannot be drawn with {face.family} ({face.path.name}), "
                    f"the font filmkit uses for {script} text in {content.lang!r}. Replace the character, or set "
                    "card.font to a .ttf/.otf file that has it")
            styles[(index, role)] = (text, _Style(face, content.lang, script, WEIGHTS[role]))
    return styles


# --- measuring text -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fit:
    """A text set at one size, broken into lines; inks are relative to (anchor x, first baseline)."""

    size: int
    lines: tuple[str, ...]
    advance: int  # baseline to baseline
    inks: tuple[Box, ...]
    below_minimum: bool

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


class _Typesetter:
    """Measures text the way it will be drawn: raqm, Pillow's basic layout, or libass."""

    def __init__(self, raqm: bool) -> None:
        self.raqm = raqm

    def engine(self, style: _Style) -> Literal["raqm", "basic", "libass"]:
        if self.raqm:
            return "raqm"
        return "libass" if style.script in COMPLEX_SCRIPTS else "basic"

    def font(self, style: _Style, size: int) -> ImageFont.FreeTypeFont:
        return _load_font(str(style.font.path), style.font.index, size, style.weight, self.engine(style) == "raqm")

    def stroke(self, style: _Style, size: int) -> float:
        """A face with no weight axis (the CJK collection) gets its bold as a thin same-colour stroke
        (1.2% of the em: heavier strokes clog dense characters such as 赢)."""
        if style.weight < 600 or _has_weight_axis(str(style.font.path), style.font.index):
            return 0.0
        return round(size * 0.012 * (style.weight - 400) / 300, 2)

    def length(self, style: _Style, size: int, text: str) -> float:
        return _length(self.font(style, size), text, style.lang if self.engine(style) == "raqm" else None) \
            + 2 * self.stroke(style, size)

    def ink(self, style: _Style, size: int, text: str, align: str) -> Box:
        """Ink box relative to the anchor point on the baseline."""
        return _ink(self.font(style, size), text, f"{align}s", self.stroke(style, size),
                    style.lang if self.engine(style) == "raqm" else None)


@functools.lru_cache(maxsize=256)
def _load_font(path: str, index: int, size: int, weight: int, raqm: bool) -> ImageFont.FreeTypeFont:
    """A face at one size and weight; variable fonts are set on their weight axis."""
    from PIL import ImageFont

    layout = ImageFont.Layout.RAQM if raqm else ImageFont.Layout.BASIC
    face = ImageFont.truetype(path, size=max(size, 1), index=index, layout_engine=layout)
    try:
        axes = face.get_variation_axes()
    except OSError:  # not a variable font
        return face
    values = []
    for axis in axes:
        if _axis_name(axis) in ("weight", "wght"):
            values.append(min(max(weight, axis["minimum"]), axis["maximum"]))
        else:
            values.append(axis["default"])
    face.set_variation_by_axes(values)
    return face


@functools.lru_cache(maxsize=64)
def _has_weight_axis(path: str, index: int) -> bool:
    from PIL import ImageFont

    try:
        axes = ImageFont.truetype(path, size=10, index=index).get_variation_axes()
    except OSError:  # not a variable font
        return False
    return any(_axis_name(axis) in ("weight", "wght") for axis in axes)


def _axis_name(axis: dict) -> str:  # type: ignore[type-arg]
    name = axis["name"]
    return (name.decode("ascii", "replace") if isinstance(name, bytes) else str(name)).lower()


@functools.lru_cache(maxsize=8192)
def _length(font: ImageFont.FreeTypeFont, text: str, lang: str | None) -> float:
    return float(font.getlength(text, language=lang) if lang else font.getlength(text))


@functools.lru_cache(maxsize=4096)
def _ink(font: ImageFont.FreeTypeFont, text: str, anchor: str, stroke: float, lang: str | None) -> Box:
    options = {"language": lang} if lang else {}
    left, top, right, bottom = font.getbbox(text, anchor=anchor, stroke_width=stroke, **options)
    return math.floor(left), math.floor(top), math.ceil(right), math.ceil(bottom)


Unit = tuple[str, str]  # (separator before it, text)


def _break_options(text: str, script: str) -> list[tuple[Unit, ...]]:
    """Where lines may break, in order of preference.

    Words for scripts with spaces. Chinese and Japanese: after punctuation first (a phrase per
    line), else between any two characters with kinsoku respected (as subtitles do). Thai, which
    has no spaces between words: at spaces first, else between character clusters.
    """
    if script in CJK_SCRIPTS:
        phrases: list[str] = [""]
        for char in text:
            phrases[-1] += char
            if char in PHRASE_ENDS:
                phrases.append("")
        phrases = [phrase for phrase in phrases if phrase]
        characters = tuple(("", unit) for unit in _units(text, script))
        return [tuple(("", phrase) for phrase in phrases), characters] if len(phrases) > 1 else [characters]
    words = [word for word in text.split(" ") if word]
    by_word = tuple(("" if i == 0 else " ", word) for i, word in enumerate(words))
    if script != "thai":
        return [by_word]
    clusters: list[Unit] = []
    for i, word in enumerate(words):
        clusters.extend(("" if j or i == 0 else " ", cluster) for j, cluster in enumerate(thai_clusters(word)))
    return [by_word, tuple(clusters)]


# Thai characters a line may not start with (vowels and marks written after, above or below a
# consonant, and the repetition mark), and leading vowels a line may not end with: the rules
# of Thai character clusters (Theeramunkong et al., 2000), reduced to what keeps syllables whole.
_THAI_FOLLOWING = frozenset("\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a"
                            "\u0e45\u0e46\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
_THAI_LEADING = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")
PHRASE_ENDS = frozenset("、。，．！？；：,!?;: 　")


def thai_clusters(word: str) -> list[str]:
    """A Thai run cut only where no vowel or mark is separated from its consonant.

    Without a dictionary a break can still fall inside a word, so these are used only when a
    line cannot break at spaces (see _break_options).
    """
    clusters: list[str] = []
    for char in word:
        if clusters and (char in _THAI_FOLLOWING or clusters[-1][-1] in _THAI_LEADING
                         or unicodedata.category(char) in ("Mn", "Mc")):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _join(units: Sequence[Unit]) -> str:
    return units[0][1] + "".join(sep + unit for sep, unit in units[1:])


def _balanced(units: Sequence[Unit], widths: Sequence[float], sep_width: float, count: int) -> list[int] | None:
    """Break points giving `count` lines whose widest is as narrow as possible (balanced lines).

    Widths are added per unit (kerning and joining across a break point are not), which is
    close enough to choose the breaks; the chosen lines are then measured for real.
    """
    n = len(units)
    if count > n:
        return None
    prefix = [0.0]
    for (sep, _), width in zip(units, widths):
        prefix.append(prefix[-1] + width + (sep_width if sep == " " else 0.0))

    def span(i: int, j: int) -> float:  # units i..j-1 on one line (no separator before the first)
        return prefix[j] - prefix[i] - (sep_width if units[i][0] == " " else 0.0)

    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    cut = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for k in range(1, count + 1):
        for j in range(k, n + 1):
            # Lines above the last count 5% wider: of two nearly balanced breaks, the one with
            # the longer last line wins ("Love / Always Wins"), a calmer shape for a tagline.
            bias = 1.0 if j == n else UPPER_LINES
            for i in range(j - 1, k - 2, -1):  # the last line grows as i goes left: stop once too wide
                last = span(i, j) * bias
                if last >= best[k][j]:
                    break
                value = max(best[k - 1][i], last)
                if value < best[k][j]:
                    best[k][j], cut[k][j] = value, i
    breaks, j = [], n
    for k in range(count, 0, -1):
        breaks.append(j)
        j = cut[k][j]
    return sorted(breaks)


def _fewest_lines(units: Sequence[Unit], widths: Sequence[float], sep_width: float, limit: float) -> int | None:
    """Greedy filling: the smallest number of lines within `limit`; None if one unit is wider."""
    lines, current = 1, -1.0
    for (sep, _), width in zip(units, widths):
        if width > limit:
            return None
        extra = width + (sep_width if sep == " " and current >= 0 else 0.0)
        if current >= 0 and current + extra > limit:
            lines, current = lines + 1, width
        else:
            current = width if current < 0 else current + extra
    return lines


def _fit_text(setter: _Typesetter, style: _Style, text: str, *, nominal: float, minimum: float, max_width: float,
              max_height: float, max_lines: int, one_line_floor: float = 1.0, align: str = "m") -> _Fit:
    """Set `text` as large as possible within the box.

    In order of preference: one line down to `one_line_floor` x nominal; up to `max_lines`
    balanced lines down to `minimum`; more lines at `minimum`; smaller sizes (a last resort
    that guarantees the text never overflows).
    """
    options = _break_options(text, style.script)
    reference = 200
    ref_sep = setter.length(style, reference, " ")
    leading = LEADING.get(style.script, 1.3)
    sizes = _sizes(nominal, minimum)

    def attempt(units: tuple[Unit, ...], size: int, count: int, below: bool) -> _Fit | None:
        scale = size / reference
        widths = [setter.length(style, reference, unit) * scale for _, unit in units]
        breaks = _balanced(units, widths, ref_sep * scale, count)
        if breaks is None:
            return None
        lines, start = [], 0
        for end in breaks:
            lines.append(_join(units[start:end]).strip())
            start = end
        if (count - 1) * leading * size > max_height:
            return None
        if any(setter.length(style, size, line) > max_width for line in lines):
            return None
        inks = [setter.ink(style, size, line, align) for line in lines]
        advance = round(leading * size)
        for upper, lower in zip(inks, inks[1:]):  # tall marks and descenders never touch
            advance = max(advance, upper[3] - lower[1] + round(0.08 * size))
        placed = tuple((l, t + i * advance, r, b + i * advance) for i, (l, t, r, b) in enumerate(inks))
        fit = _Fit(size, tuple(lines), advance, placed, below)
        return fit if fit.height <= max_height else None

    def needed(units: tuple[Unit, ...], size: int) -> int | None:
        scale = size / reference
        widths = [setter.length(style, reference, unit) * scale for _, unit in units]
        return _fewest_lines(units, widths, ref_sep * scale, max_width)

    def tries(units: tuple[Unit, ...], size: int, counts: Sequence[int], below: bool = False) -> _Fit | None:
        for count in counts:
            fit = attempt(units, size, count, below)
            if fit is not None:
                return fit
        return None

    for units in options:
        for size in (s for s in sizes if s >= nominal * one_line_floor):
            if needed(units, size) == 1 and (fit := tries(units, size, [1])):
                return fit
        for size in sizes:
            count = needed(units, size)
            if count is not None and count <= max_lines and (fit := tries(units, size, range(count, max_lines + 1))):
                return fit
    units, size = options[-1], sizes[-1]
    count = needed(units, size)
    if count is not None and (fit := tries(units, size, range(max(count, max_lines + 1), count + 3))):
        return fit
    for size in _sizes(size * 0.94, 1):
        count = needed(units, size)
        if count is not None and (fit := tries(units, size, range(count, count + 3), True)):
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


# --- composing ------------------------------------------------------------------------------


@dataclass
class _Item:
    """One element of a column, its ink relative to (anchor x, top of its ink)."""

    kind: Literal["text", "logo", "rule", "gap"]
    height: int
    width: int = 0
    role: str = ""
    style: _Style | None = None
    fit: _Fit | None = None
    color: RGBA = (0, 0, 0, 0)
    limit: int = 0


@dataclass
class _Composer:
    contents: tuple[CardContent, ...]
    width: int
    height: int
    safe: Box
    setter: _Typesetter
    styles: dict[tuple[int, str], tuple[str, _Style]]
    logo_size: tuple[int, int] | None
    text_color: RGBA
    accent: RGBA
    aspect: Aspect = field(init=False)
    spec: _Spec = field(init=False)
    unit: float = field(init=False)
    content: Box = field(init=False)

    def __post_init__(self) -> None:
        self.aspect = aspect_class(self.width, self.height)
        self.spec = SPECS[self.aspect]
        short = min(self.width, self.height)
        self.unit = short / GRID
        left, top, right, bottom = self.safe
        inset = min(round(self.unit), (right - left) // 8, (bottom - top) // 8)  # breathing room inside the edge
        self.content = (left + inset, top + inset, right - inset, bottom - inset)

    @property
    def short(self) -> int:
        return min(self.width, self.height)

    def compose(self) -> CardLayout:
        """The largest composition that fits: logo, gaps and small lines give way before the tagline."""
        squeezes = (1.0, 0.9, 0.8, 0.7, 0.6)  # the last one takes a tagline below its minimum size
        for squeeze in squeezes:
            final = squeeze == squeezes[-1]
            if self.aspect is Aspect.LANDSCAPE and self.logo_size is not None:
                layout = self._lockup(squeeze, final)
                if layout is not None:
                    return layout
            layout = self._stack(squeeze, final)
            if layout is not None:
                return layout
        raise AssertionError("the last squeeze always fits")  # pragma: no cover

    # -- the pieces --

    def _rtl(self) -> bool:
        return self.styles[(0, "tagline")][1].script in RTL_SCRIPTS

    def _logo_box(self, height: float, max_width: float) -> tuple[int, int]:
        assert self.logo_size is not None
        width_px, height_px = self.logo_size
        ratio = width_px / max(height_px, 1)
        box_h = max(1.0, height)
        box_w = box_h * ratio
        limit = min(max_width, box_h * 2.2)  # a wide wordmark is kept to about two logo heights
        if box_w > limit:
            box_w, box_h = limit, limit / ratio
        return max(1, round(box_w)), max(1, round(box_h))

    def _text_items(self, squeeze: float, measure: float, max_height: float, align: str,
                    final: bool, rule: bool = True) -> list[_Item] | None:
        """Tagline, second language, hashtag(s) and call(s) to action, with the gaps between them."""
        nominal = self.spec.tagline * self.short
        unit = self.unit * squeeze
        small = max(squeeze, 0.75)  # the small lines give way less than the logo and the gaps
        lower: list[_Item] = []
        hashtags = _unique(self.styles.get((i, "hashtag")) for i in range(len(self.contents)))
        urls = _unique(self.styles.get((i, "url")) for i in range(len(self.contents)))
        for role, entries, em, opacity, color in (("hashtag", hashtags, HASHTAG, 1.0, self.accent),
                                                   ("url", urls, URL, 0.85, self.accent)):
            for text, style in entries:
                fit = _fit_text(self.setter, style, text, nominal=nominal * em * small, minimum=nominal * em * 0.6,
                                max_width=measure, max_height=max_height / 4, max_lines=1, align=align)
                if lower:
                    lower.append(_Item("gap", round(unit * (0.7 if role == lower[-1].role else 1.0))))
                lower.append(_Item("text", fit.height, fit.width, role, style, fit, _faded(color, opacity),
                                   round(measure)))
        tagline_text, tagline_style = self.styles[(0, "tagline")]
        second = self.styles.get((1, "tagline2"))
        thickness = max(1, round(self.short / 540))
        # Between the tagline and the small lines: a short rule with air on both sides, or (in
        # the lockup, whose hairline already divides) just the air.
        divider = ([_Item("gap", round(unit * 2)), _Item("rule", thickness, 0), _Item("gap", round(unit * 1.8))]
                   if rule else [_Item("gap", round(unit * 2))])
        below = 0 if not lower else sum(item.height for item in divider + lower)
        reserve = 0
        if second:
            estimate = _fit_text(self.setter, second[1], second[0], nominal=nominal * SECOND, minimum=nominal * 0.22,
                                 max_width=measure, max_height=max_height, max_lines=2, align=align)
            reserve = estimate.height + round(unit * 1.2)
        room = max_height - below - reserve
        if room <= 0 and not final:
            return None
        tagline = _fit_text(self.setter, tagline_style, tagline_text, nominal=nominal,
                            minimum=nominal * MIN_TAGLINE, max_width=measure, max_height=max(room, 1),
                            max_lines=self.spec.lines, one_line_floor=self.spec.one_line_floor, align=align)
        if tagline.below_minimum and not final:
            return None
        items = [_Item("text", tagline.height, tagline.width, "tagline", tagline_style, tagline, self.text_color,
                       round(measure))]
        if second:
            room = max_height - below - tagline.height - round(unit * 1.2)
            fit = _fit_text(self.setter, second[1], second[0], nominal=tagline.size * SECOND,
                            minimum=tagline.size * SECOND * 0.7, max_width=measure, max_height=max(room, 1),
                            max_lines=2, align=align)
            if fit.below_minimum and not final:
                return None
            items += [_Item("gap", round(unit * 1.2)),
                      _Item("text", fit.height, fit.width, "tagline2", second[1], fit, _faded(self.text_color, 0.8),
                            round(measure))]
        if lower:
            for item in divider:
                if item.kind == "rule":
                    item.width = round(max(self.unit * 2.5, tagline.size * 0.9))
            items += [*divider, *lower]
        if sum(item.height for item in items) > max_height and not final:
            return None
        return items

    def _stack(self, squeeze: float, final: bool) -> CardLayout | None:
        """Square, portrait and vertical frames (and wide ones without a logo): one centred column."""
        left, top, right, bottom = self.content
        content_w, content_h = right - left, bottom - top
        measure = content_w * self.spec.measure
        head: list[_Item] = []
        if self.logo_size is not None:
            logo_w, logo_h = self._logo_box(self.spec.logo * self.short * squeeze, content_w * 0.6)
            head = [_Item("logo", logo_h, logo_w), _Item("gap", round(self.unit * squeeze * 2.6))]
        max_height = content_h - sum(item.height for item in head)
        items = self._text_items(squeeze, measure, max_height, "m", final)
        if items is None:
            return None
        column = head + items
        total = sum(item.height for item in column)
        if total > content_h and head:
            if not final:
                return None
            column, total = items, sum(item.height for item in items)  # no room left for the logo at all
        spare = content_h - total
        y = top + spare / 2 - min(spare / 2, self.spec.optical * content_h)
        center = (left + right) // 2
        return self._place(column, y, lambda item: center, "m", [])

    def _lockup(self, squeeze: float, final: bool) -> CardLayout | None:
        """Wide frames: logo | hairline | text, read from the logo outwards (mirrored for RTL)."""
        left, top, right, bottom = self.content
        content_w, content_h = right - left, bottom - top
        logo_w, logo_h = self._logo_box(self.spec.logo * self.short * squeeze, content_w * 0.3)
        gap = round(self.unit * squeeze * 2.2)
        hairline = max(1, round(self.short / 720))
        measure = min(content_w - logo_w - 2 * gap - hairline, content_w * self.spec.measure * 0.82)
        if measure < content_w * 0.35:
            return None
        rtl = self._rtl()
        items = self._text_items(squeeze, measure, content_h, "r" if rtl else "l", final, rule=False)
        if items is None or sum(item.height for item in items) > content_h:
            return None
        text_h = sum(item.height for item in items)
        text_w = max(item.width for item in items)
        total_w = logo_w + 2 * gap + hairline + text_w
        x0 = left + (content_w - total_w) / 2
        block_h = max(text_h, logo_h)
        spare = content_h - block_h
        middle = top + spare / 2 - min(spare / 2, self.spec.optical * content_h) + block_h / 2
        if rtl:
            text_edge, rule_x, logo_x = x0 + text_w, x0 + text_w + gap, x0 + text_w + 2 * gap + hairline
        else:
            logo_x, rule_x, text_edge = x0, x0 + logo_w + gap, x0 + logo_w + 2 * gap + hairline
        logo = PlacedImage(_box(logo_x, middle - logo_h / 2, logo_w, logo_h))
        rule_h = round(max(text_h, logo_h) * 0.86)
        rule = PlacedRule(_box(rule_x, middle - rule_h / 2, hairline, rule_h), _faded(self.accent, 0.75))
        layout = self._place(items, middle - text_h / 2, lambda item: round(text_edge), "r" if rtl else "l",
                             [rule])
        return replace(layout, logo=logo)

    def _place(self, column: list[_Item], y: float, x_of, align: str,  # type: ignore[no-untyped-def]
               rules: list[PlacedRule]) -> CardLayout:
        lines: list[PlacedText] = []
        logo: PlacedImage | None = None
        placed_rules = list(rules)
        for item in column:
            top = round(y)
            x = x_of(item)
            if item.kind == "logo":
                logo = PlacedImage(_box(x - item.width / 2, top, item.width, item.height))
            elif item.kind == "rule":
                placed_rules.append(PlacedRule(_box(x - item.width / 2, top, item.width, item.height),
                                               _faded(self.accent, 0.75)))
            elif item.kind == "text":
                assert item.fit is not None and item.style is not None
                baseline0 = top - item.fit.top
                for i, (text, ink) in enumerate(zip(item.fit.lines, item.fit.inks)):
                    baseline = baseline0 + i * item.fit.advance
                    box = (x + ink[0], baseline0 + ink[1], x + ink[2], baseline0 + ink[3])
                    lines.append(PlacedText(
                        text, item.role, item.style.lang, item.style.script, item.style.font, item.fit.size,
                        item.style.weight, self.setter.stroke(item.style, item.fit.size), x, baseline, align,  # type: ignore[arg-type]
                        item.color, box, item.limit, self.setter.engine(item.style)))
            y += item.height
        return CardLayout(self.width, self.height, self.aspect, self.safe, tuple(lines), logo, tuple(placed_rules))


def _unique(entries) -> list[tuple[str, _Style]]:  # type: ignore[no-untyped-def]
    """Hashtags or URLs of both languages, each once (a bilingual card usually shares them)."""
    seen: dict[str, tuple[str, _Style]] = {}
    for entry in entries:
        if entry is not None and entry[0] not in seen:
            seen[entry[0]] = entry
    return list(seen.values())


def _box(x: float, y: float, width: float, height: float) -> Box:
    left, top = round(x), round(y)
    return left, top, left + round(width), top + round(height)


def _union(boxes: Sequence[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


# --- drawing --------------------------------------------------------------------------------


def _background(background: str | Path | None, width: int, height: int,
                project_dir: Path | None = None) -> PILImage.Image:
    from PIL import Image, ImageOps

    if background is None:
        return Image.new("RGBA", (width, height), (0, 0, 0, 0))
    if isinstance(background, str) and background.strip().lower() == "blur":
        raise FilmkitError("a `blur` card background is the film's last frame, which only the render has: "
                           "draw the card with background=None (transparent) and lay it over that frame")
    if isinstance(background, str):
        try:
            rgba = _color(background, "background")
        except FilmkitError:
            if Path(background).suffix:
                return _background(_resolve(Path(background), project_dir), width, height)
            raise
        return Image.new("RGBA", (width, height), rgba)
    image = ImageOps.exif_transpose(_open_image(Path(background), "background")).convert("RGB")
    cover = ImageOps.fit(image, (width, height), method=Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    darker = Image.blend(cover, Image.new("RGB", cover.size, (0, 0, 0)), DARKEN)
    return darker.convert("RGBA")


def _is_colour(background: str | Path | None) -> bool:
    return isinstance(background, str) and not Path(background).suffix


Mark = tuple["PILImage.Image", RGBA, tuple[int, int]]  # coverage, colour, top-left on the card


def _soft_shadow(canvas: PILImage.Image, box: Box, marks: list[Mark]) -> None:
    """A blurred, slightly lowered copy of the text in translucent black, under the text.

    Worked on the text's region only (plus the blur's reach), so a 4K card costs no more.
    """
    from PIL import Image, ImageChops, ImageFilter

    short = min(canvas.size)
    radius = max(1.0, short / 160)
    drop = round(short / 400)
    reach = math.ceil(radius * 3) + drop
    left, top = max(0, box[0] - reach), max(0, box[1] - reach)
    right, bottom = min(canvas.width, box[2] + reach), min(canvas.height, box[3] + reach)
    if right <= left or bottom <= top:
        return
    coverage = Image.new("L", (right - left, bottom - top), 0)
    for mask, _, (x, y) in marks:
        region = Image.new("L", coverage.size, 0)
        region.paste(mask, (x - left, y - top + drop))
        coverage = ImageChops.lighter(coverage, region)
    halo = coverage.filter(ImageFilter.GaussianBlur(radius)).point(lambda value: round(value * SHADOW))
    _composite(canvas, halo, (0, 0, 0, 255), (left, top))


def _open_image(path: Path, what: str) -> PILImage.Image:
    """A logo or background image, fully read; MediaError naming the file and the fix."""
    from PIL import Image, UnidentifiedImageError

    key = "card.logo" if what == "logo" else "card.background"
    if not path.is_file():
        raise MediaError(f"{key}: {path} does not exist. Check the path (relative to the project file), "
                         f"or remove `{key.split('.')[1]}:` from the card")
    try:
        with Image.open(path) as image:
            image.load()
            return image.copy()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise MediaError(f"{key}: {path} is not a readable image ({exc}). Export it again as PNG "
                         f"(with transparency for a logo) or JPEG, and point `{key.split('.')[1]}:` at it") from None


def _resolve(path: Path, project_dir: Path | None) -> Path:
    """Paths in a project are relative to its file's folder."""
    path = Path(path).expanduser()
    return project_dir / path if project_dir is not None and not path.is_absolute() else path


def _composite(canvas: PILImage.Image, mask: PILImage.Image, color: RGBA, origin: tuple[int, int]) -> None:
    """Lay `color` through `mask` (coverage 0-255) onto the canvas, respecting what is beneath."""
    from PIL import Image

    left, top = origin
    if left < 0 or top < 0:  # never expected inside the safe area, but Pillow refuses negative offsets
        mask = mask.crop((max(0, -left), max(0, -top), mask.width, mask.height))
        origin = (max(0, left), max(0, top))
    if mask.width == 0 or mask.height == 0:
        return
    if color[3] < 255:
        mask = mask.point(lambda value: value * color[3] // 255)
    layer = Image.new("RGBA", mask.size, color[:3] + (0,))
    layer.putalpha(mask)
    canvas.alpha_composite(layer, origin)


def _pillow_mask(line: PlacedText) -> tuple[PILImage.Image, tuple[int, int]]:
    """The line's coverage, drawn by Pillow into a box just around its ink."""
    from PIL import Image, ImageDraw

    font = _load_font(str(line.font.path), line.font.index, line.size, line.weight, line.engine == "raqm")
    pad = 2 + math.ceil(line.stroke)
    left, top, right, bottom = line.box
    left, top = max(0, left - pad), max(0, top - pad)
    mask = Image.new("L", (right + pad - left, bottom + pad - top), 0)
    options = {"language": line.lang} if line.engine == "raqm" else {}
    ImageDraw.Draw(mask).text((line.x - left, line.baseline - top), line.text, fill=255, font=font,
                              anchor=f"{line.align}s", stroke_width=line.stroke, stroke_fill=255, **options)
    return mask, (left, top)


# --- the libass fallback (no raqm) ----------------------------------------------------------


def _libass_masks(lines: Sequence[PlacedText]) -> dict[int, tuple[PILImage.Image, tuple[int, int]]]:
    """Shape and draw lines with libass (HarfBuzz + FriBidi) through the bundled ffmpeg.

    Each line is drawn white on black in its own band of one scratch image (one ffmpeg run per
    card), so a pixel's brightness is the text's coverage; the line's ink is then cut out and
    set at its anchor, scaled down if libass set it wider than allowed. libass sizes and places
    a face by its own metrics, so each band also holds one reference letter whose exact outline
    Pillow knows without shaping: where libass drew it tells where the band's baseline is.
    """
    from PIL import Image

    from filmkit.ffmpeg import run_tool

    pad = 8
    em = max(line.size for line in lines)
    start = em  # an em of room before the pen: swashes and descenders reach back past it
    area = start + round(max(line.limit for line in lines) * 1.6) + em  # the line; its reference letter beyond
    width = area + 4 * em
    bands: list[tuple[int, int]] = []
    styles: list[str] = []
    events: list[str] = []
    y = 0
    for number, line in enumerate(lines):
        font_size = line.size * line_height_units(line.font.path, line.font.index)
        band = math.ceil(font_size * 1.8) + 2 * pad
        bands.append((y, band))
        outline = _libass_bold(line)
        styles.append(f"Style: l{number},{line.font.family},{font_size:.2f},&H00FFFFFF,&H00FFFFFF,&H00FFFFFF,"
                      f"&H00000000,0,0,0,0,100,100,0,0,1,{outline:.2f},0,7,0,0,0,-1")
        for x, text in ((start, line.text), (area + em, _reference_letter(line))):
            events.append(f"Dialogue: 0,0:00:00.00,0:00:05.00,l{number},,0,0,0,,{{\\pos({x},{y + pad})}}"
                          f"{_ass_escape(text)}")
        y += band
    height = y + (y % 2)
    document = "\n".join([
        "[Script Info]", "ScriptType: v4.00+", f"PlayResX: {width + width % 2}", f"PlayResY: {height}",
        "WrapStyle: 2", "ScaledBorderAndShadow: yes", "", "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
        "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "
        "MarginL, MarginR, MarginV, Encoding",
        *styles, "", "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text", *events, ""])
    with tempfile.TemporaryDirectory(prefix="filmkit-card-") as folder:
        work = Path(folder)
        fonts = work / "fonts"
        fonts.mkdir()
        for face in {line.font.path for line in lines}:
            _link(face, fonts / face.name)
        (work / "card.ass").write_text(document, encoding="utf-8")
        output = work / "text.png"
        try:
            run_tool(_libass_args(work / "card.ass", fonts, output, width + width % 2, height),
                     what="card text (libass)")
            with Image.open(output) as image:
                coverage = image.convert("RGB").getchannel("R")
        except (RenderError, OSError) as exc:
            langs = ", ".join(sorted({line.lang for line in lines}))
            raise FilmkitError(
                f"the card text in {langs} needs complex shaping, which Pillow cannot do here (its raqm layout needs "
                "libfribidi: install it, e.g. `apt install libfribidi0`, `dnf install fribidi` or `brew install "
                f"fribidi`), and drawing it with ffmpeg's libass instead failed: {exc}") from None
    masks: dict[int, tuple[PILImage.Image, tuple[int, int]]] = {}
    for line, (band_top, band) in zip(lines, bands):
        ink = coverage.crop((0, band_top, area + em // 2, band_top + band)).getbbox()
        drawn = coverage.crop((area + em // 2, band_top, width, band_top + band)).getbbox()
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
        masks[id(line)] = (glyphs, (left, round(line.baseline - above * scale)))
    return masks


def _libass_bold(line: PlacedText) -> float:
    """libass does not set a variable font's weight: bold is an outline in the text colour."""
    return round(line.size * 0.02 * max(0, line.weight - 400) / 300, 2)


def _reference_letter(line: PlacedText) -> str:
    """A letter of the line that looks the same unshaped (its first one, in isolated form)."""
    return next((char for char in line.text if unicodedata.category(char).startswith("L")), line.text[0])


def _reference_box(line: PlacedText) -> Box:
    font = _load_font(str(line.font.path), line.font.index, line.size, 400, False)
    return tuple(font.getbbox(_reference_letter(line), anchor="ls"))  # type: ignore[return-value]


def _libass_args(ass_file: Path, fonts: Path, output: Path, width: int, height: int) -> list[str]:
    import typed_ffmpeg as ff

    video = (ff.sources.color(color="black", size=f"{width}x{height}", duration=1, rate=1)
             .format(pix_fmts="rgb24")
             .ass(filename=str(ass_file), fontsdir=str(fonts), shaping="complex"))
    node = video.output(filename=str(output), extra_options={"frames:v": 1, "update": 1}).global_args(y=True)
    return node.compile()[1:]


def _link(source: Path, target: Path) -> None:
    import shutil

    try:
        os.symlink(source, target)
    except OSError:
        shutil.copyfile(source, target)
