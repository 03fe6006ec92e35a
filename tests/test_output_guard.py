"""Outputs never touch inputs, and a path the project names never leaves its folder (issue 13).

Each case is refused at planning time, by `check` as by `render`/`export`, with exit 2, a
message naming the file it would have destroyed, and every input left as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from conftest import make_clip, write_project
from test_export import tiny_preset

SRT = "1\n00:00:00,200 --> 00:00:00,800\nHello.\n"


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clip") / "clip.mp4", seconds=1.0)


def project(folder: Path, clip: Path, path: str, langs: str = "[en]", platforms: str = "[tiny]") -> Path:
    (folder / "subs").mkdir(parents=True, exist_ok=True)
    for lang in ("en", "fr"):
        (folder / "subs" / f"{lang}.srt").write_text(SRT, encoding="utf-8")
    (folder / "assets").mkdir(exist_ok=True)
    Image.new("RGBA", (40, 20), (255, 255, 255, 200)).save(folder / "assets" / "still.png")
    tiny_preset(folder, "tiny", "youtube-1080p", (320, 180))
    tiny_preset(folder, "tiny2", "youtube-1080p", (320, 180))
    return write_project(folder, f"""
filmkit: 1
title: Guarded
format: {{size: 320x180, fps: 25}}
media: {{clip: "{clip}"}}
cut:
  - {{media: clip, in: 0, out: 1}}
subtitles:
  files: {{en: subs/en.srt, fr: subs/fr.srt}}
card:
  duration: 1
  fade: 0
  logo: assets/still.png
  text:
    en: {{tagline: Hello}}
    fr: {{tagline: Bonjour}}
exports:
  platforms: {platforms}
  languages: {langs}
  path: "{path}"
""")


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@pytest.mark.parametrize(("path", "expected"), [
    ("out/{platform}/{lang}/../../../subs/en.srt", "would overwrite the en subtitle file"),
    ("{lang}/../assets/{platform}/../still.png", "would overwrite the card's logo"),
    ("presets/{lang}/../{platform}.yaml", "would overwrite a preset file of the project"),
    ("{platform}/{lang}/../../edit.yaml", "would overwrite the project file"),
    ("../escaped/{platform}_{lang}.mp4", "would be written outside the project folder"),
    ("/tmp/filmkit-escape/{platform}_{lang}.mp4", "would be written outside the project folder"),
])
@pytest.mark.parametrize("command", ["check", "export"])
def test_an_export_path_onto_an_input_or_out_of_the_project_is_refused(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, clip: Path, path: str, expected: str, command: str
) -> None:
    edit = project(tmp_path / "film", clip, path)
    before = snapshot(tmp_path)
    result = run_cli(command, str(edit))
    assert result.exit_code == 2, result
    assert f"{edit}:" in result.stderr and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before, "no input touched, nothing written"
    assert not Path("/tmp/filmkit-escape").exists()


def test_a_caption_file_beside_an_output_may_not_land_on_an_input(run_cli, tmp_path: Path, clip: Path) -> None:  # type: ignore[no-untyped-def]
    # subs/en.mp4 would get its caption file beside it as subs/en.en.srt: make that an input.
    edit = project(tmp_path, clip, "subs/{platform}/../{lang}.mp4")
    (tmp_path / "subs" / "en.en.srt").write_text(SRT, encoding="utf-8")
    text = edit.read_text().replace("files: {en: subs/en.srt, fr: subs/fr.srt}", "files: {en: subs/en.en.srt, fr: subs/fr.srt}")
    edit.write_text(text)
    result = run_cli("check", str(edit))
    assert result.exit_code == 2, result
    assert "a caption file would overwrite the en subtitle file" in result.stderr


def test_two_versions_that_resolve_to_one_file_are_refused(run_cli, tmp_path: Path, clip: Path) -> None:  # type: ignore[no-untyped-def]
    edit = project(tmp_path, clip, "out/{platform}/{lang}/../../film.mp4", langs="[en, fr]", platforms="[tiny, tiny2]")
    result = run_cli("export", str(edit))
    assert result.exit_code == 2, result
    assert "would both be written to" in result.stderr and "put {platform} and {lang} in the path" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_language_that_is_a_path_is_refused(run_cli, tmp_path: Path, clip: Path) -> None:  # type: ignore[no-untyped-def]
    edit = project(tmp_path, clip, "out/{platform}_{lang}.mp4", langs='["../../../escaped"]')
    result = run_cli("check", str(edit))
    assert result.exit_code == 2, result
    assert "exports.languages[0]" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("target", "expected"), [
    ("subs/fr.srt", "would overwrite the fr subtitle file"),
    ("assets/still.png", "would overwrite the card's logo"),
])
def test_render_o_onto_any_input_is_refused(run_cli, tmp_path: Path, clip: Path, target: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    edit = project(tmp_path, clip, "out/{platform}_{lang}.mp4")
    before = snapshot(tmp_path)
    result = run_cli("render", str(edit), "--lang", "en", "-o", str(tmp_path / target))
    assert result.exit_code == 2, result
    assert expected in result.stderr, result.stderr
    assert snapshot(tmp_path) == before


def test_render_o_outside_the_project_is_the_users_choice(run_cli, tmp_path: Path, clip: Path) -> None:  # type: ignore[no-untyped-def]
    edit = project(tmp_path / "film", clip, "out/{platform}_{lang}.mp4")
    target = tmp_path / "elsewhere" / "film.mp4"
    result = run_cli("render", str(edit), "--lang", "en", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.is_file()


@pytest.mark.parametrize(("command", "target", "expected"), [
    (["subs", "proof", "{edit}", "--lang", "en"], "subs/fr.srt", "the proof sheet would overwrite the fr subtitle file"),
    (["subs", "proof", "{edit}", "--lang", "en"], "edit.yaml", "the proof sheet would overwrite the project file"),
    (["card", "{edit}", "--lang", "en"], "assets/still.png", "the card preview would overwrite the card's logo"),
    (["card", "{edit}", "--lang", "fr"], "presets/tiny.yaml", "the card preview would overwrite a preset file"),
])
def test_proof_sheets_and_card_previews_never_land_on_an_input(run_cli, tmp_path: Path, clip: Path,  # type: ignore[no-untyped-def]
                                                               command: list[str], target: str, expected: str) -> None:
    edit = project(tmp_path, clip, "out/{platform}_{lang}.mp4")
    before = snapshot(tmp_path)
    result = run_cli(*[part.format(edit=edit) for part in command], "-o", str(tmp_path / target))
    assert result.exit_code == 2, result
    assert expected in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert snapshot(tmp_path) == before


def test_the_manifest_lock_and_hash_cache_never_land_on_an_input(run_cli, tmp_path: Path, clip: Path) -> None:  # type: ignore[no-untyped-def]
    # Outputs in the project folder itself put manifest.json there: here that is the project file.
    edit = project(tmp_path, clip, "{platform}_{lang}.mp4")
    edit = edit.rename(tmp_path / "manifest.json")
    before = snapshot(tmp_path)
    for command in ("check", "export"):
        result = run_cli(command, str(edit))
        assert result.exit_code == 2, result
        assert "the manifest would overwrite the project file" in result.stderr, result.stderr
    assert snapshot(tmp_path) == before
