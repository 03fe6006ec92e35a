"""PURE: from the cut to finished files: subtitles, the closing card, music, loudness, encoding.

One ffmpeg process can write several versions of the same picture geometry (the languages of
one platform): the cut is decoded and assembled once and split, and each version gets its
own subtitles and card before its encoder. Nothing here runs anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

import typed_ffmpeg as ff

from filmkit.graph.cut import build_cut, build_cut_audio, build_cut_picture, frame_tb, same_colour, last_frame, layout, mix_music
from filmkit.graph.overlays import Layer, lay_layers
from filmkit.graph.picture import BLUR_DIM, BLUR_DOWNSCALE, Picture, blur_radii
from filmkit.media.levels import SoundLevels
from filmkit.media.loudness import Loudness
from filmkit.media.probe import MediaInfo
from filmkit.project.timeline import CardTiming, Timeline
from filmkit.timecode import format_rate, frames_to_seconds, seconds_arg

MUXERS = {".mp4": "mp4", ".m4v": "mp4", ".mov": "mov", ".mkv": "matroska"}


@dataclass(frozen=True)
class Encoding:
    """Encoder settings: the master's defaults, or a platform preset's."""

    video_codec: str = "libx264"
    preset: str = "fast"  # x264 speed/size trade-off; "fast" keeps editor renders quick
    crf: int = 18  # visually lossless for a master (x264 documentation: 17-18)
    audio_codec: str = "aac"
    audio_bitrate: str = "192k"
    pix_fmt: str = "yuv420p"  # 4:2:0, what every player and platform decodes
    faststart: bool = True  # moov atom first, so players start before the download ends
    profile: str | None = None  # H.264 profile, e.g. "high"
    level: str | None = None  # e.g. "4.2"
    gop: int | None = None  # keyframe interval in frames (fixed: no scene-cut keyframes)
    closed_gop: bool = False
    bframes: int | None = None
    maxrate_kbps: int | None = None  # VBV cap (with CRF: "capped CRF")
    bufsize_kbps: int | None = None
    vbv_start_bits: int | None = None  # the VBV buffer's fill at the first frame (x264: 90 % full); a joined piece's is its predecessor's end
    audio_rate: int | None = None  # default: the project's
    audio_channels: int | None = None
    edit_list: bool = True  # False: no MP4 edit list (YouTube asks for none)
    threads: int | None = None  # x264 threads per encoder; None lets x264 choose (1.5 x cores)
    filter_threads: int | None = None  # -filter_complex_threads; None: ffmpeg's own (one per core)


@dataclass(frozen=True)
class Burn:
    """Subtitles to burn over the cut: a styled ASS file and the folder of its fonts."""

    ass_file: Path
    fonts_dir: Path


@dataclass(frozen=True)
class CardImage:
    """The drawn card: opaque, or transparent to lie over the cut's last frame, blurred."""

    png: Path
    over_blur: bool = False


@dataclass(frozen=True)
class Normalization:
    """The loudness a platform asks for, and what the first pass measured of the mix."""

    integrated: float
    true_peak: float
    lra: float
    measured: Loudness


@dataclass(frozen=True)
class Version:
    """One output file: its path and what only it carries."""

    path: Path
    burn: Burn | None = None
    card: CardImage | None = None
    layers: tuple[Layer, ...] = ()  # the overlay track of this version (graph.overlays)


@dataclass(frozen=True)
class RenderSpec:
    """Everything the versions of one render share."""

    picture: Picture | None = None  # default: the project's frame, sources padded
    encoding: Encoding = field(default_factory=Encoding)
    loudness: Normalization | None = None
    fps: Fraction | None = None  # output rate when a platform needs another; default the project's
    levels: SoundLevels | None = None  # the cut's sound, measured, for music beds that duck under it


def build_render_args(
    timeline: Timeline, media: Mapping[Path, MediaInfo], versions: Sequence[Version], spec: RenderSpec = RenderSpec()
) -> list[str]:
    """The ffmpeg arguments (without the binary) that write every version in one process."""
    picture = spec.picture or Picture(timeline.width, timeline.height)
    cut = build_cut(timeline, media, picture)
    assert cut.video is not None and cut.audio is not None
    audio = film_audio(timeline, media, cut.audio, spec.levels)
    if spec.loudness is not None:
        audio = normalize_loudness(timeline, audio, spec.loudness)
    outputs = []
    for version in versions:
        video = finish_picture(timeline, media, picture, cut.video, version)
        if spec.fps is not None and spec.fps != timeline.fps:
            video = video.fps(fps=format_rate(spec.fps))
        outputs.append(encoded_output(timeline, video, audio, version.path, spec.encoding))
    return compiled(outputs, spec.encoding)


