"""One output: plan it, run ffmpeg into a temporary file beside the target, verify, move.

A failed, interrupted or unverifiable render never leaves a partial file at the output path
and never touches an existing good output.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from filmkit.render.tracks import LanguageTrack, parse_langs, prepare_track, write_burn
from filmkit.errors import Interrupted, OutputError, ProjectError, RenderError
from filmkit.media.ffmpeg import Progress, run_ffmpeg
from filmkit.graph import Burn, CardImage, Encoding, Picture, RenderSpec, Version, build_render_args
from filmkit.platform.safearea import SafeArea
from filmkit.media.checks import check_media, probe_media
from filmkit.media.probe import MediaInfo, count_video_frames, probe
from filmkit.project import LoadedProject, Timeline, build_timeline, load_project

TEMP_MARK = ".filmkit-part"
# A cut of more shots than SEGMENT_ABOVE renders in segments of SEGMENT_EVENTS events: one
# ffmpeg graph holds a decoder and frame queues per input, so memory would grow with the
# number of shots (benchmarks/RESULTS.md, scaling).
SEGMENT_ABOVE = 12
SEGMENT_EVENTS = 6


@dataclass(frozen=True)
class VersionPlan:
    """One file a render writes: its path, the subtitles burned into it, its card's language(s)."""

    output: Path
    tracks: tuple[LanguageTrack, ...] = ()  # subtitles to burn, first drawn above second
    card_langs: tuple[str, ...] = ()  # whose card text ends it (empty when the project has no card)


@dataclass(frozen=True)
class RenderPlan:
    """Everything one ffmpeg process needs: a timeline, its media, and the versions it writes."""

    loaded: LoadedProject
    timeline: Timeline
    media: dict[Path, MediaInfo]
    versions: tuple[VersionPlan, ...]
    spec: RenderSpec = RenderSpec()
    safe_area: SafeArea | None = None  # the card's text and logo stay inside (a platform's interface)
    subtitle_safe_area: SafeArea | None = None

    @property
    def output(self) -> Path:
        return self.versions[0].output

    @property
    def tracks(self) -> tuple[LanguageTrack, ...]:
        return self.versions[0].tracks

    @property
    def picture(self) -> Picture:
        return self.spec.picture or Picture(self.timeline.width, self.timeline.height)

    def args(self, target: Path | None = None, burn: Burn | None = None, card: CardImage | None = None) -> list[str]:
        """The argv of a single-version plan (for --dry-run and tests)."""
        version = Version(target or self.output, burn, card)
        return build_render_args(self.timeline, self.media, [version], self.spec)

    def write_burn(self, workdir: Path, version: VersionPlan | None = None) -> Burn | None:
        tracks = (version or self.versions[0]).tracks
        if not tracks:
            return None
        assert self.loaded.project.subtitles is not None
        picture = self.picture
        return write_burn(list(tracks), self.timeline, self.loaded.project.subtitles.style, workdir,
                          picture.width, picture.height, safe_area=self.subtitle_safe_area)

    def write_card(self, workdir: Path, version: VersionPlan | None = None) -> CardImage | None:
        langs = (version or self.versions[0]).card_langs
        if self.timeline.card is None or not langs:
            return None
        return draw_card_file(self.loaded, langs, self.picture, self.safe_area, workdir)


@dataclass(frozen=True)
class RenderResult:
    output: Path
    frames: int
    size_bytes: int


def load_and_check(project_file: Path) -> tuple[LoadedProject, Timeline, dict[Path, MediaInfo]]:
    """Everything `filmkit check` validates: schema, times, media, ranges."""
    loaded = load_project(project_file)
    timeline = build_timeline(loaded)
    media = probe_media(loaded, timeline)
    check_media(loaded, timeline, media)
    return loaded, timeline, media


