"""The text engine without rendering: break opportunities, runs and faces, direction, fitting.

Every expectation is about real text in real fonts, measured by Pillow/raqm as the engine does.
"""

from __future__ import annotations

import pytest
from icu4py.breakers import LineBreaker

from filmkit.errors import FilmkitError
from filmkit.text.breaks import NO_LINE_END, NO_LINE_START, SMALL_KANA, join_lines, opportunities
from filmkit.text.faces import FaceSet, covers
from filmkit.text.fonts import choose_font, family_name, script_of
from filmkit.text.layout import LINE_PITCH, Paragraph, lay_out
from filmkit.text.runs import itemize, missing, paragraph_direction, visual_order

THAI = ("พวกเราต่างก็แชร์ข้อมูลเกี่ยวกับการรักษาความปลอดภัยออนไลน์ร่วมกับเพื่อนๆ "
        "ทุกคนในชุมชนของเราเพื่อให้ทุกคนปลอดภัยมากขึ้น")
KOREAN = "블록체인 데이터베이스는 모든 거래를 안전하게 기록하고 누구도 그것을 바꿀 수 없습니다"
JAPANESE = "プライベートな情報を守るために、私たちはいつもこのツールを使っています。ぜひ試してみてください！"


def block(text: str, lang: str, width: float, em: float = 40, lines: int = 2, min_em: float | None = None):  # type: ignore[no-untyped-def]
    return lay_out(text, lang, max_width=width, em=em, max_lines=lines, faces=FaceSet(lang), min_em=min_em)


def line_ends(text: str, lines: list[str]) -> list[int]:
    """Where each line but the last ends; asserts that the lines are consecutive slices of `text`
    with nothing added and nothing lost but the spaces at the breaks."""
    ends, position = [], 0
    for line in lines:
        assert text[position:position + len(line)] == line, (text[position:], line)
        position += len(line)
        ends.append(position)
        while position < len(text) and text[position] == " ":
            position += 1
    assert position == len(text)
    return ends[:-1]


def test_thai_breaks_only_at_icu_word_boundaries_and_adds_nothing() -> None:
    laid = block(THAI, "th", 420, lines=4)
    lines = [line.text for line in laid.lines]
    assert len(lines) >= 3
    icu = {end for _, end in LineBreaker(THAI, "th").segments()}
    for end in line_ends(THAI, lines):  # consecutive slices: no character added, none lost
        assert end in icu or THAI[end] == " ", f"break at {end} is not an ICU opportunity: {lines}"


def test_translator_newlines_in_thai_join_without_a_space() -> None:
    text, soft, hard = join_lines("พวกเราต่างก็แชร์\nข้อมูลเกี่ยวกับ", "th")
    assert text == "พวกเราต่างก็แชร์ข้อมูลเกี่ยวกับ" and soft == {16} and not hard
    assert join_lines("Love always\nwins", "en")[0] == "Love always wins"
    assert join_lines("ร่วมกับ Adamant\nArt School", "th")[0] == "ร่วมกับ Adamant Art School"
    assert join_lines("- Hi.\n- Hello.", "en")[2] == {6}  # a dialogue dash keeps its own line


def test_korean_breaks_only_at_spaces() -> None:
    laid = block(KOREAN, "ko", 380, lines=3)
    assert len(laid.lines) >= 2
    assert " ".join(line.text for line in laid.lines) == KOREAN
    words = set(KOREAN.split(" "))
    assert all(set(line.text.split(" ")) <= words for line in laid.lines)
    assert all(KOREAN[i - 1] == " " for i in opportunities(KOREAN, "ko"))


