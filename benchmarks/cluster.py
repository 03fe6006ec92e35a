"""The `cluster` section: an export on a LocalCluster of 2 worker processes against the local export,
and a model of the speed-up on N machines from what was measured.

Same film, same outputs, same machine: `filmkit export --force` and `filmkit export --force
--scheduler local:2` (each run starts its LocalCluster, so its start is in the wall time),
interleaved. Both run with `--debug`, so the cluster side logs the coordinator's own time
(checking the workers, submitting, moving files into place and recording them; see
src/filmkit/export/cluster_run.py), and both manifests record each job's seconds. A second
pair of runs with nothing to render measures the fixed cost of starting the LocalCluster.

The model: N machines like this one, one worker each (`dask worker --nthreads 1`). Each job
takes on a worker what it took in the local export (one job at a time there, every core); the
coordinator's fixed part (planning, measuring the mix, connecting) is paid once, and its
per-job time c serially, so T(N) = fixed + max(makespan of the jobs on N workers, jobs x c).
"""

from __future__ import annotations

import json
import re
import statistics

from filmkit_side import Filmkit
from jobs import PLATFORM_SIZE
from projects import BATCH_PLATFORMS, write_film
from suite import LOGS, Side, _slug, log, run_sides

LANGS = ("en", "ru")
MODEL_MACHINES = (1, 2, 4, 8, 16, 32, 64)
CAMPAIGN_JOBS = 64  # 30 languages x 8 platforms: 8 jobs of up to 4 languages per platform
TARGET = 0.02  # the coordinator's share of a batch's wall time


def cluster(kit: Filmkit, events: int, runs: int) -> dict:
    """Local export vs the same export on `--scheduler local:2`, then the same with nothing to do."""
    films = {where: write_film(f"cluster-{where}-{events}", events, LANGS) for where in ("local", "dask")}
    sides, idle = [], []
    for where, extra in (("local", []), ("dask", ["--scheduler", "local:2"])):
        film = films[where]
        outputs = [(film.folder / "out" / platform / f"bench-cluster-{where}-{events}_{lang}.mp4", film.total_frames,
                    *PLATFORM_SIZE[platform]) for platform in BATCH_PLATFORMS for lang in LANGS]
        base = ["--debug", "export", str(film.edit), *extra]
        label = f"filmkit export{' ' + ' '.join(extra) if extra else ' (local)'}"
        sides.append(Side(label, kit.argv(*base, "--force"), outputs, kit.env(), runs, cleanup=[film.folder / "out"]))
        idle.append(Side(f"{label}, all up to date", kit.argv(*base), [], kit.env(), runs))
    film = films["local"]
    log(f"cluster: {len(LANGS)} languages x {len(BATCH_PLATFORMS)} platforms of a {film.seconds:.0f} s film, "
        "locally and on a LocalCluster of 2 worker processes")
    rendering = run_sides("cluster", sides)
    manifests = {where: json.loads((film.folder / "out" / "manifest.json").read_text()) for where, film in films.items()}
    starting = run_sides("cluster up to date", idle)
    data = {"film": {"events": events, "seconds": film.seconds, "frames": film.total_frames}, "langs": list(LANGS),
            "platforms": list(BATCH_PLATFORMS), "sides": rendering, "idle": starting,
            "local_jobs": _job_seconds(manifests["local"]), "cluster_jobs": _job_seconds(manifests["dask"]),
            "coordinator": _coordinator_seconds(sides[1]),
            "workers": sorted({entry.get("worker", "") for entry in manifests["dask"]["outputs"]})}
    data["model"] = model(data)
    return data


def _job_seconds(manifest: dict) -> list[float]:
    """Each job's seconds (one job per platform here), from a manifest: a local export records each
    output when it is finished, so a job lasted until its last output."""
    jobs: dict[str, float] = {}
    for entry in manifest["outputs"]:
        jobs[entry["platform"]] = max(jobs.get(entry["platform"], 0.0), entry["seconds"])
    return [jobs[platform] for platform in sorted(jobs)]


def _coordinator_seconds(side: Side) -> list[dict[str, float]]:
    """The coordinator's own time in each run of `side`, from the `--debug` line of export/cluster_run.py."""
    runs = []
    for number in range(1, side.runs_wanted + 1):
        log_file = LOGS / f"{_slug(f'cluster | {side.name} | run {number}/{side.runs_wanted}')}.log"
        match = re.search(r"coordinator time for (\d+) jobs: (.*)", log_file.read_text(errors="replace"))
        if match:
            parts = dict(re.findall(r"([a-z ]+?) ([\d.]+) s", match.group(2)))
            runs.append({"jobs": int(match.group(1)), **{key.strip(): float(value) for key, value in parts.items()}})
    return runs


def _makespan(jobs: list[float], machines: int) -> float:
    """Longest-first onto the least busy machine: how a scheduler with a queue spreads them."""
    loads = [0.0] * machines
    for seconds in sorted(jobs, reverse=True):
        loads[loads.index(min(loads))] += seconds
    return max(loads)


