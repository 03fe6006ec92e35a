"""Run one command and measure it: wall time, CPU time, peak memory of its process tree.

Wall time is `time.perf_counter()` around the whole command. Peak memory is measured two
ways: the largest single process (max RSS from the kernel's rusage of the waited-for tree,
via `os.wait4`), and the sum of the resident sizes over the whole process tree, sampled from
/proc every 50 ms (shared pages count once per process, so the sum is an upper bound).
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE_SECONDS = 0.05


@dataclass
class Measurement:
    wall: float  # seconds
    cpu: float  # user + system seconds of the whole tree
    max_rss: int  # bytes, largest single process
    tree_rss: int  # bytes, largest sampled sum over the tree
    load_before: float  # 1-minute load average when the command started
    returncode: int = 0
    stderr_tail: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # the parent pid is the second field after the ")" that closes the command name
        fields = stat[stat.rfind(b")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
    return children


@dataclass
class Step:
    """One process of the measured tree, as the sampler saw it (shorter than a sample may be missed)."""

    pid: int
    command: str
    first: float  # seconds after the command started
    last: float
    cpu: float  # user + system seconds, as last seen
    peak_rss: int


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def sample_tree(root: int) -> dict[int, tuple[int, float]]:
    """Resident bytes and CPU seconds of `root` and every descendant, now."""
    children = _children_map()
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            rss = int(_read(f"/proc/{pid}/statm").split()[1]) * PAGE
            stat = _read(f"/proc/{pid}/stat")
            fields = stat[stat.rfind(b")") + 2:].split()
            found[pid] = (rss, (int(fields[11]) + int(fields[12])) / TICKS)
        except (OSError, IndexError, ValueError):
            pass
    return found


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and every descendant, now."""
    return sum(rss for rss, _ in sample_tree(root).values())


class _Sampler(threading.Thread):
    def __init__(self, pid: int, started: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.started = pid, 0, started
        self.steps: dict[int, Step] = {}
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            now = time.perf_counter() - self.started
            found = sample_tree(self.pid)
            self.peak = max(self.peak, sum(rss for rss, _ in found.values()))
            for pid, (rss, cpu) in found.items():
                step = self.steps.get(pid)
                if step is None:
                    step = self.steps[pid] = Step(pid, _command(pid), now, now, cpu, rss)
                step.last, step.cpu, step.peak_rss = now, cpu, max(step.peak_rss, rss)
            self.stopped.wait(SAMPLE_SECONDS)


def _command(pid: int) -> str:
    try:
        words = _read(f"/proc/{pid}/cmdline").split(b"\0")
    except OSError:
        return "?"
    text = " ".join(word.decode(errors="replace") for word in words if word)
    return text[:600]


def measure(argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
            log_file: Path | None = None) -> Measurement:
    """Run `argv` to completion and measure it; stdout and stderr go to `log_file`."""
    load = os.getloadavg()[0]
    sink = open(log_file, "wb") if log_file else subprocess.DEVNULL
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=sink, stderr=sink)
        sampler = _Sampler(process.pid, started)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        sampler.stopped.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        if log_file:
            sink.close()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    tail = ""
    if process.returncode != 0 and log_file:
        tail = "\n".join(log_file.read_text(errors="replace").strip().splitlines()[-20:])
    steps = sorted(sampler.steps.values(), key=lambda step: step.first)
    return Measurement(wall, cpu, usage.ru_maxrss * 1024, sampler.peak, load, process.returncode, tail,
                       {"steps": [asdict(step) for step in steps]})


if __name__ == "__main__":
    import sys

    print(measure(sys.argv[1:]))
