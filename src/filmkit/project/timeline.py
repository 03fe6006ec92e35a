"""The cut resolved to exact integer frames on the record timeline.

Every event lasts a whole number of frames at `format.fps`; a transition of D frames overlaps
the tail of the previous event with the head of the next, so the record duration is the sum
of event durations minus the sum of transition durations (docs/architecture.md, "Time and the timeline").
Audio positions are derived from frames, so they never drift: sample(f) = round(f * rate / fps).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Literal

from filmkit.errors import Problem, ProjectError
from filmkit.project.load import KeyPath, LoadedProject
from filmkit.project.schema import Event
from filmkit.project.track import OverlayTiming, resolve_overlays
from filmkit.timecode import (MAX_SECONDS, TimecodeError, format_seconds, format_timecode, parse_time,
                              seconds_to_frames)

# How filmkit's transition names (docs/architecture.md, "Time and the timeline") map onto ffmpeg's xfade transitions.
XFADE_NAME = {"crossfade": "fade", "dip": "fadeblack"}


@dataclass(frozen=True)
class Join:
    """How a clip meets the one before it."""

    xfade: str  # an ffmpeg xfade transition name
    frames: int


@dataclass(frozen=True)
class Clip:
    index: int  # position in `cut`
    kind: Literal["media", "color", "image"]
    source: Path | None  # media or image file
    media_name: str | None
    color: str | None
    src_in: int  # first source frame, counted at the project fps
    frames: int
    record_start: int
    join: Join | None  # None: a straight cut (or the first clip)
    gain_db: float
    focus: float = 0.5  # horizontal centre kept when a platform crops the picture
    fade_in: Fraction = Fraction(0)  # seconds over which its own sound rises, and falls at its end
    fade_out: Fraction = Fraction(0)
    mute: bool = False  # its own sound left out

    @property
    def record_end(self) -> int:
        return self.record_start + self.frames


@dataclass(frozen=True)
class Ducking:
    """A bed's level while the cut's own sound is above `threshold_db` (dBFS, RMS)."""

    by_db: float
    attack: Fraction  # seconds
    release: Fraction
    threshold_db: float


@dataclass(frozen=True)
class MusicBed:
    index: int
    source: Path
    record_start: int  # frames
    src_in: int  # frames at the project fps
    frames: int | None  # None: until the film or the file ends
    gain_db: float
    fade_in: Fraction  # seconds
    fade_out: Fraction
    duck: Ducking | None = None


@dataclass(frozen=True)
class CardTiming:
    """The closing card after the cut: it never shortens the cut (see graph.finish)."""

    frames: int
    fade_in: int  # frames over which the card comes in (by `join`)
    fade_out: int  # frames over which it fades to black at the very end
    join: str | None  # xfade transition bringing the card in; None for a straight cut


@dataclass(frozen=True)
class Timeline:
    title: str
    width: int
    height: int
    fps: Fraction
    audio_rate: int
    channels: int
    clips: tuple[Clip, ...]
    music: tuple[MusicBed, ...]
    card: CardTiming | None = None
    overlays: tuple[OverlayTiming, ...] = ()

    @property
    def cut_frames(self) -> int:
        """Frames of the cut alone: subtitles live here, the card follows."""
        return max(clip.record_end for clip in self.clips)

    @property
    def total_frames(self) -> int:
        return self.cut_frames + (self.card.frames if self.card else 0)

    @property
    def cut_duration(self) -> Fraction:
        return Fraction(self.cut_frames) / self.fps

    @property
    def duration(self) -> Fraction:
        return Fraction(self.total_frames) / self.fps

    def sample_at(self, frame: int) -> int:
        """Audio sample at which record frame `frame` starts (exact, rounded half up)."""
        return seconds_to_frames(Fraction(frame) / self.fps, Fraction(self.audio_rate))


def build_timeline(loaded: LoadedProject) -> Timeline:
    """Resolve times to frames and check the cut's arithmetic; raise ProjectError listing all problems."""
    project = loaded.project
    fps = project.format.fps
    problems: list[Problem] = []

    def frames_of(value: object, path: KeyPath) -> int | None:
        try:
            return parse_time(value, fps)
        except TimecodeError as exc:
            problems.append(loaded.locations.problem(path, str(exc)))
            return None

    clips: list[Clip] = []
    record = 0
    for index, event in enumerate(project.cut):
        clip = _resolve_event(loaded, index, event, frames_of, problems)
        if clip is None:
            continue
        join = None
        if event.transition is not None and event.transition.type != "cut":
            join_frames = frames_of(event.transition.duration, ("cut", index, "transition", "duration"))
            if join_frames is not None:
                join = _check_join(loaded, index, event, join_frames, clips, clip.frames, problems)
        start = record - (join.frames if join else 0)
        clip = replace(clip, record_start=start, join=join)
        clips.append(clip)
        record = clip.record_end

    music = [_resolve_music(loaded, i, frames_of) for i in range(len(project.music))]
    card = _resolve_card(loaded, frames_of, problems) if project.card is not None else None
    length = record + (card.frames if card else 0)
    if length > MAX_SECONDS * fps:
        problems.append(loaded.locations.problem(("cut",), (
            f"the film lasts {format_timecode(length, fps)} ({format_seconds(length, fps)}); filmkit makes films of at "
            "most 24 hours. Shorten the events")))
    overlays: tuple[OverlayTiming, ...] = ()
    if not problems:  # the film's length is known: overlays are held against it
        cut_frames = max(clip.record_end for clip in clips)
        overlays = resolve_overlays(loaded, frames_of, cut_frames, cut_frames + (card.frames if card else 0), problems)
    if problems:
        raise ProjectError(problems)
    size = project.format.size
    return Timeline(
        title=project.title,
        width=size.width,
        height=size.height,
        fps=fps,
        audio_rate=project.format.audio.rate,
        channels=project.format.audio.channels,
        clips=tuple(clips),
        music=tuple(bed for bed in music if bed is not None),
        card=card,
        overlays=overlays,
    )


