"""PURE: the cut as filter-graph streams: every clip conformed on its own branch, then joined.

Each clip is conformed on its own branch (rate, size, pixel aspect, pixel format, audio
layout, exact length), then branches are joined by concat (cuts) or xfade/acrossfade
(transitions). Every branch is cut to an exact number of frames and samples, so the cut has
exactly `timeline.cut_frames` frames. Nothing is run; typed-ffmpeg escapes every value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import typed_ffmpeg as ff

from filmkit.graph.duck import duck
from filmkit.graph.picture import Picture, fit_picture
from filmkit.media.levels import SoundLevels
from filmkit.media.probe import MediaInfo
from filmkit.project.timeline import Clip, MusicBed, Timeline
from filmkit.timecode import format_rate, frames_to_seconds, seconds_arg

# Decode a little past each event's end: VFR and low-rate sources may need their next frame
# to fill the last output frame. The trim filter then cuts to the exact frame.
READ_MARGIN = Fraction(1, 4)

# Every clip is read from a little before its in point and trimmed in the graph. An input seek
# straight to the in point drops the source frame that is on screen there whenever the source's
# frames fall between the project's (a 25 fps source cut at 0.4167 s in a 24 fps film: its frame
# at 0.4 s is the one showing, but the seek discards it). The pre-roll is a whole number of
# project frames, so the fps filter's grid stays on the record frames.
SEEK_PREROLL = Fraction(1)  # seconds; longer than any frame is on screen in real footage
# Demuxers without a seek index (MPEG-TS/PS, raw elementary streams): ffmpeg's input seek lands
# on a later keyframe there (by up to a GOP), so they are read from much earlier.
IMPRECISE_SEEK = frozenset({"mpegts", "mpeg", "mpegvideo", "h264", "hevc"})
IMPRECISE_SEEK_PREROLL = Fraction(10)  # seconds; longer than the keyframe interval of such recordings


@dataclass(frozen=True)
class Branch:
    video: ff.VideoStream | None  # None when only the sound is built (loudness measurement)
    audio: ff.AudioStream | None  # None when only the picture is built (stills for proof sheets)
    frames: int


def build_cut(timeline: Timeline, media: Mapping[Path, MediaInfo], picture: Picture) -> Branch:
    """The cut's picture (fitted into `picture`) and its own sound, before music and card."""
    branches = [_clip_branch(timeline, clip, media, picture) for clip in timeline.clips]
    return _join(timeline, branches)


def build_cut_picture(timeline: Timeline, media: Mapping[Path, MediaInfo], picture: Picture) -> ff.VideoStream:
    """The cut's picture alone: an output of frames must not be handed an unused sound."""
    branches = [replace(_clip_branch(timeline, clip, media, picture), audio=None) for clip in timeline.clips]
    video = _join(timeline, branches).video
    assert video is not None
    return video


def build_cut_audio(timeline: Timeline, media: Mapping[Path, MediaInfo],
                    heard: tuple[int, int] | None = None) -> ff.AudioStream:
    """The cut's sound alone: no picture is decoded (for measuring loudness quickly).

    `heard`: only the record frames [start, end) are wanted (a range render); events wholly
    outside are silence of their length and their files are not read, so a range of a long
    film does not decode the whole film's sound.
    """
    branches = [
        _clip_branch(timeline, clip, media, None) if heard is None or _overlaps(clip, heard)
        else Branch(None, _silence(timeline, clip), clip.frames)
        for clip in timeline.clips
    ]
    audio = _join(timeline, branches).audio
    assert audio is not None
    return audio


def _overlaps(clip: Clip, frames: tuple[int, int]) -> bool:
    return clip.record_start < frames[1] and clip.record_end > frames[0]


def last_frame(timeline: Timeline, media: Mapping[Path, MediaInfo], picture: Picture, frames: int) -> ff.VideoStream:
    """The cut's last frame held for `frames` frames (the card's blurred background)."""
    last = max(timeline.clips, key=lambda clip: clip.record_end)
    still = replace(last, src_in=last.src_in + last.frames - 1 if last.kind == "media" else 0, frames=1,
                    record_start=0, join=None)
    video = _clip_branch(timeline, still, media, picture).video
    assert video is not None
    return video.tpad(stop=frames - 1, stop_mode="clone").trim(end_frame=frames)


