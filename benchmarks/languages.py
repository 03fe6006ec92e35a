"""Issue 14, item 2: what each language after the first costs when versions share their pictures.

The batch film (6 events, 30 s + 4 s card, 1080p25) with cues on ~40 % of its running time
(2.2 s every 5 s, the same times in every language, as a translation keeps them) is exported
to youtube-1080p in one language, then in four: without sharing (one process for all),
and sharing pictures with frame-exact pieces (filmkit's choice) and with pieces of 1 GOP (cue
boundaries rounded out to the GOP). CPU is the export's process tree (getrusage, through
measure.measure); the marginal cost of a language is (CPU(4) - CPU(1)) / 3 / CPU(1). One
untimed export comes first: the review page's cue thumbnails (made once per
subtitle file, ~11 s CPU a language) would otherwise land in the first timed run.
"""

from __future__ import annotations

import statistics
from fractions import Fraction

from common import PYTHON
from filmkit_side import Filmkit
from projects import BATCH_LANGS, LINES, write_film
from speed import _run

from filmkit.subtitles.timing import format_time

CUE_EVERY, CUE_SECONDS, FIRST_CUE = Fraction(5), Fraction(11, 5), Fraction(1, 2)
PLATFORM = "youtube-1080p"
# The knobs of filmkit.render.shared set in-process before filmkit's own CLI runs (as filmkit_side.SHIM does).
SHIM = ("import sys, fractions, filmkit.render.shared as s; s.CHUNK_GOPS = int(sys.argv.pop(1)); "
        "s.MIN_SHARED = fractions.Fraction(sys.argv.pop(1)); "
        "from filmkit.cli import main; sys.argv[0] = 'filmkit'; sys.exit(main())")
VARIANTS = {  # name: (languages, CHUNK_GOPS, MIN_SHARED); MIN_SHARED 2 never shares; CHUNK_GOPS 0 is frame-exact
    "1 language": (1, 0, "1/5"),
    "4 languages, no sharing": (4, 0, "2"),
    "4 languages, shared, frame-exact pieces": (4, 0, "1/5"),
    "4 languages, shared, pieces of 1 GOP (cues rounded to the GOP)": (4, 1, "1/5"),
}


def _forty_percent(film_srt_of, cut_seconds: Fraction) -> Fraction:  # type: ignore[no-untyped-def]
    """Rewrite every language's subtitles: a cue of CUE_SECONDS every CUE_EVERY; returns the seconds covered."""
    starts = []
    start = FIRST_CUE
    while start + CUE_SECONDS <= cut_seconds - FIRST_CUE:
        starts.append(start)
        start += CUE_EVERY
    for lang in BATCH_LANGS:
        lines = LINES[lang]
        film_srt_of(lang).write_text("\n".join(
            f"{i + 1}\n{format_time(s, 'srt')} --> {format_time(s + CUE_SECONDS, 'srt')}\n{lines[i % len(lines)]}\n"
            for i, s in enumerate(starts)), encoding="utf-8")
    return CUE_SECONDS * len(starts)


def languages(kit: Filmkit, runs: int) -> dict:
    film = write_film("languages-6", 6, BATCH_LANGS, platforms=(PLATFORM,))
    covered = _forty_percent(film.subtitle_file, Fraction(film.cut_frames, 25))
    measured: dict[str, list[dict]] = {name: [] for name in VARIANTS}
    _run(kit.argv("export", str(film.edit), "--platform", PLATFORM, "--lang", BATCH_LANGS[0], "--force"), kit.env(),
         "languages")  # warm-up: the cue thumbnails of every language
    for _ in range(runs):  # the variants interleaved, so a change of load hits them alike
        for name, (count, gops, least) in VARIANTS.items():
            langs = [arg for lang in BATCH_LANGS[:count] for arg in ("--lang", lang)]
            argv = [str(PYTHON), "-c", SHIM, str(gops), least, "export", str(film.edit), "--platform", PLATFORM,
                    *langs, "--force"]
            measured[name].append(_run(argv, kit.env(), "languages"))
    return {"film": f"{film.seconds:.0f} s ({film.cut_frames // 25} s cut + 4 s card), 6 events, 1080p25, {PLATFORM}, "
                    f"cues on {float(covered / Fraction(film.total_frames, 25)):.0%} of the running time",
            "runs": measured}


def section_languages(data: dict) -> list[str]:
    runs = data["runs"]
    cpu = {name: statistics.median(run["cpu"] for run in rows) for name, rows in runs.items()}
    first = cpu["1 language"]
    out = ["## 9. Language versions that share their pictures", "",
           f"Film: {data['film']}. `filmkit export EDIT --platform {PLATFORM} --lang ... --force` (loudness pass, "
           "render, verification, posters, sidecars). Marginal = (CPU(4 languages) - CPU(1)) / 3 / CPU(1); "
           "target ≤ 0.4.", "",
           "| export | CPU per run (s) | median CPU (s) | median wall (s) | marginal language / first | load at start |",
           "| --- | --- | --- | --- | --- | --- |"]
    for name, rows in runs.items():
        marginal = "" if name == "1 language" else f"{(cpu[name] - first) / 3 / first:.2f}"
        cpus, loads = ", ".join(f"{r['cpu']:.1f}" for r in rows), ", ".join(f"{r['load']:.1f}" for r in rows)
        wall = statistics.median(r["wall"] for r in rows)
        out.append(f"| {name} | {cpus} | {cpu[name]:.1f} | {wall:.1f} | {marginal} | {loads} |")
    best = min((name for name in runs if "shared" in name), key=lambda name: cpu[name])
    value = (cpu[best] - first) / 3 / first
    out += ["", f"- best sharing: {best}: each language after the first costs {value:.2f} × the first (target ≤ 0.4): "
            + ("**met**" if value <= 0.4 else "**missed**"), ""]
    return out
