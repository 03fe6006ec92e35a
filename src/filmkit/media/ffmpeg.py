"""The one door to external processes: find ffmpeg, run it, stream its progress.

ffmpeg runs in its own session so that Ctrl-C reaches filmkit only; filmkit then stops ffmpeg
and cleans up. If filmkit itself is killed (even with SIGKILL), Linux's parent-death signal
kills ffmpeg too, so no orphan keeps writing (ffmpeg ignores SIGPIPE, so a closed progress
pipe alone would not stop it).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import logging
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from filmkit.errors import FilmkitError, Interrupted, RenderError
from filmkit.media.ffmpeg_log import failure, meaningful_line  # noqa: F401  (meaningful_line: re-exported)

log = logging.getLogger("filmkit.media.ffmpeg")

ENV_FFMPEG = "FILMKIT_FFMPEG"
# A file to which every ffmpeg run appends one JSON line {"what", "wall"} (seconds): how the
# benchmarks tell filmkit's own time from its ffmpeg processes' (benchmarks/RESULTS.md, overhead).
ENV_TIMINGS = "FILMKIT_FFMPEG_TIMINGS"
STDERR_LINES_KEPT = 60

# glibc raises its mmap threshold after a large block is freed, so the frame pools of shots
# that have ended stay in ffmpeg's heap; a fixed threshold returns them to the system. Measured
# on a 6-shot 1080p master: peak 954 -> 818 MiB for ~3 % more CPU (benchmarks/RESULTS.md).
# Other C libraries ignore the variable; a value the user set is kept.
_FFMPEG_ENV_DEFAULTS = {"MALLOC_MMAP_THRESHOLD_": "131072"}



@dataclass(frozen=True)
class Progress:
    frame: int
    seconds: Fraction  # of output written
    speed: float | None
    done: bool


def ffmpeg_binary() -> str:
    """`FILMKIT_FFMPEG` if set, else the static build that imageio-ffmpeg ships."""
    override = os.environ.get(ENV_FFMPEG)
    if override:
        if not Path(override).is_file() or not os.access(override, os.X_OK):
            raise FilmkitError(
                f"{ENV_FFMPEG}={override!r} is not an executable file. Point it at an ffmpeg "
                f"binary, or unset it to use the one bundled with filmkit"
            )
        return override
    bundled = _bundled_binary()
    if bundled is not None:
        return bundled
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as exc:
        raise FilmkitError(
            f"no ffmpeg found ({exc}). Reinstall filmkit (it depends on imageio-ffmpeg), "
            f"or set {ENV_FFMPEG} to an ffmpeg binary"
        ) from None


@functools.lru_cache(maxsize=1)
def _bundled_binary() -> str | None:
    """The ffmpeg inside the imageio-ffmpeg wheel, found without running it.

    imageio-ffmpeg's own lookup runs `ffmpeg -version` to test the binary and remembers a
    failure for the life of the process, so one killed probe made a whole export fail with "no
    ffmpeg found". A binary that is really broken fails its first real run with ffmpeg's message.
    """
    spec = importlib.util.find_spec("imageio_ffmpeg")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "binaries"
    found = sorted(path for path in folder.glob("ffmpeg*") if path.is_file() and os.access(path, os.X_OK))
    return str(found[0]) if found else None


def run_ffmpeg(
    args: Sequence[str],
    *,
    on_progress: Callable[[Progress], None] | None = None,
    what: str = "ffmpeg",
) -> None:
    """Run ffmpeg with `args` (everything after the binary); raise RenderError on failure."""
    argv = [ffmpeg_binary(), "-nostdin", "-hide_banner", "-nostats", "-loglevel", "level+info",
            "-progress", "pipe:1", *args]
    with _running(argv, what, stdout=subprocess.PIPE) as process:
        stderr_tail: deque[str] = deque(maxlen=STDERR_LINES_KEPT)
        reader = threading.Thread(target=_drain, args=(process.stderr, stderr_tail), daemon=True)
        reader.start()
        try:
            _read_progress(process, on_progress)
            returncode = process.wait()
        except BaseException:
            _stop(process)
            reader.join(timeout=2)
            raise
        reader.join(timeout=5)
    if returncode != 0:
        tail = list(stderr_tail)
        raise RenderError(failure(what, returncode, tail), argv=argv, returncode=returncode, stderr_tail=tail)


def run_tool(args: Sequence[str], *, what: str) -> str:
    """Run ffmpeg for a quick job (analysis, stills) and return its stderr."""
    argv = [ffmpeg_binary(), "-nostdin", "-hide_banner", "-loglevel", "level+info", *args]
    try:
        with _running(argv, what, stdout=subprocess.DEVNULL) as process:
            _out, raw = process.communicate()
    except KeyboardInterrupt:
        raise Interrupted("interrupted") from None
    stderr = raw.decode("utf-8", "replace")
    if process.returncode != 0:
        tail = stderr.splitlines()[-STDERR_LINES_KEPT:]
        raise RenderError(failure(what, process.returncode, tail), argv=argv, returncode=process.returncode,
                          stderr_tail=tail)
    return stderr


def ffmpeg_query(*args: str) -> str:
    """What ffmpeg prints on stdout for `args` (-version, -filters, -encoders, -h filter=NAME)."""
    argv = [ffmpeg_binary(), "-hide_banner", *args]
    with _running(argv, f"ffmpeg {' '.join(args)}", stdout=subprocess.PIPE) as process:
        out, _err = process.communicate()
    return out.decode("utf-8", "replace")


def ffmpeg_version() -> str:
    out = ffmpeg_query("-version")
    return out.splitlines()[0] if out else "unknown"


def ffmpeg_filters() -> set[str]:
    names = set()
    for line in ffmpeg_query("-filters").splitlines():
        parts = line.split()
        if len(parts) >= 3 and "->" in parts[2]:
            names.add(parts[1])
    return names


# Every ffmpeg this process runs (renders in worker threads of a batch export, measurements,
# stills): Ctrl-C reaches only the main thread, which stops them all through here.
_RUNNING: set[subprocess.Popen[bytes]] = set()
_STOPPED: set[subprocess.Popen[bytes]] = set()
_RUNNING_LOCK = threading.Lock()
_REFUSING = 0  # how many stopping_all() blocks are open: while any is, nothing new starts


@contextlib.contextmanager
def _running(argv: list[str], what: str, *, stdout: int) -> Iterator[subprocess.Popen[bytes]]:
    """Start ffmpeg in its own session, registered so stopping_all() can stop it; raise
    Interrupted when it was stopped (or is not started because a stop is under way)."""
    log.debug("running %s", shlex.join(argv))
    scope: StopScope | None = getattr(_SCOPE, "current", None)
    with _RUNNING_LOCK:
        refused = _REFUSING > 0 or (scope is not None and scope.stopped)
    if refused:
        raise Interrupted(f"{what}: not started (stopping)")
    started = time.perf_counter()
    try:
        process = subprocess.Popen(
            argv,
            stdout=stdout,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent_hook(),
            env={**_FFMPEG_ENV_DEFAULTS, **os.environ},
        )
    except OSError as exc:
        raise RenderError(f"{what}: cannot start ffmpeg ({exc.strerror})", argv=argv) from None
    with _RUNNING_LOCK:
        _RUNNING.add(process)
        if scope is not None:
            scope.processes.add(process)
            if scope.stopped:  # stopped between the check above and now
                _STOPPED.add(process)
    try:
        if process in _STOPPED:
            _stop(process)
        yield process
    except BaseException:
        _stop(process)
        raise
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(process)
            if scope is not None:
                scope.processes.discard(process)
            stopped = process in _STOPPED
            _STOPPED.discard(process)
        _record_timing(what, time.perf_counter() - started)
    if stopped:
        raise Interrupted(f"{what}: stopped")


def _record_timing(what: str, wall: float) -> None:
    """One ffmpeg run's wall time, in the debug log and, when asked, the timings file."""
    log.debug("%s: ffmpeg ran %.3f s", what, wall)
    target = os.environ.get(ENV_TIMINGS)
    if target:
        with open(target, "a", encoding="utf-8") as file:
            file.write(json.dumps({"what": what, "wall": round(wall, 6)}) + "\n")


