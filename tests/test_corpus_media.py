"""Every real-world media file of the corpus renders correctly in a cut.

The corpus (../shared/corpus/media, see its SOURCES.md) holds files written by others: phone
clips with display-matrix rotation (and reflection), VFR, 29.97, anamorphic SAR, 10-bit VP9,
odd dimensions, a WebM without a duration, MPEG-TS with a non-zero start, mono/AC-3/PCM/Opus
audio. One film with a short event from each file is rendered once; each file is then checked
in its own test against what ffmpeg itself displays for that file (a player's view: rotation
applied, picture scaled to the fitted box), and against the probe's facts in SOURCES.md.
"""

from __future__ import annotations

import math
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from conftest import CORPUS, audio_samples, read_frames, write_project
from filmkit.media.ffmpeg import ffmpeg_binary
from filmkit.graph import fit_inside
from filmkit.media.probe import MediaInfo, count_video_frames, probe
from filmkit.render.plan import plan_render
from filmkit.render.run import render

pytestmark = pytest.mark.corpus

MEDIA_DIR = CORPUS / "media"
FILES = sorted(p for p in MEDIA_DIR.glob("*") if p.is_file()) if MEDIA_DIR.is_dir() else []
NAMES = [p.name for p in FILES]

W, H, FPS = 320, 180, 25
EVENT = 6  # frames per event: 0.24 s, shorter than the 0.30 s phone clip
CHROME = "chrome_mediarecorder_no_duration_vp9_opus.webm"  # a dark webcam: almost black

# Where the picture starts: the first frames of these files are black (fades from black).
IN_POINTS = {
    "avi_23976_mpeg4asp_mp3_960x400.avi": 1.0,
    "bbb_0-30s_720p24_vp8_vorbis.webm": 2.0,
    "bbb_2500ms_1080p24_mpeg2_mp2.ts": 1.5,  # from the file's own start at PTS 1.51 s
}

# What SOURCES.md says (ffmpeg's reading of each file): display aspect after SAR and rotation,
# and duration in seconds (the chrome file has none in its header; 4.93 s by decoding).
DISPLAY_ASPECT = {
    "anamorphic_720x480_sar11-12_h264_ac3.mp4": Fraction(11, 8),
    "avi_23976_mpeg4asp_mp3_960x400.avi": Fraction(12, 5),
    "bbb_0-30s_720p24_vp8_vorbis.webm": Fraction(16, 9),
    "bbb_2500ms_1080p24_mpeg2_mp2.ts": Fraction(16, 9),
    "bear_vp9_odd_dimensions_161x121.webm": Fraction(161, 121),
    "chaplin_640x360_25fps_h264_mp3.mp4": Fraction(16, 9),
    CHROME: Fraction(16, 9),
    "h264_640x360_30fps_aac_17s.mp4": Fraction(16, 9),
    "mkv_h264_ac3_with_srt_track.mkv": Fraction(3, 2),
    "mov_1080p50_h264_pcm_s16le.mov": Fraction(16, 9),
    "phone_portrait_4k60_rot-90_h264_aac.mp4": Fraction(9, 16),
    "phone_vfr_rot180_720p_h264_aac.mp4": Fraction(16, 9),
    "portrait_720x1080_2997_h264_aac.mp4": Fraction(2, 3),
    "roadtrip_vp9_10bit_23976_426x240.webm": Fraction(71, 40),
    "rotate_and_reflect_1080x720_h264_aac.mp4": Fraction(2, 3),
    "smpte_bars_1080p25_burnin_2997df.mp4": Fraction(16, 9),
    "tos_battle_clip_800x332_vp8_vorbis.webm": Fraction(399, 166),
}
DURATION = {
    "anamorphic_720x480_sar11-12_h264_ac3.mp4": 0.70,
    "avi_23976_mpeg4asp_mp3_960x400.avi": 4.09,
    "bbb_0-30s_720p24_vp8_vorbis.webm": 30.00,
    "bbb_2500ms_1080p24_mpeg2_mp2.ts": 2.51,
    "bear_vp9_odd_dimensions_161x121.webm": 1.00,
    "chaplin_640x360_25fps_h264_mp3.mp4": 9.64,
    CHROME: 4.93,
    "h264_640x360_30fps_aac_17s.mp4": 17.06,
    "mkv_h264_ac3_with_srt_track.mkv": 1.23,
    "mov_1080p50_h264_pcm_s16le.mov": 2.00,
    "phone_portrait_4k60_rot-90_h264_aac.mp4": 0.31,
    "phone_vfr_rot180_720p_h264_aac.mp4": 2.38,
    "portrait_720x1080_2997_h264_aac.mp4": 1.09,  # the audio runs longer; the picture lasts 1.00 s
    "roadtrip_vp9_10bit_23976_426x240.webm": 3.00,
    "rotate_and_reflect_1080x720_h264_aac.mp4": 1.07,  # likewise
    "smpte_bars_1080p25_burnin_2997df.mp4": 10.05,
    "tos_battle_clip_800x332_vp8_vorbis.webm": 70.54,
}
PORTRAIT = {
    "phone_portrait_4k60_rot-90_h264_aac.mp4",  # coded landscape, display matrix -90
    "portrait_720x1080_2997_h264_aac.mp4",  # coded portrait
    "rotate_and_reflect_1080x720_h264_aac.mp4",  # coded landscape, rotate -90 and mirror
}


