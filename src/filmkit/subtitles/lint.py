"""Is a subtitle file readable on screen? Reading speed, line length, lines, durations, gaps,
overlaps, empty cues, cues past the end of the film, punctuation of right-to-left lines saved
in visual order, cues against the film's cuts (when the cuts are known), plus what loading found.

Each message names the value, the limit and the limit's source ("45 characters; the limit
is 42 (Netflix, English)"), so a translator knows what to change and why.
Glyph coverage depends on the fonts and is checked elsewhere.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from filmkit.subtitles.langs import guess_lang, is_rtl, language_name
from filmkit.subtitles.limits import Limits, format_number, limits_for
from filmkit.subtitles.model import Cue, Finding, Severity, SubtitleFile
from filmkit.subtitles.shots import SOURCE as SHOT_SOURCE
from filmkit.subtitles.shots import ShotChecker
from filmkit.subtitles.timing import format_time

__all__ = ["count_characters", "guess_lang", "lint", "lint_cuts"]

_WIDE = ("W", "F", "A")  # full-width, and ambiguous (CJK punctuation such as … and “ is full-width there)
# Punctuation that ends a sentence or clause; at the start of a right-to-left line it means the
# line was stored in visual order (as it looks) by an old tool, not in reading order.
_CLOSING = frozenset(".,!?:;…،؟؛")
_INVISIBLE = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069 \t"


def lint(subs: SubtitleFile, *, lang: str | None, fps: Fraction = Fraction(25), vertical: bool = False,
         film_end: Fraction | None = None, limits_override: dict[str, Any] | None = None,
         cuts: Sequence[int] | None = None) -> list[Finding]:
    """Every finding about `subs`: what loading noticed, then each check, in file order.

    `cuts` are the record frames (at `fps`) where the film changes shot, from the project
    (`shots.shot_changes(timeline)`); with them, cues are checked against the cuts.
    """
    limits = limits_for(lang, limits_override)
    checker = _Checker(subs, limits, Fraction(fps), vertical, film_end)
    findings = list(subs.findings)
    for cue in subs.cues:
        findings.extend(checker.cue(cue))
    findings.extend(checker.timeline())
    if cuts:
        findings.extend(lint_cuts(subs, cuts=cuts, fps=Fraction(fps)))
    return sorted(findings, key=lambda f: (f.line or 0, f.cue or 0))


def lint_cuts(subs: SubtitleFile, *, cuts: Sequence[int], fps: Fraction) -> list[Finding]:
    """Only the `shot-change` warnings: each cue against the cuts (record frames at `fps`, from
    `shots.shot_changes(timeline)`), for a caller that has linted the rest (`filmkit check`)."""
    fmt = "srt" if subs.format == "srt" else "vtt"
    checker = ShotChecker(cuts, Fraction(fps), lambda seconds: format_time(seconds, fmt))
    return [Finding(subs.path, cue.number, cue.line, "shot-change", Severity.WARNING, f"{problem} ({SHOT_SOURCE})")
            for cue in subs.cues if cue.text.strip() for problem in checker.problems(cue)]


def count_characters(line: str, fullwidth: bool = False) -> Fraction:
    """Characters as Netflix counts them (data/subtitle_limits.yaml): spaces and punctuation count;
    combining marks and invisible format characters do not; with `fullwidth`, half-width ones
    count 0.5."""
    if line.isascii() and line.isprintable():  # most lines: every character counts, half-width
        return Fraction(len(line), 2 if fullwidth else 1)
    return Fraction(sum(_halves(ch, fullwidth) for ch in line), 2)


@functools.lru_cache(maxsize=1 << 16)
def _halves(ch: str, fullwidth: bool) -> int:
    """What one character counts, in halves (integers: 100k-cue files lint in seconds)."""
    if unicodedata.category(ch) in ("Mn", "Mc", "Me", "Cf", "Cc"):
        return 0
    return 2 if not fullwidth or unicodedata.east_asian_width(ch) in _WIDE else 1


class _Checker:
    """The checks, sharing the file, its limits and the time format of its messages."""

    def __init__(self, subs: SubtitleFile, limits: Limits, fps: Fraction, vertical: bool,
                 film_end: Fraction | None) -> None:
        self.subs, self.limits, self.fps, self.vertical, self.film_end = subs, limits, fps, vertical, film_end
        self.fmt = "srt" if subs.format == "srt" else "vtt"

    def finding(self, cue: Cue, code: str, severity: Severity, message: str) -> Finding:
        return Finding(self.subs.path, cue.number, cue.line, code, severity, message)

    def time(self, seconds: Fraction) -> str:
        return format_time(seconds, self.fmt)

    def cue(self, cue: Cue) -> list[Finding]:
        if not cue.text.strip():
            return [self.finding(cue, "empty", Severity.ERROR,
                                 "the cue has no text, so nothing is shown; write its text or delete the cue"),
                    *self.beyond_end(cue)]
        return [*self.cps(cue), *self.cpl(cue), *self.lines(cue), *self.duration(cue), *self.beyond_end(cue),
                *self.rtl_punctuation(cue)]

    def cps(self, cue: Cue) -> list[Finding]:
        if cue.duration <= 0:
            return []  # never shown: min-duration says so
        chars = sum((count_characters(line, self.limits.fullwidth) for line in cue.lines), Fraction(0))
        speed = chars / cue.duration
        limit = self.limits.cps
        if speed <= limit.value:
            return []
        return [self.finding(cue, "cps", Severity.WARNING,
                             f"{float(speed):.1f} characters per second ({format_number(chars)} characters, spaces "
                             f"included, in {float(cue.duration):.2f} s); the limit is {limit} ({limit.source}). "
                             "Shorten the text or keep the cue on screen longer")]

    def cpl(self, cue: Cue) -> list[Finding]:
        limit = self.limits.cpl
        unit = "full-width characters" if self.limits.fullwidth else "characters"
        out = []
        for index, line in enumerate(cue.lines, start=1):
            length = count_characters(line, self.limits.fullwidth)
            if length > limit.value:
                out.append(self.finding(cue, "cpl", Severity.WARNING,
                                        f"line {index} of the cue has {format_number(length)} {unit}; the limit is "
                                        f"{limit} {unit} per line ({limit.source}): {line!r}. Break or shorten it"))
        return out

    def lines(self, cue: Cue) -> list[Finding]:
        limit = self.limits.lines_vertical if self.vertical else self.limits.lines
        count = len(cue.lines)
        if count <= limit.value:
            return []
        note = "" if self.vertical else f"; {self.limits.lines_vertical} only on a 9:16 frame (BBC)"
        return [self.finding(cue, "lines", Severity.WARNING,
                             f"{count} lines; the limit is {limit} ({limit.source}){note}. Shorten the text or split "
                             "the cue in two")]

    def duration(self, cue: Cue) -> list[Finding]:
        low, high = self.limits.min_duration, self.limits.max_duration
        seconds = f"{float(cue.duration):.2f} s"
        if cue.duration < low.value:
            never = " (start = end: it is never shown)" if cue.duration == 0 else ""
            return [self.finding(cue, "min-duration", Severity.WARNING,
                                 f"on screen for {seconds}{never}; the minimum is {_seconds(low.value)} "
                                 f"({low.source}). Keep it on screen longer or join it to a neighbour")]
        if cue.duration > high.value:
            return [self.finding(cue, "max-duration", Severity.WARNING,
                                 f"on screen for {seconds}; the maximum is {_seconds(high.value)} ({high.source}). "
                                 "Split it in two")]
        return []

    def rtl_punctuation(self, cue: Cue) -> list[Finding]:
        if not is_rtl(self.limits.lang):
            return []
        out = []
        for index, line in enumerate(cue.lines, start=1):
            visible = line.lstrip(_INVISIBLE)
            lead = len(visible) - len(visible.lstrip("".join(_CLOSING) + " "))
            if not lead or not any(ch.isalpha() for ch in visible):
                continue
            moved = f"{visible[lead:].rstrip()}{visible[:lead].strip()}"
            name = language_name(self.limits.lang)
            out.append(self.finding(cue, "rtl-punctuation", Severity.WARNING,
                                    f"line {index} of the cue starts with {visible[:lead].strip()!r}: in {name}, "
                                    "written right to left, that punctuation belongs at the end of the line. The "
                                    "file was probably saved in visual order (as it looks, not as it is read) by an "
                                    f"old tool; write it in reading order: {moved!r}"))
        return out

    def beyond_end(self, cue: Cue) -> list[Finding]:
        if self.film_end is None or cue.end <= self.film_end:
            return []
        end = self.time(self.film_end)
        if cue.start >= self.film_end:
            what = f"starts at {self.time(cue.start)}, at or after the end of the film ({end}), so it is never shown"
        else:
            what = f"ends at {self.time(cue.end)}, after the end of the film ({end}), so it is cut short"
        return [self.finding(cue, "beyond-end", Severity.ERROR,
                             f"{what}; cues must end by the end of the cut in the project. Retime it, or check that "
                             "the file is for this cut (`filmkit subs shift` moves every cue)")]

    def timeline(self) -> list[Finding]:
        """Overlaps and short gaps, in time order; cues written out of order."""
        out: list[Finding] = []
        shown = [cue for cue in self.subs.cues if cue.text.strip()]
        for before, cue in zip(shown, shown[1:]):
            if cue.start < before.start:
                out.append(self.finding(cue, "order", Severity.WARNING,
                                        f"starts at {self.time(cue.start)}, before cue {before.number} above it "
                                        f"(line {before.line}, {self.time(before.start)}); filmkit shows cues by "
                                        "time, but put them in time order so others read the file right"))
        latest: Cue | None = None  # the cue that ends last among those that start earlier
        gap_limit = self.limits.gap_frames
        for cue in sorted(shown, key=lambda c: (c.start, c.end, c.number)):
            if latest is not None:
                if cue.start < latest.end:
                    out.append(self.overlap(cue, latest))
                elif 0 < (frames := (cue.start - latest.end) * self.fps) < gap_limit.value:
                    out.append(self.finding(
                        cue, "gap", Severity.WARNING,
                        f"starts {format_number(frames)} frame(s) ({float(cue.start - latest.end) * 1000:.0f} ms) "
                        f"after cue {latest.number} ends; the minimum gap is {gap_limit} frames at "
                        f"{format_number(self.fps)} fps ({gap_limit.source}). Close the gap or open it to "
                        f"{gap_limit} frames"))
            if latest is None or cue.end > latest.end:
                latest = cue
        return out

    def overlap(self, cue: Cue, other: Cue) -> Finding:
        amount = float(min(cue.end, other.end) - cue.start)
        return self.finding(cue, "overlap", Severity.ERROR,
                            f"starts at {self.time(cue.start)}, before cue {other.number} (line {other.line}) ends at "
                            f"{self.time(other.end)}: {amount:.3f} s with both on screen at once; cues must not "
                            f"overlap, and should be at least {self.limits.gap_frames} frames apart "
                            f"({self.limits.gap_frames.source}). Move this start or the other cue's end")


def _seconds(value: Fraction) -> str:
    """"7 s", or "5/6 s (0.83 s)"."""
    if value.denominator == 1:
        return f"{value.numerator} s"
    return f"{value.numerator}/{value.denominator} s ({float(value):.2f} s)"
