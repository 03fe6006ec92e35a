"""Cuts are frame-exact: proven by reading which source frame each output frame shows.

Counter clips carry their frame number in their luma (4*n + 16) and their identity in their
chroma (A is neutral grey, B is tinted), so a decoded pixel says "clip B, frame 10".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import COUNTER_STEP, make_tinted_counter_clip, read_planes, write_project
from filmkit.media.probe import count_video_frames, probe
from filmkit.render.plan import plan_render
from filmkit.render.run import render

A_CHROMA, B_CHROMA = (128, 128), (170, 90)


def which(frame: tuple[float, float, float]) -> tuple[str, int]:
    """("A" or "B" or "red", source frame index) for a decoded frame's centre."""
    y, u, v = frame
    if abs(u - A_CHROMA[0]) < 6 and abs(v - A_CHROMA[1]) < 6:
        name = "A"
    elif abs(u - B_CHROMA[0]) < 6 and abs(v - B_CHROMA[1]) < 6:
        name = "B"
    else:
        return ("mix", -1) if 100 < v < 240 and u < 170 else ("other", -1)
    return name, round((y - 16) / COUNTER_STEP)


def is_red(frame: tuple[float, float, float]) -> bool:
    y, u, v = frame
    return v > 200 and u < 120


@pytest.fixture(scope="module", params=["25", "30000/1001"], ids=["25fps", "29.97fps"])
def edit(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    rate = request.param
    folder = tmp_path_factory.mktemp("accuracy")
    make_tinted_counter_clip(folder / "a.mp4", frames=50, rate=rate, cb=A_CHROMA[0], cr=A_CHROMA[1])
    make_tinted_counter_clip(folder / "b.mp4", frames=50, rate=rate, cb=B_CHROMA[0], cr=B_CHROMA[1])
    nominal = 30 if rate == "30000/1001" else 25

    def tc(frames: int) -> str:
        return f'"00:00:{frames // nominal:02d}:{frames % nominal:02d}"'

    project = write_project(folder, f"""
        filmkit: 1
        title: Accuracy
        format: {{size: 64x64, fps: "{rate}"}}
        media: {{a: a.mp4, b: b.mp4}}
        cut:
          - media: a                  # record 0-24: A5..A29
            in: {tc(5)}
            out: {tc(30)}
          - media: b                  # record 25-44: B10..B29 (straight cut)
            in: {tc(10)}
            duration: {tc(20)}
          - media: a                  # starts at 35: 10-frame crossfade B20..B29 x A2..A11, then A12..A31
            in: {tc(2)}
            out: {tc(32)}
            transition: {{type: crossfade, duration: {tc(10)}}}
          - color: "#ff0000"          # starts at 61: 4-frame dip from A28..A31 to red, red to 70
            duration: {tc(10)}
            transition: {{type: dip, duration: {tc(4)}}}
    """)
    return project, rate


@pytest.fixture(scope="module")
def rendered(edit: tuple[Path, str]) -> tuple[Path, list[tuple[float, float, float]], str]:
    project, rate = edit
    plan = plan_render(project)
    result = render(plan)
    return result.output, read_planes(result.output), rate


def test_output_has_exactly_the_record_duration_in_frames(rendered) -> None:  # type: ignore[no-untyped-def]
    output, frames, rate = rendered
    # A 25 + B 20 + A 30 - 10 + red 10 - 4 = 71 frames, at either rate
    assert count_video_frames(output) == 71
    assert len(frames) == 71
    info = probe(output)
    assert info.video is not None and str(info.video.rate) == rate.replace("/1", "/1")


def test_first_event_starts_on_its_in_frame_and_ends_before_the_cut(rendered) -> None:  # type: ignore[no-untyped-def]
    _, frames, _ = rendered
    assert which(frames[0]) == ("A", 5)
    assert which(frames[24]) == ("A", 29)


def test_straight_cut_lands_on_the_exact_frame(rendered) -> None:  # type: ignore[no-untyped-def]
    _, frames, _ = rendered
    assert which(frames[25]) == ("B", 10)
    assert which(frames[34]) == ("B", 19)


def test_crossfade_overlaps_exactly_its_frames(rendered) -> None:  # type: ignore[no-untyped-def]
    _, frames, _ = rendered
    # xfade's first frame is still all of the outgoing clip; its last blended frame is 44
    assert which(frames[35]) == ("B", 20)
    share_of_b = [(frames[i][1] - A_CHROMA[0]) / (B_CHROMA[0] - A_CHROMA[0]) for i in range(35, 46)]
    assert share_of_b[0] > 0.97 and share_of_b[-1] < 0.03
    assert all(0.02 < share < 0.98 for share in share_of_b[1:-1]), share_of_b
    assert all(later < earlier for earlier, later in zip(share_of_b, share_of_b[1:])), share_of_b
    assert which(frames[45]) == ("A", 12)
    assert which(frames[60]) == ("A", 27)


def test_dip_goes_through_black_to_the_slate(rendered) -> None:  # type: ignore[no-untyped-def]
    _, frames, _ = rendered
    assert which(frames[61]) == ("A", 28)
    middle_luma = frames[63][0]
    assert middle_luma < frames[61][0] - 20, "the dip darkens towards black in its middle"
    assert all(is_red(frames[i]) for i in range(65, 71))


def test_audio_lasts_the_record_duration(rendered) -> None:  # type: ignore[no-untyped-def]
    output, _, rate = rendered
    from fractions import Fraction

    from conftest import audio_samples

    samples, sample_rate = audio_samples(output)
    expected = Fraction(71) / Fraction(rate) * sample_rate
    # AAC codes whole 1024-sample frames; decoders return the padded tail
    assert expected <= samples.shape[1] < expected + 2048
