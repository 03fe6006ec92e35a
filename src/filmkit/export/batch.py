"""The languages x platforms matrix: plan it, skip what is up to date, render the rest in parallel.

Planning checks everything before the first frame renders (presets, card texts, subtitles,
platform limits). Work is shared: one ffmpeg process per platform decodes and assembles the
cut once and writes several languages. A manifest beside the outputs records what made each
file, so a re-run renders only what changed; a lock keeps two exports from writing at once.
"""

from __future__ import annotations

import concurrent.futures
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from fractions import Fraction
from pathlib import Path

from filmkit import __version__
from filmkit.render.tracks import LanguageTrack, parse_langs
from filmkit.errors import FilmkitError, Interrupted, Problem, ProjectError
from filmkit.media.ffmpeg import Progress, stop_all
from filmkit.media.loudness import Loudness
from filmkit.export.manifest import Entry, HashCache, Manifest, canonical, export_lock, sha256_file, sha256_text
from filmkit.platform.presets import Preset, load_preset
from filmkit.media.probe import MediaInfo
from filmkit.project import LoadedProject, Timeline
from filmkit.render.extras import measure_mix, poster_frame, write_poster, write_sidecars
from filmkit.render.plan import card_languages, load_and_check, plan_platform, slugify, version_tracks
from filmkit.render.run import render_all
from filmkit.render.settings import limit_problems
from filmkit.render.verify import expected_frames

# Languages written by one ffmpeg process. Each version has its own x264 encoder and frame
# queues, so memory grows with the count; see benchmarks/RESULTS.md for the measurement.
VERSIONS_PER_PROCESS = 4


class Outcome(str, Enum):
    RENDERED = "rendered"
    SKIPPED = "up to date"
    FAILED = "failed"


@dataclass(frozen=True)
class Output:
    """One cell of the matrix."""

    platform: str
    lang: str  # "ru", or "en+ru" for a bilingual version
    path: Path
    preset: Preset


@dataclass
class OutputResult:
    output: Output
    outcome: Outcome
    reason: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class Job:
    """One ffmpeg process: some languages of one platform."""

    platform: str
    outputs: tuple[Output, ...]
    frames: int  # at the platform's rate, for progress


@dataclass
class ExportPlan:
    loaded: LoadedProject
    timeline: Timeline
    media: dict[Path, MediaInfo]
    outputs: list[Output]
    folder: Path  # where manifest.json lives: the outputs' common folder
    tracks: dict[tuple[str, bool], tuple[LanguageTrack, ...]] = field(default_factory=dict)


class EventKind(Enum):
    SKIPPED = "skipped"  # outputs found up to date
    MEASURE = "measure"  # the mix's loudness is being measured
    START = "start"  # a job started
    PROGRESS = "progress"  # a job rendered up to `frame`
    DONE = "done"  # a job ended, with its results


@dataclass(frozen=True)
class ExportEvent:
    """What the export is doing, for a progress display (the export itself prints nothing)."""

    kind: EventKind
    job: Job | None = None
    frame: int = 0
    results: tuple[OutputResult, ...] = ()


Checked = tuple[LoadedProject, Timeline, dict[Path, MediaInfo]]


