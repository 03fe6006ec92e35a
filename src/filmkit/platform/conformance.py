"""Does a rendered file meet its platform preset? Checked by reading the file back, never trusted.

A file is read back once (`media.probe.read_back`: one probe, one demux of the video packets
without decoding for the frame count, keyframe interval, closed GOPs and level) and the MP4
box headers are read for faststart and edit lists (`media.mp4`). `preset_problems` holds the
preset's rules over what was read, so the render's own verification (`render.verify`) and a
check of any file (`verify_against_preset`) share that one reading. Every problem is a
sentence naming what the preset allows; an empty list means the file conforms.

`measure_file_loudness` runs the bundled ffmpeg's EBU R128 meter (`ebur128=peak=true`).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from filmkit.errors import MediaError
from filmkit.graph.measure import build_file_loudness_args
from filmkit.media.ffmpeg import run_tool
from filmkit.media.loudness import Loudness, parse_ebur128_summary
from filmkit.media.mp4 import edit_list_tracks, top_level_boxes
from filmkit.media.probe import GopInfo, MediaInfo, ReadBack, probe, read_back
from filmkit.platform.preset import Preset

# The average rate is frames / duration: an exact ratio for a constant-rate MP4, but kept from
# false alarms by a margin far below the 0.1% between 30 and 30000/1001.
RATE_TOLERANCE = Fraction(1, 10_000)

# PyAV's profile names for H.264, by the preset's spelling.
_H264_PROFILES = {"baseline": ("Baseline", "Constrained Baseline"), "main": ("Main",), "high": ("High",)}


def verify_against_preset(path: Path, preset: Preset, *, expected_frames: int, expected_fps: Fraction) -> list[str]:
    """Every way the file at `path` falls short of `preset`, as sentences; [] when it conforms."""
    try:
        readback = read_back(Path(path))
    except MediaError as exc:
        return [f"cannot be read back: {exc}"]
    return preset_problems(readback, preset, expected_frames=expected_frames, expected_fps=expected_fps)


def preset_problems(readback: ReadBack, preset: Preset, *, expected_frames: int, expected_fps: Fraction) -> list[str]:
    """Every way a file already read back falls short of `preset`: nothing is probed or demuxed again."""
    info = readback.info
    problems: list[str] = []
    problems += _check_video(readback, preset, expected_frames, Fraction(expected_fps))
    problems += _check_audio(info, preset)
    problems += _check_container(info.path, preset)
    problems += _check_size(info, preset)
    return problems


def _check_video(readback: ReadBack, preset: Preset, expected_frames: int, fps: Fraction) -> list[str]:
    name, spec = preset.name, preset.video
    video, gop = readback.info.video, readback.gop
    if video is None or gop is None:
        return [f"no video stream; {name} needs H.264 {spec.size} video"]
    problems = []
    if (video.width, video.height) != tuple(spec.size) or video.rotation:
        shown = f"{video.width}x{video.height}" + (f" rotated {video.rotation}°" if video.rotation else "")
        problems.append(f"frame size {shown}; {name} needs {spec.size} ({preset.aspect_label})")
    if video.sar != 1:
        problems.append(f"pixel aspect {video.sar.numerator}:{video.sar.denominator}; {name} needs square pixels (1:1)")
    if video.rate is None or abs(video.rate - fps) > fps * RATE_TOLERANCE:
        shown = f"{video.rate} (~{float(video.rate):.3f})" if video.rate else "unknown"
        problems.append(f"frame rate {shown} fps; expected {fps} fps")
    if not spec.fps.min <= fps <= spec.fps.max:
        problems.append(f"frame rate {fps} fps is outside {name}'s {float(spec.fps.min):g}-{float(spec.fps.max):g} fps; "
                        f"a {fps} fps master is rendered at {preset.output_fps(fps)} fps for {name}")
    if video.variable_rate:
        problems.append(f"variable frame rate; {name} needs a constant rate")
    if video.codec != spec.codec:
        problems.append(f"video codec {video.codec}; {name} needs {spec.codec}")
    else:
        allowed = _H264_PROFILES.get(spec.profile, (spec.profile,))
        if video.profile not in allowed:
            problems.append(
                f"H.264 profile {video.profile or 'unknown'}; {name} needs {allowed[0]} "
                f"(-profile:v {spec.profile}; x264's ultrafast preset cannot make High: it turns off the 8x8 transform)"
            )
        if gop.level is not None and gop.level > _level_idc(spec.level):
            problems.append(f"H.264 level {gop.level / 10:.1f}; {name} allows at most {spec.level} (-level:v {spec.level})")
    if video.pix_fmt != spec.pix_fmt:
        problems.append(f"pixel format {video.pix_fmt}; {name} needs {spec.pix_fmt} (-pix_fmt {spec.pix_fmt})")
    if gop.frames != expected_frames:
        problems.append(f"{gop.frames} video frames; expected exactly {expected_frames}")
    problems += _check_gop(gop, preset, fps)
    duration = Fraction(gop.frames) / fps
    limits = preset.limits
    if not limits.min_seconds <= duration <= limits.max_seconds:
        problems.append(f"duration {float(duration):.3f} s; {name} takes {float(limits.min_seconds):g}-{float(limits.max_seconds):g} s")
    return problems


def _check_gop(gop: GopInfo, preset: Preset, fps: Fraction) -> list[str]:
    name, spec = preset.name, preset.video.gop
    if not gop.keyframes:
        return ["no keyframe in the video stream; the file cannot be played from the start"]
    problems = []
    if gop.keyframes[0] != 0:
        problems.append(f"the first frame is not a keyframe (first keyframe at frame {gop.keyframes[0]})")
    limit = preset.gop_frames(fps)
    bounds = [*gop.keyframes, gop.frames]
    longest = max((b - a for a, b in zip(bounds, bounds[1:])), default=0)
    if longest > limit:
        problems.append(
            f"keyframes up to {longest} frames apart ({float(longest / fps):.2f} s); {name} needs one at least every "
            f"{limit} frames ({float(spec.seconds):g} s at {fps} fps: -g {limit})"
        )
    if spec.closed and gop.leading_frames:
        problems.append(
            f"open GOPs ({gop.leading_frames} frames shown before the keyframe they follow); {name} needs closed GOPs "
            "(x264: open-gop=0, the default; -flags +cgop)"
        )
    return problems


def _check_audio(info: MediaInfo, preset: Preset) -> list[str]:
    name, spec = preset.name, preset.audio
    wanted = f"{spec.codec.upper()}-{spec.profile.upper()} {spec.sample_rate} Hz, {spec.channels} channel(s)"
    audio = info.audio
    if audio is None:
        return [f"no audio stream; {name} needs {wanted}"]
    problems = []
    if audio.codec != spec.codec:
        problems.append(f"audio codec {audio.codec}; {name} needs {spec.codec} (-c:a {spec.codec})")
    elif (audio.profile or "").lower() != spec.profile:
        problems.append(f"AAC profile {audio.profile or 'unknown'}; {name} needs {spec.profile.upper()} (-profile:a aac_low)")
    if audio.rate != spec.sample_rate:
        problems.append(f"audio sample rate {audio.rate} Hz; {name} needs {spec.sample_rate} Hz (-ar {spec.sample_rate})")
    if audio.channels != spec.channels:
        problems.append(f"{audio.channels} audio channel(s); {name} needs {spec.channels} (-ac {spec.channels})")
    return problems


def _check_container(path: Path, preset: Preset) -> list[str]:
    name, spec = preset.name, preset.container
    try:
        boxes = top_level_boxes(path)
    except OSError as exc:
        return [f"cannot be read: {exc.strerror}"]
    kinds = [box.kind for box in boxes]
    if "moov" not in kinds or "mdat" not in kinds:
        return [f"not an MP4 file (top-level boxes: {', '.join(kinds) or 'none'}); {name} needs {spec.format}"]
    problems = []
    if spec.faststart and kinds.index("moov") > kinds.index("mdat"):
        problems.append(f"the moov box comes after the media data; {name} needs it first (-movflags +faststart)")
    tracks = [] if spec.edit_lists else edit_list_tracks(path, boxes[kinds.index("moov")])
    if tracks:
        problems.append(f"edit list in track(s) {', '.join(map(str, tracks))}; {name} asks for none "
                        "(-use_editlist 0 -movflags +negative_cts_offsets keeps the first frame at time 0)")
    return problems


def _check_size(info: MediaInfo, preset: Preset) -> list[str]:
    name, size = preset.name, info.size_bytes
    if size > preset.max_bytes:
        return [f"file size {size:,} bytes; {name} takes at most {preset.max_bytes:,} bytes ({preset.limits.max_size_mb:g} MB)"]
    if size < preset.min_bytes:
        return [f"file size {size:,} bytes; {name} takes at least {preset.min_bytes:,} bytes ({preset.limits.min_size_kb:g} kB)"]
    return []


def _level_idc(level: str) -> int:
    major, minor = level.split(".")
    return int(major) * 10 + int(minor)


# --- loudness -----------------------------------------------------------------------------------

def measure_file_loudness(path: Path, info: MediaInfo | None = None) -> Loudness:
    """Integrated loudness, true peak and loudness range of the first audio stream (EBU R128).

    `info` is what probing the file already found (a verified render has it), else it is probed.
    """
    path = Path(path)
    info = info or probe(path)
    if info.audio is None:
        raise MediaError(f"{path}: has no audio stream, so there is no loudness to measure")
    stderr = run_tool(build_file_loudness_args(path.absolute()), what=f"measuring the loudness of {path.name}")
    return parse_ebur128_summary(stderr)

