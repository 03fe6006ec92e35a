"""Legacy encodings without a hint: a file is read right or refused with the candidates named,
never decoded into garbage. The files of issue 11 (Hebrew ISO-8859-8 and Windows-1255, Polish
ISO-8859-2, Shift-JIS, Windows-1258), the encodings a user may name, and the measurement script
on a subset of the corpus."""

from __future__ import annotations

import importlib.util
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import CORPUS, REPO

from filmkit.errors import SubtitleError
from filmkit.subtitles.encoding import encode_legacy, text_encoding
from filmkit.subtitles.load import load_subtitles
from filmkit.subtitles.write import convert

LINES = {
    "he": ["אני צריכה למצוא את מאווי.", "הוא היחיד שיכול לעזור לנו.", "סבתא אמרה שהאוקיינוס בחר בי.",
           "אבל אני לא יודעת איך לשוט.", "אל תדאגי, אני אלמד אותך.", "למה שתעזור לי?"],
    "pl": ["Kapitanie, tarcze są w pełni sprawne.", "Silniki uszkodzone, ale możemy lecieć.",
           "Gdzie jest reszta załogi?", "Łączność z Ziemią została przerwana.", "Życzę nam powodzenia."],
    "ja": ["こんにちは、お元気ですか？", "駅までどうやって行けばいいですか。", "まっすぐ行って、二つ目の角を右です。",
           "プライベートな話をしてもいいですか。"],
    "vi": ["Tình yêu luôn chiến thắng.", "Tôi không biết phải làm gì bây giờ.", "Hôm nay trời đẹp quá, đi dạo nhé.",
           "Chúng ta sẽ gặp lại nhau ở Hà Nội."],
    "el": ["Άνεμοι φυσούν από τον βορρά.", "Ήρθε η ώρα να φύγουμε.", "Όλοι είναι έτοιμοι;"],
}


def srt(lines: list[str]) -> str:
    return "\n\n".join(f"{n}\n00:00:{n:02d},000 --> 00:00:{n:02d},900\n{line}" for n, line in enumerate(lines, 1)) + "\n"


def legacy_file(folder: Path, lang: str, codec: str, name: str = "moana.srt") -> Path:
    """The sample dialogue of `lang` saved in `codec` under a name that says nothing of its language."""
    path = folder / name
    path.write_bytes(encode_legacy(srt(LINES[lang]), codec))
    return path


# Hebrew without vowel points is the same text in ISO-8859-8 and Windows-1255; Shift-JIS is read
# with Windows' superset cp932: the more common name is reported.
@pytest.mark.parametrize("lang, codec, read_as", [
    ("he", "iso8859_8", "cp1255"), ("he", "cp1255", "cp1255"), ("pl", "iso8859_2", "iso8859-2"),
    ("pl", "cp1250", "cp1250"), ("ja", "shift_jis", "cp932"), ("ja", "euc_jp", "euc_jp"),
    ("ja", "iso2022_jp", "iso2022_jp"), ("vi", "cp1258", "cp1258"),
])
@pytest.mark.parametrize("hint", [True, False], ids=["with-lang", "without-lang"])
def test_legacy_files_of_the_issue_read_right(tmp_path: Path, lang: str, codec: str, read_as: str, hint: bool) -> None:
    subs = load_subtitles(legacy_file(tmp_path, lang, codec), lang=lang if hint else None)
    assert [cue.text for cue in subs.cues] == LINES[lang]  # Vietnamese tone marks come back composed (NFC)
    assert subs.encoding == read_as and [f.code for f in subs.findings] == ["encoding"]


def test_iso_2022_jp_is_not_taken_for_utf8(tmp_path: Path) -> None:
    """ISO-2022-JP is 7-bit, so its bytes are valid UTF-8 full of ESC characters."""
    subs = load_subtitles(legacy_file(tmp_path, "ja", "iso2022_jp"), lang="ja")
    assert subs.encoding == "iso2022_jp" and "\x1b" not in subs.cues[0].text


def test_windows_1258_text_is_composed(tmp_path: Path) -> None:
    data = legacy_file(tmp_path, "vi", "cp1258").read_bytes()
    assert "\u0301".encode("cp1258") in data  # a tone mark stored on its own, as Vietnamese Windows tools write it
    text = load_subtitles(tmp_path / "moana.srt", lang="vi").cues[0].text
    assert text == unicodedata.normalize("NFC", text) == "Tình yêu luôn chiến thắng."


# --- refused rather than guessed --------------------------------------------------------------


def test_a_file_two_encodings_read_plausibly_is_refused_naming_both(tmp_path: Path) -> None:
    """ISO-8859-7 and Windows-1253 differ in "Ά": without the language filmkit will not pick one."""
    path = legacy_file(tmp_path, "el", "iso8859_7", name="greek.srt")
    with pytest.raises(SubtitleError) as caught:
        load_subtitles(path)
    assert str(caught.value) == (
        f"{path}: the file is not UTF-8, and without its language filmkit cannot tell its encoding for sure: the bytes "
        "read plausibly in more than one encoding: iso8859-7 (ISO Greek) 'Άνεμοι φυσούν από τον βορρά.'; cp1253 "
        "(Windows Greek) '¶νεμοι φυσούν από τον βορρά.'. filmkit does not guess, since a wrong guess turns every "
        "accented letter into garbage. Give its language (`--lang el`, or a name such as greek.el.srt) or its encoding "
        "(`--encoding iso8859-7`; in a project, `subtitles: encoding: {el: iso8859-7}`), or save it as UTF-8 in the "
        "program that made it")
    assert [cue.text for cue in load_subtitles(path, lang="el").cues] == LINES["el"]
    assert [cue.text for cue in load_subtitles(path, encoding="iso-8859-7").cues] == LINES["el"]
    named = path.with_name("greek.el.srt")
    path.rename(named)
    assert [cue.text for cue in load_subtitles(named).cues] == LINES["el"]  # the language in the name is the hint


