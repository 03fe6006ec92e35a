"""`filmkit import` and `filmkit timeline`: cuts to and from editing systems."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import click

from filmkit.cli.app import PROJECT_FILE, cli


def _rate(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Fraction | None:
    from filmkit.timecode import TimecodeError, parse_rate

    if value is None:
        return None
    try:
        return parse_rate(value)
    except TimecodeError as exc:
        raise click.BadParameter(str(exc)) from None


def _size(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    from pydantic import TypeAdapter, ValidationError

    from filmkit.project.schema import FrameSize

    if value is None:
        return None
    try:
        size = TypeAdapter(FrameSize).validate_python(value)
    except ValidationError as exc:
        raise click.BadParameter(str(exc.errors()[0]["msg"]).removeprefix("Value error, ")) from None
    return size.width, size.height


@cli.command(name="import")
@click.argument("cut", type=click.Path(path_type=Path, dir_okay=True))
@click.option("-o", "--output", type=PROJECT_FILE, default=None,
              help="Project file to write (default: beside CUT, named after it; an existing file only with -o).")
@click.option("--media", "media", multiple=True, type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="A folder holding the cut's media (searched with its subfolders); repeat for several.")
@click.option("--fps", callback=_rate, default=None, help="The project's frame rate (an EDL's own rate: it states none).")
@click.option("--size", callback=_size, default=None, help="The project's frame size, WIDTHxHEIGHT (default: the cut's or its media's).")
@click.option("--strict", is_flag=True, help="Refuse the cut if anything in it cannot be imported as it is.")
@click.option("--sequence", default=None, help="The sequence to import when the file holds several.")
def import_(cut: Path, output: Path | None, media: tuple[Path, ...], fps: Fraction | None,
            size: tuple[int, int] | None, strict: bool, sequence: str | None) -> None:
    """Turn CUT (EDL, FCP 7 XML, FCPXML, OTIO, ALE) into a project file."""
    from filmkit.interchange.importer import ImportOptions, import_cut
    from filmkit.timecode import format_rate

    done = import_cut(cut, output, ImportOptions(media, fps, size, strict, sequence))
    for caveat in done.caveats:
        click.echo(f"filmkit: warning: {caveat}", err=True)
    beds = f", {done.beds} music beds" if done.beds else ""
    click.echo(f"Wrote {done.output}: {done.events} events{beds} at {format_rate(done.fps)} fps from {done.cut.kind} "
               f"{cut}" + (f"; {len(done.caveats)} warning(s) above" if done.caveats else ""), err=True)
    click.echo(f"Next: filmkit check {done.output}", err=True)


@cli.command()
@click.argument("project_file", type=PROJECT_FILE)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="cut.otio, cut.edl, cut.xml (FCP 7) or cut.fcpxml; the format follows the extension.")
@click.option("--start", default=None, help="Record timecode of the film's first frame (default 01:00:00:00).")
def timeline(project_file: Path, output: Path, start: str | None) -> None:
    """Write the cut of PROJECT_FILE back for an editing system."""
    from filmkit.interchange.export import export_timeline

    done = export_timeline(project_file, output, start)
    for caveat in done.caveats:
        click.echo(f"filmkit: warning: {caveat}", err=True)
    click.echo(f"Wrote {done.output}: {done.events} events, {done.beds} music beds ({done.kind})"
               + (f"; {len(done.caveats)} warning(s) above" if done.caveats else ""), err=True)