def plan_render(
    project_file: Path, output: Path | None = None, encoding: Encoding = Encoding(), lang: str | None = None
) -> RenderPlan:
    """The master (project format) render, with the subtitles of `lang` burned in if given."""
    loaded, timeline, media = load_and_check(project_file)
    langs = parse_langs(lang) if lang else []
    tracks = tuple(prepare_track(loaded, timeline, code) for code in langs)
    card_langs = card_languages(loaded, langs)
    target = Path(output) if output else default_output(loaded, lang)
    target = target.expanduser().absolute()
    check_output_path(target, protected=[loaded.path, *media, *(t.file.path for t in tracks)])
    return RenderPlan(loaded, timeline, media, (VersionPlan(target, tracks, card_langs),), RenderSpec(encoding=encoding))


def check_output_path(target: Path, protected: list[Path]) -> None:
    """Refuse outputs that would destroy an input, a device or a folder, before any work starts."""
    if target.resolve() in {p.resolve() for p in protected}:
        raise OutputError(f"{target}: the output would overwrite one of the project's own files (the project, "
                          "its media or subtitles). Choose another -o")
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name such as {target / 'film.mp4'}")
    if target.exists() and not target.is_file():
        raise OutputError(f"{target}: exists and is not a regular file (a device, pipe or socket); "
                          "filmkit only replaces files. Choose another -o")
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"{target}: {parent} is a file, not a folder. Choose another -o")
            break


def default_output(loaded: LoadedProject, lang: str | None = None) -> Path:
    suffix = f"_{lang}" if lang else ""
    return loaded.folder / "out" / f"{slugify(loaded.project.title)}{suffix}.mp4"


def slugify(title: str) -> str:
    """A file-name-safe form of a title that keeps non-Latin letters readable."""
    text = unicodedata.normalize("NFKC", title).strip().lower()
    text = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")
    return text or "film"


def render(plan: RenderPlan, on_progress: Callable[[Progress], None] | None = None) -> RenderResult:
    """Render a single-version plan; see `render_all`."""
    return render_all(plan, on_progress)[0]


def render_all(
    plan: RenderPlan,
    on_progress: Callable[[Progress], None] | None = None,
    verify_output: Callable[[Path, VersionPlan], None] | None = None,
) -> list[RenderResult]:
    """Every version of `plan` from one ffmpeg process, each moved into place only once all are verified."""
    with contextlib.ExitStack() as stack:
        temps = [stack.enter_context(_temporary_beside(version.output)) for version in plan.versions]
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="filmkit-")))
        versions = []
        for index, (version, temp) in enumerate(zip(plan.versions, temps)):
            folder = workdir / str(index)
            folder.mkdir()
            versions.append(Version(temp, plan.write_burn(folder, version), plan.write_card(folder, version)))
        names = ", ".join(version.output.name for version in plan.versions)
        spec = spec_for_versions(plan.spec, len(versions), os.cpu_count() or 2)
        if renders_in_segments(plan):
            _render_segments(plan, spec, versions, on_progress, names)
        else:
            run_ffmpeg(build_render_args(plan.timeline, plan.media, versions, spec),
                       on_progress=on_progress, what=f"rendering {names}")
        for version, temp in zip(plan.versions, temps):
            verify(temp, plan.timeline, plan.picture, plan.spec.fps)
            if verify_output is not None:
                verify_output(temp, version)
        for version, temp in zip(plan.versions, temps):
            os.replace(temp, version.output)
    return [RenderResult(v.output, plan.timeline.total_frames, v.output.stat().st_size) for v in plan.versions]


