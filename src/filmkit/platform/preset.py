"""The platform preset model: what YouTube, Instagram, TikTok ... accept, as typed values.

A preset is read from a data file (`filmkit.platform.presets` finds and reads it); this module
holds what the file may say, checked on reading, and what the renderer asks of it: the output
frame rate, the keyframe interval, the bitrate that fits the size limit. Constructing a preset
does no I/O.
"""

from __future__ import annotations

import math
import re
from enum import Enum
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from filmkit.errors import PresetError
from filmkit.platform.safearea import Fractional, SafeArea
from filmkit.project.schema import FrameRate, FrameSize, Number, Size, Strict

NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"

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


def _level(value: object) -> str:
    """4.2, "4.2", 4 and "4.0" all mean level_idc 42; stored as "4.2" / "4.0"."""
    text = str(value).strip() if isinstance(value, (int, float, str)) and not isinstance(value, bool) else ""
    if re.fullmatch(r"\d", text):
        text += ".0"
    if text not in H264_LEVELS:
        raise ValueError(f"{value!r} is not an H.264 level; use one of {', '.join(H264_LEVELS)} (quote it: \"4.2\")")
    return text


Seconds = Annotated[Fraction, BeforeValidator(_seconds)]
Level = Annotated[str, BeforeValidator(_level)]


# --- the model ----------------------------------------------------------------------------------


class FrameRateRule(Strict):
    """Keep the master's rate when the platform takes it; otherwise convert (see Preset.output_fps)."""

    min: FrameRate
    max: FrameRate
    fallback: FrameRate

    @model_validator(mode="after")
    def _ordered(self) -> FrameRateRule:
        if not self.min <= self.fallback <= self.max:
            raise ValueError(f"fallback {rate_text(self.fallback)} must lie within min {rate_text(self.min)} "
                             f"and max {rate_text(self.max)}")
        return self


class Gop(Strict):
    """Keyframe structure: platforms cut and seek at keyframes, so they ask for regular closed GOPs."""

    closed: bool
    seconds: Seconds  # keyframe interval; gop_frames() turns it into frames at the output rate
    b_frames: int = Field(ge=0, le=16)

    @model_validator(mode="after")
    def _positive(self) -> Gop:
        if self.seconds <= 0:
            raise ValueError("seconds must be more than 0 (the time between keyframes)")
        return self


class VideoSpec(Strict):
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


class AudioSpec(Strict):
    codec: Literal["aac"]
    profile: Literal["lc"]
    sample_rate: Literal[44100, 48000, 96000]
    channels: int = Field(ge=1, le=2)
    bitrate_kbps: int = Field(gt=0)


class ContainerSpec(Strict):
    format: Literal["mp4"]
    faststart: bool  # moov box before mdat, so playback and processing start before the download ends
    edit_lists: bool  # whether an edit list (elst box) is acceptable


class Limits(Strict):
    min_seconds: Seconds = Fraction(0)
    max_seconds: Seconds
    max_size_mb: Number = Field(gt=0)  # MB = 1,000,000 bytes (the smaller reading of "MB")
    min_size_kb: Number = Field(default=0, ge=0)  # kB = 1,000 bytes

    @model_validator(mode="after")
    def _ordered(self) -> Limits:
        if self.max_seconds <= self.min_seconds:
            raise ValueError(f"max_seconds {float(self.max_seconds):g} must be more than min_seconds {float(self.min_seconds):g}")
        return self


class LoudnessTarget(Strict):
    """Integrated loudness, true-peak ceiling and loudness range (the ranges ffmpeg's loudnorm takes)."""

    integrated_lufs: Number = Field(ge=-70, le=-5)
    true_peak_dbtp: Number = Field(ge=-9, le=0)
    lra_lu: Number = Field(ge=1, le=50)


class PresetSafeArea(SafeArea):
    """A safe area as a preset file gives it: every side stated, none left to a default."""

    top: Fractional
    bottom: Fractional
    left: Fractional
    right: Fractional


class SafeAreas(Strict):
    text: PresetSafeArea  # clear of the platform's own buttons, captions and profile name
    subtitles: PresetSafeArea | None = None  # a subtitle guideline's area for this aspect, where one exists


class PresetSpec(Strict):
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
    safe_area: SafeAreas
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
                f"{megabytes_text(self.limits.max_size_mb)} with {self.audio.bitrate_kbps} kbps audio; "
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


def rate_text(rate: Fraction) -> str:
    """25, or 23.976 for 24000/1001."""
    if rate.denominator == 1:
        return str(rate.numerator)
    return f"{float(rate):.3f}".rstrip("0").rstrip(".")


def megabytes_text(mb: float) -> str:
    return f"{mb / 1000:g} GB" if mb >= 1000 else f"{mb:g} MB"
