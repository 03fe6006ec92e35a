"""`filmkit render`, `export` and `card`: the commands that make films and pictures."""

from __future__ import annotations

import contextlib
import shlex
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, ContextManager

import click

from filmkit.cli.app import PROJECT_FILE, cli
from filmkit.cli.console import export_progress, export_summary, progress_bar
from filmkit.errors import ExitStatus, FilmkitError, Reported

if TYPE_CHECKING:
    from collections.abc import Callable

    from filmkit.export.cluster import Cluster
    from filmkit.media.ffmpeg import Progress
    from filmkit.render.plan import RenderPlan
    from filmkit.render.run import RenderResult


SCHEDULER = click.option(
    "--scheduler", metavar="ADDR", envvar="FILMKIT_SCHEDULER", show_envvar=True,
    help="Render on a Dask cluster: its scheduler's tcp://HOST:PORT, or local:N to start N worker processes here.")
PATH_MAP = click.option(
    "--path-map", "path_maps", multiple=True, metavar="FROM=TO",
    help="With --scheduler: folder FROM on this machine is TO on the workers (repeatable).")


def cluster_for(scheduler: str | None, path_maps: tuple[str, ...]) -> ContextManager[Cluster | None]:
    """The cluster --scheduler names (checked, connected), or None for a render on this machine."""
    from filmkit.render.worker import parse_path_maps

    if not scheduler:
        if path_maps:
            raise FilmkitError(f"--path-map {path_maps[0]!r}: path maps tell the workers of a cluster where the "
                               "project's folders are; give --scheduler too (or leave --path-map out)")
        return contextlib.nullcontext()
    from filmkit.export.cluster import connect, parse_scheduler

    address, mapping = parse_scheduler(scheduler), parse_path_maps(path_maps)
    return connect(address, mapping, debug=getattr(click.get_current_context().obj, "debug", False))


@cli.command()
@click.argument("project_file", type=PROJECT_FILE)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Output file (default: out/<title>.mp4 beside the project).")
@click.option("--lang", "lang", metavar="L", help="Burn subtitles of language L (e.g. ru), or two stacked (en+ru).")
@click.option("--platform", "platform", metavar="P", help="Render for platform preset P (see `filmkit presets`): its size, encoder, loudness.")
@click.option("--sidecar", is_flag=True, help="Also write clean UTF-8 .srt and .vtt files beside the video.")
@click.option("--dry-run", is_flag=True, help="Print the ffmpeg command instead of running it.")
@click.option("--from", "start", metavar="TC", help="Render from this time of the film (timecode, HH:MM:SS.mmm or seconds).")
@click.option("--to", "end", metavar="TC", help="Render up to this time of the film (exclusive, like `out`).")
@click.option("--draft", is_flag=True, help="Fast preview: 540 lines, fastest encoder, no loudness normalization.")
@SCHEDULER
@PATH_MAP
def render(project_file: Path, output: Path | None, lang: str | None, platform: str | None, sidecar: bool,
           dry_run: bool, start: str | None, end: str | None, draft: bool, scheduler: str | None,
           path_maps: tuple[str, ...]) -> None:
    """Render the cut of PROJECT_FILE to one video file."""
    from filmkit.media.ffmpeg import ffmpeg_binary
    from filmkit.render.extras import write_sidecars
    from filmkit.render.plan import plan_render, plan_single_platform
    from filmkit.render.run import render as run_render
    from filmkit.render.tracks import warnings_of
    from filmkit.timecode import format_seconds

    if dry_run and scheduler:
        raise FilmkitError("--dry-run prints the one ffmpeg command of a render on this machine; leave --scheduler out")
    cluster_context = cluster_for(scheduler, path_maps)
    if sidecar and not lang:
        raise FilmkitError("--sidecar writes the subtitles of --lang beside the video; give --lang too (e.g. --lang ru --sidecar)")
    partial = start is not None or end is not None
    if scheduler and (partial or draft):
        raise FilmkitError("--from, --to and --draft render a part of the film on this machine; leave --scheduler out")
    if dry_run and (partial or draft):
        raise FilmkitError("--dry-run prints the whole film's command; leave out --from, --to and --draft with it")
    if platform:
        plan = plan_single_platform(project_file, platform, lang, output, measure=not (dry_run or draft))
    else:
        plan = plan_render(project_file, output, lang=lang)
    if partial or draft:
        _render_part(plan, start, end, draft, explicit=output is not None)
        return
    frame = platform or f"{plan.picture.width}x{plan.picture.height}"
    warnings = [*warnings_of(list(plan.tracks)), *plan.layout_findings(frame)]
    for finding in warnings:
        if finding.code == "layout":
            click.echo(str(finding), err=True)
    if warnings:
        click.echo(f"{len(warnings)} subtitle warning(s); `filmkit check` lists them", err=True)
    if dry_run:
        workdir = Path(tempfile.mkdtemp(prefix="filmkit-dry-run-"))
        burn, card, layers = plan.write_burn(workdir), plan.write_card(workdir), plan.write_overlays(workdir)
        if burn or card or layers:
            click.echo(f"(subtitles, card and overlays written to {workdir}, kept for this command)", err=True)
        else:
            workdir.rmdir()
        click.echo(shlex.join([ffmpeg_binary(), *plan.args(burn=burn, card=card, layers=layers)]))
        return
    timeline = plan.timeline
    picture = plan.picture
    with cluster_context as cluster, progress_bar(f"Rendering {plan.output.name}", timeline.total_frames) as advance:
        result = None
        if cluster is not None:
            result = _render_on_cluster(plan, project_file, platform, lang, cluster, lambda p: advance(p.frame))
        if result is None:
            result = run_render(plan, on_progress=lambda p: advance(p.frame))
    click.echo(
        f"Wrote {result.output} ({picture.width}x{picture.height}, "
        f"{result.frames} frames, {format_seconds(result.frames, timeline.fps)}, "
        f"{result.size_bytes / 1_000_000:.1f} MB)",
        err=True,
    )
    if sidecar:
        for path in write_sidecars(plan.tracks, plan.output, ("srt", "vtt")):
            click.echo(f"Wrote {path}", err=True)


