"""Measuring runs the way they are drawn: Pillow's FreeType with raqm (HarfBuzz + FriBidi).

Every face is set at the same em (Pillow's size is the em in pixels), so a Thai, an Arabic and
a Latin run of one line have letters of the same scale. libass sizes a face differently (its
Fontsize is the face's win ascent + descent, see `fonts.line_height_units`), so `libass_size`
turns an em into the Fontsize that gives it. Widths are measured once at a reference em and
scaled, which keeps hinting out of the comparison and lets every size reuse one measurement.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from filmkit.text.fonts import FontChoice, line_height_units

if TYPE_CHECKING:
    from PIL import ImageFont

    from filmkit.text.runs import Span

REFERENCE_EM = 200


@functools.lru_cache(maxsize=1)
def raqm_available() -> bool:
    from PIL import features

    return bool(features.check("raqm"))


@functools.lru_cache(maxsize=256)
def load_font(path: str, index: int, size: int, weight: int, raqm: bool) -> ImageFont.FreeTypeFont:
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
        if axis_name(axis) in ("weight", "wght"):
            values.append(min(max(weight, axis["minimum"]), axis["maximum"]))
        else:
            values.append(axis["default"])
    face.set_variation_by_axes(values)
    return face


def axis_name(axis: dict) -> str:  # type: ignore[type-arg]
    name = axis["name"]
    return (name.decode("ascii", "replace") if isinstance(name, bytes) else str(name)).lower()


def shaping_options(direction: str, lang: str | None, raqm: bool) -> dict[str, str]:
    """Pillow keyword arguments for a run: its direction and language (raqm only)."""
    if not raqm:
        return {}
    options = {"direction": direction}
    if lang:
        options["language"] = lang
    return options


@functools.lru_cache(maxsize=16384)
def _reference_length(path: str, index: int, weight: int, raqm: bool, text: str, direction: str,
                      lang: str | None) -> float:
    font = load_font(path, index, REFERENCE_EM, weight, raqm)
    return float(font.getlength(text, **shaping_options(direction, lang, raqm)))


def span_width(span: Span, em: float, lang: str | None, weight: int = 400, raqm: bool | None = None) -> float:
    """The advance width of a run at `em` pixels."""
    use_raqm = raqm_available() if raqm is None else raqm
    length = _reference_length(str(span.font.path), span.font.index, weight, use_raqm, span.text, span.direction, lang)
    return length * em / REFERENCE_EM


def libass_size(face: FontChoice, em: float) -> float:
    """The ASS Fontsize (\\fs) that gives `face` an em of `em` pixels."""
    return em * line_height_units(face.path, face.index)
