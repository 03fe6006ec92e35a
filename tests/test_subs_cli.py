"""The translator's commands through the real error boundary: messages and exit codes.

`subs lint` exits 0 when a file is clean or has warnings only, 1 when it has an error finding,
2 when a file cannot be read at all. Everything that would stop a burn (unreadable file, lint
error, a character no font can draw) stops `filmkit render --lang` with exit 2 before ffmpeg
starts. Media are tiny generated clips; ffmpeg is never mocked.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from conftest import make_clip, write_project
from filmkit.errors import FilmkitError
from filmkit.tools.doctor import FONT_SCRIPTS
from filmkit.text.fonts import choose_font

SLATE = "0x404040"  # dark grey, so the white subtitle fill stands out
W, H = 640, 360
# Three cues that pass every English limit in a 3 s film, each longer than the one before.
CLEAN = """1
00:00:00,100 --> 00:00:00,950
One.

2
00:00:01,050 --> 00:00:01,950
Love wins.

3
00:00:02,050 --> 00:00:02,950
Love always wins.
"""
# Cue 2 reads at 28.9 characters per second (English limit: 20): a warning, not an error.
FAST = CLEAN.replace("Love wins.", "Love wins, always, always.")
# Cue 2 starts before cue 1 ends: an error.
OVERLAP = CLEAN.replace("00:00:01,050 --> 00:00:01,950", "00:00:00,900 --> 00:00:01,950")
RUSSIAN = CLEAN.replace("One.", "Один.").replace("Love wins.", "Любовь.").replace("Love always wins.", "Ещё нет.")
# A private-use character: no face filmkit chooses has it (checked below with fontTools), on any
# machine (an Ethiopic letter was used before; it has a face wherever fonts-noto-core is installed).
ETHIOPIC = "\ue000"


def write(path: Path, text: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


@pytest.fixture(scope="module")
def slate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3 s dark grey 640x360 clip with sound (big enough for solid subtitle pixels), shared by this module."""
    return make_clip(tmp_path_factory.mktemp("slate") / "slate.mp4", color=SLATE, size=f"{W}x{H}", seconds=3)


def subtitled_project(folder: Path, slate: Path, subs: dict[str, str], cut: str | None = None) -> Path:
    """A project with `subtitles: dir: subs` holding {lang}.srt files (written as UTF-8 unless bytes)."""
    for lang, text in subs.items():
        write(folder / "subs" / f"{lang}.srt", text)
    return write_project(folder, f"""
        filmkit: 1
        title: Subs
        format: {{size: {W}x{H}, fps: 25}}
        media: {{slate: "{slate}"}}
        cut:
        {cut or "  - {media: slate, in: 0, out: 3}"}
        subtitles:
          dir: subs
    """)


# --- subs lint -------------------------------------------------------------------------------


def test_lint_clean_file_exits_0_and_prints_no_findings(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / "en.srt", CLEAN)
    result = run_cli("subs", "lint", str(path))
    assert result.exit_code == 0, result
    assert result.stdout == ""
    assert "1 file(s) read, 0 error(s), 0 warning(s)" in result.stderr


def test_lint_warnings_alone_exit_0_and_name_file_line_cue_and_limit(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / "en.srt", FAST)
    result = run_cli("subs", "lint", str(path))
    assert result.exit_code == 0, result
    assert result.stdout.startswith(f"{path}:6: cue 2 warning [cps] 28.9 characters per second (26 characters, "), result
    assert "the limit is 20 (Netflix via Subtitle Edit, English)" in result.stdout
    assert "1 file(s) read, 0 error(s), 1 warning(s)" in result.stderr


def test_lint_error_finding_exits_1(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / "en.srt", OVERLAP)
    result = run_cli("subs", "lint", str(path))
    assert result.exit_code == 1, result
    assert (f"{path}:6: cue 2 error [overlap] starts at 00:00:00,900, before cue 1 (line 2) ends at 00:00:00,950: "
            "0.050 s with both on screen at once") in result.stdout
    assert "1 file(s) read, 1 error(s), 0 warning(s)" in result.stderr


