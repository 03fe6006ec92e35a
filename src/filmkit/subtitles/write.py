"""Clean subtitle files for translators and platforms: UTF-8 without BOM, LF, cues renumbered.

Files are written beside the target and moved into place, so an interrupted write never
leaves half a file where a good one was.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from pathlib import Path

from filmkit.atomic import write_atomic
from filmkit.errors import SubtitleError
from filmkit.subtitles.limits import format_number
from filmkit.subtitles.markup import ass_literal, srt_literal, vtt_literal
from filmkit.subtitles.model import Cue, Severity, SubtitleFile
from filmkit.subtitles.timing import format_time

WRITERS = (".srt", ".vtt", ".ass")
ASS_LIMIT = Fraction(10 * 3600)  # H:MM:SS.cc


class Shifted(tuple[Cue, ...]):
    """Shifted cues, with a note for each cue whose start had to be clamped to 0."""

    notes: tuple[str, ...]

    def __new__(cls, cues: Iterable[Cue], notes: Iterable[str] = ()) -> Shifted:
        self = super().__new__(cls, tuple(cues))
        self.notes = tuple(notes)
        return self


def render_srt(cues: Sequence[Cue]) -> str:
    blocks = _numbered_blocks(cues, "srt", srt_literal)
    return "\n\n".join(blocks) + "\n" if blocks else ""


def render_vtt(cues: Sequence[Cue]) -> str:
    return "WEBVTT\n\n" + "\n\n".join(_numbered_blocks(cues, "vtt", vtt_literal)) + "\n"


def _numbered_blocks(cues: Sequence[Cue], fmt: str, literal: Callable[[str], str]) -> list[str]:
    """"1\\n00:00:01,000 --> 00:00:02,000\\ntext" per cue, renumbered, text escaped for `fmt`."""
    return [f"{number}\n{format_time(cue.start, fmt)} --> {format_time(cue.end, fmt)}\n{literal(cue.text)}".rstrip("\n")
            for number, cue in enumerate(cues, start=1)]


def render_ass(cues: Sequence[Cue]) -> str:
    """A plain ASS file with pysubs2's default style (filmkit's styled burn-in ASS is built in ass.py)."""
    import pysubs2

    late = next((cue for cue in cues if cue.end >= ASS_LIMIT), None)
    if late is not None:  # pysubs2 would clamp it to 9:59:59.99 without a word
        raise SubtitleError(f"cue {late.number} (line {late.line}) ends at {format_time(late.end, 'srt')}; an ASS time "
                            "has one digit for hours (H:MM:SS.cc), so cues must end before 10:00:00. Write SRT or "
                            "WebVTT instead, or fix the time")
    document = pysubs2.SSAFile()
    for cue in cues:
        document.append(pysubs2.SSAEvent(start=_millis(cue.start), end=_millis(cue.end), text=ass_literal(cue.text)))
    return document.to_string("ass").replace("\r\n", "\n")


def write_srt(cues: Sequence[Cue], path: Path) -> None:
    _write(Path(path), render_srt(cues))


def write_vtt(cues: Sequence[Cue], path: Path) -> None:
    _write(Path(path), render_vtt(cues))


def write_ass(cues: Sequence[Cue], path: Path) -> None:
    _write(Path(path), render_ass(cues))


def write_subtitles(cues: Sequence[Cue], path: Path) -> None:
    """SRT, WebVTT or ASS, chosen by the extension of `path`."""
    path = Path(path)
    writer = {".srt": write_srt, ".vtt": write_vtt, ".ass": write_ass}.get(path.suffix.lower())
    if writer is None:
        raise SubtitleError(f"{path}: cannot write {path.suffix or 'a file without extension'}; name the output "
                            f"{path.stem}.srt, {path.stem}.vtt or {path.stem}.ass")
    writer(cues, path)


def shift(cues: Sequence[Cue], seconds: Fraction) -> Shifted:
    """Every cue moved by `seconds` (negative: earlier). A cue that would end at or before 0 is an
    error; one that would start before 0 but end after it starts at 0, and `.notes` says so."""
    seconds = Fraction(seconds)
    lost = [cue for cue in cues if cue.end + seconds <= 0]
    if lost:
        first = min(lost, key=lambda cue: cue.end)
        raise SubtitleError(
            f"shifting by {format_number(seconds)} s moves {len(lost)} cue(s) entirely before 00:00:00: cue "
            f"{first.number} (line {first.line}) ends at {format_time(first.end, 'srt')}. Shift by less than "
            f"{format_number(first.end)} s earlier, or delete those cues first")
    moved, notes = [], []
    for cue in cues:
        start, end = cue.start + seconds, cue.end + seconds
        if start < 0:
            notes.append(f"cue {cue.number} (line {cue.line}) would start {format_number(-start)} s before "
                         "00:00:00; it now starts at 00:00:00")
            start = Fraction(0)
        moved.append(Cue(cue.number, start, end, cue.text, cue.line))
    return Shifted(moved, notes)


@dataclass(frozen=True)
class Conversion:
    """What `convert` read, what it wrote, and a note for each cue it left out."""

    loaded: SubtitleFile
    written: tuple[Cue, ...]
    notes: tuple[str, ...]


def convert(src: Path, dst: Path, *, lang: str | None = None, encoding: str | None = None) -> Conversion:
    """`src` in any format and encoding written to `dst` as clean UTF-8 (format by extension).

    Mojibake is repaired on the way; a file whose cues cannot all be read is refused, since the
    copy would silently lack them. A cue with no text is left out with a note: it shows nothing,
    lint counts it an error, and in SubRip an empty cue is a block that many players misread.
    `lang` and `encoding` are those of `load_subtitles`.
    """
    from filmkit.subtitles.load import load_subtitles

    src, dst = Path(src), Path(dst)
    if dst.suffix.lower() not in WRITERS:
        raise SubtitleError(f"{dst}: cannot write {dst.suffix or 'a file without extension'}; name the output "
                            f"{dst.stem}.srt, {dst.stem}.vtt or {dst.stem}.ass")
    loaded = load_subtitles(src, lang=lang, encoding=encoding)
    refuse_lost_text(loaded, "convert")
    written = tuple(cue for cue in loaded.cues if cue.text.strip())
    if not written:
        raise SubtitleError(f"{src}: every one of its {len(loaded.cues)} cue(s) is empty, so there is nothing to "
                            f"write to {dst}. Write the text of the cues (or export the subtitles again)")
    notes = tuple(f"cue {cue.number} (line {cue.line}, {format_time(cue.start, 'srt')}) has no text; it is left out "
                  "of the converted file" for cue in loaded.cues if not cue.text.strip())
    write_subtitles(written, dst)
    return Conversion(loaded, written, notes)


def shift_file(src: Path, seconds: Fraction, dst: Path | None = None, *, lang: str | None = None,
               encoding: str | None = None) -> tuple[SubtitleFile, Shifted]:
    """Every cue of `src` moved by `seconds`, written to `dst` (default: over `src`) as clean UTF-8.

    Refused, like `convert`, when a cue cannot be read: writing over the translator's file would
    delete it for good. Only times change: an empty cue stays (lint reports it).
    """
    from filmkit.subtitles.load import load_subtitles

    src = Path(src)
    loaded = load_subtitles(src, lang=lang, encoding=encoding)
    refuse_lost_text(loaded, "shift")
    moved = shift(loaded.cues, seconds)
    write_subtitles(moved, dst or src)
    return loaded, moved


def refuse_lost_text(loaded: SubtitleFile, action: str) -> None:
    """SubtitleError when writing `loaded` back out would drop cues or text it could not read:
    unreadable cues, and bytes that were not valid in the file's encoding (U+FFFD in the text)."""
    lost = [f for f in loaded.findings if f.severity is Severity.ERROR
            and (f.code == "parse" or (f.code == "encoding" and "\ufffd" in f.message))]
    if lost:
        shown = "; ".join(f"line {f.line}: {f.message}" for f in lost[:3])
        more = f" ({len(lost) - 3} more)" if len(lost) > 3 else ""
        raise SubtitleError(f"{loaded.path}: {len(lost)} problem(s) would lose text if filmkit wrote the file out "
                            f"({action}). {shown}{more}. Fix these lines, then {action} again")


def _millis(seconds: Fraction) -> int:
    """Milliseconds floored to the centisecond, all ASS holds: floored like the SRT and WebVTT
    times (pysubs2 would round 28.209 s up to 28.21)."""
    return max(0, int(seconds * 100) * 10)


def _write(path: Path, text: str) -> None:
    """UTF-8, no BOM, LF, moved into place atomically (a file written over keeps its permissions)."""
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else None
    except OSError:
        mode = None
    write_atomic(path, text, mode=mode, what="the subtitle file")
