"""One export job as a cluster worker runs it: plan, render, verify, measure, and hand over.

The worker renders the job's versions into temporaries beside their targets (storage it shares
with the coordinator), verifies them against the preset, measures their loudness, hashes them
and draws their posters, all at hidden names. It never moves anything into place: the
coordinator does, and records it, so an output path changes only in the one process that holds
the export's lock and writes its manifest. A job that fails on its own input comes back as a
failure (reported once, never retried); a worker that dies takes nothing with it but hidden
temporaries, and the cluster runs its job again elsewhere.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from filmkit.errors import FilmkitError, Interrupted
from filmkit.export.manifest import loudness_fields, sha256_file
from filmkit.platform.conformance import measure_file_loudness
from filmkit.render.extras import write_poster
from filmkit.atomic import TEMP_MARK
from filmkit.render.run import RenderResult, render_for_handoff
from filmkit.render.worker import (Expectations, PathMap, Recipe, WorkerMismatch, cancellable, check_worker,
                                   progress_sender, replan, worker_name)


@dataclass(frozen=True)
class JobRequest:
    """What the coordinator sends: the job's id, how to plan it, and what the worker must see."""

    job: str
    recipe: Recipe
    poster_seconds: Fraction
    expected: Expectations
    path_map: PathMap


@dataclass(frozen=True)
class ReadyOutput:
    """A verified version waiting beside its target (names relative to the target's folder)."""

    target: Path  # as the coordinator sees it
    ready: str
    poster: str
    size: int
    sha256: str
    loudness: dict[str, float]


@dataclass(frozen=True)
class JobReport:
    job: str
    worker: str
    seconds: float
    outputs: tuple[ReadyOutput, ...] = ()
    planning: float = 0.0  # of `seconds`: checking what the worker sees and planning the job again
    failure: str = ""  # the job failed on its own input: reported once, not retried
    mismatch: str = ""  # the worker does not see what the coordinator sees

    @property
    def host(self) -> str:
        return self.worker.split(" (", 1)[0]


def render_job(request: JobRequest) -> JobReport:
    """Run on a worker: the job's versions rendered, verified and measured at hidden names."""
    started = time.perf_counter()
    name = worker_name()
    try:
        check_worker(request.expected, request.path_map)
    except WorkerMismatch as exc:
        return JobReport(request.job, name, time.perf_counter() - started, mismatch=exc.message)
    rendered: list[RenderResult] = []
    with cancellable(request.job):
        try:
            send = progress_sender(request.job)  # says at once which worker took the job
            plan = replan(request.recipe, request.path_map, request.expected.key)
            planning = time.perf_counter() - started
            rendered = render_for_handoff(plan, on_progress=lambda update: send(update.frame), preset=request.recipe.preset)
            outputs = tuple(_measured(result, target, request.poster_seconds)
                            for result, (_lang, target) in zip(rendered, request.recipe.outputs))
        except Interrupted:
            _discard(rendered)
            raise
        except FilmkitError as exc:
            _discard(rendered)
            return JobReport(request.job, name, time.perf_counter() - started, failure=exc.message)
        except BaseException:
            _discard(rendered)
            raise
    return JobReport(request.job, name, time.perf_counter() - started, outputs, planning)


def _measured(result: RenderResult, target: Path, poster_seconds: Fraction) -> ReadyOutput:
    """What the manifest needs of a ready file, measured here so the coordinator only moves files."""
    assert result.ready is not None and result.info is not None
    ready = result.ready
    poster = write_poster(ready, poster_seconds, _poster_of(ready))
    measured = measure_file_loudness(ready, result.info)
    return ReadyOutput(target, ready.name, poster.name, result.size_bytes, sha256_file(ready), loudness_fields(measured))


def _poster_of(ready: Path) -> Path:
    """The hidden poster beside a ready file, swept like it."""
    return ready.with_name(ready.name.replace(f"-ready{TEMP_MARK}", f"-poster{TEMP_MARK}")).with_suffix(".jpg")


def _discard(rendered: list[RenderResult]) -> None:
    """Ready files and posters of a job that will not be handed over."""
    for result in rendered:
        if result.ready is not None:
            for path in (result.ready, _poster_of(result.ready)):
                with contextlib.suppress(OSError):
                    path.unlink()
