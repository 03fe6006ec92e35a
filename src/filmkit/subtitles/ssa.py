"""ASS/SSA reader for translators' files: the [Events] section, one cue per Dialogue line.

Only the words and times matter (filmkit burns its own style), but each cue keeps its file
line, which pysubs2 does not record, so events are read here; pysubs2 writes ASS.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from filmkit.errors import SubtitleError
from filmkit.subtitles.markup import ass_text
from filmkit.subtitles.model import Cue, Finding, Severity
from filmkit.subtitles.timing import is_timing_line
from filmkit.subtitles.timing import shown as quoted

_SECTION = re.compile(r"^\s*\[(.+)\]\s*$")
_ASS_TIME = re.compile(r"^(\d{1,3}):(\d{1,2}):(\d{1,2})[.:](\d{1,9})$")
_WRAP_STYLE = re.compile(r"^\s*WrapStyle\s*:\s*(\d)", re.IGNORECASE)
DEFAULT_FORMAT = ("layer", "start", "end", "style", "name", "marginl", "marginr", "marginv", "effect", "text")


def is_ass(lines: list[str]) -> bool:
    """ASS and SSA files start with (or soon have) a [Script Info] or [Events] section."""
    head = []
    for line in lines[:40]:
        if is_timing_line(line):
            break  # a SubRip or WebVTT cue: "[Events]" below it is a cue's text
        if line.strip():
            head.append(line.strip().lower())
    return bool(head) and (head[0] == "[script info]" or "[events]" in head)


def parse_ass(lines: list[str], path: Path) -> tuple[list[Cue], list[Finding]]:
    """Cues of the Dialogue lines in file order; unreadable times are errors naming the line."""
    cues: list[Cue] = []
    findings: list[Finding] = []
    section = ""
    fields: tuple[str, ...] | None = None
    position = 0
    seen_events = False
    wrap_style = _wrap_style(lines)
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if match := _SECTION.match(line):
            section = match.group(1).strip().lower()
            seen_events = seen_events or section == "events"
            continue
        if section != "events" or ":" not in line:
            continue
        kind, _, rest = line.partition(":")
        kind = kind.strip().lower()
        if kind == "format":
            fields = tuple(name.strip().lower() for name in rest.split(","))
            continue
        if kind != "dialogue":
            continue  # Comment, Picture, Sound, Movie, Command: nothing shown
        position += 1
        if fields is None:
            findings.append(Finding(path, position, number, "parse", Severity.WARNING,
                                    "Dialogue line before the Format line of [Events]; filmkit assumes the ASS "
                                    "default (Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, "
                                    "Text). Add the Format line"))
            fields = DEFAULT_FORMAT
        cue = _dialogue(rest, fields, position, number, path, findings, wrap_style)
        if cue is not None:
            cues.append(cue)
    if not seen_events:
        raise SubtitleError(f"{path}: an ASS/SSA file with no [Events] section, so it has no subtitles. Add the "
                            "section with a Format line and Dialogue lines, or export the file again")
    return cues, findings


def _wrap_style(lines: list[str]) -> int:
    """[Script Info] WrapStyle (0 when absent): under 2, and only then, \\n is a line break."""
    section = ""
    for raw in lines:
        if match := _SECTION.match(raw.strip()):
            section = match.group(1).strip().lower()
        elif section == "script info" and (match := _WRAP_STYLE.match(raw)):
            return int(match.group(1))
    return 0


def _dialogue(rest: str, fields: tuple[str, ...], position: int, number: int, path: Path,
              findings: list[Finding], wrap_style: int) -> Cue | None:
    values = [value.strip() for value in rest.split(",", len(fields) - 1)]
    if len(values) < len(fields) or "text" not in fields or "start" not in fields or "end" not in fields:
        findings.append(Finding(path, position, number, "parse", Severity.ERROR,
                                f"this Dialogue line has {len(values)} fields but the Format line names "
                                f"{len(fields)} ({', '.join(fields)}); the cue is not shown. Fix the commas"))
        return None
    record = dict(zip(fields, values))
    try:
        start = _time(record["start"])
        end = _time(record["end"])
    except ValueError as exc:
        findings.append(Finding(path, position, number, "parse", Severity.ERROR, f"{exc}; the cue is not shown"))
        return None
    if end < start:
        findings.append(Finding(path, position, number, "parse", Severity.ERROR,
                                f"the cue ends ({record['end']}) before it starts ({record['start']}); the cue is not "
                                "shown. Swap or correct the times"))
        return None
    return Cue(position, start, end, ass_text(record["text"], wrap_style=wrap_style), number)


def _time(value: str) -> Fraction:
    """H:MM:SS.cc (SSA also writes H:MM:SS:cc); other digit counts would be misread by libass."""
    match = _ASS_TIME.match(value)
    if not match:
        shown = quoted(value) if value else "an empty time"
        raise ValueError(f"{shown} is not an ASS time; write H:MM:SS.cc such as 0:00:01.50")
    hours, minutes, seconds, centis = match.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        raise ValueError(f"{value!r}: minutes and seconds must be 00-59 (H:MM:SS.cc)")
    if len(centis) != 2:
        raise ValueError(f"{value!r} has {len(centis)} digit(s) after the seconds; ASS times need exactly 2 "
                         "(hundredths of a second), e.g. 0:00:01.50")
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + Fraction(int(centis), 100)