def test_lint_json_is_a_list_of_findings_with_exactly_the_documented_keys(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fast = write(tmp_path / "fast.en.srt", FAST)
    overlap = write(tmp_path / "overlap.en.srt", OVERLAP)
    result = run_cli("subs", "lint", "--json", str(fast), str(overlap))
    assert result.exit_code == 1, result
    findings = json.loads(result.stdout)
    assert isinstance(findings, list) and len(findings) == 2
    for finding in findings:
        assert set(finding) == {"file", "cue", "line", "code", "severity", "message"}
    assert [(f["file"], f["cue"], f["line"], f["code"], f["severity"]) for f in findings] == [
        (str(fast), 2, 6, "cps", "warning"),
        (str(overlap), 2, 6, "overlap", "error"),
    ]
    assert run_cli("subs", "lint", "--json", str(write(tmp_path / "en.srt", CLEAN))).stdout.strip() == "[]"


@pytest.mark.parametrize("kind", ["binary junk", "prose", "missing", "empty"])
def test_lint_file_that_cannot_be_read_exits_2_naming_it(run_cli, tmp_path: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    good = write(tmp_path / "good.en.srt", FAST)
    bad = tmp_path / "bad.srt"
    expected = {"binary junk": "the file contains NUL bytes, so it is not a text subtitle file",
                "prose": "no timing line (such as 00:00:01,000 --> 00:00:03,000) and no ASS [Events] section",
                "missing": "no such file", "empty": "the file is empty"}[kind]
    if kind == "binary junk":
        bad.write_bytes(random.Random(7).randbytes(2048))
    elif kind == "prose":
        bad.write_text("Notes for the translator: keep it short.\n", encoding="utf-8")
    elif kind == "empty":
        bad.write_bytes(b"")
    result = run_cli("subs", "lint", str(good), str(bad))
    assert result.exit_code == 2, result
    assert f"filmkit: error: {bad}: " in result.stderr and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{good}:6: cue 2 warning [cps]" in result.stdout, "the readable file is still linted"
    assert "1 file(s) read" in result.stderr


def test_no_chosen_font_covers_the_test_character() -> None:
    """Precondition of the glyph tests, read with fontTools straight from every face filmkit picks."""
    from fontTools.ttLib import TTFont

    faces = set()
    for script, lang in FONT_SCRIPTS:
        try:
            faces.add(choose_font(script, lang))
        except FilmkitError:  # a script whose system font is not installed here
            continue
    assert len(faces) >= 9
    for face in faces:
        with TTFont(str(face.path), fontNumber=face.index, lazy=True) as font:
            assert ord(ETHIOPIC) not in (font.getBestCmap() or {}), face


def test_lint_glyph_no_font_can_draw_is_an_error_naming_character_and_code_point(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / "en.srt", CLEAN.replace("Love wins.", f"Love wins {ETHIOPIC}."))
    result = run_cli("subs", "lint", "--json", str(path))
    assert result.exit_code == 1, result
    [finding] = json.loads(result.stdout)
    assert (finding["code"], finding["severity"], finding["cue"], finding["line"]) == ("glyph", "error", 2, 6)
    assert finding["message"].startswith(f"{ETHIOPIC!r} (U+E000) cannot be drawn with Noto Sans;"), finding
    assert "set subtitles.style.font to a font that has them, or replace the characters" in finding["message"]


def test_lint_a_script_with_no_installed_font_is_one_error_saying_what_to_install(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import filmkit.text.fonts

    real = filmkit.text.fonts._locate
    monkeypatch.setattr(filmkit.text.fonts, "_locate", lambda c: None if "Devanagari" in c.family else real(c))
    path = write(tmp_path / "hi.srt", CLEAN.replace("Love wins.", "प्यार जीतता है।"))
    result = run_cli("subs", "lint", "--json", str(path))
    assert result.exit_code == 1, result
    [finding] = json.loads(result.stdout)
    assert (finding["code"], finding["severity"], finding["cue"], finding["line"]) == ("glyph", "error", None, None)
    assert finding["message"].startswith("no font for devanagari text is installed; install it into filmkit's "
                                         "environment with `pip install fontpkg-noto-sans-devanagari==2.7`"), finding


def test_render_of_a_character_no_font_can_draw_stops_before_ffmpeg(run_cli, tmp_path: Path, slate: Path) -> None:  # type: ignore[no-untyped-def]
    project = subtitled_project(tmp_path, slate, {"en": CLEAN.replace("One.", f"One {ETHIOPIC}.")})
    result = run_cli("render", str(project), "--lang", "en")
    assert result.exit_code == 2, result
    where = tmp_path / "subs" / "en.srt"
    assert f"{where}: 1 problem(s) stop the burn-in of 'en'" in result.stderr
    assert f"{where}:2: cue 1 error [glyph] {ETHIOPIC!r} (U+E000) cannot be drawn with Noto Sans" in result.stderr
    assert not (tmp_path / "out").exists(), "nothing was started, not even the output folder"


# --- subs convert and shift ------------------------------------------------------------------


@pytest.fixture()
def cp1251_srt(tmp_path: Path) -> Path:
    """A Russian SRT as Windows editors save it: Windows-1251, CRLF, an italic tag."""
    text = RUSSIAN.replace("Любовь.", "<i>Любовь</i>.").replace("Ещё нет.", "Ещё нет.\nНо скоро.")
    return write(tmp_path / "ru.srt", text, encoding="cp1251", newline="\r\n")


@pytest.mark.parametrize(("suffix", "expected"), [
    (".srt", ["1\n00:00:00,100 --> 00:00:00,950\nОдин.\n\n", "2\n00:00:01,050 --> 00:00:01,950\nЛюбовь.\n\n",
              "3\n00:00:02,050 --> 00:00:02,950\nЕщё нет.\nНо скоро.\n"]),
    (".vtt", ["WEBVTT\n\n1\n00:00:00.100 --> 00:00:00.950\nОдин.\n\n", "2\n00:00:01.050 --> 00:00:01.950\nЛюбовь.\n\n",
              "3\n00:00:02.050 --> 00:00:02.950\nЕщё нет.\nНо скоро.\n"]),
    (".ass", ["[Events]\n", "Dialogue: 0,0:00:00.10,0:00:00.95,Default,,0,0,0,,Один.\n",
              "Dialogue: 0,0:00:01.05,0:00:01.95,Default,,0,0,0,,Любовь.\n",
              "Dialogue: 0,0:00:02.05,0:00:02.95,Default,,0,0,0,,Ещё нет.\\NНо скоро.\n"]),
])
def test_convert_cp1251_to_clean_utf8(run_cli, cp1251_srt: Path, suffix: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    target = cp1251_srt.with_name(f"ru.utf8{suffix}")
    result = run_cli("subs", "convert", str(cp1251_srt), str(target))
    assert result.exit_code == 0, result
    assert f"Wrote {target} (3 cues, read as cp1251 SRT)" in result.stderr
    data = target.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data, "UTF-8 without BOM, LF line ends"
    text = data.decode("utf-8")
    for piece in expected:
        assert piece in text, (piece, text)
    assert "<i>" not in text
    assert cp1251_srt.read_bytes().decode("cp1251").startswith("1\r\n"), "the source is left alone"


def test_convert_refuses_a_file_whose_cues_cannot_all_be_read(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = write(tmp_path / "en.srt", CLEAN.replace("00:00:01,050 -->", "00:00:01,05 -->"))
    target = tmp_path / "en.vtt"
    result = run_cli("subs", "convert", str(source), str(target))
    assert result.exit_code == 2, result
    assert f"{source}: 1 problem(s) would lose text" in result.stderr
    assert "line 6: '00:00:01,05' has 2 digit(s) after ','" in result.stderr
    assert not target.exists()


def test_convert_leaves_out_an_empty_cue_and_says_so(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = write(tmp_path / "en.srt", CLEAN.replace("Love wins.", "<i></i>"))
    target = tmp_path / "en.utf8.srt"
    result = run_cli("subs", "convert", str(source), str(target))
    assert result.exit_code == 0, result
    assert (f"{source}: note: cue 2 (line 6, 00:00:01,050) has no text; it is left out of the converted file"
            in result.stderr)
    assert f"Wrote {target} (2 cues, read as utf-8 SRT)" in result.stderr
    assert target.read_text(encoding="utf-8") == (
        "1\n00:00:00,100 --> 00:00:00,950\nOne.\n\n2\n00:00:02,050 --> 00:00:02,950\nLove always wins.\n")


def test_convert_refuses_a_file_with_only_empty_cues(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = write(tmp_path / "en.srt", "1\n00:00:01,000 --> 00:00:02,000\n<i> </i>\n")
    result = run_cli("subs", "convert", str(source), str(tmp_path / "out.vtt"))
    assert result.exit_code == 2, result
    assert f"filmkit: error: {source}: every one of its 1 cue(s) is empty, so there is nothing to write" in result.stderr
    assert not (tmp_path / "out.vtt").exists()


def test_shift_moves_every_cue(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / "en.srt", CLEAN.replace("00:00:00,100 --> 00:00:00,950", "00:00:01,700 --> 00:00:02,600")
                 .replace("00:00:01,050 --> 00:00:01,950", "00:00:03,000 --> 00:00:04,250")
                 .replace("00:00:02,050 --> 00:00:02,950", "00:01:00,000 --> 00:01:01,000"))
    result = run_cli("subs", "shift", str(path), "--by", "-1.5")
    assert result.exit_code == 0, result
    assert f"Wrote {path} (3 cues moved by -1.5 s)" in result.stderr
    text = path.read_text(encoding="utf-8")
    assert ("00:00:00,200 --> 00:00:01,100" in text and "00:00:01,500 --> 00:00:02,750" in text
            and "00:00:58,500 --> 00:00:59,500" in text), text
    later = tmp_path / "later.vtt"
    assert run_cli("subs", "shift", str(path), "--by", "1/4", "-o", str(later)).exit_code == 0
    assert "00:00:00.450 --> 00:00:01.350" in later.read_text(encoding="utf-8")


def test_shift_that_pushes_a_start_before_zero_clamps_it_and_says_so(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / "en.srt", CLEAN)
    result = run_cli("subs", "shift", str(path), "--by", "-0.5")
    assert result.exit_code == 0, result
    assert f"{path}: note: cue 1 (line 2) would start 0.4 s before 00:00:00; it now starts at 00:00:00" in result.stderr
    assert "00:00:00,000 --> 00:00:00,450" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("by", "expected"), [
    ("abc", "--by 'abc' is not a number of seconds; write e.g. --by -30 or --by 1.5"),
    ("-3", "shifting by -3 s moves 3 cue(s) entirely before 00:00:00: cue 1 (line 2) ends at 00:00:00,950. "
           "Shift by less than 0.95 s earlier, or delete those cues first"),
])
def test_shift_refuses_bad_amounts_and_leaves_the_file_alone(run_cli, tmp_path: Path, by: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / "en.srt", CLEAN)
    result = run_cli("subs", "shift", str(path), "--by", by)
    assert result.exit_code == 2, result
    assert f"filmkit: error: {expected}" in result.stderr, result.stderr
    assert path.read_text(encoding="utf-8") == CLEAN


def test_shift_never_deletes_a_cue_it_cannot_read(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Shifting writes over the translator's file, so an unreadable cue would be lost for good."""
    text = CLEAN.replace("00:00:01,050 -->", "00:00:01,05 -->")
    path = write(tmp_path / "en.srt", text)
    result = run_cli("subs", "shift", str(path), "--by", "1")
    assert result.exit_code == 2, result
    assert f"{path}: 1 problem(s) would lose text" in result.stderr and "line 6:" in result.stderr
    assert path.read_text(encoding="utf-8") == text


# --- subs proof ------------------------------------------------------------------------------

TWO_SHOTS = """  - {media: slate, in: 0, out: 1.2}
          - {media: slate, in: 1.2, out: 3}"""


@pytest.mark.parametrize("cut", [
    pytest.param(None, id="one-shot"),
    pytest.param(TWO_SHOTS, id="two-shots-cut"),
])
def test_proof_sheet_has_one_tile_per_cue_with_its_subtitle_and_a_caption(
    run_cli, tmp_path: Path, slate: Path, cut: str | None  # type: ignore[no-untyped-def]
) -> None:
    from PIL import Image

    project = subtitled_project(tmp_path, slate, {"en": CLEAN}, cut)
    sheet_path = tmp_path / "sheet.png"
    result = run_cli("subs", "proof", str(project), "--lang", "en", "-o", str(sheet_path))
    assert result.exit_code == 0, result
    assert f"Wrote {sheet_path} (3 cues)" in result.stderr
    sheet = np.asarray(Image.open(sheet_path).convert("RGB")).astype(int)

    tiles = find_tiles(sheet)
    assert len(tiles) == 3, tiles
    widths = []
    for x0, y0, x1, y1 in tiles:
        tile = sheet[y0:y1, x0:x1]
        white = tile.min(axis=2) > 200
        height = y1 - y0
        assert white[: int(height * 0.55)].sum() == 0, "nothing white above the subtitle area"
        assert white[int(height * 0.6):].sum() > 50, "the cue's subtitle is burned into the lower part"
        columns = np.nonzero(white.any(axis=0))[0]
        widths.append(columns.max() - columns.min())
        caption = sheet[y1 + 2 : y1 + 38, x0:x1]
        assert (caption.min(axis=2) > 180).sum() > 100, "a caption (cue number, file line, timecode) under the tile"
    assert widths[0] < widths[1] < widths[2], "each tile shows its own cue (the texts get longer)"


def find_tiles(sheet: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(x0, y0, x1, y1) of each rectangle of slate grey on the sheet, in reading order."""
    grey = (np.abs(sheet - 0x40) < 12).all(axis=2)
    rows = _runs(grey.mean(axis=1) > 0.2)
    tiles = []
    for y0, y1 in rows:
        for x0, x1 in _runs(grey[y0:y1].mean(axis=0) > 0.5):
            tiles.append((x0, y0, x1, y1))
    return tiles


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) of each run of True longer than 20."""
    edges = np.diff(np.concatenate([[0], mask.astype(int), [0]]))
    starts, stops = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
    return [(int(a), int(b)) for a, b in zip(starts, stops) if b - a > 20]


# --- check and render --lang -----------------------------------------------------------------


def test_check_lists_each_language_with_cues_encoding_font_and_warnings(run_cli, tmp_path: Path, slate: Path) -> None:  # type: ignore[no-untyped-def]
    project = subtitled_project(tmp_path, slate, {"en": FAST})
    write(tmp_path / "subs" / "ru.srt", RUSSIAN, encoding="cp1251", newline="\r\n")
    result = run_cli("check", str(project))
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert "  subtitles en: 3 cues, utf-8, font Noto Sans, 1 warning(s)" in lines
    assert "  subtitles ru: 3 cues, cp1251, font Noto Sans, 1 warning(s)" in lines
    assert f"    {tmp_path / 'subs' / 'en.srt'}:6: cue 2 warning [cps] 28.9 characters per second" in result.stdout
    assert f"    {tmp_path / 'subs' / 'ru.srt'}: warning [encoding] the file is cp1251 (Windows Cyrillic, detected)" in result.stdout
    assert lines[-1] == "OK"


def test_check_with_a_broken_subtitle_file_exits_2_naming_file_and_line(run_cli, tmp_path: Path, slate: Path) -> None:  # type: ignore[no-untyped-def]
    project = subtitled_project(tmp_path, slate, {"en": CLEAN, "ru": RUSSIAN.replace("00:00:01,050 -->", "00:00:01.05 -->")})
    result = run_cli("check", str(project))
    assert result.exit_code == 2, result
    assert "  subtitles en: 3 cues, utf-8, font Noto Sans, 0 warning(s)" in result.stdout
    assert "  subtitles ru: FAILED (below)" in result.stdout and "OK" not in result.stdout.splitlines()
    where = tmp_path / "subs" / "ru.srt"
    assert f"{where}:6: cue 2 error [parse] '00:00:01.05' has 2 digit(s) after '.'" in result.stderr
    assert "Traceback" not in result.stderr


def test_render_lang_the_project_has_no_file_for_names_the_languages_it_has(run_cli, tmp_path: Path, slate: Path) -> None:  # type: ignore[no-untyped-def]
    project = subtitled_project(tmp_path, slate, {"en": CLEAN, "ru": RUSSIAN})
    result = run_cli("render", str(project), "--lang", "xx")
    assert result.exit_code == 2, result
    assert f"filmkit: error: {project}:" in result.stderr
    assert "no subtitles for language 'xx'; this project has: en, ru" in result.stderr
    assert not (tmp_path / "out").exists()


def test_render_lang_without_a_subtitles_section_says_what_to_add(run_cli, tmp_path: Path, slate: Path) -> None:  # type: ignore[no-untyped-def]
    project = write_project(tmp_path, f"""
        filmkit: 1
        title: Bare
        format: {{size: 320x180, fps: 25}}
        media: {{slate: "{slate}"}}
        cut:
          - {{media: slate, in: 0, out: 1}}
    """)
    result = run_cli("render", str(project), "--lang", "ru")
    assert result.exit_code == 2, result
    assert "no subtitles for language 'ru'; this project has: none. Add `ru: subs/ru.srt`" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("lang", "expected"), [
    ("en+ru+fr", "--lang 'en+ru+fr': give one language (ru) or two joined by + (en+ru)"),
    ("en+", "--lang 'en+': give one language (ru) or two joined by + (en+ru)"),
    ("en+en", "--lang 'en+en': the two languages of a bilingual burn must differ (e.g. en+ru)"),
])
def test_render_lang_that_is_not_one_or_two_languages_exits_2(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, slate: Path, lang: str, expected: str
) -> None:
    project = subtitled_project(tmp_path, slate, {"en": CLEAN, "ru": RUSSIAN})
    result = run_cli("render", str(project), "--lang", lang)
    assert result.exit_code == 2, result
    assert f"filmkit: error: {expected}" in result.stderr
    assert not (tmp_path / "out").exists()


# --- encodings, languages and projects on the command line (issue 11) -------------------------

GREEK = "1\n00:00:00,100 --> 00:00:00,950\nΆνεμοι φυσούν από τον βορρά.\n\n2\n00:00:01,050 --> 00:00:01,950\nΌλοι έτοιμοι;\n"


def test_lint_and_convert_refuse_a_legacy_file_they_cannot_tell_and_ask_for_the_language(  # type: ignore[no-untyped-def]
        run_cli, tmp_path: Path) -> None:
    source = write(tmp_path / "greek.srt", GREEK, encoding="iso8859_7")
    target = tmp_path / "greek.utf8.srt"
    for args in (("subs", "lint", str(source)), ("subs", "convert", str(source), str(target)),
                 ("subs", "shift", str(source), "--by", "1", "-o", str(target))):
        result = run_cli(*args)
        assert result.exit_code == 2, result
        assert (f"filmkit: error: {source}: the file is not UTF-8, and without its language filmkit cannot tell its "
                "encoding for sure: the bytes read plausibly in more than one encoding: iso8859-7 (ISO Greek) 'Άνεμοι "
                "φυσούν από τον βορρά.'; cp1253 (Windows Greek) '¶νεμοι φυσούν από τον βορρά.'") in result.stderr
        assert "Give its language (`--lang el`, or a name such as greek.el.srt) or its encoding " \
               "(`--encoding iso8859-7`" in result.stderr
        assert not target.exists()
    assert source.read_bytes() == GREEK.encode("iso8859_7"), "the source is left alone"


@pytest.mark.parametrize("option", [("--lang", "el"), ("--encoding", "iso-8859-7")])
def test_convert_with_the_language_or_the_encoding_writes_the_text(run_cli, tmp_path: Path, option) -> None:  # type: ignore[no-untyped-def]
    source = write(tmp_path / "greek.srt", GREEK, encoding="iso8859_7")
    target = tmp_path / "greek.utf8.srt"
    result = run_cli("subs", "convert", str(source), str(target), *option)
    assert result.exit_code == 0, result
    assert f"Wrote {target} (2 cues, read as iso8859-7 SRT)" in result.stderr
    assert target.read_text(encoding="utf-8") == GREEK
    lint = run_cli("subs", "lint", str(source), *option)
    assert lint.exit_code == 0 and "[encoding] the file is iso8859-7 (ISO Greek" in lint.stdout, lint
    shifted = run_cli("subs", "shift", str(source), "--by", "1", "-o", str(tmp_path / "later.srt"), *option)
    assert shifted.exit_code == 0 and "00:00:01,100 --> 00:00:01,950" in (tmp_path / "later.srt").read_text("utf-8")


@pytest.mark.parametrize("command", ["lint", "convert"])
@pytest.mark.parametrize("name", ["rot13", "base64", "zlib", "punycode"])
def test_encoding_option_takes_only_character_encodings(run_cli, tmp_path: Path, command: str, name: str) -> None:  # type: ignore[no-untyped-def]
    source = write(tmp_path / "en.srt", CLEAN)
    extra = (str(tmp_path / "out.srt"),) if command == "convert" else ()
    result = run_cli("subs", command, str(source), *extra, "--encoding", name)
    assert result.exit_code == 2, result
    assert f"filmkit: error: {source}: '{name}' is a Python codec (" in result.stderr
    assert "but not a character encoding of a text file, so no subtitle file is stored in it. Give a character " \
           "encoding: utf-8, utf-16, utf-32" in result.stderr
    assert not (tmp_path / "out.srt").exists()


def test_lint_without_files_or_project_is_a_usage_error(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("subs", "lint")
    assert result.exit_code == 2, result
    assert "give the subtitle files to lint (e.g. filmkit subs lint ru.srt), or --project EDIT.yaml" in result.stderr


# A cut at 1.0 s (frame 25 at 25 fps): CLEAN's cue 1 ends 1 frame before it, cue 2 starts 2 frames after it.
CUT_AT_1S = '  - {media: slate, in: 0, out: "00:00:01:00"}\n          - {color: black, duration: 2}'
SHOT_WARNINGS = ("cue 1 warning [shot-change] ends 1 frame(s) before the cut at 00:00:01,000 (frame 25); an out-time "
                 "within 13 frames of a shot change goes 2 frames before it, so the next cue can start on the cut. End "
                 "the cue at 00:00:00,920 (frame 23)",
                 "cue 2 warning [shot-change] starts 2 frame(s) after the cut at 00:00:01,000 (frame 25); an in-time less "
                 "than 13 frames (half a second) after a shot change goes on it. Start the cue at 00:00:01,000 (frame 25)")


def test_lint_against_a_project_checks_cues_against_its_cuts(run_cli, tmp_path: Path, slate: Path) -> None:  # type: ignore[no-untyped-def]
    project = subtitled_project(tmp_path, slate, {"en": CLEAN}, cut=CUT_AT_1S)
    path = tmp_path / "subs" / "en.srt"
    for args in (("--project", str(project)), ("--project", str(project), str(path))):
        result = run_cli("subs", "lint", *args)
        assert result.exit_code == 0, result
        assert result.stdout.splitlines() == [f"{path}:2: {SHOT_WARNINGS[0]} (Netflix Subtitle Timing Guidelines, as "
                                              "Subtitle Edit codes them)",
                                              f"{path}:6: {SHOT_WARNINGS[1]} (Netflix Subtitle Timing Guidelines, as "
                                              "Subtitle Edit codes them)"]
    assert run_cli("subs", "lint", str(path)).stdout == "", "without a project nothing knows the cuts"


def test_lint_with_a_project_takes_its_frame_rate_not_fps(run_cli, tmp_path: Path, slate: Path) -> None:  # type: ignore[no-untyped-def]
    project = subtitled_project(tmp_path, slate, {"en": CLEAN})
    result = run_cli("subs", "lint", "--project", str(project), "--fps", "30")
    assert result.exit_code == 2, result
    assert "--fps 30 and --project: the project's frame rate is the one its cuts are at; leave out --fps" in result.stderr


def test_check_reports_cues_against_the_cuts(run_cli, tmp_path: Path, slate: Path) -> None:  # type: ignore[no-untyped-def]
    project = subtitled_project(tmp_path, slate, {"en": CLEAN}, cut=CUT_AT_1S)
    result = run_cli("check", str(project))
    assert result.exit_code == 0, result
    assert "  subtitles en: 3 cues, utf-8, font Noto Sans, 2 warning(s)" in result.stdout.splitlines()
    for warning in SHOT_WARNINGS:
        assert warning in result.stdout


def test_lint_a_project_without_subtitle_files_says_what_to_do(run_cli, tmp_path: Path, slate: Path) -> None:  # type: ignore[no-untyped-def]
    project = write_project(tmp_path, f"""
        filmkit: 1
        title: Bare
        format: {{size: {W}x{H}, fps: 25}}
        media: {{slate: "{slate}"}}
        cut:
          - {{media: slate, in: 0, out: 3}}
    """)
    result = run_cli("subs", "lint", "--project", str(project))
    assert result.exit_code == 2, result
    assert (f"filmkit: error: {project}: the project lists no subtitle files (`subtitles: files:` or `dir:`), so there "
            f"is nothing to lint; name the files: filmkit subs lint --project {project} ru.srt") in result.stderr


def test_convert_refuses_bytes_invalid_in_the_encoding_naming_the_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """UTF-8 with one stray Windows-1252 byte: the copy would carry U+FFFD where a letter was."""
    source = tmp_path / "fr.srt"
    source.write_bytes(CLEAN.replace("Love wins.", "Déjà vu, l'été.").encode("utf-8").replace(b"One.", b"Voil\xe0."))
    result = run_cli("subs", "convert", str(source), str(tmp_path / "out.vtt"))
    assert result.exit_code == 2, result
    assert (f"filmkit: error: {source}: 1 problem(s) would lose text if filmkit wrote the file out (convert). line 3: "
            "bytes that are not valid utf-8 (shown as \ufffd): 'Voil\ufffd.'") in result.stderr
    assert not (tmp_path / "out.vtt").exists()
