"""The review page of an export: what the manifest and the project say about every output.

`filmkit export` ends by writing `review.html` beside `manifest.json`, and `filmkit review`
writes it again from the manifest without rendering a film. The page shows the whole matrix
(even when only part of it was exported this time), so this module plans the full matrix,
reads the manifest, and gathers for each cell its state, file, measurements and subtitle
warnings, and for each language its cues with their thumbnails. `review_html` turns that into
the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from filmkit.errors import FilmkitError
from filmkit.export.manifest import (MANIFEST_NAME, Entry, Failure, HashCache, Manifest, canonical, export_lock, sha256_text,
                                     utc_now, write_atomic)
from filmkit.export.matrix import ExportPlan, Output, is_vertical, output_inputs, plan_export
from filmkit.export.review_thumbs import Thumbnails, cue_thumbnails
from filmkit.platform.presets import Preset
from filmkit.render.tracks import LanguageTrack, parse_langs
from filmkit.subtitles.langs import base, language_name
from filmkit.subtitles.model import Finding, Severity
from filmkit.timecode import format_timecode

if TYPE_CHECKING:
    from filmkit.export.batch import OutputResult

REVIEW_NAME = "review.html"
# Languages written right to left (base codes): the page lays their views out right to left.
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug", "ur", "yi"})


class ReviewError(FilmkitError):
    """The review page cannot be built (nothing was exported yet)."""


class State(str, Enum):
    RENDERED = "rendered"  # in the last run
    UP_TO_DATE = "up to date"
    OUTDATED = "out of date"  # an input changed since: the next export renders it again
    FAILED = "failed"
    MISSING = "not exported"


@dataclass(frozen=True)
class Cell:
    """One output of the matrix as the page shows it."""

    platform: str
    lang: str
    state: State
    entry: Entry | None  # the file on disk; for a failed output, the previous good render if any
    changed: bool = False  # rendered, or failed, in the last run
    error: str = ""
    failed_at: str = ""
    warnings: tuple[str, ...] = ()  # subtitle warnings of this language on this platform's frame


@dataclass(frozen=True)
class CueRow:
    number: int
    start: float  # seconds, where the videos seek to
    timecode: str
    end_timecode: str
    text: str
    thumb: str | None  # relative to the page


@dataclass(frozen=True)
class CueTrack:
    """The cues of one language, with its reading direction."""

    lang: str
    name: str
    rtl: bool
    cues: tuple[CueRow, ...]
    thumbs_error: str = ""


@dataclass(frozen=True)
class Language:
    """One exported version language ("ar", or "en+ru" for a bilingual version)."""

    code: str
    name: str
    rtl: bool
    html_lang: str | None  # None for a bilingual version (each cue list carries its own)
    tracks: tuple[CueTrack, ...]


@dataclass(frozen=True)
class Review:
    title: str
    project_file: str
    platforms: tuple[Preset, ...]
    languages: tuple[Language, ...]
    cells: dict[tuple[str, str], Cell]
    fps: Fraction  # the master's, for the platforms' rates
    frame: tuple[int, int]  # the master's size: the cue thumbnails' shape
    last_run: dict[str, str]
    generated_at: str


def is_rtl(lang: str) -> bool:
    return (base(lang) or "") in RTL_LANGUAGES


def record_run_and_review(plan: ExportPlan, manifest: Manifest, results: Iterable[OutputResult]) -> Path:
    """The end of an export run: its failures (with their errors) and times into the manifest, then the page."""
    from filmkit.export.batch import Outcome

    failed = [Failure(manifest.relative(result.output.path), result.output.platform, result.output.lang, result.reason)
              for result in results if result.outcome is Outcome.FAILED]
    manifest.end_run([output.path for output in plan.outputs], failed)
    return write_review(plan, manifest)[0]


def write_review(plan: ExportPlan, manifest: Manifest) -> tuple[Path, Review]:
    """Write `review.html` beside the manifest (atomically); its path and what it shows.

    Called with the export lock held (by the export, or by `rebuild_review`): cue thumbnails
    that are missing or stale are made here, films never.
    """
    from filmkit.export.review_page import render_page

    review = gather(_full_matrix(plan), manifest)
    target = manifest.folder / REVIEW_NAME
    write_atomic(target, render_page(review), what="the review page")
    return target, review


def rebuild_review(project_file: Path) -> tuple[Path, Review]:
    """`filmkit review`: the page again from the manifest; renders no film."""
    plan = plan_export(project_file)
    if not (plan.folder / MANIFEST_NAME).is_file():
        raise ReviewError(
            f"{plan.folder / MANIFEST_NAME}: no manifest, so {project_file} has not been exported yet; the review "
            f"page shows what an export wrote. Run `filmkit export {project_file}` first (it writes the page too)")
    with export_lock(plan.folder):
        return write_review(plan, Manifest.read(plan.folder))


def _full_matrix(plan: ExportPlan) -> ExportPlan:
    """The whole `exports` matrix; the plan itself when it is whole or the rest cannot be planned."""
    exports = plan.loaded.project.exports
    if exports is None or len(plan.outputs) == len(exports.platforms) * len(exports.languages):
        return plan
    try:
        full = plan_export(plan.loaded.path, checked=(plan.loaded, plan.timeline, plan.media))
    except FilmkitError:
        return plan  # e.g. a language added to `exports` without its card text yet: show what was exported
    # A subset in a deeper folder (one platform's) keeps its own manifest there: its page shows that subset.
    return full if full.folder == plan.folder else plan


def gather(plan: ExportPlan, manifest: Manifest) -> Review:
    """What the page shows, from the plan of the matrix and the manifest."""
    hashes = HashCache(plan.folder)
    cells = {(output.platform, output.lang): _cell(plan, manifest, output, hashes) for output in plan.outputs}
    platforms = tuple(dict.fromkeys(output.preset for output in plan.outputs))
    langs = tuple(dict.fromkeys(output.lang for output in plan.outputs))
    tracks = {track.lang: track for lang in langs for track in _tracks(plan, lang, None)}  # en+ru: en's and ru's
    shared = cue_thumbnails(plan.loaded, plan.timeline, plan.media, list(tracks.values()), plan.folder, hashes)
    languages = tuple(_language(plan, lang, shared) for lang in langs)
    hashes.save()
    timeline = plan.timeline
    return Review(plan.loaded.project.title, plan.loaded.path.name, platforms, languages, cells, timeline.fps,
                  (timeline.width, timeline.height), dict(manifest.last_run), utc_now())


def _cell(plan: ExportPlan, manifest: Manifest, output: Output, hashes: HashCache) -> Cell:
    entry = manifest.get(output.path)
    failure = manifest.failures.get(manifest.relative(output.path))
    warnings = tuple(_warning(finding) for track in _tracks(plan, output.lang, is_vertical(output.preset))
                     for finding in track.findings if finding.severity is Severity.WARNING)
    if entry is not None and not output.path.is_file():
        entry = None
    if failure is not None:
        started = manifest.last_run.get("started", "")
        return Cell(output.platform, output.lang, State.FAILED, entry, bool(started) and failure.at >= started,
                    failure.error, failure.at, warnings)
    if entry is None:
        return Cell(output.platform, output.lang, State.MISSING, None, warnings=warnings)
    if not _still_current(plan, output, entry, hashes):
        return Cell(output.platform, output.lang, State.OUTDATED, entry, warnings=warnings)
    changed = manifest.rendered_in_last_run(entry)
    return Cell(output.platform, output.lang, State.RENDERED if changed else State.UP_TO_DATE, entry, changed,
                warnings=warnings)


def _warning(finding: Finding) -> str:
    """A lint warning named by file, line and cue, as `subs lint` prints it but without the folder."""
    where = f"{finding.file.name}:{finding.line}" if finding.line else finding.file.name
    cue = f" cue {finding.cue}" if finding.cue else ""
    return f"{where}:{cue} [{finding.code}] {finding.message}"


def _still_current(plan: ExportPlan, output: Output, entry: Entry, hashes: HashCache) -> bool:
    """Whether the file was made from today's inputs (cheap: input hashes are cached; the film is not hashed)."""
    if output.path.stat().st_size != entry.size:
        return False
    return entry.inputs_hash == sha256_text(canonical(output_inputs(plan, output, hashes)))


