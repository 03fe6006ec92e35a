"""One ffmpeg process for a plan: every version rendered into temporaries, verified, moved into place.

A failed, interrupted or unverifiable render never leaves a partial file at the output path
and never touches an existing good output. A cut of many shots renders in segments.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from filmkit.graph import RenderSpec, Version, build_render_args
from filmkit.media.ffmpeg import Progress, run_ffmpeg
from filmkit.media.probe import MediaInfo, pyav_imported_meanwhile
from filmkit.platform.preset import Preset
from filmkit.atomic import TEMP_MARK, temporary_path
from filmkit.render.files import temporary_beside
from filmkit.render.plan import RenderPlan
from filmkit.render.verify import verify
from filmkit.render.vbv import buffer_left, starting_with

# A cut of more shots than SEGMENT_ABOVE renders in segments of SEGMENT_EVENTS events: one
# ffmpeg graph holds a decoder and frame queues per input, so memory would grow with the
# number of shots (benchmarks/RESULTS.md, scaling).
SEGMENT_ABOVE = 12
SEGMENT_EVENTS = 6
SERIAL_GRAPH_CORES = 2  # at most this many cores: the filter graph on one thread (spec_for_versions)


# How the versions of a plan get rendered into their temporaries: (plan, spec, versions, on_progress, names).
RenderStep = Callable[[RenderPlan, RenderSpec, list[Version], Callable[[Progress], None] | None, str], None]


@dataclass(frozen=True)
class RenderResult:
    output: Path
    frames: int
    size_bytes: int
    info: MediaInfo | None = None  # what verification read back from the file
    ready: Path | None = None  # render_for_handoff: the verified file, at a hidden name beside `output`


def render(plan: RenderPlan, on_progress: Callable[[Progress], None] | None = None) -> RenderResult:
    """Render a single-version plan; see `render_all`."""
    return render_all(plan, on_progress)[0]


def render_all(
    plan: RenderPlan,
    on_progress: Callable[[Progress], None] | None = None,
    preset: Preset | None = None,
    step: RenderStep | None = None,
) -> list[RenderResult]:
    """Every version of `plan` from one ffmpeg process, each moved into place only once all are
    verified (against `preset` too, for the versions of a platform). `step` renders the versions
    in another way (`render.parallel`: segments on a cluster's workers)."""
    with _verified_temporaries(plan, on_progress, preset, step) as done:
        for version, (temp, _info) in zip(plan.versions, done):
            os.replace(temp, version.output)
    return [RenderResult(version.output, plan.timeline.total_frames, version.output.stat().st_size,
                         dataclasses.replace(info, path=version.output))
            for version, (_temp, info) in zip(plan.versions, done)]


def render_for_handoff(
    plan: RenderPlan,
    on_progress: Callable[[Progress], None] | None = None,
    preset: Preset | None = None,
) -> list[RenderResult]:
    """Like `render_all`, but the verified files stay at hidden names beside their targets
    (`RenderResult.ready`) for another process to move into place: a cluster worker renders, the
    export that sent the job records and places. A ready file keeps its temporary's mark and the
    pid of the process that wrote it, so it is swept like any temporary once that process is gone."""
    results = []
    with _verified_temporaries(plan, on_progress, preset) as done:
        for version, (temp, info) in zip(plan.versions, done):
            ready = temp.with_name(temp.name.replace(TEMP_MARK, f"-ready{TEMP_MARK}", 1))
            os.replace(temp, ready)
            results.append(RenderResult(version.output, plan.timeline.total_frames, ready.stat().st_size,
                                        dataclasses.replace(info, path=ready), ready))
    return results


@contextlib.contextmanager
def _verified_temporaries(plan: RenderPlan, on_progress: Callable[[Progress], None] | None, preset: Preset | None,
                          step: RenderStep | None = None) -> Iterator[list[tuple[Path, MediaInfo]]]:
    """The versions rendered into temporaries beside their targets and verified; whatever the
    caller does not move away inside the block is deleted when it ends."""
    with contextlib.ExitStack() as stack:
        temps, versions = prepare_versions(plan, stack)
        names = ", ".join(version.output.name for version in plan.versions)
        spec = spec_for_versions(plan.spec, len(versions), os.cpu_count() or 2)
        with pyav_imported_meanwhile():
            (step or _render_here)(plan, spec, versions, on_progress, names)
        yield [(temp, verify(temp, plan.timeline, plan.picture, plan.spec.fps, preset).info) for temp in temps]


def versions_into(plan: RenderPlan, paths: Sequence[Path], workdir: Path) -> list[Version]:
    """The plan's versions written to `paths`, each with its subtitles and card drawn into `workdir`."""
    versions = []
    for index, (version, path) in enumerate(zip(plan.versions, paths)):
        folder = workdir / str(index)
        folder.mkdir()
        versions.append(Version(path, plan.write_burn(folder, version), plan.write_card(folder, version),
                                plan.write_overlays(folder, version)))
    return versions


def _render_here(plan: RenderPlan, spec: RenderSpec, versions: list[Version],
                 on_progress: Callable[[Progress], None] | None, names: str) -> None:
    """This process renders: language versions sharing the pictures they have in common
    (render.shared) where that saves work, in segments for a cut of many shots, else in one run."""
    from filmkit.render.shared import render_shared, shared_pieces  # it builds on this module

    if renders_in_segments(plan):
        _render_segments(plan, spec, versions, on_progress, names)
    elif (pieces := shared_pieces(plan, versions)) is not None:
        render_shared(plan, pieces, versions, on_progress, names, os.cpu_count() or 2)
    else:
        run_ffmpeg(build_render_args(plan.timeline, plan.media, versions, spec),
                   on_progress=on_progress, what=f"rendering {names}")


def prepare_versions(plan: RenderPlan, stack: contextlib.ExitStack) -> tuple[list[Path], list[Version]]:
    """Each version's temporary output (removed on failure) and its subtitles, card and overlays,
    drawn into a working folder that lives as long as `stack`."""
    temps = [stack.enter_context(temporary_beside(version.output)) for version in plan.versions]
    workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="filmkit-")))
    return temps, versions_into(plan, temps, workdir)


