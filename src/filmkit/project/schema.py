"""The edit-decision file, schema 1, as frozen typed objects.

Times stay as the user wrote them (string or number) until `timeline` reads them at the
project's frame rate, so a bad timecode is reported with its line like any other error.
"""

from __future__ import annotations

import difflib
from fractions import Fraction
from typing import Annotated, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictStr, field_validator, model_validator

from filmkit.project.values import (  # noqa: F401  (re-exported: the shared value types)
    _HEX_COLOR, AUDIO_RATES, NAMED_COLORS, Color, FilePath, FrameRate, FrameSize, Gain, Number, Seconds, Size,
    TimeValue,
)
from filmkit.timecode import COMMON_RATES

SCHEMA_VERSION = 1

# ffmpeg's xfade transitions (libavfilter/vf_xfade.c, ffmpeg 7-9); "custom" needs expressions
# filmkit does not expose, so it is left out.
XFADE_TRANSITIONS = (
    "fade", "wipeleft", "wiperight", "wipeup", "wipedown", "slideleft", "slideright",
    "slideup", "slidedown", "circlecrop", "rectcrop", "distance", "fadeblack", "fadewhite",
    "radial", "smoothleft", "smoothright", "smoothup", "smoothdown", "circleopen",
    "circleclose", "vertopen", "vertclose", "horzopen", "horzclose", "dissolve", "pixelize",
    "diagtl", "diagtr", "diagbl", "diagbr", "hlslice", "hrslice", "vuslice", "vdslice",
    "hblur", "fadegrays", "wipetl", "wipetr", "wipebl", "wipebr", "squeezeh", "squeezev",
    "zoomin", "fadefast", "fadeslow", "hlwind", "hrwind", "vuwind", "vdwind", "coverleft",
    "coverright", "coverup", "coverdown", "revealleft", "revealright", "revealup", "revealdown",
)
TRANSITION_TYPES = ("cut", "crossfade", "dip", *XFADE_TRANSITIONS)


class Strict(BaseModel):
    # No .inf or .nan anywhere (YAML writes them .inf and .nan, and 1e400 reads as inf).
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True, allow_inf_nan=False)


class AudioFormat(Strict):
    rate: Literal[44100, 48000, 96000] = 48000
    channels: Literal[1, 2] = 2


class Format(Strict):
    size: FrameSize = Field(default=Size(1920, 1080), json_schema_extra={"default": "1920x1080"})
    fps: FrameRate = Field(default=Fraction(25), json_schema_extra={"default": 25})
    audio: AudioFormat = AudioFormat()


def check_transition_type(value: str) -> str:
    if value not in TRANSITION_TYPES:
        hint = difflib.get_close_matches(value, TRANSITION_TYPES, n=1)
        raise ValueError(
            f"unknown transition {value!r}; use cut, crossfade, dip or an ffmpeg xfade "
            f"name ({', '.join(XFADE_TRANSITIONS[:8])} ...)" + (f". Did you mean `{hint[0]}`?" if hint else "")
        )
    return value


class Transition(Strict):
    type: StrictStr = "crossfade"
    duration: TimeValue = 0.5

    _known_type = field_validator("type")(classmethod(lambda cls, value: check_transition_type(value)))


class Event(Strict):
    """One event of the cut: a piece of a media file, a colour slate or a still image."""

    media: StrictStr | None = None
    color: Color | None = None
    image: FilePath | None = None
    in_: TimeValue | None = Field(default=None, alias="in")
    out: TimeValue | None = None
    duration: TimeValue | None = None
    transition: Transition | None = None
    gain_db: Gain = 0
    focus: Number = Field(default=0.5, ge=0, le=1)  # horizontal centre kept when a platform crops (0 left, 1 right)
    name: StrictStr | None = None  # the event's clip name in the editing system (kept by `filmkit import`/`timeline`)
    fade_in: Seconds = 0  # seconds: this event's own sound rises from silence
    fade_out: Seconds = 0
    mute: bool = False  # this event's own sound is left out (music beds still play)

    @property
    def kind(self) -> Literal["media", "color", "image"]:
        if self.media is not None:
            return "media"
        return "color" if self.color is not None else "image"

    @model_validator(mode="before")
    @classmethod
    def _no_empty_source(cls, data: object) -> object:
        """`color: #000000` unquoted is a YAML comment and leaves `color` empty; say that, not "none given"."""
        if isinstance(data, dict):
            for key in ("media", "color", "image"):
                if key in data and data[key] is None:
                    fix = ('; a # starts a YAML comment, so quote the colour: color: "#000000"' if key == "color"
                           else f"; give the {key} or remove the line")
                    raise ValueError(f"`{key}` has no value" + fix)
        return data

    @model_validator(mode="after")
    def _one_source(self) -> Event:
        given = [k for k in ("media", "color", "image") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "an event needs exactly one of `media` (a name from `media:`), `color` "
                f"(a slate) or `image` (a still); this one has {', '.join(given) or 'none'}"
                + (". Keep one, or split it into two events" if given else "")
            )
        if self.media is not None:
            if self.in_ is None:
                raise ValueError('a media event needs `in` (e.g. in: "00:00:02:00")')
            if self.out is not None and self.duration is not None:
                raise ValueError(f"a media event takes `out` or `duration`, not both; this one has out {self.out!r} "
                                 f"and duration {self.duration!r}. Delete one of them")
            if self.out is None and self.duration is None:
                raise ValueError("a media event needs `out` (exclusive) or `duration`; add one of them")
        else:
            if self.in_ is not None or self.out is not None:
                raise ValueError(f"a {given[0]} event has no source range; give `duration` only")
            if self.duration is None:
                raise ValueError(f"a {given[0]} event needs `duration`")
        return self


