"""What a cluster worker does before and around any work: see what the coordinator sees, plan
the same render again, stop when the job is cancelled, say how far it got.

A worker renders into files beside the targets on storage it shares with the process that sent
the job (the coordinator). Before its first job it checks that it sees the project's files at
the same paths (or under a `--path-map FROM=TO`), with the same sizes, that it can write the
output folders, and that it runs the same filmkit and ffmpeg: a mismatch is one error naming the
worker and the path or version, never a film rendered from other files. A job travels as a
`Recipe` (the project file, the outputs, the preset and the measured loudness), and the worker
plans it again itself, so fonts and temporary files are its own and nothing of the coordinator's
machine leaks into the job. Nothing here imports Dask at module level: it lives on the workers
only when a cluster is used.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ContextManager, Protocol

from filmkit import __version__
from filmkit.errors import FilmkitError
from filmkit.media.ffmpeg import StopScope, ffmpeg_version, stop_scope
from filmkit.media.loudness import Loudness
from filmkit.media.probe import MediaInfo
from filmkit.platform.preset import Preset
from filmkit.project import LoadedProject, Timeline

if TYPE_CHECKING:
    from filmkit.render.plan import RenderPlan

PROGRESS_TOPIC = "filmkit-progress"
PROGRESS_EVERY = 0.5  # seconds between two progress messages of one job
WATCH_EVERY = 0.5  # seconds between two looks at whether the cluster cancelled the job


class WorkerMismatch(FilmkitError):
    """A worker does not see the project's files, or runs another filmkit or ffmpeg."""


@dataclass(frozen=True)
class PathMap:
    """Folders as this machine sees them (FROM) and as the workers see them (TO)."""

    pairs: tuple[tuple[Path, Path], ...] = ()

    def to_worker(self, path: Path) -> Path:
        """`path` as a worker sees it: the longest FROM it lies under replaced by its TO."""
        for source, target in sorted(self.pairs, key=lambda pair: len(pair[0].parts), reverse=True):
            if path == source or source in path.parents:
                return target / path.relative_to(source)
        return path

    def __str__(self) -> str:
        return ", ".join(f"{source}={target}" for source, target in self.pairs) or "none"


def parse_path_maps(values: Sequence[str]) -> PathMap:
    """`--path-map FROM=TO` options, each checked: two absolute folders, each FROM once."""
    pairs: list[tuple[Path, Path]] = []
    for value in values:
        source, equals, target = value.partition("=")
        if not equals or not source.strip() or not target.strip():
            raise FilmkitError(f"--path-map {value!r}: give FROM=TO, a folder as this machine sees it and the same "
                               "folder as the workers see it (e.g. --path-map /Volumes/campaign=/mnt/campaign)")
        pair = (Path(source.strip()), Path(target.strip()))
        if not all(path.is_absolute() for path in pair):
            raise FilmkitError(f"--path-map {value!r}: both folders must be absolute paths (starting with /), "
                               "since a worker's working folder is not this one's")
        if any(known == pair[0] for known, _ in pairs):
            raise FilmkitError(f"--path-map {value!r}: {pair[0]} is mapped twice; give each folder once")
        pairs.append(pair)
    return PathMap(tuple(pairs))


@dataclass(frozen=True)
class Expectations:
    """What every worker must see, as the coordinator sees it."""

    filmkit: str
    ffmpeg: str
    files: tuple[tuple[str, Path, int], ...]  # what it is, path, size in bytes
    folders: tuple[Path, ...]  # output folders the worker writes into

    @property
    def key(self) -> str:
        return hashlib.sha256(repr(self).encode("utf-8")).hexdigest()[:16]


def expectations_for(inputs: dict[Path, str], folders: Sequence[Path]) -> Expectations:
    """The coordinator's view: every input file with its size (`render.guard.project_inputs`)."""
    files = tuple((what, path, path.stat().st_size) for path, what in sorted(inputs.items()) if path.is_file())
    return Expectations(__version__, _ffmpeg_version(), files, tuple(sorted(set(folders))))


@functools.lru_cache(maxsize=1)
def _ffmpeg_version() -> str:
    return ffmpeg_version()


def worker_name() -> str:
    """This worker's host name, and its Dask address when it is a Dask worker."""
    host = socket.gethostname()
    try:
        from distributed import get_worker

        return f"{host} ({get_worker().address})"
    except (ImportError, ValueError):
        return f"{host} (pid {os.getpid()})"


_CHECKED: set[tuple[str, PathMap]] = set()


def check_worker(expected: Expectations, path_map: PathMap) -> None:
    """Raise WorkerMismatch unless this worker sees what the coordinator sees (once per process)."""
    if (expected.key, path_map) in _CHECKED:
        return
    problem = mismatch(expected, path_map)
    if problem:
        raise WorkerMismatch(f"worker {worker_name()}: {problem}")
    _CHECKED.add((expected.key, path_map))


def mismatch(expected: Expectations, path_map: PathMap) -> str:
    """What this worker sees differently from the coordinator, in one sentence; '' when nothing."""
    fix = (f"Mount the shared storage at the same path on every worker, or map it with --path-map FROM=TO "
           f"(path maps: {path_map})")
    if expected.filmkit != __version__:
        return (f"runs filmkit {__version__}, the export was planned with filmkit {expected.filmkit}. "
                "Install the same filmkit on every worker")
    ours = _ffmpeg_version()
    if ours != expected.ffmpeg:
        return f"runs {ours!r}, the export was planned with {expected.ffmpeg!r}. Install the same filmkit on every worker"
    for what, path, size in expected.files:
        seen = path_map.to_worker(path)
        try:
            found = seen.stat().st_size
        except OSError as exc:
            return f"cannot see {what} {path} at {seen} ({exc.strerror}). {fix}"
        if found != size:
            return f"sees {what} at {seen} with {found} bytes, not {size} as at {path}: another copy? {fix}"
    for folder in expected.folders:
        seen = path_map.to_worker(folder)
        if not os.access(seen, os.W_OK | os.X_OK):
            return f"cannot write the output folder {folder} at {seen}. {fix}, and let the workers write there"
    return ""


