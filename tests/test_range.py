"""Range and draft renders: `render --from --to` shows exactly the full film's frames at those times.

The film is the segment tests' counter film (16 shots, crossfades, a music bed, subtitles, a
card). A range must decode to the same counter frames as the full render at the same record
frames, with the same subtitles, card and sound, whether it starts inside a transition or not.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import audio_samples, counter_index, read_frames
from filmkit.render.plan import plan_render
from filmkit.render.range import FrameRange, draft_plan, parse_range, render_range, window_bounds
from filmkit.render.run import render
from test_segments import long_project


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[np.ndarray], np.ndarray]:
    folder = tmp_path_factory.mktemp("range")
    project = long_project(folder)
    whole = render(plan_render(project, folder / "whole.mp4", lang="en")).output
    sound, _ = audio_samples(whole)
    return project, read_frames(whole), sound


def _range(project: Path, first: int, last: int, target: Path) -> tuple[list[np.ndarray], np.ndarray]:
    plan = plan_render(project, target, lang="en")
    result = render_range(plan, FrameRange(first, last))
    assert result.frames == last - first
    sound, _ = audio_samples(result.output)
    return read_frames(result.output), sound


def _same_as_full(full: list[np.ndarray], part: list[np.ndarray], first: int, cut_frames: int) -> None:
    assert len(part) > 0
    counters = [counter_index(frame) for frame in part]
    expected = [counter_index(full[first + i]) for i in range(len(part))]
    in_cut = [i for i in range(len(part)) if first + i < cut_frames]
    assert [counters[i] for i in in_cut] == [expected[i] for i in in_cut]
    # subtitles, transitions and the card as the full film has them, up to encoder noise
    worst = max(float(np.abs(a.astype(int) - full[first + i].astype(int)).mean()) for i, a in enumerate(part))
    assert worst < 1.5, worst


def test_a_range_starting_inside_a_transition_matches_the_full_render(film, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project, full, full_sound = film
    plan = plan_render(project, tmp_path / "x.mp4", lang="en")
    timeline = plan.timeline
    crossing = next(clip for clip in timeline.clips if clip.join and clip.record_start > 20)
    first = crossing.record_start + 1  # inside the crossfade: it must be rendered whole and trimmed
    later = next(clip for clip in timeline.clips if clip.join and clip.record_start > first + 10)
    last = later.record_start + later.join.frames + 5  # a whole transition inside the range
    assert window_bounds(timeline, FrameRange(first, last))[0] < first
    part, sound = _range(project, first, last, tmp_path / "part.mp4")
    assert len(part) == last - first
    _same_as_full(full, part, first, timeline.cut_frames)
    # the sound is the full film's at those times (music and all), up to AAC noise
    rate = timeline.audio_rate
    start = timeline.sample_at(first)
    samples = timeline.sample_at(last) - start
    assert samples <= sound.shape[1] < samples + 2048
    difference = sound[:, 2048:samples - 2048] - full_sound[:, start + 2048:start + samples - 2048]
    assert float(np.sqrt((difference ** 2).mean())) < 0.01 and rate == 48000


def test_a_range_reaching_into_the_card_matches_the_full_render(film, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project, full, _ = film
    timeline = plan_render(project, tmp_path / "x.mp4", lang="en").timeline
    first, last = timeline.cut_frames - 12, timeline.total_frames
    part, _ = _range(project, first, last, tmp_path / "card.mp4")
    assert len(part) == last - first
    _same_as_full(full, part, first, timeline.cut_frames)


def test_a_range_on_a_straight_frame_starts_on_that_frame(film, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project, full, _ = film
    part, _ = _range(project, 7, 19, tmp_path / "early.mp4")
    assert counter_index(part[0]) == counter_index(full[7]) and counter_index(part[-1]) == counter_index(full[18])


def test_bad_ranges_exit_2_with_a_message(film, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = film[0]
    for args, words in [(("--from", "2", "--to", "1"), "is not after --from"),
                        (("--from", "00:10:00:00"), "must be before its end"),
                        (("--to", "99"), "give a --to at or before its end"),
                        (("--from", "soon"), "--from soon:")]:
        result = run_cli("render", str(project), *args)
        assert result.exit_code == 2, result
        assert words in result.stderr, result.stderr


def test_draft_range_is_small_fast_and_says_so(film, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = film[0]
    result = run_cli("render", str(project), "--from", "1", "--to", "2", "--draft", "--lang", "en")
    assert result.exit_code == 0, result
    assert "Draft:" in result.stderr and "no loudness normalization" in result.stderr
    made = list((project.parent / "out").glob("*_draft.mp4"))
    assert len(made) == 1 and len(read_frames(made[0])) == 25


def test_draft_plan_is_540_lines_ultrafast_without_loudness(film) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from filmkit.graph import Picture

    plan = plan_render(film[0])
    big = dataclasses.replace(plan, spec=dataclasses.replace(plan.spec, picture=Picture(1920, 1080, box=(0, 0, 1920, 1080))))
    draft = draft_plan(big)
    assert (draft.picture.width, draft.picture.height, draft.picture.box) == (960, 540, (0, 0, 960, 540))
    assert draft.spec.encoding.preset == "ultrafast" and draft.spec.loudness is None
    assert draft.picture.draft and draft.picture.scaler == "fast_bilinear" and not plan.picture.draft
    assert parse_range(plan.timeline, None, None) == FrameRange(0, plan.timeline.total_frames)


def test_a_range_reads_only_the_sound_and_pictures_of_its_window(film) -> None:  # type: ignore[no-untyped-def]
    """A range of a film without loudness normalization does not decode the whole film's sound
    (its sound is still the full film's there: test_a_range_starting_inside_a_transition...)."""
    from filmkit.graph.range import build_range_args
    from filmkit.graph.finish import Version
    from filmkit.project.segments import window_timeline

    plan = plan_render(film[0])
    timeline = plan.timeline
    start, end = window_bounds(timeline, FrameRange(7, 19))
    window = window_timeline(timeline, start, end)
    args = build_range_args(timeline, window, plan.media, [Version(Path("x.mp4"))], plan.spec, start, 7, 19)
    sources = {str(path) for path in plan.media if path.suffix == ".mp4"}
    read = [args[i + 1] for i, arg in enumerate(args) if arg == "-i" and args[i + 1] in sources]
    touched = [clip for clip in timeline.clips if clip.record_start < end and clip.record_end > start]
    assert len(timeline.clips) > 2 * len(touched)
    assert 0 < len(read) <= 2 * len(touched), read  # picture and sound of the window's events only


def test_a_draft_of_a_phone_version_keeps_its_captions_on_screen(film, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A 9:16 version composes picture and caption band in output pixels: the draft scales the
    band with the frame, so each cue is drawn where the layout says, inside the smaller frame."""
    from filmkit.render.plan import plan_single_platform

    plan = plan_single_platform(film[0], "instagram-reel", "en", tmp_path / "reel.mp4", measure=False)
    draft = draft_plan(plan)
    cue = draft.placed()[0]
    left, top, right, bottom = cue.box
    assert 0 <= left < right <= draft.picture.width and 0 <= top < bottom <= draft.picture.height, cue.box
    first = int(cue.cue.start * plan.timeline.fps) + 2
    frame = read_frames(render_range(draft, FrameRange(first, first + 3)).output)[0]
    text = frame[int(top):int(bottom), int(left):int(right)].max(axis=2)
    band = frame[int(bottom) + 4:, :].max(axis=2)
    assert (text > 200).sum() > 30 and (band > 200).sum() < 5  # white letters in the box, none below it
