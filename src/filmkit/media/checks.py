"""Hold the timeline against what the media files really contain, before anything renders."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from filmkit.errors import MediaError, Problem, ProjectError
from filmkit.media.probe import MediaInfo
from filmkit.media.probe_cache import cached_probe
from filmkit.project.load import KeyPath, LoadedProject
from filmkit.project.timeline import Timeline
from filmkit.timecode import format_seconds, format_timecode, frames_to_seconds


def probe_media(loaded: LoadedProject, timeline: Timeline) -> dict[Path, MediaInfo]:
    """Probe every file the timeline uses, once; every unreadable file is reported with its line."""
    where: dict[Path, KeyPath] = {}
    for clip in timeline.clips:
        if clip.source is not None and clip.source not in where:
            where[clip.source] = ("media", clip.media_name) if clip.media_name else ("cut", clip.index, "image")
    for bed in timeline.music:
        where.setdefault(bed.source, ("music", bed.index, "file"))
    for overlay in timeline.overlays:
        if overlay.source is not None:
            where.setdefault(overlay.source, ("overlays", overlay.index, overlay.kind))

    infos: dict[Path, MediaInfo] = {}
    problems: list[Problem] = []
    for path, key in where.items():
        try:
            infos[path] = cached_probe(path)
        except MediaError as exc:
            problems.append(loaded.locations.problem(key, str(exc)))
    if problems:
        raise ProjectError(problems)
    return infos


def check_media(loaded: LoadedProject, timeline: Timeline, media: dict[Path, MediaInfo]) -> None:
    """Ranges inside their sources, pictures where pictures are needed, sound under music."""
    problems: list[Problem] = []
    fps = timeline.fps
    for clip in timeline.clips:
        if clip.source is None:
            continue
        info = media[clip.source]
        if info.video is None:
            key: KeyPath = ("media", clip.media_name) if clip.media_name else ("cut", clip.index, "image")
            problems.append(loaded.locations.problem(key, f"{clip.source.name} has no picture (audio only); use it as `music:` instead"))
            continue
        if clip.kind == "image" and not info.is_image:  # ffmpeg would stop at "Option loop not found"
            problems.append(loaded.locations.problem(("cut", clip.index, "image"), (
                f"{clip.source.name} is a video ({info.container}), not a still picture; `image:` takes a PNG, JPEG, "
                "WebP or GIF. To show a piece of the video, name it under `media:` and use `media:` with `in` and "
                "`out`")))
            continue
        if clip.kind != "media":
            continue
        available = info.duration
        # Half a frame of slack: containers round their durations.
        slack = frames_to_seconds(1, fps) / 2
        end = frames_to_seconds(clip.src_in + clip.frames, fps)
        if frames_to_seconds(clip.src_in, fps) >= available:
            problems.append(loaded.locations.problem(
                ("cut", clip.index, "in"),
                f"in {format_timecode(clip.src_in, fps)} is past the end of {clip.source.name}, "
                f"which lasts {_length(available, fps)}. Use an in point before the end",
            ))
        elif end > available + slack:
            last = max(int(available * fps), clip.src_in + 1)  # `out` is exclusive: the frame after the last one
            if loaded.project.cut[clip.index].out is not None:
                key, fix = ("cut", clip.index, "out"), f"Move `out` to {format_timecode(last, fps)} or earlier"
            else:  # the event gives `duration`: say how long it may be, not where an `out` would go
                key = ("cut", clip.index, "duration")
                fix = f"Shorten `duration` to {format_seconds(last - clip.src_in, fps)} ({last - clip.src_in} frames) or less"
            problems.append(loaded.locations.problem(
                key,
                f"the event ends at {format_timecode(clip.src_in + clip.frames, fps)} in "
                f"{clip.source.name}, past the end of the file, which lasts {_length(available, fps)}. {fix}",
            ))
    for bed in timeline.music:
        info = media[bed.source]
        if info.audio is None:
            problems.append(loaded.locations.problem(
                ("music", bed.index, "file"),
                f"{bed.source.name} has no audio stream; a music bed needs a file with sound (.wav, .mp3, .m4a ...)",
            ))
        elif frames_to_seconds(bed.src_in, fps) >= info.duration:
            problems.append(loaded.locations.problem(
                ("music", bed.index, "in"),
                f"in {format_timecode(bed.src_in, fps)} is past the end of {bed.source.name}, which lasts "
                f"{_length(info.duration, fps)}. Use an in point before the end",
            ))
    problems.extend(_overlay_problems(loaded, timeline, media))
    if problems:
        raise ProjectError(problems)


def _overlay_problems(loaded: LoadedProject, timeline: Timeline, media: dict[Path, MediaInfo]) -> list[Problem]:
    """An image or clip overlay needs a picture; a clip, frames for as long as it is shown."""
    problems = []
    fps = timeline.fps
    for overlay in timeline.overlays:
        if overlay.source is None:
            continue
        info = media[overlay.source]
        key: KeyPath = ("overlays", overlay.index, overlay.kind)
        if info.video is None:
            problems.append(loaded.locations.problem(key, f"{overlay.source.name} has no picture (audio only); "
                                                          f"{'an image' if overlay.kind == 'image' else 'a video'} overlay needs one"))
        elif (overlay.kind == "video"
              and frames_to_seconds(overlay.src_in + overlay.frames, fps) > info.duration + frames_to_seconds(1, fps) / 2):
            last = max(int(info.duration * fps) - overlay.frames, 0)
            problems.append(loaded.locations.problem(("overlays", overlay.index, "in"), (
                f"the clip is shown for {format_seconds(overlay.frames, fps)} from {format_timecode(overlay.src_in, fps)} "
                f"in {overlay.source.name}, past the end of the file, which lasts {_length(info.duration, fps)}. Start "
                f"it at {format_timecode(last, fps)} or earlier (`in`), or show it for less time")))
    return problems


def _length(seconds: Fraction, fps: Fraction) -> str:
    frames = int(seconds * fps)
    return f"{format_timecode(frames, fps)} ({format_seconds(frames, fps)})"
