"""The closing card on the text engine: the same breaks, faces per run and direction as subtitles."""

from __future__ import annotations

import numpy as np
from icu4py.breakers import LineBreaker

from filmkit.card import CardContent, default_safe_area, draw_card, layout_card
from filmkit.text.faces import covers

THAI = "ความรักชนะเสมอไม่ว่าจะเกิดอะไรขึ้นก็ตามความรักชนะเสมอไม่ว่าจะเกิดอะไรขึ้น"


def taglines(lang: str, text: str, width: int, height: int) -> list:  # type: ignore[type-arg]
    return [line for line in layout_card([CardContent(lang, text)], width, height).lines if line.role == "tagline"]


def test_thai_card_breaks_at_icu_word_boundaries() -> None:
    lines = [line.text for line in taglines("th", THAI, 1080, 1920)]
    assert len(lines) >= 2 and "".join(lines) == THAI
    icu = {end for _, end in LineBreaker(THAI, "th").segments()}
    position = 0
    for line in lines[:-1]:
        position += len(line)
        assert position in icu, lines


def test_japanese_card_keeps_its_phrases_on_9x16() -> None:
    text = "愛はいつも勝つ、どんなに遠くにいても"
    for width, height in ((1080, 1920), (720, 1280)):
        lines = [line.text for line in taglines("ja", text, width, height)]
        assert "".join(lines) == text
        assert not any(a.endswith("い") or b.startswith("つも") for a, b in zip(lines, lines[1:])), lines
        assert all(len(line) > 1 for line in lines)


def test_korean_card_breaks_at_spaces() -> None:
    text = "사랑은 언제나 이긴다 블록체인 데이터베이스처럼"
    lines = [line.text for line in taglines("ko", text, 1080, 1920)]
    assert len(lines) >= 2 and " ".join(lines) == text


def test_thai_card_with_a_latin_name_draws_each_run_in_its_own_face() -> None:
    contents = [CardContent("th", 'ร่วมกับ "Adamant" Art School')]
    lines = taglines("th", contents[0].tagline, 1920, 1080)
    runs = [run for line in lines for run in line.runs]
    assert {run.font.family for run in runs} == {"Noto Sans Thai", "Noto Sans"}
    assert all(covers(run.font, run.text) for run in runs)
    image = np.asarray(draw_card(contents, 1920, 1080, background="#000000").convert("L"))
    area = default_safe_area(1920, 1080).box(1920, 1080)
    for line in lines:
        left, top, right, bottom = line.box
        assert area[0] <= left and right <= area[2]
        ink = np.nonzero((image[top:bottom] > 60).any(axis=0))[0]
        assert left - 2 <= int(ink.min()) <= left + 10 and right - 10 <= int(ink.max()) + 1 <= right + 2


def test_hebrew_card_starting_with_a_latin_word_reads_right_to_left() -> None:
    layout = layout_card([CardContent("he", "Tor מאבטח את החיבור שלך")], 1920, 1080, logo_size=(300, 300))
    line = next(line for line in layout.lines if line.role == "tagline")
    assert line.align == "r"  # the lockup is mirrored for a right-to-left tagline
    assert [run.text for run in line.runs][-1] == "Tor"  # drawn at the right-hand end
