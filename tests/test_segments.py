"""Long films render in segments (flat memory) and come out identical to a single-process render.

A cut of many shots is split where no transition runs; each segment is its own ffmpeg graph,
the sound is mixed in one pass, and the segments are joined without re-encoding. The proof
is a film of counter clips rendered both ways: every frame and every sample must match.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from conftest import audio_samples, counter_index, ffmpeg, make_counter_clip, read_frames, write_project
import filmkit.render.run as render_module
from filmkit.project import build_timeline, load_project
from filmkit.project.segments import split_timeline
from filmkit.render.plan import plan_render
from filmkit.render.run import render, renders_in_segments

SUBS = "1\n00:00:01,000 --> 00:00:03,000\nAcross a boundary.\n\n2\n00:00:04,000 --> 00:00:05,500\nThe end.\n"


def long_project(folder: Path, shots: int = 16) -> Path:
    make_counter_clip(folder / "n.mp4", frames=50)
    ffmpeg("-f", "lavfi", "-i", "sine=f=440:d=12:r=48000", "-ac", "2", "-c:a", "aac", str(folder / "tone.m4a"))
    events = []
    for index in range(shots):
        transition = "\n    transition: {type: crossfade, duration: 0.12}" if index % 3 == 1 else ""
        events.append(f"  - media: n\n    in: {(index % 5) * 0.2}\n    duration: 0.4{transition}")
    (folder / "subs").mkdir(exist_ok=True)
    (folder / "subs" / "en.srt").write_text(SUBS, encoding="utf-8")
    return write_project(folder, "filmkit: 1\ntitle: Long\nformat: {size: 192x108, fps: 25}\nmedia: {n: n.mp4}\ncut:\n"
                         + "\n".join(events) + """
music:
  - file: tone.m4a
    gain_db: -20
subtitles: {dir: subs}
card:
  duration: 1
  fade: 0.2
  text: {en: {tagline: Love}}
""")


def test_segments_cut_only_where_no_transition_runs(tmp_path: Path) -> None:
    timeline = build_timeline(load_project(long_project(tmp_path)))
    segments = split_timeline(timeline, 6)
    assert len(segments) == 3
    busy = [(c.record_start, c.record_start + c.join.frames) for c in timeline.clips if c.join]
    for segment in segments[1:]:
        assert not any(start < segment.start < end for start, end in busy)
    assert [s.start for s in segments] == sorted(s.start for s in segments)
    assert sum(s.timeline.cut_frames for s in segments) == timeline.cut_frames
    assert segments[-1].timeline.card == timeline.card and all(s.timeline.card is None for s in segments[:-1])
    assert all(s.timeline.music == () for s in segments)
    # a shot split at a boundary goes on from the very next source frame
    for left, right in zip(segments, segments[1:]):
        before, after = left.timeline.clips[-1], right.timeline.clips[0]
        if after.join is None and before.index == after.index:
            assert after.src_in == before.src_in + before.frames


def test_a_short_cut_is_one_segment(tmp_path: Path) -> None:
    timeline = build_timeline(load_project(long_project(tmp_path, shots=4)))
    assert [s.start for s in split_timeline(timeline, 6)] == [0]


def test_segmented_render_matches_a_single_process_frame_for_frame(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = long_project(tmp_path)
    plan = plan_render(project, tmp_path / "segmented.mp4", lang="en")
    assert renders_in_segments(plan)
    segmented = render(plan).output
    assert not list(tmp_path.glob(".*filmkit-part*")), "segment files are removed"
    monkeypatch.setattr(render_module, "SEGMENT_ABOVE", 1000)
    whole = render(plan_render(project, tmp_path / "whole.mp4", lang="en")).output
    a, b = read_frames(segmented), read_frames(whole)
    assert len(a) == len(b) == plan.timeline.total_frames
    assert [counter_index(f) for f in a[: plan.timeline.cut_frames]] == [counter_index(f) for f in b[: plan.timeline.cut_frames]]
    # the same pictures (subtitles, card) up to encoder noise: segments start their own GOPs
    assert max(float(np.abs(x.astype(int) - y.astype(int)).mean()) for x, y in zip(a, b)) < 1.5
    sound_a, _ = audio_samples(segmented)
    sound_b, _ = audio_samples(whole)
    assert sound_a.shape == sound_b.shape and float(np.abs(sound_a - sound_b).max()) < 1e-4
    # The subtitles are on exactly their frames, the one crossing a segment boundary (1.0-3.0 s)
    # included: compare with the same film rendered without them.
    monkeypatch.setattr(render_module, "SEGMENT_ABOVE", 12)
    bare = read_frames(render(plan_render(project, tmp_path / "bare.mp4")).output)
    cue_frames = set(range(25, 75)) | set(range(100, 138))
    for index in range(plan.timeline.cut_frames):
        changed = int((np.abs(a[index].astype(int) - bare[index].astype(int)) > 30).sum())
        assert (changed > 10) == (index in cue_frames), f"frame {index}: {changed} pixels changed by subtitles"


def test_a_different_output_rate_renders_in_one_process(tmp_path: Path) -> None:
    plan = plan_render(long_project(tmp_path), tmp_path / "x.mp4")
    assert renders_in_segments(plan)
    from dataclasses import replace

    assert not renders_in_segments(replace(plan, spec=replace(plan.spec, fps=Fraction(30))))
