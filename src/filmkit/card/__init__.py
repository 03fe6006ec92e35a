"""The closing card: tagline, hashtag, call to action and logo, drawn with Pillow at the output size.

A card is composed for its frame rather than stretched to it: wide frames set the logo beside
the text (a lockup, mirrored for right-to-left languages), square, 4:5 and 9:16 frames stack
logo, tagline and the smaller lines on one centred axis with type sized for that shape. Sizes
and gaps come from one grid unit, the block sits a little above the geometric centre (optical
centring), and everything stays inside the platform's safe area (or a title-safe margin).

Text is shaped by raqm (HarfBuzz + FriBidi) so Arabic and Hebrew run right to left and join,
Devanagari forms conjuncts and Chinese uses the regional face; fonts are the ones subtitles
use (`filmkit.text.fonts`). Long translations first wrap into balanced lines, then shrink; below a
minimum size they wrap further instead, and they shrink below it only as a last resort, so
nothing ever overflows. Pillow loads libfribidi from the system at run time: where it is
missing, text in a script that needs shaping is drawn by libass through the bundled ffmpeg
(which has HarfBuzz and FriBidi built in) instead of being drawn broken. Over a picture or
a transparent card (laid over the film's blurred last frame) the text gets a soft shadow.

The modules, each using only those above it:
    model      what a card is made of: content, frame shapes, the finished layout
    frame      safe areas, proportions per shape, the grid unit
    linebreak  where a tagline may break, and balanced breaks
    typeset    faces and weights, measuring, fitting text into a box
    column     the column of text: tagline, second language, hashtags, calls to action
    layout     the stack or the lockup, placed in the frame
    canvas     background, images, text masks, compositing, shadow
    fallback   text drawn by libass where Pillow cannot shape
    (here)     the public functions: layout_card, card_text_box, draw_card, save_png

Everything is pure except `save_png` and the ffmpeg fallback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from filmkit.card.canvas import (Mark, background_canvas, composite, image_header_size, is_flat_colour, open_image,
                                 pillow_mask, resolve_path, soft_shadow)
from filmkit.card.column import CardText
from filmkit.card.fallback import libass_masks
from filmkit.card.frame import Frame, default_safe_area, safe_box
from filmkit.card.layout import Composer
from filmkit.card.linebreak import thai_clusters
from filmkit.card.model import (Aspect, Box, CardContent, CardLayout, PlacedImage, PlacedRule, PlacedText,
                                aspect_class, parse_color)
from filmkit.card.typeset import Typesetter, choose_styles
from filmkit.atomic import cannot_write, write_atomic
from filmkit.errors import FilmkitError, OutputError
from filmkit.platform.safearea import SafeArea  # shared with the subtitles; re-exported for the card's callers

# Still importable from here, as when the card was one module: the tests check these figures.
from filmkit.card.canvas import SHADOW  # noqa: F401
from filmkit.card.column import MIN_TAGLINE  # noqa: F401
from filmkit.card.frame import SPECS  # noqa: F401
from filmkit.card.linebreak import THAI_FOLLOWING as _THAI_FOLLOWING  # noqa: F401

if TYPE_CHECKING:
    from PIL import Image as PILImage

__all__ = ["Aspect", "CardContent", "CardLayout", "Mark", "PlacedImage", "PlacedRule", "PlacedText", "SafeArea",
           "aspect_class", "card_text_box", "composite", "default_safe_area", "draw_card", "layout_card", "open_image",
           "raqm_available", "save_png", "soft_shadow", "text_marks", "thai_clusters"]

def raqm_available() -> bool:
    """Whether Pillow can shape text (raqm and the libfribidi it loads at run time are present)."""
    from PIL import features

    return bool(features.check("raqm"))


def layout_card(contents: Sequence[CardContent], width: int, height: int, *,
                logo_size: tuple[int, int] | None = None, color: str = "#FFFFFF", accent: str | None = None,
                font: str | None = None, project_dir: Path | None = None,
                safe_area: SafeArea | None = None) -> CardLayout:
    """Place every element of the card for this frame; FilmkitError for text no font can draw."""
    contents = _checked(contents, width, height)
    text_rgba = parse_color(color, "color")
    accent_rgba = parse_color(accent, "accent") if accent else text_rgba
    frame = Frame.of(width, height, safe_box(safe_area or default_safe_area(width, height), width, height))
    # raqm_available is looked up here, in this module, so that tests can switch it off.
    text = CardText(choose_styles(contents, font, project_dir), Typesetter(raqm_available()), text_rgba,
                    accent_rgba, len(contents))
    return Composer(frame, text, logo_size).compose()


def card_text_box(contents: Sequence[CardContent], width: int, height: int, *, logo: Path | None = None,
                  color: str = "#FFFFFF", accent: str | None = None, font: str | None = None,
                  project_dir: Path | None = None, safe_area: SafeArea | None = None) -> Box:
    """The bounding box of everything `draw_card` draws with these arguments (text, logo, rules)."""
    logo_size = image_header_size(resolve_path(logo, project_dir), "logo") if logo is not None else None
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
        background = resolve_path(background, project_dir)
    canvas = background_canvas(background, width, height, project_dir)
    logo_image = open_image(resolve_path(logo, project_dir), "logo", shown=(width, height)) if logo is not None else None
    layout = layout_card(contents, width, height, logo_size=logo_image.size if logo_image else None,
                         color=color, accent=accent, font=font, project_dir=project_dir, safe_area=safe_area)
    marks = _marks(layout)
    if shadow if shadow is not None else not is_flat_colour(background):
        soft_shadow(canvas, layout.box, marks)
    if logo_image is not None and layout.logo is not None:
        left, top, right, bottom = layout.logo.box
        scaled = logo_image.convert("RGBA").resize((right - left, bottom - top), Image.Resampling.LANCZOS)
        canvas.alpha_composite(scaled, (left, top))
    for mask, rgba, origin in marks:
        composite(canvas, mask, rgba, origin)
    return canvas


def save_png(image: PILImage.Image, path: Path, *, working: bool = False) -> Path:
    """Write `image` to `path` atomically: a temporary file beside it, then os.replace.

    `working`: a render's working file, read once by ffmpeg and deleted, so it is compressed at
    zlib's fastest level (a 1080p card: ~30 ms instead of ~45 ms, 111 KB instead of 83 KB)."""
    import io

    data = io.BytesIO()
    try:
        image.save(data, format="PNG", compress_level=1 if working else 6)
    except OSError as exc:
        raise OutputError(cannot_write(Path(path), exc, "the card")) from None
    return write_atomic(Path(path), data.getvalue(), what="the card")


