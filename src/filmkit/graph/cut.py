"""PURE: a resolved timeline and probed media in, one ffmpeg argv out. Nothing is run.

Built with typed-ffmpeg so that paths and values are escaped by a library, never by hand.
Each clip is conformed on its own branch (rate, size, pixel aspect, pixel format, audio
layout, exact length), then branches are joined by concat (cuts) or xfade/acrossfade
(transitions). Every branch is cut to an exact number of frames and samples, so the output
has exactly `timeline.total_frames` frames.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import typed_ffmpeg as ff

from filmkit.probe import MediaInfo
from filmkit.project.timeline import Clip, MusicBed, Timeline
from filmkit.timecode import format_rate, frames_to_seconds, seconds_arg

# Decode a little past each event's end: VFR and low-rate sources may need their next frame
# to fill the last output frame. The trim filter then cuts to the exact frame.
READ_MARGIN = Fraction(1, 4)

MUXERS = {".mp4": "mp4", ".m4v": "mp4", ".mov": "mov", ".mkv": "matroska"}

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
class Encoding:
    """How the master is encoded; platform presets (later) provide their own."""

    video_codec: str = "libx264"
    preset: str = "fast"  # x264 speed/size trade-off; "fast" keeps editor renders quick
    crf: int = 18  # visually lossless for a master (x264 documentation: 17-18)
    audio_codec: str = "aac"
    audio_bitrate: str = "192k"
    pix_fmt: str = "yuv420p"  # 4:2:0, what every player and platform decodes
    faststart: bool = True  # moov atom first, so players start before the download ends


@dataclass(frozen=True)
class Burn:
    """Subtitles to burn over the cut: a styled ASS file and the folder of its fonts."""

    ass_file: Path
    fonts_dir: Path


@dataclass(frozen=True)
class Branch:
    video: ff.VideoStream
    audio: ff.AudioStream
    frames: int


def build_render_args(
    timeline: Timeline,
    media: Mapping[Path, MediaInfo],
    output: Path,
    encoding: Encoding = Encoding(),
    burn: Burn | None = None,
) -> list[str]:
    """The ffmpeg arguments (without the binary) that render `timeline` to `output`."""
    video, audio = build_streams(timeline, media, burn)
    return _output(timeline, video, audio, output, encoding)


def build_streams(
    timeline: Timeline, media: Mapping[Path, MediaInfo], burn: Burn | None = None
) -> tuple[ff.VideoStream, ff.AudioStream]:
    """The film's picture and sound as filter-graph streams, before any output stage."""
    branches = [_clip_branch(timeline, clip, media) for clip in timeline.clips]
    joined = _join(timeline, branches)
    audio = _mix_music(timeline, joined.audio, media)
    video = joined.video
    if burn is not None:
        # `ass` (not `subtitles`) so libass shapes with HarfBuzz: PLATFORMS.md pitfall 1.
        video = video.ass(filename=str(burn.ass_file), fontsdir=str(burn.fonts_dir), shaping="complex")
    return video, audio


def _clip_branch(timeline: Timeline, clip: Clip, media: Mapping[Path, MediaInfo]) -> Branch:
    if clip.kind == "color":
        video = ff.sources.color(
            color=clip.color or "black",
            size=f"{timeline.width}x{timeline.height}",
            rate=format_rate(timeline.fps),
        ).trim(end_frame=clip.frames).setsar(sar="1").format(pix_fmts="yuv420p").settb(expr=_frame_tb(timeline))
        return Branch(video, _silence(timeline, clip), clip.frames)

    assert clip.source is not None
    info = media[clip.source]
    seconds = frames_to_seconds(clip.frames, timeline.fps)
    if clip.kind == "image":
        stream = ff.input(clip.source, t=seconds_arg(seconds + READ_MARGIN), extra_options=_image_options(timeline, info))
        video = _conform_video(timeline, stream.video, info, clip.frames)
        return Branch(video, _silence(timeline, clip), clip.frames)

    seek, skip = seek_point(clip.src_in, timeline.fps, info)
    options = {"ss": seconds_arg(seek)} if seek else {}
    stream = ff.input(clip.source, t=seconds_arg(skip + seconds + READ_MARGIN), **options)
    video = _conform_video(timeline, stream.video, info, clip.frames, skip)
    if info.audio is None:
        audio = _silence(timeline, clip)
    else:
        audio = _conform_audio(timeline, stream.audio, _clip_samples(timeline, clip), clip.gain_db, skip)
    return Branch(video, audio, clip.frames)


