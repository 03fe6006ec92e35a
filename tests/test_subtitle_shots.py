"""Cues against the cuts of the film (lint code `shot-change`), and where a project's cuts are.

The rules are Netflix's timing guidelines as Subtitle Edit codes them (filmkit/subtitles/shots.py):
at 24 fps, half a second is 12 frames and the snap threshold before a cut is 9 frames."""

from __future__ import annotations

import textwrap
from fractions import Fraction
from pathlib import Path

import pytest

from filmkit.project import build_timeline, load_project
from filmkit.subtitles.lint import lint
from filmkit.subtitles.load import load_subtitles
from filmkit.subtitles.model import Finding
from filmkit.subtitles.shots import half_second, shot_changes
from filmkit.subtitles.timing import format_time

CUT = 48  # frame 48 at 24 fps: 00:00:02,000
SOURCE = "(Netflix Subtitle Timing Guidelines, as Subtitle Edit codes them)"


def shot_findings(tmp_path: Path, first: int, after: int, *, fps: int = 24, cuts: tuple[int, ...] = (CUT,),
                  text: str = "Words.") -> list[Finding]:
    """Lint one cue shown from frame `first` to frame `after` (exclusive) against `cuts`."""
    rate = Fraction(fps)
    start, end = format_time(Fraction(first) / rate, "srt"), format_time(Fraction(after) / rate, "srt")
    path = tmp_path / "en.srt"
    path.write_text(f"1\n{start} --> {end}\n{text}\n", encoding="utf-8")
    findings = lint(load_subtitles(path, lang="en"), lang="en", fps=rate, cuts=cuts)
    return [f for f in findings if f.code == "shot-change"]


def messages(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings]


@pytest.mark.parametrize("fps, frames", [(24, 12), (Fraction(24000, 1001), 12), (25, 13), (30, 15),
                                         (Fraction(30000, 1001), 15), (50, 25), (60, 30)])
def test_half_a_second_scales_with_the_frame_rate(fps: Fraction, frames: int) -> None:
    assert half_second(Fraction(fps)) == frames


@pytest.mark.parametrize("first", [CUT, CUT + 12, CUT - 12, CUT - 30, CUT + 30])
def test_cue_on_the_cut_or_half_a_second_away_is_fine(tmp_path: Path, first: int) -> None:
    assert shot_findings(tmp_path, first, first + 40 if first >= CUT else CUT - 2) == []


def test_in_time_just_after_a_cut_goes_on_it(tmp_path: Path) -> None:
    [finding] = shot_findings(tmp_path, CUT + 5, CUT + 60)
    assert (finding.severity.value, finding.cue, finding.line) == ("warning", 1, 2)
    assert finding.message == ("starts 5 frame(s) after the cut at 00:00:02,000 (frame 48); an in-time less than 12 "
                               "frames (half a second) after a shot change goes on it. Start the cue at 00:00:02,000 "
                               f"(frame 48) {SOURCE}")


def test_in_time_just_before_a_cut_snaps_to_it(tmp_path: Path) -> None:
    assert messages(shot_findings(tmp_path, CUT - 8, CUT + 40)) == [
        "starts 8 frame(s) before the cut at 00:00:02,000 (frame 48), so it is on screen for 8 frame(s) of the outgoing "
        f"shot; an in-time 1-8 frames before a shot change goes on it. Start the cue at 00:00:02,000 (frame 48) {SOURCE}"]


def test_in_time_bridging_a_cut_by_less_than_half_a_second_moves_back(tmp_path: Path) -> None:
    assert messages(shot_findings(tmp_path, CUT - 10, CUT + 40)) == [
        "starts 10 frames before the cut at 00:00:02,000 (frame 48), so it bridges the cut by less than half a second "
        "(12 frames); an in-time 9-11 frames before a shot change goes 12 frames before it. Start the cue at "
        f"00:00:01,500 (frame 36) {SOURCE}"]


@pytest.mark.parametrize("after, where", [
    (CUT, "ends on the cut at 00:00:02,000 (frame 48)"),
    (CUT + 4, "ends 4 frame(s) after the cut at 00:00:02,000 (frame 48), so it bridges the cut by less than half a "
              "second (12 frames)"),
    (CUT - 8, "ends 8 frame(s) before the cut at 00:00:02,000 (frame 48)"),
    (CUT - 1, "ends 1 frame(s) before the cut at 00:00:02,000 (frame 48)"),
])
def test_out_time_near_a_cut_goes_two_frames_before_it(tmp_path: Path, after: int, where: str) -> None:
    assert messages(shot_findings(tmp_path, CUT - 40, after)) == [
        f"{where}; an out-time within 12 frames of a shot change goes 2 frames before it, so the next cue can start on "
        f"the cut. End the cue at 00:00:01,916 (frame 46) {SOURCE}"]


