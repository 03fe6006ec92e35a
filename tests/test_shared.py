"""Language versions that share their pictures come out as a render without sharing would.

A film of counter clips with English and Arabic subtitles on part of it is rendered for a tiny
platform twice: with shared pieces (the stretches without text encoded once) and through
today's single process. Every frame must decode to the same counter, within encoder noise
(PSNR >= 35 dB), pass the preset's verification, and the two languages may differ only inside
their cues' boxes while a cue shows.
"""

from __future__ import annotations

import dataclasses
import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from conftest import counter_index, make_clip, make_counter_clip, read_frames, write_project
from test_export import tiny_preset
import filmkit.render.shared as shared_module
from filmkit.errors import FilmkitError
from filmkit.export.manifest import sha256_file
from filmkit.media.probe import read_gop, video_packet_bits
from filmkit.platform.presets import load_preset
from filmkit.project import build_timeline, load_project
from filmkit.atomic import TEMP_MARK
from filmkit.render.plan import load_and_check, plan_platform, version_tracks
from filmkit.render.run import render_all
from filmkit.render.shared import Piece, plan_pieces, shared_pieces
from filmkit.render.vbv import buffer_after

EN = "1\n00:00:01,000 --> 00:00:02,000\nShe wins.\n\n2\n00:00:04,400 --> 00:00:05,000\nGold.\n"
AR = "1\n00:00:01,200 --> 00:00:02,400\nتفوز.\n\n2\n00:00:04,400 --> 00:00:05,000\nذهب.\n"


def counter_project(folder: Path) -> Path:
    make_counter_clip(folder / "n.mp4", frames=50, size="192x108")
    (folder / "subs").mkdir()
    (folder / "subs" / "en.srt").write_text(EN, encoding="utf-8")
    (folder / "subs" / "ar.srt").write_text(AR, encoding="utf-8")
    tiny_preset(folder, "tiny-landscape", "youtube-1080p", (320, 180))
    events = "\n".join(f"  - media: n\n    in: {index * 0.1}\n    duration: 1.6"
                       + ("\n    transition: {type: crossfade, duration: 0.2}" if index == 2 else "")
                       for index in range(4))
    return write_project(folder, "filmkit: 1\ntitle: Counter\nformat: {size: 192x108, fps: 25}\nmedia: {n: n.mp4}\n"
                         "cut:\n" + events + "\nsubtitles: {dir: subs}\ncard:\n  duration: 1\n  fade: 0.2\n"
                         "  text: {en: {tagline: Love}, ar: {tagline: حب}}\n"
                         "exports: {platforms: [tiny-landscape], languages: [en, ar], path: \"out/{platform}/{lang}.mp4\"}\n")


def platform_plan(project: Path, out: Path):  # type: ignore[no-untyped-def]
    loaded, timeline, media = load_and_check(project)
    preset = load_preset("tiny-landscape", loaded.folder)
    tracks = {lang: version_tracks(loaded, timeline, lang, False) for lang in ("en", "ar")}
    outputs = [(lang, out / f"counter_{lang}.mp4") for lang in ("en", "ar")]
    out.mkdir(exist_ok=True)
    return plan_platform(loaded, timeline, media, preset, outputs, None, tracks), preset


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    error = float(np.mean((a.astype(float) - b.astype(float)) ** 2))
    return math.inf if error == 0 else 10 * math.log10(255 ** 2 / error)


def test_pieces_are_whole_chunks_and_alike_chunks_merge() -> None:
    pieces = plan_pieces(100, [(25, 30), (70, 100)], 12)
    assert pieces == [Piece(0, 24, True), Piece(24, 36, False), Piece(36, 60, True), Piece(60, 100, False)]
    assert plan_pieces(30, [], 12) == [Piece(0, 30, True)]


def test_frame_exact_pieces_start_and_end_with_the_text() -> None:
    assert plan_pieces(100, [(25, 30), (70, 100)]) == [Piece(0, 25, True), Piece(25, 30, False),
                                                       Piece(30, 70, True), Piece(70, 100, False)]
    assert plan_pieces(100, [(-1, 7), (50, 60), (55, 65)]) == [Piece(0, 7, False), Piece(7, 50, True),
                                                                Piece(50, 65, False), Piece(65, 100, True)]
    # a stretch in common shorter than SHORTEST_SHARED frames is not worth a process of its own
    short = shared_module.SHORTEST_SHARED - 1
    assert plan_pieces(100, [(10, 20), (20 + short, 30)]) == [Piece(0, 10, True), Piece(10, 30, False), Piece(30, 100, True)]
    assert plan_pieces(100, [(short, 30)])[0] == Piece(0, 30, False)
    assert plan_pieces(100, [(10, 20), (20 + short + 1, 30)])[2] == Piece(20, 20 + short + 1, True)


