"""A platform's versions of the film: a preset turned into a render plan, and what goes beside it.

The loudness of the mix is measured once (a first pass over the sound only) and every
platform's render normalizes to its own target from that measurement. Posters and caption
sidecars are written next to each video, through temporary files like the video itself.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from filmkit.render.tracks import LanguageTrack, available_languages, parse_langs, prepare_track
from filmkit.errors import FilmkitError, Problem, ProjectError
from filmkit.media.ffmpeg import run_tool
from filmkit.graph import Encoding, Loudness, LoudnessTarget, Picture, RenderSpec, build_loudness_args
from filmkit.graph import build_still_args
from filmkit.platform.presets import Preset
from filmkit.media.probe import MediaInfo
from filmkit.project import LoadedProject, Timeline
from filmkit.render.plan import TEMP_MARK, RenderPlan, VersionPlan, card_languages, check_output_path
from filmkit.platform.safearea import SafeArea
from filmkit.timecode import format_seconds, parse_time

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
    m = preset.safe_area.text
    return SafeArea(m.top, m.bottom, m.left, m.right)


def subtitle_safe_area(preset: Preset) -> SafeArea:
    """Subtitles keep clear of the platform's interface and inside a subtitle guideline's area."""
    text, guide = preset.safe_area.text, preset.safe_area.subtitles or preset.safe_area.text
    return SafeArea(max(text.top, guide.top), max(text.bottom, guide.bottom),
                    max(text.left, guide.left), max(text.right, guide.right))


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
        target = LoudnessTarget(float(preset.loudness.integrated_lufs), float(preset.loudness.true_peak_dbtp),
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


def version_tracks(loaded: LoadedProject, timeline: Timeline, version_lang: str, vertical: bool) -> tuple[LanguageTrack, ...]:
    """The subtitles a language version burns: its file(s), if the project has subtitles at all."""
    if loaded.project.subtitles is None:
        return ()
    langs = parse_langs(version_lang)
    have = available_languages(loaded)
    missing = [lang for lang in langs if lang not in have]
    if missing:
        raise ProjectError([loaded.locations.problem(
            ("exports", "languages"),
            f"{version_lang!r} is exported but the project has no subtitles in {', '.join(missing)}; it has "
            f"{', '.join(sorted(have)) or 'none'}. Add the translation under `subtitles: files:` or remove the "
            "language from `exports: languages:`")])
    return tuple(prepare_track(loaded, timeline, lang, vertical=vertical) for lang in langs)


def plan_platform(
    loaded: LoadedProject,
    timeline: Timeline,
    media: dict[Path, MediaInfo],
    preset: Preset,
    outputs: Sequence[tuple[str, Path]],
    loudness: Loudness | None,
    tracks: dict[str, tuple[LanguageTrack, ...]],
) -> RenderPlan:
    """One ffmpeg process writing `outputs` (language, path) for `preset`."""
    reframe = loaded.project.exports.reframe if loaded.project.exports else None
    versions = []
    for lang, path in outputs:
        check_output_path(path, protected=[loaded.path, *media])
        versions.append(VersionPlan(path, tracks.get(lang, ()), card_languages(loaded, parse_langs(lang))))
    spec = render_spec(preset, timeline, loudness, reframe)
    return RenderPlan(loaded, timeline, media, tuple(versions), spec, text_safe_area(preset), subtitle_safe_area(preset))


def measure_loudness(timeline: Timeline, media: dict[Path, MediaInfo]) -> Loudness | None:
    """First pass over the film's mix; None for a silent film (nothing to normalize)."""
    stderr = run_tool(build_loudness_args(timeline, media), what="measuring loudness")
    return parse_measurement(stderr)


def parse_measurement(stderr: str) -> Loudness | None:
    """Integrated loudness, its gating threshold, LRA and true peak from ebur128's summary."""
    from filmkit.platform.conformance import parse_ebur128_summary

    summary = parse_ebur128_summary(stderr)
    threshold = re.search(r"Threshold:\s*(-?[\d.]+|-inf)\s*LUFS", stderr[stderr.rfind("Summary:"):])
    if not math.isfinite(summary.integrated) or summary.integrated <= -69 or threshold is None:
        return None  # silence: nothing to normalize
    return Loudness(summary.integrated, summary.true_peak, summary.lra, float(threshold.group(1)))