def _clip_branch(timeline: Timeline, clip: Clip, media: Mapping[Path, MediaInfo], picture: Picture | None) -> Branch:
    """One event conformed; `picture` None builds its sound only."""
    if picture is None:
        return Branch(None, _clip_audio(timeline, clip, media), clip.frames)
    if clip.kind == "color":
        video = ff.sources.color(
            color=clip.color or "black",
            size=f"{picture.width}x{picture.height}",
            rate=format_rate(timeline.fps),
        ).trim(end_frame=clip.frames).setsar(sar="1").format(pix_fmts="yuv420p")
        video = same_colour(video).settb(expr=frame_tb(timeline))
        return Branch(video, _silence(timeline, clip), clip.frames)

    assert clip.source is not None
    info = media[clip.source]
    seconds = frames_to_seconds(clip.frames, timeline.fps)
    if clip.kind == "image":
        stream = ff.input(clip.source, t=seconds_arg(seconds + READ_MARGIN), extra_options=_image_options(timeline, info))
        video = _conform_video(timeline, _exact_frames(timeline, stream.video, clip.frames), info, clip, picture)
        return Branch(video, _silence(timeline, clip), clip.frames)

    frames = source_frames(timeline, clip.source, info, clip.src_in, clip.frames, draft=picture.draft)
    video = _conform_video(timeline, frames, info, clip, picture)
    return Branch(video, _clip_audio(timeline, clip, media), clip.frames)


def source_frames(timeline: Timeline, source: Path, info: MediaInfo, src_in: int, frames: int,
                  draft: bool = False) -> ff.VideoStream:
    """Exactly `frames` frames of a media file from its frame `src_in`, at the project rate, from 0.
    A draft decodes without the deblocking filter (measured: 10 % less decoding CPU on H.264)."""
    seek, skip = seek_point(src_in, timeline.fps, info)
    options: dict[str, object] = {"ss": seconds_arg(seek)} if seek else {}
    seconds = frames_to_seconds(frames, timeline.fps)
    # Picture and sound are read as two inputs (-an / -vn). ffmpeg wakes an input when the
    # graph wants any of its streams; with one input, acrossfade asking for the next clip's
    # sound early made its whole picture pile up in front of xfade (2.6 GB for a 46 s cut).
    extra: dict[str, object] = {"an": True, "skip_loop_filter": "all"} if draft else {"an": True}
    stream = ff.input(source, t=seconds_arg(skip + seconds + READ_MARGIN), **options, extra_options=extra)
    return _exact_frames(timeline, stream.video, frames, skip)


def _clip_audio(timeline: Timeline, clip: Clip, media: Mapping[Path, MediaInfo]) -> ff.AudioStream:
    if clip.kind != "media" or clip.source is None or media[clip.source].audio is None or clip.mute:
        return _silence(timeline, clip)
    info = media[clip.source]
    seek, skip = seek_point(clip.src_in, timeline.fps, info)
    options: dict[str, object] = {"ss": seconds_arg(seek)} if seek else {}
    seconds = frames_to_seconds(clip.frames, timeline.fps)
    stream = ff.input(clip.source, t=seconds_arg(skip + seconds + READ_MARGIN), **options, extra_options={"vn": True})
    samples = _clip_samples(timeline, clip)
    audio = _conform_audio(timeline, stream.audio, samples, clip.gain_db, skip)
    return fades(audio, Fraction(samples, timeline.audio_rate), clip.fade_in, clip.fade_out)


def fades(audio: ff.AudioStream, length: Fraction, fade_in: Fraction, fade_out: Fraction) -> ff.AudioStream:
    """A sound of `length` seconds rising over its first `fade_in` seconds and falling over its last `fade_out`."""
    if fade_in:
        audio = audio.afade(type="in", start_time=0, duration=seconds_arg(min(fade_in, length)))
    if fade_out:
        fade = min(fade_out, length)
        audio = audio.afade(type="out", start_time=seconds_arg(length - fade), duration=seconds_arg(fade))
    return audio


def _image_options(timeline: Timeline, info: MediaInfo) -> dict[str, object]:
    """Demuxer options that repeat a still for the event (tpad then holds the last frame)."""
    if info.container == "gif":
        # The gif demuxer has no `loop`/`framerate`: an animated GIF loops as its file says.
        return {"ignore_loop": 0}
    return {"loop": 1, "framerate": format_rate(timeline.fps)}