def plan_export(project_file: Path, langs: Sequence[str] = (), platforms: Sequence[str] = (),
                checked: Checked | None = None) -> ExportPlan:
    """Check the whole matrix (or the subset asked for) and name every output; render nothing.

    `checked` is what `load_and_check` already returned for this file (filmkit check has it):
    the media are not probed twice.
    """
    loaded, timeline, media = checked or load_and_check(project_file)
    exports = loaded.project.exports
    if exports is None:
        raise ProjectError([Problem(loaded.path, None, None, "exports", (
            "the project has no `exports:` section; add one, e.g.\n"
            "exports:\n  platforms: [youtube-1080p, instagram-reel]\n  languages: [en, ru]\n"
            "  path: \"out/{platform}/{title_slug}_{lang}.mp4\"  (`filmkit presets` lists the platforms)"))])
    chosen_langs = _subset(loaded, "languages", list(exports.languages), langs, "--lang")
    chosen_platforms = _subset(loaded, "platforms", list(exports.platforms), platforms, "--platform")
    problems: list[Problem] = []
    presets: dict[str, Preset] = {}
    for name in chosen_platforms:
        try:
            presets[name] = load_preset(name, loaded.folder)
        except FilmkitError as exc:
            problems.append(loaded.locations.problem(("exports", "platforms", exports.platforms.index(name)), exc.message))
    for preset in presets.values():
        problems.extend(limit_problems(loaded, timeline, preset))
    plan = ExportPlan(loaded, timeline, media, [], Path("."))
    for lang in chosen_langs:
        try:
            card_languages(loaded, parse_langs(lang))
            for vertical in sorted({_vertical(p) for p in presets.values()}):
                plan.tracks[(lang, vertical)] = version_tracks(loaded, timeline, lang, vertical)
        except ProjectError as exc:
            problems.extend(exc.problems)
        except FilmkitError as exc:
            problems.append(loaded.locations.problem(("exports", "languages", exports.languages.index(lang)), exc.message))
    if problems:
        raise ProjectError(problems)
    title_slug = slugify(loaded.project.title)
    for name, preset in presets.items():
        for lang in chosen_langs:
            relative = exports.path.format(platform=name, lang=lang, title_slug=title_slug)
            plan.outputs.append(Output(name, lang, (loaded.folder / relative).absolute(), preset))
    _check_distinct(loaded, plan.outputs)
    plan.folder = Path(os.path.commonpath([output.path.parent for output in plan.outputs]))
    return plan


def _subset(loaded: LoadedProject, key: str, allowed: list[str], asked: Sequence[str], option: str) -> list[str]:
    if not asked:
        return allowed
    unknown = [item for item in asked if item not in allowed]
    if unknown:
        raise FilmkitError(
            f"{option} {unknown[0]}: not in the project's `exports: {key}` ({', '.join(allowed)}). "
            f"Add it there in {loaded.path.name}, or choose one of those")
    return [item for item in allowed if item in asked]


def _check_distinct(loaded: LoadedProject, outputs: list[Output]) -> None:
    seen: dict[Path, Output] = {}
    for output in outputs:
        if output.path in seen:
            other = seen[output.path]
            raise ProjectError([loaded.locations.problem(("exports", "path"), (
                f"{other.platform}/{other.lang} and {output.platform}/{output.lang} would both be written to "
                f"{output.path}; put {{platform}} and {{lang}} in the path"))])
        seen[output.path] = output


def _vertical(preset: Preset) -> bool:
    return preset.video.size.height > preset.video.size.width


def run_export(
    plan: ExportPlan,
    *,
    jobs: int | None = None,
    force: bool = False,
    on_event: Callable[[ExportEvent], None] | None = None,
) -> list[OutputResult]:
    """Render what is not up to date; one failing job never stops the others."""
    notify = on_event or (lambda _event: None)
    with export_lock(plan.folder):
        manifest = Manifest.read(plan.folder)
        hashes = HashCache(plan.folder)
        inputs = {output.path: output_inputs(plan, output, hashes) for output in plan.outputs}
        hashes.save()
        results: dict[Path, OutputResult] = {}
        todo = []
        for output in plan.outputs:
            if not force and _up_to_date(manifest, output, inputs[output.path]):
                results[output.path] = OutputResult(output, Outcome.SKIPPED)
            else:
                todo.append(output)
        skipped = tuple(results.values())
        if skipped:
            notify(ExportEvent(EventKind.SKIPPED, results=skipped))
        work = make_jobs(plan, todo)
        loudness = None
        if work:
            notify(ExportEvent(EventKind.MEASURE))
            loudness = measure_mix(plan.timeline, plan.media)
        for result in _execute(plan, work, manifest, inputs, loudness, jobs, notify):
            results[result.output.path] = result
    return [results[output.path] for output in plan.outputs]


