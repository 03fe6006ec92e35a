"""Platform presets: what YouTube, Instagram, TikTok ... accept, as data files with their sources.

The packaged presets live in `filmkit/data/presets/<name>.yaml`; every number there carries a
comment saying where it comes from (or that the platform publishes nothing and what filmkit
chose instead). A user's file of the same name wins, so a producer can follow a platform's
change the day it happens without waiting for a release: first `<project>/presets/<name>.yaml`,
then the user's config folder (`user_presets_dir()`), then the packaged file.

A file is read with the project loader (`read_yaml` + `validate`), so a mistake in a user's
preset is reported like one in an edit file: `file:line:col: key: message`, with a spelling
hint for unknown keys. The comments are kept too (`Preset.notes`), so `filmkit presets NAME`
can show each value beside its source.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import sys
from enum import Enum
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictFloat, StrictInt, model_validator

from filmkit.errors import PresetError, Problem, ProjectError
from filmkit.project.load import Locations, format_key_path, read_yaml, validate
from filmkit.project.schema import Size
from filmkit.timecode import parse_rate

PRESET_SUFFIX = ".yaml"
NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
_NAME = re.compile(NAME_PATTERN)

# Share of the size limit kept free: MP4 index (about 1%), AAC's drift around its nominal
# bitrate, and rate-control overshoot. Platforms reject a file one byte over the limit.
SIZE_MARGIN = Fraction(5, 100)

# H.264 level_idc values of ITU-T H.264 Table A-1 (level 1b left out: nobody uploads it).
H264_LEVELS = ("1.0", "1.1", "1.2", "1.3", "2.0", "2.1", "2.2", "3.0", "3.1", "3.2",
               "4.0", "4.1", "4.2", "5.0", "5.1", "5.2", "6.0", "6.1", "6.2")


class PresetOrigin(str, Enum):
    """Where a preset was read from; a project's file beats the user's, which beats filmkit's."""

    PROJECT = "project"
    USER = "user"
    PACKAGED = "packaged"


# --- value types -------------------------------------------------------------------------------

Number = Union[StrictInt, StrictFloat]


def _rate(value: object) -> Fraction:
    if isinstance(value, Fraction):
        return value
    try:
        return parse_rate(value)
    except ValueError as exc:
        raise ValueError(str(exc)) from None


def _seconds(value: object) -> Fraction:
    """Seconds as an exact number: 3, 0.5 or "1/2"."""
    if isinstance(value, Fraction):
        result = value
    elif isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"{value!r} is not a number of seconds; write e.g. 3, 0.5 or 1/2")
    else:
        try:
            result = Fraction(str(value).strip())
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{value!r} is not a number of seconds; write e.g. 3, 0.5 or 1/2") from None
    if result < 0:
        raise ValueError(f"{value!r}: seconds cannot be negative")
    return result


def _size(value: object) -> Size:
    if isinstance(value, Size):
        return value
    match = re.match(r"^\s*(\d+)\s*[xX×]\s*(\d+)\s*$", value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"{value!r} is not a frame size; write WIDTHxHEIGHT such as 1080x1920")
    width, height = int(match.group(1)), int(match.group(2))
    if not (16 <= width <= 8192 and 16 <= height <= 8192) or width % 2 or height % 2:
        raise ValueError(f"{value!r}: width and height must be even numbers of 16-8192 pixels (4:2:0 chroma needs even sizes)")
    return Size(width, height)


def _level(value: object) -> str:
    """4.2, "4.2", 4 and "4.0" all mean level_idc 42; stored as "4.2" / "4.0"."""
    text = str(value).strip() if isinstance(value, (int, float, str)) and not isinstance(value, bool) else ""
    if re.fullmatch(r"\d", text):
        text += ".0"
    if text not in H264_LEVELS:
        raise ValueError(f"{value!r} is not an H.264 level; use one of {', '.join(H264_LEVELS)} (quote it: \"4.2\")")
    return text