class Duck(Strict):
    """How a music bed steps aside when the cut's own sound is above `threshold_db`."""

    by_db: Number = Field(default=10, gt=0, le=60)
    attack: Number = Field(default=0.2, ge=0, le=5)  # seconds the bed takes to go down (ahead of the sound)
    release: Number = Field(default=0.6, ge=0, le=10)  # seconds it takes to come back after the sound
    threshold_db: Number = Field(default=-30, ge=-90, le=0)  # dBFS, RMS over 20 ms of the cut's sound


def _duck(value: object) -> object:
    """`duck: true` ducks with the defaults."""
    return {} if value is True else value


class Music(Strict):
    """A bed under the cut, placed on the record timeline."""

    file: FilePath
    start: TimeValue = 0
    in_: TimeValue = Field(default=0, alias="in")
    duration: TimeValue | None = None
    gain_db: Gain = 0
    fade_in: Seconds = 0
    fade_out: Seconds = 0
    duck: Annotated[Duck, BeforeValidator(_duck)] | None = None  # under the cut's own sound


LANG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
LangCode = Annotated[str, Field(pattern=LANG_PATTERN)]
VERSION_LANG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*(\+[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)?$"
PRESET_NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"  # a preset's name is a file name in presets/


class SubtitleStyle(Strict):
    """How burned subtitles look; sizes are relative to the output frame."""

    font: FilePath | None = None  # a family name or a .ttf/.otf file; default: chosen per script
    font_scale: Number = Field(default=1.0, gt=0.2, le=4)
    outline: Number = Field(default=2.5, ge=0, le=20)  # pixels at 1080 lines
    shadow: Number = Field(default=0, ge=0, le=20)
    box: bool = False
    box_opacity: Number = Field(default=0.6, ge=0, le=1)
    color: Color = "#FFFFFF"
    outline_color: Color = "#000000"
    margin: Number = Field(default=0.06, ge=0, le=0.45)  # fraction of the frame height
    position: Literal["bottom", "top"] = "bottom"


class Subtitles(Strict):
    """Translators' files, by language: listed one by one, or found in a folder as {lang}.srt|vtt|ass."""

    # language -> file; `none` (or an empty value) declares a language shown without subtitles,
    # so a forgotten translation is still caught by `check`
    files: dict[LangCode, FilePath | None] = {}
    dir: FilePath | None = None
    encoding: dict[LangCode, StrictStr] = {}  # per-language override of the detected encoding
    style: SubtitleStyle = SubtitleStyle()
    limits: dict[StrictStr, dict[StrictStr, Annotated[Number, Field(ge=0, le=100_000)]]] = {}  # lint limits per language (see `filmkit subs lint`)

    @model_validator(mode="after")
    def _some_source(self) -> Subtitles:
        if not self.files and self.dir is None:
            raise ValueError("give `files: {en: subs/en.srt, ...}` or `dir: subs` (files named {lang}.srt, .vtt or .ass)")
        return self


class CardText(Strict):
    """What the closing card says in one language."""

    # At most a few lines on a closing card: longer texts would be set too small to read, and
    # fitting them takes the layout seconds per frame.
    tagline: StrictStr = Field(min_length=1, max_length=200)
    hashtag: StrictStr | None = Field(default=None, max_length=100)
    url: StrictStr | None = Field(default=None, max_length=200)  # a call to action, e.g. example.org/love


class Fade(Strict):
    in_: TimeValue = Field(default=0.5, alias="in")
    out: TimeValue = 0.5


def _fade(value: object) -> object:
    """`fade: 0.5` is shorthand for `fade: {in: 0.5, out: 0.5}`."""
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return {"in": value, "out": value}
    return value


def _fade_schema(schema: dict[str, object]) -> None:
    """In the JSON Schema, `fade: 0.5` is as valid as `fade: {in: 0.5, out: 0.5}`."""
    ref = schema.pop("$ref")
    schema["anyOf"] = [{"$ref": ref}, {"type": "number", "minimum": 0}, {"type": "string"}]


CARD_BACKGROUND_HELP = 'a colour ("#000000", black ...), an image file (assets/bg.jpg), or `blur` (the last frame of the cut, blurred)'


class Card(Strict):
    """The closing card: tagline, hashtag, call to action and logo, per language."""

    duration: TimeValue = 4.0
    # in: from the cut (see transition); out: to black
    fade: Annotated[Fade, BeforeValidator(_fade)] = Field(default=Fade(), json_schema_extra=_fade_schema)
    transition: StrictStr = "crossfade"  # how the card comes in: crossfade, dip, cut, or an xfade name
    background: FilePath = "#000000"
    logo: FilePath | None = None
    color: Color = "#FFFFFF"  # text
    accent: Color | None = None  # hashtag and call to action; default: the text colour
    font: FilePath | None = None  # a family name or a font file; default: chosen per script, as for subtitles
    text: dict[LangCode, CardText] = Field(min_length=1)

    _known_transition = field_validator("transition")(classmethod(lambda cls, value: check_transition_type(value)))

    @field_validator("background")
    @classmethod
    def _background(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(f"background is empty; use {CARD_BACKGROUND_HELP}")
        if value.startswith("#") and not _HEX_COLOR.match(value):
            raise ValueError(f"{value!r} is not a colour; use #RRGGBB (quoted). Background is {CARD_BACKGROUND_HELP}")
        return value

    @property
    def background_kind(self) -> Literal["color", "blur", "image"]:
        if self.background == "blur":
            return "blur"
        if _HEX_COLOR.match(self.background) or self.background.lower() in NAMED_COLORS:
            return "color"
        return "image"


EXPORT_PLACEHOLDERS = ("platform", "lang", "title_slug")


class Exports(Strict):
    """The languages x platforms matrix `filmkit export` renders."""

    platforms: list[Annotated[str, Field(pattern=PRESET_NAME_PATTERN)]] = Field(min_length=1)
    # "ru", or "en+ru" for a bilingual version (language codes only: they become file names)
    languages: list[Annotated[str, Field(pattern=VERSION_LANG_PATTERN)]] = Field(min_length=1)
    path: FilePath = "out/{platform}/{title_slug}_{lang}.mp4"
    poster: Union[Literal["card"], TimeValue] = "card"  # the poster frame: "card" or a record time
    reframe: Literal["blur", "crop", "pad"] | None = None  # default: each platform preset's own
    sidecar: bool = True  # clean UTF-8 .srt/.vtt beside outputs for platforms that take caption files

    @field_validator("path")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        import string

        try:
            names = [field for _, field, _, _ in string.Formatter().parse(value) if field is not None]
        except ValueError as exc:
            raise ValueError(f"{value!r}: {exc}; placeholders are written {{platform}}, {{lang}}, {{title_slug}}") from None
        unknown = [name for name in names if name not in EXPORT_PLACEHOLDERS]
        if unknown:
            hint = difflib.get_close_matches(unknown[0], EXPORT_PLACEHOLDERS, n=1)
            raise ValueError(
                f"unknown placeholder {{{unknown[0]}}} in {value!r}; use "
                + ", ".join(f"{{{n}}}" for n in EXPORT_PLACEHOLDERS)
                + (f". Did you mean {{{hint[0]}}}?" if hint else "")
            )
        if "platform" not in names or "lang" not in names:
            raise ValueError(f"{value!r} must contain {{platform}} and {{lang}}, or outputs would overwrite each other")
        return value


# The overlay track builds on the value types above, so it is imported once they exist.
from filmkit.project.overlay import Overlay  # noqa: E402


class Project(Strict):
    filmkit: Literal[1]
    title: StrictStr = Field(min_length=1, max_length=500)
    format: Format = Format()
    media: dict[StrictStr, FilePath] = {}
    cut: list[Event] = Field(min_length=1)
    music: list[Music] = []
    subtitles: Subtitles | None = None
    card: Card | None = None
    exports: Exports | None = None
    overlays: list[Overlay] = []


RATES_HELP = ", ".join(COMMON_RATES)
