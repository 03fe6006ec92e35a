"""An OTIO cut as filmkit events: video track 1 in record order, audio tracks as music beds.

OTIO lays items end to end and a transition borrows frames around the cut point (its
`in_offset` from the outgoing side's end, `out_offset` from the incoming side's start);
filmkit overlaps whole events. So an event is its clip plus the frames the transitions on
either side borrow, and its transition lasts in_offset + out_offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from filmkit.errors import InterchangeError
from filmkit.interchange import edl, names, tracks
from filmkit.interchange.tracks import frames
from filmkit.interchange.dissolves import fix_dissolves
from filmkit.interchange.model import At, Caveat, Cut, CutBed, CutEvent, Origin
from filmkit.interchange.read import Opened, otio_module
from filmkit.interchange.sources import bed_from, event_from, ref_of, speed_caveats
from filmkit.timecode import format_timecode


@dataclass
class Span:
    """An item of a track with the frames its transitions borrow, at the cut's rate."""

    item: Any
    record: int  # first frame shown, on the record, from the track's start
    frames: int
    join: Any | None  # the transition before it
    after: Any | None  # the transition after it


def to_cut(opened: Opened, sequence: str | None = None) -> Cut:
    """Everything the file says that filmkit can play, and a caveat for everything else."""
    otio = otio_module()
    timeline, caveats = tracks.pick_timeline(otio, opened.result, opened.path, sequence)
    caveats[:0] = opened.caveats
    if timeline is None:
        return _clip_list(otio, opened, caveats)
    track, more = tracks.video_track(otio, timeline, opened.path)
    caveats += more
    rate = opened.rate or _rate_of(otio, timeline, track)
    start = _start(otio, timeline, track, rate, opened.adapter)
    if opened.edl_events:
        fix_dissolves(otio, track, list(opened.edl_events), rate, start, opened.lead_in)
    flat = tracks.flatten(otio, track, caveats)
    video = spans(otio, flat, rate)
    events = [_event(otio, span, rate, opened, start, caveats) for span in video]
    if not events:
        raise InterchangeError(f"{opened.path}: video track 1 of {timeline.name or 'the sequence'!r} is empty; "
                               "export the sequence with its pictures")
    beds = _beds(otio, timeline, rate, video, events, caveats)
    caveats += _unread_motion(opened, caveats)
    _markers(otio, timeline, caveats)
    return Cut(path=opened.path, kind=opened.kind, title=timeline.name or opened.path.stem, rate=rate,
               rate_stated=opened.rate is None, drop_frame=opened.drop_frame or _drop(timeline), start=start,
               events=tuple(events), beds=tuple(beds), size=_size(timeline), caveats=tuple(caveats),
               project=tracks.plain(timeline.metadata.get("filmkit", {})))


def spans(otio: Any, track: Any, rate: Fraction) -> list[Span]:
    """The track's clips and gaps, each widened by the transitions either side of it."""
    _close_ends(otio, track)
    items = list(track)
    out = []
    for index, item in enumerate(items):
        if isinstance(item, otio.schema.Transition):
            continue
        before = items[index - 1] if index > 0 and isinstance(items[index - 1], otio.schema.Transition) else None
        after = items[index + 1] if index + 1 < len(items) and isinstance(items[index + 1], otio.schema.Transition) else None
        head = frames(before.in_offset, rate) if before else 0
        tail = frames(after.out_offset, rate) if after else 0
        record = frames(item.range_in_parent().start_time, rate) - head
        out.append(Span(item, record, frames(item.duration(), rate) + head + tail, before, after))
    return out


def _close_ends(otio: Any, track: Any) -> None:
    """A transition that opens or ends a track fades from or to nothing (black): a zero-length
    gap on its open side takes the frames inside the track, and the frames outside it are dropped."""
    if len(track) and isinstance(track[0], otio.schema.Transition):
        track[0].in_offset = otio.opentime.RationalTime(0, track[0].out_offset.rate)
        track.insert(0, otio.schema.Gap(source_range=otio.opentime.TimeRange(duration=track[0].in_offset)))
    if len(track) and isinstance(track[-1], otio.schema.Transition):
        track[-1].out_offset = otio.opentime.RationalTime(0, track[-1].in_offset.rate)
        track.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(duration=track[-1].out_offset)))


def _event(otio: Any, span: Span, rate: Fraction, opened: Opened, start: int, caveats: list[Caveat]) -> CutEvent:
    item = span.item
    origin = _origin(item, span.record + start, rate, opened)
    transition, join_frames = None, 0
    if span.join is not None:
        transition, note = names.transition_type(otio, span.join)
        join_frames = frames(span.join.in_offset, rate) + frames(span.join.out_offset, rate)
        if note:
            caveats.append(Caveat("transition", f"{origin.where(opened.path)}: {note}"))
    caveats += speed_caveats(otio, item, origin, opened.path)
    return event_from(otio, span, origin, transition, join_frames, caveats)


def _origin(item: Any, record: int, rate: Fraction, opened: Opened) -> Origin:
    """The event line of an EDL (the dissolve's `D` line for its incoming clip), else the record time."""
    line = item.metadata.get("filmkit_line") if item.metadata else None
    found = None
    for event in opened.edl_events:
        if event.is_video and (event.line == line or (line is None and edl.frames(event.rec_in, rate) == record)):
            found = event
    if found is not None:
        return Origin(f"event {found.number:03d} ({item.name or found.reel})", found.line)
    kind = type(item).__name__.lower()
    return Origin(f"{kind} {item.name!r} at {format_timecode(record, rate)}" if item.name else
                  f"{kind} at {format_timecode(record, rate)}")