def compiled(outputs: Sequence[ff.OutputStream], encoding: Encoding) -> list[str]:
    """The arguments (without the binary, chosen by filmkit.media.ffmpeg) of one process writing
    `outputs`: overwriting its (temporary) files, with the filter graph's threads of `encoding`."""
    node = outputs[0] if len(outputs) == 1 else ff.merge_outputs(*outputs)
    threads = {"filter_complex_threads": encoding.filter_threads} if encoding.filter_threads else {}
    return node.global_args(y=True, **threads).compile()[1:]


def film_audio(timeline: Timeline, media: Mapping[Path, MediaInfo], cut_audio: ff.AudioStream,
               levels: SoundLevels | None = None) -> ff.AudioStream:
    """The cut's sound, silence under the card, and the music beds over both (ducking under the cut's
    sound where they say so: `levels` is that sound, measured)."""
    audio = cut_audio
    if timeline.card is not None:
        samples = timeline.sample_at(timeline.total_frames) - timeline.sample_at(timeline.cut_frames)
        silence = ff.sources.anullsrc(channel_layout=layout(timeline), sample_rate=str(timeline.audio_rate))
        audio = ff.filters.concat(audio, silence.atrim(end_sample=samples), n=2, v=0, a=1).audio(0)
    return mix_music(timeline, audio, media, levels)


def finish_picture(
    timeline: Timeline, media: Mapping[Path, MediaInfo], picture: Picture, cut: ff.VideoStream, version: Version,
    offset: int = 0,
) -> ff.VideoStream:
    """The overlays and subtitles over the cut, then the card after it (and the overlays kept over it).

    `offset` is the film's record frame where this timeline starts (a segment of a long film):
    the subtitles' times are the film's, so the picture is shifted to them while they burn.
    """
    card = timeline.card
    over_card = [layer for layer in version.layers if layer.over_card and card is not None]
    under = [layer for layer in version.layers if not (layer.over_card and card is not None)]
    video = lay_layers(timeline, media, cut, under, offset, timeline.cut_frames)
    if card is not None and card.fade_in:
        # The card comes in over a held last frame: the cut is never shortened by its card.
        video = video.tpad(stop=card.fade_in, stop_mode="clone")
    if version.burn is not None:
        shift = _frames_as_pts(offset, timeline.fps)
        if offset:
            video = video.setpts(expr=f"PTS+{shift}")
        # `ass` (not `subtitles`) so libass shapes with HarfBuzz: docs/platforms.md, ffmpeg and libass fact 1.
        video = video.ass(filename=str(version.burn.ass_file), fontsdir=str(version.burn.fonts_dir), shaping="complex")
        if offset:
            video = video.setpts(expr="PTS-STARTPTS")
    if card is None:
        return video
    assert version.card is not None, "a timeline with a card needs a drawn card per version"
    card_video = _card_picture(timeline, media, picture, card, version.card)
    if card.join is None:
        video = ff.filters.concat(video, card_video, n=2, v=1, a=0).video(0).settb(expr=frame_tb(timeline))
    else:
        video = video.xfade(
            card_video,
            transition=card.join,
            duration=seconds_arg(frames_to_seconds(card.fade_in, timeline.fps)),
            offset=seconds_arg(frames_to_seconds(timeline.cut_frames, timeline.fps)),
        )
    return lay_layers(timeline, media, video, over_card, offset, timeline.total_frames)


def _frames_as_pts(frames: int, fps: Fraction) -> str:
    """An exact shift of `frames` in any time base, rounded (setpts would truncate 99.999 to 99)."""
    return f"round({frames}*{fps.denominator}/({fps.numerator}*TB))"


def build_segment_args(
    segment: Timeline, media: Mapping[Path, MediaInfo], versions: Sequence[Version], spec: RenderSpec, offset: int,
    keep: tuple[int, int] | None = None,
) -> list[str]:
    """One segment of a long film, picture only, for each version (joined later without re-encoding).

    `keep`: only the film's frames [first, last) of it (a piece of a shared-picture render,
    whose segment is widened to frames where no transition runs).
    """
    picture = spec.picture or Picture(segment.width, segment.height)
    video = build_cut_picture(segment, media, picture)
    outputs = []
    for version in versions:
        finished = finish_picture(segment, media, picture, video, version, offset)
        if keep is not None:
            finished = finished.trim(start_frame=keep[0] - offset, end_frame=keep[1] - offset).setpts(expr="PTS-STARTPTS")
        options = _video_options(spec.encoding)
        options["f"] = "mp4"
        outputs.append(ff.output(finished, filename=str(version.path), extra_options=options))
    return compiled(outputs, spec.encoding)


