"""Commands that tell or make, without rendering a film: probe, doctor, presets, init, storyboard."""

from __future__ import annotations

from pathlib import Path

import click

from filmkit.cli.app import cli
from filmkit.cli.console import print_table, progress_bar
from filmkit.errors import FilmkitError


@cli.command()
@click.argument("media_file", type=click.Path(path_type=Path, dir_okay=False))
def probe(media_file: Path) -> None:
    """Show what filmkit sees in MEDIA_FILE."""
    from filmkit.media.probe import probe as run_probe
    from filmkit.timecode import format_rate

    info = run_probe(media_file)
    click.echo(f"{info.path}")
    click.echo(f"  container  {info.container}, {float(info.duration):.3f} s, {info.size_bytes:,} bytes")
    if info.video:
        v = info.video
        rate = format_rate(v.rate) if v.rate else "unknown"
        extras = []
        if v.rotation:
            extras.append(f"rotation {v.rotation}°")
        if v.sar != 1:
            extras.append(f"SAR {v.sar.numerator}:{v.sar.denominator}")
        if v.variable_rate:
            extras.append("variable frame rate")
        shown = "x".join(map(str, v.display_size))
        click.echo(
            f"  video      {v.codec}{' ' + v.profile if v.profile else ''}, {v.width}x{v.height} (displays {shown}), "
            f"{rate} fps (~{float(v.rate or 0):.3f}), {v.pix_fmt}" + (f", {', '.join(extras)}" if extras else "")
        )
    else:
        click.echo("  video      none")
    if info.audio:
        a = info.audio
        click.echo(f"  audio      {a.codec}, {a.rate} Hz, {a.channels} ch ({a.layout})")
    else:
        click.echo("  audio      none (filmkit fills silence)")


@cli.command()
def doctor() -> None:
    """Check ffmpeg, its filters, and the libraries filmkit renders with."""
    from filmkit.tools.doctor import diagnose

    healthy = True
    for check_ in diagnose():
        mark = "ok " if check_.ok else "!! "
        healthy &= check_.ok or not check_.required
        click.echo(f"{mark} {check_.name:<22} {check_.detail}")
    if not healthy:
        raise FilmkitError("some required parts are missing (marked !! above); reinstall filmkit in a fresh virtual environment")


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--title", default=None, help="Film title (default: the folder name).")
def init(folder: Path, title: str | None) -> None:
    """Create a new project skeleton in FOLDER (with placeholder footage)."""
    from filmkit.tools.scaffold import create_project

    edit = create_project(folder, title)
    click.echo(f"Created {edit}. Next: filmkit render {edit}", err=True)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the edit-decision file (schema 1), for editors' YAML support."""
    from filmkit.project.jsonschema import schema_text

    click.echo(schema_text(), nl=False)


@cli.command()
@click.argument("storyboard_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Regenerate clips that already exist.")
def storyboard(storyboard_file: Path, force: bool) -> None:
    """Generate placeholder footage (titled slates with ambience) from STORYBOARD_FILE."""
    from filmkit.tools.storyboard import generate, load_storyboard

    board = load_storyboard(storyboard_file)
    with progress_bar("Storyboard", len(board.scenes)) as advance:
        made = generate(board, force=force, on_scene=lambda done: advance(done))
    total = len(board.scenes) + len(board.spec.music)
    click.echo(f"{len(made)} files written, {total - len(made)} already there", err=True)


@cli.command()
@click.argument("name", required=False)
@click.option("--project", "project", type=click.Path(path_type=Path), default=None,
              help="Project file or folder whose presets/ folder is searched first (default: the current folder).")
def presets(name: str | None, project: Path | None) -> None:
    """List the platform presets, or show every value of preset NAME with its source."""
    from filmkit.platform.describe import describe, summary
    from filmkit.platform.presets import available_presets, load_preset

    folder = (project.parent if project.is_file() else project) if project is not None else Path.cwd()
    if name is None:
        print_table("filmkit presets", [summary(preset) for preset in available_presets(folder)])
        click.echo("`filmkit presets NAME` shows every value with its source", err=True)
        return
    preset = load_preset(name, folder)
    click.echo(f"{preset.name}: {preset.title} ({preset.origin.value if preset.origin else 'built in'} file {preset.source_file})")
    for key, value, note in describe(preset):
        click.echo(f"  {key}: {value}")
        click.echo(f"      {note or 'no source given in the file'}")
    click.echo("sources:")
    for url in preset.sources:
        click.echo(f"  {url}")
