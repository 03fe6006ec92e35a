"""Loading subtitle files: encodings, malformed files with the line to fix, WebVTT and ASS
specifics, and the writers that give translators clean UTF-8 back."""

from __future__ import annotations

import codecs
from fractions import Fraction
from pathlib import Path

import pytest

from filmkit.errors import SubtitleError
from filmkit.subtitles.encoding import detect_encoding, repair_mojibake
from filmkit.subtitles.lint import lint
from filmkit.subtitles.load import load_subtitles
from filmkit.subtitles.model import Cue, Severity, SubtitleFile
from filmkit.subtitles.write import convert, render_srt, shift, write_srt, write_subtitles, write_vtt

TEXTS = {
    "ru": ("Любовь всегда побеждает.\nЭто ёлка, «кавычки» — и тире.", "Спасибо, друг!"),
    "ar": ("الحب ينتصر دائما.\nمرحبا بالعالم؟", "شكرا لك يا صديقي"),
    "zh": ("爱总是胜利。\n你好，世界！", "谢谢你，朋友。"),
    "fr": ("L'amour gagne toujours.\nOù est le café ? Déjà l'été, à bientôt !", "Merci, très cher ami."),
}
LEGACY = {"ru": "cp1251", "ar": "cp1256", "zh": "gb2312", "fr": "cp1252"}


def srt_of(first: str, second: str, newline: str = "\n") -> str:
    text = f"1\n00:00:01,000 --> 00:00:03,500\n{first}\n\n2\n00:00:04,000 --> 00:00:06,000\n{second}\n"
    return text.replace("\n", newline)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def codes(subs: SubtitleFile) -> list[str]:
    return [finding.code for finding in subs.findings]


def only(subs: SubtitleFile, code: str):  # type: ignore[no-untyped-def]
    found = [finding for finding in subs.findings if finding.code == code]
    assert len(found) == 1, subs.findings
    return found[0]


# --- encodings -----------------------------------------------------------------------------

UNICODE_FORMS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-sig": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le+bom": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be+bom": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "utf-16-le": lambda text: text.encode("utf-16-le"),
    "utf-16-be": lambda text: text.encode("utf-16-be"),
}


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
@pytest.mark.parametrize("form", list(UNICODE_FORMS))
@pytest.mark.parametrize("lang", list(TEXTS))
def test_unicode_encodings_read_back_exactly(tmp_path: Path, lang: str, form: str, newline: str) -> None:
    first, second = TEXTS[lang]
    path = write(tmp_path, "subs.srt", UNICODE_FORMS[form](srt_of(first, second, newline)))
    subs = load_subtitles(path)
    assert [cue.text for cue in subs.cues] == [first, second]
    second_timing = 6 + first.count("\n")
    assert [(cue.start, cue.end, cue.line) for cue in subs.cues] == [
        (Fraction(1), Fraction(7, 2), 2), (Fraction(4), Fraction(6), second_timing)]
    assert subs.encoding == form.removesuffix("+bom")
    if form.startswith("utf-16"):
        assert codes(subs) == ["encoding"]
        assert form[:9] in only(subs, "encoding").message
    else:
        assert subs.findings == ()