def build_sound_args(timeline: Timeline, media: Mapping[Path, MediaInfo], spec: RenderSpec, target: Path) -> list[str]:
    """The whole film's sound in one pass (cut, card silence, music, loudness), encoded once."""
    audio = film_audio(timeline, media, build_cut_audio(timeline, media), spec.levels)
    if spec.loudness is not None:
        audio = normalize_loudness(timeline, audio, spec.loudness)
    options = _audio_options(timeline, spec.encoding)
    options["f"] = "mp4"
    return ff.output(audio, filename=str(target), extra_options=options).global_args(y=True).compile()[1:]


def build_join_args(segment_list: Path, sound: Path, target: Path, encoding: Encoding) -> list[str]:
    """Segments played one after another (ffmpeg's concat demuxer, no re-encoding) with the sound."""
    pictures = ff.input(segment_list, f="concat", extra_options={"safe": 0})
    audio = ff.input(sound, extra_options={"vn": True})
    options: dict[str, object] = {"c": "copy", "f": MUXERS.get(target.suffix.lower(), "mp4")}
    options.update(_container_options(encoding, str(options["f"])))
    node = ff.output(pictures.video, audio.audio, filename=str(target), extra_options=options)
    return node.global_args(y=True).compile()[1:]


def _card_picture(
    timeline: Timeline, media: Mapping[Path, MediaInfo], picture: Picture, card: CardTiming, image: CardImage
) -> ff.VideoStream:
    # The PNG is decoded once and held (not looped by the demuxer, which decodes it per frame).
    drawn = ff.input(image.png, extra_options={"framerate": format_rate(timeline.fps)})
    text = drawn.video.tpad(stop=card.frames - 1, stop_mode="clone").trim(end_frame=card.frames)
    if image.over_blur:
        background = _blurred(last_frame(timeline, media, picture, card.frames), picture)
        video = background.overlay(text.format(pix_fmts="rgba"), x=0, y=0, eof_action="pass")
    else:
        video = text
    video = same_colour(video.format(pix_fmts="yuv420p").setsar(sar="1"))
    if card.fade_out:
        video = video.fade(type="out", start_frame=card.frames - card.fade_out, nb_frames=card.fade_out)
    return video.settb(expr=frame_tb(timeline))


def _blurred(video: ff.VideoStream, picture: Picture) -> ff.VideoStream:
    """A soft, dimmed copy of the picture (the same recipe as the `blur` reframe's fill)."""
    small_w, small_h = (max(2, 2 * round(side / BLUR_DOWNSCALE / 2)) for side in (picture.width, picture.height))
    return (
        video.scale(w=small_w, h=small_h, flags="fast_bilinear")
        .boxblur(**blur_radii(small_w, small_h), luma_power=3)
        .eq(brightness=str(2 * BLUR_DIM))
        .scale(w=picture.width, h=picture.height, flags="bilinear")
        .setsar(sar="1")
    )


def normalize_loudness(timeline: Timeline, audio: ff.AudioStream, target: Normalization) -> ff.AudioStream:
    """Second pass of two-pass loudnorm: with the first pass's measurement it is a plain gain.

    loudnorm applies one linear gain only when the measured range fits the target range (and
    is not 0) and the true peak stays under the ceiling; otherwise it compresses. The film's
    dynamics are the editor's, so the range asked for is never narrower than the film's own:
    only a true peak that would pass the ceiling makes loudnorm limit.
    """
    measured = target.measured
    lra = max(0.1, round(measured.lra, 1))
    return audio.loudnorm(
        I=target.integrated, TP=target.true_peak, LRA=max(target.lra, min(50.0, lra + 0.1)),
        measured_I=round(measured.integrated, 2), measured_TP=round(measured.true_peak, 2),
        measured_LRA=lra, measured_thresh=round(measured.threshold, 2),
        linear=True, print_format="summary",
    ).aresample(sample_rate=timeline.audio_rate)  # loudnorm works at 192 kHz


