"""benchmarks/RESULTS.md from work/results.json: machine, versions, every run, medians, targets."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from common import BENCH, ffmpeg_exe
import graph_profile
import languages
import speed_report

RESULTS_MD = BENCH / "RESULTS.md"
NOTES_HEADING = "## Notes"
GIB = 2**30
MIB = 2**20


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    os_name = platform.platform()
    release = Path("/etc/os-release")
    if release.is_file():
        found = re.search(r'^PRETTY_NAME="?([^"\n]+)', release.read_text(), re.M)
        os_name = f"{found.group(1)} ({platform.release()})" if found else os_name
    ffmpeg = subprocess.run([ffmpeg_exe(), "-version"], capture_output=True, text=True).stdout.splitlines()[0]
    versions = {}
    for name in ("filmkit", "moviepy", "imageio-ffmpeg", "av"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "cpu": cpu, "cores": str(os.cpu_count()), "ram": f"{int(mem.split()[1]) / 2**20:.1f} GiB", "os": os_name,
        "python": platform.python_version(), "ffmpeg": ffmpeg.replace("ffmpeg version ", ""),
        **{f"{k} version": v for k, v in versions.items()},
    }


def _s(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _mib(value: float | None) -> str:
    return "—" if value is None else f"{value / MIB:.0f}"


def _runs(side: dict, key: str = "wall") -> str:
    return ", ".join(f"{run[key]:.2f}" if run["returncode"] == 0 else f"failed({run['returncode']})"
                     for run in side["runs"])


def _loads(side: dict) -> str:
    return ", ".join(f"{run['load_before']:.1f}" for run in side["runs"])


def _verdict(value: float | None, target: float, at_most: bool) -> str:
    if value is None:
        return "not measured"
    return "**met**" if (value <= target if at_most else value >= target) else "**missed**"


def _side_table(sides: list[dict]) -> list[str]:
    lines = ["| side | wall time per run (s) | median wall (s) | median CPU (s) | largest process peak (MiB) "
             "| process-tree peak (MiB) | load at start | output check |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for side in sides:
        lines.append(f"| {side['side']} | {_runs(side)} | {_s(side['wall'])} | {_s(side['cpu'])} | "
                     f"{_mib(side['max_rss'])} | {_mib(side['tree_rss'])} | {_loads(side)} | "
                     f"{'; '.join(dict.fromkeys(side['checks'])) or '—'} |")
    return lines


def _step_name(command: str) -> str:
    """A short name for a process of a measured tree, from its command line."""
    words = command.split()
    if not words:
        return "?"
    program = Path(words[0]).name
    if "ffmpeg" in program:
        if "ebur128" in command:
            return "ffmpeg ebur128 (loudness)"
        if "print_format=json" in command:
            return "ffmpeg loudnorm measuring pass"
        if "-frames:v 1" in command:
            return "ffmpeg still (poster/card)"
        if "-f concat" in command:
            return "ffmpeg join (concat)"
        if "-i -" in command and ("rawvideo" in command or "s16le" in command):
            return "ffmpeg encoder fed by MoviePy (" + ("video)" if "rawvideo" in command else "sound)")
        if "image2pipe" in command:
            return "ffmpeg picture reader for MoviePy"
        if "s16le" in command:
            return "ffmpeg sound reader for MoviePy"
        if "-f null" in command:
            return "ffmpeg analysis pass"
        return "ffmpeg render"
    if program.startswith("python"):
        script = next((Path(w).name for w in words[1:] if w.endswith(".py")), None)
        if script:
            return f"python {script}"
        if "-m" in words:
            return f"python -m {words[words.index('-m') + 1]}"
        return "python (filmkit)"
    return program


def _steps(side: dict) -> list[str]:
    """Where run 1's time went: each process of the tree, grouped by kind (from /proc samples)."""
    runs = [run for run in side["runs"] if run.get("extra", {}).get("steps")]
    if not runs:
        return []
    groups: dict[str, list[float]] = {}
    for step in runs[0]["extra"]["steps"]:
        name = _step_name(step["command"])
        if name in ("sh", "?"):
            continue
        entry = groups.setdefault(name, [0, 0.0, 0.0, 0])
        entry[0] += 1
        entry[1] += step["last"] - step["first"]
        entry[2] += step["cpu"]
        entry[3] = max(entry[3], step["peak_rss"])
    parts = [f"{name} ×{count}: {wall:.1f} s alive, {cpu:.1f} s CPU, peak {rss / MIB:.0f} MiB"
             for name, (count, wall, cpu, rss) in groups.items() if wall >= 0.1 or cpu >= 0.1]
    return [f"- {side['side']}, run 1 by process (CPU of a parent excludes its children): " + "; ".join(parts)]


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def section_single(data: dict) -> list[str]:
    film = data["film"]
    out = ["## 1. Single render", "",
           f"A {film['seconds']:.0f} s film ({film['events']} events of their own 1080p25 source, {film['events'] - 1} crossfades of "
           f"0.48 s, {film['cues']} burned English cues, 4 s closing card with logo), `youtube-1080p` "
           f"({film['frames']} frames). Every output checked with PyAV (frame count, size, sound) and ebur128 (−14 LUFS ± 1).", ""]
    targets = ["| variant | ratio | measured | target | |", "| --- | --- | --- | --- | --- |"]
    for variant in data["variants"]:
        out += [f"### {variant['variant']}", "", *_side_table(variant["sides"]), ""]
        out += [line for side in variant["sides"] for line in _steps(side)] + [""]
        if variant.get("measured"):
            out += [f"*Measured {variant['measured']}.*", ""]
        by = {side["side"]: side for side in variant["sides"]}
        fk, hand, mp = by.get("filmkit"), by.get("hand-written ffmpeg"), by.get("MoviePy")
        for key, label in (("wall", "wall"), ("cpu", "CPU")):
            r1 = _ratio(fk and fk[key], hand and hand[key])
            targets.append(f"| {variant['variant']} | filmkit / hand-written ({label}) | {_s(r1)} | ≤ 1.05 | "
                           f"{_verdict(r1, 1.05, True)} |")
            if mp is not None:
                r2 = _ratio(mp[key], fk and fk[key])
                targets.append(f"| {variant['variant']} | MoviePy / filmkit ({label}) | {_s(r2)} | ≥ 2 | "
                               f"{_verdict(r2, 2.0, False)} |")
    return out + ["#### Targets (medians)", "", *targets, ""]