def test_japanese_follows_kinsoku_and_keeps_phrases() -> None:
    for width in (300, 360, 420, 520):
        laid = block(JAPANESE, "ja", width, lines=5)
        lines = [line.text for line in laid.lines]
        assert "".join(lines) == JAPANESE
        assert all(len(line) > 1 for line in lines), lines
        assert not any(line[0] in NO_LINE_START or line[0] in "。を" + SMALL_KANA for line in lines[1:]), lines
        assert not any(line[-1] in NO_LINE_END for line in lines), lines
        assert not any(line.endswith("い") and next_line.startswith("つも") for line, next_line in zip(lines, lines[1:]))
        line_ends(JAPANESE, lines)
    assert opportunities("私はいつも愛は勝つと信じています", "ja") == {2, 5, 7, 10}  # 私は|いつも|愛は|勝つと|信じています


def test_hebrew_starting_with_a_latin_word_is_right_to_left() -> None:
    text = "Tor מאבטח את החיבור שלך"
    laid = block(text, "he", 1000)
    line = laid.lines[0]
    assert laid.direction == line.direction == "rtl" and line.text == text
    assert [run.text for run in line.runs] == ["Tor", " מאבטח את החיבור שלך"]
    assert [run.text for run in line.visual_runs()] == [" מאבטח את החיבור שלך", "Tor"]
    assert paragraph_direction(text, None) == "ltr"  # without a language, the first strong letter decides


def test_thai_and_latin_runs_each_get_a_face_that_covers_them() -> None:
    text = 'ร่วมกับ "Adamant" Art School'
    runs = block(text, "th", 2000).lines[0].runs
    faces = {run.text.strip(' "'): run.font.family for run in runs}
    assert faces == {"ร่วมกับ": "Noto Sans Thai", 'Adamant" Art School'.strip(' "'): "Noto Sans"}
    assert all(covers(run.font, run.text) for run in runs)
    assert "".join(run.text for run in runs) == text


def test_arabic_with_digits_is_one_right_to_left_run() -> None:
    laid = block("في عام 2024، فاز الحب 12 مرة.", "ar", 2000)
    (run,) = laid.lines[0].runs
    assert run.font.family == "Noto Sans Arabic" and run.direction == "rtl" and covers(run.font, run.text)


def test_hindi_is_set_in_devanagari() -> None:
    laid = block("प्यार हमेशा जीतता है, चाहे कुछ भी हो जाए।", "hi", 340)
    assert len(laid.lines) == 2 and laid.fits
    assert {run.font.family for line in laid.lines for run in line.runs} == {"Noto Sans Devanagari"}
    assert laid.lines[0].text.endswith(",")  # broken after the comma


def test_balanced_lines_with_the_bottom_line_longer() -> None:
    text = "She won the gold medal and she cannot celebrate"
    laid = block(text, "en", 700)
    top, bottom = laid.lines
    assert bottom.width >= top.width and bottom.width - top.width < 0.35 * bottom.width
    assert top.text + " " + bottom.text == text
    assert not top.text.endswith((" the", " a")), "an article never ends a line"


def test_break_after_punctuation_and_before_conjunctions() -> None:
    laid = block("I waited for you all night, but you never came back home", "en", 800)
    assert laid.lines[0].text.endswith("night,")
    laid = block("Она ждала его всю ночь и он так и не пришёл домой", "ru", 640)
    assert len(laid.lines) == 2 and laid.lines[1].text.startswith("и ")


def test_shrinks_then_reports_overflow() -> None:
    text = "Love always wins, even when the medal is gold and the one she loves is far away in the stands"
    roomy = block(text, "en", 1200, em=40, min_em=34)
    assert roomy.fits and not roomy.shrunk and len(roomy.lines) == 2
    tight = block(text, "en", 840, em=40, min_em=34)
    assert tight.fits and tight.shrunk and len(tight.lines) == 2 and 34 <= tight.em < 40
    over = block(text, "en", 500, em=40, min_em=34)
    assert not over.fits and len(over.lines) > 2 and over.em == pytest.approx(34)
    assert all(line.width <= 500 for line in over.lines)


