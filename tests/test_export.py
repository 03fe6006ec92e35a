"""`filmkit export`: the languages x platforms matrix, proven on the files it writes.

A tiny project (two events, a music bed, a card, English and Arabic subtitles) is exported
to two tiny presets kept in the project's own `presets/` folder (a landscape one that takes
caption files, a 9:16 one with a safe area). Every property a platform checks is probed on
the outputs; incrementality is proven with mtimes and the manifest; kill-safety by killing a
real export.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from ruamel.yaml import YAML

from conftest import ffmpeg, make_clip, read_frames, write_project
from filmkit.render.composition import compose
from filmkit.render.settings import subtitle_safe_area
from filmkit.media.mp4 import top_level_boxes
from filmkit.platform.conformance import measure_file_loudness as measure_loudness, verify_against_preset
from filmkit.export.manifest import export_lock, sha256_file
from filmkit.platform.presets import load_preset, packaged_presets_dir
from filmkit.media.probe import count_video_frames, probe

EN = "1\n00:00:00,200 --> 00:00:01,400\nShe wins gold.\n\n2\n00:00:01,600 --> 00:00:02,600\nAnd cannot celebrate.\n"
AR = "1\n00:00:00,200 --> 00:00:01,400\nتفوز بالذهب.\n\n2\n00:00:01,600 --> 00:00:02,600\nولا تستطيع أن تحتفل.\n"
PLATFORMS = {"tiny-landscape": (320, 180), "tiny-vertical": (180, 320)}
CUT_FRAMES, CARD_FRAMES = 65, 38  # 1.6 s + 1.2 s - 0.2 s crossfade; 1.5 s card (37.5 frames, rounded up) at 25 fps


def tiny_preset(folder: Path, name: str, base: str, size: tuple[int, int], **limits: object) -> None:
    """A packaged preset at a test-sized frame, written into the project's presets/ folder."""
    yaml = YAML(typ="rt")
    data = yaml.load((packaged_presets_dir() / f"{base}.yaml").read_text(encoding="utf-8"))
    data["name"] = name
    data["video"]["size"] = f"{size[0]}x{size[1]}"
    data["video"]["level"] = "3.0"
    data["limits"]["min_seconds"] = 1
    data["limits"].update(limits)
    (folder / "presets").mkdir(parents=True, exist_ok=True)
    with (folder / "presets" / f"{name}.yaml").open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def make_project(folder: Path, platforms: str = "[tiny-landscape, tiny-vertical]", langs: str = "[en, ar]",
                 extra: str = "") -> Path:
    make_clip(folder / "media" / "red.mp4", color="red", seconds=2)
    make_clip(folder / "media" / "green.mp4", color="lime", seconds=2, tone=660)
    ffmpeg("-f", "lavfi", "-i", "sine=f=330:d=5:r=48000", "-ac", "2", "-c:a", "aac", str(folder / "media" / "theme.m4a"))
    (folder / "subs").mkdir(parents=True, exist_ok=True)
    (folder / "subs" / "en.srt").write_text(EN, encoding="utf-8")
    (folder / "subs" / "ar.srt").write_text(AR, encoding="utf-8")
    tiny_preset(folder, "tiny-landscape", "youtube-1080p", PLATFORMS["tiny-landscape"])
    tiny_preset(folder, "tiny-vertical", "instagram-reel", PLATFORMS["tiny-vertical"])
    return write_project(folder, f"""
        filmkit: 1
        title: Gold Medal
        format: {{size: 320x180, fps: 25}}
        media: {{red: media/red.mp4, green: media/green.mp4}}
        cut:
          - media: red
            in: 0
            out: 1.6
          - media: green
            in: 0
            out: 1.2
            transition: {{type: crossfade, duration: 0.2}}
        music:
          - file: media/theme.m4a
            gain_db: -12
        subtitles:
          dir: subs
        card:
          duration: 1.5
          fade: 0.3
          background: "#102040"
          text:
            en: {{tagline: Love Always Wins, hashtag: "#LoveAlwaysWins"}}
            ar: {{tagline: الحب ينتصر دائماً, hashtag: "#LoveAlwaysWins"}}
        exports:
          platforms: {platforms}
          languages: {langs}
          path: "out/{{platform}}/{{title_slug}}_{{lang}}.mp4"
        {extra}
    """)