def test_convert_refuses_what_it_cannot_read_for_sure_and_writes_nothing(tmp_path: Path) -> None:
    source = legacy_file(tmp_path, "el", "iso8859_7", name="greek.srt")
    with pytest.raises(SubtitleError, match="cannot tell its encoding for sure"):
        convert(source, tmp_path / "out.srt")
    assert not (tmp_path / "out.srt").exists()
    done = convert(source, tmp_path / "out.srt", lang="el")
    assert done.loaded.encoding == "iso8859-7"
    assert [cue.text for cue in load_subtitles(tmp_path / "out.srt").cues] == LINES["el"]


def test_bytes_no_encoding_reads_as_text_are_refused(tmp_path: Path) -> None:
    """Control bytes everywhere: every code page decodes them, none into text."""
    path = tmp_path / "noise.srt"
    path.write_bytes(b"1\n00:00:01,000 --> 00:00:02,000\n" + bytes(range(0x80, 0xA0)) * 3 + b"\n")
    with pytest.raises(SubtitleError) as caught:
        load_subtitles(path)
    assert f"{path}: the file is not UTF-8, and without its language filmkit cannot tell" in str(caught.value)
    assert "no encoding filmkit knows reads it as real text (the least bad is" in str(caught.value)


def test_a_language_whose_code_pages_do_not_fit_falls_back_to_the_others(tmp_path: Path) -> None:
    """ru.srt that is really Windows-1252 French: read as French, not as Cyrillic garbage."""
    lines = ["Où est le café ? Déjà l'été.", "Très bien, à bientôt !", "Ça va, merci beaucoup."]
    path = tmp_path / "ru.srt"
    path.write_bytes(srt(lines).encode("cp1252"))
    subs = load_subtitles(path)
    assert [cue.text for cue in subs.cues] == lines and subs.encoding == "cp1252"


def test_convert_refuses_bytes_that_are_not_valid_in_the_encoding(tmp_path: Path) -> None:
    """UTF-8 with one stray Windows-1252 byte: the line would be written with U+FFFD in it."""
    source = tmp_path / "fr.srt"
    source.write_bytes(srt(["Déjà l'été, très bien.", "Voilà."]).encode("utf-8").replace("Voilà".encode(), b"Voil\xe0"))
    with pytest.raises(SubtitleError) as caught:
        convert(source, tmp_path / "out.srt")
    assert f"{source}: 1 problem(s) would lose text if filmkit wrote the file out (convert). line 7: bytes that are " \
           "not valid utf-8" in str(caught.value)
    assert not (tmp_path / "out.srt").exists()


# --- encodings a user names --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["rot13", "hex", "base64", "zlib", "bz2", "uu", "quopri", "undefined", "punycode",
                                  "idna", "unicode_escape", "raw_unicode_escape", "charmap"])
def test_codecs_that_are_not_character_encodings_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / "en.srt"
    path.write_text(srt(["Hello."]), encoding="utf-8")
    with pytest.raises(SubtitleError) as caught:
        load_subtitles(path, encoding=name)
    message = str(caught.value)
    assert message.startswith(f"{path}: {name!r} is a Python codec (")
    assert "but not a character encoding of a text file, so no subtitle file is stored in it. Give a character " \
           "encoding: utf-8, utf-16, utf-32, the Windows code pages cp874 and cp1250 to cp1258" in message


@pytest.mark.parametrize("name, shown", [("win-cyrillic", "'win-cyrillic'"), ("utf\x00-8", "'utf\\x00-8'"),
                                         ("no such", "'no such'")])
def test_unknown_encoding_names_are_refused_listing_what_is_accepted(name: str, shown: str) -> None:
    with pytest.raises(SubtitleError) as caught:
        text_encoding(name, Path("ru.srt"))
    assert str(caught.value).startswith(f"ru.srt: unknown encoding {shown}. Give a character encoding: utf-8, utf-16")
    assert str(caught.value).endswith("or leave the encoding out to let filmkit detect it")


@pytest.mark.parametrize("name, codec", [("UTF8", "utf-8"), ("latin-1", "iso8859-1"), ("windows-1251", "cp1251"),
                                         ("Shift_JIS", "shift_jis"), ("utf-16", "utf-16"), ("koi8_r", "koi8-r")])
def test_real_encodings_are_accepted_under_any_spelling(name: str, codec: str) -> None:
    assert text_encoding(name) == codec


# --- the measurement, on a subset of the corpus ------------------------------------------------


def _benchmark():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("subtitle_encodings", REPO / "benchmarks" / "subtitle_encodings.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["subtitle_encodings"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.corpus
def test_detection_on_corpus_files_re_encoded_is_right_or_refused_never_wrong() -> None:
    bench = _benchmark()
    names = ["captions.ru.vtt", "captions.ja.vtt", "captions.ar.vtt", "sintel-pl.vtt", "TOS-de.vtt", "sintel-fr.vtt"]
    trials, _skipped = bench.run(CORPUS / "subtitles", names)
    assert {(t.lang, t.encoding) for t in trials} >= {("ru", "koi8_r"), ("ru", "mac_cyrillic"), ("ja", "euc_jp"),
                                                      ("ar", "iso8859_6"), ("pl", "iso8859_2"), ("fr", "iso8859_15")}
    assert [t for t in trials if t.with_hint != "right"] == []
    assert [t for t in trials if t.without_hint == "wrong"] == []
    assert sum(t.without_hint == "right" for t in trials) >= 0.9 * len(trials)
    assert "| **all** |" in bench.table(trials)