def poster_frame(loaded: LoadedProject, timeline: Timeline) -> int:
    """The record frame shown on the poster: `exports.poster`, by default a frame of the card."""
    setting = loaded.project.exports.poster if loaded.project.exports else "card"
    card = timeline.card
    if setting == "card":
        if card is None:
            return timeline.total_frames // 3
        hold = card.frames - card.fade_in - card.fade_out
        return timeline.cut_frames + card.fade_in + max(0, hold) // 2
    frame = parse_time(setting, timeline.fps)
    if not 0 <= frame < timeline.total_frames:
        raise ProjectError([loaded.locations.problem(("exports", "poster"), (
            f"poster {setting!r} is outside the film (0 to {format_seconds(timeline.total_frames, timeline.fps)}); "
            "give a time inside it, or `card`"))])
    return frame


def write_poster(video: Path, seconds: Fraction, target: Path) -> Path:
    """A JPEG of the rendered video at `seconds`, at the video's own size, moved into place whole."""
    temp = target.with_name(f".{target.stem}.{os.getpid()}{TEMP_MARK}.jpg")
    try:
        run_tool(build_still_args(video, seconds, temp), what=f"poster {target.name}")
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return target


def write_caption_sidecars(tracks: Sequence[LanguageTrack], video: Path, fmt: str) -> list[Path]:
    """Clean UTF-8 caption files beside the video, one per language, named like the video."""
    from filmkit.subtitles.write import write_srt, write_vtt

    writer = write_srt if fmt == "srt" else write_vtt
    written = []
    for track in tracks:
        target = video.with_name(f"{video.stem}.{track.lang}.{fmt}")
        temp = target.with_name(f".{target.name}.{os.getpid()}{TEMP_MARK}")
        writer(track.cues, temp)
        os.replace(temp, target)
        written.append(target)
    return written


def plan_single_platform(project_file: Path, platform: str, lang: str | None, output: Path | None,
                         measure: bool = True) -> RenderPlan:
    """`filmkit render --platform P [--lang L]`: one version, checked like an export would be."""
    from filmkit.platform.presets import load_preset
    from filmkit.render.plan import default_output, load_and_check

    loaded, timeline, media = load_and_check(project_file)
    preset = load_preset(platform, loaded.folder)
    problems = limit_problems(loaded, timeline, preset)
    if problems:
        raise ProjectError(problems)
    vertical = preset.video.size.height > preset.video.size.width
    tracks = {lang: version_tracks(loaded, timeline, lang, vertical)} if lang else {}
    target = Path(output) if output else default_output(loaded, lang).with_name(
        f"{default_output(loaded, lang).stem}_{preset.name}.mp4")
    loudness = measure_loudness(timeline, media) if measure else None
    return plan_platform(loaded, timeline, media, preset, [(lang or "", target.expanduser().absolute())], loudness, tracks)


def preview_card(project_file: Path, lang: str, platform: str | None, output: Path) -> tuple[Path, tuple[int, int]]:
    """The closing card as a PNG, at the project's frame or a platform's, for a language.

    A `blur` card is shown over the cut's real last frame, blurred, as the film will show it.
    """
    import tempfile

    from filmkit.card import save_png
    from filmkit.graph import build_card_still_args
    from filmkit.platform.presets import load_preset
    from filmkit.render.plan import draw_card_file, load_and_check
    from filmkit.project import load_project

    if load_project(project_file).project.card is None:
        raise ProjectError([Problem(Path(project_file), None, None, "card", (
            "the project has no `card:`; add one, e.g.\ncard:\n  duration: 4\n  text:\n"
            "    en: {tagline: Love Always Wins, hashtag: \"#LoveAlwaysWins\"}"))])
    loaded, timeline, media = load_and_check(project_file)
    langs = card_languages(loaded, parse_langs(lang))
    if platform:
        preset = load_preset(platform, loaded.folder)
        picture, safe = picture_for(preset), text_safe_area(preset)
    else:
        picture, safe = Picture(timeline.width, timeline.height), None
    target = output.expanduser().absolute()
    with tempfile.TemporaryDirectory(prefix="filmkit-card-") as work:
        drawn = draw_card_file(loaded, langs, picture, safe, Path(work))
        still = Path(work) / "still.png"
        run_tool(build_card_still_args(timeline, media, picture, drawn, still), what=f"card preview {target.name}")
        from PIL import Image

        with Image.open(still) as image:
            made = save_png(image.convert("RGB"), target)
    return made, (picture.width, picture.height)
