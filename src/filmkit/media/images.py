"""Pictures from users (stills, logos, backgrounds) read with bounded memory.

A PNG of 16000x16000 pixels is 50 KB on disk and 1 GB decoded; ffmpeg, which decodes a still
for every frame it shows, peaked at 7 GB on one. So a picture's size is read from its header
first (Pillow reads no pixels until asked) and refused above MAX_PIXELS, a limit measured to
keep a render within its usual memory (README, "Reliability"); a picture filmkit draws itself
is decoded at the size it is shown (JPEG's DCT scaling through `draft`, `reduce` for the rest).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from filmkit.errors import MediaError
from filmkit.paths import not_a_file

if TYPE_CHECKING:
    from PIL import Image as PILImage

# 24 megapixels: a 6000x4000 camera photo. A still of this size peaks at ~1 GB in ffmpeg
# (measured: 24 MP RGB PNG 1.0 GB, 16 MP 0.8 GB; 1080p renders peak at 0.8-1.3 GB).
MAX_PIXELS = 24_000_000


def image_size(path: Path, what: str | None = None) -> tuple[int, int] | None:
    """(width, height) from the picture's header, or None when Pillow does not know the format
    (a video, or a picture format only ffmpeg reads). MediaError when it is over MAX_PIXELS."""
    from PIL import Image, UnidentifiedImageError

    _regular(path, what)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                size = image.size
    except Image.DecompressionBombError:
        raise MediaError(_too_large(path, what, "more than 178 million pixels (Pillow's decompression-bomb limit)")) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    width, height = size
    if width * height > MAX_PIXELS:
        raise MediaError(_too_large(path, what, f"{width}x{height} ({width * height / 1e6:.1f} megapixels)"))
    return size


def open_picture(path: Path, what: str, shown: tuple[int, int] | None = None) -> PILImage.Image:
    """The picture decoded, reduced to no less than `shown` (width, height) when it is larger;
    MediaError naming the file and the fix when it cannot be read."""
    from PIL import Image

    if image_size(path, what) is None:
        raise MediaError(_unreadable(path, what, "not a picture format Pillow knows: PNG, JPEG, WebP, GIF, TIFF, BMP ..."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if shown is not None and image.format == "JPEG":
                    image.draft(image.mode, shown)  # decode at 1/2, 1/4 or 1/8 scale, still at least `shown`
                image.load()
                picture = image.copy()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise MediaError(_unreadable(path, what, str(exc) or type(exc).__name__)) from None
    if shown is not None:
        factor = min(picture.width // max(shown[0], 1), picture.height // max(shown[1], 1))
        if factor >= 2:
            picture = picture.reduce(factor)
    return picture


def _regular(path: Path, what: str | None) -> None:
    problem = not_a_file(path)
    if problem is not None:
        raise MediaError(f"{_named(path, what)} {problem}")


def _named(path: Path, what: str | None) -> str:
    return f"{what}: {path}" if what else f"{path}:"


def _too_large(path: Path, what: str | None, size: str) -> str:
    return (f"{_named(path, what)} is {size}; filmkit reads pictures of at most {MAX_PIXELS // 1_000_000} megapixels "
            "(6000x4000), since decoding a larger one takes gigabytes of memory. Scale it down (a picture is shown "
            "at most at the frame's size, 1920x1080 for HD)")


def _unreadable(path: Path, what: str, reason: str) -> str:
    key = what.rsplit(".", 1)[-1].split("[")[0]
    return (f"{what}: {path} is not a readable image ({reason}). Export it again as PNG (with transparency for a "
            f"logo) or JPEG, and point `{key}:` at it")
