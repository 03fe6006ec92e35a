"""A platform preset turned into render settings: frame, encoder, loudness target, safe areas, limits."""

from __future__ import annotations

from filmkit.errors import Problem
from filmkit.graph import Encoding, Normalization, Picture, RenderSpec
from filmkit.media.loudness import Loudness
from filmkit.platform.preset import Preset
from filmkit.platform.safearea import SafeArea
from filmkit.project import LoadedProject, Timeline
from filmkit.timecode import format_seconds

# x264's speed for platform encodes. Every platform re-encodes what it receives, so the upload
# only has to be clean at CRF 18 under the preset's bitrate cap; "veryfast" encoded the sample's
# 1080p slates 2.5x faster than "fast" here (57 vs 23 fps on 2 cores) and keeps a night-before
# export of the whole matrix within minutes.


PLATFORM_X264_PRESET = "veryfast"


def picture_for(preset: Preset, reframe: str | None = None) -> Picture:
    size = preset.video.size
    return Picture(size.width, size.height, reframe or preset.reframe)  # type: ignore[arg-type]


def text_safe_area(preset: Preset) -> SafeArea:
    """Where the card's text and logo may go: clear of the platform's own interface."""
    return preset.safe_area.text


def subtitle_safe_area(preset: Preset) -> SafeArea:
    """Subtitles keep clear of the platform's interface and inside a subtitle guideline's area."""
    text, guide = preset.safe_area.text, preset.safe_area.subtitles or preset.safe_area.text
    return SafeArea(top=max(text.top, guide.top), bottom=max(text.bottom, guide.bottom),
                    left=max(text.left, guide.left), right=max(text.right, guide.right))


def encoding_for(preset: Preset, timeline: Timeline) -> Encoding:
    """The preset's encoder settings, the bitrate capped so the file fits the size limit."""
    fps = preset.output_fps(timeline.fps)
    return Encoding(
        preset=PLATFORM_X264_PRESET,
        crf=int(preset.video.crf),
        profile=preset.video.profile,
        level=preset.video.level,
        gop=preset.gop_frames(fps),
        closed_gop=preset.video.gop.closed,
        bframes=preset.video.gop.b_frames,
        maxrate_kbps=preset.max_video_kbps(timeline.duration),
        bufsize_kbps=preset.video_bufsize_kbps(timeline.duration),
        audio_bitrate=f"{preset.audio.bitrate_kbps}k",
        audio_rate=preset.audio.sample_rate,
        audio_channels=preset.audio.channels,
        faststart=preset.container.faststart,
        edit_list=preset.container.edit_lists,
        pix_fmt=preset.video.pix_fmt,
    )


def render_spec(preset: Preset, timeline: Timeline, loudness: Loudness | None, reframe: str | None = None) -> RenderSpec:
    target = None
    if loudness is not None:
        target = Normalization(float(preset.loudness.integrated_lufs), float(preset.loudness.true_peak_dbtp),
                                float(preset.loudness.lra_lu), loudness)
    return RenderSpec(picture_for(preset, reframe), encoding_for(preset, timeline), target, preset.output_fps(timeline.fps))


def limit_problems(loaded: LoadedProject, timeline: Timeline, preset: Preset) -> list[Problem]:
    """A film the platform would refuse, said before anything renders."""
    seconds = timeline.duration
    limits = preset.limits
    where = ("exports", "platforms")
    fps = timeline.fps
    length = format_seconds(timeline.total_frames, fps)
    problems = []
    if seconds > limits.max_seconds:
        problems.append(loaded.locations.problem(where, (
            f"{preset.name}: the film lasts {length} (cut and card) but {preset.title} takes at most "
            f"{float(limits.max_seconds):g} s. Shorten the cut, or export this platform from a shorter edit")))
    elif seconds < limits.min_seconds:
        problems.append(loaded.locations.problem(where, (
            f"{preset.name}: the film lasts {length} but {preset.title} takes at least {float(limits.min_seconds):g} s")))
    return problems
