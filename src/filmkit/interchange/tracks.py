"""Which sequence and which track of an OTIO result is the cut, flattened to one level.

Editing systems nest (compound clips, nested sequences) and stack (V2 titles over V1);
filmkit plays one track of events. A nested sequence with one video track is spliced into
its parent exactly; anything else that cannot be kept becomes a caveat.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from filmkit.errors import InterchangeError
from filmkit.interchange.model import At, Caveat
from filmkit.timecode import format_rate

NTSC = (Fraction(24000, 1001), Fraction(30000, 1001), Fraction(60000, 1001))


def exact_rate(rate: float) -> Fraction:
    """OTIO keeps rates as doubles; 23.976 and 29.97002997 mean the NTSC rationals."""
    for ntsc in NTSC:
        if abs(rate - float(ntsc)) < 0.001:
            return ntsc
    return Fraction(str(rate))


def frames(time: Any, rate: Fraction) -> int:
    """An OTIO time as whole frames at `rate`."""
    own = exact_rate(time.rate)
    return round(time.value) if own == rate else round(Fraction(time.value) / own * rate)


def at(time: Any) -> At:
    """An OTIO time at its own rate, exactly."""
    return At(round(time.value), exact_rate(time.rate))


def plain(value: Any) -> Any:
    """OTIO metadata (AnyDictionary, AnyVector) as plain dicts and lists, for YAML."""
    if hasattr(value, "items"):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)) or type(value).__name__ == "AnyVector":
        return [plain(item) for item in value]
    return value


def pick_timeline(otio: Any, result: Any, path: Any, sequence: str | None) -> tuple[Any | None, list[Caveat]]:
    """The Timeline to import; None when the file is only a list of clips (ALE, an FCPXML event)."""
    if isinstance(result, otio.schema.Timeline):
        timelines = [result]
    else:
        timelines = [item for item in _walk_collection(otio, result) if isinstance(item, otio.schema.Timeline)]
    names = [timeline.name or f"sequence {number}" for number, timeline in enumerate(timelines, start=1)]
    if sequence is not None:
        if sequence not in names:
            raise InterchangeError(f"{path}: no sequence named {sequence!r}; the file holds "
                                   f"{', '.join(repr(n) for n in names) or 'no sequence'}. Give one of them with --sequence")
        return timelines[names.index(sequence)], []
    if len(timelines) > 1:
        listed = ", ".join(repr(name) for name in names)
        return timelines[0], [Caveat("several-sequences", (
            f"{path.name} holds {len(timelines)} sequences ({listed}); the first, {names[0]!r}, was imported. "
            "Choose another with --sequence NAME"))]
    return (timelines[0] if timelines else None), []


def _walk_collection(otio: Any, collection: Any) -> list[Any]:
    items = []
    for item in collection:
        items.extend(_walk_collection(otio, item) if isinstance(item, otio.schema.SerializableCollection) else [item])
    return items


def clip_list(otio: Any, result: Any) -> tuple[list[Any], list[Any]]:
    """A bin of clips (ALE, FCPXML clips): its clips in order, and what is not a clip."""
    items = [result] if not isinstance(result, otio.schema.SerializableCollection) else _walk_collection(otio, result)
    clips = [item for item in items if isinstance(item, otio.schema.Clip)]
    return clips, [item for item in items if not isinstance(item, (otio.schema.Clip, otio.schema.Timeline))]


def video_track(otio: Any, timeline: Any, path: Any) -> tuple[Any, list[Caveat]]:
    """Video track 1, and a caveat naming every other video track that has clips."""
    video = [track for track in timeline.tracks if track.kind == otio.schema.TrackKind.Video]
    if not video:
        raise InterchangeError(f"{path}: the sequence {timeline.name or ''!r} has no video track, so there is no cut "
                               "to import; export the sequence with its video track (an audio-only list is not a cut)")
    caveats = []
    others = [(number, track) for number, track in enumerate(video[1:], start=2) if _clip_names(otio, track)]
    if others:
        listed = "; ".join(f"V{number} ({', '.join(_clip_names(otio, track)[:4])}"
                           f"{' ...' if len(_clip_names(otio, track)) > 4 else ''})" for number, track in others)
        caveats.append(Caveat("multiple-video-tracks", (
            f"filmkit plays one track of pictures: video track 1 was imported and the clips above it are left out: "
            f"{listed}. Collapse the tracks into V1 in the editing system (or render the titles over the film later) "
            "and export again")))
    return video[0], caveats


def _clip_names(otio: Any, track: Any) -> list[str]:
    return [item.name or "unnamed" for item in track if isinstance(item, (otio.schema.Clip, otio.schema.Stack))]


def flatten(otio: Any, track: Any, caveats: list[Caveat]) -> Any:
    """A new track whose nested sequences are replaced by the part of their V1 they show."""
    flat = otio.schema.Track(name=track.name, kind=track.kind)
    for item in list(track):
        if isinstance(item, (otio.schema.Stack, otio.schema.Track)):
            for child in _nested(otio, item, track.kind, caveats):
                flat.append(child)
        else:
            flat.append(item.deepcopy())
    return flat


def _nested(otio: Any, item: Any, kind: Any, caveats: list[Caveat]) -> list[Any]:
    inner = [item] if isinstance(item, otio.schema.Track) else [t for t in item if getattr(t, "kind", None) == kind]
    if not inner:
        caveats.append(Caveat("nested-sequence", f"nested sequence {item.name!r} has no {kind.lower()} track; it becomes a gap"))
        return [otio.schema.Gap(source_range=otio.opentime.TimeRange(duration=item.duration()))]
    if len(inner) > 1 and any(_clip_names(otio, track) for track in inner[1:]):
        caveats.append(Caveat("nested-sequence", (
            f"nested sequence {item.name!r} has {len(inner)} {kind.lower()} tracks; its first was spliced into the cut "
            "and the others are left out. Collapse it in the editing system to keep them")))
    trimmed = otio.algorithms.track_trimmed_to_range(inner[0], item.trimmed_range())
    return list(flatten(otio, trimmed, caveats))


def check_rate(rate: Fraction, fps: Fraction | None, stated: bool) -> list[Caveat]:
    """A project rate other than the cut's is a conversion: every time is rounded to a frame."""
    if fps is None or fps == rate or not stated:
        return []
    return [Caveat("frame-rate", (
        f"the cut is at {format_rate(rate)} fps and the project at {format_rate(fps)} (--fps); every in point and "
        "duration was rounded to the nearest frame at the project rate, so cut points may move by up to half a frame"))]
