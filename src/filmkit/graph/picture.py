"""PURE: how a source picture is fitted into the output frame (pad, crop or blur).

Each clip is fitted straight into the frame of the output being rendered, so a 9:16 version
of a 16:9 master scales every source once (never the master twice) and each event can keep
its own crop focus.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import typed_ffmpeg as ff

Reframe = Literal["pad", "crop", "blur"]
REFRAMES: tuple[Reframe, ...] = ("pad", "crop", "blur")

# The blurred fill behind a fitted picture is made at 1/BLUR_DOWNSCALE of the frame and
# scaled back up: a box blur on a small picture looks the same as a wide Gaussian on the
# big one and costs a few percent of it.
BLUR_DOWNSCALE = 8
BLUR_RADIUS = Fraction(1, 12)  # of the small picture's shorter side: soft, but shapes still read
BLUR_DIM = -0.12  # eq brightness: the fill recedes so the picture in front reads first


@dataclass(frozen=True)
class Picture:
    """The output frame and how sources of another aspect are fitted into it."""

    width: int
    height: int
    reframe: Reframe = "pad"
    # Where the film's picture goes (left, top, right, bottom); None: the whole frame. A social
    # version composes picture and captions together (filmkit.render.composition).
    box: tuple[int, int, int, int] | None = None
    # A draft (`render --draft`): sources decoded without the deblocking filter and scaled with
    # the fastest kernel; the difference does not show at a draft's size.
    draft: bool = False

    @property
    def scaler(self) -> str:
        return "fast_bilinear" if self.draft else "bicubic"

    @property
    def aspect(self) -> Fraction:
        return Fraction(self.width, self.height)

    @property
    def area(self) -> tuple[int, int, int, int]:
        return self.box or (0, 0, self.width, self.height)


def fit_inside(aspect: Fraction, width: int, height: int) -> tuple[int, int]:
    """Largest even-sized picture of `aspect` (in square pixels) that fits width x height."""
    if aspect >= Fraction(width, height):
        return width, min(height, _even(width / aspect))
    return min(width, _even(height * aspect)), height


def cover(aspect: Fraction, width: int, height: int) -> tuple[int, int]:
    """Smallest even-sized picture of `aspect` that covers width x height."""
    if aspect >= Fraction(width, height):
        return max(width, _even(height * aspect)), height
    return width, max(height, _even(width / aspect))


def _even(value: Fraction) -> int:
    return max(2, 2 * round(value / 2))


def fit_picture(video: ff.VideoStream, aspect: Fraction, picture: Picture, focus: float = 0.5) -> ff.VideoStream:
    """`video` (display aspect `aspect`) as exactly picture.width x picture.height, square pixels.

    Fitted inside the picture's box (the whole frame unless the version composes it), the rest
    of the frame black or a blurred fill.
    """
    left, top, right, bottom = picture.area
    width, height = fit_inside(aspect, right - left, bottom - top)
    if (width, height) == (picture.width, picture.height) or picture.reframe == "pad":
        return _padded(video, width, height, picture)
    if picture.reframe == "crop":
        return _cropped(video, aspect, picture, focus)
    return _over_blur(video, aspect, width, height, picture)


def _padded(video: ff.VideoStream, width: int, height: int, picture: Picture) -> ff.VideoStream:
    video = video.scale(w=width, h=height, flags=picture.scaler, out_range="tv").setsar(sar="1")
    if (width, height) == (picture.width, picture.height):
        return video
    x, y = place_fitted(width, height, picture)
    return video.pad(width=picture.width, height=picture.height, x=x, y=y, color="black")


def place_fitted(width: int, height: int, picture: Picture) -> tuple[int, int]:
    """Top-left corner of a width x height picture fitted into `picture`: centred in its box."""
    left, top, right, bottom = picture.area
    return left + (right - left - width) // 2, top + (bottom - top - height) // 2


def _cropped(video: ff.VideoStream, aspect: Fraction, picture: Picture, focus: float) -> ff.VideoStream:
    """Fill the frame and keep the part around `focus` (0 = left edge, 1 = right edge)."""
    width, height = cover(aspect, picture.width, picture.height)
    x = round(max(0.0, min(1.0, focus)) * (width - picture.width))
    y = (height - picture.height) // 2
    return (
        video.scale(w=width, h=height, flags=picture.scaler, out_range="tv")
        .crop(out_w=picture.width, out_h=picture.height, x=x, y=y)
        .setsar(sar="1")
    )


def blur_radii(width: int, height: int) -> dict[str, str]:
    """boxblur radii for a picture this small (chroma planes are half the size, and the
    filter refuses a radius of half a plane or more)."""
    luma = max(1, round(min(width, height) * BLUR_RADIUS))
    chroma = max(1, min(luma // 2, min(width, height) // 4 - 1))
    return {"luma_radius": str(min(luma, min(width, height) // 2 - 1)), "chroma_radius": str(chroma)}


def _over_blur(video: ff.VideoStream, aspect: Fraction, width: int, height: int, picture: Picture) -> ff.VideoStream:
    """The picture fitted in front of a blurred, dimmed copy of itself that fills the frame."""
    small_w, small_h = (max(2, _even(Fraction(side, BLUR_DOWNSCALE))) for side in (picture.width, picture.height))
    cover_w, cover_h = cover(aspect, small_w, small_h)
    fill = (
        video.scale(w=cover_w, h=cover_h, flags="fast_bilinear", out_range="tv")
        .crop(out_w=small_w, out_h=small_h, x=(cover_w - small_w) // 2, y=(cover_h - small_h) // 2)
        .boxblur(**blur_radii(small_w, small_h), luma_power=2)
        .eq(brightness=str(BLUR_DIM))
        .scale(w=picture.width, h=picture.height, flags="bilinear")
        .setsar(sar="1")
    )
    front = video.scale(w=width, h=height, flags=picture.scaler, out_range="tv").setsar(sar="1")
    x, y = place_fitted(width, height, picture)
    return fill.overlay(front, x=x, y=y)
