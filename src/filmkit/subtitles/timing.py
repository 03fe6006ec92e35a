"""Timing lines of SRT and WebVTT: strict about what is ambiguous, lenient (with a note) about
what has only one reading.

"00:00:01,5" could mean 1.5 s or 1.005 s, so it is an error; "00:00:01.500" in an SRT file or
"00:00:01" without milliseconds can only mean one thing, so it is read and noted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

ARROW = "-->"
# Arrows people type instead of "-->".
_ARROW = re.compile(r"\s*(?:-->|-- >|- ->|->|–>|—>|=>)\s*")
_LOOSE_TIMING = re.compile(r"^\s*-?\d[\d:.,]*\s*(?:-->|-- >|- ->|->|–>|—>|=>)")
_TIME = re.compile(r"^(?P<neg>-)?(?P<a>\d+):(?P<b>\d+)(?::(?P<c>\d+))?(?:(?P<sep>[,.:;])(?P<frac>\d*))?$")


class TimingError(ValueError):
    """A timing line that has no single reading; the message says what to write instead."""


@dataclass(frozen=True)
class Note:
    """A deviation read in its only possible meaning; `kind` groups repeats in one finding."""

    kind: str
    text: str


@dataclass(frozen=True)
class Timing:
    start: Fraction
    end: Fraction
    notes: tuple[Note, ...]


def is_timing_line(line: str) -> bool:
    """A line that is meant as a timing line (it may still be malformed)."""
    return ARROW in line or bool(_LOOSE_TIMING.match(line))


def parse_timing(line: str, fmt: str) -> Timing:
    """Start and end of a cue from "00:00:01,000 --> 00:00:02,500 [settings]" (fmt: srt or vtt)."""
    parts = _ARROW.split(line.strip(), maxsplit=1)
    notes: list[Note] = []
    if len(parts) != 2:
        raise TimingError(f"{shown(line.strip())} is not a timing line; write {example(fmt)}")
    arrow = _ARROW.search(line.strip())
    if arrow and arrow.group().strip() != ARROW:
        notes.append(Note("arrow", f"the arrow {arrow.group().strip()!r} should be '-->'"))
    left, right = parts[0].strip(), parts[1].strip()
    if not left or not right:
        missing = "start" if not left else "end"
        raise TimingError(f"{shown(line.strip())} has no {missing} time; write {example(fmt)}")
    right = right.split()[0]  # WebVTT cue settings and SubRip X1/Y1 coordinates follow the end time
    start = parse_time(left, fmt, notes)
    end = parse_time(right, fmt, notes)
    if end < start:
        raise TimingError(f"{shown(line.strip())} ends before it starts; swap or correct the times")
    return Timing(start, end, tuple(notes))


def parse_time(token: str, fmt: str, notes: list[Note]) -> Fraction:
    """One time; appends a Note for each deviation that still has a single reading."""
    sep_wanted = "," if fmt == "srt" else "."
    match = _TIME.match(token)
    if not match:
        raise TimingError(f"{shown(token)} is not a time; write {_form(fmt)} such as {_sample(fmt)}")
    if any(len(match[part] or "") > 3 for part in "abc") or len(match["frac"] or "") > 9:
        raise TimingError(f"{shown(token)} has too many digits to be a time (hours, minutes and seconds have at most "
                          f"3 digits each); write {_form(fmt)} such as {_sample(fmt)}")
    if match["neg"]:
        raise TimingError(f"{token!r} is negative; subtitle times start at 00:00:00{sep_wanted}000")
    if match["c"] is None:
        hours, minutes, seconds = "0", match["a"], match["b"]
        if fmt == "srt":
            notes.append(Note("hours", f"{token!r} has no hours ({_form(fmt)})"))
    else:
        hours, minutes, seconds = match["a"], match["b"], match["c"]
    if match["sep"] == ":" or match["sep"] == ";":
        raise TimingError(
            f"{token!r} looks like a timecode with frames (HH:MM:SS:FF); {fmt.upper()} needs {_form(fmt)}: "
            "convert the frames to milliseconds")
    if int(minutes) > 59 or int(seconds) > 59:
        raise TimingError(f"{token!r}: minutes and seconds must be 00-59; write {_form(fmt)}")
    if len(minutes) != 2 or len(seconds) != 2:
        notes.append(Note("digits", f"{token!r} does not write minutes and seconds with 2 digits each"))
    frac = match["frac"]
    if match["sep"] is None or frac == "":
        frac = "000"
        notes.append(Note("millis", f"{token!r} has no milliseconds"))
    elif match["sep"] != sep_wanted:
        notes.append(Note("separator", f"{token!r} uses {match['sep']!r} before the milliseconds instead of "
                                       f"{sep_wanted!r}"))
    if len(frac) != 3:
        whole = f"{int(hours):02d}:{int(minutes):02d}:{int(seconds):02d}"
        as_fraction, as_millis = frac[:3].ljust(3, "0"), frac[-3:].rjust(3, "0")
        need = (f"{token!r} has {len(frac)} digit(s) after {match['sep']!r}; {fmt.upper()} times need exactly 3 "
                "(milliseconds)")
        if as_fraction == as_millis:  # ",0" or ",00": a digit is missing, but both readings agree
            raise TimingError(f"{need}: write {whole}{sep_wanted}{as_millis}")
        raise TimingError(f"{need}, so it could mean {whole}{sep_wanted}{as_fraction} or {whole}{sep_wanted}{as_millis}: "
                          "write the one you mean")
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + Fraction(int(frac), 1000)


def shown(text: str) -> str:
    """A piece of a file for a message: quoted, and clipped when it is long."""
    return repr(text) if len(text) <= 40 else repr(f"{text[:28]}…{text[-8:]}") + f" ({len(text)} characters)"


def format_time(seconds: Fraction, fmt: str) -> str:
    """HH:MM:SS,mmm (srt) or HH:MM:SS.mmm (vtt), floored to the millisecond so a reader that snaps
    to the next frame lands on the same frame."""
    millis = max(0, int(seconds * 1000))  # int() floors positive Fractions
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    sep = "," if fmt == "srt" else "."
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{ms:03d}"


def example(fmt: str) -> str:
    sample = _sample(fmt)
    return f"{sample} --> {sample[:-5]}3{sample[-4:]}"


def _form(fmt: str) -> str:
    return "HH:MM:SS,mmm" if fmt == "srt" else "HH:MM:SS.mmm"


def _sample(fmt: str) -> str:
    return "00:00:01,000" if fmt == "srt" else "00:00:01.000"
