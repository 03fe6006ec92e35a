"""`filmkit subs layout --json` shows what is burned: the same lines, faces, direction and boxes.

Issue 11: for Thai, Japanese, Korean, Hebrew with a leading Latin word, Arabic with digits,
Hindi and a Thai cue with an English name, at 16:9 and on a 9:16 platform, the layout breaks
only at ICU line-break opportunities, gives every run a face that covers it, runs right to
left where the language does, keeps to the line counts, and places boxes inside the safe area
(on 9:16 in the band below the picture); then the real render draws the text inside the
reported box during the cue and nothing outside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from fontTools.ttLib import TTFont

from conftest import make_clip, read_frames, write_project
from filmkit.text.breaks import join_lines, opportunities
from filmkit.text.fonts import IGNORED
from test_export import tiny_preset

W, H = 480, 270
CUES = {
    "th": ["พวกเราต่างก็แชร์ข้อมูลเกี่ยวกับการเดินทางของเราให้กันและกันทุกวันตลอดฤดูกาลแข่งขัน",
           'ร่วมกับ "Adamant" Art School ในกรุงเทพ'],
    "ja": ["プライベートなデータベースを使って、ブロックチェーンの仕組みを学びます。"],
    "ko": ["블록체인 데이터베이스는 우리의 모든 기록을 안전하게 지킵니다"],
    "he": ["Tor מאבטח את החיבור שלך לאינטרנט"],
    "ar": ["سجّلت 12 نقطة في الجولة 3 من البطولة"],
    "hi": ["चार साल तक हर सुबह जल्दी उठना, और आज स्वर्ण पदक।"],
}
RTL = {"he", "ar"}
SLOTS = [("00:00:00,200", "00:00:01,400"), ("00:00:01,600", "00:00:02,800")]


def srt(texts: list[str]) -> str:
    return "\n".join(f"{i + 1}\n{start} --> {end}\n{text}\n" for i, (text, (start, end)) in enumerate(zip(texts, SLOTS)))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("layout")
    slate = make_clip(folder / "media" / "slate.mp4", color="0x303030", size=f"{W}x{H}", seconds=3)
    (folder / "subs").mkdir()
    for lang, texts in CUES.items():
        (folder / "subs" / f"{lang}.srt").write_text(srt(texts), encoding="utf-8")
    tiny_preset(folder, "tiny-vertical", "instagram-reel", (270, 480))
    return write_project(folder, f"""
filmkit: 1
title: Layout
format: {{size: {W}x{H}, fps: 25}}
media: {{slate: "{slate}"}}
cut:
  - {{media: slate, in: 0, out: 3}}
subtitles:
  dir: subs
""")


def layout(run_cli, project: Path, lang: str, platform: str | None) -> dict:  # type: ignore[no-untyped-def, type-arg]
    args = ["subs", "layout", str(project), "--lang", lang, "--json"] + (["--platform", platform] if platform else [])
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def covered(path: str, text: str) -> bool:
    with TTFont(path, fontNumber=0 if not path.endswith((".ttc", ".otc")) else 0, lazy=True) as font:
        cmap = font.getBestCmap() or {}
    return all(ord(ch) in cmap or ch in IGNORED for ch in text)


@pytest.mark.parametrize("platform", [None, "tiny-vertical"])
@pytest.mark.parametrize("lang", list(CUES))
def test_layout_is_what_is_burned(run_cli, project: Path, tmp_path: Path, lang: str, platform: str | None) -> None:  # type: ignore[no-untyped-def]
    report = layout(run_cli, project, lang, platform)
    width, height = report["width"], report["height"]
    assert (width, height) == ((270, 480) if platform else (W, H))
    assert [cue["index"] for cue in report["cues"]] == list(range(1, len(CUES[lang]) + 1))
    assert not [f for f in report["findings"] if f["code"] in ("glyph", "layout")], report["findings"]
    s_left, s_top, s_right, s_bottom = report["safe_area"]
    p_left, p_top, p_right, p_bottom = report["picture"]
    for cue, original in zip(report["cues"], CUES[lang]):
        lines = cue["lines"]
        assert 1 <= len(lines) <= (3 if platform else 2) and cue["fits"]
        # Lines are slices of the text, broken only where ICU allows a line break.
        paragraph, _, _ = join_lines(original, lang)
        allowed = opportunities(paragraph, lang)
        at = 0
        for line in lines[:-1]:
            at = paragraph.index(line["text"], at) + len(line["text"])
            while at < len(paragraph) and paragraph[at] == " ":
                at += 1
            assert at in allowed, (line["text"], at)
        assert "".join(line["text"] for line in lines).replace(" ", "") == paragraph.replace(" ", "")
        for line in lines:
            assert line["direction"] == ("rtl" if lang in RTL else "ltr")
            for run in line["runs"]:
                assert covered(run["file"], run["text"]), run
        left, top, right, bottom = cue["box"]
        assert s_left <= left and right <= s_right and s_top <= top and bottom <= s_bottom, (cue["box"], report["safe_area"])
        if platform:  # the band below the composed picture, never over its middle
            assert top >= p_bottom, (cue["box"], report["picture"])
    if lang == "th":  # the English name in a Thai cue is drawn by the Latin face, the Thai by the Thai face
        runs = [run for line in report["cues"][1]["lines"] for run in line["runs"]]
        assert {run["font"] for run in runs if "Adamant" in run["text"]} == {"Noto Sans"}
        assert {run["font"] for run in runs if "ร่วม" in run["text"]} == {"Noto Sans Thai"}

    # The render draws the text inside the reported box during the cue, and nowhere else.
    out = tmp_path / f"{lang}.mp4"
    args = ["render", str(project), "--lang", lang, "-o", str(out)] + (["--platform", platform] if platform else [])
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    frames = read_frames(out)
    quiet = frames[int(2.95 * 25) - 1].astype(int)  # after the last cue, before the end of the cut
    for cue in report["cues"]:
        during = frames[int((cue["start"] + cue["end"]) / 2 * 25)].astype(int)
        ink = np.abs(during - quiet).max(axis=2) > 60
        ys, xs = np.nonzero(ink)
        assert ys.size > 30, "text was drawn"
        left, top, right, bottom = cue["box"]
        tolerance = 2
        assert xs.min() >= left - tolerance and xs.max() <= right + tolerance, (xs.min(), xs.max(), cue["box"])
        assert ys.min() >= top - tolerance and ys.max() <= bottom + tolerance, (ys.min(), ys.max(), cue["box"])


def test_a_phone_frame_takes_a_third_line_only_when_two_cannot_hold_the_cue(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Two slightly smaller lines read better and cover less of the picture than three; a cue too
    long for two lines even at the floor still gets its third line on 9:16."""
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "ja.srt").write_text(srt([
        "彼女は金メダルを取ったのに、一緒に喜べる人がいない。",  # 3 lines at full size, 2 a little smaller
        "四年間、毎朝早く起きて練習を続けてきた彼女は、今日ついに金メダルを手にした。",  # 3 lines even smaller
    ]), encoding="utf-8")
    project = write_project(tmp_path, "filmkit: 1\ntitle: Lines\nformat: {size: 1280x720, fps: 25}\n"
                                      "cut:\n  - {color: \"#335577\", duration: 3}\nsubtitles: {dir: subs}\n")
    cues = layout(run_cli, project, "ja", "instagram-reel")["cues"]
    assert len(cues[0]["lines"]) == 2 and cues[0]["fits"]
    assert len(cues[1]["lines"]) == 3 and cues[1]["fits"]
