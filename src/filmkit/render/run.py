"""One ffmpeg process for a plan: every version rendered into temporaries, verified, moved into place.

A failed, interrupted or unverifiable render never leaves a partial file at the output path
and never touches an existing good output. A cut of many shots renders in segments.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from filmkit.graph import RenderSpec, Version, build_render_args
from filmkit.media.ffmpeg import Progress, run_ffmpeg
from filmkit.media.probe import MediaInfo
from filmkit.platform.preset import Preset
from filmkit.atomic import temporary_path
from filmkit.render.files import temporary_beside
from filmkit.render.plan import RenderPlan
from filmkit.render.verify import verify

# A cut of more shots than SEGMENT_ABOVE renders in segments of SEGMENT_EVENTS events: one
# ffmpeg graph holds a decoder and frame queues per input, so memory would grow with the
# number of shots (benchmarks/RESULTS.md, scaling).
SEGMENT_ABOVE = 12
SEGMENT_EVENTS = 6


@dataclass(frozen=True)
class RenderResult:
    output: Path
    frames: int
    size_bytes: int
    info: MediaInfo | None = None  # what verification read back from the file


def render(plan: RenderPlan, on_progress: Callable[[Progress], None] | None = None) -> RenderResult:
    """Render a single-version plan; see `render_all`."""
    return render_all(plan, on_progress)[0]


def render_all(
    plan: RenderPlan,
    on_progress: Callable[[Progress], None] | None = None,
    preset: Preset | None = None,
) -> list[RenderResult]:
    """Every version of `plan` from one ffmpeg process, each moved into place only once all are
    verified (against `preset` too, for the versions of a platform)."""
    with contextlib.ExitStack() as stack:
        temps = [stack.enter_context(temporary_beside(version.output)) for version in plan.versions]
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
        read = [verify(temp, plan.timeline, plan.picture, plan.spec.fps, preset).info for temp in temps]
        for version, temp in zip(plan.versions, temps):
            os.replace(temp, version.output)
    return [RenderResult(version.output, plan.timeline.total_frames, version.output.stat().st_size,
                         dataclasses.replace(info, path=version.output))
            for version, info in zip(plan.versions, read)]


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
        path = temporary_path(first.with_name(f"{plan.output.stem}.mp4"), name)
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
            listing = temporary_path(first.with_name(f"{plan.output.stem}.txt"), f"parts{index}")
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