def model(data: dict) -> dict:
    """Speed-up on N machines for this batch and for a 240-output campaign of jobs like these."""
    cluster_wall = data["sides"][1]["wall"]
    jobs, runs = data["local_jobs"], data["coordinator"]
    if not jobs or not runs or cluster_wall is None:
        return {}
    local = data["sides"][0]["runs"][-1]["wall"]  # the run whose manifest gave the jobs' seconds
    c = statistics.median((run["submitting"] + run["placing and recording"]) / run["jobs"] for run in runs)
    check = statistics.median(run["checking the workers"] for run in runs)
    planning = statistics.median(run.get("workers planning again", 0.0) / run["jobs"] for run in runs)
    start = max(0.0, (data["idle"][1]["wall"] or 0.0) - (data["idle"][0]["wall"] or 0.0))
    fixed = max(0.0, local - sum(jobs))  # planning, the mix measured: the same with or without a cluster
    mean = statistics.mean(jobs)
    rows = []
    for machines in MODEL_MACHINES:
        batch = fixed + check + max(_makespan([t + planning for t in jobs], machines), len(jobs) * c)
        campaign_local = fixed + CAMPAIGN_JOBS * mean
        campaign = fixed + check + max(_makespan([mean + planning] * CAMPAIGN_JOBS, machines), CAMPAIGN_JOBS * c)
        rows.append({"machines": machines, "batch": batch, "batch_speedup": local / batch,
                     "campaign": campaign, "campaign_speedup": campaign_local / campaign})
    return {"local": local, "fixed": fixed, "per_job": c, "check": check, "planning": planning, "start": start, "mean_job": mean,
            "rows": rows, "share": (check + len(jobs) * c) / cluster_wall,
            "share_with_start": (check + len(jobs) * c + start) / cluster_wall,
            "saturates_at": mean / c if c else None}


def _s(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def section_cluster(data: dict, side_table: object) -> list[str]:
    """RESULTS.md's section: the two exports, where the coordinator's time went, the model."""
    film, sides, model_data = data["film"], data["sides"], data.get("model") or {}
    out = ["## 5. Several machines (Dask)", "",
           f"{len(data['langs'])} languages × {len(data['platforms'])} platforms ({', '.join(data['platforms'])}) of a "
           f"{film['seconds']:.0f} s film ({len(data['platforms'])} jobs): `filmkit export --force` against the same export "
           "with `--scheduler local:2` (a LocalCluster of 2 worker processes started by the command, on the same 2 "
           "cores), interleaved; then both again with everything up to date (planning and, for the cluster, starting "
           "it). Both with `--debug`, whose log gives the coordinator's own time.", "",
           *side_table(sides), "", *side_table(data["idle"]), ""]  # type: ignore[operator]
    local, remote = sides[0]["wall"], sides[1]["wall"]
    if local and remote:
        out.append(f"- cluster / local (wall): **{remote / local:.2f}**; workers in the manifest: "
                   f"{', '.join(data['workers'])}")
    out.append(f"- jobs' seconds (manifest): local {', '.join(_s(s) for s in data['local_jobs'])}; on the cluster "
               f"{', '.join(_s(s) for s in data['cluster_jobs'])} (two jobs at once on 2 cores)")
    for run in data["coordinator"]:
        parts = ", ".join(f"{key} {value:.3f} s" for key, value in run.items() if key != "jobs")
        out.append(f"- coordinator's own time for {run['jobs']} jobs: {parts}")
    if model_data:
        share, with_start = model_data["share"], model_data["share_with_start"]
        verdict = "**met**" if share is not None and share < TARGET else "**missed**"
        out += [f"- coordinator: {model_data['check']:.3f} s checking the workers once, then **{model_data['per_job']:.3f} s "
                f"per job** (submitting, moving into place, recording): {_s(share * 100, 2)} % of the cluster export's "
                f"wall time (target < {TARGET * 100:.0f} %): {verdict}; with the LocalCluster's start "
                f"({_s(model_data['start'])} s, once per command) {_s(with_start * 100, 1)} %",
                f"- on the workers, planning each job again from the project file: {model_data['planning']:.3f} s per job",
                "", "**Model** (N machines like this one, one worker each; each job takes what it took in the last local "
                f"export ({model_data['local']:.1f} s) plus the workers' planning; fixed part {model_data['fixed']:.1f} s: planning and measuring the mix; "
                f"coordinator {model_data['per_job']:.3f} s per job, serial, so it would keep up with "
                f"{_s(model_data['saturates_at'], 0)} machines):", "",
                f"| machines | this batch (s) | speed-up | {CAMPAIGN_JOBS} jobs of {model_data['mean_job']:.0f} s "
                "(30 languages × 8 platforms) (s) | speed-up |", "| --- | --- | --- | --- | --- |"]
        out += [f"| {row['machines']} | {row['batch']:.0f} | {row['batch_speedup']:.2f} | {row['campaign']:.0f} | "
                f"{row['campaign_speedup']:.2f} |" for row in model_data["rows"]]
    return out + [""]
