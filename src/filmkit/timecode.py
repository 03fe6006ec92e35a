"""Exact time: rates are Fractions, positions are integer frames.

Floats appear only when a value is written as an ffmpeg argument (`seconds_arg`).
Parsing raises `TimecodeError` with a message that says what is allowed; callers add
the file and line.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

# Frame rates an editor meets; any positive rational is accepted, these are named in errors.
COMMON_RATES = ("24", "25", "30", "50", "60", "24000/1001", "30000/1001", "60000/1001")

_TIMECODE = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})([:;])(\d{2,3})$")
_CLOCK = re.compile(r"^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:\.(\d{1,6}))?$")
_SECONDS = re.compile(r"^\d+(?:\.\d+)?$")
_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/\s*(\d+)\s*)?$")

# The longest time filmkit reads, and the longest film it makes: a day. Anything longer is a typo
# (or 1e308), and would only overflow the arithmetic that follows.
MAX_SECONDS = 24 * 3600

MAX_TEXT = 40  # "00:00:01:00", "4.5", "30000/1001": longer text is no time or rate (and 4,300 digits break int())

TIME_FORMS = (
    '"HH:MM:SS:FF" (frames at the project fps), "HH:MM:SS.mmm", '
    "or a number of seconds such as 4.5"
)


class TimecodeError(ValueError):
    """A time or rate value that cannot be read; the message says what is allowed."""


def parse_rate(value: object) -> Fraction:
    """Read a frame rate such as 25, "25", 29.97 or "30000/1001" as an exact Fraction."""
    if isinstance(value, bool):
        raise TimecodeError(_rate_help(value))
    if isinstance(value, int):
        rate = Fraction(value)
    elif isinstance(value, float):
        if not math.isfinite(value):  # YAML .inf / .nan, or 1e400
            raise TimecodeError(_rate_help(value))
        rate = _snap_ntsc(Fraction(str(value)))
    elif isinstance(value, str) and len(value) <= MAX_TEXT and (m := _RATE.match(value)):
        num = Fraction(m.group(1))
        if m.group(2) is not None and int(m.group(2)) == 0:  # "25/0" would divide by zero
            raise TimecodeError(_rate_help(value))
        rate = num / int(m.group(2)) if m.group(2) else _snap_ntsc(num)
    else:
        raise TimecodeError(_rate_help(value))
    if rate <= 0 or rate > 1000:
        raise TimecodeError(_rate_help(value))
    return rate


def _snap_ntsc(rate: Fraction) -> Fraction:
    """29.97, 23.976 and 59.94 mean the NTSC rationals, as every editing system reads them."""
    for exact in (Fraction(24000, 1001), Fraction(30000, 1001), Fraction(60000, 1001)):
        if rate != exact and abs(rate - exact) < Fraction(1, 100):
            return exact
    return rate


def _rate_help(value: object) -> str:
    return f"{shown(value)} is not a frame rate; use a number or a ratio such as {', '.join(COMMON_RATES)}"


def shown(value: object) -> str:
    """A value for a message, as the user wrote it, clipped when it is long."""
    text = repr(value)
    size = len(value) if isinstance(value, str) else len(text)
    return text if len(text) <= MAX_TEXT else f"{text[:MAX_TEXT - 12]}…{text[-8:]} ({size} characters)"


def nominal_fps(rate: Fraction) -> int:
    """Frames per timecode second: 30 for 29.97, as SMPTE timecode counts them."""
    return math.ceil(rate)


def parse_time(value: object, rate: Fraction) -> int:
    """Read a time value as an integer frame count at `rate`, at most MAX_SECONDS.

    Timecodes name a frame exactly; clock times and seconds are rounded to the nearest
    frame (a time between two frames can only mean one of them).
    """
    frames = _parse_time(value, rate)
    if frames > MAX_SECONDS * rate:
        raise TimecodeError(f"{shown(value)} is more than 24 hours; filmkit reads times of up to 24:00:00 (films and "
                            "sources of at most a day). Fix the value")
    return frames


def _parse_time(value: object, rate: Fraction) -> int:
    if isinstance(value, bool) or value is None:
        raise TimecodeError(f"{value!r} is not a time; use {TIME_FORMS}")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise TimecodeError(f"{value!r} is not a time; use {TIME_FORMS}")
        if value < 0:
            raise TimecodeError(f"{value!r} is negative; times start at 0")
        return seconds_to_frames(Fraction(str(value)), rate)
    if not isinstance(value, str):
        raise TimecodeError(f"{value!r} is not a time; use {TIME_FORMS}")
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise TimecodeError(f"{shown(text)} is not a time; use {TIME_FORMS}")
    if m := _TIMECODE.match(text):
        return _timecode_frames(text, m, rate)
    if m := _CLOCK.match(text):
        hours = int(m.group(1) or 0)
        minutes, secs = int(m.group(2)), int(m.group(3))
        if minutes > 59 or secs > 59:
            raise TimecodeError(f'"{text}": minutes and seconds must be 00-59')
        frac = Fraction(int(m.group(4)), 10 ** len(m.group(4))) if m.group(4) else Fraction(0)
        return seconds_to_frames(hours * 3600 + minutes * 60 + secs + frac, rate)
    if _SECONDS.match(text):
        return seconds_to_frames(Fraction(text), rate)
    raise TimecodeError(f'"{text}" is not a time; use {TIME_FORMS}')


def _timecode_frames(text: str, m: re.Match[str], rate: Fraction) -> int:
    hours, minutes, secs = int(m.group(1)), int(m.group(2)), int(m.group(3))
    drop, frames = m.group(4) == ";", int(m.group(5))
    fps = nominal_fps(rate)
    if minutes > 59:
        raise TimecodeError(f'"{text}": minutes must be 00-59')
    if secs > 59:
        raise TimecodeError(f'"{text}": seconds must be 00-59 (timecode HH:MM:SS:FF at {format_rate(rate)} fps)')
    if frames >= fps:
        raise TimecodeError(
            f'"{text}": frame {frames} does not exist at {format_rate(rate)} fps; '
            f"frames must be 00-{fps - 1:02d}"
        )
    if not drop:
        return ((hours * 60 + minutes) * 60 + secs) * fps + frames
    if rate.denominator != 1001:
        raise TimecodeError(
            f'"{text}": drop-frame timecode (with ";") exists only at 29.97 or 59.94 fps, not at '
            f'{format_rate(rate)}; write "{text.replace(";", ":")}"'
        )
    dropped = 2 * fps // 30  # frame numbers skipped each minute except every tenth
    if secs == 0 and frames < dropped and minutes % 10 != 0:
        raise TimecodeError(f'"{text}": frames 00-{dropped - 1:02d} are skipped in this drop-frame minute')
    total_minutes = hours * 60 + minutes
    nominal = ((hours * 60 + minutes) * 60 + secs) * fps + frames
    return nominal - dropped * (total_minutes - total_minutes // 10)


def seconds_to_frames(seconds: Fraction, rate: Fraction) -> int:
    """Nearest frame to an exact time (halves round up, so 0.5 frames is frame 1)."""
    return math.floor(seconds * rate + Fraction(1, 2))


def frames_to_seconds(frames: int, rate: Fraction) -> Fraction:
    return Fraction(frames) / rate


def seconds_arg(seconds: Fraction) -> str:
    """An exact time written for ffmpeg, floored to the microsecond.

    ffmpeg keeps frames whose timestamp is at or after a seek point; flooring means a frame
    that starts exactly at `seconds` is never lost to rounding.
    """
    micros = math.floor(seconds * 1_000_000)
    whole, frac = divmod(micros, 1_000_000)
    return f"{whole}.{frac:06d}"


def format_rate(rate: Fraction) -> str:
    """25, 30000/1001 ... as a user writes them."""
    return str(rate.numerator) if rate.denominator == 1 else f"{rate.numerator}/{rate.denominator}"


def format_timecode(frames: int, rate: Fraction, drop_frame: bool = False) -> str:
    """HH:MM:SS:FF for messages and proof sheets; `drop_frame` writes HH:MM:SS;FF at 29.97/59.94
    (frame numbers skipped as `parse_time` reads them), as editing systems show NTSC cuts."""
    fps = nominal_fps(rate)
    if drop_frame and rate.denominator == 1001:
        dropped = 2 * fps // 30
        per_ten = fps * 600 - dropped * 9  # real frames in ten minutes
        tens, rest = divmod(frames, per_ten)
        extra = 0 if rest < dropped else dropped * ((rest - dropped) // (fps * 60 - dropped))
        nominal = frames + dropped * 9 * tens + extra
        text = format_timecode(nominal, Fraction(fps))
        return text[:8] + ";" + text[9:]
    secs, ff = divmod(frames, fps)
    mins, ss = divmod(secs, 60)
    hh, mm = divmod(mins, 60)
    return f"{hh:02d}:{mm:02d}:{ss:02d}:{ff:02d}"


def format_seconds(frames: int, rate: Fraction) -> str:
    """A duration for people: 4.52 s."""
    return f"{float(frames_to_seconds(frames, rate)):.2f} s"