Rate = Annotated[Fraction, BeforeValidator(_rate)]
Seconds = Annotated[Fraction, BeforeValidator(_seconds)]
FrameSize = Annotated[Size, BeforeValidator(_size)]
Level = Annotated[str, BeforeValidator(_level)]
Fractional = Annotated[float, Field(ge=0, lt=0.5)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


# --- the model ----------------------------------------------------------------------------------


class FrameRateRule(_Frozen):
    """Keep the master's rate when the platform takes it; otherwise convert (see Preset.output_fps)."""

    min: Rate
    max: Rate
    fallback: Rate

    @model_validator(mode="after")
    def _ordered(self) -> FrameRateRule:
        if not self.min <= self.fallback <= self.max:
            raise ValueError(f"fallback {_rate_text(self.fallback)} must lie within min {_rate_text(self.min)} "
                             f"and max {_rate_text(self.max)}")
        return self


class Gop(_Frozen):
    """Keyframe structure: platforms cut and seek at keyframes, so they ask for regular closed GOPs."""

    closed: bool
    seconds: Seconds  # keyframe interval; gop_frames() turns it into frames at the output rate
    b_frames: int = Field(ge=0, le=16)

    @model_validator(mode="after")
    def _positive(self) -> Gop:
        if self.seconds <= 0:
            raise ValueError("seconds must be more than 0 (the time between keyframes)")
        return self


class VideoSpec(_Frozen):
    size: FrameSize
    fps: FrameRateRule
    codec: Literal["h264"]
    profile: Literal["baseline", "main", "high"]
    level: Level
    pix_fmt: Literal["yuv420p"]
    gop: Gop
    crf: Number = Field(ge=0, le=51)  # x264 constant rate factor: quality where the cap allows
    maxrate_kbps: int = Field(gt=0)  # VBV cap
    bufsize_kbps: int = Field(gt=0)  # VBV buffer


class AudioSpec(_Frozen):
    codec: Literal["aac"]
    profile: Literal["lc"]
    sample_rate: Literal[44100, 48000, 96000]
    channels: int = Field(ge=1, le=2)
    bitrate_kbps: int = Field(gt=0)


class ContainerSpec(_Frozen):
    format: Literal["mp4"]
    faststart: bool  # moov box before mdat, so playback and processing start before the download ends
    edit_lists: bool  # whether an edit list (elst box) is acceptable


class Limits(_Frozen):
    min_seconds: Seconds = Fraction(0)
    max_seconds: Seconds
    max_size_mb: Number = Field(gt=0)  # MB = 1,000,000 bytes (the smaller reading of "MB")
    min_size_kb: Number = Field(default=0, ge=0)  # kB = 1,000 bytes

    @model_validator(mode="after")
    def _ordered(self) -> Limits:
        if self.max_seconds <= self.min_seconds:
            raise ValueError(f"max_seconds {float(self.max_seconds):g} must be more than min_seconds {float(self.min_seconds):g}")
        return self


class LoudnessTarget(_Frozen):
    """Integrated loudness, true-peak ceiling and loudness range (the ranges ffmpeg's loudnorm takes)."""

    integrated_lufs: Number = Field(ge=-70, le=-5)
    true_peak_dbtp: Number = Field(ge=-9, le=0)
    lra_lu: Number = Field(ge=1, le=50)


class Margins(_Frozen):
    """Fractions of the frame kept clear on each side (same fields as filmkit.platform.safearea.SafeArea)."""

    top: Fractional
    bottom: Fractional
    left: Fractional
    right: Fractional

    def box(self, width: int, height: int) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) in pixels of the rectangle inside the margins."""
        return (round(self.left * width), round(self.top * height),
                width - round(self.right * width), height - round(self.bottom * height))


class SafeArea(_Frozen):
    text: Margins  # clear of the platform's own buttons, captions and profile name
    subtitles: Margins | None = None  # a subtitle guideline's area for this aspect, where one exists


class PresetSpec(_Frozen):
    """What a preset file holds."""

    name: str = Field(pattern=NAME_PATTERN)
    title: str = Field(min_length=1)
    platform: str = Field(min_length=1)
    sources: tuple[Annotated[str, Field(pattern=r"^https?://\S+$")], ...] = Field(min_length=1)
    video: VideoSpec
    audio: AudioSpec
    container: ContainerSpec
    limits: Limits
    loudness: LoudnessTarget
    safe_area: SafeArea
    reframe: Literal["blur", "crop", "pad"]  # how a 16:9 master is fitted to this frame by default
    captions: Literal["srt", "vtt"] | None  # sidecar caption file the platform takes, if any


class Preset(PresetSpec):
    """A platform preset and where it was read from. Constructing one does no I/O."""

    source_file: Path | None = None
    origin: PresetOrigin | None = None  # None: built in code (tests)
    notes: tuple[tuple[str, str], ...] = Field(default=(), repr=False)  # key path -> the comment on its line

    # Shapes and limits

    @property
    def size(self) -> Size:
        return self.video.size

    @property
    def aspect(self) -> Fraction:
        """Display aspect of the frame, e.g. Fraction(9, 16)."""
        return Fraction(self.video.size.width, self.video.size.height)

    @property
    def aspect_label(self) -> str:
        return f"{self.aspect.numerator}:{self.aspect.denominator}"

    @property
    def max_bytes(self) -> int:
        return int(Fraction(str(self.limits.max_size_mb)) * 1_000_000)

    @property
    def min_bytes(self) -> int:
        return int(Fraction(str(self.limits.min_size_kb)) * 1_000)

    @property
    def origin_label(self) -> str:
        """`packaged`, or `project: path` / `user: path` for a file that overrides it."""
        if self.origin in (None, PresetOrigin.PACKAGED) or self.source_file is None:
            return self.origin.value if self.origin else "built in code"
        return f"{self.origin.value}: {self.source_file}"

    # Helpers for the renderer

    def output_fps(self, master_fps: Fraction) -> Fraction:
        """The rate to render at: the master's own when the platform takes it.

        Otherwise an even fraction of it (120 -> 60, 50 -> 25: every 2nd frame kept, no judder),
        else an even multiple (23.976 -> 47.952 where 24 is the minimum: each frame shown twice),
        else the preset's fallback rate.
        """
        rule, master = self.video.fps, Fraction(master_fps)
        if master <= 0:
            raise ValueError(f"frame rate must be positive, got {master}")
        if rule.min <= master <= rule.max:
            return master
        for factor in range(2, 9):
            candidate = master / factor if master > rule.max else master * factor
            if rule.min <= candidate <= rule.max:
                return candidate
        return rule.fallback

    def gop_frames(self, fps: Fraction) -> int:
        """Keyframe interval in frames at `fps`: the GOP length rounded to the nearest frame
        (ties down, so YouTube's "half the frame rate" at 25 fps is 12, at 29.97 it is 15)."""
        exact = Fraction(fps) * self.video.gop.seconds
        return max(1, math.ceil(exact - Fraction(1, 2)))

    def max_video_kbps(self, duration_seconds: Fraction | float) -> int:
        """The VBV maxrate for a film of this length: the preset's cap, lowered when needed so
        video, audio and one VBV buffer of overshoot fit the size limit with SIZE_MARGIN to spare.

        Raises PresetError when even the audio alone would not fit.
        """
        duration = Fraction(str(duration_seconds)) if isinstance(duration_seconds, float) else Fraction(duration_seconds)
        if duration <= 0:
            raise ValueError(f"duration must be positive, got {duration_seconds}")
        budget_kbit = Fraction(self.max_bytes * 8, 1000) * (1 - SIZE_MARGIN) - self.audio.bitrate_kbps * duration
        buffer_seconds = Fraction(self.video.bufsize_kbps, self.video.maxrate_kbps)
        fitting = math.floor(budget_kbit / (duration + buffer_seconds))
        if fitting <= 0:
            raise PresetError(
                f"a {float(duration):.1f} s film cannot fit {self.name}'s size limit of "
                f"{_megabytes(self.limits.max_size_mb)} with {self.audio.bitrate_kbps} kbps audio; "
                f"the platform takes at most {float(self.limits.max_seconds):g} s. Shorten the film"
            )
        return min(self.video.maxrate_kbps, fitting)

    def video_bufsize_kbps(self, duration_seconds: Fraction | float) -> int:
        """The VBV buffer to go with max_video_kbps(): the preset's, scaled down with the rate."""
        rate = self.max_video_kbps(duration_seconds)
        return max(1, round(Fraction(self.video.bufsize_kbps * rate, self.video.maxrate_kbps)))

    # Provenance

    def note(self, key_path: str) -> str | None:
        """The source comment of `key_path` ("video.fps.max"), or of its nearest parent."""
        notes = dict(self.notes)
        parts = key_path.split(".")
        for cut in range(len(parts), 0, -1):
            found = notes.get(".".join(parts[:cut]))
            if found:
                return found
        return None


# --- reading presets ----------------------------------------------------------------------------


def packaged_presets_dir() -> Path:
    return Path(str(resources.files("filmkit") / "data" / "presets"))


def user_presets_dir() -> Path:
    """Per-user presets: `$XDG_CONFIG_HOME/filmkit/presets` (default ~/.config), on macOS
    ~/Library/Application Support/filmkit/presets, on Windows %APPDATA%\\filmkit\\presets."""
    if sys.platform == "win32":
        appdata = os.environ.get("APPDATA")
        base = Path(appdata) if appdata else Path.home() / "AppData" / "Roaming"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_CONFIG_HOME")
        base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".config"
    return base / "filmkit" / "presets"


def preset_search_path(project_dir: Path | None = None) -> list[tuple[PresetOrigin, Path]]:
    """Folders searched for `<name>.yaml`, the first holding it wins."""
    folders = [(PresetOrigin.USER, user_presets_dir()), (PresetOrigin.PACKAGED, packaged_presets_dir())]
    if project_dir is not None:
        folders.insert(0, (PresetOrigin.PROJECT, Path(project_dir) / "presets"))
    return folders


def preset_names(project_dir: Path | None = None) -> list[str]:
    """Every preset name found in the search path, sorted (the files are not read)."""
    names: set[str] = set()
    for _origin, folder in preset_search_path(project_dir):
        if folder.is_dir():
            names.update(path.stem for path in folder.glob(f"*{PRESET_SUFFIX}") if path.is_file())
    return sorted(names)


def load_preset(name: str, project_dir: Path | None = None) -> Preset:
    """The preset called `name`: the project's file, else the user's, else filmkit's own.

    Raises PresetError naming the available presets (and the closest one) when there is none,
    or listing every problem of an invalid file with its line.
    """
    if _is_plain_file_name(name):
        for origin, folder in preset_search_path(project_dir):
            path = folder / f"{name}{PRESET_SUFFIX}"
            if path.is_file():
                return _read_preset(path, origin)
    raise PresetError(_not_found(name, project_dir))


def _is_plain_file_name(name: str) -> bool:
    """A name that can only mean a file inside the presets folders (never ../x or /etc/x)."""
    return bool(name) and not name.startswith(".") and not any(char in name for char in "/\\:\0")


def available_presets(project_dir: Path | None = None) -> list[Preset]:
    """Every preset by name, each the one load_preset() would return."""
    return [load_preset(name, project_dir) for name in preset_names(project_dir)]


def _not_found(name: str, project_dir: Path | None) -> str:
    names = preset_names(project_dir)
    message = f"preset {name!r} not found. Available presets: {', '.join(names) or 'none'}."
    hint = difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.6)
    if hint:
        return f"{message} Did you mean {hint[0]!r}?"
    places = [str(Path(project_dir) / "presets")] if project_dir is not None else []
    places.append(str(user_presets_dir()))
    return f"{message} To add your own, write {name}{PRESET_SUFFIX} in {' or '.join(places)}"


