"""One OTIO clip, gap or generator as a filmkit event or music bed, and what it cannot keep."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from filmkit.interchange import names
from filmkit.interchange.model import Caveat, CutBed, CutEvent, Origin, SourceRef
from filmkit.interchange.tracks import at, frames, plain

BLACK = "#000000"
EVENT_SETTINGS = ("gain_db", "focus")  # filmkit-only keys an OTIO clip carries back (metadata["filmkit"])
BED_SETTINGS = ("gain_db", "fade_in", "fade_out")


def local_path(url: str | None) -> str | None:
    """A media URL (file://localhost/...) as the path it names; other strings as they are."""
    if not url:
        return None
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return unquote(parsed.path)
    return url if len(parsed.scheme) <= 1 else None  # "C:\\..." has a one-letter scheme


def ref_of(otio: Any, clip: Any) -> SourceRef:
    """What the clip says about its media: name, reel, path, the media's first frame."""
    reference = clip.media_reference
    meta = clip.metadata or {}
    reel = (meta.get("cmx_3600") or {}).get("reel") or (meta.get("ALE") or {}).get("Tape") or None
    path = None
    if isinstance(reference, otio.schema.ExternalReference):
        path = local_path(reference.target_url)
    available = getattr(reference, "available_range", None)
    start = at(available.start_time) if available is not None else None
    return SourceRef(name=clip.name or None, reel=reel, path=path, start=start,
                     key=(meta.get("filmkit") or {}).get("media"))


def event_from(otio: Any, span: Any, origin: Origin, transition: str | None, join: int,
               caveats: list[Caveat]) -> CutEvent:
    """The event a track item plays for `span.frames` frames (its transitions' frames included)."""
    item = span.item
    own = plain((item.metadata or {}).get("filmkit") or {})
    settings = {key: value for key, value in own.items() if key in EVENT_SETTINGS}
    common = dict(transition=transition, transition_frames=join, name=item.name or None, settings=settings)
    if isinstance(item, otio.schema.Gap):
        return CutEvent("color", span.frames, origin, color=BLACK, **{**common, "name": None})
    if not item.enabled:
        return CutEvent("color", span.frames, origin, color=BLACK, **{**common, "name": f"disabled: {item.name}"})
    reference = item.media_reference
    if isinstance(reference, otio.schema.MissingReference) and (item.name or "").lower() in names.BLACK_CLIPS:
        return CutEvent("color", span.frames, origin, color=BLACK, **common)
    if isinstance(reference, otio.schema.MissingReference) and (item.name or "").lower() in names.OTHER_GENERATOR_CLIPS:
        caveats.append(Caveat("generator", f"{origin.label}: {item.name!r} is a generator whose colours an EDL does "
                                           "not give; it becomes a black slate"))
        return CutEvent("color", span.frames, origin, color=BLACK, **common)
    if own.get("kind") == "color" or isinstance(reference, otio.schema.GeneratorReference):
        color, note = (own.get("color"), None) if own.get("color") else names.generator_color(reference, item.name)
        if note:
            caveats.append(Caveat("generator", f"{origin.label}: {note}"))
        return CutEvent("color", span.frames, origin, color=str(color), **common)
    if isinstance(reference, otio.schema.ImageSequenceReference):
        caveats.append(Caveat("image-sequence", (
            f"{origin.label}: an image sequence ({reference.name_prefix}...{reference.name_suffix}); filmkit plays "
            "movie files: link it with --media to a movie of the sequence (same name)")))
    start = item.trimmed_range().start_time
    if span.join is not None:
        start = start - span.join.in_offset
    return CutEvent("media", span.frames, origin, source_in=at(start), ref=ref_of(otio, item), **common)


def bed_from(otio: Any, span: Any, rate: Fraction, track: int, caveats: list[Caveat]) -> CutBed | None:
    """An audio clip as a music bed; its audio transitions become fades."""
    item = span.item
    origin = Origin(f"audio clip {item.name!r} on A{track}")
    if isinstance(item.media_reference, otio.schema.GeneratorReference):
        caveats.append(Caveat("generator", f"{origin.label}: generated sound ({item.media_reference.generator_kind}) "
                                           "is left out"))
        return None
    for effect in item.effects:
        caveats.append(Caveat("effect", f"{origin.label}: effect {_effect_name(effect)!r} is left out"))
    start = item.trimmed_range().start_time
    if span.join is not None:
        start = start - span.join.in_offset
    fade_in = frames(span.join.in_offset + span.join.out_offset, rate) if span.join is not None else 0
    fade_out = frames(span.after.in_offset + span.after.out_offset, rate) if span.after is not None else 0
    own = plain((item.metadata or {}).get("filmkit") or {})
    return CutBed(ref_of(otio, item), span.record, at(start), span.frames, origin, fade_in, fade_out,
                  {key: value for key, value in own.items() if key in BED_SETTINGS})


def speed_caveats(otio: Any, item: Any, origin: Origin, path: Path) -> list[Caveat]:
    """Speed changes and effects filmkit does not play, each named with the event."""
    where = origin.where(path)
    caveats = []
    for effect in getattr(item, "effects", []):
        if isinstance(effect, otio.schema.FreezeFrame):
            caveats.append(Caveat("speed-change", (
                f"{where}: a freeze frame in the cut; filmkit plays the source moving from the same frame for the "
                "same duration. Export the frozen frame as a still and use it as an `image` event to keep it")))
        elif isinstance(effect, otio.schema.LinearTimeWarp):
            caveats.append(Caveat("speed-change", (
                f"{where}: plays at {effect.time_scalar * 100:.0f}% speed in the cut (M2); filmkit plays it at normal "
                "speed from the same in point for the same duration, so the cut keeps its timing but not the "
                "motion. Render the speed change to a new media file in the editing system to keep it")))
        elif _fcp_effect(effect).get("effectid") == "timeremap":
            speed = (_fcp_effect(effect).get("parameter") or {}).get("value", "?")
            caveats.append(Caveat("speed-change", (
                f"{where}: a time remap (speed {speed}) in the cut; filmkit plays it at normal speed from the same "
                "in point for the same duration. Render the speed change to a new media file to keep it")))
        else:
            caveats.append(Caveat("effect", f"{where}: effect {_effect_name(effect)!r} is left out; filmkit plays "
                                            "the source as it is"))
    return caveats


def _fcp_effect(effect: Any) -> dict[str, Any]:
    """An FCP 7 XML filter as the FCP adapter keeps it (effectid, parameter)."""
    found = plain((effect.metadata or {}).get("fcp_xml") or {})
    return found if isinstance(found, dict) else {}


def _effect_name(effect: Any) -> str:
    name = " ".join((effect.name or effect.effect_name or type(effect).__name__).split())
    return name if len(name) <= 60 else name[:57] + "..."