def _beds(otio: Any, timeline: Any, rate: Fraction, video: list[Span], events: list[CutEvent],
          caveats: list[Caveat]) -> list[CutBed]:
    """Audio clips that are not the pictures' own sound (same source, same sync), as music beds."""
    synced = {(event.ref, _slip(event.source_in, span.record, rate))
              for event, span in zip(events, video) if event.ref is not None and event.source_in is not None}
    beds: list[CutBed] = []
    for number, track in enumerate(t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Audio):
        if not track.enabled:
            continue
        for span in spans(otio, tracks.flatten(otio, track, caveats), rate):
            if isinstance(span.item, otio.schema.Gap) or not getattr(span.item, "enabled", True):
                continue
            bed = bed_from(otio, span, rate, number + 1, caveats)
            if bed is None or (bed.ref, _slip(bed.source_in, bed.record_start, rate)) in synced:
                continue
            if not any(_same_bed(bed, other) for other in beds):  # an `AA` event lands on A1 and A2
                beds.append(bed)
    return beds


def _slip(source_in: At, record: int, rate: Fraction) -> int:
    """The source frame at record frame 0: equal for a picture and its own sound."""
    return source_in.to(rate)[0] - record


def _same_bed(one: CutBed, other: CutBed) -> bool:
    return (one.ref, one.record_start, one.source_in, one.frames) == (other.ref, other.record_start, other.source_in, other.frames)


def _clip_list(otio: Any, opened: Opened, caveats: list[Caveat]) -> Cut:
    """A bin (ALE, FCPXML clips): each clip whole, one after the other, as an assembly would lay them."""
    clips, others = tracks.clip_list(otio, opened.result)
    if not clips:
        raise InterchangeError(f"{opened.path}: holds no sequence and no clips; export a sequence (timeline) instead")
    rate = tracks.exact_rate(clips[0].source_range.duration.rate if clips[0].source_range else clips[0].duration().rate)
    events, record = [], 0
    for clip in clips:
        length = frames(clip.trimmed_range().duration, rate)
        origin = Origin(f"clip {clip.name!r}")
        events.append(CutEvent("media", length, origin, tracks.at(clip.trimmed_range().start_time), ref_of(otio, clip),
                               name=clip.name or None))
        record += length
    caveats.append(Caveat("clip-list", (
        f"{opened.path.name} is a list of {len(clips)} clips ({opened.kind}), not a cut; they were laid end to end, "
        "each whole, in the file's order. Cut them in the editing system and export the sequence for a real cut")))
    if others:
        caveats.append(Caveat("nested-sequence", f"{len(others)} compound clips or sequences in the list were left out: "
                              + ", ".join(repr(o.name) for o in others)))
    return Cut(path=opened.path, kind=opened.kind, title=opened.path.stem, rate=rate, rate_stated=True,
               drop_frame=False, start=0, events=tuple(events), caveats=tuple(caveats))


def _rate_of(otio: Any, timeline: Any, track: Any) -> Fraction:
    for time in (timeline.global_start_time, track.duration()):
        if time is not None and time.rate > 0:
            return tracks.exact_rate(time.rate)
    return Fraction(24)


def _start(otio: Any, timeline: Any, track: Any, rate: Fraction, adapter: str) -> int:
    """Record frame of the cut's first frame (01:00:00:00 in most systems)."""
    if adapter == "cmx_3600":
        return -frames(track.source_range.start_time, rate) if track.source_range is not None else 0
    return frames(timeline.global_start_time, rate) if timeline.global_start_time is not None else 0


def _drop(timeline: Any) -> bool:
    fcp = timeline.metadata.get("fcp_xml", {}) if timeline.metadata else {}
    return "DF" == str(fcp.get("timecode", {}).get("displayformat", "")).upper() if isinstance(fcp, dict) else False


def _size(timeline: Any) -> tuple[int, int] | None:
    try:
        chars = timeline.metadata["fcp_xml"]["media"]["video"]["format"]["samplecharacteristics"]
        return int(chars["width"]), int(chars["height"])
    except (KeyError, TypeError, ValueError):
        return None


def _markers(otio: Any, timeline: Any, caveats: list[Caveat]) -> None:
    count = sum(len(item.markers) for item in timeline.find_children() if hasattr(item, "markers"))
    count += len(timeline.tracks.markers)
    if count:
        caveats.append(Caveat("markers", f"{count} markers in the cut are not imported; filmkit has no markers"))


def _unread_motion(opened: Opened, caveats: list[Caveat]) -> list[Caveat]:
    """M2 lines the reader ignored (it reads one only where source and record lengths differ)."""
    said = " ".join(caveat.message for caveat in caveats if caveat.code == "speed-change")
    return [Caveat("speed-change", (
        f"{opened.path}:{event.line}: event {event.number:03d} has a motion effect ({' '.join(event.motion.split())}); "
        "filmkit plays it at normal speed, forwards, for the same duration. Render the effect to a new media file "
        "in the editing system to keep it"))
        for event in opened.edl_events if event.is_video and event.motion and f":{event.line}:" not in said]