def _image_options(timeline: Timeline, info: MediaInfo) -> dict[str, object]:
    """Demuxer options that repeat a still for the event (tpad then holds the last frame)."""
    if info.container == "gif":
        # The gif demuxer has no `loop`/`framerate`: an animated GIF loops as its file says.
        return {"ignore_loop": 0}
    return {"loop": 1, "framerate": format_rate(timeline.fps)}


def seek_point(src_in: int, fps: Fraction, info: MediaInfo) -> tuple[Fraction, Fraction]:
    """(input seek, seconds then skipped in the graph) that reach frame `src_in` exactly in this file."""
    preroll = IMPRECISE_SEEK_PREROLL if info.container in IMPRECISE_SEEK else SEEK_PREROLL
    seek_frame = max(0, src_in - math.ceil(preroll * fps))
    return frames_to_seconds(seek_frame, fps), frames_to_seconds(src_in - seek_frame, fps)


def _conform_video(
    timeline: Timeline, video: ff.VideoStream, info: MediaInfo, frames: int, skip: Fraction = Fraction(0)
) -> ff.VideoStream:
    """Constant rate, exact length, fitted inside the frame with square pixels, 8-bit 4:2:0.

    `skip` seconds of the input are dropped first (fps starts there), for sources read from
    before their in point.
    """
    assert info.video is not None
    width, height = fit_inside(info.video.display_aspect, timeline.width, timeline.height)
    video = (
        video.fps(fps=format_rate(timeline.fps), start_time=seconds_arg(skip) if skip else 0)
        .tpad(stop=-1, stop_mode="clone")
        .trim(end_frame=frames)
    )
    if skip:
        video = video.setpts(expr="PTS-STARTPTS")  # concat and xfade expect each branch to start at 0
    return (
        video.scale(w=width, h=height, flags="bicubic")
        .setsar(sar="1")
        .pad(
            width=timeline.width,
            height=timeline.height,
            x=(timeline.width - width) // 2,
            y=(timeline.height - height) // 2,
            color="black",
        )
        .format(pix_fmts="yuv420p")
        .settb(expr=_frame_tb(timeline))
    )


def _frame_tb(timeline: Timeline) -> str:
    """One tick per frame: xfade and concat need identical time bases on their inputs."""
    return format_rate(1 / timeline.fps)


def fit_inside(aspect: Fraction, width: int, height: int) -> tuple[int, int]:
    """Largest even-sized picture of `aspect` (in square pixels) that fits width x height."""
    if aspect >= Fraction(width, height):
        return width, min(height, _even(width / aspect))
    return min(width, _even(height * aspect)), height


def _even(value: Fraction) -> int:
    return max(2, 2 * round(value / 2))


def _layout(timeline: Timeline) -> str:
    return "stereo" if timeline.channels == 2 else "mono"


def _conform_audio(
    timeline: Timeline, audio: ff.AudioStream, samples: int, gain_db: float, skip: Fraction = Fraction(0)
) -> ff.AudioStream:
    """Project rate and layout (5.1 and mono are mixed down/up by swresample), exact length."""
    audio = audio.aresample(sample_rate=timeline.audio_rate, extra_options={"first_pts": 0})
    if skip:
        audio = audio.atrim(start=seconds_arg(skip)).asetpts(expr="PTS-STARTPTS")
    audio = (
        audio.aformat(sample_fmts="fltp", sample_rates=str(timeline.audio_rate), channel_layouts=_layout(timeline))
        .apad()
        .atrim(end_sample=samples)
    )
    if gain_db:
        audio = audio.volume(volume=f"{gain_db:g}dB")
    return audio


