"""Language versions that share their pictures: what no language draws on is encoded once.

The versions of one platform differ only where a subtitle cue, the card or an overlay that is
not the same in every version is on screen. The film is cut into pieces at exactly those
frames (each piece its own encode, so it starts with a keyframe wherever it starts and its GOPs
are closed; a GOP cut short at a piece's end is allowed: the presets ask for a keyframe at
least every N frames); a piece where nothing differs is encoded once and used by every
version, a piece with text once per version, and each version's pieces are joined without
re-encoding over one sound track mixed once (as a segmented render does). One process renders
every version of a per-language piece. Each piece starts with the VBV buffer as the pieces
before it left it, so the joined film keeps the preset's bitrate cap as one encode does.

Measured on the languages benchmark (benchmarks/RESULTS.md, "Shared pictures"; 34 s, cues on
39 % of it, 4 languages): frame-exact pieces put 52 % of the frames in per-language pieces
against 59 % with cue spans rounded out to 12-frame GOPs, for 0.2-0.4 dB PSNR at the same size;
a piece's process costs ~0.1 s CPU beyond its frames (start, opening and seeking its sources),
so only a shared stretch under SHORTEST_SHARED frames is cheaper encoded per version. Without
the chained buffer each piece started 90 % full and spent it: the films came out 14 % larger
than one encode and a decoder's buffer ran dry.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from filmkit.graph import Layer, Version, build_segment_args, build_sound_args
from filmkit.media.ffmpeg import Progress, run_ffmpeg
from filmkit.project.segments import window_timeline
from filmkit.render.plan import RenderPlan
from filmkit.render.range import FrameRange, window_bounds
from filmkit.render.vbv import buffer_left, starting_with

CHUNK_GOPS = 0  # piece boundaries: 0 at the very frames a cue starts and ends, n rounded out to n GOPs (RESULTS.md)
SHORTEST_SHARED = 3  # frames: a shorter stretch in common is rendered per version (a process costs more)
MIN_SHARED = Fraction(1, 5)  # share only when at least this part of the film is the same in every version
CUE_MARGIN = 1  # frames: the ASS file's centisecond times may round a cue's end past a frame time
DEFAULT_GOP_SECONDS = 2  # a plan without a fixed GOP (a master) still cuts on whole chunks


@dataclass(frozen=True)
class Piece:
    """The film's frames [first, last): encoded once for all versions (`shared`) or once per version."""

    first: int
    last: int
    shared: bool


def differing_spans(plan: RenderPlan, versions: Sequence[Version]) -> list[tuple[int, int]]:
    """Record frames [start, end) where some version shows something another does not: its cues
    (every frame they touch), the card, and the overlays not identical in every version."""
    timeline = plan.timeline
    spans = []
    for version in plan.versions:
        for placed in plan.placed(version):
            spans.append((math.floor(placed.cue.start * timeline.fps) - CUE_MARGIN,
                          math.ceil(placed.cue.end * timeline.fps) + CUE_MARGIN))
    if timeline.card is not None:
        spans.append((timeline.cut_frames, timeline.total_frames))
    keyed = [{_layer_key(layer): layer for layer in version.layers} for version in versions]
    common = set.intersection(*(set(keys) for keys in keyed)) if keyed else set()
    for keys in keyed:
        spans += [(layer.start, layer.end) for key, layer in keys.items() if key not in common]
    return spans


def _layer_key(layer: Layer) -> tuple[object, ...]:
    """A layer as the picture shows it: its place, times and drawn pixels (not its file's path)."""
    drawn = hashlib.sha256(layer.png.read_bytes()).hexdigest() if layer.png is not None else None
    return (*dataclasses.astuple(dataclasses.replace(layer, png=None)), drawn)


