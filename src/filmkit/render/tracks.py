"""Prepare subtitles for a render: find each language's file, read, lint, choose fonts, write.

Everything that can stop a burn is found here, before ffmpeg starts: a missing or unreadable
file, lint errors, characters no installed font can draw. What is written (the styled ASS
file and a folder linking the chosen fonts for libass) goes in a work folder the render owns.
"""

from __future__ import annotations

import math
import os
import shutil
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from filmkit.errors import FilmkitError, ProjectError, SubtitleError
from filmkit.text.fonts import FontChoice, choose_font, dominant_script, missing_glyphs
from filmkit.graph import Burn
from filmkit.project import LoadedProject, Timeline
from filmkit.project.schema import SubtitleStyle
from filmkit.platform.safearea import SafeArea
from filmkit.subtitles.ass import AssStyle, Track, build_ass
from filmkit.subtitles.model import Cue, Finding, Severity, SubtitleFile

SUBTITLE_SUFFIXES = (".srt", ".vtt", ".ass", ".ssa")


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
        found[lang] = loaded.resolve(relative)
    return found


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

    path = subtitle_file_for(loaded, lang)  # first: it says what to add when there is no `subtitles:` at all
    config = loaded.project.subtitles
    assert config is not None
    subs = load_subtitles(path, lang=lang, encoding=config.encoding.get(lang))
    findings = lint(subs, lang=lang, fps=timeline.fps, vertical=vertical, film_end=timeline.cut_duration,
                    limits_override=config.limits or None)
    cues = tuple(cue for cue in (snap_to_frames(c, timeline) for c in subs.cues) if cue is not None)
    fonts = fonts_for(cues, lang, config.style, loaded.folder)
    glyphs = glyph_findings(subs, cues, fonts)
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


def fonts_for(cues: tuple[Cue, ...], lang: str, style: SubtitleStyle, project_dir: Path) -> dict[str, FontChoice]:
    scripts = {dominant_script(cue.text, lang) for cue in cues} or {dominant_script("", lang)}
    try:
        return {script: choose_font(script, lang, style.font, project_dir) for script in sorted(scripts)}
    except FilmkitError as exc:
        raise SubtitleError(f"subtitles ({lang}): {exc.message}") from None


def glyph_findings(subs: SubtitleFile, cues: tuple[Cue, ...], fonts: dict[str, FontChoice]) -> list[Finding]:
    """Characters no chosen font can draw (they would be boxes on screen)."""
    faces = list(fonts.values())
    findings = []
    for cue in cues:
        missing = missing_glyphs(cue.text, faces)
        if missing:
            shown = " ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in missing[:6])
            names = ", ".join(sorted({face.family for face in faces}))
            findings.append(Finding(subs.path, cue.number, cue.line, "glyph", Severity.ERROR,
                                    f"{shown} cannot be drawn with {names}; set subtitles.style.font to a font that "
                                    "has them, or replace the characters"))
    return findings


def write_burn(tracks: list[LanguageTrack], timeline: Timeline, style: SubtitleStyle, workdir: Path,
               width: int | None = None, height: int | None = None, safe_area: SafeArea | None = None) -> Burn:
    """Write the ASS file and a fonts folder for libass into `workdir`."""
    width, height = width or timeline.width, height or timeline.height
    ass_style = AssStyle(
        font_scale=float(style.font_scale), outline=float(style.outline), shadow=float(style.shadow),
        box=style.box, box_opacity=float(style.box_opacity), color=style.color, outline_color=style.outline_color,
        margin=float(style.margin), position=style.position,
    )
    document = build_ass([Track(t.lang, t.cues, t.fonts) for t in tracks], width, height, ass_style, safe_area)
    ass_file = workdir / "subtitles.ass"
    ass_file.write_text(document, encoding="utf-8")
    fonts_dir = workdir / "fonts"
    fonts_dir.mkdir(exist_ok=True)
    for face in {face for track in tracks for face in track.fonts.values()}:
        link = fonts_dir / face.path.name
        if not link.exists():
            try:
                os.symlink(face.path, link)
            except OSError:
                shutil.copyfile(face.path, link)
    return Burn(ass_file, fonts_dir)


def warnings_of(tracks: list[LanguageTrack]) -> list[Finding]:
    return [f for track in tracks for f in track.findings if f.severity is Severity.WARNING]


def lint_glyphs(subs: SubtitleFile, lang: str | None) -> list[Finding]:
    """Characters the fonts a burn would use cannot draw (`subs lint`, no project needed).

    A script with no font at all is one finding: listing each of its characters would bury the fix.
    """
    scripts = sorted({dominant_script(cue.text, lang) for cue in subs.cues})
    fonts: dict[str, FontChoice] = {}
    missing: list[Finding] = []
    for script in scripts:
        try:
            fonts[script] = choose_font(script, lang)
        except FilmkitError as exc:
            missing.append(Finding(subs.path, None, None, "glyph", Severity.ERROR, exc.message))
    return missing or glyph_findings(subs, subs.cues, fonts)
