"""Which filters of filmkit's graph cost what: the render's own ffmpeg command, taken apart.

ffmpeg has no per-filter clock, so the graph is measured by subtraction: filmkit writes the
command it would run (`args` below, through its own planner, in a child process so that
`--filmkit REV` is honoured), then the same command runs with one part taken out (the
subtitles, the loudness filter, the blurred fill replaced by black bars, the encoders replaced
by ffmpeg's null muxer) and the CPU difference is that part's cost. Variants run interleaved.

    python benchmarks/graph_profile.py args EDIT PLATFORM REFRAME WORKDIR   (prints the argv as JSON)
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import PYTHON, WORK, ffmpeg_exe
from filmkit_side import Filmkit
from measure import measure
from projects import write_film

PLATFORMS = ("youtube-1080p", "instagram-reel")
NULL_OUTPUT = ["-c:v", "wrapped_avframe", "-c:a", "pcm_f32le", "-f", "null", "-"]


def args_of(kit: Filmkit, edit: Path, platform: str, reframe: str, workdir: Path) -> list[str]:
    """The argv (without the binary) filmkit would run for `render --platform P --lang en`."""
    done = subprocess.run([str(PYTHON), __file__, "args", str(edit), platform, reframe, str(workdir)],
                          env=kit.env(), check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def variants(argv: list[str], padded: list[str]) -> dict[str, list[str]]:
    """The command as filmkit runs it, and with one part taken out at a time."""

    def changed(graph: str, *, null: bool = True, threads: bool = True, base: list[str] = argv) -> list[str]:
        at = base.index("-filter_complex")
        out = [*base[:at + 1], graph, *base[at + 2:]]
        if null:
            out = without_encoding(out)
        if not threads and "-filter_complex_threads" in out:
            i = out.index("-filter_complex_threads")
            out = out[:i] + out[i + 2:]
        return out

    graph = argv[argv.index("-filter_complex") + 1]
    result = {
        "encoded (as filmkit runs it)": argv,
        "encoded, ffmpeg's default graph threads": changed(graph, null=False, threads=False),
        "graph, no encoding": without_encoding(argv),
        "graph without subtitles": changed(re.sub(r"ass=filename=[^\[;]*", "null", graph)),
        "graph without the loudness filter": changed(re.sub(r"loudnorm=[^\[;]*", "anull", graph)),
        "decode the inputs only": decoding_only(argv),
    }
    if "boxblur" in graph:  # a frame of another shape than the sources: the fill is drawn
        result["graph with black bars instead of the blurred fill"] = changed(
            padded[padded.index("-filter_complex") + 1], base=padded)
    return result


def without_encoding(argv: list[str]) -> list[str]:
    """The command with its encoders and files replaced by ffmpeg's null muxer: inputs and graph only."""
    return [*argv[:argv.index("-c:v")], *NULL_OUTPUT]


def decoding_only(argv: list[str]) -> list[str]:
    """The command's inputs alone, every stream decoded into the null muxer: no graph, no encoder."""
    inputs = argv[:argv.index("-filter_complex")]
    maps = [arg for index in range(inputs.count("-i")) for arg in ("-map", f"{index}")]
    return [*inputs, *maps, *NULL_OUTPUT]


def graph_profile(kit: Filmkit, runs: int) -> dict:
    film = write_film("batch-6", 6, ("en",))
    out: dict[str, dict] = {}
    for platform in PLATFORMS:
        with tempfile.TemporaryDirectory(prefix="filmkit-graph-") as folder:
            work = Path(folder)
            argv = args_of(kit, film.edit, platform, "blur", work / "blur")
            padded = args_of(kit, film.edit, platform, "pad", work / "pad")
            argv[-1] = padded[-1] = str(WORK / f"graph-{platform}.mp4")
            commands = variants(argv, padded)
            measured: dict[str, list[dict]] = {name: [] for name in commands}
            for _ in range(runs):
                for name, command in commands.items():
                    done = measure([ffmpeg_exe(), "-nostdin", "-v", "error", *command])
                    if done.returncode != 0:
                        raise RuntimeError(f"graph profile, {platform}, {name} failed:\n{done.stderr_tail}")
                    measured[name].append({"cpu": done.cpu, "wall": done.wall, "load": done.load_before})
        out[platform] = measured
    return {"film": "34 s + 4 s card, 6 events, 1080p25 sources, 15 English cues", "platforms": out}


def section_graph(data: dict) -> list[str]:
    out = ["## 10. What the graph's filters cost", "",
           f"Film: {data['film']}. The command filmkit runs for `render --platform P --lang en`, and the same "
           "command with one part taken out (`benchmarks/graph_profile.py`); a part's cost is the CPU difference. "
           "Medians; variants interleaved.", ""]
    for platform, measured in data["platforms"].items():
        cpu = {name: statistics.median(run["cpu"] for run in runs) for name, runs in measured.items()}
        out += [f"**{platform}**", "", "| command | CPU per run (s) | median CPU (s) | load at start |", "| --- | --- | --- | --- |"]
        for name, runs in measured.items():
            cpus = ", ".join(f"{run['cpu']:.1f}" for run in runs)
            loads = ", ".join(f"{run['load']:.1f}" for run in runs)
            out.append(f"| {name} | {cpus} | {cpu[name]:.1f} | {loads} |")
        graph, decode = cpu["graph, no encoding"], cpu["decode the inputs only"]
        parts = [f"decoding the inputs {decode:.1f} s", f"the graph's filters {graph - decode:.1f} s",
                 f"of which subtitles {graph - cpu['graph without subtitles']:.1f} s",
                 f"loudness {graph - cpu['graph without the loudness filter']:.1f} s"]
        if "graph with black bars instead of the blurred fill" in cpu:
            parts.append(f"the blurred fill {graph - cpu['graph with black bars instead of the blurred fill']:.1f} s")
        encoded = cpu["encoded (as filmkit runs it)"]
        parts.append(f"encoding {encoded - graph:.1f} s")
        threads = encoded / cpu["encoded, ffmpeg's default graph threads"]
        out += ["", "- " + "; ".join(parts),
                f"- one graph thread (filmkit on 2 cores) / ffmpeg's default threads, CPU: **{threads:.2f}**", ""]
    return out


def _print_args(edit: str, platform: str, reframe: str, workdir: str) -> None:
    """(In a child process) the argv filmkit's planner writes for this render, its files kept in `workdir`."""
    import contextlib
    import dataclasses
    import os

    from filmkit.graph import build_render_args
    from filmkit.render.plan import plan_single_platform
    from filmkit.render.run import spec_for_versions, versions_into

    plan = plan_single_platform(Path(edit), platform, "en", Path(workdir) / "out.mp4", measure=True)
    picture = dataclasses.replace(plan.picture, reframe=reframe)
    plan = dataclasses.replace(plan, spec=dataclasses.replace(plan.spec, picture=picture))
    folder = Path(workdir)
    folder.mkdir(parents=True)
    with contextlib.suppress(FileExistsError):
        (folder / "files").mkdir()
    versions = versions_into(plan, [folder / "out.mp4"], folder / "files")
    spec = spec_for_versions(plan.spec, 1, os.cpu_count() or 2)
    print(json.dumps(build_render_args(plan.timeline, plan.media, versions, spec)))


if __name__ == "__main__" and sys.argv[1:2] == ["args"]:
    _print_args(*sys.argv[2:6])