def _language(plan: ExportPlan, code: str, thumbnails: dict[str, Thumbnails]) -> Language:
    tracks = [_cue_track(plan, track, thumbnails[track.lang]) for track in _tracks(plan, code, None)]
    langs = parse_langs(code)
    name = " + ".join(language_name(lang) for lang in langs)
    return Language(code, name, is_rtl(langs[0]), langs[0] if len(langs) == 1 else None, tuple(tracks))


def _cue_track(plan: ExportPlan, track: LanguageTrack, thumbs: Thumbnails) -> CueTrack:
    fps = plan.timeline.fps
    rows = tuple(CueRow(cue.number, float(cue.start), format_timecode(round(cue.start * fps), fps),
                        format_timecode(round(cue.end * fps), fps), cue.text, thumbs.files.get(cue.number))
                 for cue in track.cues)
    return CueTrack(track.lang, language_name(track.lang), is_rtl(track.lang), rows, thumbs.error)


def _tracks(plan: ExportPlan, lang: str, vertical: bool | None) -> tuple[LanguageTrack, ...]:
    """The version's subtitle tracks as planned for a frame's orientation (None: whichever was planned)."""
    for orientation in ((vertical,) if vertical is not None else (False, True)):
        if (lang, orientation) in plan.tracks:
            return plan.tracks[(lang, orientation)]
    return ()
