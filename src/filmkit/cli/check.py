"""`filmkit check`: everything a render would refuse, found before anything renders."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from filmkit.cli.app import PROJECT_FILE, cli
from filmkit.errors import FilmkitError
from filmkit.project import LoadedProject, Timeline

if TYPE_CHECKING:
    from filmkit.export.batch import ExportPlan


@cli.command()
@click.argument("project_file", type=PROJECT_FILE)
def check(project_file: Path) -> None:
    """Validate PROJECT_FILE and its media without rendering anything."""
    from filmkit.render.plan import load_and_check
    from filmkit.timecode import format_rate, format_seconds, format_timecode

    loaded, timeline, media = load_and_check(project_file)
    click.echo(f"{project_file}:")
    click.echo(
        f"  {timeline.title!r}: {timeline.width}x{timeline.height} at {format_rate(timeline.fps)} fps, "
        f"{len(timeline.clips)} events, {len(timeline.music)} music beds, "
        f"{format_timecode(timeline.total_frames, timeline.fps)} ({format_seconds(timeline.total_frames, timeline.fps)}, "
        f"{timeline.total_frames} frames)"
    )
    click.echo(f"  {len(media)} media files read")
    _check_subtitles(loaded, timeline)
    if loaded.project.card is not None and timeline.card is not None:
        click.echo(f"  card: {format_seconds(timeline.card.frames, timeline.fps)}, in {', '.join(loaded.project.card.text)}")
    for overlay in timeline.overlays:
        click.echo(f"  overlay {overlay.index}: {overlay.kind}, {format_timecode(overlay.start, timeline.fps)} for "
                   f"{format_seconds(overlay.frames, timeline.fps)}" + (", over the card" if overlay.over_card else ""))
    ducking = [bed.index for bed in timeline.music if bed.duck is not None]
    if ducking:
        click.echo(f"  music {', '.join(map(str, ducking))}: ducks under the cut's sound")
    if loaded.project.exports is not None:
        from filmkit.export.matrix import plan_export

        plan = plan_export(project_file, checked=(loaded, timeline, media))
        platforms = sorted({output.platform for output in plan.outputs})
        langs = list(dict.fromkeys(output.lang for output in plan.outputs))
        click.echo(f"  exports: {len(plan.outputs)} files ({len(langs)} languages x {len(platforms)} platforms) "
                   f"into {plan.folder}")
        _check_layout(plan)
    click.echo("OK")


def _check_layout(plan: ExportPlan) -> None:
    """Cues that need more lines than a platform's frame allows, listed per platform and language;
    overlays that cannot be placed in a platform's frame stop the check."""
    from filmkit.render.layout import version_layout_findings
    from filmkit.render.plan import plan_platform

    for output in plan.outputs:
        vertical = output.preset.video.size.height > output.preset.video.size.width
        tracks = {output.lang: plan.tracks.get((output.lang, vertical), ())}
        version = plan_platform(plan.loaded, plan.timeline, plan.media, output.preset, [(output.lang, output.path)],
                                None, tracks)
        for finding in version_layout_findings(version, output.platform):
            click.echo(f"    {finding}")
        version.overlays()  # every overlay placed in this frame, clear of its captions (or a ProjectError)


def _check_subtitles(loaded: LoadedProject, timeline: Timeline) -> None:
    """Every language must load, lint without errors and be drawable with an installed font."""
    from filmkit.render.tracks import available_languages, prepare_track, without_subtitles
    from filmkit.subtitles.model import Severity

    failures: list[FilmkitError] = []
    for lang in available_languages(loaded):
        try:
            track = prepare_track(loaded, timeline, lang)
        except FilmkitError as exc:
            failures.append(exc)
            click.echo(f"  subtitles {lang}: FAILED (below)")
            continue
        fonts = ", ".join(sorted({face.family for face in track.fonts.values()}))
        warnings = sorted((f for f in track.findings if f.severity is Severity.WARNING),
                          key=lambda f: (f.line or 0, f.cue or 0))
        click.echo(f"  subtitles {lang}: {len(track.cues)} cues, {track.file.encoding}, font {fonts}, {len(warnings)} warning(s)")
        for finding in warnings:
            click.echo(f"    {finding}")
    for lang in sorted(without_subtitles(loaded)):
        click.echo(f"  subtitles {lang}: none (declared: the {lang} version burns no subtitles)")
    if failures:
        raise FilmkitError("\n\n".join(exc.message for exc in failures))
