"""What SubRip and WebVTT parsing share: blocks with file lines, cues that are never merged or
dropped silently, and findings that point at the line to fix.

pysrt merged two cues when a blank line was missing; here every timing line starts a cue, a
number line just above a timing line is that cue's number, and anything that cannot be placed
is reported with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from filmkit.subtitles.markup import srt_text, strip_italic_marker, vtt_text
from filmkit.subtitles.model import Cue, Finding, Severity
from filmkit.subtitles.timing import Note, TimingError, example, parse_timing, shown

Line = tuple[int, str]  # (1-based file line, text)
INDEX = re.compile(r"^\s*\d{1,9}\s*$")  # a longer number is no cue's (and 4,300 digits break int())


@dataclass
class ParseState:
    """What parsing a file has found so far (mutable only while one file is parsed)."""

    path: Path
    fmt: str  # "srt" or "vtt"
    cues: list[Cue] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: dict[str, list[tuple[int, Note]]] = field(default_factory=dict)
    position: int = 0  # timing lines seen: a cue's number even when its timing is unreadable
    unnumbered: list[int] = field(default_factory=list)  # timing lines with no number line above
    renumbered: list[tuple[int, int, int]] = field(default_factory=list)  # (line, written, position)
    unknown_tags: list[tuple[int, str]] = field(default_factory=list)
    italic_marks: list[tuple[int, int]] = field(default_factory=list)  # (line, cue) that began with MicroDVD's "/"

    def error(self, line: int | None, message: str, cue: int | None = None) -> None:
        self.findings.append(Finding(self.path, cue, line, "parse", Severity.ERROR, message))

    def warn(self, line: int | None, message: str, cue: int | None = None) -> None:
        self.findings.append(Finding(self.path, cue, line, "parse", Severity.WARNING, message))


def blocks(lines: list[str], first_line: int = 1) -> list[list[Line]]:
    """Runs of non-blank lines, each line with its file line number."""
    out: list[list[Line]] = []
    current: list[Line] = []
    for number, text in enumerate(lines, start=first_line):
        if text.strip():
            current.append((number, text))
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def read_head(state: ParseState, head: list[Line]) -> int | None:
    """Lines above a block's first timing line: the cue's number; anything else is lost text."""
    if not head:
        return None
    *lost, last = head
    if lost:
        orphan(state, lost)
    if INDEX.match(last[1]):
        return int(last[1])
    state.warn(last[0], f"{shown(last[1].strip())} above the timing line is not a cue number (SubRip numbers "
                        "cues 1, 2, 3…); filmkit ignores it. Replace it with the cue number")
    return -1


def split_missing_blank(state: ParseState, body: list[Line], next_timing: Line) -> tuple[list[Line], int | None]:
    """Text of a cue directly followed by another timing line: a number just above that timing
    line is the next cue's number, not text."""
    if body and INDEX.match(body[-1][1]):
        number_line = body[-1]
        what = "number" if state.fmt == "srt" else "id"
        state.warn(number_line[0], f"no blank line before cue {what} {number_line[1].strip()}; filmkit starts a "
                                   f"new cue here. Add a blank line above the {what}")
        return body[:-1], int(number_line[1]) if state.fmt == "srt" else -1
    above = " and the cue number" if state.fmt == "srt" else ""
    state.warn(next_timing[0], "a timing line follows the text of the previous cue without a blank line; "
                               f"filmkit starts a new cue here. Add a blank line{above} above it")
    return body, -1


def read_cue(state: ParseState, timing_line: Line, body: list[Line], written: int | None) -> None:
    state.position += 1
    number, text = timing_line
    if written is None:
        state.unnumbered.append(number)
    elif written >= 0 and written != state.position:
        state.renumbered.append((number - 1, written, state.position))
    try:
        timing = parse_timing(text, state.fmt)
    except TimingError as exc:
        shown = " / ".join(line.strip() for _, line in body)[:60]
        state.error(number, f"{exc}. The cue is not shown ({shown!r})", cue=state.position)
        return
    for note in timing.notes:
        state.notes.setdefault(note.kind, []).append((number, note))
    if state.fmt == "srt":
        body = [(at, _without_italic_marker(state, at, content)) for at, content in body]
    raw = "\n".join(line for _, line in body)
    if state.fmt == "srt":
        plain, unknown = srt_text(raw)
        state.unknown_tags.extend((number, tag) for tag in unknown)
    else:
        plain = vtt_text(raw)
    state.cues.append(Cue(state.position, timing.start, timing.end, plain, number))