def test_the_vbv_buffer_is_carried_from_piece_to_piece() -> None:
    # 10 frames a second of 100 bits each: 1,000 bits/s fills the buffer exactly as fast as it drains
    assert buffer_after([100] * 10, 500, 1000, 2000, Fraction(10)) == 500
    assert buffer_after([300] * 3, 1000, 1000, 2000, Fraction(10)) == 1000 - 3 * 200
    assert buffer_after([0] * 30, 1000, 1000, 2000, Fraction(10)) == 2000  # never above the buffer's size
    assert buffer_after([5000], 1000, 1000, 2000, Fraction(10)) == 100  # a decoder's buffer runs dry, then refills


def test_one_version_or_little_in_common_takes_todays_path(tmp_path: Path) -> None:
    plan, _ = platform_plan(counter_project(tmp_path), tmp_path / "out")
    from filmkit.graph import Version
    versions = [Version(tmp_path / f"{i}.mp4") for i in range(2)]
    assert shared_pieces(plan, versions[:1]) is None
    pieces = shared_pieces(plan, versions)
    assert pieces is not None and any(p.shared for p in pieces) and any(not p.shared for p in pieces)
    # frame-exact: the English cue of 1.0-2.0 s (frames 25-50) and the Arabic one of 1.2-2.4 s
    # (30-60) make one piece from frame 24 to 61 (a frame of margin), not on the 12-frame GOPs
    assert [(p.first, p.last) for p in pieces if not p.shared][0] == (24, 61)
    assert any(p.first % plan.spec.encoding.gop for p in pieces), "a piece starts inside a GOP"
    timeline = build_timeline(load_project(tmp_path / "edit.yaml"))
    assert not pieces[-1].shared and pieces[-1].last == timeline.total_frames  # the card is per language


def test_shared_pieces_match_a_render_without_sharing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = counter_project(tmp_path)
    plan, preset = platform_plan(project, tmp_path / "shared")
    calls: list[object] = []
    real = shared_module.render_shared
    monkeypatch.setattr(shared_module, "render_shared", lambda *a: calls.append(a) or real(*a))
    shared = [result.output for result in render_all(plan, preset=preset)]  # verified against the preset
    assert calls, "the shared path was taken"
    assert not list((tmp_path / "shared").glob(".*")), "pieces and lists are removed"
    monkeypatch.setattr(shared_module, "MIN_SHARED", 2)
    plain_plan, _ = platform_plan(project, tmp_path / "plain")
    plain = [result.output for result in render_all(plain_plan, preset=preset)]
    assert len(calls) == 1
    pieces = calls[0][1]  # type: ignore[index]
    assert any(piece.first % plan.spec.encoding.gop for piece in pieces), "pieces start and end inside GOPs"
    for path in shared:  # a keyframe wherever a piece starts, closed GOPs (render_all held them against the preset)
        assert set(piece.first for piece in pieces) <= set(read_gop(path).keyframes)
    frames = {path: read_frames(path) for path in [*shared, *plain]}
    cut = plan.timeline.cut_frames
    for mine, theirs in zip(shared, plain):
        a, b = frames[mine], frames[theirs]
        assert len(a) == len(b) == plan.timeline.total_frames
        assert [counter_index(f) for f in a[:cut]] == [counter_index(f) for f in b[:cut]]
        assert min(psnr(x, y) for x, y in zip(a, b)) >= 35
    # English and Arabic differ only inside their cues' boxes, while a cue shows
    boxes = [(placed.box, placed.cue.start, placed.cue.end) for version in plan.versions for placed in plan.placed(version)]
    en, ar = frames[shared[0]], frames[shared[1]]
    for index in range(cut):
        seconds = Fraction(index, 25)
        showing = [box for box, start, end in boxes if start <= seconds < end]
        differs = np.abs(en[index].astype(int) - ar[index].astype(int)).max(axis=2) > 40
        inside = np.zeros_like(differs)
        for left, top, right, bottom in showing:
            inside[max(0, int(top) - 2):int(bottom) + 3, max(0, int(left) - 2):int(right) + 3] = True
        assert not (differs & ~inside).any(), f"frame {index}: the versions differ outside the cue boxes"
        assert differs.any() == bool(showing), f"frame {index}: text expected: {bool(showing)}"