def spec_for_versions(spec: RenderSpec, versions: int, cores: int) -> RenderSpec:
    """Several encoders in one process share the cores instead of each starting 1.5 x cores threads.

    Measured on 2 cores, the 12-output benchmark batch: peak 1553 -> 1298 MiB, CPU unchanged
    (benchmarks/RESULTS.md). One version keeps x264's own choice: it is the only encoder.
    """
    if versions < 2:
        return spec
    threads = max(1, cores // versions)
    return dataclasses.replace(spec, encoding=dataclasses.replace(spec.encoding, threads=threads))


def renders_in_segments(plan: RenderPlan) -> bool:
    """A cut of many shots renders in segments, so memory does not grow with the film.

    Not when the output's frame rate differs from the project's: segments must join on frames.
    """
    shots = sum(1 for clip in plan.timeline.clips if clip.kind != "color")
    return shots > SEGMENT_ABOVE and (plan.spec.fps is None or plan.spec.fps == plan.timeline.fps)


def _render_segments(plan: RenderPlan, spec: RenderSpec, versions: list[Version],
                     on_progress: Callable[[Progress], None] | None, names: str) -> None:
    """The sound in one pass, the picture segment by segment, joined without re-encoding."""
    from filmkit.graph import build_join_args, build_segment_args, build_sound_args
    from filmkit.project.segments import split_timeline

    first = versions[0].path
    pieces: list[Path] = []

    def piece(name: str) -> Path:
        # Beside the output (its file system, its free space), swept like any temporary if killed.
        path = first.with_name(f".{plan.output.stem}.{os.getpid()}-{name}{TEMP_MARK}.mp4")
        pieces.append(path)
        return path

    try:
        sound = piece("sound")
        run_ffmpeg(build_sound_args(plan.timeline, plan.media, spec, sound), what=f"mixing the sound of {names}")
        segments = split_timeline(plan.timeline, SEGMENT_EVENTS)
        parts: list[list[Path]] = [[] for _ in versions]
        done = 0
        for number, segment in enumerate(segments):
            outputs = [dataclasses.replace(version, path=piece(f"seg{number:04d}v{index}")) for index, version in enumerate(versions)]
            advance = None if on_progress is None else _shifted(on_progress, done)
            run_ffmpeg(build_segment_args(segment.timeline, plan.media, outputs, spec, segment.start),
                       on_progress=advance, what=f"rendering {names} (part {number + 1} of {len(segments)})")
            done += segment.timeline.total_frames
            for index, output in enumerate(outputs):
                parts[index].append(output.path)
        for index, version in enumerate(versions):
            listing = first.with_name(f".{plan.output.stem}.{os.getpid()}-parts{index}{TEMP_MARK}.txt")
            pieces.append(listing)
            listing.write_text("".join(f"file '{_concat_quoted(path)}'\n" for path in parts[index]), encoding="utf-8")
            run_ffmpeg(build_join_args(listing, sound, version.path, spec.encoding), what=f"joining {names}")
    finally:
        for path in pieces:
            path.unlink(missing_ok=True)


def _shifted(on_progress: Callable[[Progress], None], frames: int) -> Callable[[Progress], None]:
    return lambda update: on_progress(dataclasses.replace(update, frame=frames + update.frame, done=False))


def _concat_quoted(path: Path) -> str:
    """A path inside single quotes of an ffmpeg concat list (a quote is closed, escaped, reopened)."""
    return str(path.absolute()).replace("'", "'\\''")


def card_languages(loaded: LoadedProject, langs: list[str]) -> tuple[str, ...]:
    """Whose card text ends a version: its languages, or the card's first language for the master.

    A version in a language the card has no text for is an error: never a silent English card
    on the Russian version.
    """
    card = loaded.project.card
    if card is None:
        return ()
    if not langs:
        return (next(iter(card.text)),)
    missing = [lang for lang in langs if lang not in card.text]
    if missing:
        have = ", ".join(card.text)
        raise ProjectError([loaded.locations.problem(
            ("card", "text"),
            f"the card has no text in {', '.join(repr(m) for m in missing)}; it has: {have}. Add "
            + " ".join(f"`{m}: {{tagline: ..., hashtag: ...}}`" for m in missing)
            + " under `card: text:` (the card is never shown in another language than the version's)",
        )])
    return tuple(langs)


def draw_card_file(loaded: LoadedProject, langs: tuple[str, ...], picture: Picture, safe_area: SafeArea | None,
                   workdir: Path) -> CardImage:
    """The card for `langs` drawn at the output's size into `workdir`."""
    from filmkit.card import CardContent, draw_card, save_png

    card = loaded.project.card
    assert card is not None
    contents = [CardContent(lang, card.text[lang].tagline, card.text[lang].hashtag, card.text[lang].url) for lang in langs]
    kind = card.background_kind
    background: str | Path | None = None if kind == "blur" else card.background if kind == "color" else loaded.resolve(card.background)
    image = draw_card(
        contents, picture.width, picture.height, background=background,
        logo=loaded.resolve(card.logo) if card.logo else None, color=card.color, accent=card.accent,
        font=card.font, project_dir=loaded.folder, safe_area=safe_area,
    )
    png = save_png(image, workdir / f"card_{'+'.join(langs)}_{picture.width}x{picture.height}.png")
    return CardImage(png, over_blur=kind == "blur")


def write_sidecars(plan: RenderPlan) -> list[Path]:
    """Clean UTF-8 SRT and VTT beside the video, on the record timeline, for platforms that take captions."""
    from filmkit.subtitles.write import write_srt, write_vtt

    written = []
    for track in plan.tracks:
        for suffix, writer in ((".srt", write_srt), (".vtt", write_vtt)):
            target = plan.output.with_name(f"{plan.output.stem}.{track.lang}{suffix}")
            temp = target.with_name(f".{target.name}.{os.getpid()}{TEMP_MARK}")
            writer(track.cues, temp)
            os.replace(temp, target)
            written.append(target)
    return written


def verify(path: Path, timeline: Timeline, picture: Picture | None = None, fps: Fraction | None = None) -> None:
    """The file must be exactly what the timeline asks for, or it does not replace anything."""
    from filmkit.errors import MediaError

    picture = picture or Picture(timeline.width, timeline.height)
    try:
        info = probe(path)
    except MediaError as exc:
        raise RenderError(f"the rendered file cannot be read back: {exc}") from None
    problems = []
    if info.video is None or info.audio is None:
        problems.append("a video or audio stream is missing")
    else:
        if (info.video.width, info.video.height) != (picture.width, picture.height):
            problems.append(f"size {info.video.width}x{info.video.height}, expected {picture.width}x{picture.height}")
        frames = count_video_frames(path)
        expected = expected_frames(timeline, fps)
        if frames != expected:
            problems.append(f"{frames} frames, expected {expected}")
        if info.audio.rate != timeline.audio_rate or info.audio.channels != timeline.channels:
            problems.append(f"audio {info.audio.rate} Hz x{info.audio.channels}, expected {timeline.audio_rate} Hz x{timeline.channels}")
    if problems:
        raise RenderError(
            "the render finished but failed verification: " + "; ".join(problems)
            + ". This is a filmkit bug; please report it with `filmkit render --dry-run` output"
        )


def expected_frames(timeline: Timeline, fps: Fraction | None = None) -> int:
    """Frames of the film at the output rate (the project's, or a platform's when it differs)."""
    if fps is None or fps == timeline.fps:
        return timeline.total_frames
    return math.ceil(timeline.duration * fps - Fraction(1, 2))


def _read_umask() -> int:
    """The process umask (read once at import: setting it is process-wide, so never from worker threads)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


UMASK = _read_umask()


def remove_stale_temporaries(target: Path) -> None:
    """Delete temporaries of `target` left by a filmkit that was killed (its pid is gone)."""
    for leftover in target.parent.glob(f".{glob_escape(target.stem)}.*{TEMP_MARK}*"):
        pid_text = leftover.name[len(target.stem) + 2 :].split("-", 1)[0]
        if pid_text.isdigit() and not _alive(int(pid_text)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _temporary_beside(target: Path) -> Iterator[Path]:
    """A temp file in the target's folder (same file system, so the final move is atomic)."""
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name such as {target / 'film.mp4'}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)
        handle, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.stem}.{os.getpid()}-", suffix=f"{TEMP_MARK}{target.suffix}"
        )
        # mkstemp makes the file private (0600); a film is an ordinary file, readable as umask allows.
        os.chmod(name, 0o666 & ~UMASK)
    except OSError as exc:
        raise OutputError(
            f"{target}: cannot write in {target.parent} ({exc.strerror}). "
            "Choose another output with -o, or fix the folder's permissions"
        ) from None
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; {target.name} was not written (nothing half-written was left)") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
