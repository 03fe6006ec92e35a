"""One tiny file per lint code, each triggering exactly that code, and a clean file that
triggers none; every message names the value, the limit and where the limit comes from."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from filmkit.errors import SubtitleError
from filmkit.subtitles.lint import count_characters, guess_lang, lint
from filmkit.subtitles.limits import limits_for
from filmkit.subtitles.load import load_subtitles
from filmkit.subtitles.model import Finding, Severity


def srt(*cues: tuple[str, str, str]) -> str:
    """SRT text from (start, end, text) triples."""
    return "\n".join(f"{i}\n{start} --> {end}\n{text}\n" for i, (start, end, text) in enumerate(cues, start=1))


CLEAN = srt(("00:00:01,000", "00:00:03,000", "Love always wins."),
            ("00:00:03,000", "00:00:05,500", "Two lines are fine\nwhen each is short."),
            ("00:00:06,000", "00:00:08,000", "The end."))


def lint_file(tmp_path: Path, content: str | bytes, *, name: str = "en.srt", lang: str | None = "en",
              **options: object) -> list[Finding]:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return lint(load_subtitles(path, lang=lang), lang=lang, **options)  # type: ignore[arg-type]


def single(findings: list[Finding], code: str) -> Finding:
    assert [f.code for f in findings] == [code], [str(f) for f in findings]
    return findings[0]


def test_clean_file_has_no_findings(tmp_path: Path) -> None:
    assert lint_file(tmp_path, CLEAN, film_end=Fraction(8)) == []


def test_encoding(tmp_path: Path) -> None:
    finding = single(lint_file(tmp_path, CLEAN.replace("Love", "Любовь").encode("cp1251"), name="ru.srt", lang="ru"),
                     "encoding")
    assert (finding.severity, finding.cue, finding.line) == (Severity.WARNING, None, None)
    assert "cp1251 (Windows Cyrillic, detected), not UTF-8: YouTube requires UTF-8 for SRT" in finding.message


def test_mojibake(tmp_path: Path) -> None:
    garbled = "Привет.".encode("utf-8").decode("latin-1")
    finding = single(lint_file(tmp_path, CLEAN.replace("The end.", garbled), lang="ru"), "mojibake")
    assert (finding.severity, finding.cue, finding.line) == (Severity.ERROR, 3, 12)
    assert f"{garbled!r} should read 'Привет.'" in finding.message


def test_parse(tmp_path: Path) -> None:
    finding = single(lint_file(tmp_path, CLEAN.replace("00:00:06,000", "00:00:06,00")), "parse")
    assert (finding.severity, finding.cue, finding.line) == (Severity.ERROR, 3, 11)
    assert "'00:00:06,00' has 2 digit(s) after ','" in finding.message


def test_overlap(tmp_path: Path) -> None:
    finding = single(lint_file(tmp_path, CLEAN.replace("00:00:03,000 --> 00:00:05,500",
                                                       "00:00:02,500 --> 00:00:05,500")), "overlap")
    assert (finding.severity, finding.cue, finding.line) == (Severity.ERROR, 2, 6)
    assert ("starts at 00:00:02,500, before cue 1 (line 2) ends at 00:00:03,000: 0.500 s with both on screen at "
            "once; cues must not overlap, and should be at least 2 frames apart (Netflix)") in finding.message


def test_cps(tmp_path: Path) -> None:
    text = "Twenty-one characters\nand another long line"  # 21 + 21 characters, spaces counted, in 2 s
    finding = single(lint_file(tmp_path, CLEAN.replace("Love always wins.", text)), "cps")
    assert (finding.severity, finding.cue, finding.line) == (Severity.WARNING, 1, 2)
    assert ("21.0 characters per second (42 characters, spaces included, in 2.00 s); the limit is 20 "
            "(Netflix via Subtitle Edit, English)") in finding.message


def test_cpl(tmp_path: Path) -> None:
    line = "This single line is far too long to read easily."  # 48 characters, in 2.5 s: 19.2 cps
    finding = single(lint_file(tmp_path, CLEAN.replace("Two lines are fine\nwhen each is short.", line)), "cpl")
    assert (finding.severity, finding.cue, finding.line) == (Severity.WARNING, 2, 6)
    assert f"line 1 of the cue has 48 characters; the limit is 42 characters per line (Netflix, English): {line!r}" \
        in finding.message


def test_cpl_counts_full_width_for_chinese(tmp_path: Path) -> None:
    text = "我们一直坚信每个人都应该有机会获得高等教育"  # 21 full-width characters
    findings = lint_file(tmp_path, srt(("00:00:01,000", "00:00:06,000", text)), name="zh.srt", lang="zh")
    finding = single(findings, "cpl")
    assert "21 full-width characters; the limit is 16 full-width characters per line (Netflix, Chinese)" \
        in finding.message


def test_lines(tmp_path: Path) -> None:
    three = "One.\nTwo.\nThree."
    content = CLEAN.replace("Love always wins.", three)
    finding = single(lint_file(tmp_path, content), "lines")
    assert (finding.severity, finding.cue, finding.line) == (Severity.WARNING, 1, 2)
    assert "3 lines; the limit is 2 (Netflix); 3 only on a 9:16 frame (BBC)" in finding.message
    assert lint_file(tmp_path, content, vertical=True) == []
    four = single(lint_file(tmp_path, CLEAN.replace("Love always wins.", three + "\nFour."), vertical=True), "lines")
    assert "4 lines; the limit is 3 (BBC for 9:16)" in four.message


def test_min_duration(tmp_path: Path) -> None:
    content = CLEAN.replace("00:00:01,000 --> 00:00:03,000\nLove always wins.", "00:00:02,500 --> 00:00:03,000\nYes.")
    finding = single(lint_file(tmp_path, content), "min-duration")
    assert (finding.severity, finding.cue, finding.line) == (Severity.WARNING, 1, 2)
    assert "on screen for 0.50 s; the minimum is 5/6 s (0.83 s) (Netflix)" in finding.message


def test_max_duration(tmp_path: Path) -> None:
    finding = single(lint_file(tmp_path, CLEAN.replace("00:00:06,000 --> 00:00:08,000",
                                                       "00:00:06,000 --> 00:00:13,500")), "max-duration")
    assert (finding.severity, finding.cue, finding.line) == (Severity.WARNING, 3, 11)
    assert "on screen for 7.50 s; the maximum is 7 s (Netflix)" in finding.message


def test_gap(tmp_path: Path) -> None:
    content = CLEAN.replace("00:00:06,000 --> 00:00:08,000", "00:00:05,540 --> 00:00:08,000")  # 1 frame at 25 fps
    finding = single(lint_file(tmp_path, content), "gap")
    assert (finding.severity, finding.cue, finding.line) == (Severity.WARNING, 3, 11)
    assert ("starts 1 frame(s) (40 ms) after cue 2 ends; the minimum gap is 2 frames at 25 fps (Netflix)"
            in finding.message)
    assert lint_file(tmp_path, content, fps=Fraction(50)) == []  # 2 frames at 50 fps


def test_empty(tmp_path: Path) -> None:
    content = "1\n00:00:01,000 --> 00:00:03,000\nLove always wins.\n\n2\n00:00:04,000 --> 00:00:05,000\n\n"
    finding = single(lint_file(tmp_path, content), "empty")
    assert (finding.severity, finding.cue, finding.line) == (Severity.ERROR, 2, 6)
    assert "the cue has no text, so nothing is shown" in finding.message


def test_beyond_end(tmp_path: Path) -> None:
    finding = single(lint_file(tmp_path, CLEAN, film_end=Fraction(15, 2)), "beyond-end")
    assert (finding.severity, finding.cue, finding.line) == (Severity.ERROR, 3, 11)
    assert ("ends at 00:00:08,000, after the end of the film (00:00:07,500), so it is cut short; cues must end by the "
            "end of the cut in the project") in finding.message


@pytest.mark.parametrize("lang, line, shown, fixed", [
    ("ar", ".الحب ينتصر دائما", "'.'", "'الحب ينتصر دائما.'"),
    ("ar", "؟هل أنت قادم", "'؟'", "'هل أنت قادم؟'"),
    ("fa", "…و بعد", "'…'", "'و بعد…'"),
    ("he", "!שלום", "'!'", "'שלום!'"),
    ("he", "\u200f,כן", "','", "'כן,'"),  # a bidi mark before the comma changes nothing
    ("ur", "،اور پھر", "'،'", "'اور پھر،'"),
    ("ckb", "...ئەوە", "'...'", "'ئەوە...'"),
    ("fa-IR", ":گفت", "':'", "'گفت:'"),
])
def test_rtl_punctuation(tmp_path: Path, lang: str, line: str, shown: str, fixed: str) -> None:
    content = srt(("00:00:01,000", "00:00:03,000", f"سطر أول\n{line}"))
    finding = single(lint_file(tmp_path, content, name="subs.srt", lang=lang), "rtl-punctuation")
    assert (finding.severity, finding.cue, finding.line) == (Severity.WARNING, 1, 2)
    assert finding.message.startswith(f"line 2 of the cue starts with {shown}: in ")
    assert ("written right to left, that punctuation belongs at the end of the line. The file was probably saved in "
            f"visual order (as it looks, not as it is read) by an old tool; write it in reading order: {fixed}"
            in finding.message)


@pytest.mark.parametrize("lang, line", [
    ("ar", "الحب ينتصر دائما."),  # reading order: the full stop at the end
    ("ar", "- هل أنت قادم؟"),  # a dialogue dash starts a line
    ("ar", "..."),  # no words to reorder
    ("en", ".NET is a framework"),  # left to right: not this check's business
    (None, "?what"),
])
def test_rtl_punctuation_is_quiet_on_lines_in_reading_order(tmp_path: Path, lang: str | None, line: str) -> None:
    content = srt(("00:00:01,000", "00:00:03,000", line))
    assert [f.code for f in lint_file(tmp_path, content, name="subs.srt", lang=lang)] == []


def test_order(tmp_path: Path) -> None:
    content = srt(("00:00:04,000", "00:00:06,000", "Second."), ("00:00:01,000", "00:00:03,000", "First."))
    finding = single(lint_file(tmp_path, content), "order")
    assert (finding.severity, finding.cue, finding.line) == (Severity.WARNING, 2, 6)


# --- counting and limits -------------------------------------------------------------------


def test_count_characters() -> None:
    assert count_characters("Hello, world!") == 13  # spaces and punctuation count
    assert count_characters("e\u0301t\u00e9") == 3  # a combining accent belongs to its letter
    assert count_characters("नमस्ते") == 4  # न म स त: the virama and the vowel sign are marks
    assert count_characters("\u200fمرحبا") == 5  # the bidi mark is invisible
    assert count_characters("日本語 abc", fullwidth=True) == Fraction(5)  # 3 + 0.5 * 4
    assert count_characters("…“”", fullwidth=True) == 3  # ambiguous-width punctuation is full-width in CJK


@pytest.mark.parametrize("lang, cpl, cps, source", [
    ("en", 42, 20, "Netflix, English"), ("ru", 42, 17, "Netflix, Russian"), ("ar", 42, 20, "Netflix, Arabic"),
    ("ja", 13, 4, "Netflix, Japanese"), ("zh-CN", 16, 9, "Netflix, Chinese"), ("zh_Hant", 16, 9, "Netflix, Chinese"),
    ("ko", 16, 12, "Netflix via Subtitle Edit, Korean"), ("th", 35, 17, "Netflix via Subtitle Edit, Thai"),
    ("hi", 42, 22, "Netflix via Subtitle Edit, Hindi"), ("pt-BR", 42, 17, "Netflix, other languages"),
    (None, 42, 17, "Netflix, other languages"),
])
def test_limits_per_language(lang: str | None, cpl: int, cps: int, source: str) -> None:
    limits = limits_for(lang)
    assert (limits.cpl.value, limits.cps.value, limits.cpl.source) == (cpl, cps, source)
    assert (limits.lines.value, limits.lines_vertical.value, limits.gap_frames.value) == (2, 3, 2)
    assert (limits.min_duration.value, limits.max_duration.value) == (Fraction(5, 6), 7)


def test_limits_override_from_the_project(tmp_path: Path) -> None:
    limits = limits_for("ru", {"ru": {"cpl": 39}, "default": {"max_duration": 8}})
    assert (limits.cpl.value, limits.cpl.source) == (39, "project file, ru")
    assert (limits.max_duration.value, limits.max_duration.source) == (8, "project file, all languages")
    assert limits.cps.source == "Netflix via Subtitle Edit, Russian"
    line = "Это очень длинная строка, сорок символов"  # 40 characters: under Netflix's 42 since December 2025
    content = srt(("00:00:01,000", "00:00:06,000", line))
    assert lint_file(tmp_path, content, name="ru.srt", lang="ru") == []
    found = lint_file(tmp_path, content, name="ru.srt", lang="ru", limits_override={"ru": {"cpl": 39}})
    assert [f.code for f in found] == ["cpl"] and "the limit is 39" in found[0].message


def test_unknown_override_key_is_an_error() -> None:
    with pytest.raises(SubtitleError, match=r"subtitles\.limits\.ru\.cpll: unknown limit 'cpll'\. Did you mean 'cpl'\?"):
        limits_for("ru", {"ru": {"cpll": 42}})


def test_every_number_in_the_limits_file_cites_its_source() -> None:
    text = (Path(__file__).resolve().parents[1] / "src" / "filmkit" / "data" / "subtitle_limits.yaml").read_text()
    for line in text.splitlines():
        if "value:" in line:
            assert re.search(r"#.*\[(NG|NE|NET|NR|NA|NJ|NC|SE|BBC)\]", line), line
            assert "source:" in line, line


@pytest.mark.parametrize("name, lang", [
    ("ru.srt", "ru"), ("captions.ar.vtt", "ar"), ("film_pt-BR.srt", "pt-br"), ("subs-zh-cn.vtt", "zh-cn"),
    ("TOS-de.vtt", "de"), ("fix_it_now.srt", None), ("sintel_en_shifted_plus30s.srt", None), ("subs.srt", None),
])
def test_guess_lang(name: str, lang: str | None) -> None:
    assert guess_lang(Path(name)) == lang