def _resolve_card(loaded: LoadedProject, frames_of, problems: list[Problem]) -> CardTiming | None:
    card = loaded.project.card
    assert card is not None
    frames = frames_of(card.duration, ("card", "duration"))
    fade_in = frames_of(card.fade.in_, ("card", "fade", "in"))
    fade_out = frames_of(card.fade.out, ("card", "fade", "out"))
    if frames is None or fade_in is None or fade_out is None:
        return None
    fps = loaded.project.format.fps
    if frames <= 0:
        problems.append(loaded.locations.problem(("card", "duration"), f"duration {card.duration!r} is shorter than one frame; give the card at least 1 second, e.g. duration: 4"))
        return None
    if fade_in < 0 or fade_out < 0 or fade_in + fade_out > frames:
        problems.append(loaded.locations.problem(
            ("card", "fade"),
            f"fades of {format_seconds(fade_in, fps)} in and {format_seconds(fade_out, fps)} out do not fit in a card of "
            f"{format_seconds(frames, fps)}; they must be 0 or more and together at most the card's duration. "
            "Shorten the fades or lengthen the card",
        ))
        return None
    join = None if card.transition == "cut" or fade_in == 0 else XFADE_NAME.get(card.transition, card.transition)
    return CardTiming(frames=frames, fade_in=fade_in if join else 0, fade_out=fade_out, join=join)


