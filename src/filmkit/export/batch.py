"""Running an export's matrix: skip what is up to date, render the rest in parallel, record it.

The matrix is planned and checked first (`export.matrix`). Work is shared: one ffmpeg process
per platform decodes and assembles the cut once and writes several languages. A manifest
beside the outputs records what made each file, so a re-run renders only what changed; a lock
keeps two exports from writing at once. A failing job never stops the others.
"""

from __future__ import annotations

import concurrent.futures
import os
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from pathlib import Path

from filmkit import __version__
from filmkit.atomic import environment_failure, sweep
from filmkit.errors import FilmkitError, Interrupted, OutputError
from filmkit.export.manifest import (Entry, HashCache, Manifest, canonical, export_lock, loudness_fields, sha256_file,
                                     sha256_text)
from filmkit.export.matrix import ExportPlan, Output, is_vertical, output_inputs
from filmkit.media.ffmpeg import Progress, stopping_all
from filmkit.media.loudness import Loudness
from filmkit.media.probe import MediaInfo
from filmkit.platform.conformance import measure_file_loudness
from filmkit.render.extras import measure_mix, poster_frame, write_poster, write_sidecars
from filmkit.render.plan import plan_platform
from filmkit.render.run import render_all
from filmkit.render.tracks import LanguageTrack
from filmkit.render.verify import expected_frames
from filmkit.render.worker import Workers

# Languages written by one ffmpeg process. Each version has its own x264 encoder and frame
# queues, so memory grows with the count; see benchmarks/RESULTS.md for the measurement.
VERSIONS_PER_PROCESS = 4


class Outcome(str, Enum):
    RENDERED = "rendered"
    SKIPPED = "up to date"
    FAILED = "failed"


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
    worker: str = ""  # on a cluster: the worker running the job (START, PROGRESS)


def run_export(
    plan: ExportPlan,
    *,
    jobs: int | None = None,
    force: bool = False,
    on_event: Callable[[ExportEvent], None] | None = None,
    cluster: Workers | None = None,
) -> list[OutputResult]:
    """Render what is not up to date; one failing job never stops the others. With `cluster`, the
    jobs render on its workers (`export.cluster_run`); planning, the mix's loudness, the lock, the
    manifest and moving files into place stay here."""
    notify = on_event or (lambda _event: None)
    with export_lock(plan.folder):
        for folder in {plan.folder, *(output.path.parent for output in plan.outputs)}:
            sweep(folder)  # temporaries of a killed export (films, posters, captions), even when all is up to date
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
        if cluster is not None and work:
            from filmkit.export.cluster_run import execute_on_cluster

            done = execute_on_cluster(plan, work, manifest, inputs, loudness, notify, cluster)
        else:
            done = _execute(plan, work, manifest, inputs, loudness, jobs, notify)
        for result in done:
            results[result.output.path] = result
        from filmkit.export.review import record_run_and_review

        try:
            record_run_and_review(plan, manifest, results.values())
        except OutputError:
            # When jobs already failed (a full disk, say), their failures are the news and the exit
            # status; a page that cannot be written then is not raised over them.
            if not any(result.outcome is Outcome.FAILED for result in results.values()):
                raise
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
        with stopping_all():  # no worker starts another job's ffmpeg while the pool winds down
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
        vertical = is_vertical(preset)
        tracks = {output.lang: plan.tracks.get((output.lang, vertical), ()) for output in job.outputs}
        render_plan = plan_platform(plan.loaded, plan.timeline, plan.media, preset,
                                    [(output.lang, output.path) for output in job.outputs], loudness, tracks)
        fps = render_plan.spec.fps or plan.timeline.fps

        def progress(update: Progress) -> None:
            notify(ExportEvent(EventKind.PROGRESS, job, frame=update.frame))

        rendered = {result.output: result.info for result in render_all(render_plan, on_progress=progress, preset=preset)}
    except Interrupted:
        raise
    except (FilmkitError, OSError) as exc:  # OSError: the environment (a full /tmp), not this job's inputs
        elapsed = time.perf_counter() - started
        return [OutputResult(output, Outcome.FAILED, _reason(exc), elapsed) for output in job.outputs]
    results = []
    for output in job.outputs:
        try:
            entry = _finish_output(plan, output, inputs[output.path], tracks[output.lang], fps, rendered.get(output.path))
            entry.worker, entry.seconds = socket.gethostname(), round(time.perf_counter() - started, 2)
            manifest.record(entry)
            results.append(OutputResult(output, Outcome.RENDERED, seconds=time.perf_counter() - started))
        except (FilmkitError, OSError) as exc:
            results.append(OutputResult(output, Outcome.FAILED, _reason(exc), time.perf_counter() - started))
    return results


def _reason(exc: Exception) -> str:
    return exc.message if isinstance(exc, FilmkitError) else environment_failure(exc)  # type: ignore[arg-type]


def _finish_output(plan: ExportPlan, output: Output, inputs: dict[str, str], tracks: tuple[LanguageTrack, ...],
                   fps: Fraction, info: MediaInfo | None) -> Entry:
    """Poster, caption sidecars, measurements and the manifest entry of a rendered file."""
    timeline = plan.timeline
    poster = write_poster(output.path, Fraction(poster_frame(plan.loaded, timeline)) / timeline.fps,
                          output.path.with_suffix(".jpg"))
    measured = measure_file_loudness(output.path, info)
    return output_entry(plan, output, inputs, tracks, fps, poster, loudness_fields(measured), sha256_file(output.path))


def output_entry(plan: ExportPlan, output: Output, inputs: dict[str, str], tracks: tuple[LanguageTrack, ...],
                 fps: Fraction, poster: Path, loudness: dict[str, float], sha256: str) -> Entry:
    """The caption sidecars and manifest entry of a file in place, its poster and measurements made."""
    timeline = plan.timeline
    sidecars: list[Path] = []
    exports = plan.loaded.project.exports
    if exports is not None and exports.sidecar and output.preset.captions and tracks:
        sidecars = write_sidecars(tracks, output.path, [output.preset.captions])
    manifest_folder = plan.folder
    return Entry(
        path=Path(os.path.relpath(output.path, manifest_folder)).as_posix(),
        platform=output.platform,
        language=output.lang,
        inputs_hash=sha256_text(canonical(inputs)),
        inputs=inputs,
        sha256=sha256,
        size=output.path.stat().st_size,
        duration=float(timeline.duration),
        frames=expected_frames(timeline, fps),
        loudness=loudness,
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