def _marks(layout: CardLayout) -> list[Mark]:
    """Everything drawn but the logo, as (coverage, colour, top-left): the rules, then each line of text."""
    from PIL import Image

    marks: list[Mark] = [
        (Image.new("L", (rule.box[2] - rule.box[0], rule.box[3] - rule.box[1]), 255), rule.color, rule.box[:2])
        for rule in layout.rules]
    return marks + text_marks(layout.lines)


def text_marks(lines: Sequence[PlacedText]) -> list[Mark]:
    """Each placed line's coverage, colour and top-left: drawn by Pillow (run by run, in visual
    order, when a line has several faces), or by libass where Pillow cannot shape its script.
    Also what draws the overlays' text (render.overlaytext)."""
    shaped_by_libass = [line for line in lines if line.engine == "libass"]
    masks = libass_masks(shaped_by_libass) if shaped_by_libass else {}
    marks: list[Mark] = []
    for line in lines:
        mask, origin = masks[id(line)] if line.engine == "libass" else pillow_mask(line)
        marks.append((mask, line.color, origin))
    return marks


def _checked(contents: Sequence[CardContent], width: int, height: int) -> tuple[CardContent, ...]:
    """The contents with their whitespace tidied; FilmkitError for a frame or a card that cannot be drawn."""
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
