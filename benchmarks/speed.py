"""Issue 14's measurements: range/draft renders, filmkit's own time around ffmpeg, the encoder's floor.

Time is `perf_counter` and `getrusage` only (through `measure.measure`); filmkit's ffmpeg runs
report their own wall time through FILMKIT_FFMPEG_TIMINGS (filmkit.media.ffmpeg).
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

from common import FPS, PYTHON, WORK, ffmpeg_exe
from filmkit_side import Filmkit
from measure import measure
from projects import IN_FRAME, write_film

from filmkit.subtitles.timing import format_time

LOGS = WORK / "logs"


def _run(argv: list[str], env: dict[str, str] | None = None, name: str = "speed") -> dict:
    LOGS.mkdir(parents=True, exist_ok=True)
    done = measure(argv, env=env, log_file=LOGS / f"{name}.log")
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{done.stderr_tail}")
    return {"wall": done.wall, "cpu": done.cpu, "load": done.load_before}


def range_draft(kit: Filmkit, runs: int) -> dict:
    """A 10 s range (20-30 s) of the 64 s single-render film, in draft, Python start-up included."""
    film = write_film("single-12", 12, ("en",))
    target = WORK / "range-draft.mp4"
    measured = {}
    for name, extra in (("draft range 10 s", ["--draft"]), ("full-quality range 10 s", [])):
        argv = kit.argv("render", str(film.edit), "--lang", "en", "--from", "20", "--to", "30", *extra, "-o", str(target))
        measured[name] = [_run(argv, kit.env(), "range") for _ in range(runs if extra else 1)]
    return {"film": "64 s, 12 events, 1080p25, 15 cues, card", "runs": measured, "parts": _draft_parts(kit, film.edit, runs)}


def _draft_parts(kit: Filmkit, edit: Path, runs: int) -> dict[str, list[dict]]:
    """Where a draft range's time goes: its ffmpeg command alone, without its encoder, and only
    decoding what it reads (the command written by filmkit's own planner in a child process)."""
    from graph_profile import decoding_only, without_encoding

    with tempfile.TemporaryDirectory(prefix="filmkit-range-") as folder:
        done = subprocess.run([str(PYTHON), __file__, "range-args", str(edit), folder], env=kit.env(), check=True,
                              capture_output=True, text=True)
        argv = json.loads(done.stdout)
        commands = {"its ffmpeg command alone": argv, "without encoding": without_encoding(argv),
                    "decoding what it reads": decoding_only(argv)}
        return {name: [_run([ffmpeg_exe(), "-nostdin", "-v", "error", *command], name="range-parts")
                       for _ in range(runs)] for name, command in commands.items()}


def _print_range_args(edit: str, folder: str) -> None:
    """(In a child process) the draft range's ffmpeg argv as filmkit's planner writes it."""
    import contextlib

    import filmkit.render.range as range_render
    from filmkit.render.plan import plan_render

    def capture(args: list[str], **_: object) -> None:
        """The argv, with the subtitles and card it reads copied into `folder` (filmkit removes its own)."""
        graph = args[args.index("-filter_complex") + 1]
        for drawn in set(re.findall(re.escape(tempfile.gettempdir()) + r"/filmkit-[A-Za-z0-9_]+", graph)):
            shutil.copytree(drawn, Path(folder) / "drawn")
            args = [arg.replace(drawn, str(Path(folder) / "drawn")) for arg in args]
        print(json.dumps([*args[:-1], str(Path(folder) / "draft.mp4")]))
        raise SystemExit(0)

    range_render.run_ffmpeg = capture
    plan = plan_render(Path(edit), Path(folder) / "draft.mp4", lang="en")
    wanted = range_render.parse_range(plan.timeline, "20", "30")
    with contextlib.suppress(SystemExit):
        range_render.render_range(range_render.draft_plan(plan), wanted)


def _eight_cues(film_srt: Path) -> None:
    cues = [f"{i + 1}\n{format_time(Fraction(5, 10) + Fraction(5, 2) * i, 'srt')} --> "
            f"{format_time(Fraction(5, 10) + Fraction(5, 2) * i + 2, 'srt')}\nLine {i + 1} of the film.\n" for i in range(8)]
    film_srt.write_text("\n".join(cues), encoding="utf-8")


def overhead(kit: Filmkit, runs: int) -> dict:
    """filmkit's wall time minus the summed wall time of its ffmpeg processes: a 20 s 1080p film,
    8 cues, card. The first run starts with an empty probe cache, the others find it filled."""
    film = write_film("overhead-4", 4, ("en",))
    _eight_cues(film.subtitle_file("en"))
    cache = Path(tempfile.mkdtemp(prefix="filmkit-bench-cache-"))
    out = []
    try:
        for index in range(runs + 1):
            timings = WORK / "ffmpeg-timings.jsonl"
            timings.unlink(missing_ok=True)
            env = {**kit.env(), "FILMKIT_FFMPEG_TIMINGS": str(timings), "FILMKIT_CACHE_DIR": str(cache)}
            argv = kit.argv("render", str(film.edit), "--lang", "en", "-o", str(WORK / "overhead.mp4"))
            run = _run(argv, env, "overhead")
            lines = [json.loads(line) for line in timings.read_text().splitlines()]
            run["ffmpeg"] = sum(line["wall"] for line in lines)
            run["processes"] = [line["what"] for line in lines]
            run["cold_cache"] = index == 0
            out.append(run)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return {"film": "20 s + 4 s card, 4 events, 1080p25, 8 English cues, master", "runs": out}


def floor(kit: Filmkit, runs: int) -> dict:
    """filmkit's CPU for one youtube-1080p version against (encoding its output alone + decoding
    the sources once). Encoding alone = CPU(decode the output and encode it with the preset's
    settings) - CPU(decode the output), so no raw frames need storing."""
    film = write_film("batch-6", 6, ("en",))
    output = WORK / "floor-youtube.mp4"
    ffmpeg = ffmpeg_exe()
    options = json.loads(_encoder_options(film.edit))
    sides: dict[str, list[dict]] = {"filmkit render --platform youtube-1080p --lang en": [], "decode sources once": [],
                                    "decode output": [], "decode output + encode (preset settings)": []}
    seconds = f"{film.event_frames(1) / FPS}"
    for _ in range(runs):
        sides["filmkit render --platform youtube-1080p --lang en"].append(_run(kit.argv(
            "render", str(film.edit), "--platform", "youtube-1080p", "--lang", "en", "-o", str(output)), kit.env(), "floor"))
        decode = [ffmpeg, "-nostdin", "-v", "error"]
        for source in film.sources:
            decode += ["-ss", f"{IN_FRAME / FPS}", "-t", seconds, "-i", str(source)]
        for index in range(len(film.sources)):
            decode += ["-map", f"{index}:v", "-map", f"{index}:a?"]
        decode += ["-f", "null", "-"]
        sides["decode sources once"].append(_run(decode, name="floor-decode"))
        sides["decode output"].append(_run([ffmpeg, "-nostdin", "-v", "error", "-i", str(output), "-f", "null", "-"],
                                           name="floor-out"))
        encode = [ffmpeg, "-nostdin", "-v", "error", "-y", "-i", str(output), *options, str(WORK / "floor-encoded.mp4")]
        sides["decode output + encode (preset settings)"].append(_run(encode, name="floor-encode"))
    return {"film": "34 s + 4 s card, 6 events, 1080p25, youtube-1080p, English", "sides": sides, "options": options}


def _encoder_options(edit: Path) -> str:
    """The preset's encoder and muxer options as filmkit writes them (from its own plan)."""
    import subprocess

    code = ("import json,sys; from filmkit.render.plan import plan_single_platform as p; "
            "from filmkit.graph.finish import _video_options as v, _audio_options as a; "
            "plan = p(__import__('pathlib').Path(sys.argv[1]), 'youtube-1080p', 'en', None, measure=False); "
            "o = {**v(plan.spec.encoding), **a(plan.timeline, plan.spec.encoding)}; "
            "print(json.dumps([str(x) for k, val in o.items() for x in ('-' + k, val)]))")
    return subprocess.run([str(PYTHON), "-c", code, str(edit)], check=True, capture_output=True, text=True).stdout


def median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


if __name__ == "__main__" and sys.argv[1:2] == ["range-args"]:
    _print_range_args(*sys.argv[2:4])
