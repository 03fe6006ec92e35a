"""Each defect of issue 13 about hostile inputs, reproduced with a small fixture: exit 2, one
paragraph naming the file, the line and the value, never a traceback and never a hang. FIFOs
and symbolic link loops are made at run time.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from conftest import write_project

HEAD = 'filmkit: 1\ntitle: Hostile\nformat: {{size: 320x180, fps: 25}}\nmedia: {{red: "{red}"}}\n'
CUT = "cut: [{media: red, in: 0, out: 1}]\n"

pytestmark = pytest.mark.usefixtures("never_hangs")


def refused(result, *expected: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    for text in expected:
        assert text in result.stderr, f"{text!r} not in {result.stderr!r}"


def project(tmp_path: Path, clips: dict[str, Path], body: str) -> Path:
    return write_project(tmp_path, HEAD.format(red=clips["red"]) + body)


# --- the YAML itself --------------------------------------------------------------------------


def test_an_alias_bomb_is_refused_at_once(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]  # 9^10 values
    edit = write_project(tmp_path, "filmkit: 1\ntitle: Bomb\n" + "\n".join(lines) + "\n")
    started = time.monotonic()
    refused(run_cli("check", str(edit)), f"{edit}:8:", "expands to more than 200,000 values")
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(("text", "expected"), [
    ("x: " + "[" * 250 + "]" * 250 + "\n", ":3:67: lists and mappings are nested more than 64 deep"),
    ("cut: !!omap [{a: 1}]\n", ":3:6: the tag !!omap is not allowed"),
    ("title: !!python/object/apply:os.system [touch pwned]\n", ":3:8: the tag !!python/object/apply:os.system"),
    ("cut: [{color: black, duration: " + "9" * 5000 + "}]\n", ":3:32: a number of 5000 characters"),
    ('cut: [{color: black, duration: "' + "9" * 5000 + '"}]\n', "(5000 characters) is not a time; use"),
    ("cut: [{color: black, duration: 1e308}]\n", "cut[0].duration: 1e+308 is more than 24 hours"),
    ("cut: [{color: black, duration: 1e400}]\n", "cut[0].duration: inf is not a number filmkit can use"),
    ("cut: [{color: black, duration: 50000}, {color: red, duration: 50000}]\n", "filmkit makes films of at most 24"),
    ('format: {fps: "' + "9" * 5000 + '"}\ncut: [{color: red, duration: 1}]\n', "(5000 characters) is not a frame rate"),
])
def test_hostile_yaml_is_refused_with_its_line(run_cli, tmp_path: Path, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    edit = write_project(tmp_path, "filmkit: 1\ntitle: Hostile\n" + text)
    refused(run_cli("check", str(edit)), f"{edit}", expected)
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(("body", "expected"), [
    ("music: [{file: x.wav, fade_in: .inf}]\n", "music[0].fade_in: inf is not a number filmkit can use"),
    ("music: [{file: x.wav, fade_out: .nan}]\n", "music[0].fade_out: nan is not a number filmkit can use"),
    ("music: [{file: x.wav, gain_db: 1e300}]\n", "music[0].gain_db: 1e+300 is out of range; use a number at most 60"),
    ('music: [{file: "x\\0.wav"}]\n', "music[0].file: 'x\\x00.wav' contains a NUL byte"),
    (f'music: [{{file: "{"b" * 300}.wav"}}]\n', "is 304 bytes long; a file or folder name is at most 255 bytes"),
    ("card: {text: {en: {tagline: " + "word " * 60 + "}}}\n", "the text is 299 characters long; at most 200"),
])
def test_values_out_of_range_are_refused_with_their_line(run_cli, tmp_path: Path, clips: dict[str, Path],  # type: ignore[no-untyped-def]
                                                         body: str, expected: str) -> None:
    edit = project(tmp_path, clips, CUT + body)
    refused(run_cli("check", str(edit)), f"{edit}:", expected)


def test_a_project_file_that_is_a_fifo_is_refused(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    os.mkfifo(tmp_path / "edit.yaml")
    refused(run_cli("check", str(tmp_path / "edit.yaml")), "edit.yaml: is a named pipe (FIFO)")


# --- files the project names --------------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "render", "probe"])
@pytest.mark.parametrize("kind", ["fifo", "loop", "device"])
def test_media_that_is_no_regular_file_is_refused_never_opened(run_cli, tmp_path: Path, clips: dict[str, Path],  # type: ignore[no-untyped-def]
                                                               command: str, kind: str) -> None:
    still, bed = (Path("/dev/zero"), Path("/dev/null")) if kind == "device" else (tmp_path / "a.png", tmp_path / "b.wav")
    for path in (still, bed):
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "loop":
            os.symlink(path.with_suffix(".other"), path)
            os.symlink(path, path.with_suffix(".other"))
    expected = {"fifo": "is a named pipe (FIFO), not a file", "loop": "is a symbolic link that loops",
                "device": "is a device, not a file"}[kind]
    if command == "probe":
        refused(run_cli("probe", str(still)), f"{still}: {expected}")
        return
    edit = project(tmp_path, clips, f'cut: [{{media: red, in: 0, out: 1}}, {{image: "{still}", duration: 1}}]\n'
                                    f'music: [{{file: "{bed}"}}]\n')
    refused(run_cli(command, str(edit)), f"{edit}:5:", f"cut[1].image: {still}: {expected}",
            f"{edit}:6:", f"music[0].file: {bed}: {expected}")


def test_a_font_file_that_is_no_font_is_refused(run_cli, tmp_path: Path, clips: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "brand.ttf").write_text("not a font")
    (tmp_path / "en.srt").write_text("1\n00:00:00,100 --> 00:00:00,900\nHi\n", encoding="utf-8")
    edit = project(tmp_path, clips, CUT + "subtitles: {files: {en: en.srt}, style: {font: brand.ttf}}\n")
    refused(run_cli("check", str(edit)), "brand.ttf is not a font filmkit can read (TTLibError",
            "Give a .ttf/.otf/.ttc font file or a family name")
    edit = project(tmp_path, clips, CUT + "card: {font: brand.ttf, text: {en: {tagline: Hi}}}\n")
    refused(run_cli("check", str(edit)), f"{edit}:6:8: card.font:", "brand.ttf is not a font filmkit can read")


@pytest.mark.parametrize("name", ["rot13", "hex", "base64", "zlib", "bz2", "uu", "quopri", "undefined", "punycode",
                                  "\\0", "no-such-codec"])
def test_subtitle_encodings_must_be_text_encodings(run_cli, tmp_path: Path, clips: dict[str, Path], name: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "en.srt").write_text("1\n00:00:00,100 --> 00:00:00,900\nHi\n", encoding="utf-8")
    edit = project(tmp_path, clips, CUT + f'subtitles: {{files: {{en: en.srt}}, encoding: {{en: "{name}"}}}}\n')
    refused(run_cli("check", str(edit)), f"{edit}:6:", "subtitles.encoding.en:", "Give a character encoding")
    refused(run_cli("subs", "lint", "--project", str(edit)), f"{edit}:6:", "subtitles.encoding.en:")
    result = run_cli("subs", "lint", str(tmp_path / "en.srt"), "--encoding", name.replace("\\0", "\0"))
    refused(result, "Give a character encoding")


# --- subtitle files -----------------------------------------------------------------------


def test_absurd_numbers_in_a_subtitle_file_are_parse_findings(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "en.srt"
    path.write_text("1\n" + "9" * 5000 + ":00:01,000 --> 00:00:02,000\nHours\n\n" + "7" * 5000 +
                    "\n00:00:03,000 --> 00:00:04,000\nNumber\n\n3\n" + "1" * 399 + ":00:00,000 --> " + "1" * 399 +
                    ":00:05,000\nA cue of 1e403 s\n", encoding="utf-8")
    result = run_cli("subs", "lint", str(path))
    assert result.exit_code == 1, result  # error findings, not a crash
    assert f"{path}:2: cue 1 error [parse]" in result.stdout and "has too many digits to be a time" in result.stdout
    assert f"{path}:5: warning [parse]" in result.stdout and "(5000 characters) above the timing line" in result.stdout
    assert f"{path}:10: cue 3 error [parse]" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_100k_cue_file_lints_in_seconds(tmp_path: Path) -> None:
    from filmkit.render.tracks import lint_glyphs
    from filmkit.subtitles.lint import lint
    from filmkit.subtitles.load import load_subtitles

    def stamp(seconds: int) -> str:
        return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d},000"

    path = tmp_path / "en.srt"
    path.write_text("\n".join(f"{i + 1}\n{stamp(2 * i)} --> {stamp(2 * i + 1)}\nLine {i} of a long film,\n"
                              "and its second line.\n" for i in range(100_000)), encoding="utf-8")
    started = time.monotonic()
    loaded = load_subtitles(path, lang="en")
    findings = lint(loaded, lang="en") + lint_glyphs(loaded, "en")
    assert len(loaded.cues) == 100_000 and len(findings) == 100_000  # one reading-speed warning each
    assert time.monotonic() - started < 20  # 38 s before; ~6 s on 2 busy cores


def test_long_words_are_text_and_long_titles_make_names_that_fit(run_cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                 clips: dict[str, Path]) -> None:
    """A 300-letter word is no number (only digits are); a 400-byte title's slug is cut to 100
    bytes, so check and render agree on a name the file system holds."""
    edit = write_project(tmp_path, HEAD.format(red=clips["red"]).replace("Hostile", "é" * 200)
                         + "cut: [{media: red, in: 0, out: 0.2}]\nexports: {platforms: [youtube-1080p], languages: [en]}\n")
    assert run_cli("check", str(edit)).exit_code == 0
    result = run_cli("render", str(edit))
    assert result.exit_code == 0, result
    made = next((tmp_path / "out").glob("*.mp4"))
    assert made.name == "é" * 50 + ".mp4"
    edit.write_text(edit.read_text(encoding="utf-8").replace("é" * 200, "a" * 300), encoding="utf-8")
    assert run_cli("check", str(edit)).exit_code == 0


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_an_exported_cut_that_is_no_regular_file_is_refused(run_cli, tmp_path: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    path = Path("/dev/zero") if kind == "device" else tmp_path / "cut.edl"
    if kind == "fifo":
        os.mkfifo(path)
    result = run_cli("import", str(path), "-o", str(tmp_path / "edit.yaml"))
    refused(result, f"{path}: is a")
    assert not (tmp_path / "edit.yaml").exists()
