"""Read a translator's subtitle file, whatever its format and encoding, into the cue model.

A file that cannot be read at all raises `SubtitleError` (one paragraph: file, line, what is
wrong, how to fix); anything recoverable is read and reported in `SubtitleFile.findings`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from filmkit.errors import SubtitleError
from filmkit.paths import not_a_file
from filmkit.subtitles.encoding import decode, detect_encoding, split_lines
from filmkit.subtitles.langs import guess_lang
from filmkit.subtitles.model import Cue, Finding, Severity, SubtitleFile
from filmkit.subtitles.srt import parse_srt
from filmkit.subtitles.ssa import is_ass, parse_ass
from filmkit.subtitles.timing import is_timing_line
from filmkit.subtitles.vtt import is_webvtt, parse_vtt

__all__ = ["detect_encoding", "load_subtitles"]

MAX_BYTES = 32 * 1024 * 1024
FORMATS = {".srt": "srt", ".vtt": "vtt", ".webvtt": "vtt", ".ass": "ass", ".ssa": "ass"}


def load_subtitles(path: Path, *, lang: str | None = None, encoding: str | None = None) -> SubtitleFile:
    """Every cue of `path` with its file line; `lang` (default: guessed from the file name) helps
    encoding detection, `encoding` overrides it."""
    path = Path(path)
    data = _read(path)
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise SubtitleError(f"{path}: the file is empty; export the subtitles again (SRT, WebVTT or ASS)")
    decoded = decode(data, path, lang=lang or guess_lang(path), encoding=encoding)
    if "\x00" in decoded.text:
        raise SubtitleError(f"{path}: the file contains NUL bytes, so it is not a text subtitle file (a video, or a "
                            "word-processor document?). Export the subtitles as SRT, WebVTT or ASS")
    lines = split_lines(decoded.text)
    fmt, notes = _format(path, lines)
    parser = {"srt": parse_srt, "vtt": parse_vtt, "ass": parse_ass}[fmt]
    cues, parse_findings = parser(lines, path)
    if not cues:
        raise SubtitleError(_no_cues(path, fmt, parse_findings))
    encoding_findings = [_with_cue(finding, cues) for finding in decoded.findings]
    findings = [*encoding_findings, *notes, *sorted(parse_findings, key=lambda f: f.line or 0)]
    return SubtitleFile(path, fmt, decoded.encoding, tuple(cues), tuple(findings))


def _with_cue(finding: Finding, cues: list[Cue]) -> Finding:
    """An encoding finding on a text line names the cue that line belongs to."""
    if finding.line is None:
        return finding
    owner = next((cue for cue in reversed(cues) if cue.line <= finding.line), None)
    return replace(finding, cue=owner.number) if owner else finding


def _read(path: Path) -> bytes:
    problem = not_a_file(path) if path.exists() or path.is_symlink() else None
    if problem is not None:  # a FIFO or a device would block or never end
        raise SubtitleError(f"{path}: {problem}")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SubtitleError(f"{path}: the file is {size:,} bytes; a subtitle file is at most {MAX_BYTES:,} bytes "
                                "(a feature film's is about 100 KB). Is this the right file?")
        return path.read_bytes()
    except FileNotFoundError:
        raise SubtitleError(f"{path}: no such file; check the path (relative paths are relative to the project "
                            "file or the current folder)") from None
    except IsADirectoryError:
        raise SubtitleError(f"{path}: is a folder, not a subtitle file; name the .srt, .vtt or .ass file") from None
    except OSError as exc:
        raise SubtitleError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from None


def _format(path: Path, lines: list[str]) -> tuple[str, list[Finding]]:
    """The format the content is in; the extension only decides when the content does not."""
    first = next((line.strip() for line in lines if line.strip()), "")
    by_name = FORMATS.get(path.suffix.lower())
    if is_webvtt(first):
        fmt = "vtt"
    elif is_ass(lines):
        fmt = "ass"
    elif any(is_timing_line(line) for line in lines):
        fmt = "srt" if by_name != "vtt" else "vtt"
    else:
        raise SubtitleError(
            f"{path}: no timing line (such as 00:00:01,000 --> 00:00:03,000) and no ASS [Events] section, so this is "
            "not a subtitle file filmkit reads. Export it as SRT, WebVTT or ASS")
    notes = []
    if by_name and by_name != fmt:
        names = {"srt": "SubRip (.srt)", "vtt": "WebVTT (.vtt)", "ass": "ASS/SSA (.ass)"}
        notes.append(Finding(path, None, 1, "parse", Severity.WARNING,
                             f"the file is named {path.suffix} but its content is {names[fmt]}; filmkit reads it as "
                             f"{names[fmt]}. Rename it so other tools read it correctly"))
    return fmt, notes


def _no_cues(path: Path, fmt: str, findings: list[Finding]) -> str:
    problems = [f for f in findings if f.severity is Severity.ERROR]
    if not problems:
        return f"{path}: the {fmt.upper()} file has no cues; export the subtitles again"
    shown = "; ".join(f"line {f.line}: {f.message}" for f in problems[:3])
    more = f" ({len(problems) - 3} more problems)" if len(problems) > 3 else ""
    return f"{path}: no cue can be read. {shown}{more}. Fix these lines and try again"