def plan_pieces(total: int, spans: Sequence[tuple[int, int]], chunk: int = 1) -> list[Piece]:
    """The film cut into pieces of whole chunks (1: frame-exact): a chunk any span touches is per
    version, runs of alike chunks are one piece; a run in common of under SHORTEST_SHARED frames
    is per version too."""
    chunks = math.ceil(total / chunk)
    marked = [False] * chunks
    for start, end in spans:
        for index in range(max(0, start) // chunk, min(chunks, math.ceil(end / chunk))):
            marked[index] = True
    run = 0
    for index in range(chunks + 1):
        if index < chunks and not marked[index]:
            run += 1
            continue
        if 0 < run * chunk < SHORTEST_SHARED:
            marked[index - run:index] = [True] * run
        run = 0
    pieces: list[Piece] = []
    for index, busy in enumerate(marked):
        first, last = index * chunk, min(total, (index + 1) * chunk)
        if pieces and pieces[-1].shared == (not busy):
            pieces[-1] = dataclasses.replace(pieces[-1], last=last)
        else:
            pieces.append(Piece(first, last, not busy))
    return pieces


def chunk_frames(plan: RenderPlan, gops: int = CHUNK_GOPS) -> int:
    """The piece granularity in frames: 1 (frame-exact) for 0 GOPs, else whole GOPs of the plan's encoding."""
    if not gops:
        return 1
    gop = plan.spec.encoding.gop or round(plan.timeline.fps * DEFAULT_GOP_SECONDS)
    return gop * gops


def shared_pieces(plan: RenderPlan, versions: Sequence[Version], gops: int = CHUNK_GOPS) -> list[Piece] | None:
    """The pieces of a shared-picture render, or None when today's single process is the better
    path: one version, an output rate other than the project's (pieces join on frames), or too
    little of the film the same in every version to pay for the extra processes."""
    if len(versions) < 2 or (plan.spec.fps is not None and plan.spec.fps != plan.timeline.fps):
        return None
    total = plan.timeline.total_frames
    pieces = plan_pieces(total, differing_spans(plan, versions), chunk_frames(plan, gops))
    same = sum(piece.last - piece.first for piece in pieces if piece.shared)
    return pieces if same >= MIN_SHARED * total else None


def render_shared(plan: RenderPlan, pieces: Sequence[Piece], versions: Sequence[Version],
                  on_progress: Callable[[Progress], None] | None, names: str, cores: int) -> None:
    """Each version written to its `Version.path`: the sound mixed once, the shared pieces
    encoded once, the others once per version, each version's pieces joined without re-encoding.
    Each piece starts with the VBV buffer as the pieces before it left it (`render.vbv`)."""
    from filmkit.render.run import join_segments, segment_pieces, shifted_progress, spec_for_versions

    with segment_pieces(plan, list(versions)) as temporary:
        sound = temporary("sound")
        run_ffmpeg(build_sound_args(plan.timeline, plan.media, plan.spec, sound), what=f"mixing the sound of {names}")
        parts: list[list[Path]] = [[] for _ in versions]
        fill: int | None = None  # the buffer at the next piece's first frame; None: x264's own start
        for number, piece in enumerate(pieces):
            writers = versions[:1] if piece.shared else versions
            outputs = [dataclasses.replace(v, path=temporary(f"piece{number:04d}v{i}")) for i, v in enumerate(writers)]
            start, end = window_bounds(plan.timeline, FrameRange(piece.first, piece.last))
            spec = starting_with(spec_for_versions(plan.spec, len(outputs), cores), fill)
            args = build_segment_args(window_timeline(plan.timeline, start, end), plan.media, outputs, spec, start,
                                      keep=(piece.first, piece.last))
            advance = None if on_progress is None else shifted_progress(on_progress, piece.first)
            run_ffmpeg(args, on_progress=advance, what=f"rendering {names} (piece {number + 1} of {len(pieces)})")
            fill = buffer_left(plan.spec.encoding, plan.spec.fps or plan.timeline.fps, [o.path for o in outputs], fill)
            for index in range(len(versions)):
                parts[index].append(outputs[0 if piece.shared else index].path)
        join_segments(list(versions), parts, sound, plan.spec, temporary, names)
