"""filmkit's benchmark runner: one command, synthetic sources, results in benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/run.py [--quick] [--only single,batch,sharing,scaling,startup,range,overhead,floor,cluster,languages,graph] [--runs N]
                                      [--moviepy-runs N] [--batch-runs N] [--scaling-runs N]
                                      [--speeds preset,fast] [--filmkit REV]

Sources (1080p25, moving lavfi content, a tone) are generated once into benchmarks/work/sources.
Each section's results are kept in work/results.json, so `--only batch` re-measures that
section and RESULTS.md is rewritten with it and the others' last results. The "## Notes"
section of RESULTS.md is written by hand and kept.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cluster  # noqa: E402
import filmkit_side  # noqa: E402
import graph_profile  # noqa: E402
import report  # noqa: E402
import suite  # noqa: E402
from common import WORK  # noqa: E402

# batch: a 34 s film (6 events) keeps the 12 hand-written renders of one run near ten minutes.
FULL = {"single": 12, "batch": 6, "scaling": [6, 24, 120], "cluster": 2}
QUICK = {"single": 3, "batch": 1, "scaling": [1, 2, 4], "cluster": 1}
SECTIONS = [*suite.SECTIONS, "cluster", "graph"]  # cluster: benchmarks/cluster.py; graph: graph_profile.py


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="short films (minutes in all), for trying the runner")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument("--runs", type=int, default=3, help="runs of filmkit and the hand-written side (median)")
    parser.add_argument("--moviepy-runs", type=int, default=1, help="runs of MoviePy (0 skips it; it is slow)")
    parser.add_argument("--batch-runs", type=int, help="runs of each batch side (default --runs)")
    parser.add_argument("--scaling-runs", type=int, default=1, help="runs of each scaling film")
    parser.add_argument("--startup-runs", type=int, default=10)
    parser.add_argument("--speeds", default="preset,fast",
                        help="x264 speeds of the single render: 'preset' (filmkit's own) and/or x264 preset names")
    parser.add_argument("--filmkit", metavar="REV", help="measure src/ at this git revision instead of the working tree")
    args = parser.parse_args(argv)
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        parser.error(f"--only: unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
    return args


def merge_variants(old: dict | None, new: dict, command: str) -> dict:
    """A single-render run of some x264 speeds keeps the other speeds' last results of the same film."""
    stamp = f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC"
    for variant in new["variants"]:
        variant["measured"] = f"{stamp}, {command}"
    if old is None or old["data"]["film"] != new["film"]:
        return new
    names = {variant["variant"] for variant in new["variants"]}
    kept = [variant for variant in old["data"]["variants"] if variant["variant"] not in names]
    return {**new, "variants": kept + new["variants"]}


def main(argv: list[str]) -> int:
    args = parse(argv)
    sizes = QUICK if args.quick else FULL
    kit = filmkit_side.choose(args.filmkit)
    command = "benchmarks/run.py " + shlex.join(argv)
    suite.log(f"measuring filmkit: {kit.label}")
    store = WORK / "results.json"
    results = json.loads(store.read_text()) if store.is_file() else {"sections": {}}
    calls = {
        "single": lambda: suite.single(kit, sizes["single"], args.speeds.split(","), args.runs, args.moviepy_runs),
        "batch": lambda: suite.batch(kit, sizes["batch"], args.batch_runs or args.runs),
        "sharing": lambda: suite.sharing(kit, sizes["batch"], args.batch_runs or args.runs),
        "scaling": lambda: suite.scaling(kit, sizes["scaling"], args.scaling_runs),
        "startup": lambda: suite.startup(kit, args.startup_runs),
        "range": lambda: suite.speed.range_draft(kit, args.runs),
        "overhead": lambda: suite.speed.overhead(kit, args.runs),
        "floor": lambda: suite.speed.floor(kit, args.runs),
        "cluster": lambda: cluster.cluster(kit, sizes["cluster"], args.batch_runs or args.runs),
        "languages": lambda: suite.languages.languages(kit, args.runs),
        "graph": lambda: graph_profile.graph_profile(kit, args.runs),
    }
    for name in args.only:
        data = calls[name]()
        if name == "single":
            data = merge_variants(results["sections"].get("single"), data, command)
        results["sections"][name] = {"data": data, "date": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
                                     "command": command, "filmkit": kit.label, "quick": args.quick}
        results["meta"] = {"machine": report.machine(), "filmkit": kit.label, "command": command}
        store.write_text(json.dumps(results, indent=1))
        report.write(results)
    suite.log(f"wrote {report.RESULTS_MD}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
