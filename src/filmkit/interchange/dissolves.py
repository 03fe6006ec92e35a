"""Correct what OTIO's CMX 3600 reader gets wrong about dissolves (OpenTimelineIO #1328, #912).

A CMX dissolve is two lines with one event number: a zero-length cut naming the outgoing
source, then the `D` line naming the incoming one, with `* FROM CLIP NAME` (outgoing) and
`* TO CLIP NAME` (incoming) comments under it. The reader drops the zero-length line, so an
outgoing source that is not the previous event carried on (its timecode does not continue from
that event's out point) is lost, and it links the incoming clip to the `* FROM CLIP:` path,
which is the outgoing clip's media. Here the incoming clip
gets its own name and path (or none, so that it is linked by name), and a lost outgoing
source comes back as a zero-length clip that the transition's frames extend.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from filmkit.interchange import edl

GENERATOR_REELS = ("BL", "BLACK")


def fix_dissolves(otio: Any, track: Any, events: list[edl.EdlEvent], rate: Fraction, offset: int,
                  lead_in: int = 0) -> None:
    """Mend `track` in place; `offset` is the record frame of the track's first frame; `lead_in`
    the frames of a dissolve from black that opens the cut."""
    if lead_in:
        zero = otio.opentime.RationalTime(0, float(rate))
        black = otio.schema.Clip(name="BL", media_reference=otio.schema.GeneratorReference(generator_kind="black"),
                                 source_range=otio.opentime.TimeRange(zero, zero))
        track.insert(0, otio.schema.Transition(transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
                                               in_offset=zero, out_offset=otio.opentime.RationalTime(lead_in, float(rate))))
        track.insert(0, black)
    index = 0
    while index < len(track):
        item = track[index]
        if isinstance(item, otio.schema.Transition) and index + 1 < len(track):
            incoming = track[index + 1]
            record = round(incoming.range_in_parent().start_time.value_rescaled_to(float(rate))) + offset
            line = edl.line_of(events, record, rate)
            if line is not None and line.edit != "C" and isinstance(incoming, otio.schema.Clip):
                _fix_incoming(otio, incoming, line)
                lost = _lost_outgoing(otio, track, index, line, rate, events)
                if lost is not None:
                    track.insert(index, lost)
                    index += 1
        index += 1


def _fix_incoming(otio: Any, clip: Any, line: edl.EdlEvent) -> None:
    comments = line.comments
    clip.name = comments.get("TO CLIP NAME") or line.reel
    path = comments.get("TO CLIP") or comments.get("TO FILE")
    wrong = {comments.get("FROM CLIP"), comments.get("FROM FILE")} - {None}
    reference = clip.media_reference
    if path:
        clip.media_reference = otio.schema.ExternalReference(target_url=path)
    elif isinstance(reference, otio.schema.ExternalReference) and reference.target_url in wrong:
        clip.media_reference = otio.schema.MissingReference()


def _lost_outgoing(otio: Any, track: Any, index: int, line: edl.EdlEvent, rate: Fraction,
                   events: list[edl.EdlEvent]) -> Any | None:
    """The dissolve's outgoing source as a zero-length clip, unless it is the previous clip carried on."""
    start = edl.from_line(events, line)
    if start is None:
        return None
    source_in = edl.frames(start.src_in, rate)
    previous = track[index - 1] if index > 0 else None
    if isinstance(previous, otio.schema.Clip) and previous.source_range is not None:
        reel = previous.metadata.get("cmx_3600", {}).get("reel")
        end = round(previous.source_range.end_time_exclusive().value_rescaled_to(float(rate)))
        named = line.comments.get("FROM CLIP NAME")
        # Some systems give the zero-length line the incoming reel (as in #1328's example): a
        # source that carries on from the previous event's out point is that event carried on.
        same_reel = start.reel in ((reel or "AX"), line.reel) and (start.reel != "AX" or not named or named == previous.name)
        if end == source_in and (same_reel or named == previous.name):
            return None
    zero = otio.opentime.TimeRange(otio.opentime.RationalTime(source_in, float(rate)),
                                   otio.opentime.RationalTime(0, float(rate)))
    name = line.comments.get("FROM CLIP NAME") or start.comments.get("FROM CLIP NAME") or start.reel
    if start.reel.upper() in GENERATOR_REELS:
        reference = otio.schema.GeneratorReference(generator_kind="black")
    else:
        path = line.comments.get("FROM CLIP") or line.comments.get("FROM FILE") or start.comments.get("FROM CLIP")
        reference = otio.schema.ExternalReference(target_url=path) if path else otio.schema.MissingReference()
    clip = otio.schema.Clip(name=name, media_reference=reference, source_range=zero)
    clip.metadata["cmx_3600"] = {"reel": start.reel}
    clip.metadata["filmkit_line"] = start.line
    return clip
