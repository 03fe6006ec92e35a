"""The four measurements. Each returns plain data (saved to work/results.json, read by report.py)."""

from __future__ import annotations

import shutil
import statistics
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from common import PYTHON, ROOT, WORK
from filmkit_side import Filmkit
from jobs import PLATFORM_SIZE, Output, hand_argv, hand_job, intermediate_argv, moviepy_argv
from measure import measure
import languages
import speed
from projects import BATCH_LANGS, BATCH_PLATFORMS, write_film
from verify import check

LOGS = WORK / "logs"


@dataclass
class Side:
    """One contender of a comparison: how to run it, what it must produce, and its runs."""

    name: str
    argv: list[str]
    outputs: list[tuple[Path, int, int, int]]  # path, frames, width, height
    env: dict[str, str] | None = None
    runs_wanted: int = 3
    lufs: float | None = -14.0
    runs: list[dict] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    cleanup: list[Path] = field(default_factory=list)

    def summary(self) -> dict:
        ok = [run for run in self.runs if run["returncode"] == 0]

        def med(key: str) -> float | None:
            return statistics.median(run[key] for run in ok) if ok else None

        return {"side": self.name, "runs": self.runs, "checks": self.checks, "wall": med("wall"), "cpu": med("cpu"),
                "max_rss": med("max_rss"), "tree_rss": med("tree_rss"), "argv": self.argv}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_sides(title: str, sides: list[Side], verify_every_run: bool = True) -> list[dict]:
    """Interleave the sides' runs (A B C, A B C, ...) so a change in machine load hits them alike."""
    LOGS.mkdir(parents=True, exist_ok=True)
    rounds = max(side.runs_wanted for side in sides)
    for round_index in range(rounds):
        for side in sides:
            if round_index >= side.runs_wanted:
                continue
            for folder in side.cleanup:
                shutil.rmtree(folder, ignore_errors=True)
            for path, *_ in side.outputs:
                path.unlink(missing_ok=True)
                path.parent.mkdir(parents=True, exist_ok=True)
            label = f"{title} | {side.name} | run {round_index + 1}/{side.runs_wanted}"
            log(f"  {label} ...")
            result = measure(side.argv, env=side.env, log_file=LOGS / f"{_slug(label)}.log")
            run = asdict(result)
            log(f"    {result.wall:.1f} s wall, {result.cpu:.1f} s CPU, largest process {result.max_rss / 2**20:.0f} MiB, "
                f"tree {result.tree_rss / 2**20:.0f} MiB, load {result.load_before:.1f}, exit {result.returncode}")
            if result.returncode != 0:
                log("    FAILED:\n" + result.stderr_tail)
            if result.returncode == 0 and (verify_every_run or round_index == 0):
                problems = []
                for path, frames, width, height in side.outputs:
                    verdict = check(path, frames, width, height, side.lufs)
                    run.setdefault("outputs", []).append(asdict(verdict))
                    problems += [f"{path.name}: {problem}" for problem in verdict.problems]
                if problems:
                    log("    WRONG OUTPUT: " + "; ".join(problems))
                side.checks.append("; ".join(problems) if problems else "ok")
            side.runs.append(run)
    return [side.summary() for side in sides]


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")[:120]


def single(kit: Filmkit, events: int, speeds: list[str], runs: int, moviepy_runs: int) -> dict:
    """One film (events x 5 s, crossfades, English subtitles, card) for youtube-1080p, three ways."""
    film = write_film(f"single-{events}", events, ("en",))
    cell = Output(film, "youtube-1080p", "en")
    width, height = PLATFORM_SIZE[cell.platform]
    variants = []
    for speed in speeds:
        x264 = None if speed == "preset" else speed
        job = hand_job(kit, cell, x264 or job_preset(kit, cell))
        folder = film.folder / "specs"
        folder.mkdir(exist_ok=True)
        expected = [(cell.path("filmkit"), film.total_frames, width, height)]
        sides = [
            Side("filmkit", kit.argv("render", str(film.edit), "--platform", cell.platform, "--lang", "en", "-o",
                                     str(cell.path("filmkit")), x264_preset=x264), expected, kit.env(), runs),
            Side("hand-written ffmpeg", hand_argv([job], folder / f"hand-{speed}.json"),
                 [(cell.path("handwritten"), film.total_frames, width, height)], None, runs),
        ]
        if moviepy_runs:
            sides.append(Side("MoviePy", moviepy_argv(job, folder / f"moviepy-{speed}.json"),
                              [(cell.path("moviepy"), film.total_frames, width, height)], None, moviepy_runs))
        cell.path("filmkit").parent.mkdir(parents=True, exist_ok=True)
        log(f"single render, x264 {job.x264_preset}: {film.seconds:.0f} s film, {events} events")
        variants.append({"variant": f"x264 {job.x264_preset}" + (" (preset's own)" if x264 is None else ""),
                         "sides": run_sides(f"single {speed}", sides)})
    return {"film": {"events": events, "seconds": film.seconds, "frames": film.total_frames, "cues": _cues(film)},
            "variants": variants}