@pytest.mark.parametrize("hint", [True, False], ids=["lang-hint", "no-hint"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
@pytest.mark.parametrize("lang", list(LEGACY))
def test_legacy_encodings_read_back_exactly(tmp_path: Path, lang: str, newline: str, hint: bool) -> None:
    first, second = TEXTS[lang]
    path = write(tmp_path, "subs.srt", srt_of(first, second, newline).encode(LEGACY[lang]))
    subs = load_subtitles(path, lang=lang if hint else None)
    assert [cue.text for cue in subs.cues] == [first, second]
    expected = {"gb2312": ("gb2312", "gbk", "gb18030")}.get(LEGACY[lang], (LEGACY[lang],))
    assert subs.encoding in expected
    finding = only(subs, "encoding")
    assert finding.severity is Severity.WARNING
    assert subs.encoding in finding.message and "not UTF-8" in finding.message and "converts" in finding.message


def test_language_in_the_file_name_is_the_hint(tmp_path: Path) -> None:
    """ru.srt in cp1251 is read as Russian without being told."""
    text = "Тихо.\nОн идёт."
    path = write(tmp_path, "film.ru.srt", srt_of(text, "Да.").encode("cp1251"))
    assert load_subtitles(path).cues[0].text == text


def test_detect_encoding() -> None:
    assert detect_encoding(codecs.BOM_UTF8 + b"1\n", None) == "utf-8-sig"
    assert detect_encoding(codecs.BOM_UTF16_LE + "1\n".encode("utf-16-le"), None) == "utf-16-le"
    assert detect_encoding(codecs.BOM_UTF16_BE + "1\n".encode("utf-16-be"), None) == "utf-16-be"
    assert detect_encoding(srt_of("Привет", "Да").encode("utf-16-le"), None) == "utf-16-le"
    assert detect_encoding(srt_of("Привет", "Да").encode("utf-8"), "ru") == "utf-8"
    assert detect_encoding(srt_of("Привет, мир", "Да").encode("cp1251"), "ru") == "cp1251"
    assert detect_encoding(srt_of("Zażółć gęślą jaźń", "Tak").encode("cp1250"), "pl") == "cp1250"
    assert detect_encoding(b"1\n00:00:01,000 --> 00:00:02,000\nplain ASCII\n", None) == "utf-8"


def test_encoding_override_wins(tmp_path: Path) -> None:
    text = "Любовь всегда побеждает."
    path = write(tmp_path, "subs.srt", srt_of(text, "Да.").encode("cp1251"))
    assert load_subtitles(path, encoding="cp1251").cues[0].text == text
    other = load_subtitles(path, encoding="koi8-r")  # a wrong but decodable choice is obeyed
    assert other.encoding == "koi8-r"
    assert other.cues[0].text == text.encode("cp1251").decode("koi8-r")
    assert "as you asked" in only(other, "encoding").message


def test_encoding_override_that_cannot_decode_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "subs.srt", srt_of("Hello.", "Любовь.").encode("cp1251"))
    with pytest.raises(SubtitleError) as caught:
        load_subtitles(path, encoding="utf-8")
    message = str(caught.value)
    assert f"{path}:7:" in message and "cannot be read as utf-8" in message and "cp1251" in message


def test_unknown_encoding_name(tmp_path: Path) -> None:
    path = write(tmp_path, "subs.srt", srt_of("Hello.", "Bye."))
    with pytest.raises(SubtitleError, match="unknown encoding 'win-cyrillic'"):
        load_subtitles(path, encoding="win-cyrillic")


def test_invalid_utf8_bytes_are_an_encoding_error_with_the_line(tmp_path: Path) -> None:
    data = srt_of("Déjà vu, très bien.", "Où est le café ?").encode("utf-8").replace("Où".encode(), b"O\xf9")
    subs = load_subtitles(write(tmp_path, "fr.srt", data))
    finding = only(subs, "encoding")
    assert (finding.severity, finding.line) == (Severity.ERROR, 7)
    assert "not valid utf-8" in finding.message


# --- mojibake ------------------------------------------------------------------------------


@pytest.mark.parametrize("original", [
    "Любовь всегда побеждает.", "Es ist töricht, so ganz allein.", "It’s déjà vu – “quoted”.", "Zażółć gęślą jaźń.",
])
def test_mojibake_is_repaired_and_reported(tmp_path: Path, original: str) -> None:
    garbled = garble(original)
    subs = load_subtitles(write(tmp_path, "subs.srt", srt_of("Fine line.", garbled)))
    assert subs.cues[1].text == original
    finding = only(subs, "mojibake")
    assert (finding.severity, finding.line) == (Severity.ERROR, 7)
    assert repr(original) in finding.message and repr(garbled) in finding.message


def garble(text: str) -> str:
    """UTF-8 bytes read as Windows-1252 the way Windows tools do it (undefined bytes as C1 controls)."""
    return "".join(bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in text.encode("utf-8"))


def test_cp1251_style_mojibake_is_repaired() -> None:
    assert repair_mojibake("РџСЂРёРІРµС‚") == "Привет"


@pytest.mark.parametrize("clean", ["naïve café, déjà vu", "ESPAÑA…", "«Я»", "Zażółć", "Привет", "你好", "مرحبا"])
def test_clean_text_is_not_mistaken_for_mojibake(clean: str) -> None:
    assert repair_mojibake(clean) is None


def test_control_character_is_reported(tmp_path: Path) -> None:
    subs = load_subtitles(write(tmp_path, "it.srt", srt_of("Sei pi\x9d vicino.", "Grazie.")))
    finding = only(subs, "encoding")
    assert finding.severity is Severity.ERROR and finding.line == 3
    assert "U+009D" in finding.message and "'ù' in Mac Roman" in finding.message


# --- malformed SubRip ----------------------------------------------------------------------


def test_missing_index_loads_with_a_warning_naming_the_line(tmp_path: Path) -> None:
    content = "1\n00:00:01,000 --> 00:00:02,000\nOne\n\n00:00:03,000 --> 00:00:04,000\nTwo\n"
    subs = load_subtitles(write(tmp_path, "subs.srt", content))
    assert [cue.text for cue in subs.cues] == ["One", "Two"]
    finding = only(subs, "parse")
    assert (finding.severity, finding.line) == (Severity.WARNING, 5)
    assert "no number line" in finding.message


def test_missing_blank_line_never_merges_cues(tmp_path: Path) -> None:
    content = ("1\n00:00:01,000 --> 00:00:02,000\nOne\n2\n00:00:03,000 --> 00:00:04,000\nTwo\n"
               "00:00:05,000 --> 00:00:06,000\nThree\n")
    subs = load_subtitles(write(tmp_path, "subs.srt", content))
    assert [(cue.number, cue.text, cue.line) for cue in subs.cues] == [(1, "One", 2), (2, "Two", 5), (3, "Three", 7)]
    warnings = [(f.line, f.severity) for f in subs.findings]
    assert warnings == [(4, Severity.WARNING), (7, Severity.WARNING)]
    assert "no blank line before cue number 2" in subs.findings[0].message


@pytest.mark.parametrize("timing, reason", [
    ("00:00:03,000 --> 00:00:04,56", "2 digit(s) after ','"),
    ("00:00:03,000 --> 00:00:04,5600", "4 digit(s) after ','"),
    ("00:00:03,000 --> 00:00:0x,000", "is not a time"),
    ("00:00:03,000 --> 00:01:75,000", "minutes and seconds must be 00-59"),
    ("-00:00:03,000 --> 00:00:04,000", "is negative"),
    ("00:00:05,000 --> 00:00:04,000", "ends before it starts"),
    ("00:00:03,000 -->", "has no end time"),
    ("00:00:03:12 --> 00:00:04:00", "timecode with frames"),
])
def test_bad_timestamp_is_an_error_on_its_line(tmp_path: Path, timing: str, reason: str) -> None:
    content = f"1\n00:00:01,000 --> 00:00:02,000\nOne\n\n2\n{timing}\nTwo\n\n3\n00:00:05,000 --> 00:00:06,000\nThree\n"
    subs = load_subtitles(write(tmp_path, "subs.srt", content))
    assert [(cue.number, cue.text) for cue in subs.cues] == [(1, "One"), (3, "Three")]
    finding = only(subs, "parse")
    assert (finding.severity, finding.line, finding.cue) == (Severity.ERROR, 6, 2)
    assert reason in finding.message and "'Two'" in finding.message


@pytest.mark.parametrize("timing, note, start", [
    ("00:00:01.250 --> 00:00:02.000", "uses '.' before the milliseconds instead of ','", Fraction(5, 4)),
    ("00:01,250 --> 00:02,000", "has no hours", Fraction(5, 4)),
    ("00:00:01 --> 00:00:02", "has no milliseconds", Fraction(1)),
    ("00:00:1,250 --> 00:00:2,000", "2 digits each", Fraction(5, 4)),
    ("00:00:01,250 -> 00:00:02,000", "the arrow '->' should be '-->'", Fraction(5, 4)),
])
def test_readable_deviations_load_with_a_warning(tmp_path: Path, timing: str, note: str, start: Fraction) -> None:
    subs = load_subtitles(write(tmp_path, "subs.srt", f"1\n{timing}\nOne\n"))
    assert subs.cues[0].start == start and subs.cues[0].end == 2
    finding = only(subs, "parse")
    assert (finding.severity, finding.line) == (Severity.WARNING, 2)
    assert note in finding.message


def test_text_without_a_timing_line_is_an_error(tmp_path: Path) -> None:
    content = "1\n00:00:01,000 --> 00:00:02,000\nOne\n\nstill one\n\n2\nTwo\n\n3\n00:00:05,000 --> 00:00:06,000\nThree\n"
    subs = load_subtitles(write(tmp_path, "subs.srt", content))
    assert [(cue.number, cue.text) for cue in subs.cues] == [(1, "One"), (3, "Three")]
    errors = [(f.line, f.cue) for f in subs.findings if f.severity is Severity.ERROR]
    assert errors == [(5, None), (7, 2)]
    assert "text that belongs to no cue (line 5: 'still one')" in subs.findings[0].message
    assert "cue 2 has no timing line (lines 7-8)" in subs.findings[1].message


def test_file_cut_short_after_a_number(tmp_path: Path) -> None:
    subs = load_subtitles(write(tmp_path, "subs.srt", "1\n00:00:01,000 --> 00:00:02,000\nOne\n\n2\n"))
    finding = only(subs, "parse")
    assert (finding.severity, finding.line) == (Severity.WARNING, 5) and "ends after cue number 2" in finding.message


def test_tags_and_ass_overrides_become_plain_text(tmp_path: Path) -> None:
    content = ("1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<i>Top</i> and <b>bold</b>\n"
               "<font color=\"#ff0000\">red</font> {\\pos(10,20)}text &amp; 2<3\n")
    subs = load_subtitles(write(tmp_path, "subs.srt", content))
    assert subs.cues[0].text == "Top and bold\nred text & 2<3"
    assert subs.findings == ()


def test_unknown_tag_is_kept_and_reported(tmp_path: Path) -> None:
    subs = load_subtitles(write(tmp_path, "subs.srt", "1\n00:00:01,000 --> 00:00:02,000\n<blink>Hi</blink>\n"))
    assert subs.cues[0].text == "<blink>Hi</blink>"
    assert "<blink> is not a SubRip tag" in only(subs, "parse").message


def test_overlapping_cues_are_an_error_naming_both(tmp_path: Path) -> None:
    content = "1\n00:00:01,000 --> 00:00:03,000\nOne\n\n2\n00:00:02,500 --> 00:00:04,000\nTwo\n"
    subs = load_subtitles(write(tmp_path, "subs.srt", content))
    assert len(subs.cues) == 2
    [finding] = [f for f in lint(subs, lang="en") if f.code == "overlap"]
    assert (finding.severity, finding.cue, finding.line) == (Severity.ERROR, 2, 6)
    assert "before cue 1 (line 2) ends at 00:00:03,000" in finding.message


@pytest.mark.parametrize("content, reason", [
    (b"", "the file is empty"),
    (b"\xef\xbb\xbf\n\n", "the file is empty"),
    (b"just some notes\nnothing else\n", "no timing line"),
    (b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)), "NUL bytes"),
    (b"1\n00:00:01,00 --> 00:00:02,000\nOne\n", "line 2:"),
])
def test_unreadable_files_raise_one_clear_error(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path, "bad.srt", content)
    with pytest.raises(SubtitleError) as caught:
        load_subtitles(path)
    assert str(path) in str(caught.value) and reason in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SubtitleError, match="no such file"):
        load_subtitles(tmp_path / "nope.srt")


