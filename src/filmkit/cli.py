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
@click.option("--lang", "lang", metavar="L", help="Burn subtitles of language L (e.g. ru), or two stacked (en+ru).")
@click.option("--sidecar", is_flag=True, help="Also write clean UTF-8 .srt and .vtt files beside the video.")
@click.option("--dry-run", is_flag=True, help="Print the ffmpeg command instead of running it.")
def render(project_file: Path, output: Path | None, lang: str | None, sidecar: bool, dry_run: bool) -> None:
    """Render the cut of PROJECT_FILE to one video file."""
    import shlex
    import tempfile

    from filmkit.burn import warnings_of
    from filmkit.ffmpeg import ffmpeg_binary
    from filmkit.render import plan_render, write_sidecars
    from filmkit.render import render as run_render
    from filmkit.timecode import format_seconds

    if sidecar and not lang:
        raise FilmkitError("--sidecar writes the subtitles of --lang beside the video; give --lang too (e.g. --lang ru --sidecar)")
    plan = plan_render(project_file, output, lang=lang)
    warnings = warnings_of(list(plan.tracks))
    if warnings:
        click.echo(f"{len(warnings)} subtitle warning(s); `filmkit check` lists them", err=True)
    if dry_run:
        burn = plan.write_burn(Path(tempfile.mkdtemp(prefix="filmkit-dry-run-"))) if plan.tracks else None
        if burn:
            click.echo(f"(subtitles written to {burn.ass_file.parent}, kept for this command)", err=True)
        click.echo(shlex.join([ffmpeg_binary(), *plan.args(burn=burn)]))
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
    if sidecar:
        for path in write_sidecars(plan):
            click.echo(f"Wrote {path}", err=True)


@cli.command()
@click.argument("project_file", type=PROJECT_FILE)
def check(project_file: Path) -> None:
    """Validate PROJECT_FILE and its media without rendering anything."""
    from filmkit.render import load_and_check
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
    click.echo("OK")


def _check_subtitles(loaded: Any, timeline: Any) -> None:
    """Every language must load, lint without errors and be drawable with an installed font."""
    from filmkit.burn import available_languages, prepare_track
    from filmkit.errors import SubtitleError

    failures: list[FilmkitError] = []
    for lang in available_languages(loaded):
        try:
            track = prepare_track(loaded, timeline, lang)
        except (SubtitleError, FilmkitError) as exc:
            failures.append(exc)
            click.echo(f"  subtitles {lang}: FAILED (below)")
            continue
        fonts = ", ".join(sorted({face.family for face in track.fonts.values()}))
        warnings = [f for f in track.findings if f.severity.value == "warning"]
        click.echo(f"  subtitles {lang}: {len(track.cues)} cues, {track.file.encoding}, font {fonts}, {len(warnings)} warning(s)")
        for finding in warnings:
            click.echo(f"    {finding}")
    if failures:
        raise FilmkitError("\n\n".join(exc.message for exc in failures))


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


@cli.group()
def subs() -> None:
    """Tools for translators' subtitle files: lint, convert, shift, proof sheets."""


@subs.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--lang", "lang", metavar="L", help="Language of the files (default: guessed from each file name, e.g. ru.srt).")
@click.option("--fps", default="25", show_default=True, help="Frame rate used for the 2-frame gap rule.")
@click.option("--vertical", is_flag=True, help="Judge for a 9:16 frame (3 lines allowed).")
@click.option("--encoding", default=None, help="Read the files in this encoding instead of detecting it.")
@click.option("--json", "as_json", is_flag=True, help="Print findings as a JSON list.")
def subs_lint(files: tuple[Path, ...], lang: str | None, fps: str, vertical: bool, encoding: str | None, as_json: bool) -> None:
    """Check reading speed, line length, lines, overlaps, durations, gaps, encoding and glyphs."""
    import json

    from filmkit.errors import SubtitleError
    from filmkit.subtitles.lint import lint, guess_lang
    from filmkit.subtitles.load import load_subtitles
    from filmkit.subtitles.model import Severity
    from filmkit.timecode import parse_rate

    rate = parse_rate(fps)
    findings = []
    unreadable = []
    for path in files:
        code = lang or guess_lang(path)
        try:
            loaded = load_subtitles(path, lang=code, encoding=encoding)
        except SubtitleError as exc:
            unreadable.append(exc)
            continue
        findings.extend(lint(loaded, lang=code, fps=rate, vertical=vertical))
        findings.extend(_glyph_lint(loaded, code))
    if as_json:
        click.echo(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(str(finding))
        errors = sum(f.severity is Severity.ERROR for f in findings)
        click.echo(f"{len(files) - len(unreadable)} file(s) read, {errors} error(s), {len(findings) - errors} warning(s)", err=True)
    for exc in unreadable:
        click.echo(f"filmkit: error: {exc.message}", err=True)
    if unreadable:
        raise SystemExit(int(ExitStatus.INVALID_INPUT))
    if any(f.severity is Severity.ERROR for f in findings):
        raise SystemExit(int(ExitStatus.RENDER_FAILED))


def _glyph_lint(loaded: Any, lang: str | None) -> list[Any]:
    from filmkit.burn import glyph_findings
    from filmkit.fonts import choose_font, dominant_script

    scripts = {dominant_script(cue.text, lang) for cue in loaded.cues}
    try:
        fonts = {script: choose_font(script, lang) for script in scripts}
    except FilmkitError:
        return []
    return glyph_findings(loaded, loaded.cues, fonts)


@subs.command("convert")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--encoding", default=None, help="Read SOURCE in this encoding instead of detecting it.")
def subs_convert(source: Path, target: Path, encoding: str | None) -> None:
    """Convert SOURCE to UTF-8 SRT, VTT or ASS (by TARGET's extension)."""
    from filmkit.subtitles.write import convert

    convert(source, target, encoding=encoding)
    click.echo(f"Wrote {target}", err=True)


@subs.command("shift")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--by", "by", required=True, help="Seconds to move every cue (negative: earlier), e.g. -30 or 1.5.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write here (default: replace FILE, as UTF-8).")
def subs_shift(file: Path, by: str, output: Path | None) -> None:
    """Move every cue of FILE by a number of seconds."""
    from fractions import Fraction

    from filmkit.subtitles.load import load_subtitles
    from filmkit.subtitles.write import shift, write_subtitles

    try:
        seconds = Fraction(by)
    except (ValueError, ZeroDivisionError):
        raise FilmkitError(f"--by {by!r} is not a number of seconds; write e.g. --by -30 or --by 1.5") from None
    loaded = load_subtitles(file)
    target = output or file
    write_subtitles(shift(loaded.cues, seconds), target)
    click.echo(f"Wrote {target} ({len(loaded.cues)} cues moved by {float(seconds):+g} s)", err=True)


@subs.command("proof")
@click.argument("project_file", type=PROJECT_FILE)
@click.option("--lang", "lang", required=True, metavar="L", help="Language to proof (en, ru, ... or en+ru).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="PNG to write (default: out/<title>_<lang>_proof.png).")
def subs_proof(project_file: Path, lang: str, output: Path | None) -> None:
    """A contact sheet: one real frame per cue with the subtitle burned in, timecode and cue number."""
    from filmkit.proof import make_proof_sheet
    from filmkit.render import plan_render

    plan = plan_render(project_file, lang=lang)
    target = output or plan.output.with_name(f"{plan.output.stem}_proof.png")
    made = make_proof_sheet(plan, target.absolute())
    click.echo(f"Wrote {made} ({len(plan.tracks[0].cues)} cues)", err=True)


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
