"""Checking rendered files against a preset, on tiny real files made with the bundled ffmpeg."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from conftest import ffmpeg
from filmkit.media.loudness import Loudness, parse_ebur128_summary
from filmkit.media.mp4 import top_level_boxes
from filmkit.media.probe import read_gop
from filmkit.platform.conformance import measure_file_loudness as measure_loudness, verify_against_preset
from filmkit.errors import MediaError
from filmkit.platform.preset import Preset

FPS = Fraction(25)
FRAMES = 50  # 2 s

# A small vertical platform: everything a real preset fixes, at 320x568 so the files stay tiny.
TEST_PRESET: dict[str, Any] = {
    "name": "test-vertical",
    "title": "Test, 9:16",
    "platform": "Test",
    "sources": ["https://example.org/spec"],
    "video": {
        "size": "320x568",
        "fps": {"min": 23, "max": 60, "fallback": 30},
        "codec": "h264",
        "profile": "high",
        "level": "3.0",
        "pix_fmt": "yuv420p",
        "gop": {"closed": True, "seconds": "1/2", "b_frames": 2},
        "crf": 23,
        "maxrate_kbps": 2000,
        "bufsize_kbps": 4000,
    },
    "audio": {"codec": "aac", "profile": "lc", "sample_rate": 48000, "channels": 2, "bitrate_kbps": 128},
    "container": {"format": "mp4", "faststart": True, "edit_lists": False},
    "limits": {"min_seconds": 1, "max_seconds": 10, "max_size_mb": 5},
    "loudness": {"integrated_lufs": -14, "true_peak_dbtp": -1, "lra_lu": 7},
    "safe_area": {"text": {"top": 0.14, "bottom": 0.35, "left": 0.06, "right": 0.06}},
    "reframe": "blur",
    "captions": None,
}

# What a renderer asks of x264 and the MP4 muxer to meet TEST_PRESET.
CONFORMING = {
    "size": "320x568", "rate": "25", "profile": ("-profile:v", "high"), "pix_fmt": ("-pix_fmt", "yuv420p"),
    "gop": ("-g", "12", "-bf", "2", "-flags", "+cgop"), "audio": ("-ar", "48000", "-ac", "2"),
    "movflags": ("-movflags", "+faststart+negative_cts_offsets", "-use_editlist", "0"),
}


def render(path: Path, **change: Any) -> Path:
    """A 2 s testsrc2 + sine file, conforming to TEST_PRESET except for what `change` replaces."""
    opts = {**CONFORMING, **change}
    args = ["-f", "lavfi", "-i", f"testsrc2=s={opts['size']}:r={opts['rate']}:d=2",
            "-f", "lavfi", "-i", "sine=f=440:r=48000:d=2", "-map", "0:v", "-map", "1:a",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
            *opts["profile"], *opts["pix_fmt"], *opts["gop"],
            "-c:a", "aac", "-b:a", "128k", *opts["audio"], *opts["movflags"], str(path)]
    ffmpeg(*args)
    return path


@pytest.fixture(scope="module")
def preset() -> Preset:
    return Preset.model_validate(TEST_PRESET)


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("conformance")
    return {
        "good": render(folder / "good.mp4"),
        "baseline": render(folder / "baseline.mp4", profile=("-profile:v", "baseline")),
        "no_faststart": render(folder / "no_faststart.mp4", movflags=("-movflags", "+negative_cts_offsets", "-use_editlist", "0")),
        "edit_list": render(folder / "edit_list.mp4", movflags=("-movflags", "+faststart")),
        "yuv444p": render(folder / "yuv444p.mp4", profile=(), pix_fmt=("-pix_fmt", "yuv444p")),
        "44k": render(folder / "44k.mp4", audio=("-ar", "44100", "-ac", "2")),
        "mono": render(folder / "mono.mp4", audio=("-ar", "48000", "-ac", "1")),
        "wrong_size": render(folder / "wrong_size.mp4", size="320x180"),
        "long_gop": render(folder / "long_gop.mp4", gop=("-g", "50", "-bf", "2", "-flags", "+cgop")),
        "open_gop": render(folder / "open_gop.mp4", gop=("-g", "12", "-bf", "2", "-x264-params", "open-gop=1:b-adapt=0")),
        "30fps": render(folder / "30fps.mp4", rate="30"),
    }


def verify(path: Path, preset: Preset, frames: int = FRAMES, fps: Fraction = FPS) -> list[str]:
    return verify_against_preset(path, preset, expected_frames=frames, expected_fps=fps)


def test_a_conforming_file_has_no_problems(media: dict[str, Path], preset: Preset) -> None:
    assert verify(media["good"], preset) == []
    kinds = [box.kind for box in top_level_boxes(media["good"])]
    assert kinds.index("moov") < kinds.index("mdat")
    gop = read_gop(media["good"])
    assert gop.frames == FRAMES and gop.keyframes[0] == 0 and gop.leading_frames == 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("baseline", ["H.264 profile Constrained Baseline; test-vertical needs High (-profile:v high; x264's ultrafast "
                      "preset cannot make High: it turns off the 8x8 transform)"]),
        ("no_faststart", ["the moov box comes after the media data; test-vertical needs it first (-movflags +faststart)"]),
        ("edit_list", ["edit list in track(s) 1, 2; test-vertical asks for none (-use_editlist 0 -movflags "
                       "+negative_cts_offsets keeps the first frame at time 0)"]),
        ("44k", ["audio sample rate 44100 Hz; test-vertical needs 48000 Hz (-ar 48000)"]),
        ("mono", ["1 audio channel(s); test-vertical needs 2 (-ac 2)"]),
        ("wrong_size", ["frame size 320x180; test-vertical needs 320x568 (40:71)"]),
        ("long_gop", ["keyframes up to 50 frames apart (2.00 s); test-vertical needs one at least every 12 frames "
                      "(0.5 s at 25 fps: -g 12)"]),
    ],
)
def test_each_violation_is_reported_alone(media: dict[str, Path], preset: Preset, name: str, expected: list[str]) -> None:
    assert verify(media[name], preset) == expected


def test_yuv444p_is_reported_with_the_profile_it_forces(media: dict[str, Path], preset: Preset) -> None:
    problems = verify(media["yuv444p"], preset)
    assert "pixel format yuv444p; test-vertical needs yuv420p (-pix_fmt yuv420p)" in problems
    assert any(problem.startswith("H.264 profile High 4:4:4 Predictive;") for problem in problems)
    assert len(problems) == 2


def test_open_gops_are_reported(media: dict[str, Path], preset: Preset) -> None:
    problems = verify(media["open_gop"], preset)
    assert len(problems) == 1
    assert problems[0].startswith("open GOPs (") and "test-vertical needs closed GOPs" in problems[0]


def test_a_file_too_big_for_the_platform(media: dict[str, Path], preset: Preset) -> None:
    size = media["good"].stat().st_size
    tiny = preset.model_copy(update={"limits": preset.limits.model_copy(update={"max_size_mb": 0.01})})
    assert verify(media["good"], tiny) == [f"file size {size:,} bytes; test-vertical takes at most 10,000 bytes (0.01 MB)"]


def test_a_file_too_small_for_the_platform(media: dict[str, Path], preset: Preset) -> None:
    size = media["good"].stat().st_size
    strict = preset.model_copy(update={"limits": preset.limits.model_copy(update={"min_size_kb": 75000})})
    assert verify(media["good"], strict) == [f"file size {size:,} bytes; test-vertical takes at least 75,000,000 bytes (75000 kB)"]


def test_duration_outside_the_platform_limits(media: dict[str, Path], preset: Preset) -> None:
    longer = preset.model_copy(update={"limits": preset.limits.model_copy(update={"min_seconds": Fraction(3)})})
    assert verify(media["good"], longer) == ["duration 2.000 s; test-vertical takes 3-10 s"]


def test_frame_count_and_rate_must_be_exact(media: dict[str, Path], preset: Preset) -> None:
    assert verify(media["good"], preset, frames=49) == ["50 video frames; expected exactly 49"]
    assert verify(media["30fps"], preset) == ["frame rate 30 (~30.000) fps; expected 25 fps", "60 video frames; expected exactly 50"]


def test_a_rate_outside_the_preset_range(media: dict[str, Path], preset: Preset) -> None:
    slow = preset.model_copy(update={"video": preset.video.model_copy(
        update={"fps": preset.video.fps.model_copy(update={"min": Fraction(30), "fallback": Fraction(30)})})})
    assert verify(media["good"], slow) == [
        "frame rate 25 fps is outside test-vertical's 30-60 fps; a 25 fps master is rendered at 50 fps for test-vertical"
    ]


def test_the_h264_level_is_read(media: dict[str, Path], preset: Preset) -> None:
    low = preset.model_copy(update={"video": preset.video.model_copy(update={"level": "1.3"})})
    assert verify(media["good"], low) == ["H.264 level 2.1; test-vertical allows at most 1.3 (-level:v 1.3)"]


def test_missing_streams_and_unreadable_files(tmp_path: Path, preset: Preset) -> None:
    silent = tmp_path / "silent.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x568:r=25:d=2", "-c:v", "libx264", "-preset", "veryfast",
           "-pix_fmt", "yuv420p", "-g", "12", "-movflags", "+faststart+negative_cts_offsets", "-use_editlist", "0", str(silent))
    assert verify(silent, preset) == ["no audio stream; test-vertical needs AAC-LC 48000 Hz, 2 channel(s)"]
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all")
    (problem,) = verify(junk, preset)
    assert problem.startswith(f"cannot be read back: {junk}: not a media file filmkit can read")


# --- loudness ---------------------------------------------------------------------------------------------


def tone(path: Path, expression: str, seconds: int, layout: str = "stereo") -> Path:
    channels = "|".join([expression] * (2 if layout == "stereo" else 1))
    ffmpeg("-f", "lavfi", "-i", f"aevalsrc='{channels}':s=48000:d={seconds}", str(path))
    return path


def test_loudness_of_the_ebu_reference_tone(tmp_path: Path) -> None:
    """EBU Tech 3341 test 1: a stereo 1 kHz sine at -23 dBFS in both channels reads -23.0 LUFS."""
    measured = measure_loudness(tone(tmp_path / "ebu.wav", "pow(10,-23/20)*sin(2*PI*1000*t)", 6))
    assert measured.integrated == pytest.approx(-23.0, abs=0.1)
    assert measured.true_peak == pytest.approx(-23.0, abs=0.2)  # a sine's true peak is its amplitude


def test_loudness_of_a_mono_tone(tmp_path: Path) -> None:
    """One channel carries half the power of two: a -6 dBFS mono sine reads -6 - 3 = -9 LUFS."""
    measured = measure_loudness(tone(tmp_path / "mono.wav", "pow(10,-6/20)*sin(2*PI*1000*t)", 4, "mono"))
    assert measured.integrated == pytest.approx(-9.0, abs=0.1)
    assert measured.true_peak == pytest.approx(-6.0, abs=0.2)
    assert measured.lra == pytest.approx(0.0, abs=0.5)


def test_loudness_range_of_a_10_db_step(tmp_path: Path) -> None:
    step = "if(lt(t,8),pow(10,-30/20),pow(10,-20/20))*sin(2*PI*1000*t)"
    measured = measure_loudness(tone(tmp_path / "step.wav", step, 16, "mono"))
    assert measured.lra == pytest.approx(10.0, abs=1.0)


def test_loudness_inside_a_video_file(media: dict[str, Path]) -> None:
    measured = measure_loudness(media["good"])  # ffmpeg's sine source is at 1/8 of full scale
    assert -30 < measured.integrated < -15
    assert measured.true_peak <= -17.5


def test_loudness_of_silence_and_of_no_audio(tmp_path: Path) -> None:
    silence = tmp_path / "silence.wav"
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo", "-t", "2", str(silence))
    assert measure_loudness(silence) == Loudness(integrated=-70.0, true_peak=float("-inf"), lra=0.0)
    picture = tmp_path / "picture.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=64x64:r=25:d=1", "-c:v", "libx264", "-preset", "ultrafast", str(picture))
    with pytest.raises(MediaError, match="has no audio stream, so there is no loudness to measure"):
        measure_loudness(picture)


def test_parse_ebur128_summary_takes_the_last_summary() -> None:
    log = (
        "[Parsed_ebur128_0 @ 0x1] [info] Summary:\n\n  Integrated loudness:\n    I:         -30.0 LUFS\n"
        "  Loudness range:\n    LRA:         3.0 LU\n  True peak:\n    Peak:      -12.5 dBFS\n"
        "[Parsed_ebur128_0 @ 0x2] [info] Summary:\n\n  Integrated loudness:\n    I:         -14.2 LUFS\n"
        "    Threshold: -24.2 LUFS\n\n  Loudness range:\n    LRA:         6.1 LU\n    Threshold: -34.2 LUFS\n"
        "    LRA low:   -18.0 LUFS\n    LRA high:  -11.9 LUFS\n\n  True peak:\n    Peak:       -1.1 dBFS\n"
    )
    assert parse_ebur128_summary(log) == Loudness(integrated=-14.2, true_peak=-1.1, lra=6.1)
    with pytest.raises(MediaError, match="printed no summary"):
        parse_ebur128_summary("[error] nothing here")