def test_uniform_line_pitch_for_every_script() -> None:
    for text, lang in (("الحب ينتصر دائماً، حتى عندما تكون بعيدة", "ar"), ("Love always wins, even far away", "en"),
                       ("ความรักชนะเสมอแม้ในวันที่เธออยู่ไกล", "th")):
        laid = block(text, lang, 380)
        assert len(laid.lines) == 2
        assert laid.line_pitch == pytest.approx(LINE_PITCH * 40)
        baselines = laid.baselines()
        assert baselines[1] - baselines[0] == pytest.approx(LINE_PITCH * 40)


def test_missing_glyph_is_tested_against_the_face_of_its_run() -> None:
    faces = FaceSet("th")
    spans = itemize("ร่วมกับ Adamant \U0001F496", faces)
    assert missing(spans) == ["\U0001F496"]
    assert block("Love \U0001F496", "en", 500).missing == ("\U0001F496",)


def test_scripts_from_unicode_and_new_faces() -> None:
    assert [script_of(c) for c in "aЖαאبकกあア漢한ក"] == ["latin", "cyrillic", "greek", "hebrew", "arabic",
                                                         "devanagari", "thai", "kana", "kana", "han", "hangul", "khmer"]
    assert script_of(" ") is None and script_of("1") is None
    for script, family in (("khmer", "Noto Sans Khmer"), ("tamil", "Noto Sans Tamil"), ("telugu", "Noto Sans Telugu")):
        face = choose_font(script)
        assert face.family == family == family_name(face.path, 0) and face.source == "package"
    laid = block("ការពារឯកជនភាពរបស់អ្នកនៅលើអ៊ីនធឺណិតគ្រប់ពេលវេលា", "km", 300, lines=3)
    assert len(laid.lines) >= 2 and all(covers(run.font, run.text) for line in laid.lines for run in line.runs)


def test_a_script_without_any_installed_face_names_what_to_install() -> None:
    try:
        choose_font("sinhala", "si")
    except FilmkitError as exc:
        assert "fonts-noto-core" in exc.message and "sinhala" in exc.message
    else:
        pytest.skip("a Sinhala font is installed on this machine")


def test_visual_order_of_runs() -> None:
    assert visual_order(["ltr", "rtl", "ltr"], "ltr") == [0, 1, 2]
    assert visual_order(["rtl", "ltr", "rtl"], "rtl") == [2, 1, 0]
    assert visual_order(["ltr", "ltr", "rtl"], "rtl") == [2, 0, 1]


def test_paragraph_lines_are_slices_and_fewest_is_minimal() -> None:
    paragraph = Paragraph(THAI, "th", FaceSet("th"))
    count = paragraph.fewest(40, 500)
    assert count is not None and paragraph.lines(40, 500, count - 1) is None
    lines = paragraph.lines(40, 500, count)
    assert lines is not None and all(line.text in THAI and line.width <= 500 for line in lines)


@pytest.mark.corpus
@pytest.mark.parametrize("name,lang", [("blender_elephants_dream/captions.ar.vtt", "ar"),
                                       ("blender_elephants_dream/captions.ja.vtt", "ja"),
                                       ("blender_elephants_dream/captions.ru.vtt", "ru"),
                                       ("ableplayer_deadline/deadline_captions_hi.vtt", "hi"),
                                       ("ableplayer_itaccess/itaccess_subtitles_zh-cn.vtt", "zh-cn")])
def test_real_files_lay_out_as_slices_in_covering_faces(corpus, name: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    from filmkit.subtitles.ass import Track, place_cues
    from filmkit.subtitles.load import load_subtitles

    subs = load_subtitles(corpus / "subtitles" / name, lang=lang)
    for width, height in ((1920, 1080), (1080, 1920)):
        for placed in place_cues([Track(lang, subs.cues)], width, height):
            paragraph = join_lines(placed.cue.text, lang)[0]
            line_ends(paragraph, [line.text for line in placed.lines])
            for line in placed.lines:
                assert "".join(run.text for run in line.runs) == line.text
                assert all(covers(run.font, run.text) for run in line.runs)
            assert placed.block.missing == ()
            if placed.fits:
                assert 0 <= placed.box[0] and placed.box[2] <= width and placed.box[3] <= height
