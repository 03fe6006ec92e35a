"""A Dask cluster for filmkit's renders: connected to (or started), checked, stopped.

`--scheduler tcp://HOST:PORT` connects to a running Dask scheduler (`dask scheduler`, with
`dask worker` processes on machines that share the project's storage); `--scheduler local:N`
starts a LocalCluster of N worker processes on this machine. Either way filmkit uses the
cluster only through `Cluster` (the `render.worker.Workers` protocol): submit a job, see jobs
finish, hear their progress, stop them. The only module besides `render.worker` that imports Dask.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from filmkit.errors import FilmkitError
from filmkit.render.worker import (PROGRESS_TOPIC, Expectations, PathMap, WorkerMismatch, active_jobs, mismatch,
                                   stop_jobs)

ENV_SCHEDULER = "FILMKIT_SCHEDULER"
CONNECT_SECONDS = 5.0  # an unreachable scheduler is an error after this long, not a hang
WORKERS_SECONDS = 10.0  # how long to wait for the first worker to join a scheduler that has none
STOP_SECONDS = 15.0  # after Ctrl-C: how long to wait for the workers' ffmpeg to stop and clean up
MAX_LOCAL_WORKERS = 64
_ADDRESS = re.compile(r"^(?:(?P<protocol>tcp|tls)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(?P<port>\d{1,5})$")
_LOCAL = re.compile(r"^local:(?P<workers>\d+)$")


class SchedulerError(FilmkitError):
    """The scheduler address is wrong, the scheduler cannot be reached, or Dask is missing."""


@dataclass(frozen=True)
class Scheduler:
    """Where the jobs go: a scheduler's address, or a LocalCluster of `workers` processes."""

    address: str = ""
    workers: int = 0  # > 0: start a LocalCluster of this many worker processes

    def __str__(self) -> str:
        return f"local:{self.workers}" if self.workers else self.address


def parse_scheduler(value: str) -> Scheduler:
    """`tcp://HOST:PORT` (or HOST:PORT, tls://...) or `local:N`, checked before anything connects."""
    text = value.strip()
    local = _LOCAL.match(text)
    if local:
        workers = int(local.group("workers"))
        if not 1 <= workers <= MAX_LOCAL_WORKERS:
            raise SchedulerError(f"--scheduler {value!r}: a local cluster has 1 to {MAX_LOCAL_WORKERS} worker "
                                 "processes; each runs one render at a time, and x264 already uses every core")
        return Scheduler(workers=workers)
    address = _ADDRESS.match(text)
    if address and 1 <= int(address.group("port")) <= 65535:
        return Scheduler(address=text if address.group("protocol") else f"tcp://{text}")
    raise SchedulerError(f"--scheduler {value!r}: give the Dask scheduler's address as tcp://HOST:PORT (what "
                         "`dask scheduler` prints, e.g. tcp://10.0.0.5:8786), or local:N to start N worker "
                         f"processes on this machine (also from the {ENV_SCHEDULER} variable)")


class Cluster:
    """A Dask client with what filmkit needs of it (the `render.worker.Workers` protocol)."""

    def __init__(self, client: Any, scheduler: Scheduler, path_map: PathMap) -> None:
        self.client = client
        self.scheduler = scheduler
        self.path_map = path_map

    def workers(self) -> list[str]:
        return sorted(self.client.scheduler_info().get("workers", {}))

    def check(self, expected: Expectations) -> None:
        """Every worker sees the project's files and runs the same filmkit and ffmpeg, or one error."""
        found = self.client.run(mismatch, expected, self.path_map)
        problems = [f"worker {address}: {problem}" for address, problem in sorted(found.items()) if problem]
        if problems:
            more = f" ({len(problems) - 1} more worker(s) alike)" if len(problems) > 1 else ""
            raise WorkerMismatch(problems[0] + more)

    def submit(self, function: Callable[..., Any], argument: Any, key: str) -> Future[Any]:
        return self.client.submit(function, argument, key=key, pure=False)  # type: ignore[no-any-return]

    def completed(self, futures: Sequence[Future[Any]]) -> Iterator[Future[Any]]:
        from distributed import as_completed

        yield from as_completed(list(futures), loop=self.client.loop)

    @contextlib.contextmanager
    def progress(self, handler: Callable[[dict[str, Any]], None]) -> Iterator[None]:
        """`handler` hears the workers' progress messages (in the client's own thread) inside the block."""
        self.client.subscribe_topic(PROGRESS_TOPIC, lambda event: handler(event[1]))
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                self.client.unsubscribe_topic(PROGRESS_TOPIC)

    def stop(self, futures: Sequence[Future[Any]], jobs: Sequence[str]) -> None:
        """Cancel the jobs, stop their ffmpeg on the workers, and wait (a little) until they cleaned up."""
        with contextlib.suppress(Exception):
            self.client.cancel(list(futures))
        deadline = time.monotonic() + STOP_SECONDS
        with contextlib.suppress(Exception):
            self.client.run(stop_jobs, list(jobs))
            while time.monotonic() < deadline and any(self.client.run(active_jobs, list(jobs)).values()):
                time.sleep(0.2)


@contextlib.contextmanager
def connect(scheduler: Scheduler, path_map: PathMap = PathMap(), debug: bool = False) -> Iterator[Cluster]:
    """A cluster to render on: connected within CONNECT_SECONDS, with at least one worker."""
    try:
        import dask
        import distributed
    except ImportError:
        raise SchedulerError("--scheduler needs Dask, an optional part of filmkit: pip install 'filmkit[dask]' "
                             "(on this machine and every worker)") from None
    for name in ("distributed", "bokeh", "tornado"):  # their INFO lines would drown filmkit's own
        logging.getLogger(name).setLevel(logging.WARNING if debug else logging.CRITICAL)
    with dask.config.set({"distributed.comm.timeouts.connect": f"{CONNECT_SECONDS}s"}), contextlib.ExitStack() as stack:
        if scheduler.workers:
            local = stack.enter_context(distributed.LocalCluster(
                n_workers=scheduler.workers, threads_per_worker=1, processes=True, dashboard_address=None,
                silence_logs=logging.WARNING if debug else logging.CRITICAL))
            client = stack.enter_context(distributed.Client(local))
        else:
            client = stack.enter_context(_client(distributed, scheduler))
            _wait_for_workers(client, scheduler)
        yield Cluster(client, scheduler, path_map)


def _client(distributed: Any, scheduler: Scheduler) -> Any:
    try:
        return distributed.Client(scheduler.address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(
            f"--scheduler {scheduler}: no Dask scheduler answered within {CONNECT_SECONDS:g} s ({_reason(exc)}). "
            "Check the address and port (`dask scheduler` prints them), that the scheduler runs and that no "
            "firewall is in the way; or use local:N to render on this machine") from None


def _reason(exc: BaseException) -> str:
    text = str(exc).split("\n", 1)[0].strip()
    return text[:160] or type(exc).__name__


def _wait_for_workers(client: Any, scheduler: Scheduler) -> None:
    try:
        client.wait_for_workers(1, timeout=WORKERS_SECONDS)
    except (OSError, TimeoutError):
        raise SchedulerError(
            f"--scheduler {scheduler}: the scheduler has no workers (none joined within {WORKERS_SECONDS:g} s). "
            f"Start some on the machines that share the project's storage: dask worker {scheduler.address} "
            "--nthreads 1") from None