def output(folder: Path, platform: str, lang: str) -> Path:
    return folder / "out" / platform / f"gold-medal_{lang}.mp4"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole matrix exported once (tests that change it work on their own copy)."""
    folder = tmp_path_factory.mktemp("export")
    project = make_project(folder)
    done = subprocess.run([sys.executable, "-m", "filmkit", "export", str(project)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "4 outputs: 4 rendered, 0 up to date, 0 failed" in done.stderr
    return folder


@pytest.mark.parametrize("platform", list(PLATFORMS))
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_output_meets_its_preset(exported: Path, platform: str, lang: str) -> None:
    path = output(exported, platform, lang)
    preset = load_preset(platform, exported)
    assert verify_against_preset(path, preset, expected_frames=CUT_FRAMES + CARD_FRAMES, expected_fps=Fraction(25)) == []
    info = probe(path)
    assert info.video is not None and info.audio is not None
    assert (info.video.width, info.video.height) == PLATFORMS[platform]
    assert count_video_frames(path) == CUT_FRAMES + CARD_FRAMES
    assert info.audio.rate == 48000 and info.audio.channels == 2
    boxes = [box.kind for box in top_level_boxes(path)]
    assert boxes.index("moov") < boxes.index("mdat"), "faststart: moov before mdat"


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_loudness_is_normalized_to_the_preset(exported: Path, platform: str) -> None:
    preset = load_preset(platform, exported)
    measured = measure_loudness(output(exported, platform, "en"))
    assert abs(measured.integrated - float(preset.loudness.integrated_lufs)) <= 1.0, measured
    assert measured.true_peak <= float(preset.loudness.true_peak_dbtp) + 0.5, measured


def test_subtitles_cards_and_reframing_are_laid_out_for_each_frame(exported: Path) -> None:
    wide = read_frames(output(exported, "tiny-landscape", "ar"))
    tall = read_frames(output(exported, "tiny-vertical", "ar"))
    # 9:16 of a 16:9 red picture over a blurred copy, moved up to leave a caption band below it
    # (issue 11: social composition): red in the picture, a dimmer red fill above it
    preset = load_preset("tiny-vertical", exported)
    composed = compose(180, 320, Fraction(16, 9), "blur", subtitle_safe_area(preset))
    assert composed.picture is not None and composed.captions is not None
    _, pic_top, _, pic_bottom = composed.picture
    assert pic_bottom <= composed.captions[1], "the caption band is below the picture"
    middle, top = tall[10][(pic_top + pic_bottom) // 2, 90].astype(int), tall[10][min(20, pic_top // 2), 90].astype(int)
    assert middle[0] > 200 and middle[1] < 60
    assert 40 < top[0] < middle[0] - 30 and top[1] < 60, "a dimmed, blurred fill, not black bars"
    # subtitles (near white) during the first cue, above the preset's bottom safe area
    rows = np.nonzero((tall[20].min(axis=2) > 200).any(axis=1))[0]
    assert rows.size and rows.max() < 320 * (1 - preset.safe_area.text.bottom)
    assert (wide[20].min(axis=2) > 200).sum() > 8  # a small Arabic line on a 320x180 frame
    # the card: the background colour, text inside the safe area, never subtitles
    card = tall[CUT_FRAMES + 15]
    assert abs(int(card[5, 5][2]) - 0x40) < 25 and card[5, 5][0] < 40
    ys, _ = np.nonzero(card.min(axis=2) > 200)
    assert ys.size and ys.min() >= 320 * preset.safe_area.text.top - 2 and ys.max() <= 320 * (1 - preset.safe_area.text.bottom) + 2


def test_posters_sidecars_and_manifest(exported: Path) -> None:
    from PIL import Image

    manifest = json.loads((exported / "out" / "manifest.json").read_text(encoding="utf-8"))
    entries = {(item["platform"], item["language"]): item for item in manifest["outputs"]}
    assert set(entries) == {(p, lang) for p in PLATFORMS for lang in ("en", "ar")}
    for (platform, lang), entry in entries.items():
        path = output(exported, platform, lang)
        assert entry["path"] == f"{platform}/gold-medal_{lang}.mp4"
        assert entry["sha256"] == sha256_file(path) and entry["size"] == path.stat().st_size
        assert entry["frames"] == CUT_FRAMES + CARD_FRAMES and entry["duration"] == pytest.approx(4.12)
        assert set(entry["loudness"]) == {"integrated_lufs", "true_peak_dbtp", "lra_lu"}
        assert {"filmkit", "project", "preset", "card", f"subtitles:{lang}"} <= set(entry["inputs"])
        assert any(key.startswith("media:") for key in entry["inputs"])
        with Image.open(path.with_suffix(".jpg")) as poster:
            assert poster.format == "JPEG" and poster.size == PLATFORMS[platform]
            # the default poster is a frame of the card: its background colour, not the red cut
            pixel = poster.convert("RGB").getpixel((3, 3))
            assert pixel[2] > pixel[0]
    # the landscape preset (a YouTube copy) takes SRT captions: clean UTF-8 on the record timeline
    srt = output(exported, "tiny-landscape", "ar").with_name("gold-medal_ar.ar.srt")
    assert srt.read_bytes().decode("utf-8").startswith("1\n00:00:00,200 --> 00:00:01,400\nتفوز بالذهب.")
    assert not list((exported / "out" / "tiny-vertical").glob("*.srt")), "Reels takes no caption file"


def _mtimes(folder: Path) -> dict[tuple[str, str], int]:
    return {(p, lang): output(folder, p, lang).stat().st_mtime_ns for p in PLATFORMS for lang in ("en", "ar")}


def test_rerun_skips_up_to_date_and_a_changed_translation_renders_only_its_language(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = make_project(tmp_path)
    first = run_cli("export", str(project))
    assert first.exit_code == 0, first
    before = _mtimes(tmp_path)
    again = run_cli("export", str(project))
    assert again.exit_code == 0 and "0 rendered, 4 up to date" in again.stderr
    assert _mtimes(tmp_path) == before
    (tmp_path / "subs" / "ar.srt").write_text(AR.replace("تفوز بالذهب.", "إنها تفوز بالذهب."), encoding="utf-8")
    third = run_cli("export", str(project))
    assert third.exit_code == 0 and "2 rendered, 2 up to date" in third.stderr
    after = _mtimes(tmp_path)
    assert {key for key in before if after[key] != before[key]} == {(p, "ar") for p in PLATFORMS}
    # a damaged output no longer matches its sha256 and is rendered again; --force renders all
    damaged = output(tmp_path, "tiny-vertical", "en")
    data = bytearray(damaged.read_bytes())
    data[-100] ^= 0xFF
    damaged.write_bytes(bytes(data))
    fourth = run_cli("export", str(project))
    assert "1 rendered, 3 up to date" in fourth.stderr and count_video_frames(damaged) == CUT_FRAMES + CARD_FRAMES
    assert "4 rendered" in run_cli("export", str(project), "--force").stderr


def test_subset_of_the_matrix(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = make_project(tmp_path)
    result = run_cli("export", str(project), "--lang", "ar", "--platform", "tiny-landscape")
    assert result.exit_code == 0, result
    assert output(tmp_path, "tiny-landscape", "ar").is_file()
    assert not output(tmp_path, "tiny-landscape", "en").exists() and not (tmp_path / "out" / "tiny-vertical").exists()
    unknown = run_cli("export", str(project), "--lang", "fr")
    assert unknown.exit_code == 2 and "--lang fr: not in the project's `exports: languages` (en, ar)" in unknown.stderr


def test_a_failing_job_does_not_stop_the_others(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = make_project(tmp_path)
    blocker = output(tmp_path, "tiny-vertical", "en")
    blocker.mkdir(parents=True)  # a folder where a file must go: that platform's job fails
    result = run_cli("export", str(project))
    assert result.exit_code == 1, result
    assert "2 rendered, 0 up to date, 2 failed" in result.stderr
    assert "is a folder" in result.stderr
    assert output(tmp_path, "tiny-landscape", "en").is_file() and output(tmp_path, "tiny-landscape", "ar").is_file()
    assert blocker.is_dir() and not list(blocker.parent.glob(".*filmkit-part*"))


def test_a_second_export_of_the_same_outputs_is_refused_while_one_runs(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = make_project(tmp_path)
    with export_lock(tmp_path / "out"):
        result = run_cli("export", str(project))
    assert result.exit_code == 2, result
    assert "another filmkit export (pid" in result.stderr and "nothing was changed" in result.stderr
    assert not list((tmp_path / "out").rglob("*.mp4"))


def test_kill_9_never_leaves_a_partial_output_and_the_next_run_completes_the_rest(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    text = project.read_text(encoding="utf-8").replace("size: 320x180", "size: 640x360")
    project.write_text(text, encoding="utf-8")
    for name in PLATFORMS:  # bigger frames: slow enough to be killed halfway
        tiny_preset(tmp_path, name, "youtube-1080p" if name == "tiny-landscape" else "instagram-reel",
                    (960, 540) if name == "tiny-landscape" else (540, 960))
    process = subprocess.Popen([sys.executable, "-m", "filmkit", "export", str(project), "--jobs", "1"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list((tmp_path / "out").rglob(".*filmkit-part*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    process.send_signal(signal.SIGKILL)
    process.wait()
    for platform in PLATFORMS:
        for lang in ("en", "ar"):
            path = output(tmp_path, platform, lang)
            if path.exists():  # anything at an output path is a whole, verified film
                assert count_video_frames(path) == CUT_FRAMES + CARD_FRAMES
    finished = {path for path in (tmp_path / "out").rglob("gold-medal_*.mp4")}
    stamps = {path: path.stat().st_mtime_ns for path in finished}
    done = subprocess.run([sys.executable, "-m", "filmkit", "export", str(project)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"{4 - len(finished)} rendered, {len(finished)} up to date" in done.stderr
    assert all(path.stat().st_mtime_ns == stamps[path] for path in finished)
    assert not list((tmp_path / "out").rglob(".*filmkit-part*")), "the dead run's temporaries are swept"
    assert all(output(tmp_path, p, lang).is_file() for p in PLATFORMS for lang in ("en", "ar"))


def test_check_reports_what_the_export_would_refuse(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = make_project(tmp_path, langs="[en, ar, ru]")
    (tmp_path / "subs" / "ru.srt").write_text(EN, encoding="utf-8")
    result = run_cli("check", str(project))
    assert result.exit_code == 2, result
    assert "edit.yaml:" in result.stderr and "card.text: the card has no text in 'ru'" in result.stderr
    long_limit = make_project(tmp_path / "long")
    tiny_preset(tmp_path / "long", "tiny-vertical", "instagram-reel", (180, 320), max_seconds=3)
    result = run_cli("check", str(long_limit))
    assert result.exit_code == 2, result
    assert "tiny-vertical: the film lasts 4.12 s (cut and card) but" in result.stderr and "at most 3 s" in result.stderr


def test_unknown_platform_names_the_presets(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = make_project(tmp_path, platforms="[tiny-landscape, tiktk]")
    result = run_cli("export", str(project))
    assert result.exit_code == 2, result
    assert "exports.platforms[1]" in result.stderr and "preset 'tiktk' not found" in result.stderr
    assert "Did you mean 'tiktok'?" in result.stderr
    assert not (tmp_path / "out").exists()


def test_encoders_of_one_process_share_the_cores() -> None:
    """Four versions in one process on 2 cores: one x264 thread each, not 1.5 x cores each (memory)."""
    from filmkit.graph import Encoding, RenderSpec
    from filmkit.graph.finish import _video_options
    from filmkit.render.run import spec_for_versions

    spec = RenderSpec(encoding=Encoding(preset="veryfast"))
    assert spec_for_versions(spec, 1, 2).encoding.threads is None  # the only encoder keeps x264's own choice
    assert spec_for_versions(spec, 1, 8) == spec  # more cores: ffmpeg's and x264's own threads
    assert spec_for_versions(spec, 4, 2).encoding.threads == 1
    assert spec_for_versions(spec, 2, 8).encoding.threads == 4
    assert spec_for_versions(spec, 4, 2).encoding.preset == "veryfast"
    assert _video_options(spec_for_versions(spec, 4, 2).encoding)["threads"] == 1
    assert "threads" not in _video_options(spec.encoding)


def test_the_filter_graph_runs_on_one_thread_on_two_cores(tmp_path: Path) -> None:
    """On 2 cores the graph's slice threads only competed with x264 (measured: RESULTS.md)."""
    from filmkit.graph import Encoding, RenderSpec, Version, build_render_args
    from filmkit.render.run import spec_for_versions

    spec = RenderSpec(encoding=Encoding(preset="veryfast"))
    two, many = spec_for_versions(spec, 1, 2), spec_for_versions(spec, 3, 16)
    assert (two.encoding.filter_threads, many.encoding.filter_threads) == (1, None)
    from filmkit.project import build_timeline, load_project

    project = write_project(tmp_path, """
        filmkit: 1
        title: Threads
        format: {size: 64x36, fps: 25}
        cut:
          - color: "#203040"
            duration: 0.2
    """)
    timeline = build_timeline(load_project(project))
    argv = build_render_args(timeline, {}, [Version(tmp_path / "a.mp4")], two)
    assert argv[argv.index("-filter_complex_threads") + 1] == "1"
    assert "-filter_complex_threads" not in build_render_args(timeline, {}, [Version(tmp_path / "a.mp4")], many)