# --- WebVTT --------------------------------------------------------------------------------

VTT = """WEBVTT - film
Kind: captions
Language: ru

NOTE a comment
that spans lines

STYLE
::cue { color: yellow }

REGION
id:fred width:40%

intro
00:01.000 --> 00:03.500 align:start position:10% line:-2
<v Анна>Привет,</v> <c.loud>мир</c>!
<i>Вторая</i> строка &amp; &lt;3

2
00:00:04.000 --> 00:00:05.000
<ruby>漢字<rt>かんじ</rt></ruby> at <00:00:04.500>five
"""


def test_webvtt_specifics(tmp_path: Path) -> None:
    subs = load_subtitles(write(tmp_path, "subs.vtt", VTT))
    assert subs.format == "vtt" and subs.findings == ()
    assert [(cue.start, cue.end, cue.line, cue.text) for cue in subs.cues] == [
        (Fraction(1), Fraction(7, 2), 15, "Привет, мир!\nВторая строка & <3"),
        (Fraction(4), Fraction(5), 20, "漢字 at five"),
    ]


def test_webvtt_with_cr_line_endings(tmp_path: Path) -> None:
    subs = load_subtitles(write(tmp_path, "subs.vtt", "WEBVTT\r\r00:00.000 --> 00:01.234\r😛\r😛\r"))
    assert [(cue.line, cue.text) for cue in subs.cues] == [(3, "😛\n😛")]