def _render_part(plan: RenderPlan, start: str | None, end: str | None, draft: bool, explicit: bool) -> None:
    """`render --from/--to/--draft`: a range of the film, a draft, or both (render.range)."""
    from filmkit.render.range import DRAFT_LINES, draft_plan, parse_range, render_range, renamed
    from filmkit.timecode import format_timecode

    wanted = parse_range(plan.timeline, start, end)
    if draft:
        plan = draft_plan(plan)
        click.echo(f"Draft: {plan.picture.width}x{plan.picture.height} (at most {DRAFT_LINES} lines), x264 ultrafast, "
                   "no loudness normalization; not for delivery", err=True)
    if not explicit:
        plan = renamed(plan, wanted, draft)
    fps = plan.timeline.fps
    with progress_bar(f"Rendering {plan.output.name}", wanted.frames) as advance:
        result = render_range(plan, wanted, on_progress=lambda p: advance(p.frame))
    click.echo(f"Wrote {result.output} ({plan.picture.width}x{plan.picture.height}, {result.frames} frames, "
               f"{format_timecode(wanted.first, fps)}-{format_timecode(wanted.last, fps)} of the film, "
               f"{result.size_bytes / 1_000_000:.1f} MB)", err=True)


def _render_on_cluster(plan: RenderPlan, project_file: Path, platform: str | None, lang: str | None, cluster: Cluster,
                       advance: Callable[[Progress], None]) -> RenderResult | None:
    """The film's segments on the cluster's workers; None (and a note) when it is one segment."""
    from filmkit.platform.presets import load_preset
    from filmkit.render.parallel import render_on_workers
    from filmkit.render.worker import Recipe

    preset = load_preset(platform, plan.loaded.folder) if platform else None
    loudness = plan.spec.loudness.measured if plan.spec.loudness else None
    recipe = Recipe(project_file.absolute(), ((lang or "", plan.output),), preset, loudness)
    result = render_on_workers(plan, recipe, cluster, advance)
    if result is None:
        click.echo(f"{plan.output.name}: a cut of this few shots renders in one piece; rendering it here", err=True)
    return result


@cli.command()
@click.argument("project_file", type=PROJECT_FILE)
@click.option("--lang", "langs", multiple=True, metavar="L", help="Only this language (repeatable); default: all of `exports: languages`.")
@click.option("--platform", "platforms", multiple=True, metavar="P", help="Only this platform (repeatable); default: all of `exports: platforms`.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="ffmpeg processes at once (default: one per four cores).")
@click.option("--force", is_flag=True, help="Render everything, even outputs that are up to date.")
@SCHEDULER
@PATH_MAP
def export(project_file: Path, langs: tuple[str, ...], platforms: tuple[str, ...], jobs: int | None, force: bool,
           scheduler: str | None, path_maps: tuple[str, ...]) -> None:
    """Render the languages x platforms matrix of PROJECT_FILE, only what changed since the last run."""
    from filmkit.export.batch import Outcome, run_export
    from filmkit.export.matrix import plan_export

    if scheduler and jobs is not None:
        raise FilmkitError(f"--jobs {jobs}: with --scheduler the workers decide how many jobs run at once (one per "
                           "worker thread: start `dask worker --nthreads 1` on each machine); leave --jobs out")
    cluster_context = cluster_for(scheduler, path_maps)
    plan = plan_export(project_file, langs, platforms)
    with cluster_context as cluster, export_progress(plan) as on_event:
        results = run_export(plan, jobs=jobs, force=force, on_event=on_event, cluster=cluster)
    export_summary(plan, results)
    if any(result.outcome is Outcome.FAILED for result in results):
        raise Reported(ExitStatus.RENDER_FAILED)


@cli.command()
@click.argument("project_file", type=PROJECT_FILE)
@click.option("--lang", "lang", required=True, metavar="L", help="Language of the card (en, ar ... or en+ru).")
@click.option("--platform", "platform", metavar="P", help="Lay it out for platform P's frame and safe area (default: the project's frame).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="PNG file to write.")
def card(project_file: Path, lang: str, platform: str | None, output: Path) -> None:
    """Preview the closing card of PROJECT_FILE as a PNG."""
    from filmkit.render.card import preview_card

    made, (width, height) = preview_card(project_file, lang, platform, output)
    click.echo(f"Wrote {made} ({width}x{height})", err=True)
