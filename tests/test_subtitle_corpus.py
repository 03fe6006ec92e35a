"""Every subtitle file of the shared corpus (real files written by others, see SOURCES.md):
each loads with the right text, or fails with a SubtitleError naming the file and the problem.
No cue is ever merged or dropped silently: every timing line is a cue or an error finding."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import CORPUS

from filmkit.errors import SubtitleError
from filmkit.subtitles.load import load_subtitles
from filmkit.subtitles.model import Severity, SubtitleFile

pytestmark = pytest.mark.corpus

SUBTITLES = CORPUS / "subtitles"
FILES = sorted(p.relative_to(SUBTITLES).as_posix() for p in SUBTITLES.rglob("*") if p.is_file()) \
    if SUBTITLES.is_dir() else []

FAILS = {"quirks/exoplayer_subrip_empty.srt": "the file is empty"}


def script_share(subs: SubtitleFile, script: str) -> float:
    """Share of cues with at least one letter whose Unicode name starts with `script`."""
    def has(text: str) -> bool:
        return any(ch.isalpha() and unicodedata.name(ch, "").startswith(script) for ch in text)
    return sum(has(cue.text) for cue in subs.cues) / len(subs.cues)


def texts(subs: SubtitleFile) -> list[str]:
    return [cue.text for cue in subs.cues]


def codes(subs: SubtitleFile, severity: Severity | None = None) -> list[str]:
    return [f.code for f in subs.findings if severity is None or f.severity is severity]


def load(name: str) -> SubtitleFile:
    return load_subtitles(SUBTITLES / name)


SPOT_CHECKS: dict[str, Callable[[SubtitleFile], None]] = {
    # Double-encoded UTF-8 (mojibake), repaired and reported.
    "blender_sintel/sintel-ru.vtt": lambda s: (
        codes(s) == ["mojibake"] and script_share(s, "CYRILLIC") == 1 and "копьё" in s.cues[0].text) or _fail(s),
    "blender_sintel/sintel-de.vtt": lambda s: (codes(s) == ["mojibake"] and "töricht" in s.cues[2].text) or _fail(s),
    "blender_sintel/sintel-fr.vtt": lambda s: (codes(s) == ["mojibake"] and "passé" in s.cues[0].text) or _fail(s),
    "blender_sintel/sintel-es.vtt": lambda s: (codes(s) == ["mojibake"] and "preparación" in s.cues[2].text
                                               and not any("Ã" in t for t in texts(s))) or _fail(s),
    "blender_sintel/sintel-pl.vtt": lambda s: (codes(s) == ["mojibake"] and "mroczną przeszłość" in s.cues[0].text
                                               and not any("Å" in t for t in texts(s))) or _fail(s),
    "blender_sintel/sintel-it.vtt": lambda s: (codes(s, Severity.ERROR) == ["encoding"]
                                               and "U+009D" in s.findings[0].message) or _fail(s),
    "blender_sintel/sintel-pt.vtt": lambda s: (s.findings == () and any("ã" in t for t in texts(s))) or _fail(s),
    "blender_sintel/short_clip/sintel-short-en.vtt": lambda s: (
        (s.cues[0].text, s.cues[0].start, s.cues[0].end) == ("[Test]", 0, 12)) or _fail(s),
    "blender_sintel/sintel_en_shifted_plus30s.srt": lambda s: (s.cues[0].start == Fraction(13725, 100)) or _fail(s),
    "blender_tears_of_steel/TOS-en.vtt": lambda s: (
        (s.cues[0].start, s.cues[0].text) == (23, "You're a jerk, Thom.")) or _fail(s),
    # Scripts other than Latin.
    "quirks/cdown-srt_gb2312.srt": lambda s: (
        s.encoding in ("gb2312", "gbk", "gb18030") and texts(s)[0] == "宇宙守护神  保护我们远离邪恶"
        and script_share(s, "CJK") == 1) or _fail(s),
    "blender_elephants_dream/captions.ar.vtt": lambda s: (script_share(s, "ARABIC") > 0.9) or _fail(s),
    "ableplayer_deadline/deadline_captions_ar.vtt": lambda s: (script_share(s, "ARABIC") > 0.9) or _fail(s),
    "blender_elephants_dream/captions.ru.vtt": lambda s: (script_share(s, "CYRILLIC") > 0.9) or _fail(s),
    "blender_elephants_dream/captions.ja.vtt": lambda s: (
        script_share(s, "HIRAGANA") + script_share(s, "KATAKANA") > 0.9) or _fail(s),
    "ableplayer_itaccess/itaccess_subtitles_zh-cn.vtt": lambda s: (script_share(s, "CJK") > 0.9) or _fail(s),
    "ableplayer_deadline/deadline_captions_hi.vtt": lambda s: (script_share(s, "DEVANAGARI") > 0.9) or _fail(s),
    "captionator_arduino/arduino-ja.srt": lambda s: (
        s.format == "vtt" and "named .srt but its content is WebVTT" in s.findings[0].message
        and script_share(s, "HIRAGANA") > 0.5) or _fail(s),
    # Encodings and byte-order marks: same cues as the plain UTF-8 file.
    "quirks/exoplayer_subrip_typical_utf16le.srt": lambda s: (
        s.encoding == "utf-16-le" and texts(s) == texts(load("quirks/exoplayer_subrip_typical.srt"))) or _fail(s),
    "quirks/exoplayer_subrip_typical_utf16be.srt": lambda s: (
        s.encoding == "utf-16-be" and texts(s) == texts(load("quirks/exoplayer_subrip_typical.srt"))) or _fail(s),
    "quirks/exoplayer_subrip_typical_with_byte_order_mark.srt": lambda s: (
        s.encoding == "utf-8-sig" and texts(s) == texts(load("quirks/exoplayer_subrip_typical.srt"))) or _fail(s),
    "quirks/pysrt_bom-utf-16-le.srt": lambda s: (texts(s) == texts(load("quirks/pysrt_bom-utf-8.srt"))) or _fail(s),
    "quirks/pysrt_bom-utf-16-be.srt": lambda s: (texts(s) == texts(load("quirks/pysrt_bom-utf-8.srt"))) or _fail(s),
    "quirks/exoplayer_ssa_typical_utf16le.ass": lambda s: (
        texts(s) == texts(load("quirks/exoplayer_ssa_typical.ass")) == [
            # no WrapStyle in [Script Info]: "\n" is a soft break (a space), only "\N" breaks the line
            "This is the first subtitle.", "This is the second subtitle with a newline\nand another.",
            "This is the third subtitle, with a comma."]) or _fail(s),
    "quirks/exoplayer_webvtt_with_wide_unicode_chars_and_cr_endings.vtt": lambda s: (
        texts(s) == ["😛\n😛"]) or _fail(s),
    "quirks/moviepy_subtitles-unicode.srt": lambda s: ("ÁÉíöÙ" in s.cues[0].text) or _fail(s),
    # Malformed files: read with warnings, or cues refused with errors on their lines.
    "quirks/exoplayer_subrip_typical_bad_timestamps.srt": lambda s: (
        len(s.cues) == 1 and [(f.line, f.severity) for f in s.findings] == [(6, Severity.ERROR), (10, Severity.ERROR)])
        or _fail(s),
    "quirks/exoplayer_subrip_typical_missing_timecode.srt": lambda s: (
        [c.number for c in s.cues] == [1, 3] and [f.line for f in s.findings] == [5, 14, 18]) or _fail(s),
    "quirks/exoplayer_subrip_typical_missing_sequence.srt": lambda s: (
        len(s.cues) == 3 and [(f.line, f.severity) for f in s.findings] == [(5, Severity.WARNING)]) or _fail(s),
    "quirks/exoplayer_subrip_typical_with_tags.srt": lambda s: (
        s.cues[0].text == "This is the first subtitle." and not any("{" in t for t in texts(s))) or _fail(s),
    "quirks/exoplayer_webvtt_with_x-timestamp-map_header.vtt": lambda s: (
        s.cues[0].start == 266 * 3600 + 18 * 60 + Fraction(35679, 1000) and s.cues[0].text == "Cue text one")
        or _fail(s),
    "quirks/exoplayer_webvtt_with_rubies.vtt": lambda s: (texts(s)[2] == "base1base2base3.") or _fail(s),
    "quirks/pysrt_no-indexes.srt": lambda s: (len(s.cues) == 7 and codes(s) == ["parse"]) or _fail(s),
    "quirks/pysrt_empty.srt": lambda s: ([c.text == "" for c in s.cues] == [False, False, True, True, False, False,
                                                                          False]) or _fail(s),
    "quirks/pysrt_capability_tester.srt": lambda s: (len(s.cues) == 37) or _fail(s),
}


def _fail(subs: SubtitleFile) -> None:
    raise AssertionError(f"unexpected result for {subs.path}: {[c.text for c in subs.cues][:5]} {subs.findings}")


def timing_lines(path: Path, subs: SubtitleFile) -> list[int]:
    """File lines that hold a cue's times, counted independently of the parser."""
    data = path.read_bytes()
    text = data.decode(subs.encoding, errors="replace").lstrip("\ufeff")
    lines = re.split(r"\r\n|\r|\n", text)
    if subs.format == "ass":
        return [n for n, line in enumerate(lines, start=1) if line.lstrip().lower().startswith("dialogue:")]
    return [n for n, line in enumerate(lines, start=1) if "-->" in line]


