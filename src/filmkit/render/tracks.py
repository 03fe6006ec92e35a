"""Prepare subtitles for a render: find each language's file, read, lint, choose fonts, write.

Everything that can stop a burn is found here, before ffmpeg starts: a missing or unreadable
file, lint errors, characters no installed font can draw. What is written (the styled ASS
file and a folder linking the chosen fonts for libass) goes in a work folder the render owns.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from filmkit.errors import FilmkitError, ProjectError, SubtitleError
from filmkit.graph import Burn
from filmkit.platform.safearea import SafeArea
from filmkit.project import LoadedProject, Timeline
from filmkit.project.schema import SubtitleStyle
from filmkit.subtitles.ass import AssStyle, Box, PlacedCue, Track, faces_used, place_cues, write_ass
from filmkit.subtitles.model import Cue, Finding, Severity, SubtitleFile
from filmkit.text.faces import FaceSet, FontMissingError
from filmkit.text.fonts import FontChoice, link_font_file, script_of
from filmkit.text.runs import itemize, missing, surely_drawable

SUBTITLE_SUFFIXES = (".srt", ".vtt", ".ass", ".ssa")
NO_SUBTITLES = "none"  # `subtitles: files: {en: none}`: a language deliberately without subtitles


@dataclass(frozen=True)
class LanguageTrack:
    lang: str
    file: SubtitleFile
    cues: tuple[Cue, ...]  # snapped to frames and clipped to the film
    fonts: dict[str, FontChoice]
    findings: tuple[Finding, ...]


def parse_langs(value: str) -> list[str]:
    """"ru" or "en+ru" (bilingual, first above second)."""
    langs = [part.strip() for part in value.split("+")]
    if not 1 <= len(langs) <= 2 or not all(langs):  # "en+" would quietly burn English alone
        raise FilmkitError(f"--lang {value!r}: give one language (ru) or two joined by + (en+ru)")
    if len(langs) == 2 and langs[0] == langs[1]:
        raise FilmkitError(f"--lang {value!r}: the two languages of a bilingual burn must differ (e.g. en+ru)")
    return langs


def available_languages(loaded: LoadedProject) -> dict[str, Path]:
    """Language -> subtitle file, from `subtitles.files` and `subtitles.dir`."""
    config = loaded.project.subtitles
    if config is None:
        return {}
    found: dict[str, Path] = {}
    if config.dir is not None:
        folder = loaded.resolve(config.dir)
        if not folder.is_dir():
            raise ProjectError([loaded.locations.problem(("subtitles", "dir"), f"{folder} is not a folder; create it or fix the path")])
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in SUBTITLE_SUFFIXES and not path.name.startswith("."):
                found.setdefault(path.stem, path)
    for lang, relative in config.files.items():
        if lang in without_subtitles(loaded):
            found.pop(lang, None)
        else:
            found[lang] = loaded.resolve(str(relative))
    return found


def without_subtitles(loaded: LoadedProject) -> frozenset[str]:
    """Languages the project declares as shown without subtitles (`en: none` under `files:`)."""
    config = loaded.project.subtitles
    if config is None:
        return frozenset()
    return frozenset(lang for lang, value in config.files.items() if value is None or value.strip().lower() == NO_SUBTITLES)


def subtitle_file_for(loaded: LoadedProject, lang: str) -> Path:
    files = available_languages(loaded)
    if lang not in files:
        have = ", ".join(sorted(files)) or "none"
        where = ("subtitles", "files") if loaded.project.subtitles else ()
        raise ProjectError([loaded.locations.problem(
            where, f"no subtitles for language {lang!r}; this project has: {have}. "
                   f"Add `{lang}: subs/{lang}.srt` under `subtitles: files:` (or a {lang}.srt in `subtitles: dir`)")])
    path = files[lang]
    if not path.is_file():
        key = ("subtitles", "files", lang) if lang in (loaded.project.subtitles.files if loaded.project.subtitles else {}) else ("subtitles", "dir")
        raise ProjectError([loaded.locations.problem(key, f"{path}: subtitle file not found; check the path (relative to the project file)")])
    return path


def prepare_track(loaded: LoadedProject, timeline: Timeline, lang: str, *, vertical: bool = False) -> LanguageTrack:
    """Read, lint and fit one language for this timeline; SubtitleError when it cannot be burned."""
    from filmkit.subtitles.lint import lint
    from filmkit.subtitles.load import load_subtitles
    from filmkit.subtitles.shots import shot_changes

    path = subtitle_file_for(loaded, lang)  # first: it says what to add when there is no `subtitles:` at all
    config = loaded.project.subtitles
    assert config is not None
    subs = load_subtitles(path, lang=lang, encoding=config.encoding.get(lang))
    findings = lint(subs, lang=lang, fps=timeline.fps, vertical=vertical, film_end=timeline.cut_duration,
                    limits_override=config.limits or None, cuts=shot_changes(timeline))
    cues = tuple(cue for cue in (snap_to_frames(c, timeline) for c in subs.cues) if cue is not None)
    faces, fonts = choose_faces(cues, lang, config.style, loaded.folder)
    glyphs = glyph_findings(subs, cues, faces)
    findings = tuple([*findings, *glyphs])
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors:
        shown = "\n".join(f"  {finding}" for finding in errors[:12])
        more = f"\n  ... and {len(errors) - 12} more" if len(errors) > 12 else ""
        raise SubtitleError(
            f"{path}: {len(errors)} problem(s) stop the burn-in of {lang!r}:\n{shown}{more}\n"
            f"Fix them in the file (see `filmkit subs lint {path}`), then render again"
        )
    return LanguageTrack(lang, subs, cues, fonts, findings)


def snap_to_frames(cue: Cue, timeline: Timeline) -> Cue | None:
    """Start and end on frame boundaries (the first frame at or after each time), inside the film."""
    fps = timeline.fps
    start = Fraction(math.ceil(cue.start * fps)) / fps
    end = min(Fraction(math.ceil(cue.end * fps)) / fps, timeline.cut_duration)
    if end <= start:
        return None
    return Cue(cue.number, start, end, cue.text, cue.line)


def faces_for(lang: str, style: SubtitleStyle | None, project_dir: Path | None) -> FaceSet:
    """The faces a language's subtitles are drawn with (the style's font override, if any)."""
    return FaceSet(lang, style.font if style else None, project_dir)


def choose_faces(cues: tuple[Cue, ...], lang: str, style: SubtitleStyle,
                 project_dir: Path) -> tuple[FaceSet, dict[str, FontChoice]]:
    """A face for every run of every cue, chosen before anything renders (SubtitleError if none);
    also the faces the runs use, by script (what `check` names)."""
    faces = faces_for(lang, style, project_dir)
    used: dict[str, FontChoice] = {}
    try:
        own = faces.face(None)  # the language's own script, even for a file of digits
        for cue in cues:
            used.update((span.script, span.font) for span in itemize(cue.text, faces))
    except FilmkitError as exc:
        raise SubtitleError(f"subtitles ({lang}): {exc.message}") from None
    return faces, used or {faces.lang_script: own}


def glyph_findings(subs: SubtitleFile, cues: tuple[Cue, ...], faces: FaceSet) -> list[Finding]:
    """Characters the face of their own run cannot draw (they would be boxes on screen)."""
    findings = []
    for cue in cues:
        if surely_drawable(cue.text, faces):
            continue
        spans = itemize(cue.text, faces)
        lacking = missing(spans)
        if not lacking:
            continue
        shown = " ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in lacking[:6])
        names = ", ".join(sorted({span.font.family for span in spans if any(ch in span.text for ch in lacking)}))
        hints = sorted({faces.unavailable[script] for ch in lacking
                        if (script := script_of(ch)) and script in faces.unavailable})
        extra = "".join(f" ({hint})" for hint in hints)
        findings.append(Finding(subs.path, cue.number, cue.line, "glyph", Severity.ERROR,
                                f"{shown} cannot be drawn with {names}; set subtitles.style.font to a font that "
                                f"has them, or replace the characters{extra}"))
    return findings


def ass_style(style: SubtitleStyle) -> AssStyle:
    return AssStyle(
        font_scale=float(style.font_scale), outline=float(style.outline), shadow=float(style.shadow),
        box=style.box, box_opacity=float(style.box_opacity), color=style.color, outline_color=style.outline_color,
        margin=float(style.margin), position=style.position,
    )


def place_tracks(tracks: Sequence[LanguageTrack], style: SubtitleStyle, project_dir: Path, width: int, height: int,
                 safe_area: SafeArea | None = None, area: Box | None = None) -> list[PlacedCue]:
    """Every cue of `tracks` laid out for a width x height frame: what is burned, and reported."""
    ass_tracks = [Track(t.lang, t.cues, dict(t.fonts), style.font, project_dir) for t in tracks]
    return place_cues(ass_tracks, width, height, ass_style(style), area, safe_area)


def layout_findings(tracks: Sequence[LanguageTrack], placed: Sequence[PlacedCue], frame: str) -> list[Finding]:
    """A `layout` warning for every cue that needs more lines than its frame allows (`frame`: the
    platform or the output size, as the message names it)."""
    files = {track.lang: track.file.path for track in tracks}
    findings = []
    for cue in placed:
        problem = cue.layout_problem(frame)
        if problem:
            findings.append(Finding(files[cue.lang], cue.cue.number, cue.cue.line, "layout", Severity.WARNING, problem))
    return findings


def write_burn(placed: Sequence[PlacedCue], style: SubtitleStyle, workdir: Path, width: int, height: int) -> Burn:
    """Write the ASS file of `placed` and a fonts folder with every face it uses, for libass."""
    ass_file = workdir / "subtitles.ass"
    ass_file.write_text(write_ass(placed, width, height, ass_style(style)), encoding="utf-8")
    fonts_dir = workdir / "fonts"
    fonts_dir.mkdir(exist_ok=True)
    for face in faces_used(placed):
        link_font_file(face.path, fonts_dir / face.path.name)
    return Burn(ass_file, fonts_dir)



def warnings_of(tracks: list[LanguageTrack]) -> list[Finding]:
    return [f for track in tracks for f in track.findings if f.severity is Severity.WARNING]


def lint_glyphs(subs: SubtitleFile, lang: str | None) -> list[Finding]:
    """Characters the fonts a burn would use cannot draw (`subs lint`, no project needed).

    A language with no font at all is one finding: listing each of its characters would bury the fix.
    """
    faces = faces_for(lang or "", None, None)
    try:
        faces.face(None)
        return glyph_findings(subs, subs.cues, faces)
    except FontMissingError as exc:
        return [Finding(subs.path, None, None, "glyph", Severity.ERROR, exc.reason)]