@dataclass(frozen=True)
class Recipe:
    """How a worker plans the coordinator's render again: the project file, the outputs (language,
    target path) as the coordinator sees them, the platform's preset (None: the master) and the mix's
    loudness the coordinator measured."""

    project_file: Path
    outputs: tuple[tuple[str, Path], ...]
    preset: Preset | None = None
    loudness: Loudness | None = None


_PLANS: dict[str, RenderPlan] = {}
_CHECKED_PROJECTS: dict[tuple[Path, str], tuple[LoadedProject, Timeline, dict[Path, MediaInfo]]] = {}
_PLANS_KEPT = 4  # the segments of one film on one worker plan it once


def replan(recipe: Recipe, path_map: PathMap, key: str) -> RenderPlan:
    """The RenderPlan of `recipe` as this worker sees it (cached per process: `key` names the inputs)."""
    from filmkit.render.plan import load_and_check, plan_platform, plan_render, version_tracks

    cache_key = hashlib.sha256(repr((recipe, path_map, key)).encode("utf-8")).hexdigest()
    cached = _PLANS.get(cache_key)
    if cached is not None:
        return cached
    project = path_map.to_worker(recipe.project_file)
    outputs = [(lang, path_map.to_worker(path)) for lang, path in recipe.outputs]
    if recipe.preset is None:
        lang, target = outputs[0]
        plan = plan_render(project, target, lang=lang or None)
    else:
        checked = _CHECKED_PROJECTS.get((project, key)) or load_and_check(project)
        _CHECKED_PROJECTS.clear()
        _CHECKED_PROJECTS[(project, key)] = checked
        loaded, timeline, media = checked
        vertical = recipe.preset.video.size.height > recipe.preset.video.size.width
        tracks = {lang: version_tracks(loaded, timeline, lang, vertical) for lang, _ in outputs}
        plan = plan_platform(loaded, timeline, media, recipe.preset, outputs, recipe.loudness, tracks)
    if len(_PLANS) >= _PLANS_KEPT:
        _PLANS.pop(next(iter(_PLANS)))
    _PLANS[cache_key] = plan
    return plan


# The jobs this worker process runs, by id: the coordinator stops them by id and waits until none is left.
_ACTIVE: dict[str, StopScope] = {}
_ACTIVE_LOCK = threading.Lock()


@contextlib.contextmanager
def cancellable(job: str) -> Iterator[None]:
    """The job's ffmpeg runs stop (raising Interrupted) when the coordinator stops it by id, or when
    the cluster cancels its task: Ctrl-C on the coordinator, or the coordinator gone."""
    cancelled = _task_cancelled()
    done = threading.Event()
    with stop_scope() as scope:
        with _ACTIVE_LOCK:
            _ACTIVE[job] = scope
        watcher = threading.Thread(target=_watch, args=(scope, cancelled, done), daemon=True, name=f"filmkit-watch-{job}")
        watcher.start()
        try:
            yield
        finally:
            done.set()
            with _ACTIVE_LOCK:
                _ACTIVE.pop(job, None)


def _watch(scope: StopScope, cancelled: Callable[[], bool], done: threading.Event) -> None:
    while not done.wait(WATCH_EVERY):
        if cancelled():
            scope.stop()
            return


def _task_cancelled() -> Callable[[], bool]:
    """Whether the Dask task running in this thread was cancelled (its result is wanted no more)."""
    try:
        from distributed import get_worker

        worker = get_worker()
        key = worker.get_current_task()
    except (ImportError, ValueError, AttributeError):
        return lambda: False

    def cancelled() -> bool:
        task = worker.state.tasks.get(key)
        return task is None or task.state in ("cancelled", "released", "forgotten")

    return cancelled


def stop_jobs(jobs: Sequence[str]) -> list[str]:
    """Stop the jobs of `jobs` running here (run on every worker by the coordinator); returns those found."""
    with _ACTIVE_LOCK:
        found = [(job, _ACTIVE[job]) for job in jobs if job in _ACTIVE]
    for _job, scope in found:
        scope.stop()
    return [job for job, _scope in found]


def active_jobs(jobs: Sequence[str]) -> list[str]:
    """Which of `jobs` still run in this worker process."""
    with _ACTIVE_LOCK:
        return [job for job in jobs if job in _ACTIVE]


def progress_sender(job: str) -> Callable[[int], None]:
    """Send this job's rendered frame count to the coordinator, at most every PROGRESS_EVERY seconds."""
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return lambda _frame: None
    name, last = worker_name(), [0.0]
    worker.log_event(PROGRESS_TOPIC, {"job": job, "frame": 0, "name": name})

    def send(frame: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY:
            last[0] = now
            worker.log_event(PROGRESS_TOPIC, {"job": job, "frame": frame, "name": name})

    return send


class Workers(Protocol):
    """A cluster as a render needs it (`export.cluster.Cluster` is one): the layers below the
    export know the protocol, not Dask."""

    path_map: PathMap

    def check(self, expected: Expectations) -> None: ...

    def submit(self, function: Callable[..., Any], argument: Any, key: str) -> Future[Any]: ...

    def completed(self, futures: Sequence[Future[Any]]) -> Iterator[Future[Any]]: ...

    def progress(self, handler: Callable[[dict[str, Any]], None]) -> ContextManager[None]: ...

    def stop(self, futures: Sequence[Future[Any]], jobs: Sequence[str]) -> None: ...