def _read_preset(path: Path, origin: PresetOrigin) -> Preset:
    """Read and validate one file; every problem carries its line."""
    try:
        data, locations = read_yaml(path)
    except ProjectError as exc:
        raise PresetError.from_problems(exc.problems) from None
    name = path.stem
    if not _NAME.fullmatch(name):
        raise PresetError.from_problems([Problem(
            path, None, None, "",
            "a preset's file name is its name and appears in output paths: use lowercase letters, digits, - and _ "
            f"(e.g. {re.sub(r'[^a-z0-9_-]+', '-', name.lower()).strip('-') or 'my-preset'}{PRESET_SUFFIX})",
        )])
    if not isinstance(data, dict):
        raise PresetError.from_problems([Problem(
            path, 1, 1, "",
            "a preset file is a YAML mapping (key: value lines); start from a packaged one "
            "(`filmkit presets tiktok` shows its file and every key)",
        )])
    if "name" not in data:
        data["name"] = name
    elif data["name"] != name:
        raise PresetError.from_problems([locations.problem(
            ("name",), f"{data['name']!r} differs from the file name {path.name!r}; a preset is called by its "
            f"file name, so write `name: {name}` or rename the file",
        )])
    try:
        spec = validate(PresetSpec, data, locations)
    except ProjectError as exc:
        raise PresetError.from_problems(exc.problems) from None
    notes = _notes(path.read_text(encoding="utf-8-sig"), locations)
    fields = {field: getattr(spec, field) for field in PresetSpec.model_fields}
    return Preset(**fields, source_file=path, origin=origin, notes=notes)


