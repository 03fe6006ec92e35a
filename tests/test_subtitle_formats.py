"""What each format means by its markup, and filmkit's writers: ASS soft and hard breaks, the
MicroDVD italic marker in SubRip, empty cues in conversions, and text that every writer must
escape so that the file reads back to the same cues (write -> read round trips on real files)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from filmkit.errors import SubtitleError
from filmkit.subtitles.lint import lint
from filmkit.subtitles.load import load_subtitles
from filmkit.subtitles.model import Cue, Severity
from filmkit.subtitles.write import convert, write_subtitles


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def ass(events: str, script_info: str = "") -> str:
    return ("[Script Info]\nScriptType: v4.00+\n" + script_info + "\n[Events]\n"
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n" + events)


# --- ASS line breaks ------------------------------------------------------------------------


@pytest.mark.parametrize("wrap_style, expected", [
    ("", "one two\nthree"),  # no WrapStyle: 0, smart wrapping; \n is a soft break (a space)
    ("WrapStyle: 0\n", "one two\nthree"),
    ("WrapStyle: 1\n", "one two\nthree"),
    ("WrapStyle: 3\n", "one two\nthree"),
    ("WrapStyle: 2\n", "one\ntwo\nthree"),  # no wrapping: \n breaks the line too
])
def test_ass_soft_break_is_a_line_break_only_under_wrap_style_2(tmp_path: Path, wrap_style: str,
                                                                  expected: str) -> None:
    path = write(tmp_path / "subs.ass", ass("Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,one\\ntwo\\Nthree\n",
                                            wrap_style))
    assert [cue.text for cue in load_subtitles(path).cues] == [expected]


def test_ass_wrap_style_override_in_the_event_wins(tmp_path: Path) -> None:
    events = ("Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\q2}one\\ntwo\n"
              "Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,{\\q1}one \\n two\n")
    subs = load_subtitles(write(tmp_path / "subs.ass", ass(events, "WrapStyle: 2\n")))
    assert [cue.text for cue in subs.cues] == ["one\ntwo", "one two"]


def test_ass_escapes_as_libass_reads_them(tmp_path: Path) -> None:
    events = "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,\\{not an override\\} a\\hb {\\i1}c{unclosed\n"
    assert load_subtitles(write(tmp_path / "subs.ass", ass(events))).cues[0].text == "{not an override} a\u00a0b c{unclosed"


# --- MicroDVD's italic marker in SubRip -------------------------------------------------------


def test_microdvd_italic_marker_is_removed_with_a_warning(tmp_path: Path) -> None:
    content = ("1\n00:00:01,000 --> 00:00:02,000\n/I am italic.\nNot me.\n\n"
               "2\n00:00:03,000 --> 00:00:04,000\n<i>/Me too.</i>\n\n"
               "3\n00:00:05,000 --> 00:00:06,000\n//a comment, and a/b\n")
    subs = load_subtitles(write(tmp_path / "en.srt", content))
    assert [cue.text for cue in subs.cues] == ["I am italic.\nNot me.", "Me too.", "//a comment, and a/b"]
    [finding] = subs.findings
    assert (finding.code, finding.severity, finding.line, finding.cue) == ("parse", Severity.WARNING, 3, 1)
    assert finding.message == ("the line starts with '/', MicroDVD's italic marker, which SubRip players show as a slash "
                               "(and 1 more line(s)); filmkit removes it. Delete the '/' (or write <i>...</i> for "
                               "italics)")


def test_a_slash_in_webvtt_is_text(tmp_path: Path) -> None:
    subs = load_subtitles(write(tmp_path / "en.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n/path\n"))
    assert subs.cues[0].text == "/path" and subs.findings == ()


# --- round trips -----------------------------------------------------------------------------

TRICKY = [
    "An arrow --> in the text",
    "--> at the start",
    "10 -> 20, 3 => 4",
    "1\n00:00:01,000 --> 00:00:02,000",
    "A < B & C > D",
    "<i>not a tag</i>, <b>, </u> and <br>",
    "&amp; &lt; &#123; &nbsp; &nosuch; written out",
    "{\\an8}not an override",
    "{braces} and }{ and {",
    "back\\slash \\N \\n \\h \\{ \\} \\p1 \\\u2060",
    "/not italic\n//double",
    "NOTE this line\nWEBVTT",
    "tab\there, no\u00a0break",
    "مرحبا، كيف حالك؟\nשלום",
    "日本語、テスト。",
    "😀 «quotes» — dash",
]


@pytest.mark.parametrize("suffix", [".srt", ".vtt", ".ass"])
def test_every_file_filmkit_writes_reads_back_to_the_same_cues(tmp_path: Path, suffix: str) -> None:
    cues = tuple(Cue(n, Fraction(2 * n), Fraction(2 * n + 1), text, 0) for n, text in enumerate(TRICKY, start=1))
    path = tmp_path / f"out{suffix}"
    write_subtitles(cues, path)
    back = load_subtitles(path)
    assert [(c.start, c.end, c.text) for c in back.cues] == [(c.start, c.end, c.text) for c in cues]
    assert back.findings == () and back.encoding == "utf-8"


def test_srt_writer_escapes_only_what_would_be_misread(tmp_path: Path) -> None:
    cues = [Cue(1, Fraction(1), Fraction(2), "A --> B\n/x\nplain & simple, 1 < 2", 0)]
    write_subtitles(cues, tmp_path / "out.srt")
    assert (tmp_path / "out.srt").read_text(encoding="utf-8") == (
        "1\n00:00:01,000 --> 00:00:02,000\nA --&gt; B\n&#47;x\nplain & simple, 1 < 2\n")


def test_ass_writer_escapes_braces_and_backslashes(tmp_path: Path) -> None:
    write_subtitles([Cue(1, Fraction(1), Fraction(2), "{x} a\\Nb\nnext", 0)], tmp_path / "out.ass")
    dialogue = (tmp_path / "out.ass").read_text(encoding="utf-8").splitlines()[-1]
    assert dialogue.endswith(",,\\{x} a\\\u2060Nb\\Nnext")


# --- empty cues in conversions ---------------------------------------------------------------

WITH_EMPTY = ("1\n00:00:01,000 --> 00:00:02,000\nFirst.\n\n2\n00:00:03,000 --> 00:00:04,000\n\n"
              "3\n00:00:05,000 --> 00:00:06,000\n<i></i>\n\n4\n00:00:07,000 --> 00:00:08,000\nLast.\n")


@pytest.mark.parametrize("suffix", [".srt", ".vtt", ".ass"])
def test_convert_leaves_out_empty_cues_with_a_note(tmp_path: Path, suffix: str) -> None:
    source = write(tmp_path / "en.srt", WITH_EMPTY)
    assert [f.code for f in lint(load_subtitles(source), lang="en") if f.severity is Severity.ERROR] == ["empty", "empty"]
    done = convert(source, tmp_path / f"out{suffix}")
    assert done.notes == ("cue 2 (line 6, 00:00:03,000) has no text; it is left out of the converted file",
                          "cue 3 (line 9, 00:00:05,000) has no text; it is left out of the converted file")
    back = load_subtitles(tmp_path / f"out{suffix}")
    assert [(cue.number, cue.text) for cue in back.cues] == [(1, "First."), (2, "Last.")]
    assert not [f for f in lint(back, lang="en") if f.severity is Severity.ERROR]


def test_convert_of_a_file_of_empty_cues_is_refused(tmp_path: Path) -> None:
    source = write(tmp_path / "en.srt", "1\n00:00:01,000 --> 00:00:02,000\n<i></i>\n")
    with pytest.raises(SubtitleError) as caught:
        convert(source, tmp_path / "out.srt")
    assert str(caught.value) == (f"{source}: every one of its 1 cue(s) is empty, so there is nothing to write to "
                                 f"{tmp_path / 'out.srt'}. Write the text of the cues (or export the subtitles again)")
    assert not (tmp_path / "out.srt").exists()