def test_webvtt_without_header_and_with_comma(tmp_path: Path) -> None:
    subs = load_subtitles(write(tmp_path, "subs.vtt", "00:00:01,000 --> 00:00:02,000\nHi\n"))
    assert subs.cues[0].start == 1 and subs.format == "vtt"
    messages = [(f.line, f.message) for f in subs.findings]
    assert messages[0][0] == 1 and "does not start with the line WEBVTT" in messages[0][1]
    assert messages[1][0] == 1 and "uses ',' before the milliseconds instead of '.'" in messages[1][1]


def test_webvtt_named_srt_is_read_as_webvtt(tmp_path: Path) -> None:
    subs = load_subtitles(write(tmp_path, "subs.srt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n"))
    assert subs.format == "vtt" and subs.cues[0].text == "Hi"
    assert "named .srt but its content is WebVTT" in only(subs, "parse").message


# --- ASS / SSA -----------------------------------------------------------------------------

ASS = r"""[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:01.00,0:00:02.50,Default,,0,0,0,,{\an8}Hello, {\i1}world{\i0}\Nsecond line
Comment: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,not shown
Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,{\p1}m 0 0 l 10 10{\p0}Text after a drawing
Dialogue: 0,0:00:05.00,Invalid,Default,,0,0,0,,Broken
Dialogue: 0,0:00:06.00,0:00:07.00,Default,,0,0,0,,Любовь, with commas, kept
"""