def _silence(timeline: Timeline, clip: Clip) -> ff.AudioStream:
    return ff.sources.anullsrc(
        channel_layout=_layout(timeline), sample_rate=str(timeline.audio_rate)
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
        video = result.video.xfade(
            segment.video,
            transition=first.join.xfade,
            duration=seconds_arg(frames_to_seconds(overlap, timeline.fps)),
            offset=seconds_arg(offset),
        )
        overlap_samples = timeline.sample_at(result_end) - timeline.sample_at(first.record_start)
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
    streams = [s for branch in branches for s in (branch.video, branch.audio)]
    node = ff.filters.concat(*streams, n=len(branches), v=1, a=1)
    video = node.video(0).settb(expr=_frame_tb(timeline))
    return Branch(video, node.audio(0), sum(branch.frames for branch in branches))


def _mix_music(timeline: Timeline, audio: ff.AudioStream, media: Mapping[Path, MediaInfo]) -> ff.AudioStream:
    beds = [bed for bed in (_music_branch(timeline, bed, media) for bed in timeline.music) if bed is not None]
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


def _music_branch(timeline: Timeline, bed: MusicBed, media: Mapping[Path, MediaInfo]) -> ff.AudioStream | None:
    info = media[bed.source]
    length = music_length(timeline, bed, info)
    if length <= 0:
        return None
    start = frames_to_seconds(bed.src_in, timeline.fps)
    options = {"ss": seconds_arg(start)} if start else {}
    stream = ff.input(bed.source, t=seconds_arg(length + READ_MARGIN), **options)
    samples = round(length * timeline.audio_rate)
    audio = (
        stream.audio.aresample(sample_rate=timeline.audio_rate, extra_options={"first_pts": 0})
        .aformat(sample_fmts="fltp", sample_rates=str(timeline.audio_rate), channel_layouts=_layout(timeline))
        .atrim(end_sample=samples)
    )
    if bed.fade_in:
        audio = audio.afade(type="in", start_time=0, duration=seconds_arg(min(bed.fade_in, length)))
    if bed.fade_out:
        fade = min(bed.fade_out, length)
        audio = audio.afade(type="out", start_time=seconds_arg(length - fade), duration=seconds_arg(fade))
    if bed.gain_db:
        audio = audio.volume(volume=f"{bed.gain_db:g}dB")
    delay = timeline.sample_at(bed.record_start)
    if delay:
        audio = audio.adelay(delays=f"{delay}S", all=True)
    return audio


def build_frames_args(
    timeline: Timeline,
    media: Mapping[Path, MediaInfo],
    frames: list[int],
    pattern: Path,
    width: int,
    burn: Burn | None = None,
) -> list[str]:
    """Arguments that write the given record frames (scaled to `width`) as numbered PNG files."""
    video, _ = build_streams(timeline, media, burn)
    wanted = "+".join(f"eq(n,{frame})" for frame in sorted(set(frames)))
    picked = video.select(expr=wanted).video(0).scale(w=width, h=-2, flags="bicubic")
    node = ff.output(picked, filename=str(pattern), extra_options={"fps_mode": "passthrough", "f": "image2"})
    return node.global_args(y=True).compile()[1:]


def _output(timeline: Timeline, video: ff.VideoStream, audio: ff.AudioStream, output: Path, encoding: Encoding) -> list[str]:
    options: dict[str, object] = {
        "c:v": encoding.video_codec,
        "preset": encoding.preset,
        "crf": encoding.crf,
        "pix_fmt": encoding.pix_fmt,
        "c:a": encoding.audio_codec,
        "b:a": encoding.audio_bitrate,
        "ar": timeline.audio_rate,
        "ac": timeline.channels,
        "f": MUXERS.get(output.suffix.lower(), "mp4"),
    }
    if encoding.faststart:
        options["movflags"] = "+faststart"
    node = ff.output(video, audio, filename=str(output), extra_options=options).global_args(y=True)
    argv = node.compile()
    return argv[1:]  # the binary is chosen by filmkit.ffmpeg
