"""The card's pixels: its background, the images it reads, text masks drawn by Pillow, compositing.

Over a picture, or on a transparent card laid over the film's blurred last frame, the text
gets a soft shadow so it reads on anything.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from filmkit.card.model import RGBA, Box, PlacedText, parse_color
from filmkit.card.typeset import load_font
from filmkit.text.measure import shaping_options
from filmkit.errors import FilmkitError, MediaError
from filmkit.media.images import image_size, open_picture

if TYPE_CHECKING:
    from PIL import Image as PILImage

DARKEN = 0.45  # an image background is darkened this much (towards black) for legible text
SHADOW = 0.6  # opacity of the soft shadow under text over pictures

Mark = tuple["PILImage.Image", RGBA, tuple[int, int]]  # coverage, colour, top-left on the card


def background_canvas(background: str | Path | None, width: int, height: int,
                      project_dir: Path | None = None) -> PILImage.Image:
    """The card's empty canvas: transparent, a flat colour, or a picture covering the frame, darkened."""
    from PIL import Image, ImageOps

    if background is None:
        return Image.new("RGBA", (width, height), (0, 0, 0, 0))
    if isinstance(background, str) and background.strip().lower() == "blur":
        raise FilmkitError("a `blur` card background is the film's last frame, which only the render has: "
                           "draw the card with background=None (transparent) and lay it over that frame")
    if isinstance(background, str):
        try:
            rgba = parse_color(background, "background")
        except FilmkitError:
            if Path(background).suffix:
                return background_canvas(resolve_path(Path(background), project_dir), width, height)
            raise
        return Image.new("RGBA", (width, height), rgba)
    side = max(width, height)  # either way round: the picture may be turned by its EXIF orientation
    image = ImageOps.exif_transpose(open_image(Path(background), "background", (side, side))).convert("RGB")
    cover = ImageOps.fit(image, (width, height), method=Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    darker = Image.blend(cover, Image.new("RGB", cover.size, (0, 0, 0)), DARKEN)
    return darker.convert("RGBA")


def is_flat_colour(background: str | Path | None) -> bool:
    return isinstance(background, str) and not Path(background).suffix


def soft_shadow(canvas: PILImage.Image, box: Box, marks: list[Mark]) -> None:
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
    composite(canvas, halo, (0, 0, 0, 255), (left, top))


def open_image(path: Path, what: str, shown: tuple[int, int] | None = None, key: str | None = None) -> PILImage.Image:
    """A logo or background image, decoded at no less than the `shown` size (bounded memory, see
    media.images); MediaError naming the file and the fix.

    `key` names the setting in messages (default: the card's `logo` or `background`; an overlay's
    image gives its own, e.g. overlays[0].image).
    """
    key = key or ("card.logo" if what == "logo" else "card.background")
    setting = key.rsplit(".", 1)[-1]
    if not path.exists() and not path.is_symlink():
        remove = f"remove `{setting}:` from the card" if key.startswith("card.") else "remove the overlay"
        raise MediaError(f"{key}: {path} does not exist. Check the path (relative to the project file), or {remove}")
    return open_picture(path, key, shown)


def image_header_size(path: Path, what: str) -> tuple[int, int]:
    """A logo's size without decoding it (the layout needs only its proportions)."""
    key = "card.logo" if what == "logo" else "card.background"
    return image_size(path, key) or open_image(path, what).size


def resolve_path(path: Path, project_dir: Path | None) -> Path:
    """Paths in a project are relative to its file's folder."""
    path = Path(path).expanduser()
    return project_dir / path if project_dir is not None and not path.is_absolute() else path


def composite(canvas: PILImage.Image, mask: PILImage.Image, color: RGBA, origin: tuple[int, int]) -> None:
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


def pillow_mask(line: PlacedText) -> tuple[PILImage.Image, tuple[int, int]]:
    """The line's coverage, drawn by Pillow into a box just around its ink."""
    from PIL import Image, ImageDraw

    font = load_font(str(line.font.path), line.font.index, line.size, line.weight, line.engine == "raqm")
    pad = 2 + math.ceil(line.stroke)
    left, top, right, bottom = line.box
    left, top = max(0, left - pad), max(0, top - pad)
    mask = Image.new("L", (right + pad - left, bottom + pad - top), 0)
    draw = ImageDraw.Draw(mask)
    if len(line.runs) > 1:  # several faces: each run at its place, left to right, in its direction
        raqm = line.engine == "raqm"
        x = line.x - left - sum(run.width for run in line.runs) * {"l": 0.0, "m": 0.5, "r": 1.0}[line.align]
        for run in line.runs:
            face = load_font(str(run.font.path), run.font.index, line.size, line.weight, raqm)
            draw.text((x, line.baseline - top), run.text, fill=255, font=face, anchor="ls", stroke_width=line.stroke,
                      stroke_fill=255, **shaping_options(run.direction, line.lang, raqm))
            x += run.width
        return mask, (left, top)
    options = {"language": line.lang} if line.engine == "raqm" else {}
    draw.text((line.x - left, line.baseline - top), line.text, fill=255, font=font,
              anchor=f"{line.align}s", stroke_width=line.stroke, stroke_fill=255, **options)
    return mask, (left, top)
