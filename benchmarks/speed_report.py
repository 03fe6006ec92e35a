"""RESULTS.md sections for issue 14's measurements (benchmarks/speed.py)."""

from __future__ import annotations

import statistics


def _med(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def _list(runs: list[dict], key: str, digits: int = 2) -> str:
    return ", ".join(f"{run[key]:.{digits}f}" for run in runs)


def _verdict(value: float, target: float) -> str:
    return "**met**" if value <= target else "**missed**"


def section_range(data: dict) -> list[str]:
    out = ["## 6. Range and draft renders", "", f"Film: {data['film']}. `filmkit render EDIT --lang en --from 20 --to 30 "
           "[--draft]`: wall time of the whole command, Python start-up, planning, probing (cache warm), the render "
           "and its verification included.", "", "| render | wall per run (s) | median wall (s) | median CPU (s) | load at start |",
           "| --- | --- | --- | --- | --- |"]
    for name, runs in data["runs"].items():
        out.append(f"| {name} | {_list(runs, 'wall')} | {_med(runs, 'wall'):.2f} | "
                   f"{_med(runs, 'cpu'):.2f} | {_list(runs, 'load', 1)} |")
    draft = _med(data["runs"]["draft range 10 s"], "wall")
    out += ["", f"- 10 s draft range: median {draft:.2f} s (target ≤ 2.5 s): {_verdict(draft, 2.5)}", ""]
    parts = data.get("parts")
    if parts:
        out += ["Where the draft's time goes: the ffmpeg command filmkit writes for it, run alone, without its encoder "
                "(null output), and only decoding the inputs it reads:", "",
                "| part | wall per run (s) | median wall (s) | median CPU (s) |", "| --- | --- | --- | --- |"]
        out += [f"| {name} | {_list(runs, 'wall')} | {_med(runs, 'wall'):.2f} | {_med(runs, 'cpu'):.2f} |"
                for name, runs in parts.items()]
        alone = _med(parts["its ffmpeg command alone"], "wall")
        out += ["", f"- filmkit around its ffmpeg command (start-up, planning, drawing, verification): "
                f"{draft - alone:.2f} s of the {draft:.2f} s", ""]
    return out


def section_overhead(data: dict) -> list[str]:
    runs = data["runs"]
    out = ["## 7. filmkit's own time around ffmpeg", "", f"Film: {data['film']}. Overhead = the command's wall time "
           "minus the summed wall time of its ffmpeg processes (each timed by filmkit, FILMKIT_FFMPEG_TIMINGS); "
           "it includes Python start-up, planning, probing, drawing the card and subtitles, and verification.", "",
           "| run | probe cache | wall (s) | ffmpeg (s) | overhead (s) | overhead / wall | load at start |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for index, run in enumerate(runs):
        own = run["wall"] - run["ffmpeg"]
        out.append(f"| {index + 1} | {'cold' if run['cold_cache'] else 'warm'} | {run['wall']:.2f} | {run['ffmpeg']:.2f} | "
                   f"{own:.2f} | {own / run['wall']:.1%} | {run['load']:.1f} |")
    warm = [run for run in runs if not run["cold_cache"]]
    share = statistics.median((r["wall"] - r["ffmpeg"]) / r["wall"] for r in warm)
    out += ["", f"- ffmpeg processes per render: {', '.join(runs[-1]['processes'])}",
            f"- overhead, median of the warm runs: {share:.1%} of the wall time (target ≤ 3 %): {_verdict(share, 0.03)}", ""]
    return out


def section_floor(data: dict) -> list[str]:
    sides = data["sides"]
    cpu = {name: _med(runs, "cpu") for name, runs in sides.items()}
    kit = cpu["filmkit render --platform youtube-1080p --lang en"]
    encode = cpu["decode output + encode (preset settings)"] - cpu["decode output"]
    floor = encode + cpu["decode sources once"]
    out = ["## 8. The graph against the encoder's floor", "", f"Film: {data['film']}. Encoder options as filmkit writes "
           f"them: `{' '.join(data['options'])}`.", "", "| command | CPU per run (s) | median CPU (s) |", "| --- | --- | --- |"]
    out += [f"| {name} | {_list(runs, 'cpu', 1)} | {cpu[name]:.1f} |" for name, runs in sides.items()]
    ratio = kit / floor
    out += ["", f"- encoding alone (decode + encode − decode of the output): {encode:.1f} s; one decode of the sources: "
            f"{cpu['decode sources once']:.1f} s; floor + one decode: {floor:.1f} s",
            f"- filmkit / (floor + one decode), CPU: **{ratio:.2f}** (target ≤ 1.3): {_verdict(ratio, 1.3)}", ""]
    return out