def _without_italic_marker(state: ParseState, number: int, text: str) -> str:
    unmarked = strip_italic_marker(text)
    if unmarked is None:
        return text
    state.italic_marks.append((number, state.position))
    return unmarked


def read_timed(state: ParseState, block: list[Line], timings: list[int], written: int | None,
               numbered: bool = True) -> None:
    """Every cue of a block: each timing line with the text up to the next timing line. In a
    numbered format (SubRip) a number just above the next timing line is that cue's number."""
    for k, start in enumerate(timings):
        stop = timings[k + 1] if k + 1 < len(timings) else len(block)
        body = block[start + 1 : stop]
        following = written if not numbered else None
        if k + 1 < len(timings):
            body, number = split_missing_blank(state, body, block[stop])
            following = number if numbered else written
        read_cue(state, block[start], body, written)
        written = following


def orphan(state: ParseState, block: list[Line]) -> None:
    """Text that belongs to no timing line would be lost: always an error."""
    first, last = block[0][0], block[-1][0]
    where = f"lines {first}-{last}" if last > first else f"line {first}"
    if INDEX.match(block[0][1]) and len(block) > 1:
        state.position += 1  # the translator meant a cue: later cues keep their numbers
        state.error(first, f"cue {block[0][1].strip()} has no timing line ({where}), so it is not shown; add one "
                           f"below the number, such as {example(state.fmt)}", cue=state.position)
        return
    shown = " / ".join(text.strip() for _, text in block)[:60]
    state.error(first, f"text that belongs to no cue ({where}: {shown!r}). If it continues the cue above, "
                       "remove the blank line before it; if it is a cue of its own, add a timing line above it")


def summarize(state: ParseState) -> None:
    """Repeated deviations become one finding each, at their first line, with a count."""
    for notes in state.notes.values():
        line, note = notes[0]
        more = f" (and {len(notes) - 1} more timing line(s))" if len(notes) > 1 else ""
        state.warn(line, f"{note.text}{more}; filmkit reads it in its only possible meaning. Write times as "
                         f"{example(state.fmt)}")
    if state.unnumbered and len(state.unnumbered) == state.position and state.position > 1:
        state.warn(None, "no cue has a number line (SubRip puts 1, 2, 3… above each timing line); filmkit numbers "
                         "cues by their position")
    elif state.unnumbered:
        first = state.unnumbered[0]
        more = f" (and {len(state.unnumbered) - 1} more)" if len(state.unnumbered) > 1 else ""
        state.warn(first, f"the cue at line {first} has no number line above its timing line{more}; filmkit "
                          "numbers cues by their position. Add the number")
    if state.renumbered:
        line, written, position = state.renumbered[0]
        more = f" (and {len(state.renumbered) - 1} more)" if len(state.renumbered) > 1 else ""
        state.warn(line, f"cue number {written} is cue {position} of the file{more}; filmkit numbers cues by "
                         f"their position, so findings name cue {position}. Renumber the file 1, 2, 3…")
    if state.italic_marks:
        line, cue = state.italic_marks[0]
        more = f" (and {len(state.italic_marks) - 1} more line(s))" if len(state.italic_marks) > 1 else ""
        state.warn(line, f"the line starts with '/', MicroDVD's italic marker, which SubRip players show as a slash"
                         f"{more}; filmkit removes it. Delete the '/' (or write <i>...</i> for italics)", cue=cue)
    if state.unknown_tags:
        line, tag = state.unknown_tags[0]
        more = f" (and {len(state.unknown_tags) - 1} more)" if len(state.unknown_tags) > 1 else ""
        state.warn(line, f"{tag} is not a SubRip tag, so it appears as text on screen{more}; remove it or use "
                         "<i>, <b>, <u>")