def test_ass_loading(tmp_path: Path) -> None:
    subs = load_subtitles(write(tmp_path, "subs.ass", ASS))
    assert subs.format == "ass"
    assert [(cue.number, cue.line, cue.start, cue.end, cue.text) for cue in subs.cues] == [
        (1, 10, Fraction(1), Fraction(5, 2), "Hello, world\nsecond line"),
        (2, 12, Fraction(3), Fraction(4), "Text after a drawing"),
        (4, 14, Fraction(6), Fraction(7), "Любовь, with commas, kept"),
    ]
    finding = only(subs, "parse")
    assert (finding.severity, finding.line, finding.cue) == (Severity.ERROR, 13, 3)
    assert "'Invalid' is not an ASS time" in finding.message


def test_ssa_v4_in_utf16(tmp_path: Path) -> None:
    ssa = ("[Script Info]\r\nScriptType: v4.00\r\n\r\n[Events]\r\nFormat: Marked, Start, End, Style, Name, MarginL, "
           "MarginR, MarginV, Effect, Text\r\nDialogue: Marked=0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Привет\r\n")
    subs = load_subtitles(write(tmp_path, "subs.ssa", codecs.BOM_UTF16_LE + ssa.encode("utf-16-le")))
    assert [(cue.line, cue.text) for cue in subs.cues] == [(6, "Привет")]
    assert subs.encoding == "utf-16-le"


# --- writing, converting, shifting ---------------------------------------------------------

CUES = (Cue(3, Fraction(1, 30), Fraction(2), "Первая строка\nвторая", 9),
        Cue(7, Fraction(2), Fraction(3661, 1), "A < B & C", 20))


def test_write_srt_and_vtt_are_clean_utf8(tmp_path: Path) -> None:
    write_srt(CUES, tmp_path / "out.srt")
    write_vtt(CUES, tmp_path / "out.vtt")
    assert (tmp_path / "out.srt").read_bytes() == (
        "1\n00:00:00,033 --> 00:00:02,000\nПервая строка\nвторая\n\n2\n00:00:02,000 --> 01:01:01,000\nA < B & C\n"
    ).encode("utf-8")
    assert (tmp_path / "out.vtt").read_bytes() == (
        "WEBVTT\n\n1\n00:00:00.033 --> 00:00:02.000\nПервая строка\nвторая\n\n"
        "2\n00:00:02.000 --> 01:01:01.000\nA &lt; B &amp; C\n").encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.srt", "out.vtt"]  # no temporaries left


