"""The command line: the only module that imports click or prints.

`main` is the single error boundary: a FilmkitError becomes one paragraph on stderr and its
exit status; Ctrl-C becomes 130; `--debug` lets the traceback through.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from filmkit import __version__
from filmkit.errors import ExitStatus, FilmkitError, Interrupted

PROJECT_FILE = click.Path(path_type=Path, dir_okay=False)


class Context:
    def __init__(self, debug: bool) -> None:
        self.debug = debug


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="filmkit")
@click.option("--debug", is_flag=True, help="Show tracebacks and the ffmpeg command lines.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Render campaign films from an edit-decision YAML file.

    \b
    Start with:  filmkit init my-film   then   filmkit render my-film/edit.yaml
    """
    ctx.obj = Context(debug)
    if debug:
        import logging

        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s", stream=sys.stderr)


@cli.command()
@click.argument("project_file", type=PROJECT_FILE)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Output file (default: out/<title>.mp4 beside the project).")
@click.option("--dry-run", is_flag=True, help="Print the ffmpeg command instead of running it.")
def render(project_file: Path, output: Path | None, dry_run: bool) -> None:
    """Render the cut of PROJECT_FILE to one video file."""
    import shlex

    from filmkit.ffmpeg import ffmpeg_binary
    from filmkit.render import plan_render
    from filmkit.render import render as run_render
    from filmkit.timecode import format_seconds

    plan = plan_render(project_file, output)
    if dry_run:
        click.echo(shlex.join([ffmpeg_binary(), *plan.args()]))
        return
    timeline = plan.timeline
    with _progress_bar(f"Rendering {plan.output.name}", timeline.total_frames) as advance:
        result = run_render(plan, on_progress=lambda p: advance(p.frame))
    click.echo(
        f"Wrote {result.output} ({timeline.width}x{timeline.height}, "
        f"{result.frames} frames, {format_seconds(result.frames, timeline.fps)}, "
        f"{result.size_bytes / 1_000_000:.1f} MB)",
        err=True,
    )


@cli.command()
@click.argument("project_file", type=PROJECT_FILE)
def check(project_file: Path) -> None:
    """Validate PROJECT_FILE and its media without rendering anything."""
    from filmkit.render import load_and_check
    from filmkit.timecode import format_rate, format_seconds, format_timecode

    loaded, timeline, media = load_and_check(project_file)
    click.echo(f"{project_file}: OK")
    click.echo(
        f"  {timeline.title!r}: {timeline.width}x{timeline.height} at {format_rate(timeline.fps)} fps, "
        f"{len(timeline.clips)} events, {len(timeline.music)} music beds, "
        f"{format_timecode(timeline.total_frames, timeline.fps)} ({format_seconds(timeline.total_frames, timeline.fps)}, "
        f"{timeline.total_frames} frames)"
    )
    click.echo(f"  {len(media)} media files read")


@cli.command()
@click.argument("media_file", type=click.Path(path_type=Path, dir_okay=False))
def probe(media_file: Path) -> None:
    """Show what filmkit sees in MEDIA_FILE."""
    from filmkit.probe import probe as run_probe
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
    from filmkit.doctor import diagnose

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
    from filmkit.scaffold import create_project

    edit = create_project(folder, title)
    click.echo(f"Created {edit}. Next: filmkit render {edit}", err=True)


@cli.command()
@click.argument("storyboard_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Regenerate clips that already exist.")
def storyboard(storyboard_file: Path, force: bool) -> None:
    """Generate placeholder footage (titled slates with ambience) from STORYBOARD_FILE."""
    from filmkit.storyboard import generate, load_storyboard

    board = load_storyboard(storyboard_file)
    with _progress_bar("Storyboard", len(board.scenes)) as advance:
        made = generate(board, force=force, on_scene=lambda done: advance(done))
    total = len(board.scenes) + len(board.spec.music)
    click.echo(f"{len(made)} files written, {total - len(made)} already there", err=True)


def _progress_bar(label: str, total: int) -> Any:
    """A bar with ETA on a terminal; nothing at all when stderr is piped."""
    import contextlib

    if not sys.stderr.isatty():
        return contextlib.nullcontext(lambda _done: None)

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    @contextlib.contextmanager
    def bar() -> Any:
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("ETA"),
            TimeRemainingColumn(), console=Console(stderr=True), transient=True,
        ) as progress:
            task = progress.add_task(label, total=total)
            yield lambda done: progress.update(task, completed=min(done, total))

    return bar()


def _on_sigterm(_signum: int, _frame: object) -> NoReturn:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> NoReturn:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        cli.main(args=argv, prog_name="filmkit", standalone_mode=False)
        status = ExitStatus.OK
    except click.exceptions.Exit as exc:
        status = ExitStatus(exc.exit_code) if exc.exit_code in ExitStatus._value2member_map_ else ExitStatus.OK
    except click.exceptions.Abort:
        click.echo("filmkit: interrupted", err=True)
        status = ExitStatus.INTERRUPTED
    except click.ClickException as exc:
        exc.show()
        status = ExitStatus.INVALID_INPUT
    except FilmkitError as exc:
        if debug:
            raise
        _report(exc)
        status = exc.exit_status
    except KeyboardInterrupt:
        if debug:
            raise
        _report(Interrupted("interrupted"))
        status = ExitStatus.INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)
    sys.exit(int(status))


def _report(exc: FilmkitError) -> None:
    label = "interrupted" if isinstance(exc, Interrupted) else "error"
    if isinstance(exc, Interrupted):
        click.echo(f"filmkit: {exc.message}", err=True)
        return
    click.echo(f"filmkit: {label}: {exc.message}", err=True)
    tail = getattr(exc, "stderr_tail", None)
    if tail:
        click.echo("  (run with --debug for the ffmpeg command and its full log)", err=True)