def _lowest_fill(path: Path, rate: int, size: int) -> float:
    """The emptiest a decoder's VBV buffer gets over the file (x264's start: 90 % full); below 0 it ran dry."""
    fill, lowest = 0.9 * size, float(size)
    for bits in video_packet_bits(path):
        fill -= bits
        lowest = min(lowest, fill)
        fill = min(size, max(0.0, fill) + rate / 25)
    return lowest


RATE, BUFFER = 200, 400  # kbit/s and kbit: a cap the noise presses against at every frame


@pytest.mark.parametrize("chained", [True, False])
def test_joined_pieces_keep_the_bitrate_cap_as_one_encode_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               chained: bool) -> None:
    project = counter_project(tmp_path)
    make_clip(tmp_path / "n.mp4", size="192x108", seconds=2, audio=None, video_filter="noise=alls=80:allf=t")
    if not chained:  # as before: every piece started with x264's 90 % full buffer
        monkeypatch.setattr(shared_module, "buffer_left", lambda *_: None)
    plan, preset = platform_plan(project, tmp_path / "out")
    encoding = dataclasses.replace(plan.spec.encoding, maxrate_kbps=RATE, bufsize_kbps=BUFFER)
    plan = dataclasses.replace(plan, spec=dataclasses.replace(plan.spec, encoding=encoding))
    for result in render_all(plan, preset=preset):
        lowest = _lowest_fill(result.output, RATE * 1000, BUFFER * 1000)
        assert (lowest >= 0) == chained, f"lowest fill {lowest:.0f} bits"


@pytest.mark.parametrize("chained", [True, False])
def test_a_film_rendered_in_segments_keeps_the_bitrate_cap_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               chained: bool) -> None:
    """A long film's segments are joined like the pieces: each starts with the buffer the last left."""
    import filmkit.render.run as run_module

    project = counter_project(tmp_path)
    make_clip(tmp_path / "n.mp4", size="192x108", seconds=2, audio=None, video_filter="noise=alls=80:allf=t")
    monkeypatch.setattr(run_module, "SEGMENT_ABOVE", 1)  # four events: segments of one event each
    monkeypatch.setattr(run_module, "SEGMENT_EVENTS", 1)
    if not chained:
        monkeypatch.setattr(run_module, "buffer_left", lambda *_: None)
    plan, preset = platform_plan(project, tmp_path / "out")
    assert run_module.renders_in_segments(plan)
    encoding = dataclasses.replace(plan.spec.encoding, maxrate_kbps=RATE, bufsize_kbps=BUFFER)
    plan = dataclasses.replace(plan, spec=dataclasses.replace(plan.spec, encoding=encoding))
    for result in render_all(plan, preset=preset):
        lowest = _lowest_fill(result.output, RATE * 1000, BUFFER * 1000)
        assert (lowest >= 0) == chained, f"lowest fill {lowest:.0f} bits"


def test_an_export_that_shares_writes_its_manifest_and_no_temporaries(tmp_path: Path, run_cli,  # type: ignore[no-untyped-def]
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    project = counter_project(tmp_path)
    calls: list[object] = []
    real = shared_module.render_shared
    monkeypatch.setattr(shared_module, "render_shared", lambda *a: calls.append(a) or real(*a))
    result = run_cli("export", str(project))
    assert result.exit_code == 0, result
    assert len(calls) == 1
    manifest = json.loads(next((tmp_path / "out").rglob("manifest.json")).read_text(encoding="utf-8"))
    entries = {item["language"]: item for item in manifest["outputs"]}
    assert set(entries) == {"en", "ar"}
    for lang, entry in entries.items():
        path = tmp_path / "out" / "tiny-landscape" / f"{lang}.mp4"
        assert entry["sha256"] == sha256_file(path) and entry["frames"] == build_timeline(load_project(project)).total_frames
    assert not [p.name for p in (tmp_path / "out").rglob("*") if TEMP_MARK in p.name], "pieces and lists are removed"


def test_a_failed_join_leaves_no_output_and_no_piece(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan, preset = platform_plan(counter_project(tmp_path), tmp_path / "out")
    joins: list[int] = []

    def failing(*args: object) -> list[str]:
        joins.append(1)
        if len(joins) == 2:
            raise FilmkitError("the second join fails")
        return real(*args)

    import filmkit.graph as graph_module  # the joins of render.run, which render.shared uses

    real = graph_module.build_join_args
    monkeypatch.setattr(graph_module, "build_join_args", failing)
    with pytest.raises(FilmkitError):
        render_all(plan, preset=preset)
    assert list((tmp_path / "out").iterdir()) == [], "no version moved into place, no piece left"