def job_preset(kit: Filmkit, cell: Output) -> str:
    """The x264 preset filmkit's own argv uses for this platform."""
    from jobs import preset_encoder

    encoder = preset_encoder(kit, cell)
    return encoder[encoder.index("-preset") + 1]


def _cues(film) -> int:
    return sum(1 for line in film.subtitle_file("en").read_text().splitlines() if "-->" in line)


def batch(kit: Filmkit, events: int, runs: int) -> dict:
    """4 languages x 3 platforms: `filmkit export --force` vs 12 hand-written commands in a row."""
    film = write_film(f"batch-{events}", events, BATCH_LANGS)
    cells = [Output(film, platform, lang) for platform in BATCH_PLATFORMS for lang in BATCH_LANGS]
    preset = job_preset(kit, cells[0])
    jobs = [hand_job(kit, cell, preset) for cell in cells]
    filmkit_outputs = [(film.folder / "out" / cell.platform / f"bench-batch-{events}_{cell.lang}.mp4",
                        film.total_frames, *cell.size) for cell in cells]
    (film.folder / "specs").mkdir(exist_ok=True)
    sides = [
        Side("filmkit export", kit.argv("export", str(film.edit), "--force"), filmkit_outputs, kit.env(), runs,
             cleanup=[film.folder / "out"]),
        Side("12 hand-written ffmpeg commands", hand_argv(jobs, film.folder / "specs" / "batch.json"),
             [(Path(job.output), film.total_frames, job.width, job.height) for job in jobs], None, runs),
    ]
    Path(jobs[0].output).parent.mkdir(parents=True, exist_ok=True)
    log(f"batch: {len(BATCH_LANGS)} languages x {len(BATCH_PLATFORMS)} platforms of a {film.seconds:.0f} s film")
    return {"film": {"events": events, "seconds": film.seconds, "frames": film.total_frames},
            "langs": list(BATCH_LANGS), "platforms": list(BATCH_PLATFORMS), "x264": preset,
            "sides": run_sides("batch", sides)}


def scaling(kit: Filmkit, sizes: list[int], runs: int) -> dict:
    """Master renders (no subtitles, with the card) of growing films: time and peak memory."""
    rows = []
    for events in sizes:
        film = write_film(f"scale-{events}", events, (), card=True)
        out = film.folder / "bench-out" / "master.mp4"
        out.parent.mkdir(parents=True, exist_ok=True)
        log(f"scaling: {film.seconds:.0f} s film of {events} events")
        side = Side(f"{events} events", kit.argv("render", str(film.edit), "-o", str(out)),
                    [(out, film.total_frames, 1920, 1080)], kit.env(), runs, lufs=None)
        summary = run_sides(f"scaling {events}", [side])[0]
        rows.append({"events": events, "seconds": film.seconds, "frames": film.total_frames, **summary})
    return {"rows": rows}


def sharing(kit: Filmkit, events: int, runs: int) -> dict:
    """The batch's other way of sharing work: a hand-written intermediate master, then 12 encodes from it."""
    film = write_film(f"batch-{events}", events, BATCH_LANGS)
    cells = [Output(film, platform, lang) for platform in BATCH_PLATFORMS for lang in BATCH_LANGS]
    jobs = [hand_job(kit, cell, job_preset(kit, cells[0])) for cell in cells]
    (film.folder / "specs").mkdir(exist_ok=True)
    side = Side("intermediate master + 12 hand-written encodes", intermediate_argv(jobs, film.folder / "specs" / "sharing.json"),
                [(Path(job.output), film.total_frames, job.width, job.height) for job in jobs], None, runs)
    Path(jobs[0].output).parent.mkdir(parents=True, exist_ok=True)
    log(f"sharing: an intermediate master of the {film.seconds:.0f} s batch film, then 12 outputs from it")
    return {"film": {"events": events, "seconds": film.seconds, "frames": film.total_frames},
            "sides": run_sides("sharing", [side])}


SAMPLE = ROOT / "projects" / "love-always-wins"


def startup(kit: Filmkit, runs: int) -> dict:
    """`filmkit --help` and `filmkit check` on the sample project (with the interpreter's own start as a floor)."""
    if not (SAMPLE / "media").is_dir() or not any((SAMPLE / "media").iterdir()):
        log("  making the sample's media (filmkit storyboard) ...")
        done = kit.run("storyboard", str(SAMPLE / "storyboard.yaml"))
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
    sides = [
        Side("python -c pass (floor)", [str(PYTHON), "-c", "pass"], [], None, runs),
        Side("filmkit --help", kit.argv("--help"), [], kit.env(), runs),
        Side("filmkit check love-always-wins", kit.argv("check", str(SAMPLE / "edit.yaml")), [], kit.env(), runs),
    ]
    log("start-up")
    return {"sides": run_sides("startup", sides)}


SECTIONS: dict[str, Callable[..., dict]] = {"single": single, "batch": batch, "sharing": sharing, "scaling": scaling,
                                             "startup": startup, "range": speed.range_draft, "overhead": speed.overhead,
                                             "floor": speed.floor, "languages": languages.languages}
