"""A filmkit timeline as an OTIO timeline, with nothing lost: the full-fidelity form that the
EDL and XML writers are then reduced from.

Each clip's source range is on its media's own clock (the file's start timecode plus `in`),
and its `available_range` says where that clock starts, so readers find the frame in the file.
A transition sits at the start of the overlap (in_offset 0, out_offset its frames), as CMX
3600 places it; filmkit-only settings go under metadata["filmkit"].
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from filmkit.media.probe import MediaInfo
from filmkit.project import LoadedProject, Timeline
from filmkit.project.timeline import Clip, MusicBed
from filmkit.timecode import TimecodeError, parse_time

DEFAULTS = {"gain_db": 0, "focus": 0.5}


@dataclass(frozen=True)
class Clock:
    """Times of one project: its rate, and each file's start timecode in frames at that rate."""

    fps: Fraction
    starts: dict[Path, int]
    lengths: dict[Path, int]

    @classmethod
    def of(cls, fps: Fraction, infos: dict[Path, MediaInfo]) -> Clock:
        starts, lengths = {}, {}
        for path, info in infos.items():
            lengths[path] = int(info.duration * fps + Fraction(1, 2))
            if info.timecode and not info.is_image:
                rate = info.video.rate if info.video and info.video.rate else fps
                try:
                    frames = parse_time(info.timecode, rate)
                except TimecodeError:
                    continue
                starts[path] = frames if rate == fps else round(Fraction(frames) / rate * fps)
        return cls(fps, starts, lengths)

    def time(self, otio: Any, frames: int) -> Any:
        return otio.opentime.RationalTime(frames, float(self.fps))

    def span(self, otio: Any, start: int, frames: int) -> Any:
        return otio.opentime.TimeRange(self.time(otio, start), self.time(otio, frames))


def build(otio: Any, loaded: LoadedProject, timeline: Timeline, clock: Clock, start: int) -> Any:
    """The OTIO Timeline of the project: V1 with its transitions, A1.. with the music beds."""
    project = loaded.project
    result = otio.schema.Timeline(name=project.title, global_start_time=clock.time(otio, start))
    result.metadata["filmkit"] = _project_metadata(loaded)
    video = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    clips = list(timeline.clips)
    for index, clip in enumerate(clips):
        following = clips[index + 1].join.frames if index + 1 < len(clips) and clips[index + 1].join else 0
        if clip.join is not None:
            video.append(_transition(otio, loaded, clip, clock))
        video.append(_clip(otio, loaded, clip, clip.frames - following, clock))
    result.tracks.append(video)
    for number, beds in enumerate(_layers(timeline, clock), start=1):
        track = otio.schema.Track(name=f"A{number}", kind=otio.schema.TrackKind.Audio)
        at = 0
        for bed, frames in beds:
            if bed.record_start > at:
                track.append(otio.schema.Gap(source_range=clock.span(otio, 0, bed.record_start - at)))
            track.append(_bed(otio, loaded, bed, frames, clock))
            at = bed.record_start + frames
        result.tracks.append(track)
    return result


def _clip(otio: Any, loaded: LoadedProject, clip: Clip, frames: int, clock: Clock) -> Any:
    event = loaded.project.cut[clip.index]
    own: dict[str, object] = {key: getattr(event, key) for key, default in DEFAULTS.items() if getattr(event, key) != default}
    if clip.kind == "color":
        own.update(kind="color", color=clip.color)
        reference = otio.schema.GeneratorReference(
            name=clip.color, generator_kind="SolidColor", parameters={"color": clip.color},
            available_range=clock.span(otio, 0, clip.frames))
        item = otio.schema.Clip(name=event.name or str(clip.color), media_reference=reference,
                                source_range=clock.span(otio, 0, frames))
    else:
        assert clip.source is not None
        zero = clock.starts.get(clip.source, 0)
        length = clock.lengths.get(clip.source, clip.src_in + clip.frames)
        own.update(kind=clip.kind, **({"media": clip.media_name} if clip.media_name else {}))
        reference = otio.schema.ExternalReference(target_url=clip.source.as_uri(),
                                                  available_range=clock.span(otio, zero, length))
        item = otio.schema.Clip(name=event.name or clip.media_name or clip.source.stem, media_reference=reference,
                                source_range=clock.span(otio, zero + clip.src_in, frames))
    item.metadata["filmkit"] = own
    if clip.media_name:
        item.metadata["cmx_3600"] = {"reel": "_".join(clip.media_name.split())}
    return item


def _transition(otio: Any, loaded: LoadedProject, clip: Clip, clock: Clock) -> Any:
    assert clip.join is not None
    event = loaded.project.cut[clip.index]
    kind = event.transition.type if event.transition is not None else "crossfade"
    otio_type = otio.schema.TransitionTypes.SMPTE_Dissolve if kind == "crossfade" else otio.schema.TransitionTypes.Custom
    return otio.schema.Transition(name=kind, transition_type=otio_type, in_offset=clock.time(otio, 0),
                                  out_offset=clock.time(otio, clip.join.frames), metadata={"filmkit": {"type": kind}})


def _layers(timeline: Timeline, clock: Clock) -> list[list[tuple[MusicBed, int]]]:
    """Beds on as few audio tracks as keep each track free of overlaps."""
    layers: list[list[tuple[MusicBed, int]]] = []
    for bed in sorted(timeline.music, key=lambda b: b.record_start):
        available = clock.lengths.get(bed.source, bed.src_in + timeline.cut_frames) - bed.src_in
        frames = bed.frames if bed.frames is not None else min(timeline.total_frames - bed.record_start, available)
        for layer in layers:
            last, last_frames = layer[-1]
            if last.record_start + last_frames <= bed.record_start:
                layer.append((bed, frames))
                break
        else:
            layers.append([(bed, frames)])
    return layers


def _bed(otio: Any, loaded: LoadedProject, bed: MusicBed, frames: int, clock: Clock) -> Any:
    music = loaded.project.music[bed.index]
    zero = clock.starts.get(bed.source, 0)
    length = clock.lengths.get(bed.source, bed.src_in + frames)
    reference = otio.schema.ExternalReference(target_url=bed.source.as_uri(), available_range=clock.span(otio, zero, length))
    item = otio.schema.Clip(name=bed.source.stem, media_reference=reference,
                            source_range=clock.span(otio, zero + bed.src_in, frames))
    own = {"gain_db": music.gain_db, "fade_in": music.fade_in, "fade_out": music.fade_out}
    item.metadata["filmkit"] = {key: value for key, value in own.items() if value}
    return item


def _project_metadata(loaded: LoadedProject) -> dict[str, object]:
    """What only filmkit knows of the project: the card, subtitles, exports, the audio format."""
    project = loaded.project
    data: dict[str, object] = {"title": project.title, "folder": str(loaded.folder.resolve()),
                               "audio": project.format.audio.model_dump(mode="json")}
    for section in ("card", "subtitles", "exports"):
        value = getattr(project, section)
        if value is not None:
            data[section] = value.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return data