def _notes(text: str, locations: Locations) -> tuple[tuple[str, str], ...]:
    """The comment on the line of every key, by key path."""
    comments = line_comments(text)
    notes = []
    for path, (line, _column) in sorted(locations.positions.items(), key=lambda item: item[1]):
        if line in comments and path:
            notes.append((format_key_path(path), comments[line]))
    return tuple(notes)


def line_comments(text: str) -> dict[int, str]:
    """The trailing comment of each line (1-based) that holds a value, joined with the
    comment-only lines right below it whose `#` lines up with it (a wrapped citation)."""
    comments: dict[int, str] = {}
    owner: int | None = None
    owner_column = -1
    for number, line in enumerate(text.splitlines(), start=1):
        column = comment_column(line)
        if column is None:
            owner = None
            continue
        body = line[column + 1 :].strip()
        if line[:column].strip():
            comments[number] = body
            owner, owner_column = number, column
        elif owner is not None and column == owner_column:
            comments[owner] = f"{comments[owner]} {body}".strip()
        else:
            owner = None
    return comments


def comment_column(line: str) -> int | None:
    """Where a YAML comment starts on `line`: a `#` at the start or after a space, outside quotes."""
    quote: str | None = None
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'" and (index == 0 or line[index - 1] in " \t:[{,-"):
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return index
    return None