def aspect_of(path: Path, info: MediaInfo) -> Fraction:
    assert info.video is not None
    return DISPLAY_ASPECT.get(path.name, info.video.display_aspect)


def picture_box(path: Path, info: MediaInfo, width: int = W, height: int = H) -> tuple[int, int, int, int]:
    w, h = fit_inside(aspect_of(path, info), width, height)
    return (width - w) // 2, (height - h) // 2, w, h


def in_point(path: Path) -> float:
    return IN_POINTS.get(path.name, 0)


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One cut with a short event from each corpus file, rendered once; its frames and sound."""
    folder = tmp_path_factory.mktemp("corpus_film")
    media = "\n".join(f"  m{i}: {_quoted(path)}" for i, path in enumerate(FILES))
    cut = "\n".join(
        f'  - media: m{i}\n    in: {in_point(path)}\n    duration: "00:00:00:{EVENT:02d}"' for i, path in enumerate(FILES)
    )
    project = write_project(folder, f"filmkit: 1\ntitle: Corpus\nformat: {{size: {W}x{H}, fps: {FPS}}}\n"
                                    f"media:\n{media}\ncut:\n{cut}\n")
    plan = plan_render(project, folder / "corpus.mp4")
    output = render(plan).output
    samples, rate = audio_samples(output)
    return {"output": output, "frames": read_frames(output), "samples": samples, "rate": rate, "folder": folder}


def _quoted(path: Path) -> str:
    return '"' + str(path).replace("\\", "\\\\").replace('"', '\\"') + '"'


def reference_picture(path: Path, at: float, size: tuple[int, int], folder: Path) -> np.ndarray:
    """What ffmpeg shows at `at` seconds (display matrix applied), scaled to `size`.

    Decoded from the start (output seeking), never by an input seek, which lands on a later
    keyframe in MPEG-TS.
    """
    from PIL import Image

    target = folder / f"ref_{path.stem}.png"
    done = subprocess.run(
        [ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", str(path), "-ss", f"{at:.6f}",
         "-frames:v", "1", "-vf", f"scale={size[0]}:{size[1]}:flags=area", "-pix_fmt", "rgb24", str(target)],
        capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return np.asarray(Image.open(target).convert("RGB"))


def grid(picture: np.ndarray, cells: int = 6) -> np.ndarray:
    """Mean colour of each cell of a coarse grid: compares layout, not compression detail."""
    height, width = picture.shape[:2]
    return np.array([[picture[r * height // cells:(r + 1) * height // cells,
                              c * width // cells:(c + 1) * width // cells].reshape(-1, 3).mean(axis=0)
                      for c in range(cells)] for r in range(cells)])


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if samples.size else 0.0


def source_rms(path: Path, start: float, seconds: float) -> float | None:
    """RMS of the file's own first audio stream over [start, start + seconds) from its start; None without audio."""
    import av

    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        origin = (container.start_time or 0) / 1_000_000
        low, high = origin + start, origin + start + seconds
        chunks = []
        for frame in container.decode(container.streams.audio[0]):
            data = frame.to_ndarray()
            if frame.format.is_packed:
                data = data.reshape(-1, len(frame.layout.channels)).T
            if np.issubdtype(data.dtype, np.integer):
                data = data / float(np.iinfo(data.dtype).max + 1)
            times = float(frame.time) + np.arange(data.shape[1]) / frame.sample_rate
            chunks.append(data[:, (times >= low) & (times < high)])
            if float(frame.time) > high:
                break
        return rms(np.concatenate(chunks, axis=1))


def event_frames(film: dict[str, object], name: str) -> list[np.ndarray]:
    index = NAMES.index(name)
    frames = film["frames"]
    assert isinstance(frames, list)
    return frames[index * EVENT:(index + 1) * EVENT]


def test_the_corpus_is_there() -> None:
    assert len(FILES) >= 17, f"expected the 17 media files of SOURCES.md in {MEDIA_DIR}"


def test_film_has_exactly_one_event_of_frames_per_file(film: dict[str, object]) -> None:
    output = film["output"]
    assert isinstance(output, Path)
    assert count_video_frames(output) == len(FILES) * EVENT
    assert len(film["frames"]) == len(FILES) * EVENT  # type: ignore[arg-type]
    info = probe(output)
    assert info.video is not None and (info.video.width, info.video.height, info.video.pix_fmt) == (W, H, "yuv420p")
    assert info.audio is not None and (info.audio.rate, info.audio.channels) == (48000, 2)
    assert abs(info.duration - Fraction(len(FILES) * EVENT, FPS)) < Fraction(1, FPS)