@pytest.mark.parametrize("name", FILES)
def test_corpus_file(corpus: Path, name: str) -> None:
    path = corpus / "subtitles" / name
    if name in FAILS:
        with pytest.raises(SubtitleError) as caught:
            load_subtitles(path)
        assert str(path) in str(caught.value) and FAILS[name] in str(caught.value)
        return
    subs = load_subtitles(path)
    assert subs.cues, "a file that loads has cues"
    # Never merged, never dropped silently: each timing line is a cue, or an error on that line.
    expected = timing_lines(path, subs)
    cue_lines = [cue.line for cue in subs.cues]
    refused = {f.line for f in subs.findings if f.code == "parse" and f.severity is Severity.ERROR} & set(expected)
    assert len(cue_lines) == len(set(cue_lines)) and not refused & set(cue_lines)
    assert sorted([*cue_lines, *refused]) == expected
    # Plain text: no markup left, unless reported as shown on screen.
    for cue in subs.cues:
        assert cue.end >= cue.start and cue.start >= 0
        assert "{\\" not in cue.text and not re.search(r"</?(i|b|u|font|v|c)[ .>]", cue.text), cue.text
        if re.search(r"<[A-Za-z][^<>]*>", cue.text):
            assert any("is not a SubRip tag" in f.message for f in subs.findings)
    if subs.encoding not in ("utf-8", "utf-8-sig"):
        assert "encoding" in codes(subs)
    SPOT_CHECKS.get(name, lambda s: None)(subs)


def test_every_spot_check_names_a_corpus_file(corpus: Path) -> None:
    assert not set(SPOT_CHECKS) - set(FILES)
    assert not set(FAILS) - set(FILES)
    assert len(FILES) >= 80  # SOURCES.md lists 82 subtitle files