# --- presentation (the CLI prints these) ---------------------------------------------------------


def summary(preset: Preset) -> dict[str, str]:
    """One row of `filmkit presets`."""
    limits, loudness = preset.limits, preset.loudness
    return {
        "name": preset.name,
        "size": str(preset.size),
        "aspect": preset.aspect_label,
        "fps": fps_rule_text(preset),
        "max duration": _duration_text(limits.max_seconds),
        "max size": _megabytes(limits.max_size_mb),
        "loudness": f"{loudness.integrated_lufs:g} LUFS, TP {loudness.true_peak_dbtp:g} dBTP",
        "from": preset.origin_label,
    }


def fps_rule_text(preset: Preset) -> str:
    rule = preset.video.fps
    return f"{_rate_text(rule.min)}-{_rate_text(rule.max)} kept, else {_rate_text(rule.fallback)}"


def describe(preset: Preset) -> list[tuple[str, str, str | None]]:
    """Every field of the preset as (key path, value, source comment), in file order."""
    rows: list[tuple[str, str, str | None]] = []

    urls = source_keys(preset)

    def walk(model: BaseModel, prefix: str) -> None:
        for field in type(model).model_fields:
            if isinstance(model, Preset) and field in _NOT_DESCRIBED:
                continue
            value = getattr(model, field)
            path = f"{prefix}{field}"
            if isinstance(value, BaseModel):
                walk(value, f"{path}.")
            elif field not in model.model_fields_set:
                rows.append((path, _value_text(value), "not in the file: filmkit's default"))
            else:
                rows.append((path, _value_text(value), _with_urls(preset.note(path), urls)))

    walk(preset, "")
    return rows


_NOT_DESCRIBED = ("name", "title", "platform", "sources", "source_file", "origin", "notes")
_SOURCE_KEY = re.compile(r"\[([A-Z][A-Z0-9]*)\]")


def source_keys(preset: Preset) -> dict[str, tuple[str, ...]]:
    """The [KEY] tags of the `sources` list's comments (PLATFORMS.md's source keys) -> their URLs."""
    found: dict[str, list[str]] = {}
    for index, url in enumerate(preset.sources):
        for key in _SOURCE_KEY.findall(preset.note(f"sources[{index}]") or ""):
            found.setdefault(key, []).append(url)
    return {key: tuple(value) for key, value in found.items()}


def _with_urls(note: str | None, urls: dict[str, tuple[str, ...]]) -> str | None:
    """A comment that cites a source by key alone gets that source's URL, so every value shows one."""
    if not note:
        return note
    missing = [url for key in dict.fromkeys(_SOURCE_KEY.findall(note)) for url in urls.get(key, ()) if url not in note]
    return f"{note} ({'; '.join(dict.fromkeys(missing))})" if missing else note


def _value_text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return _rate_text(value)
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def _rate_text(rate: Fraction) -> str:
    """25, or 23.976 for 24000/1001."""
    if rate.denominator == 1:
        return str(rate.numerator)
    return f"{float(rate):.3f}".rstrip("0").rstrip(".")


def _duration_text(seconds: Fraction) -> str:
    whole = float(seconds)
    if whole >= 3600 and whole % 3600 == 0:
        return f"{whole / 3600:g} h"
    if whole >= 60 and whole % 60 == 0:
        return f"{whole / 60:g} min"
    return f"{whole:g} s"


def _megabytes(mb: float) -> str:
    return f"{mb / 1000:g} GB" if mb >= 1000 else f"{mb:g} MB"
