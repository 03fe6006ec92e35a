"""The long fuzz run of issue 13, by hand (not in CI): mutated edit files through `filmkit check`,
mutated subtitle files through `subs lint` and the writers (write -> read must give the same cues).

    .venv/bin/python benchmarks/fuzz.py                      # 10,000 edit files, 5,000 subtitle files
    .venv/bin/python benchmarks/fuzz.py --edits 500 --subtitles 200 --seed 7

Cases run in worker processes that import filmkit once; each case must answer within --timeout
seconds (a hang: the worker is killed and replaced) and is measured for its peak memory (the
worker's VmHWM, reset before each case). Reported: tracebacks (any exception but FilmkitError,
grouped by type and place), hangs, worker crashes, round-trip mismatches, peak memory and time.
Failing cases are kept in benchmarks/work/fuzz/failures/; the summary in fuzz-summary.json.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import resource
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz_cases import edit_case, read_seed, subtitle_case  # noqa: E402
from fuzz_setup import make_workspace  # noqa: E402

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work" / "fuzz"
ROUND_TRIP_CUES = 20_000  # files of 100,000 cues are linted, not round-tripped (3 more reads would take ~20 s)
MEMORY_LIMIT = 4 << 30  # a runaway allocation becomes a MemoryError (a finding), not a swapping machine


# --- worker (a child process) ------------------------------------------------------------


def worker() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    import filmkit.cli  # noqa: F401  (imported once, before the first case is timed)

    for line in sys.stdin:
        job = json.loads(line)
        _reset_peak()
        started = time.monotonic()
        outcome, detail = (_edit if job["kind"] == "edit" else _subtitles)(Path(job["path"]), job.get("lang"))
        answer = {"outcome": outcome, "detail": detail, "seconds": time.monotonic() - started, "peak_mib": _peak_mib()}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def _edit(path: Path, _lang: str | None) -> tuple[str, Any]:
    import contextlib
    import io

    import click

    from filmkit.cli import cli
    from filmkit.errors import FilmkitError

    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            cli.main(["check", str(path)], prog_name="filmkit", standalone_mode=False)
        return "ok", None
    except (FilmkitError, click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        return "refused", None
    except Exception as exc:  # noqa: BLE001 - this is what the fuzz run looks for
        return "traceback", _where(exc)


def _subtitles(path: Path, lang: str | None) -> tuple[str, Any]:
    from filmkit.errors import FilmkitError
    from filmkit.render.tracks import lint_glyphs
    from filmkit.subtitles.lint import lint
    from filmkit.subtitles.load import load_subtitles
    from filmkit.subtitles.write import refuse_lost_text, render_ass, render_srt, render_vtt

    try:
        loaded = load_subtitles(path, lang=lang)
        lint(loaded, lang=lang)
        lint_glyphs(loaded, lang)
        refuse_lost_text(loaded, "convert")
    except FilmkitError:
        return "refused", None
    except Exception as exc:  # noqa: BLE001
        return "traceback", _where(exc)
    cues = [cue for cue in loaded.cues if cue.text.strip()]
    if len(cues) > ROUND_TRIP_CUES:
        return "ok", None  # linted in time; writing and reading it three more times would be the harness's time
    for suffix, render, step in ((".srt", render_srt, 1000), (".vtt", render_vtt, 1000), (".ass", render_ass, 100)):
        copy = path.with_name(path.name + ".again" + suffix)
        try:
            text = render(cues)
        except FilmkitError:
            continue  # a cue the format cannot hold (ASS: 10 hours or more), refused in one message
        try:
            copy.write_text(text, encoding="utf-8")
            again = load_subtitles(copy).cues if cues else ()
        except Exception as exc:  # noqa: BLE001 - a file filmkit wrote that it cannot read back
            return "roundtrip", f"{suffix}: {type(exc).__name__}: {str(exc)[:300]}"
        finally:
            copy.unlink(missing_ok=True)
        want = [(int(c.start * step), int(c.end * step), c.text) for c in cues]
        got = [(int(c.start * step), int(c.end * step), c.text) for c in again]
        if want != got:
            first = next((pair for pair in zip(want, got) if pair[0] != pair[1]), (len(want), len(got)))
            return "roundtrip", f"{suffix}: {first!r}"[:400]
    return "ok", None


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [frame for frame in frames if "/filmkit/" in frame.filename] or frames
    frame = inside[-1]
    return f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno} ({frame.name}): {str(exc)[:200]}"


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM, the peak resident size
    except OSError:
        pass


def _peak_mib() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


# --- parent: cases to workers, each with a deadline --------------------------------------------


class Worker:
    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, __file__, "--worker"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, start_new_session=True, cwd=WORK)

    def run(self, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        if line:
            return json.loads(line)
        outcome = "hang" if not ready else "crash"
        code = self.process.poll()
        self.stop()
        return {"outcome": outcome, "detail": f"no answer in {timeout:.0f} s" if outcome == "hang"
                else f"worker died (exit {code})", "seconds": timeout, "peak_mib": 0}

    def stop(self) -> None:
        with_group = getattr(os, "killpg", None)
        if self.process.poll() is None and with_group:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def run_all(jobs: list[dict[str, Any]], workers: int, timeout: float) -> list[dict[str, Any]]:
    todo: queue.Queue[dict[str, Any]] = queue.Queue()
    for job in jobs:
        todo.put(job)
    results: list[dict[str, Any]] = []
    lock = threading.Lock()

    def serve() -> None:
        worker = Worker()
        while True:
            try:
                job = todo.get_nowait()
            except queue.Empty:
                break
            result = {**job, **worker.run(job, timeout)}
            if result["outcome"] in ("hang", "crash"):
                worker = Worker()
            _keep_or_drop(result)
            with lock:
                results.append(result)
                if len(results) % 500 == 0:
                    print(f"  {len(results)} / {len(jobs)}", file=sys.stderr, flush=True)
        worker.stop()

    threads = [threading.Thread(target=serve) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _keep_or_drop(result: dict[str, Any]) -> None:
    path = Path(result["path"])
    if result["outcome"] in ("ok", "refused"):
        path.unlink(missing_ok=True)
    else:
        (WORK / "failures").mkdir(exist_ok=True)
        shutil.move(str(path), WORK / "failures" / path.name)


def make_jobs(args: argparse.Namespace, space: dict[str, Any]) -> list[dict[str, Any]]:
    rng = random.Random(args.seed)
    folder = space["cases"]
    seeds = [read_seed(path) for path in space["edit_seeds"]]
    texts = [path.read_text(encoding="utf-8") for path in space["edit_seeds"]]
    jobs = []
    for index in range(args.edits):
        path = folder / f"edit-{index:05d}.yaml"
        path.write_bytes(edit_case(rng, seeds, texts, space["hostile"]))
        jobs.append({"kind": "edit", "path": str(path)})
    subtitle_seeds = space["subtitle_seeds"]
    for index in range(args.subtitles):
        data, suffix = subtitle_case(rng, subtitle_seeds)
        path = folder / f"subs-{index:05d}{suffix}"
        path.write_bytes(data)
        jobs.append({"kind": "subs", "path": str(path), "lang": rng.choice([None, "en", "ru", "ar", "ja", "uk"])})
    return jobs


def report(results: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    summary: dict[str, Any] = {"cases": len(results), "seconds": round(seconds)}
    for kind in ("edit", "subs"):
        mine = [r for r in results if r["kind"] == kind]
        if not mine:
            continue
        outcomes = {name: sum(r["outcome"] == name for r in mine) for name in
                    ("ok", "refused", "traceback", "hang", "crash", "roundtrip")}
        peaks = sorted(r["peak_mib"] for r in mine)
        times = sorted(r["seconds"] for r in mine)
        worst = max(mine, key=lambda r: r["peak_mib"])
        groups: dict[str, list[str]] = {}
        for r in mine:
            if r["outcome"] not in ("ok", "refused"):
                groups.setdefault(f"{r['outcome']}: {r['detail']}", []).append(Path(r["path"]).name)
        summary[kind] = {**outcomes, "peak_mib_max": peaks[-1], "peak_mib_p99": peaks[int(len(peaks) * 0.99)],
                         "peak_case": Path(worst["path"]).name, "seconds_median": round(times[len(times) // 2], 3),
                         "seconds_max": round(times[-1], 2), "problems": {k: v[:5] for k, v in groups.items()}}
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--subtitles", type=int, default=5_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return 0
    shutil.rmtree(WORK, ignore_errors=True)
    space = make_workspace(WORK)
    jobs = make_jobs(args, space)
    print(f"fuzz: {args.edits} edit files, {args.subtitles} subtitle files, {args.workers} workers", file=sys.stderr)
    started = time.monotonic()
    summary = report(run_all(jobs, args.workers, args.timeout), time.monotonic() - started)
    (WORK / "fuzz-summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    bad = sum(summary.get(kind, {}).get(name, 0) for kind in ("edit", "subs")
              for name in ("traceback", "hang", "crash", "roundtrip"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