def seek_point(src_in: int, fps: Fraction, info: MediaInfo) -> tuple[Fraction, Fraction]:
    """(input seek, seconds then skipped in the graph) that reach frame `src_in` exactly in this file.

    A constant-rate source at the project's own rate has a frame exactly at every record frame:
    the input seek lands on it and nothing more is decoded.
    """
    video = info.video
    if info.container not in IMPRECISE_SEEK and video is not None and video.rate == fps and not video.variable_rate:
        return frames_to_seconds(src_in, fps), Fraction(0)
    preroll = IMPRECISE_SEEK_PREROLL if info.container in IMPRECISE_SEEK else SEEK_PREROLL
    seek_frame = max(0, src_in - math.ceil(preroll * fps))
    return frames_to_seconds(seek_frame, fps), frames_to_seconds(src_in - seek_frame, fps)


def _exact_frames(timeline: Timeline, video: ff.VideoStream, frames: int, skip: Fraction = Fraction(0)) -> ff.VideoStream:
    """Constant rate and exact length. `skip` seconds of the input are dropped first (fps starts
    there), for sources read from before their in point."""
    video = (
        video.fps(fps=format_rate(timeline.fps), start_time=seconds_arg(skip) if skip else 0)
        .tpad(stop=-1, stop_mode="clone")
        .trim(end_frame=frames)
    )
    if skip:
        video = video.setpts(expr="PTS-STARTPTS")  # concat and xfade expect each branch to start at 0
    return video


def _conform_video(timeline: Timeline, video: ff.VideoStream, info: MediaInfo, clip: Clip, picture: Picture) -> ff.VideoStream:
    """Exact frames (see `_exact_frames`) fitted into the output frame with square pixels, 8-bit 4:2:0."""
    assert info.video is not None
    # Limited range for every shot (fit_picture's scale converts it): a phone's full-range clip
    # (yuvj420p) is converted here, not left to the encoder, which takes its colour description
    # from whichever frame comes first (each segment of a long film would take another one).
    return same_colour(
        fit_picture(video, info.video.display_aspect, picture, clip.focus).format(pix_fmts="yuv420p")
    ).settb(expr=frame_tb(timeline))


def same_colour(video: ff.VideoStream) -> ff.VideoStream:
    """One colour description on every frame (limited range, the rest unspecified), shots,
    slates and the card alike, so every segment's stream says the same."""
    return video.setparams(range="tv", colorspace="unknown", color_primaries="unknown", color_trc="unknown")


def frame_tb(timeline: Timeline) -> str:
    """One tick per frame: xfade and concat need identical time bases on their inputs."""
    return format_rate(1 / timeline.fps)


def layout(timeline: Timeline) -> str:
    return "stereo" if timeline.channels == 2 else "mono"


def _conform_audio(
    timeline: Timeline, audio: ff.AudioStream, samples: int, gain_db: float, skip: Fraction = Fraction(0)
) -> ff.AudioStream:
    """Project rate and layout (5.1 and mono are mixed down/up by swresample), exact length."""
    audio = audio.aresample(sample_rate=timeline.audio_rate, extra_options={"first_pts": 0})
    if skip:
        audio = audio.atrim(start=seconds_arg(skip)).asetpts(expr="PTS-STARTPTS")
    audio = (
        audio.aformat(sample_fmts="fltp", sample_rates=str(timeline.audio_rate), channel_layouts=layout(timeline))
        .apad()
        .atrim(end_sample=samples)
    )
    if gain_db:
        audio = audio.volume(volume=f"{gain_db:g}dB")
    return audio


def _silence(timeline: Timeline, clip: Clip) -> ff.AudioStream:
    return ff.sources.anullsrc(
        channel_layout=layout(timeline), sample_rate=str(timeline.audio_rate)
    ).atrim(end_sample=_clip_samples(timeline, clip))


def _clip_samples(timeline: Timeline, clip: Clip) -> int:
    return timeline.sample_at(clip.record_end) - timeline.sample_at(clip.record_start)