def make_jobs(plan: ExportPlan, outputs: Iterable[Output]) -> list[Job]:
    by_platform: dict[str, list[Output]] = {}
    for output in outputs:
        by_platform.setdefault(output.platform, []).append(output)
    jobs = []
    for platform, group in by_platform.items():
        fps = group[0].preset.output_fps(plan.timeline.fps)
        frames = expected_frames(plan.timeline, fps)
        for start in range(0, len(group), VERSIONS_PER_PROCESS):
            jobs.append(Job(platform, tuple(group[start : start + VERSIONS_PER_PROCESS]), frames))
    return jobs


def default_jobs() -> int:
    """Parallel ffmpeg processes: x264 already uses every core, so one per four cores."""
    return max(1, (os.cpu_count() or 1) // 4)


def _execute(plan: ExportPlan, work: list[Job], manifest: Manifest, inputs: dict[Path, dict[str, str]],
             loudness: Loudness | None, jobs: int | None, notify: Callable[[ExportEvent], None]) -> list[OutputResult]:
    results: list[OutputResult] = []
    if not work:
        return results
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs or default_jobs()), thread_name_prefix="filmkit-job")
    try:
        futures = {pool.submit(_run_job, plan, job, manifest, inputs, loudness, notify): job for job in work}
        for future in concurrent.futures.as_completed(futures):
            done = future.result()
            results.extend(done)
            notify(ExportEvent(EventKind.DONE, futures[future], results=tuple(done)))
    except KeyboardInterrupt:
        stop_all()
        pool.shutdown(wait=True, cancel_futures=True)
        raise Interrupted("export interrupted; finished outputs are kept and recorded, nothing half-written was "
                          "left. Run the same command again to complete the rest") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return results


def _run_job(plan: ExportPlan, job: Job, manifest: Manifest, inputs: dict[Path, dict[str, str]],
             loudness: Loudness | None, notify: Callable[[ExportEvent], None]) -> list[OutputResult]:
    started = time.perf_counter()
    preset = job.outputs[0].preset
    notify(ExportEvent(EventKind.START, job))
    try:
        vertical = _vertical(preset)
        tracks = {output.lang: plan.tracks.get((output.lang, vertical), ()) for output in job.outputs}
        render_plan = plan_platform(plan.loaded, plan.timeline, plan.media, preset,
                                    [(output.lang, output.path) for output in job.outputs], loudness, tracks)
        fps = render_plan.spec.fps or plan.timeline.fps

        def check(temp: Path, version: object) -> None:
            from filmkit.platform.conformance import verify_against_preset

            problems = verify_against_preset(temp, preset, expected_frames=job.frames, expected_fps=fps)
            if problems:
                from filmkit.errors import RenderError

                raise RenderError(f"{preset.name}: the render does not meet the preset: " + "; ".join(problems))

        def progress(update: Progress) -> None:
            notify(ExportEvent(EventKind.PROGRESS, job, frame=update.frame))

        render_all(render_plan, on_progress=progress, verify_output=check)
    except Interrupted:
        raise
    except FilmkitError as exc:
        elapsed = time.perf_counter() - started
        return [OutputResult(output, Outcome.FAILED, exc.message, elapsed) for output in job.outputs]
    results = []
    for output in job.outputs:
        try:
            entry = _finish_output(plan, output, inputs[output.path], tracks[output.lang], fps)
            manifest.record(entry)
            results.append(OutputResult(output, Outcome.RENDERED, seconds=time.perf_counter() - started))
        except FilmkitError as exc:
            results.append(OutputResult(output, Outcome.FAILED, exc.message, time.perf_counter() - started))
    return results


