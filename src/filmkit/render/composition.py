"""A social version's frame composed as a whole: the film's picture and its captions together.

On 9:16, 4:5 and 1:1 versions of a landscape film the picture, fitted to the frame's width,
leaves bands above and below it. Captions belong in the band below the picture, inside the
platform's safe area, never over the picture's middle, so the picture moves up as far as the
safe area allows for both to fit (the card composes its own layout per aspect in the same
spirit). Where there is no room for a band (the picture fills the frame, as `crop` does, or
the safe area is too short), captions sit over the picture's lowest quarter, still inside the
safe area. A frame of the film's own shape (16:9 of a 16:9 film) is not composed: captions
keep their usual place at the bottom of the picture.

The caption size and the lines a cue may take are the subtitles' own (`caption_em` and
`max_caption_lines` in filmkit.subtitles.ass: on a phone frame, sized by the frame's width).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from filmkit.graph.picture import Reframe, fit_inside
from filmkit.platform.safearea import SafeArea
from filmkit.subtitles.ass import caption_em, max_caption_lines
from filmkit.text.layout import LINE_PITCH

BAND_GAP = 0.5  # ems between the picture and the caption band below it


@dataclass(frozen=True)
class Composition:
    """Where the film's picture and the captions go in a frame, in output pixels."""

    picture: tuple[int, int, int, int] | None  # (left, top, right, bottom); None: the whole frame, centred
    captions: tuple[int, int, int, int] | None  # the caption area; None: the usual bottom placement


def compose(width: int, height: int, film_aspect: Fraction, reframe: Reframe, safe: SafeArea,
            *, font_scale: float = 1.0, captions: bool = True) -> Composition:
    """Place the picture and the caption band of a `width` x `height` version of a film of `film_aspect`.

    Only a frame narrower than the film is composed (a portrait or square version of a
    landscape film) and only when the film has captions at all; every language version of a
    platform gets the same composition, so their pictures match frame for frame.
    """
    if not captions or Fraction(width, height) >= film_aspect:
        return Composition(None, None)
    left, top, right, bottom = safe.box(width, height)
    _, pic_h = fit_inside(film_aspect, width, height)
    em = caption_em(width, height, font_scale)
    band = round(max_caption_lines(width, height) * LINE_PITCH * em + em * 0.3)
    if reframe == "crop" or pic_h >= height:
        return Composition(None, _lowest(left, right, top, bottom, height, band))
    gap = round(BAND_GAP * em)
    centred = (height - pic_h) // 2
    pic_top = min(centred, bottom - band - gap - pic_h)
    if pic_top < top:  # no room for a band below the picture inside the safe area
        pic_top = max(0, min(centred, bottom - pic_h))
        return Composition((0, pic_top, width, pic_top + pic_h), _lowest(left, right, top, bottom, pic_top + pic_h, band))
    pic_bottom = pic_top + pic_h
    return Composition((0, pic_top, width, pic_bottom), (left, pic_bottom + gap, right, pic_bottom + gap + band))


def _lowest(left: int, right: int, top: int, bottom: int, pic_bottom: int, band: int) -> tuple[int, int, int, int]:
    """Captions as low over the picture as the safe area allows (its lowest quarter when it can)."""
    area_bottom = min(pic_bottom, bottom)
    return (left, max(top, area_bottom - band), right, area_bottom)
