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
@click.option("--platform", "platform", metavar="P", help="Render for platform preset P (see `filmkit presets`): its size, encoder, loudness.")
@click.option("--sidecar", is_flag=True, help="Also write clean UTF-8 .srt and .vtt files beside the video.")
@click.option("--dry-run", is_flag=True, help="Print the ffmpeg command instead of running it.")
def render(project_file: Path, output: Path | None, lang: str | None, platform: str | None, sidecar: bool,
           dry_run: bool) -> None:
    """Render the cut of PROJECT_FILE to one video file."""
    import shlex
    import tempfile

    from filmkit.render.tracks import warnings_of
    from filmkit.media.ffmpeg import ffmpeg_binary
    from filmkit.render.plan import plan_render, write_sidecars
    from filmkit.render.plan import render as run_render
    from filmkit.timecode import format_seconds

    if sidecar and not lang:
        raise FilmkitError("--sidecar writes the subtitles of --lang beside the video; give --lang too (e.g. --lang ru --sidecar)")
    if platform:
        from filmkit.render.platform import plan_single_platform

        plan = plan_single_platform(project_file, platform, lang, output, measure=not dry_run)
    else:
        plan = plan_render(project_file, output, lang=lang)
    warnings = warnings_of(list(plan.tracks))
    if warnings:
        click.echo(f"{len(warnings)} subtitle warning(s); `filmkit check` lists them", err=True)
    if dry_run:
        workdir = Path(tempfile.mkdtemp(prefix="filmkit-dry-run-"))
        burn, card = plan.write_burn(workdir), plan.write_card(workdir)
        if burn or card:
            click.echo(f"(subtitles and card written to {workdir}, kept for this command)", err=True)
        else:
            workdir.rmdir()
        click.echo(shlex.join([ffmpeg_binary(), *plan.args(burn=burn, card=card)]))
        return
    timeline = plan.timeline
    picture = plan.picture
    with _progress_bar(f"Rendering {plan.output.name}", timeline.total_frames) as advance:
        result = run_render(plan, on_progress=lambda p: advance(p.frame))
    click.echo(
        f"Wrote {result.output} ({picture.width}x{picture.height}, "
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
    if loaded.project.card is not None:
        card = timeline.card
        click.echo(f"  card: {format_seconds(card.frames, timeline.fps)}, in {', '.join(loaded.project.card.text)}")
    if loaded.project.exports is not None:
        from filmkit.export.batch import plan_export

        plan = plan_export(project_file, checked=(loaded, timeline, media))
        platforms = sorted({output.platform for output in plan.outputs})
        langs = list(dict.fromkeys(output.lang for output in plan.outputs))
        click.echo(f"  exports: {len(plan.outputs)} files ({len(langs)} languages x {len(platforms)} platforms) "
                   f"into {plan.folder}")
    click.echo("OK")


def _check_subtitles(loaded: Any, timeline: Any) -> None:
    """Every language must load, lint without errors and be drawable with an installed font."""
    from filmkit.render.tracks import available_languages, prepare_track
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
@click.argument("storyboard_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Regenerate clips that already exist.")
def storyboard(storyboard_file: Path, force: bool) -> None:
    """Generate placeholder footage (titled slates with ambience) from STORYBOARD_FILE."""
    from filmkit.tools.storyboard import generate, load_storyboard

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
    """Characters the fonts a burn would use cannot draw; a script with no font at all is one
    finding (listing each of its characters would bury the fix)."""
    from filmkit.render.tracks import glyph_findings
    from filmkit.text.fonts import FontChoice, choose_font, dominant_script
    from filmkit.subtitles.model import Finding, Severity

    scripts = sorted({dominant_script(cue.text, lang) for cue in loaded.cues})
    fonts: dict[str, FontChoice] = {}
    missing: list[Finding] = []
    for script in scripts:
        try:
            fonts[script] = choose_font(script, lang)
        except FilmkitError as exc:
            missing.append(Finding(loaded.path, None, None, "glyph", Severity.ERROR, exc.message))
    return missing or glyph_findings(loaded, loaded.cues, fonts)


@subs.command("convert")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--encoding", default=None, help="Read SOURCE in this encoding instead of detecting it.")
def subs_convert(source: Path, target: Path, encoding: str | None) -> None:
    """Convert SOURCE to UTF-8 SRT, VTT or ASS (by TARGET's extension)."""
    from filmkit.subtitles.write import convert

    loaded = convert(source, target, encoding=encoding)
    click.echo(f"Wrote {target} ({len(loaded.cues)} cues, read as {loaded.encoding} {loaded.format.upper()})", err=True)


@subs.command("shift")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--by", "by", required=True, help="Seconds to move every cue (negative: earlier), e.g. -30 or 1.5.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write here (default: replace FILE, as UTF-8).")
def subs_shift(file: Path, by: str, output: Path | None) -> None:
    """Move every cue of FILE by a number of seconds."""
    from fractions import Fraction

    from filmkit.subtitles.write import shift_file

    try:
        seconds = Fraction(by)
    except (ValueError, ZeroDivisionError):
        raise FilmkitError(f"--by {by!r} is not a number of seconds; write e.g. --by -30 or --by 1.5") from None
    target = output or file
    loaded, moved = shift_file(file, seconds, target)
    for note in moved.notes:
        click.echo(f"{file}: note: {note}", err=True)
    click.echo(f"Wrote {target} ({len(loaded.cues)} cues moved by {float(seconds):+g} s)", err=True)


@subs.command("proof")
@click.argument("project_file", type=PROJECT_FILE)
@click.option("--lang", "lang", required=True, metavar="L", help="Language to proof (en, ru, ... or en+ru).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="PNG to write (default: out/<title>_<lang>_proof.png).")
def subs_proof(project_file: Path, lang: str, output: Path | None) -> None:
    """A contact sheet: one real frame per cue with the subtitle burned in, timecode and cue number."""
    from filmkit.tools.proof import make_proof_sheet
    from filmkit.render.plan import plan_render

    plan = plan_render(project_file, lang=lang)
    target = output or plan.output.with_name(f"{plan.output.stem}_proof.png")
    made = make_proof_sheet(plan, target.absolute())
    click.echo(f"Wrote {made} ({len(plan.tracks[0].cues)} cues)", err=True)


@cli.command()
@click.argument("project_file", type=PROJECT_FILE)
@click.option("--lang", "langs", multiple=True, metavar="L", help="Only this language (repeatable); default: all of `exports: languages`.")
@click.option("--platform", "platforms", multiple=True, metavar="P", help="Only this platform (repeatable); default: all of `exports: platforms`.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="ffmpeg processes at once (default: one per four cores).")
@click.option("--force", is_flag=True, help="Render everything, even outputs that are up to date.")
def export(project_file: Path, langs: tuple[str, ...], platforms: tuple[str, ...], jobs: int | None, force: bool) -> None:
    """Render the languages x platforms matrix of PROJECT_FILE, only what changed since the last run."""
    from filmkit.export.batch import Outcome, plan_export, run_export

    plan = plan_export(project_file, langs, platforms)
    with _export_progress(plan) as on_event:
        results = run_export(plan, jobs=jobs, force=force, on_event=on_event)
    _export_summary(plan, results)
    if any(result.outcome is Outcome.FAILED for result in results):
        raise SystemExit(int(ExitStatus.RENDER_FAILED))


def _export_progress(plan: Any) -> Any:
    """An overall bar and one bar per running job, on a terminal; one line per finished job otherwise."""
    import contextlib

    if not sys.stderr.isatty():
        def plain(event: Any) -> None:
            if event.kind == "measure":
                click.echo("Measuring the loudness of the mix ...", err=True)
            elif event.kind == "done":
                for result in event.results:
                    click.echo(f"  {result.outcome.value:<10} {result.output.path}", err=True)

        return contextlib.nullcontext(plain)

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    @contextlib.contextmanager
    def bars() -> Any:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("ETA"),
                      TimeRemainingColumn(), console=Console(stderr=True), transient=True) as progress:
            overall = progress.add_task("All outputs", total=len(plan.outputs))
            tasks: dict[Any, Any] = {}

            def on_event(event: Any) -> None:
                if event.kind == "skipped":
                    progress.update(overall, advance=len(event.results))
                elif event.kind == "measure":
                    progress.update(overall, description="All outputs (measuring loudness)")
                elif event.kind == "start":
                    langs = ", ".join(output.lang for output in event.job.outputs)
                    tasks[event.job] = progress.add_task(f"  {event.job.platform} [{langs}]", total=event.job.frames)
                elif event.kind == "progress" and event.job in tasks:
                    progress.update(tasks[event.job], completed=min(event.frame, event.job.frames))
                elif event.kind == "done":
                    progress.update(overall, description="All outputs", advance=len(event.results))
                    if event.job in tasks:
                        progress.remove_task(tasks.pop(event.job))

            yield on_event

    return bars()


def _export_summary(plan: Any, results: list[Any]) -> None:
    from collections import Counter

    counts = Counter(result.outcome.value for result in results)
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"filmkit export: {plan.loaded.project.title}", title_justify="left")
        for column in ("platform", "language", "result", "file or reason"):
            table.add_column(column, overflow="fold")
        for result in results:
            detail = result.reason if result.reason else str(result.output.path)
            style = {"failed": "red", "rendered": "green"}.get(result.outcome.value, "")
            table.add_row(result.output.platform, result.output.lang, f"[{style}]{result.outcome.value}[/]" if style else result.outcome.value, detail)
        Console(stderr=True).print(table)
    else:
        for result in results:
            if result.reason:
                click.echo(f"FAILED {result.output.platform}/{result.output.lang}: {result.reason}", err=True)
    summary = ", ".join(f"{counts.get(key, 0)} {key}" for key in ("rendered", "up to date", "failed"))
    click.echo(f"{len(results)} outputs: {summary}; manifest: {plan.folder / 'manifest.json'}", err=True)


@cli.command()
@click.argument("project_file", type=PROJECT_FILE)
@click.option("--lang", "lang", required=True, metavar="L", help="Language of the card (en, ar ... or en+ru).")
@click.option("--platform", "platform", metavar="P", help="Lay it out for platform P's frame and safe area (default: the project's frame).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="PNG file to write.")
def card(project_file: Path, lang: str, platform: str | None, output: Path) -> None:
    """Preview the closing card of PROJECT_FILE as a PNG."""
    from filmkit.render.platform import preview_card

    made, (width, height) = preview_card(project_file, lang, platform, output)
    click.echo(f"Wrote {made} ({width}x{height})", err=True)


@cli.command()
@click.argument("name", required=False)
@click.option("--project", "project", type=click.Path(path_type=Path), default=None,
              help="Project file or folder whose presets/ folder is searched first (default: the current folder).")
def presets(name: str | None, project: Path | None) -> None:
    """List the platform presets, or show every value of preset NAME with its source."""
    from filmkit.platform.presets import available_presets, describe, load_preset, summary

    folder = (project.parent if project.is_file() else project) if project is not None else Path.cwd()
    if name is None:
        rows = [summary(preset) for preset in available_presets(folder)]
        if sys.stdout.isatty():
            from rich.console import Console
            from rich.markup import escape
            from rich.table import Table

            table = Table(title="filmkit presets", title_justify="left")
            for column in rows[0] if rows else ():
                table.add_column(column, overflow="fold")
            for row in rows:
                table.add_row(*(escape(value) for value in row.values()))
            Console().print(table)
        elif rows:
            widths = {key: max(len(key), *(len(row[key]) for row in rows)) for key in rows[0]}
            for row in [dict(zip(widths, widths)), *rows]:
                click.echo("  ".join(row[key].ljust(widths[key]) for key in widths).rstrip())
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