def section_batch(data: dict) -> list[str]:
    film = data["film"]
    sides = data["sides"]
    out = ["## 2. Batch", "",
           f"{len(data['langs'])} languages ({', '.join(data['langs'])}) × {len(data['platforms'])} platforms "
           f"({', '.join(data['platforms'])}) of the {film['seconds']:.0f} s film, x264 `{data['x264']}`: "
           "`filmkit export --force` against twelve hand-written renders run one after another (each measures "
           "loudness, assembles the cut, burns subtitles, adds the card and encodes by itself).", "",
           *_side_table(sides), "", *[line for side in sides for line in _steps(side)], ""]
    for key, label in (("wall", "wall"), ("cpu", "CPU")):
        ratio = _ratio(sides[0][key], sides[1][key])
        out.append(f"- filmkit / separate commands ({label}): **{_s(ratio)}** (target ≤ 0.8): {_verdict(ratio, 0.8, True)}")
    return out + [""]


def section_sharing(data: dict, batch: dict | None) -> list[str]:
    """The intermediate-master alternative, against filmkit's way and the separate commands of the batch."""
    side = data["sides"][0]
    out = ["## 2b. Sharing work: one process per platform, or an intermediate master", "",
           f"The batch film again, made the other way issue 5 names: the cut (crossfades and mixed sound) rendered once "
           "as a near-lossless intermediate (x264 `ultrafast` CRF 10, PCM sound), loudness measured once, then the 12 "
           "outputs each made from it by one hand-written command (reframe, subtitles, card, encode).", "",
           *_side_table(data["sides"]), "", *_steps(side), ""]
    if batch:
        for other in batch["sides"]:
            for key, label in (("wall", "wall"), ("cpu", "CPU")):
                out.append(f"- {other['side']} / intermediate master ({label}): **{_s(_ratio(other[key], side[key]))}**")
    return out + [""]


def section_scaling(data: dict) -> list[str]:
    rows = data["rows"]
    out = ["## 3. Scaling", "",
           "`filmkit render EDIT.yaml -o master.mp4`: the master (x264 `fast`, CRF 18), crossfades between all "
           "events, no subtitles, with the card. One source file per event.", "",
           "| film | events | frames | wall per run (s) | median wall (s) | CPU (s) | largest process peak (MiB) "
           "| process-tree peak (MiB) | load at start | output check |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        out.append(f"| {row['seconds']:.0f} s | {row['events']} | {row['frames']} | {_runs(row)} | {_s(row['wall'])} | "
                   f"{_s(row['cpu'])} | {_mib(row['max_rss'])} | {_mib(row['tree_rss'])} | {_loads(row)} | "
                   f"{'; '.join(dict.fromkeys(row['checks']))} |")
    out += [""] + [line for row in rows for line in _steps(row)] + [""]
    if len(rows) >= 2:
        small, big = rows[0], rows[-1]
        for key, label in (("max_rss", "largest process"), ("tree_rss", "process tree")):
            ratio = _ratio(big[key], small[key])
            out.append(f"- peak memory ({label}), {big['seconds']:.0f} s / {small['seconds']:.0f} s film: "
                       f"**{_s(ratio)}** (target ≤ 1.2): {_verdict(ratio, 1.2, True)}; "
                       f"{big['seconds']:.0f} s film {_mib(big[key])} MiB (target < 1024 MiB): "
                       f"{_verdict(big[key] and big[key] / GIB, 1.0, True)}")
    return out + [""]


