"""`filmkit subs ...`: the translator's tools (lint, convert, shift, proof sheets)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import click

from filmkit.cli.app import PROJECT_FILE, cli
from filmkit.errors import ExitStatus, FilmkitError, Reported, SubtitleError


@cli.group()
def subs() -> None:
    """Tools for translators' subtitle files: lint, convert, shift, proof sheets."""


@subs.command("lint")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--lang", "lang", metavar="L", help="Language of the files (default: guessed from each file name, e.g. ru.srt).")
@click.option("--fps", default=None, help="Frame rate used for the 2-frame gap rule (default: 25; with --project, the project's).")
@click.option("--vertical", is_flag=True, help="Judge for a 9:16 frame (3 lines allowed).")
@click.option("--encoding", default=None, help="Read the files in this encoding instead of detecting it.")
@click.option("--project", "project_file", type=PROJECT_FILE, default=None,
              help="Lint against this project: its frame rate, cuts (shot-change), end and limits; without FILE, "
                   "every subtitle file of the project.")
@click.option("--json", "as_json", is_flag=True, help="Print findings as a JSON list.")
def subs_lint(files: tuple[Path, ...], lang: str | None, fps: str | None, vertical: bool, encoding: str | None,
              project_file: Path | None, as_json: bool) -> None:
    """Check reading speed, line length, lines, overlaps, durations, gaps, encoding, glyphs and, against a
    project, the cuts of the film."""
    from filmkit.render.tracks import lint_glyphs
    from filmkit.subtitles.lint import guess_lang, lint
    from filmkit.subtitles.load import load_subtitles
    from filmkit.subtitles.model import Severity

    against = _against_project(project_file, fps, files)
    files = files or tuple(against.files.values())
    findings = []
    unreadable = []
    for path in files:
        code = lang or against.lang_of(path) or guess_lang(path)
        try:
            loaded = load_subtitles(path, lang=code, encoding=encoding or against.encodings.get(code or ""))
        except SubtitleError as exc:
            unreadable.append(exc)
            continue
        findings.extend(lint(loaded, lang=code, fps=against.fps, vertical=vertical, film_end=against.film_end,
                             limits_override=against.limits, cuts=against.cuts))
        findings.extend(lint_glyphs(loaded, code))
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
        raise Reported(ExitStatus.INVALID_INPUT)
    if any(f.severity is Severity.ERROR for f in findings):
        raise Reported(ExitStatus.RENDER_FAILED)


@dataclass(frozen=True)
class _Against:
    """What `subs lint` checks files against: a project's timeline and settings, or just a rate."""

    fps: Fraction
    cuts: tuple[int, ...] = ()
    film_end: Fraction | None = None
    limits: dict[str, Any] | None = None
    files: dict[str, Path] = field(default_factory=dict)  # language -> the project's subtitle file
    encodings: dict[str, str] = field(default_factory=dict)

    def lang_of(self, path: Path) -> str | None:
        """The project's language key for `path`, when it is one of the project's files."""
        return next((lang for lang, known in self.files.items() if known.resolve() == path.resolve()), None)


def _against_project(project_file: Path | None, fps: str | None, files: tuple[Path, ...]) -> _Against:
    from filmkit.timecode import parse_rate

    if project_file is None:
        if not files:
            raise click.UsageError("give the subtitle files to lint (e.g. filmkit subs lint ru.srt), or "
                                   "--project EDIT.yaml to lint every subtitle file of a project")
        return _Against(parse_rate(fps or "25"))
    if fps is not None:
        raise click.UsageError(f"--fps {fps} and --project: the project's frame rate is the one its cuts are at; "
                               "leave out --fps")
    from filmkit.errors import ProjectError
    from filmkit.project import build_timeline, load_project
    from filmkit.render.inputs import encoding_problems
    from filmkit.render.tracks import available_languages
    from filmkit.subtitles.shots import shot_changes

    loaded = load_project(project_file)
    timeline = build_timeline(loaded)
    problems = encoding_problems(loaded)  # `subtitles: encoding:` refused at its line, as check does
    if problems:
        raise ProjectError(problems)
    config = loaded.project.subtitles
    known = available_languages(loaded)
    if not files and not known:
        raise FilmkitError(f"{project_file}: the project lists no subtitle files (`subtitles: files:` or `dir:`), so "
                           "there is nothing to lint; name the files: filmkit subs lint --project "
                           f"{project_file} ru.srt")
    return _Against(timeline.fps, shot_changes(timeline), timeline.cut_duration,
                    (config.limits or None) if config else None, known, dict(config.encoding) if config else {})