def _join(timeline: Timeline, branches: list[Branch]) -> Branch:
    """Concatenate runs of straight cuts; cross the runs with xfade and acrossfade."""
    runs: list[list[tuple[Clip, Branch]]] = []
    for clip, branch in zip(timeline.clips, branches):
        if clip.join is None and runs:
            runs[-1].append((clip, branch))
        else:
            runs.append([(clip, branch)])

    result: Branch | None = None
    result_end = 0  # record frame where `result` ends
    for run in runs:
        segment = _concat(timeline, [branch for _, branch in run])
        first = run[0][0]
        if result is None:
            result, result_end = segment, run[-1][0].record_end
            continue
        assert first.join is not None
        overlap = first.join.frames
        offset = frames_to_seconds(result.frames - overlap, timeline.fps)
        video = None
        if result.video is not None and segment.video is not None:
            video = result.video.xfade(
                segment.video,
                transition=first.join.xfade,
                duration=seconds_arg(frames_to_seconds(overlap, timeline.fps)),
                offset=seconds_arg(offset),
            )
        overlap_samples = timeline.sample_at(result_end) - timeline.sample_at(first.record_start)
        audio = None
        if result.audio is not None and segment.audio is not None:
            audio = ff.afilter(
                result.audio,
                segment.audio,
                name="acrossfade",
                input_typings=("audio", "audio"),
                nb_samples=overlap_samples,
            )
        result = Branch(video, audio, result.frames + segment.frames - overlap)
        result_end = run[-1][0].record_end
    assert result is not None
    return result


def _concat(timeline: Timeline, branches: list[Branch]) -> Branch:
    if len(branches) == 1:
        return branches[0]
    frames = sum(branch.frames for branch in branches)
    if any(branch.video is None for branch in branches):
        sound = ff.filters.concat(*(branch.audio for branch in branches), n=len(branches), v=0, a=1)
        return Branch(None, sound.audio(0), frames)
    if any(branch.audio is None for branch in branches):
        picture = ff.filters.concat(*(branch.video for branch in branches), n=len(branches), v=1, a=0)
        return Branch(picture.video(0).settb(expr=frame_tb(timeline)), None, frames)
    streams = [s for branch in branches for s in (branch.video, branch.audio)]
    node = ff.filters.concat(*streams, n=len(branches), v=1, a=1)
    video = node.video(0).settb(expr=frame_tb(timeline))
    return Branch(video, node.audio(0), frames)


def mix_music(timeline: Timeline, audio: ff.AudioStream, media: Mapping[Path, MediaInfo],
              levels: SoundLevels | None = None) -> ff.AudioStream:
    """The beds over `audio`; `levels` (the cut's sound, measured) for the beds that duck under it."""
    beds = [bed for bed in (_music_branch(timeline, bed, media, levels) for bed in timeline.music) if bed is not None]
    if not beds:
        return audio
    return ff.filters.amix(audio, *beds, duration="first", normalize=False, dropout_transition=0)


def music_length(timeline: Timeline, bed: MusicBed, info: MediaInfo) -> Fraction:
    """Seconds a bed plays: its duration, or until the film or the file ends."""
    film_left = frames_to_seconds(timeline.total_frames - bed.record_start, timeline.fps)
    file_left = info.duration - frames_to_seconds(bed.src_in, timeline.fps)
    length = min(film_left, file_left)
    if bed.frames is not None:
        length = min(length, frames_to_seconds(bed.frames, timeline.fps))
    return length


def _music_branch(timeline: Timeline, bed: MusicBed, media: Mapping[Path, MediaInfo],
                  levels: SoundLevels | None) -> ff.AudioStream | None:
    info = media[bed.source]
    length = music_length(timeline, bed, info)
    if length <= 0:
        return None
    start = frames_to_seconds(bed.src_in, timeline.fps)
    options = {"ss": seconds_arg(start)} if start else {}
    stream = ff.input(bed.source, t=seconds_arg(length + READ_MARGIN), **options, extra_options={"vn": True})
    samples = round(length * timeline.audio_rate)
    audio = (
        stream.audio.aresample(sample_rate=timeline.audio_rate, extra_options={"first_pts": 0})
        .aformat(sample_fmts="fltp", sample_rates=str(timeline.audio_rate), channel_layouts=layout(timeline))
        .atrim(end_sample=samples)
    )
    audio = fades(audio, length, bed.fade_in, bed.fade_out)
    if bed.gain_db:
        audio = audio.volume(volume=f"{bed.gain_db:g}dB")
    delay = timeline.sample_at(bed.record_start)
    if delay:
        audio = audio.adelay(delays=f"{delay}S", all=True)
    if bed.duck is not None:
        assert levels is not None, "a ducking bed needs the cut's measured sound levels"
        audio = duck(audio, bed.duck, levels, timeline.audio_rate)
    return audio
