"""An export's jobs on a cluster: sent to the workers, then moved into place and recorded here.

The coordinator (the process that runs `filmkit export`) keeps everything that must happen in
one place: the plan, the mix's loudness, the export lock, the manifest and the summary. Workers
render into hidden files beside the targets, verified, measured and with their posters
(`export.remote`); the coordinator checks it sees each file the worker reports, at its size, and
moves it into place with `os.replace` (atomic: the worker wrote it in the target's folder on the
shared storage and closed it before reporting). So only one process ever changes an output path,
and a kill anywhere leaves no partial file at one: a killed worker leaves hidden temporaries
(swept once its pid is gone) and the cluster runs its job again; a killed coordinator leaves its
manifest as it was after the last recorded output, and the workers' cancelled jobs stop.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from fractions import Fraction
from pathlib import Path
from typing import Any

from filmkit.errors import FilmkitError, Interrupted, RenderError
from filmkit.export.batch import EventKind, ExportEvent, Job, Outcome, OutputResult, output_entry
from filmkit.export.manifest import Entry, Manifest
from filmkit.export.matrix import ExportPlan, Output, is_vertical
from filmkit.export.remote import JobReport, JobRequest, ReadyOutput, render_job
from filmkit.media.loudness import Loudness
from filmkit.render.extras import poster_frame
from filmkit.render.guard import project_inputs
from filmkit.render.worker import Recipe, WorkerMismatch, Workers, expectations_for

log = logging.getLogger("filmkit.export.cluster_run")


def execute_on_cluster(plan: ExportPlan, work: list[Job], manifest: Manifest, inputs: dict[Path, dict[str, str]],
                       loudness: Loudness | None, notify: Callable[[ExportEvent], None],
                       cluster: Workers) -> list[OutputResult]:
    """Every job on the cluster's workers; each output moved into place and recorded as its job ends."""
    clock = time.perf_counter()
    folders = sorted({output.path.parent for job in work for output in job.outputs})
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    expected = expectations_for(project_inputs(plan.loaded, plan.media), folders)
    cluster.check(expected)
    spent = {"checking the workers": time.perf_counter() - clock, "submitting": 0.0, "placing and recording": 0.0,
             "workers planning again": 0.0}
    poster_seconds = Fraction(poster_frame(plan.loaded, plan.timeline)) / plan.timeline.fps
    run = uuid.uuid4().hex[:8]
    requests: dict[str, tuple[Job, JobRequest]] = {}
    for number, job in enumerate(work):
        name = f"filmkit-{run}-{number}-{job.platform}"
        recipe = Recipe(plan.loaded.path.absolute(), tuple((output.lang, output.path) for output in job.outputs),
                        job.outputs[0].preset, loudness)
        requests[name] = (job, JobRequest(name, recipe, poster_seconds, expected, cluster.path_map))
    results: list[OutputResult] = []
    futures: dict[Future[Any], str] = {}
    with cluster.progress(_listener(requests, notify)):
        try:
            clock = time.perf_counter()
            futures = {cluster.submit(render_job, request, name): name for name, (_job, request) in requests.items()}
            spent["submitting"] = time.perf_counter() - clock
            for future in cluster.completed(list(futures)):
                job = requests[futures[future]][0]
                clock = time.perf_counter()
                done = _place(plan, job, future, manifest, inputs)
                spent["placing and recording"] += time.perf_counter() - clock
                with contextlib.suppress(Exception):
                    spent["workers planning again"] += future.result().planning
                results.extend(done)
                notify(ExportEvent(EventKind.DONE, job, results=tuple(done)))
        except KeyboardInterrupt:
            cluster.stop(list(futures), list(requests))
            raise Interrupted("export interrupted; the cluster's jobs were cancelled, finished outputs are kept and "
                              "recorded, nothing half-written was left. Run the same command again to complete the rest"
                              ) from None
        except BaseException:
            cluster.stop(list(futures), list(requests))
            raise
    # The coordinator's own time per job, what limits the speed-up on many machines (benchmarks/cluster.py reads it).
    log.debug("coordinator time for %d jobs: %s", len(work), ", ".join(f"{key} {value:.3f} s" for key, value in spent.items()))
    return results


def _listener(requests: dict[str, tuple[Job, JobRequest]],
              notify: Callable[[ExportEvent], None]) -> Callable[[dict[str, Any]], None]:
    """The workers' progress messages as export events: the first of a job says where it started."""
    started: set[str] = set()

    def heard(message: dict[str, Any]) -> None:
        name = message.get("job")
        if name not in requests:
            return
        kind = EventKind.PROGRESS if name in started else EventKind.START
        started.add(name)
        notify(ExportEvent(kind, requests[name][0], frame=int(message.get("frame", 0)), worker=str(message.get("name", ""))))

    return heard


def _place(plan: ExportPlan, job: Job, future: Future[Any], manifest: Manifest,
           inputs: dict[Path, dict[str, str]]) -> list[OutputResult]:
    """A finished job's outputs moved into place and recorded; its failure reported once."""
    try:
        report: JobReport = future.result()
    except Exception as exc:  # the task itself raised: its workers kept dying (KilledWorker), or a bug
        reason = (f"the cluster gave up on this job: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}. "
                  "Its workers died while rendering it (out of memory? killed?); run the export again")
        return [OutputResult(output, Outcome.FAILED, reason) for output in job.outputs]
    if report.mismatch:
        raise WorkerMismatch(report.mismatch)
    if report.failure:
        return [OutputResult(output, Outcome.FAILED, report.failure, report.seconds) for output in job.outputs]
    results = []
    try:
        for output, ready in zip(job.outputs, report.outputs):
            try:
                manifest.record(_move_into_place(plan, output, ready, inputs[output.path], report))
                results.append(OutputResult(output, Outcome.RENDERED, seconds=report.seconds))
            except FilmkitError as exc:
                results.append(OutputResult(output, Outcome.FAILED, exc.message, report.seconds))
    finally:
        for ready in report.outputs:  # whatever was not moved (a failure above) is not left behind
            for name in (ready.ready, ready.poster):
                with contextlib.suppress(OSError):
                    (ready.target.parent / name).unlink()
    return results


def _move_into_place(plan: ExportPlan, output: Output, ready: ReadyOutput, inputs: dict[str, str],
                     report: JobReport) -> Entry:
    folder = output.path.parent
    video, poster = folder / ready.ready, folder / ready.poster
    try:
        seen = video.stat().st_size
    except OSError as exc:
        seen = f"nothing ({exc.strerror})"
    if seen != ready.size:
        raise RenderError(f"{output.path}: worker {report.worker} wrote {ready.ready} ({ready.size} bytes) beside it, "
                          f"but this machine sees {seen} there: the worker writes to other storage at that path. "
                          "Check that every worker mounts the same shared storage (and --path-map)")
    os.replace(video, output.path)
    target = output.path.with_suffix(".jpg")
    os.replace(poster, target)
    tracks = plan.tracks.get((output.lang, is_vertical(output.preset)), ())
    fps = output.preset.output_fps(plan.timeline.fps)
    entry = output_entry(plan, output, inputs, tracks, fps, target, ready.loudness, ready.sha256)
    entry.worker, entry.seconds = report.host, round(report.seconds, 2)
    return entry
