"""One output: plan it, run ffmpeg into a temporary file beside the target, verify, move.

A failed, interrupted or unverifiable render never leaves a partial file at the output path
and never touches an existing good output.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from filmkit.errors import Interrupted, OutputError, RenderError
from filmkit.ffmpeg import Progress, run_ffmpeg
from filmkit.burn import LanguageTrack, parse_langs, prepare_track, write_burn
from filmkit.graph import Burn, Encoding, build_render_args
from filmkit.mediacheck import check_media, probe_media
from filmkit.probe import MediaInfo, count_video_frames, probe
from filmkit.project import LoadedProject, Timeline, build_timeline, load_project

TEMP_MARK = ".filmkit-part"


@dataclass(frozen=True)
class RenderPlan:
    loaded: LoadedProject
    timeline: Timeline
    media: dict[Path, MediaInfo]
    output: Path
    encoding: Encoding
    tracks: tuple[LanguageTrack, ...] = ()  # subtitles to burn, first drawn above second

    def args(self, target: Path | None = None, burn: Burn | None = None) -> list[str]:
        return build_render_args(self.timeline, self.media, target or self.output, self.encoding, burn)

    def write_burn(self, workdir: Path) -> Burn | None:
        if not self.tracks:
            return None
        assert self.loaded.project.subtitles is not None
        return write_burn(list(self.tracks), self.timeline, self.loaded.project.subtitles.style, workdir)


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
    loaded, timeline, media = load_and_check(project_file)
    langs = parse_langs(lang) if lang else []
    tracks = tuple(prepare_track(loaded, timeline, code) for code in langs)
    target = Path(output) if output else default_output(loaded, lang)
    target = target.expanduser().absolute()
    check_output_path(target, protected=[loaded.path, *media, *(t.file.path for t in tracks)])
    return RenderPlan(loaded, timeline, media, target, encoding, tracks)


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
    with _temporary_beside(plan.output) as temp, tempfile.TemporaryDirectory(prefix="filmkit-") as work:
        burn = plan.write_burn(Path(work))
        run_ffmpeg(plan.args(temp, burn), on_progress=on_progress, what=f"rendering {plan.output.name}")
        verify(temp, plan.timeline)
        os.replace(temp, plan.output)
    return RenderResult(plan.output, plan.timeline.total_frames, plan.output.stat().st_size)


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


def verify(path: Path, timeline: Timeline) -> None:
    """The file must be exactly what the timeline asks for, or it does not replace anything."""
    from filmkit.errors import MediaError

    try:
        info = probe(path)
    except MediaError as exc:
        raise RenderError(f"the rendered file cannot be read back: {exc}") from None
    problems = []
    if info.video is None or info.audio is None:
        problems.append("a video or audio stream is missing")
    else:
        if (info.video.width, info.video.height) != (timeline.width, timeline.height):
            problems.append(f"size {info.video.width}x{info.video.height}, expected {timeline.width}x{timeline.height}")
        frames = count_video_frames(path)
        if frames != timeline.total_frames:
            problems.append(f"{frames} frames, expected {timeline.total_frames}")
        if info.audio.rate != timeline.audio_rate or info.audio.channels != timeline.channels:
            problems.append(f"audio {info.audio.rate} Hz x{info.audio.channels}, expected {timeline.audio_rate} Hz x{timeline.channels}")
    if problems:
        raise RenderError(
            "the render finished but failed verification: " + "; ".join(problems)
            + ". This is a filmkit bug; please report it with `filmkit render --dry-run` output"
        )


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
