"""Every source is conformed to the project format: proven by decoded pixels and probes.

Sources are tiny and made on the fly: odd aspect ratios, display-matrix rotations, anamorphic
pixels, foreign and variable frame rates, 10-bit, missing/mono/5.1/44.1 kHz audio, stills.
Each test renders a real film and then reads what a player would show.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from conftest import (
    BLACK,
    BLUE,
    GREEN,
    RED,
    WHITE,
    audio_samples,
    counter_index,
    ffmpeg,
    is_color,
    make_clip,
    make_counter_clip,
    mean_color,
    read_frames,
    write_project,
)
from filmkit.graph import fit_inside
from filmkit.media.probe import count_video_frames, probe
from filmkit.render.plan import plan_render
from filmkit.render.run import render

W, H = 160, 90  # the project frame of most tests here


def render_project(folder: Path, body: str) -> Path:
    """Write the edit, render it through the library (plan, run, verify) and return the film."""
    project = write_project(folder, body)
    return render(plan_render(project, folder / "out" / "film.mp4")).output


def one_event(media: str, *, size: str = f"{W}x{H}", fps: str = "25", duration: str = "0.4",
              audio: str = "") -> str:
    """A project that cuts the first `duration` of one source."""
    return f"""
        filmkit: 1
        title: Conform
        format: {{size: {size}, fps: "{fps}"{audio}}}
        media: {{src: {media}}}
        cut:
          - media: src
            in: 0
            duration: {duration}
    """


def picture_span(line: np.ndarray, threshold: int = 60) -> tuple[int, int]:
    """First and one-past-last pixel of a row or column that is not black (the picture)."""
    lit = np.flatnonzero(line.max(axis=-1) > threshold)
    assert lit.size, "the whole line is black"
    return int(lit[0]), int(lit[-1]) + 1


def picture_box(frame: np.ndarray) -> tuple[int, int, int, int]:
    """(x, y, width, height) of the picture inside its black bars, measured on the centre lines."""
    height, width = frame.shape[:2]
    x0, x1 = picture_span(frame[height // 2])
    y0, y1 = picture_span(frame[:, width // 2])
    return x0, y0, x1 - x0, y1 - y0


def expected_box(aspect: Fraction, width: int = W, height: int = H) -> tuple[int, int, int, int]:
    w, h = fit_inside(aspect, width, height)
    return (width - w) // 2, (height - h) // 2, w, h


def assert_box(frame: np.ndarray, expected: tuple[int, int, int, int], tolerance: int = 1) -> None:
    """Bars measured from pixels match the fitted size (4:2:0 chroma may blur one edge pixel)."""
    measured = picture_box(frame)
    assert all(abs(m - e) <= tolerance for m, e in zip(measured, expected)), (
        f"picture (x, y, w, h) = {measured}, expected {expected}"
    )


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if samples.size else 0.0


def db(ratio: float) -> float:
    return 20 * math.log10(ratio)


def split_clip(path: Path, *, size: str = "128x64", extra: tuple[str, ...] = (), vf: str = "") -> Path:
    """Left half red, right half blue: shows which way a picture was turned or stretched."""
    width, height = (int(v) for v in size.split("x"))
    half = f"{width // 2}x{height}"
    graph = f"color=c=red:s={half}:r=25:d=1[a];color=c=blue:s={half}:r=25:d=1[b];[a][b]hstack"
    if vf:
        graph += f",{vf}"
    ffmpeg("-f", "lavfi", "-i", graph, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           *extra, str(path))
    return path


# --- size: fitted inside the frame, never cropped or stretched -----------------------------------


@pytest.mark.parametrize(
    ("size", "aspect"),
    [
        ("120x90", Fraction(4, 3)),  # 4:3 into 16:9: pillarbox
        ("478x200", Fraction(239, 100)),  # 2.39:1 scope: letterbox
        ("90x160", Fraction(9, 16)),  # 9:16 phone portrait: narrow pillarbox
        ("320x180", Fraction(16, 9)),  # same aspect, larger: fills the frame
        ("96x54", Fraction(16, 9)),  # same aspect, smaller: scaled up to fill
    ],
    ids=["4x3", "2.39x1", "9x16", "16x9-larger", "16x9-smaller"],
)
def test_picture_is_fitted_with_black_bars(tmp_path: Path, size: str, aspect: Fraction) -> None:
    make_clip(tmp_path / "src.mp4", color="yellow", size=size, seconds=1, audio=None)
    film = render_project(tmp_path, one_event("src.mp4"))

    frame = read_frames(film)[0]
    assert_bars(frame, aspect, W, H)


@pytest.mark.parametrize(("size", "aspect"), [("320x180", Fraction(16, 9)), ("120x90", Fraction(4, 3))],
                         ids=["16x9", "4x3"])
def test_landscape_source_in_a_portrait_frame_is_letterboxed(tmp_path: Path, size: str, aspect: Fraction) -> None:
    """A Reels/TikTok-shaped project (9:16) puts a landscape source in the middle, bars above and below."""
    make_clip(tmp_path / "src.mp4", color="yellow", size=size, seconds=1, audio=None)
    film = render_project(tmp_path, one_event("src.mp4", size="90x160"))
    frame = read_frames(film)[0]
    assert frame.shape[:2] == (160, 90)
    assert_bars(frame, aspect, 90, 160)


def assert_bars(frame: np.ndarray, aspect: Fraction, width: int, height: int) -> None:
    """Yellow picture at the fitted size in the middle, black bars over their whole length."""
    x, y, w, h = expected = expected_box(aspect, width, height)
    assert_box(frame, expected)
    assert is_color(mean_color(frame), (255, 255, 0))
    if x >= 4:
        assert is_color(mean_color(frame, (0, 0, (x - 2) / width, 1)), BLACK, 8)
        assert is_color(mean_color(frame, ((x + w + 2) / width, 0, 1, 1)), BLACK, 8)
    if y >= 4:
        assert is_color(mean_color(frame, (0, 0, 1, (y - 2) / height)), BLACK, 8)
        assert is_color(mean_color(frame, (0, (y + h + 2) / height, 1, 1)), BLACK, 8)


# --- rotation: the display matrix of phone clips is applied, as a player does ---------------------


@pytest.mark.parametrize(
    ("rotation", "aspect", "where_red"),
    [
        # ffmpeg's -display_rotation is counter-clockwise: the left (red) half turns to the bottom.
        (90, Fraction(1, 2), "bottom"),
        (270, Fraction(1, 2), "top"),  # -90: clockwise, left half to the top
        (180, Fraction(2, 1), "right"),  # upside down: left half to the right
    ],
)
def test_rotated_clip_is_upright_as_a_player_shows_it(tmp_path: Path, rotation: int, aspect: Fraction,
                                                      where_red: str) -> None:
    split_clip(tmp_path / "coded.mp4")  # coded 128x64 landscape
    ffmpeg("-display_rotation", str(rotation), "-i", str(tmp_path / "coded.mp4"), "-c", "copy",
           str(tmp_path / "phone.mp4"))
    assert probe(tmp_path / "phone.mp4").video.rotation == rotation % 360  # type: ignore[union-attr]

    film = render_project(tmp_path, one_event("phone.mp4"))
    frame = read_frames(film)[0]
    x, y, w, h = expected = expected_box(aspect)
    assert_box(frame, expected)
    if aspect < 1:  # portrait: narrow pillarbox, the halves stacked
        top = mean_color(frame, ((x + w / 4) / W, 0.1, (x + 3 * w / 4) / W, 0.4))
        bottom = mean_color(frame, ((x + w / 4) / W, 0.6, (x + 3 * w / 4) / W, 0.9))
        red_is = "top" if is_color(top, RED) and is_color(bottom, BLUE) else (
            "bottom" if is_color(bottom, RED) and is_color(top, BLUE) else f"neither: top {top}, bottom {bottom}")
    else:
        left = mean_color(frame, (0.1, 0.3, 0.4, 0.7))
        right = mean_color(frame, (0.6, 0.3, 0.9, 0.7))
        red_is = "left" if is_color(left, RED) and is_color(right, BLUE) else (
            "right" if is_color(right, RED) and is_color(left, BLUE) else f"neither: left {left}, right {right}")
    assert red_is == where_red


# --- colour range: a full-range clip (many phones) is converted, not passed through ---------------


@pytest.mark.parametrize("size", ["160x90", "128x64"], ids=["same-size", "scaled"])
def test_full_range_clip_keeps_its_colours_in_a_limited_range_film(tmp_path: Path, size: str) -> None:
    """The scale that fits the picture also converts its range: the film is limited range and
    shows the clip's dark grey as the clip does (left unconverted it would decode darker)."""
    ffmpeg("-f", "lavfi", "-i", f"color=c=0x282828:s={size}:r=25:d=1", "-c:v", "libx264", "-preset", "ultrafast",
           "-pix_fmt", "yuvj420p", "-color_range", "pc", str(tmp_path / "phone.mp4"))
    film = render_project(tmp_path, one_event("phone.mp4"))
    import av

    with av.open(str(film)) as container:
        frame = next(container.decode(video=0))
        assert frame.format.name == "yuv420p" and container.streams.video[0].codec_context.color_range != 2
        luma = frame.to_ndarray(format="yuv420p")[: frame.height].astype(int)
    picture = luma[luma.shape[0] // 4: 3 * luma.shape[0] // 4, W // 3: 2 * W // 3]
    assert abs(float(picture.mean()) - (16 + 40 * 219 / 255)) < 2.5  # full-range 40 in limited range: 50
    grey = mean_color(read_frames(film)[0], (0.4, 0.4, 0.6, 0.6))
    assert all(abs(channel - 40) < 4 for channel in grey), grey


# --- pixel aspect: anamorphic sources are shown at their display aspect ----------------------------


@pytest.mark.parametrize(
    ("sar", "aspect"),
    [
        ("2/1", Fraction(2, 1)),  # 64x64 coded, twice as wide on screen: 2:1, letterboxed
        ("1/2", Fraction(1, 2)),  # tall pixels: 1:2, pillarboxed
        ("11/12", Fraction(11 * 128, 12 * 64)),  # NTSC-DV-like narrow pixels
    ],
    ids=["sar2-1", "sar1-2", "sar11-12"],
)
def test_anamorphic_source_shows_at_its_display_aspect(tmp_path: Path, sar: str, aspect: Fraction) -> None:
    size = "128x64" if sar == "11/12" else "64x64"
    split_clip(tmp_path / "ana.mp4", size=size, vf=f"setsar={sar}")
    assert probe(tmp_path / "ana.mp4").video.display_aspect == aspect  # type: ignore[union-attr]

    film = render_project(tmp_path, one_event("ana.mp4", size="320x180"))
    frame = read_frames(film)[0]
    x, y, w, h = expected = expected_box(aspect, 320, 180)
    assert_box(frame, expected)
    # The stretch is horizontal: red fills the left half of the picture, blue the right.
    middle = y + h // 2
    red_end = int(np.flatnonzero(frame[middle, :, 0] > 128)[-1]) + 1
    assert abs(red_end - (x + w // 2)) <= 2


def test_rotated_anamorphic_source(tmp_path: Path) -> None:
    """SAR applies to the coded picture: 64x64 at 2:1 turned 90 degrees shows 1:2 portrait."""
    split_clip(tmp_path / "coded.mp4", size="64x64", vf="setsar=2/1")
    ffmpeg("-display_rotation", "90", "-i", str(tmp_path / "coded.mp4"), "-c", "copy", str(tmp_path / "phone.mp4"))

    film = render_project(tmp_path, one_event("phone.mp4", size="320x180"))
    frame = read_frames(film)[0]
    assert_box(frame, expected_box(Fraction(1, 2), 320, 180))
    assert is_color(mean_color(frame, (0.45, 0.1, 0.55, 0.4)), BLUE)
    assert is_color(mean_color(frame, (0.45, 0.6, 0.55, 0.9)), RED)


@pytest.mark.parametrize("suffix", [".mp4", ".mkv", ".mov"])
def test_container_pixel_aspect_is_honoured(tmp_path: Path, suffix: str) -> None:
    """SAR set only in the container (mp4/mov `pasp`, Matroska display size), not in the H.264 stream."""
    split_clip(tmp_path / "coded.mp4", size="64x64")
    ffmpeg("-i", str(tmp_path / "coded.mp4"), "-c", "copy", "-aspect", "2:1", str(tmp_path / f"wide{suffix}"))
    film = render_project(tmp_path, one_event(f"wide{suffix}", size="320x180"))
    assert_box(read_frames(film)[0], expected_box(Fraction(2, 1), 320, 180))


# --- frame rate: any source rate, exactly the frames of the record ---------------------------------


@pytest.mark.parametrize("rate", ["50", "30000/1001", "24", "60000/1001", "15"])
def test_foreign_frame_rates_give_exactly_the_record_frames(tmp_path: Path, rate: str) -> None:
    make_clip(tmp_path / "src.mp4", color="blue", size="64x36", rate=rate, seconds=2, audio="stereo")
    film = render_project(tmp_path, """
        filmkit: 1
        title: Rates
        format: {size: 64x36, fps: 25}
        media: {src: src.mp4}
        cut:
          - media: src
            in: 0.3
            duration: "00:00:00:17"
          - color: "#ff0000"
            duration: "00:00:00:03"
          - media: src
            in: "00:00:01:01"
            out: "00:00:01:20"
    """)
    assert count_video_frames(film) == 17 + 3 + 19
    info = probe(film)
    assert info.video is not None and info.video.rate == 25
    assert abs(info.duration - Fraction(39, 25)) < Fraction(1, 50)


@pytest.mark.parametrize(
    ("rate", "first", "second"),
    [
        # (project = source rate, first event's in point, second event's in point)
        ("25", "00:00:00:07", "00:00:01:05"),  # frames 7 and 30
        ("30000/1001", "00:00:01:03", "00:00:00:12"),  # frames 33 and 12 (nominal 30 per second)
        ("24", "00:00:00:07", "00:00:01:06"),  # frames 7 and 30
        ("50", "00:00:00:07", "00:00:00:30"),  # frames 7 and 30
    ],
)
def test_in_point_lands_on_the_first_frame_of_the_event(tmp_path: Path, rate: str, first: str, second: str) -> None:
    make_counter_clip(tmp_path / "count.mp4", frames=50, rate=rate)
    film = render_project(tmp_path, f"""
        filmkit: 1
        title: In points
        format: {{size: 64x64, fps: "{rate}"}}
        media: {{n: count.mp4}}
        cut:
          - media: n
            in: "{first}"
            duration: "00:00:00:10"
          - media: n
            in: "{second}"
            duration: "00:00:00:05"
    """)
    nominal = math.ceil(Fraction(rate))

    def frame_of(tc: str) -> int:
        _, _, seconds, frames = (int(v) for v in tc.split(":"))
        return seconds * nominal + frames

    shown = [counter_index(frame) for frame in read_frames(film)]
    a, b = frame_of(first), frame_of(second)
    assert shown == list(range(a, a + 10)) + list(range(b, b + 5))


@pytest.mark.parametrize(
    ("source_rate", "project_rate", "first_two"),
    [
        ("25", "24", [10, 11]),  # in 0.4 s = record frame 10 at 24 fps = 0.4167 s: source frame 10 is up
        ("25", "30000/1001", [10, 11]),  # in 0.4 s = frame 12 at 29.97 = 0.4004 s: source frame 10
        ("50", "30000/1001", [20, 22]),  # 0.4004 s: source frame 20, then 22 (0.4338 s)
    ],
)
def test_cross_rate_event_starts_on_the_frame_shown_at_its_in_point(
    tmp_path: Path, source_rate: str, project_rate: str, first_two: list[int]
) -> None:
    make_counter_clip(tmp_path / "count.mp4", frames=50, rate=source_rate)
    film = render_project(tmp_path, f"""
        filmkit: 1
        title: Cross rate
        format: {{size: 64x64, fps: "{project_rate}"}}
        media: {{n: count.mp4}}
        cut:
          - media: n
            in: 0.4
            duration: 0.3
    """)
    assert [counter_index(frame) for frame in read_frames(film)][:2] == first_two


def test_double_rate_source_takes_every_other_frame(tmp_path: Path) -> None:
    """50 fps into 25: record frame k at in point i shows source frame 2*(i+k)."""
    make_counter_clip(tmp_path / "count50.mp4", frames=50, rate="50")
    film = render_project(tmp_path, """
        filmkit: 1
        title: Half
        format: {size: 64x64, fps: 25}
        media: {n: count50.mp4}
        cut:
          - media: n
            in: "00:00:00:07"
            duration: "00:00:00:08"
    """)
    assert [counter_index(frame) for frame in read_frames(film)] == [2 * (7 + k) for k in range(8)]


COUNTER_SOURCE = "color=c=black:s=64x64:r=25,geq=lum='4*N+16':cb=128:cr=128"


@pytest.mark.parametrize(
    ("suffix", "codec"),
    [
        (".ts", ("-c:v", "mpeg2video", "-q:v", "1", "-bf", "2", "-g", "12")),  # broadcast / DVB recording
        (".m2ts", ("-c:v", "libx264", "-qp", "0", "-bf", "3", "-g", "12")),  # AVCHD camera file
        (".mpg", ("-c:v", "mpeg2video", "-q:v", "1", "-bf", "2", "-g", "12")),  # MPEG program stream (DVD)
        (".mp4", ("-c:v", "libx264", "-qp", "0", "-bf", "3", "-g", "12")),  # B-frames and an edit list
    ],
    ids=["mpeg2-ts", "h264-m2ts", "mpeg2-ps", "h264-bframes-mp4"],
)
def test_in_point_is_exact_in_streams_without_a_seek_index(tmp_path: Path, suffix: str, codec: tuple[str, ...]) -> None:
    """MPEG-TS/PS have no index: ffmpeg's input seek lands on a later keyframe. The cut must not."""
    src = tmp_path / f"count{suffix}"
    # A 20 ms click at 1.2 s (source frame 30) shows whether the sound stays with the picture.
    ffmpeg("-f", "lavfi", "-i", COUNTER_SOURCE, "-f", "lavfi",
           "-i", "aevalsrc='0.5*sin(2*PI*1000*t)*between(t,1.2,1.22)':s=48000:d=2",
           "-frames:v", "50", *codec, "-pix_fmt", "yuv420p", "-c:a", "mp2" if suffix != ".mp4" else "aac",
           "-t", "2", str(src))
    film = render_project(tmp_path, """
        filmkit: 1
        title: Seek
        format: {size: 64x64, fps: 25}
        media: {n: count%s}
        cut:
          - media: n
            in: "00:00:00:07"
            duration: "00:00:00:06"
          - media: n
            in: "00:00:01:00"
            duration: "00:00:00:12"
    """ % suffix)
    assert [counter_index(frame) for frame in read_frames(film)] == list(range(7, 13)) + list(range(25, 37))
    samples, rate = audio_samples(film)
    loud = np.flatnonzero(np.abs(samples).max(axis=0) > 0.1)
    # Source 1.2 s is record 0.24 + (1.2 - 1.0) = 0.44 s. MPEG muxers start the audio ~10 ms
    # before the first picture, so the in point falls between two frames: half a frame of slack.
    assert loud.size and abs(loud[0] / rate - 0.44) <= 0.02, f"click at {loud[:1] / rate} s, expected 0.44 s"


def test_seek_point_reads_from_a_whole_number_of_frames_before_the_in_point() -> None:
    from filmkit.graph import IMPRECISE_SEEK_PREROLL, SEEK_PREROLL, seek_point
    from filmkit.media.probe import MediaInfo, VideoInfo

    def info(container: str, rate: Fraction = Fraction(24), variable: bool = False) -> MediaInfo:
        video = VideoInfo("h264", 64, 64, Fraction(1), 0, rate, "yuv420p", variable_rate=variable)
        return MediaInfo(path=Path("x"), container=container, duration=Fraction(100), size_bytes=1, video=video, audio=None)

    assert SEEK_PREROLL == 1 and IMPRECISE_SEEK_PREROLL == 10
    # a constant-rate source at the project's rate: straight to the frame, nothing more decoded
    assert seek_point(75, Fraction(25), info("mov", Fraction(25))) == (3, 0)
    # at another rate, or at a variable one, a second of pre-roll
    assert seek_point(75, Fraction(25), info("mov", Fraction(25), variable=True)) == (Fraction(2), Fraction(1))
    assert seek_point(75, Fraction(25), info("mov")) == (Fraction(2), Fraction(1))
    assert seek_point(10, Fraction(25), info("mov")) == (0, Fraction(10, 25))
    assert seek_point(0, Fraction(25), info("mov")) == (0, 0)
    assert seek_point(75, Fraction(25), info("mpegts")) == (0, Fraction(3))
    assert seek_point(1050, Fraction(25), info("mpeg")) == (32, 10)
    # 29.97: one second is 30 frames rounded up, so the skip is exactly 30 record frames
    ntsc = Fraction(30000, 1001)
    assert seek_point(100, ntsc, info("mp4")) == (Fraction(70) / ntsc, Fraction(30) / ntsc)


def test_in_point_far_into_a_transport_stream(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the pre-roll, the TS is input-seeked to before the in point and trimmed in the graph."""
    monkeypatch.setattr("filmkit.graph.cut.IMPRECISE_SEEK_PREROLL", Fraction(1))  # as if the file were long
    src = tmp_path / "long.ts"
    ffmpeg("-f", "lavfi", "-i", "color=c=black:s=64x64:r=25,geq=lum='4*mod(N\\,50)+16':cb=128:cr=128",
           "-f", "lavfi", "-i", "sine=f=440:d=3:r=48000", "-frames:v", "75", "-c:v", "mpeg2video", "-q:v", "1",
           "-bf", "2", "-g", "12", "-pix_fmt", "yuv420p", "-c:a", "mp2", "-t", "3", str(src))
    film = render_project(tmp_path, """
        filmkit: 1
        title: Long TS
        format: {size: 64x64, fps: 25}
        media: {n: long.ts}
        cut:
          - media: n
            in: "00:00:01:20"
            duration: "00:00:00:08"
          - media: n
            in: 0.4
            duration: "00:00:00:03"
    """)
    assert [counter_index(frame) for frame in read_frames(film)] == [45, 46, 47, 48, 49, 0, 1, 2, 10, 11, 12]
    samples, rate = audio_samples(film)
    assert rms(samples[:, int(0.05 * rate):int(0.3 * rate)]) > 0.05  # the sound of the seeked clip is there


def test_variable_frame_rate_source(tmp_path: Path) -> None:
    """Irregular timestamps (like phone clips) still give one frame per record frame, in order."""
    vfr = tmp_path / "vfr.mp4"
    # Frame n at n/25 s plus 0, 10 or 20 ms: deltas of 30, 50 and 60 ms; plus two dropped frames.
    ffmpeg("-f", "lavfi", "-i", "color=c=black:s=64x64:r=25,geq=lum='4*N+16':cb=128:cr=128",
           "-vf", "select='not(eq(n\\,20)+eq(n\\,21))',settb=1/1000,setpts='PTS+0.01*mod(N\\,3)/TB'",
           "-frames:v", "45", "-fps_mode", "passthrough", "-c:v", "libx264", "-qp", "0", "-preset", "ultrafast",
           "-pix_fmt", "yuv444p", str(vfr))
    stamps = _frame_times(vfr)
    deltas = {round(float(b - a), 3) for a, b in zip(stamps, stamps[1:])}
    assert len(deltas) >= 3, f"the source is not variable-rate: {deltas}"

    film = render_project(tmp_path, """
        filmkit: 1
        title: VFR
        format: {size: 64x64, fps: 25}
        media: {v: vfr.mp4}
        cut:
          - media: v
            in: "00:00:00:02"
            duration: "00:00:01:10"
    """)
    assert count_video_frames(film) == 35
    shown = [counter_index(frame) for frame in read_frames(film)]
    assert shown == sorted(shown), "frames out of order"
    # In 0.08 s falls between frame 1 (0.05 s) and frame 2 (0.10 s): either is a fair first frame.
    assert shown[0] in (1, 2) and shown[-1] >= 35


def _frame_times(path: Path) -> list[Fraction]:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return sorted(Fraction(p.pts) * stream.time_base for p in container.demux(stream) if p.pts is not None)


def test_ten_bit_source_renders_8_bit_4_2_0(tmp_path: Path) -> None:
    make_clip(tmp_path / "ten.mp4", color="lime", size="96x54", seconds=1, audio=None,
              extra=("-pix_fmt", "yuv420p10le", "-profile:v", "high10"))
    assert probe(tmp_path / "ten.mp4").video.pix_fmt == "yuv420p10le"  # type: ignore[union-attr]

    film = render_project(tmp_path, one_event("ten.mp4"))
    info = probe(film)
    assert info.video is not None and info.video.pix_fmt == "yuv420p"
    assert is_color(mean_color(read_frames(film)[0]), GREEN)


def test_ten_bit_444_lossless_source(tmp_path: Path) -> None:
    """FFV1 10-bit 4:4:4 in Matroska (an archival master) conforms too."""
    src = tmp_path / "master.mkv"
    ffmpeg("-f", "lavfi", "-i", "color=c=blue:s=90x90:r=25:d=1", "-c:v", "ffv1", "-pix_fmt", "yuv444p10le", str(src))
    film = render_project(tmp_path, one_event("master.mkv"))
    assert probe(film).video.pix_fmt == "yuv420p"  # type: ignore[union-attr]
    frame = read_frames(film)[0]
    assert_box(frame, expected_box(Fraction(1)))
    assert is_color(mean_color(frame), BLUE)


def test_odd_dimensions_are_fitted(tmp_path: Path) -> None:
    """A 161x121 source (odd width and height, as some webcams write) fits with even bars."""
    src = tmp_path / "odd.mkv"
    ffmpeg("-f", "lavfi", "-i", "color=c=yellow:s=161x121:r=25:d=1", "-c:v", "ffv1", "-pix_fmt", "yuv444p", str(src))
    film = render_project(tmp_path, one_event("odd.mkv"))
    assert_box(read_frames(film)[0], expected_box(Fraction(161, 121)))


# --- audio: any layout and rate becomes the project's; no audio becomes silence ----------------------


def test_source_without_audio_gets_exact_silence(tmp_path: Path) -> None:
    make_clip(tmp_path / "mute.mp4", color="blue", size="64x36", seconds=2, audio=None)
    film = render_project(tmp_path, one_event("mute.mp4", duration="1.2"))
    info = probe(film)
    assert info.audio is not None and (info.audio.rate, info.audio.channels) == (48000, 2)
    samples, rate = audio_samples(film)
    assert rate == 48000
    assert abs(samples.shape[1] - 57600) <= 1024  # one AAC frame of padding at most
    assert np.abs(samples).max() < 1e-4


@pytest.mark.parametrize(
    ("layout", "suffix", "codec"),
    [
        ("mono", ".mp4", "aac"),
        ("stereo", ".mp4", "aac"),
        ("5.1", ".mov", "pcm_s16le"),
        ("5.1", ".mkv", "aac"),
        ("5.1(side)", ".mkv", "flac"),
    ],
    ids=["mono-aac", "stereo-aac", "5.1-pcm-mov", "5.1-aac-mkv", "5.1side-flac-mkv"],
)
def test_any_channel_layout_becomes_stereo(tmp_path: Path, layout: str, suffix: str, codec: str) -> None:
    src = tmp_path / f"src{suffix}"
    ffmpeg("-f", "lavfi", "-i", "color=c=red:s=64x36:r=25:d=1", "-f", "lavfi", "-i", "sine=f=440:d=1:r=48000",
           "-af", f"aformat=channel_layouts={layout}", "-c:v", "libx264", "-preset", "ultrafast",
           "-pix_fmt", "yuv420p", "-c:a", codec, "-shortest", str(src))
    assert probe(src).audio.channels == (6 if layout.startswith("5.1") else 1 if layout == "mono" else 2)  # type: ignore[union-attr]

    film = render_project(tmp_path, one_event(src.name, duration="0.8"))
    info = probe(film)
    assert info.audio is not None and (info.audio.rate, info.audio.channels) == (48000, 2)
    samples, _ = audio_samples(film)
    middle = samples[:, 9600:28800]  # 0.2-0.6 s
    for channel in middle:
        assert rms(channel) > 0.02, f"a channel is silent: RMS {[rms(c) for c in middle]}"


def test_late_audio_stays_in_sync(tmp_path: Path) -> None:
    """Audio that starts 0.5 s after the picture (as muxed) is silence for 0.5 s, not pulled early."""
    src = tmp_path / "late.mp4"
    ffmpeg("-f", "lavfi", "-i", COUNTER_SOURCE, "-itsoffset", "0.5", "-f", "lavfi", "-i", "sine=f=440:d=1.5:r=48000",
           "-frames:v", "50", "-c:v", "libx264", "-qp", "0", "-preset", "ultrafast", "-pix_fmt", "yuv444p",
           "-c:a", "aac", "-t", "2", str(src))
    film = render_project(tmp_path, one_event("late.mp4", size="64x64", duration="1.2"))
    samples, rate = audio_samples(film)
    assert rms(samples[:, : int(0.45 * rate)]) < 1e-3
    assert rms(samples[:, int(0.55 * rate) : int(1.1 * rate)]) > 0.03
    assert [counter_index(f) for f in read_frames(film)] == list(range(30))


def test_late_picture_stays_in_sync(tmp_path: Path) -> None:
    """A picture that starts 0.4 s after the sound holds its first frame until then, then plays in step."""
    src = tmp_path / "late.mp4"
    ffmpeg("-itsoffset", "0.4", "-f", "lavfi", "-i", COUNTER_SOURCE, "-f", "lavfi", "-i", "sine=f=440:d=2:r=48000",
           "-frames:v", "40", "-c:v", "libx264", "-qp", "0", "-preset", "ultrafast", "-pix_fmt", "yuv444p",
           "-c:a", "aac", str(src))
    film = render_project(tmp_path, one_event("late.mp4", size="64x64", duration="1.2"))
    shown = [counter_index(f) for f in read_frames(film)]
    assert shown[10:] == list(range(20)), "source frame k (at 0.4 + k/25 s) must be record frame 10 + k"
    assert set(shown[:10]) == {0}


def test_audio_shorter_than_the_event_is_padded_with_silence(tmp_path: Path) -> None:
    src = tmp_path / "short.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=c=red:s=64x36:r=25:d=2", "-f", "lavfi", "-i", "sine=f=440:d=0.6:r=48000",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", str(src))
    film = render_project(tmp_path, one_event("short.mp4", duration="1.6"))
    samples, rate = audio_samples(film)
    assert abs(samples.shape[1] - int(1.6 * rate)) <= 1024
    assert rms(samples[:, int(0.1 * rate) : int(0.5 * rate)]) > 0.05
    assert rms(samples[:, int(0.75 * rate) :]) < 1e-3
    assert count_video_frames(film) == 40


def test_44100_hz_source_becomes_48000(tmp_path: Path) -> None:
    make_clip(tmp_path / "cd.mp4", size="64x36", seconds=1, extra=("-ar", "44100"))
    assert probe(tmp_path / "cd.mp4").audio.rate == 44100  # type: ignore[union-attr]
    film = render_project(tmp_path, one_event("cd.mp4", duration="0.8"))
    info = probe(film)
    assert info.audio is not None and (info.audio.rate, info.audio.channels) == (48000, 2)
    samples, _ = audio_samples(film)
    assert rms(samples[:, 4800:33600]) > 0.05
    # Still a 440 Hz tone: resampled, not just relabelled (which would shift its pitch).
    spectrum = np.abs(np.fft.rfft(samples[0, 4800:33600]))
    peak = np.argmax(spectrum) * 48000 / 28800
    assert abs(peak - 440) < 5


def test_mono_project(tmp_path: Path) -> None:
    make_clip(tmp_path / "st.mp4", size="64x36", seconds=1, audio="stereo")
    film = render_project(tmp_path, one_event("st.mp4", duration="0.8", audio=", audio: {channels: 1}"))
    info = probe(film)
    assert info.audio is not None and (info.audio.rate, info.audio.channels) == (48000, 1)
    samples, _ = audio_samples(film)
    assert samples.shape[0] == 1 and rms(samples[:, 4800:33600]) > 0.05


def test_44100_hz_project(tmp_path: Path) -> None:
    make_clip(tmp_path / "st.mp4", size="64x36", seconds=1, audio="stereo")
    film = render_project(tmp_path, one_event("st.mp4", duration="0.8", audio=", audio: {rate: 44100}"))
    info = probe(film)
    assert info.audio is not None and (info.audio.rate, info.audio.channels) == (44100, 2)


# --- stills and slates -----------------------------------------------------------------------------


def _bordered_png(path: Path, size: tuple[int, int], color: str = "#00ff00") -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).rectangle((20, 20, size[0] - 21, size[1] - 21), fill=color)
    image.save(path)
    return path


@pytest.mark.parametrize(("size", "aspect"), [((400, 400), Fraction(1)), ((600, 200), Fraction(3))],
                         ids=["square", "wide"])
def test_still_is_fitted_and_lasts_its_duration(tmp_path: Path, size: tuple[int, int], aspect: Fraction) -> None:
    _bordered_png(tmp_path / "still.png", size)
    film = render_project(tmp_path, """
        filmkit: 1
        title: Still
        format: {size: 160x90, fps: 25}
        cut:
          - color: "#ff0000"
            duration: "00:00:00:05"
          - image: still.png
            duration: 1.0
          - color: "#0000ff"
            duration: "00:00:00:05"
    """)
    frames = read_frames(film)
    assert len(frames) == count_video_frames(film) == 35
    kinds = ["red" if is_color(mean_color(f), RED) else "green" if is_color(mean_color(f), GREEN)
             else "blue" if is_color(mean_color(f), BLUE) else "?" for f in frames]
    assert kinds == ["red"] * 5 + ["green"] * 25 + ["blue"] * 5
    x, y, w, h = expected = expected_box(aspect)
    assert_box(frames[10], expected)
    # The white border survives at the picture's edges (scaled from 20 px of the PNG).
    border = max(1, round(20 * w / size[0]))
    edge = frames[10][y + h // 2, x : x + max(1, border - 1)]
    assert edge.min() > 180, f"no white border at the left edge: {edge}"


def test_phone_photo_is_shown_as_its_exif_orientation_says(tmp_path: Path) -> None:
    """A JPEG stored landscape with EXIF Orientation 6 (turn 90 degrees clockwise) is a portrait photo."""
    from PIL import Image, ImageOps

    image = Image.new("RGB", (200, 100), "blue")
    image.paste(Image.new("RGB", (100, 100), "red"), (0, 0))  # stored: red on the left
    exif = Image.Exif()
    exif[0x0112] = 6
    image.save(tmp_path / "photo.jpg", exif=exif.tobytes())
    upright = ImageOps.exif_transpose(Image.open(tmp_path / "photo.jpg"))
    assert upright.size == (100, 200) and is_color(upright.getpixel((50, 20)), RED)  # what a viewer shows

    film = render_project(tmp_path, """
        filmkit: 1
        title: Photo
        format: {size: 160x90, fps: 25}
        cut:
          - image: photo.jpg
            duration: 0.4
    """)
    frame = read_frames(film)[0]
    assert_box(frame, expected_box(Fraction(1, 2)))
    assert is_color(mean_color(frame, (0.45, 0.1, 0.55, 0.4)), RED)
    assert is_color(mean_color(frame, (0.45, 0.6, 0.55, 0.9)), BLUE)


@pytest.mark.parametrize(("loop", "expected"), [
    (None, "R" * 25),  # a one-frame GIF (a logo): held for the whole event
    (0, "RRRRRBBBBB" * 2 + "RRRRR"),  # an animated GIF that loops forever, 0.2 s per frame: loops
], ids=["still", "looping"])
def test_gif_image_event(tmp_path: Path, loop: int | None, expected: str) -> None:
    """GIFs are read by ffmpeg's gif demuxer, which has no image2 `loop` option."""
    from PIL import Image

    red, blue = Image.new("RGB", (120, 90), "red"), Image.new("RGB", (120, 90), "blue")
    if loop is None:
        red.save(tmp_path / "logo.gif")
    else:
        red.save(tmp_path / "logo.gif", save_all=True, append_images=[blue], duration=200, loop=loop)
    film = render_project(tmp_path, """
        filmkit: 1
        title: GIF
        format: {size: 160x90, fps: 25}
        cut:
          - image: logo.gif
            duration: 1.0
    """)
    frames = read_frames(film)
    shown = "".join("R" if is_color(mean_color(f), RED) else "B" if is_color(mean_color(f), BLUE) else "?" for f in frames)
    assert shown == expected
    assert_box(frames[0], expected_box(Fraction(4, 3)))


def test_still_with_alpha_and_odd_size(tmp_path: Path) -> None:
    """An RGBA PNG of odd size (a logo export) renders like any still."""
    from PIL import Image

    Image.new("RGBA", (301, 151), (255, 0, 0, 255)).save(tmp_path / "logo.png")
    film = render_project(tmp_path, """
        filmkit: 1
        title: Logo
        format: {size: 160x90, fps: 25}
        cut:
          - image: logo.png
            duration: 0.4
    """)
    frame = read_frames(film)[0]
    assert count_video_frames(film) == 10
    assert_box(frame, expected_box(Fraction(301, 151)))
    assert is_color(mean_color(frame), RED)


@pytest.mark.parametrize(("color", "rgb"), [("#ff0000", RED), ("white", WHITE), ("#000000", BLACK),
                                            ("#2080c0", (0x20, 0x80, 0xC0))])
def test_color_slate_is_its_colour(tmp_path: Path, color: str, rgb: tuple[int, int, int]) -> None:
    film = render_project(tmp_path, f"""
        filmkit: 1
        title: Slate
        format: {{size: 160x90, fps: 25}}
        cut:
          - color: "{color}"
            duration: "00:00:00:06"
    """)
    frames = read_frames(film)
    assert len(frames) == 6
    for frame in frames:
        assert is_color(mean_color(frame, (0, 0, 1, 1)), rgb, 8)


# --- gain and music ----------------------------------------------------------------------------------


def test_gain_db_lowers_the_event_audio(tmp_path: Path) -> None:
    make_clip(tmp_path / "a" / "tone.mp4", size="64x36", seconds=1)
    make_clip(tmp_path / "b" / "tone.mp4", size="64x36", seconds=1)
    body = one_event("tone.mp4", duration="0.8")
    loud = render_project(tmp_path / "a", body)
    quiet = render_project(tmp_path / "b", body.rstrip() + "\n            gain_db: -12\n")
    loud_rms = rms(audio_samples(loud)[0][:, 4800:33600])
    quiet_rms = rms(audio_samples(quiet)[0][:, 4800:33600])
    assert loud_rms > 0.05
    assert db(quiet_rms / loud_rms) == pytest.approx(-12, abs=0.5)


def test_music_bed_is_mixed_under_a_silent_cut(tmp_path: Path) -> None:
    make_clip(tmp_path / "mute.mp4", color="blue", size="64x36", seconds=3, audio=None)
    # Stereo bed with the tone at full level in both channels (a mono bed would be panned -3 dB).
    ffmpeg("-f", "lavfi", "-i", "sine=f=330:d=4:r=44100", "-af", "pan=stereo|c0=c0|c1=c0", str(tmp_path / "theme.wav"))
    film = render_project(tmp_path, """
        filmkit: 1
        title: Bed
        format: {size: 64x36, fps: 25}
        media: {mute: mute.mp4}
        cut:
          - media: mute
            in: 0
            duration: 1.0
          - color: "#000000"
            duration: 1.0
        music:
          - file: theme.wav
            start: 1.0
            gain_db: -6
            fade_in: 0.4
    """)
    assert count_video_frames(film) == 50
    info = probe(film)
    assert abs(info.duration - 2) < Fraction(1, 25)
    samples, rate = audio_samples(film)
    assert rate == 48000 and abs(samples.shape[1] - 96000) <= 1024

    def window(a: float, b: float) -> float:
        return rms(samples[:, int(a * rate) : int(b * rate)])

    assert window(0.0, 0.95) < 1e-3  # nothing before the bed starts
    full = window(1.5, 1.95)
    # sine's amplitude is 1/8 (RMS 0.0884); -6 dB on top of that
    assert db(full / (0.125 / math.sqrt(2))) == pytest.approx(-6, abs=1)
    assert window(1.0, 1.1) < full / 2, "no fade in"
    assert window(1.2, 1.3) > window(1.05, 1.15)