@pytest.mark.parametrize("suffix", [".srt", ".vtt", ".ass"])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    cues = (Cue(1, Fraction(1), Fraction(5, 2), "Hello {there}\nsecond", 2), Cue(2, Fraction(3), Fraction(4), "你好", 6))
    write_subtitles(cues, tmp_path / f"out{suffix}")
    back = load_subtitles(tmp_path / f"out{suffix}")
    assert [(c.start, c.end, c.text) for c in back.cues] == [(c.start, c.end, c.text) for c in cues]
    assert back.encoding == "utf-8" and back.findings == ()


@pytest.mark.parametrize("target", ["out.srt", "out.vtt", "out.ass"])
def test_convert_legacy_file_to_clean_utf8(tmp_path: Path, target: str) -> None:
    first, second = TEXTS["ru"]
    source = write(tmp_path, "ru.srt", srt_of(first, second, "\r\n").encode("cp1251"))
    loaded = convert(source, tmp_path / target).loaded
    assert loaded.encoding == "cp1251"
    data = (tmp_path / target).read_bytes()
    assert not data.startswith(codecs.BOM_UTF8) and b"\r" not in data
    assert [cue.text for cue in load_subtitles(tmp_path / target).cues] == [first, second]


def test_convert_repairs_mojibake(tmp_path: Path) -> None:
    garbled = garble("Любовь.")
    source = write(tmp_path, "ru.srt", srt_of(garbled, "Да."))
    convert(source, tmp_path / "fixed.srt")
    fixed = load_subtitles(tmp_path / "fixed.srt")
    assert fixed.cues[0].text == "Любовь." and fixed.findings == ()


def test_convert_refuses_to_lose_cues(tmp_path: Path) -> None:
    source = write(tmp_path, "bad.srt", "1\n00:00:01,000 --> 00:00:02,000\nOne\n\n2\n00:00:03,00 --> 00:00:04,000\nTwo\n")
    with pytest.raises(SubtitleError, match=r"bad\.srt: 1 problem\(s\) would lose text.*line 6:"):
        convert(source, tmp_path / "out.srt")
    assert not (tmp_path / "out.srt").exists()


def test_convert_to_unknown_format(tmp_path: Path) -> None:
    source = write(tmp_path, "a.srt", srt_of("One", "Two"))
    with pytest.raises(SubtitleError, match=r"name the output b\.srt, b\.vtt or b\.ass"):
        convert(source, tmp_path / "b.txt")


def test_shift_later_and_earlier() -> None:
    later = shift(CUES, Fraction(30))
    assert [(c.start, c.end, c.number, c.line) for c in later] == [
        (Fraction(901, 30), Fraction(32), 3, 9), (Fraction(32), Fraction(3691), 7, 20)]
    assert later.notes == ()
    earlier = shift(CUES, Fraction(-1))
    assert earlier[0].start == 0 and earlier[0].end == 1
    assert earlier.notes == ("cue 3 (line 9) would start 0.97 s before 00:00:00; it now starts at 00:00:00",)


def test_shift_before_zero_is_an_error() -> None:
    with pytest.raises(SubtitleError, match=r"moves 1 cue\(s\) entirely before 00:00:00: cue 3 \(line 9\) ends at "
                                            r"00:00:02,000\. Shift by less than 2 s earlier"):
        shift(CUES, Fraction(-2))


def test_shift_round_trip_through_srt(tmp_path: Path) -> None:
    source = write(tmp_path, "en.srt", srt_of("One", "Two"))
    moved = shift(load_subtitles(source).cues, Fraction(-1, 2))
    write_subtitles(moved, tmp_path / "moved.srt")
    assert render_srt(load_subtitles(tmp_path / "moved.srt").cues) == srt_of("One", "Two").replace(
        "00:00:01,000 --> 00:00:03,500", "00:00:00,500 --> 00:00:03,000").replace(
        "00:00:04,000 --> 00:00:06,000", "00:00:03,500 --> 00:00:05,500")