def _finish_output(plan: ExportPlan, output: Output, inputs: dict[str, str], tracks: tuple[LanguageTrack, ...],
                   fps: Fraction) -> Entry:
    """Poster, caption sidecars, measurements and the manifest entry of a rendered file."""
    from filmkit.platform.conformance import measure_file_loudness

    timeline = plan.timeline
    poster = write_poster(output.path, Fraction(poster_frame(plan.loaded, timeline)) / timeline.fps,
                          output.path.with_suffix(".jpg"))
    sidecars: list[Path] = []
    exports = plan.loaded.project.exports
    if exports is not None and exports.sidecar and output.preset.captions and tracks:
        sidecars = write_sidecars(tracks, output.path, [output.preset.captions])
    measured = measure_file_loudness(output.path)
    manifest_folder = plan.folder
    return Entry(
        path=Path(os.path.relpath(output.path, manifest_folder)).as_posix(),
        platform=output.platform,
        language=output.lang,
        inputs_hash=sha256_text(canonical(inputs)),
        inputs=inputs,
        sha256=sha256_file(output.path),
        size=output.path.stat().st_size,
        duration=float(timeline.duration),
        frames=expected_frames(timeline, fps),
        loudness={"integrated_lufs": round(measured.integrated, 1), "true_peak_dbtp": round(measured.true_peak, 1),
                  "lra_lu": round(measured.lra, 1)},
        poster=Path(os.path.relpath(poster, manifest_folder)).as_posix(),
        sidecars=[Path(os.path.relpath(p, manifest_folder)).as_posix() for p in sidecars],
        filmkit=__version__,
    )


def _up_to_date(manifest: Manifest, output: Output, inputs: dict[str, str]) -> bool:
    entry = manifest.get(output.path)
    if entry is None or entry.inputs_hash != sha256_text(canonical(inputs)):
        return False
    if not output.path.is_file() or output.path.stat().st_size != entry.size:
        return False
    extras = [entry.poster, *entry.sidecars]
    if any(not (manifest.folder / extra).is_file() for extra in extras if extra):
        return False
    return sha256_file(output.path) == entry.sha256


def output_inputs(plan: ExportPlan, output: Output, hashes: HashCache) -> dict[str, str]:
    """The hash of everything that makes this output, by name: change one, and it renders again."""
    loaded = plan.loaded
    project = loaded.project
    langs = parse_langs(output.lang)
    core = project.model_dump(mode="json", by_alias=True, exclude={"card", "exports", "subtitles"})
    inputs = {"filmkit": __version__, "project": sha256_text(canonical(core)),
              "preset": sha256_text(canonical(output.preset.model_dump(mode="json", exclude={"source_file", "origin", "notes"})))}
    if project.exports is not None:
        inputs["exports"] = sha256_text(canonical({"reframe": project.exports.reframe, "poster": project.exports.poster,
                                                   "sidecar": project.exports.sidecar}))
    for path in sorted(set(plan.media)):
        inputs[f"media:{Path(os.path.relpath(path, loaded.folder)).as_posix()}"] = hashes.digest(path)
    if project.card is not None:
        card = project.card.model_dump(mode="json", by_alias=True, exclude={"text"})
        card["text"] = {lang: project.card.text[lang].model_dump(mode="json") for lang in langs if lang in project.card.text}
        inputs["card"] = sha256_text(canonical(card))
        for extra in (project.card.logo, project.card.background if project.card.background_kind == "image" else None):
            if extra:
                inputs[f"card:{extra}"] = hashes.digest(loaded.resolve(extra))
    if project.subtitles is not None:
        style = project.subtitles.model_dump(mode="json", exclude={"files", "dir", "encoding"})
        inputs["subtitle-style"] = sha256_text(canonical(style))
        vertical = _vertical(output.preset)
        for track in plan.tracks.get((output.lang, vertical), ()):
            encoding = project.subtitles.encoding.get(track.lang)
            inputs[f"subtitles:{track.lang}"] = sha256_text(hashes.digest(track.file.path) + f"|{encoding}")
    return inputs