@pytest.mark.parametrize("after", [CUT - 2, CUT - 13, CUT + 12])
def test_out_time_two_frames_before_or_half_a_second_away_is_fine(tmp_path: Path, after: int) -> None:
    assert shot_findings(tmp_path, CUT - 40, after) == []


def test_a_cue_that_starts_on_a_cut_is_not_told_to_end_before_it(tmp_path: Path) -> None:
    assert shot_findings(tmp_path, CUT, CUT + 30) == []


def test_thresholds_scale_with_the_frame_rate(tmp_path: Path) -> None:
    """13 frames after a cut is more than half a second at 24 fps, less at 30 fps (15 frames)."""
    assert shot_findings(tmp_path, 48 + 13, 48 + 60, fps=24) == []
    cut_30 = 60  # 00:00:02,000 at 30 fps
    [finding] = shot_findings(tmp_path, cut_30 + 13, cut_30 + 60, fps=30, cuts=(cut_30,))
    assert "starts 13 frame(s) after the cut at 00:00:02,000 (frame 60); an in-time less than 15 frames" in finding.message


def test_start_and_end_each_against_their_nearest_cut(tmp_path: Path) -> None:
    found = messages(shot_findings(tmp_path, 48 + 3, 96 + 5, cuts=(48, 96)))
    assert len(found) == 2
    assert found[0].startswith("starts 3 frame(s) after the cut at 00:00:02,000 (frame 48)")
    assert found[1].startswith("ends 5 frame(s) after the cut at 00:00:04,000 (frame 96)")
    assert "End the cue at 00:00:03,916 (frame 94)" in found[1]


def test_without_cuts_there_is_no_shot_change_check(tmp_path: Path) -> None:
    path = tmp_path / "en.srt"
    path.write_text("1\n00:00:02,200 --> 00:00:04,000\nWords.\n", encoding="utf-8")
    assert [f.code for f in lint(load_subtitles(path), lang="en", fps=Fraction(24))] == []


# --- the cuts of a project --------------------------------------------------------------------


def test_shot_changes_of_a_timeline(tmp_path: Path) -> None:
    """Straight cuts at the incoming event's first frame, transitions at their midpoint; events that
    continue one another (the next frames of the same media, a slate of the same colour) are one shot."""
    project = tmp_path / "edit.yaml"
    project.write_text(textwrap.dedent("""\
        filmkit: 1
        title: Cuts
        format: {size: 320x180, fps: 24}
        media: {a: a.mp4, b: b.mp4}
        cut:
          - {media: a, in: 0, out: "00:00:02:00"}
          - {media: a, in: "00:00:02:00", out: "00:00:03:00"}
          - {media: b, in: 0, duration: 2}
          - {color: black, duration: 1, transition: {type: crossfade, duration: "00:00:00:10"}}
          - {color: "#000000", duration: 1}
          - {media: a, in: "00:00:03:00", duration: 1}
          - {image: still.png, duration: 1, transition: {type: dip, duration: "00:00:00:07"}}
        """), encoding="utf-8")
    timeline = build_timeline(load_project(project))
    assert [clip.record_start for clip in timeline.clips] == [0, 48, 72, 110, 134, 158, 175]
    # a -> a (continuous): none; a -> b: 72; crossfade 110-119: 115; black -> #000000: none;
    # slate -> a: 158; dip 175-181: 178
    assert shot_changes(timeline) == (72, 115, 158, 178)


def test_a_cut_back_to_earlier_frames_of_the_same_clip_is_a_shot_change(tmp_path: Path) -> None:
    project = tmp_path / "edit.yaml"
    project.write_text(textwrap.dedent("""\
        filmkit: 1
        title: Jump
        format: {size: 320x180, fps: 25}
        media: {a: a.mp4}
        cut:
          - {media: a, in: 0, out: "00:00:02:00"}
          - {media: a, in: "00:00:01:00", out: "00:00:02:00"}
        """), encoding="utf-8")
    assert shot_changes(build_timeline(load_project(project))) == (50,)
