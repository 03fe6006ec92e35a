"""A long timeline cut into segments of a few events each, so a render's memory stays flat.

ffmpeg keeps a decoder and frame queues for every input of a graph: one graph over 120 shots
needs gigabytes. A segment is an ordinary timeline of a few events, starting at a record
frame where no transition is running (a clip that spans the boundary is split there, its
second part read from the matching source frame), so segments played one after the other
are the cut, frame for frame. Music and the card are not cut: the sound is mixed in one pass
over the whole film and the card belongs to the last segment.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from filmkit.project.timeline import Clip, Timeline


@dataclass(frozen=True)
class Segment:
    start: int  # record frame of the film where this segment starts
    timeline: Timeline  # its own timeline, starting at frame 0


def split_timeline(timeline: Timeline, events_per_segment: int) -> list[Segment]:
    """Segments of about `events_per_segment` events; one segment when the cut is that short."""
    boundaries = _boundaries(timeline, events_per_segment)
    if not boundaries:
        return [Segment(0, timeline)]
    edges = [0, *boundaries, timeline.cut_frames]
    segments = []
    for index, (start, end) in enumerate(zip(edges, edges[1:])):
        last = index == len(edges) - 2
        clips = tuple(_rebased(clip, start, end) for clip in timeline.clips if clip.record_start < end and clip.record_end > start)
        segments.append(Segment(start, replace(timeline, clips=clips, music=(), card=timeline.card if last else None)))
    return segments


def _boundaries(timeline: Timeline, events_per_segment: int) -> list[int]:
    """Record frames to cut at: after every `events_per_segment` events, where no transition runs."""
    busy = transitions(timeline)
    boundaries: list[int] = []
    since = 0  # events since the last boundary
    for clip in timeline.clips:
        since += 1
        if since < events_per_segment or clip.record_end >= timeline.cut_frames:
            continue
        frame = _free_frame(clip, busy, after=boundaries[-1] if boundaries else 0)
        if frame is not None:
            boundaries.append(frame)
            since = 0
    return boundaries


def _free_frame(clip: Clip, busy: list[tuple[int, int]], after: int) -> int | None:
    """The last frame boundary inside `clip` (its end included) that no transition overlaps."""
    for frame in range(clip.record_end, max(clip.record_start, after), -1):
        if is_free(frame, busy):
            return frame
    return None


def _rebased(clip: Clip, start: int, end: int) -> Clip:
    """The part of `clip` inside [start, end), on the segment's own record frames."""
    cut_before = max(0, start - clip.record_start)
    frames = min(clip.record_end, end) - max(clip.record_start, start)
    src_in = clip.src_in + cut_before if clip.kind == "media" else clip.src_in
    join = clip.join if cut_before == 0 else None
    return replace(clip, src_in=src_in, frames=frames, record_start=max(clip.record_start, start) - start, join=join)


def window_timeline(timeline: Timeline, start: int, end: int) -> Timeline:
    """The cut's record frames [start, end) as a timeline of their own, with the card when `end`
    is the cut's end. `start` and `end` must be frames where no transition runs
    (`free_frame_at_or_before`); music is left out (the caller mixes the whole film's sound)."""
    clips = tuple(_rebased(clip, start, end) for clip in timeline.clips if clip.record_start < end and clip.record_end > start)
    return replace(timeline, clips=clips, music=(), card=timeline.card if end >= timeline.cut_frames else None)


def transitions(timeline: Timeline) -> list[tuple[int, int]]:
    """The record frames [start, end) over which each transition runs."""
    return [(clip.record_start, clip.record_start + clip.join.frames) for clip in timeline.clips if clip.join]


def is_free(frame: int, busy: list[tuple[int, int]]) -> bool:
    """No transition runs across this frame boundary (a timeline may start or end here)."""
    return not any(start < frame < end for start, end in busy)