def build_frames_args(
    timeline: Timeline, media: Mapping[Path, MediaInfo], wanted: Sequence[tuple[list[int], Path, Burn | None]], width: int,
) -> list[str]:
    """Arguments that write, for each (frames, pattern, burn), those record frames of the cut with
    that burn's subtitles as numbered PNGs: the cut is decoded once for every language's stills."""
    video = build_cut_picture(timeline, media, Picture(timeline.width, timeline.height))
    outputs = []
    for frames, pattern, burn in wanted:
        branch = video
        if burn is not None:
            branch = branch.ass(filename=str(burn.ass_file), fontsdir=str(burn.fonts_dir), shaping="complex")
        picked = "+".join(f"eq(n,{frame})" for frame in sorted(set(frames)))
        branch = branch.select(expr=picked).video(0).scale(w=width, h=-2, flags="bicubic")
        outputs.append(ff.output(branch, filename=str(pattern), extra_options={"fps_mode": "passthrough", "f": "image2"}))
    return compiled(outputs, Encoding())


def build_card_still_args(
    timeline: Timeline, media: Mapping[Path, MediaInfo], picture: Picture, card: CardImage, target: Path
) -> list[str]:
    """One frame of the card as the film shows it (over the blurred last frame) as a PNG, for previews."""
    assert timeline.card is not None
    still = replace(timeline.card, frames=1, fade_in=0, fade_out=0, join=None)
    video = _card_picture(timeline, media, picture, still, card).format(pix_fmts="rgb24")
    node = ff.output(video, filename=str(target), extra_options={"frames:v": 1, "update": 1})
    return node.global_args(y=True).compile()[1:]


def build_still_args(video: Path, seconds: Fraction, target: Path) -> list[str]:
    """One frame of a rendered video as a high-quality JPEG (a poster)."""
    stream = ff.input(video, ss=seconds_arg(seconds)).video
    node = ff.output(stream, filename=str(target), extra_options={"frames:v": 1, "q:v": 2, "update": 1})
    return node.global_args(y=True).compile()[1:]


def encoded_output(timeline: Timeline, video: ff.VideoStream, audio: ff.AudioStream, output: Path, encoding: Encoding) -> ff.OutputStream:
    options = {**_video_options(encoding), **_audio_options(timeline, encoding)}
    options["f"] = MUXERS.get(output.suffix.lower(), "mp4")
    options.update(_container_options(encoding, str(options["f"])))
    return ff.output(video, audio, filename=str(output), extra_options=options)


def _video_options(encoding: Encoding) -> dict[str, object]:
    options: dict[str, object] = {
        "c:v": encoding.video_codec,
        "preset": encoding.preset,
        "crf": encoding.crf,
        "pix_fmt": encoding.pix_fmt,
        # Limited range, as graph.cut makes every frame: each segment of a long film says the same.
        "color_range": "tv",
    }
    if encoding.profile:
        options["profile:v"] = encoding.profile
    if encoding.level:
        options["level:v"] = encoding.level
    if encoding.gop:
        # A fixed keyframe interval: no extra keyframes at scene cuts.
        options.update({"g": encoding.gop, "keyint_min": encoding.gop, "sc_threshold": 0})
    if encoding.closed_gop:
        options["flags"] = "+cgop"
    if encoding.bframes is not None:
        options["bf"] = encoding.bframes
    if encoding.threads:
        options["threads"] = encoding.threads
    if encoding.maxrate_kbps:
        options["maxrate"] = f"{encoding.maxrate_kbps}k"
        options["bufsize"] = f"{encoding.bufsize_kbps or 2 * encoding.maxrate_kbps}k"
        if encoding.vbv_start_bits is not None:
            options["rc_init_occupancy"] = max(1, encoding.vbv_start_bits)
    return options


def _audio_options(timeline: Timeline, encoding: Encoding) -> dict[str, object]:
    return {
        "c:a": encoding.audio_codec,
        "b:a": encoding.audio_bitrate,
        "ar": encoding.audio_rate or timeline.audio_rate,
        "ac": encoding.audio_channels or timeline.channels,
    }


def _container_options(encoding: Encoding, muxer: str) -> dict[str, object]:
    options: dict[str, object] = {}
    flags = ["+faststart"] if encoding.faststart else []
    if not encoding.edit_list and muxer in ("mp4", "mov"):
        # Without an edit list, B-frame delay must go into negative composition offsets, or
        # the picture starts two frames late against the sound.
        options["use_editlist"] = 0
        flags.append("+negative_cts_offsets")
    if flags:
        options["movflags"] = "".join(flags)
    return options
