"""A long film's segments rendered on a cluster's workers at once, joined here without re-encoding.

The segmented render (`render.run`) already cuts a film of many shots into segments that play
one after the other frame for frame, mixes the sound in one pass and joins the pictures by
stream copy. Here each segment, and the sound, is a job for a worker: each worker plans the
film again from the project file (`render.worker.replan`), renders its segment into a piece
beside the output on the shared storage, and the process that runs `filmkit render` joins the
pieces, verifies the film and moves it into place, as a render on one machine does.
"""

from __future__ import annotations

import functools
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from filmkit.errors import FilmkitError, Interrupted, RenderError
from filmkit.graph import RenderSpec, Version, build_segment_args, build_sound_args
from filmkit.media.ffmpeg import Progress, run_ffmpeg
from filmkit.project.segments import split_timeline
from filmkit.render.guard import project_inputs
from filmkit.render.plan import RenderPlan
from filmkit.render.run import (SEGMENT_EVENTS, RenderResult, join_segments, render_all, renders_in_segments,
                                segment_pieces, spec_for_versions, versions_into)
from filmkit.render.worker import (Expectations, PathMap, Recipe, WorkerMismatch, Workers, cancellable, check_worker,
                                   expectations_for, progress_sender, replan, worker_name)


@dataclass(frozen=True)
class PartTask:
    """One worker's part of a render: a segment's pictures (`segment`), or the sound (None)."""

    job: str
    recipe: Recipe
    segment: int | None
    targets: tuple[Path, ...]  # one piece per version (the sound: one file), as the coordinator sees them
    expected: Expectations
    path_map: PathMap


@dataclass(frozen=True)
class PartReport:
    job: str
    worker: str
    seconds: float
    failure: str = ""
    mismatch: str = ""


def render_on_workers(plan: RenderPlan, recipe: Recipe, workers: Workers,
                      on_progress: Callable[[Progress], None] | None = None) -> RenderResult | None:
    """The film of `plan` with its segments rendered by `workers`; None when the film is one segment
    (a short cut renders in one process: nothing to share)."""
    if not renders_in_segments(plan):
        return None
    expected = expectations_for(project_inputs(plan.loaded, plan.media), [plan.output.parent])
    workers.check(expected)
    step = functools.partial(_parts_on_workers, recipe=recipe, workers=workers, expected=expected)
    return render_all(plan, on_progress, step=step)[0]


def _parts_on_workers(plan: RenderPlan, spec: RenderSpec, versions: list[Version],
                      on_progress: Callable[[Progress], None] | None, names: str, *,
                      recipe: Recipe, workers: Workers, expected: Expectations) -> None:
    """The render step: sound and segments on the workers, the join here."""
    segments = split_timeline(plan.timeline, SEGMENT_EVENTS)
    run = uuid.uuid4().hex[:8]
    with segment_pieces(plan, versions) as piece:
        sound = piece("sound")
        parts = [[piece(f"seg{number:04d}v{index}") for number in range(len(segments))] for index in range(len(versions))]
        tasks = [PartTask(f"filmkit-{run}-sound", recipe, None, (sound,), expected, workers.path_map)]
        tasks += [PartTask(f"filmkit-{run}-seg{number}", recipe, number, tuple(part[number] for part in parts), expected,
                           workers.path_map) for number in range(len(segments))]
        frames: dict[str, int] = {}

        def heard(message: dict[str, Any]) -> None:
            if str(message.get("job", "")).startswith(f"filmkit-{run}-seg") and on_progress is not None:
                frames[message["job"]] = int(message.get("frame", 0))
                on_progress(Progress(sum(frames.values()), Fraction(0), None, False))

        futures: list[Future[Any]] = []
        with workers.progress(heard):
            try:
                futures = [workers.submit(render_part, task, task.job) for task in tasks]
                for future in workers.completed(futures):
                    _raise_failure(future.result(), names)
            except KeyboardInterrupt:
                workers.stop(futures, [task.job for task in tasks])
                raise Interrupted(f"interrupted; the cluster's jobs were cancelled and {plan.output.name} was not "
                                  "written (nothing half-written was left)") from None
            except BaseException:
                workers.stop(futures, [task.job for task in tasks])
                raise
        join_segments(versions, parts, sound, spec, piece, names)


def _raise_failure(report: PartReport, names: str) -> None:
    if report.mismatch:
        raise WorkerMismatch(report.mismatch)
    if report.failure:
        raise RenderError(f"rendering {names} on worker {report.worker}: {report.failure}")


def render_part(task: PartTask) -> PartReport:
    """Run on a worker: one segment's pictures (a piece per version), or the film's sound."""
    started = time.perf_counter()
    name = worker_name()
    try:
        check_worker(task.expected, task.path_map)
        with cancellable(task.job):
            plan = replan(task.recipe, task.path_map, task.expected.key)
            spec = spec_for_versions(plan.spec, len(plan.versions), os.cpu_count() or 2)
            targets = [task.path_map.to_worker(target) for target in task.targets]
            if task.segment is None:
                run_ffmpeg(build_sound_args(plan.timeline, plan.media, spec, targets[0]),
                           what=f"mixing the sound of {plan.output.name}")
            else:
                _segment(plan, spec, task, targets)
    except WorkerMismatch as exc:
        return PartReport(task.job, name, time.perf_counter() - started, mismatch=exc.message)
    except Interrupted:
        raise
    except FilmkitError as exc:
        return PartReport(task.job, name, time.perf_counter() - started, failure=exc.message)
    return PartReport(task.job, name, time.perf_counter() - started)


def _segment(plan: RenderPlan, spec: RenderSpec, task: PartTask, targets: list[Path]) -> None:
    assert task.segment is not None
    segments = split_timeline(plan.timeline, SEGMENT_EVENTS)
    segment = segments[task.segment]
    send = progress_sender(task.job)
    with tempfile.TemporaryDirectory(prefix="filmkit-") as workdir:
        versions = versions_into(plan, targets, Path(workdir))
        run_ffmpeg(build_segment_args(segment.timeline, plan.media, versions, spec, segment.start),
                   on_progress=lambda update: send(update.frame),
                   what=f"rendering {plan.output.name} (part {task.segment + 1} of {len(segments)})")