@contextlib.contextmanager
def stopping_all() -> Iterator[None]:
    """Stop every ffmpeg this process is running (their runs raise Interrupted) and refuse to
    start new ones until the block ends: inside it the caller waits for its worker threads, so
    none starts the next job's ffmpeg. Afterwards ffmpeg runs again as usual."""
    global _REFUSING
    with _RUNNING_LOCK:
        _REFUSING += 1
        running = list(_RUNNING)
        _STOPPED.update(running)
    try:
        for process in running:
            _stop(process)
        yield
    finally:
        with _RUNNING_LOCK:
            _REFUSING -= 1


class StopScope:
    """The ffmpeg runs of one piece of work (a cluster job in a worker that runs several), which
    another thread can stop without touching the rest of the process: their runs raise
    Interrupted, and no new one starts in the scope."""

    def __init__(self) -> None:
        self.stopped = False
        self.processes: set[subprocess.Popen[bytes]] = set()

    def stop(self) -> None:
        with _RUNNING_LOCK:
            self.stopped = True
            running = list(self.processes)
            _STOPPED.update(running)
        for process in running:
            _stop(process)


_SCOPE = threading.local()


@contextlib.contextmanager
def stop_scope() -> Iterator[StopScope]:
    """Every ffmpeg this thread starts inside the block belongs to the yielded scope."""
    scope = StopScope()
    previous = getattr(_SCOPE, "current", None)
    _SCOPE.current = scope
    try:
        yield scope
    finally:
        _SCOPE.current = previous


def _die_with_parent_hook() -> Callable[[], None] | None:
    """On Linux, a pre-exec hook asking the kernel to SIGKILL ffmpeg when filmkit dies.

    The hook is one prebound libc call: it takes no Python locks in the forked child.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig, sigkill = 1, int(signal.SIGKILL)
    return lambda: prctl(pr_set_pdeathsig, sigkill)


def _drain(stream, tail: deque[str]) -> None:  # type: ignore[no-untyped-def]
    for raw in iter(stream.readline, b""):
        tail.append(raw.decode("utf-8", "replace").rstrip())
    stream.close()


def _read_progress(process: subprocess.Popen[bytes], on_progress: Callable[[Progress], None] | None) -> None:
    assert process.stdout is not None
    block: dict[str, str] = {}
    for raw in iter(process.stdout.readline, b""):
        key, _, value = raw.decode("ascii", "replace").strip().partition("=")
        block[key] = value
        if key != "progress":
            continue
        if on_progress is not None:
            on_progress(_progress_of(block))
        block = {}
    process.stdout.close()


def _progress_of(block: dict[str, str]) -> Progress:
    def number(key: str) -> int:
        try:
            return int(block.get(key, "0"))
        except ValueError:
            return 0

    speed_text = block.get("speed", "").rstrip("x").strip()
    try:
        speed = float(speed_text) if speed_text and speed_text != "N/A" else None
    except ValueError:
        speed = None
    return Progress(
        frame=number("frame"),
        seconds=Fraction(max(number("out_time_us"), 0), 1_000_000),
        speed=speed,
        done=block.get("progress") == "end",
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