def _resolve_event(loaded: LoadedProject, index: int, event: Event, frames_of, problems: list[Problem]) -> Clip | None:
    src_in, frames, source = 0, None, None
    if event.media is not None:
        if event.media not in loaded.project.media:
            known = list(loaded.project.media)
            hint = difflib.get_close_matches(event.media, known, n=1)
            fix = f"did you mean `{hint[0]}`?" if hint else "add it under `media:` (name: path/to/file)"
            problems.append(loaded.locations.problem(
                ("cut", index, "media"),
                f"{event.media!r} is not a media name; names defined under `media:` are "
                f"{', '.join(known) or '(none)'}. {fix}",
            ))
        else:
            source = loaded.resolve(loaded.project.media[event.media])
        src_in = frames_of(event.in_, ("cut", index, "in"))
        if event.out is not None:
            out = frames_of(event.out, ("cut", index, "out"))
            if src_in is not None and out is not None:
                frames = out - src_in
                if frames <= 0:
                    problems.append(loaded.locations.problem(
                        ("cut", index, "out"),
                        f"out {event.out!r} is not after in {event.in_!r}; `out` is exclusive and must be later than `in`",
                    ))
                    return None
        else:
            frames = frames_of(event.duration, ("cut", index, "duration"))
    else:
        frames = frames_of(event.duration, ("cut", index, "duration"))
        if event.image is not None:
            source = loaded.resolve(event.image)
    if frames is None or src_in is None:
        return None
    if frames <= 0:
        problems.append(loaded.locations.problem(
            ("cut", index, "duration"),
            f"duration {event.duration!r} is shorter than one frame at {loaded.project.format.fps} fps; give at least one frame",
        ))
        return None
    return Clip(
        index=index, kind=event.kind, source=source, media_name=event.media, color=event.color,
        src_in=src_in, frames=frames, record_start=0, join=None, gain_db=float(event.gain_db),
        focus=float(event.focus), fade_in=Fraction(str(event.fade_in)), fade_out=Fraction(str(event.fade_out)),
        mute=event.mute,
    )


def _check_join(loaded: LoadedProject, index: int, event: Event, join_frames: int, clips: list[Clip],
                frames: int, problems: list[Problem]) -> Join | None:
    fps = loaded.project.format.fps
    path = ("cut", index, "transition", "duration")
    assert event.transition is not None
    if not clips:
        problems.append(loaded.locations.problem(
            ("cut", index, "transition"),
            "the first event has no event before it to transition from; remove `transition` "
            "(or put a `color` slate before it to fade from)",
        ))
        return None
    if join_frames <= 0:
        problems.append(loaded.locations.problem(path, "a transition needs a duration of at least one frame; use type: cut for a straight cut"))
        return None
    previous = clips[-1]
    room_before = previous.frames - (previous.join.frames if previous.join else 0)
    if join_frames > room_before or join_frames > frames:
        problems.append(loaded.locations.problem(
            path,
            f"transition of {format_seconds(join_frames, fps)} ({join_frames} frames) is longer than "
            f"its neighbours allow: cut[{previous.index}] has {room_before} frames free after its own "
            f"transition in, cut[{index}] lasts {frames} frames. Shorten the transition or lengthen the events",
        ))
        return None
    return Join(xfade=XFADE_NAME.get(event.transition.type, event.transition.type), frames=join_frames)


def _resolve_music(loaded: LoadedProject, index: int, frames_of) -> MusicBed | None:
    bed = loaded.project.music[index]
    start = frames_of(bed.start, ("music", index, "start"))
    src_in = frames_of(bed.in_, ("music", index, "in"))
    frames = frames_of(bed.duration, ("music", index, "duration")) if bed.duration is not None else None
    if start is None or src_in is None or (bed.duration is not None and frames is None):
        return None
    return MusicBed(
        index=index, source=loaded.resolve(bed.file), record_start=start, src_in=src_in,
        frames=frames, gain_db=float(bed.gain_db),
        fade_in=Fraction(str(bed.fade_in)), fade_out=Fraction(str(bed.fade_out)),
        duck=Ducking(float(bed.duck.by_db), Fraction(str(bed.duck.attack)), Fraction(str(bed.duck.release)),
                     float(bed.duck.threshold_db)) if bed.duck is not None else None,
    )
