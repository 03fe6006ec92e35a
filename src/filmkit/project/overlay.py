"""The overlay track of schema 1: logos, titles and lower thirds, picture-in-picture, over the cut.

Overlays lie on the record timeline and span cuts. Each one places a box inside the safe area
of every frame it is rendered for (`position`: a named corner or `x`/`y` fractions of the safe
area), so one project puts its logo inside the safe zone on 9:16 and on 16:9 alike.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StrictStr, field_validator, model_validator

from filmkit.project.schema import Color, FilePath, LangCode, Number, Strict, TimeValue

# Named positions as (x, y) fractions of the safe area: where the box's own edge goes, so 0 puts
# its left edge on the safe area's left edge and 1 its right edge on the right one.
POSITIONS: dict[str, tuple[float, float]] = {
    "top-left": (0, 0), "top": (0.5, 0), "top-right": (1, 0),
    "left": (0, 0.5), "center": (0.5, 0.5), "right": (1, 0.5),
    "bottom-left": (0, 1), "bottom": (0.5, 1), "bottom-right": (1, 1),
}
KINDS = ("image", "text", "video")


class Position(Strict):
    """Where an overlay's box sits in the safe area: 0 is its left (top) edge, 1 its right (bottom)."""

    x: Number = Field(ge=0, le=1)
    y: Number = Field(ge=0, le=1)


def _position(value: object) -> object:
    """`position: top-right` is shorthand for `position: {x: 1, y: 0}`."""
    if not isinstance(value, str):
        return value
    if value in POSITIONS:
        x, y = POSITIONS[value]
        return {"x": x, "y": y}
    hint = difflib.get_close_matches(value, list(POSITIONS), n=1)
    raise ValueError(f"unknown position {value!r}; use one of {', '.join(POSITIONS)}, or {{x: 0.9, y: 0.1}} "
                     "(fractions of the safe area)" + (f". Did you mean `{hint[0]}`?" if hint else ""))


class TextStyle(Strict):
    """How a text overlay looks; sizes are relative to the frame, as for subtitles."""

    size: Number = Field(default=1.0, gt=0.2, le=4)  # em, in subtitle ems of the frame (1.0: the caption size)
    color: Color = "#FFFFFF"
    background: Literal["none", "box", "band"] = "box"  # band: a strip across the whole frame
    background_color: Color = "#000000"
    background_opacity: Number = Field(default=0.6, ge=0, le=1)
    align: Literal["start", "center", "end"] = "start"  # start: left in left-to-right languages, right in RTL
    max_lines: int = Field(default=3, ge=1, le=8)
    font: FilePath | None = None  # default: the subtitles' font setting, else one face per script


class Overlay(Strict):
    """One item of the overlay track: an image, a text per language, or a picture-in-picture clip."""

    image: FilePath | None = None  # a PNG (with alpha) or JPEG file
    # per language, like the card; a title or a lower third (longer text takes the layout seconds)
    text: dict[LangCode, Annotated[StrictStr, Field(max_length=300)]] | None = None
    video: StrictStr | None = None  # a name from `media:`
    in_: TimeValue | None = Field(default=None, alias="in")  # video: where to start reading it
    start: TimeValue
    end: TimeValue | None = None  # exclusive
    duration: TimeValue | None = None
    fade_in: TimeValue = 0
    fade_out: TimeValue = 0
    position: Annotated[Position, BeforeValidator(_position)] | None = None  # default by kind (see DEFAULT_POSITION)
    width: Number | None = Field(default=None, gt=0, le=1)  # of the frame's width (text: its widest line)
    opacity: Number = Field(default=1.0, ge=0, le=1)
    style: TextStyle | None = None  # text only
    platforms: list[StrictStr] | None = Field(default=None, min_length=1)  # only on these platforms
    languages: list[LangCode] | None = Field(default=None, min_length=1)  # only in versions of these languages
    over_card: bool = False  # keep it over the closing card (else it ends with the cut)

    @property
    def kind(self) -> Literal["image", "text", "video"]:
        if self.image is not None:
            return "image"
        return "text" if self.text is not None else "video"

    @property
    def _a_kind(self) -> str:
        return f"{'an' if self.kind == 'image' else 'a'} {self.kind}"

    @field_validator("text")
    @classmethod
    def _texts(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is not None:
            if not value:
                raise ValueError("`text` has no language; write it per language, e.g. text: {en: Anna Berg, ar: آنا بيرغ}")
            empty = [lang for lang, text in value.items() if not text.strip()]
            if empty:
                raise ValueError(f"the text in {', '.join(empty)} is empty; write it, or remove the language")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> Overlay:
        given = [kind for kind in KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            raise ValueError(
                "an overlay needs exactly one of `image` (a PNG or JPEG file), `text` (per language) or `video` "
                f"(a name from `media:`); this one has {', '.join(given) or 'none'}"
                + (". Keep one, or split it into two overlays" if given else ""))
        if self.end is not None and self.duration is not None:
            raise ValueError(f"an overlay takes `end` or `duration`, not both; this one has end {self.end!r} and "
                             f"duration {self.duration!r}. Delete one of them")
        if self.end is None and self.duration is None:
            raise ValueError("an overlay needs `end` (exclusive) or `duration`; add one of them")
        if self.in_ is not None and self.kind != "video":
            raise ValueError(f"`in` is where a `video` overlay starts reading its clip; {self._a_kind} overlay has "
                             "no source range. Remove `in`")
        if self.style is not None and self.kind != "text":
            raise ValueError(f"`style` is for text overlays; {self._a_kind} overlay takes `width`, `position` and "
                             "`opacity`. Remove `style`")
        return self


DEFAULT_POSITION = {"image": Position(x=1, y=0), "text": Position(x=0, y=1), "video": Position(x=1, y=1)}
DEFAULT_WIDTH = {"image": 0.15, "video": 0.3}  # text: the subtitles' line length (see render.overlays)