def section_startup(data: dict) -> list[str]:
    sides = data["sides"]
    out = ["## 4. Start-up", "", *_side_table(sides), ""]
    help_side = next((s for s in sides if s["side"] == "filmkit --help"), None)
    if help_side:
        out.append(f"- `filmkit --help` median {_s(help_side['wall'])} s (target < 0.3 s): "
                   f"{_verdict(help_side['wall'], 0.3, True)}")
    return out + [""]


RENDERERS = {"single": section_single, "batch": section_batch, "sharing": section_sharing, "scaling": section_scaling,
             "startup": section_startup, "cluster": None, "range": speed_report.section_range,
             "overhead": speed_report.section_overhead, "floor": speed_report.section_floor,
             "languages": languages.section_languages, "graph": graph_profile.section_graph}


HEADINGS = {"single": "## 1.", "batch": "## 2.", "sharing": "## 2b.", "scaling": "## 3.", "startup": "## 4.",
            "cluster": "## 5.", "range": "## 6.", "overhead": "## 7.", "floor": "## 8.", "languages": "## 9.", "graph": "## 10."}


def _old_sections() -> dict[str, str]:
    """Each section's text in the RESULTS.md being replaced, by section name: a section with no
    results in work/results.json (measured on another checkout) keeps its last text."""
    if not RESULTS_MD.is_file():
        return {}
    text = RESULTS_MD.read_text()
    text = text[:text.index(NOTES_HEADING)] if NOTES_HEADING in text else text
    kept = {}
    for block in text.split("\n## ")[1:]:
        for name, heading in HEADINGS.items():
            if f"## {block}".startswith(heading + " "):
                kept[name] = f"## {block}".rstrip("\n") + "\n"
    return kept


def _old_notes() -> str:
    if not RESULTS_MD.is_file():
        return ""
    text = RESULTS_MD.read_text()
    return text[text.index(NOTES_HEADING):] if NOTES_HEADING in text else ""


def write(results: dict) -> Path:
    meta = results["meta"]
    lines = ["# filmkit benchmarks", "",
             f"Written by `benchmarks/run.py` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC "
             f"(`{meta['command']}`). Wall time is `time.perf_counter()` around the whole command; CPU is user + "
             "system time of the command's process tree (`getrusage(RUSAGE_CHILDREN)`); *largest process peak* is the "
             "tree's highest max RSS (`os.wait4` rusage); *process-tree peak* is the highest sum of resident sizes of "
             "the command and all its descendants, sampled from /proc every 50 ms. Runs of the sides of one comparison "
             "are interleaved. *Load at start* is the 1-minute load average when each run started (this machine is "
             "shared with other work; a load above ~2 means the run competed for the 2 cores).", "",
             "## Machine", "", "| | |", "| --- | --- |"]
    lines += [f"| {key} | {value} |" for key, value in meta["machine"].items()]
    lines += [f"| filmkit measured | {meta['filmkit']} |", ""]
    old = _old_sections()
    for name, renderer in RENDERERS.items():
        section = results["sections"].get(name)
        if not section and name in old:
            lines += [old[name]]
        if section:
            if name == "sharing":
                batch = results["sections"].get("batch")
                lines += section_sharing(section["data"], batch and batch["data"])
            elif name == "cluster":
                from cluster import section_cluster

                lines += section_cluster(section["data"], _side_table)
            else:
                lines += renderer(section["data"])
            lines += [f"*Measured {section['date']} with {section['command']!r}, filmkit {section['filmkit']}.*", ""]
    notes = _old_notes() or f"{NOTES_HEADING}\n\n(Fill in by hand after a real run: what the time goes to when a target is missed.)\n"
    RESULTS_MD.write_text("\n".join(lines) + "\n" + notes)
    return RESULTS_MD


if __name__ == "__main__":
    from common import WORK

    print(write(json.loads((WORK / "results.json").read_text())))