def spec_for_versions(spec: RenderSpec, versions: int, cores: int) -> RenderSpec:
    """The spec's threads for this machine (both measured on 2 cores, benchmarks/RESULTS.md):

    - Several encoders in one process share the cores instead of each starting 1.5 x cores
      threads (12-output batch: peak 1553 -> 1298 MiB, CPU unchanged). One version keeps x264's
      own choice: it is the only encoder.
    - On SERIAL_GRAPH_CORES cores or fewer the filter graph runs on one thread: x264 already
      keeps the cores busy, and the graph's slice threads only competed with it (youtube-1080p
      render of the 34 s film: CPU -10 %, in 4 of 5 interleaved pairs). With more cores, where
      the graph may become the limit, ffmpeg's default (a thread per core) is kept: not measured.
    """
    encoding = spec.encoding
    if cores <= SERIAL_GRAPH_CORES:
        encoding = dataclasses.replace(encoding, filter_threads=1)
    if versions >= 2:
        encoding = dataclasses.replace(encoding, threads=max(1, cores // versions))
    return dataclasses.replace(spec, encoding=encoding)


def renders_in_segments(plan: RenderPlan) -> bool:
    """A cut of many shots renders in segments, so memory does not grow with the film.

    Not when the output's frame rate differs from the project's: segments must join on frames.
    """
    shots = sum(1 for clip in plan.timeline.clips if clip.kind != "color")
    return shots > SEGMENT_ABOVE and (plan.spec.fps is None or plan.spec.fps == plan.timeline.fps)


def _render_segments(plan: RenderPlan, spec: RenderSpec, versions: list[Version],
                     on_progress: Callable[[Progress], None] | None, names: str) -> None:
    """The sound in one pass, the picture segment by segment, joined without re-encoding."""
    from filmkit.graph import build_segment_args, build_sound_args
    from filmkit.project.segments import split_timeline

    with segment_pieces(plan, versions) as piece:
        sound = piece("sound")
        run_ffmpeg(build_sound_args(plan.timeline, plan.media, spec, sound), what=f"mixing the sound of {names}")
        segments = split_timeline(plan.timeline, SEGMENT_EVENTS)
        parts: list[list[Path]] = [[] for _ in versions]
        done = 0
        fill: int | None = None  # each segment starts with the VBV buffer the one before left (render.vbv)
        for number, segment in enumerate(segments):
            outputs = [dataclasses.replace(version, path=piece(f"seg{number:04d}v{index}")) for index, version in enumerate(versions)]
            advance = None if on_progress is None else shifted_progress(on_progress, done)
            run_ffmpeg(build_segment_args(segment.timeline, plan.media, outputs, starting_with(spec, fill), segment.start),
                       on_progress=advance, what=f"rendering {names} (part {number + 1} of {len(segments)})")
            fill = buffer_left(spec.encoding, spec.fps or plan.timeline.fps, [output.path for output in outputs], fill)
            done += segment.timeline.total_frames
            for index, output in enumerate(outputs):
                parts[index].append(output.path)
        join_segments(versions, parts, sound, spec, piece, names)


@contextlib.contextmanager
def segment_pieces(plan: RenderPlan, versions: list[Version]) -> Iterator[Callable[[str], Path]]:
    """Names for the pieces of a segmented render, beside the first output (its file system, its free
    space) and marked as temporaries (swept if killed); every piece named is deleted at the end."""
    first = versions[0].path
    pieces: list[Path] = []

    def piece(name: str, suffix: str = ".mp4") -> Path:
        path = temporary_path(first.with_name(f"{plan.output.stem}{suffix}"), name)
        pieces.append(path)
        return path

    try:
        yield piece
    finally:
        for path in pieces:
            path.unlink(missing_ok=True)


def join_segments(versions: list[Version], parts: list[list[Path]], sound: Path, spec: RenderSpec,
                  piece: Callable[..., Path], names: str) -> None:
    """Each version's segments joined without re-encoding, under the sound mixed once."""
    from filmkit.graph import build_join_args

    for index, version in enumerate(versions):
        listing = piece(f"parts{index}", ".txt")
        listing.write_text("".join(f"file '{concat_quoted(path)}'\n" for path in parts[index]), encoding="utf-8")
        run_ffmpeg(build_join_args(listing, sound, version.path, spec.encoding), what=f"joining {names}")


def shifted_progress(on_progress: Callable[[Progress], None], frames: int) -> Callable[[Progress], None]:
    return lambda update: on_progress(dataclasses.replace(update, frame=frames + update.frame, done=False))


def concat_quoted(path: Path) -> str:
    """A path inside single quotes of an ffmpeg concat list (a quote is closed, escaped, reopened)."""
    return str(path.absolute()).replace("'", "'\\''")
