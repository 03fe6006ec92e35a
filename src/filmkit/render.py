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
from filmkit.graph import Encoding, build_render_args
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

    def args(self, target: Path | None = None) -> list[str]:
        return build_render_args(self.timeline, self.media, target or self.output, self.encoding)


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


def plan_render(project_file: Path, output: Path | None = None, encoding: Encoding = Encoding()) -> RenderPlan:
    loaded, timeline, media = load_and_check(project_file)
    target = Path(output) if output else default_output(loaded)
    target = target.expanduser().absolute()
    if target.resolve() in {p.resolve() for p in media}:
        raise OutputError(f"{target}: the output would overwrite one of the project's own media files. Choose another -o")
    return RenderPlan(loaded, timeline, media, target, encoding)


def default_output(loaded: LoadedProject) -> Path:
    return loaded.folder / "out" / f"{slugify(loaded.project.title)}.mp4"


def slugify(title: str) -> str:
    """A file-name-safe form of a title that keeps non-Latin letters readable."""
    text = unicodedata.normalize("NFKC", title).strip().lower()
    text = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")
    return text or "film"


def render(plan: RenderPlan, on_progress: Callable[[Progress], None] | None = None) -> RenderResult:
    with _temporary_beside(plan.output) as temp:
        run_ffmpeg(plan.args(temp), on_progress=on_progress, what=f"rendering {plan.output.name}")
        verify(temp, plan.timeline)
        os.replace(temp, plan.output)
    return RenderResult(plan.output, plan.timeline.total_frames, plan.output.stat().st_size)


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