@subs.command("convert")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--lang", "lang", metavar="L", help="Language of SOURCE, to tell its legacy encoding (default: from its name, e.g. ru.srt).")
@click.option("--encoding", default=None, help="Read SOURCE in this encoding instead of detecting it.")
def subs_convert(source: Path, target: Path, lang: str | None, encoding: str | None) -> None:
    """Convert SOURCE to UTF-8 SRT, VTT or ASS (by TARGET's extension); cues without text are left out."""
    from filmkit.subtitles.write import convert

    done = convert(source, target, lang=lang, encoding=encoding)
    for note in done.notes:
        click.echo(f"{source}: note: {note}", err=True)
    loaded = done.loaded
    click.echo(f"Wrote {target} ({len(done.written)} cues, read as {loaded.encoding} {loaded.format.upper()})", err=True)


@subs.command("shift")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--by", "by", required=True, help="Seconds to move every cue (negative: earlier), e.g. -30 or 1.5.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write here (default: replace FILE, as UTF-8).")
@click.option("--lang", "lang", metavar="L", help="Language of FILE, to tell its legacy encoding (default: from its name).")
@click.option("--encoding", default=None, help="Read FILE in this encoding instead of detecting it.")
def subs_shift(file: Path, by: str, output: Path | None, lang: str | None, encoding: str | None) -> None:
    """Move every cue of FILE by a number of seconds."""
    from filmkit.subtitles.write import shift_file

    try:
        seconds = Fraction(by)
    except (ValueError, ZeroDivisionError):
        raise FilmkitError(f"--by {by!r} is not a number of seconds; write e.g. --by -30 or --by 1.5") from None
    target = output or file
    loaded, moved = shift_file(file, seconds, target, lang=lang, encoding=encoding)
    for note in moved.notes:
        click.echo(f"{file}: note: {note}", err=True)
    click.echo(f"Wrote {target} ({len(loaded.cues)} cues moved by {float(seconds):+g} s)", err=True)


@subs.command("proof")
@click.argument("project_file", type=PROJECT_FILE)
@click.option("--lang", "lang", required=True, metavar="L", help="Language to proof (en, ru, ... or en+ru).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="PNG to write (default: out/<title>_<lang>_proof.png).")
def subs_proof(project_file: Path, lang: str, output: Path | None) -> None:
    """A contact sheet: one real frame per cue with the subtitle burned in, timecode and cue number."""
    from filmkit.render.guard import check_single_output
    from filmkit.render.plan import plan_render
    from filmkit.tools.proof import make_proof_sheet

    plan = plan_render(project_file, lang=lang)
    target = check_single_output(output or plan.output.with_name(f"{plan.output.stem}_proof.png"), plan.loaded,
                                 plan.media, explicit=output is not None, what="the proof sheet")
    made = make_proof_sheet(plan, target)
    click.echo(f"Wrote {made} ({len(plan.tracks[0].cues)} cues)", err=True)


@subs.command("layout")
@click.argument("project_file", type=PROJECT_FILE)
@click.option("--lang", "lang", required=True, metavar="L", help="Language to lay out (en, ru, ... or en+ru).")
@click.option("--platform", "platform", metavar="P", help="At platform P's frame and safe area (default: the project's format).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: frame, safe area, picture, cues, findings.")
def subs_layout(project_file: Path, lang: str, platform: str | None, as_json: bool) -> None:
    """Each cue's lines, faces, direction and box exactly as they will be burned."""
    from filmkit.render.layout import layout_report

    report = layout_report(project_file, lang, platform)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    left, top, right, bottom = report.picture
    click.echo(f"{report.frame}: {report.width}x{report.height}, picture at {left},{top}-{right},{bottom}, "
               f"{len(report.cues)} cues")
    for cue in report.cues:
        faces = ", ".join(dict.fromkeys(run.font.family for line in cue.lines for run in line.runs))
        click.echo(f"cue {cue.cue.number} [{cue.lang}] {float(cue.cue.start):.2f}-{float(cue.cue.end):.2f} s: "
                   f"{len(cue.lines)} line(s) at {cue.font_size:.0f} px, {faces}, box {list(cue.box)}")
        for line in cue.lines:
            mark = "\u2190" if line.direction == "rtl" else " "
            click.echo(f"  {mark}| {line.text}")
    for finding in report.findings:
        click.echo(str(finding), err=True)