@pytest.mark.parametrize("name", NAMES)
def test_file_is_probed_sanely(name: str) -> None:
    path = MEDIA_DIR / name
    info = probe(path)
    assert info.video is not None
    assert 0 < info.duration < 3600
    if name in DURATION:
        assert float(info.duration) == pytest.approx(DURATION[name], abs=0.1)
    if name in DISPLAY_ASPECT:
        assert info.video.display_aspect == DISPLAY_ASPECT[name]


@pytest.mark.parametrize("name", NAMES)
def test_event_shows_the_source_upright_and_fitted(film: dict[str, object], name: str) -> None:
    path = MEDIA_DIR / name
    x, y, w, h = picture_box(path, probe(path))
    frames = event_frames(film, name)
    assert len(frames) == EVENT

    for number, frame in enumerate(frames):
        picture = frame[y:y + h, x:x + w]
        if name == CHROME:
            assert picture.max() > 0, f"frame {number} is empty"  # dark webcam, but decoded
        else:
            assert picture.max() > 60, f"frame {number} of the event is black"
        # Outside the fitted box only bars (one pixel of slack: 4:2:0 puts a box edge on an even pixel).
        bars = frame.copy()
        bars[max(0, y - 1):y + h + 1, max(0, x - 1):x + w + 1] = 0
        assert bars.max() <= 24, f"frame {number}: picture outside the box {x, y, w, h}"

    reference = reference_picture(path, in_point(path), (w, h), Path(film["folder"]))  # type: ignore[arg-type]
    first = frames[0][y:y + h, x:x + w].astype(float)
    difference = np.abs(grid(first) - grid(reference.astype(float))).mean()
    assert difference < 5, f"the first frame does not look like the source at its in point (grid difference {difference:.1f})"
    assert np.abs(first.mean(axis=(0, 1)) - reference.mean(axis=(0, 1))).max() < 6


@pytest.mark.parametrize("name", sorted(PORTRAIT))
def test_portrait_file_is_pillarboxed(film: dict[str, object], name: str) -> None:
    if name not in NAMES:
        pytest.skip(f"{name} is not in the corpus")
    x, _, w, _ = picture_box(MEDIA_DIR / name, probe(MEDIA_DIR / name))
    assert w < W / 2 and x > W / 4
    for frame in event_frames(film, name):
        assert frame[:, : x - 2].max() <= 16 and frame[:, x + w + 2 :].max() <= 16, "no black bars left and right"
        assert frame[:, W // 2 - 10 : W // 2 + 10].mean() > 40, "no picture in the middle"


@pytest.mark.parametrize("name", NAMES)
def test_event_sound_is_the_source_sound(film: dict[str, object], name: str) -> None:
    """Files without audio give digital silence; the others keep their level (within a pan law)."""
    samples, rate = film["samples"], film["rate"]
    assert isinstance(samples, np.ndarray) and isinstance(rate, int)
    index = NAMES.index(name)
    margin = 0.04  # AAC spreads a cut's edge over a few ms; measure inside the event
    start, end = index * EVENT / FPS + margin, (index + 1) * EVENT / FPS - margin
    rendered = rms(samples[:, round(start * rate):round(end * rate)])
    source = source_rms(MEDIA_DIR / name, in_point(MEDIA_DIR / name) + margin, end - start)
    if source is None or source < 1e-5:
        assert rendered < 1e-4
    elif source > 3e-3:
        # Mono sources are panned to the centre of stereo at -3 dB.
        assert abs(20 * math.log10(rendered / source)) < 4.5, f"source RMS {source:.4f}, rendered {rendered:.4f}"


@pytest.mark.parametrize("name", NAMES)
def test_file_alone_in_a_crossfaded_cut(tmp_path: Path, name: str) -> None:
    """The file cut against itself with a crossfade (two decoders of one file, xfade, acrossfade)."""
    path = MEDIA_DIR / name
    start = in_point(path)
    project = write_project(tmp_path, f"""
        filmkit: 1
        title: Alone
        format: {{size: 160x90, fps: 25}}
        media: {{clip: {_quoted(path)}}}
        cut:
          - media: clip
            in: {start}
            duration: "00:00:00:06"
          - media: clip
            in: {start + 0.04}
            duration: "00:00:00:06"
            transition: {{type: crossfade, duration: "00:00:00:02"}}
    """)
    output = render(plan_render(project, tmp_path / "alone.mp4")).output
    assert count_video_frames(output) == 10
    info = probe(output)
    assert info.audio is not None and info.video is not None and (info.video.width, info.video.height) == (160, 90)
    frames = read_frames(output)
    assert len(frames) == 10
    if name != CHROME:
        assert all(frame.max() > 60 for frame in frames)
