"""What the engine places is what libass burns: pixels inside each placed box, none outside.

Each case places two cues with `place_cues`, writes them with `write_ass` and burns them with the
bundled ffmpeg's libass (the `ass` filter, complex shaping, the chosen faces in its fonts folder,
as `tests/test_burn.py` does), then reads every frame: during a cue every pixel that differs from
the grey background lies inside that cue's box, and between cues nothing is drawn.
"""

from __future__ import annotations

import os
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from filmkit.media.ffmpeg import ffmpeg_binary
from filmkit.subtitles.ass import PlacedCue, Track, default_area, faces_used, place_cues, write_ass
from filmkit.subtitles.model import Cue

FPS = 10
GREY = (64, 64, 64)
CUE_TIMES = [(Fraction(2, 10), Fraction(6, 10)), (Fraction(8, 10), Fraction(12, 10))]
CASES = {
    "th": ["พวกเราต่างก็แชร์ข้อมูลเกี่ยวกับการรักษาความปลอดภัยออนไลน์ร่วมกับเพื่อนๆ ทุกคน", "ความรักชนะเสมอ"],
    "ja": ["プライベートな情報を守るために、私たちはいつもこのツールを使っています。", "愛はいつも勝つ。"],
    "ko": ["블록체인 데이터베이스는 모든 거래를 안전하게 기록합니다", "사랑은 항상 이긴다"],
    "he": ["Tor מאבטח את החיבור שלך לאינטרנט בכל מקום", "האהבה תמיד מנצחת!"],
    "ar": ["في عام 2024، فاز الحب مرة أخرى في 12 مدينة.", "الحب ينتصر دائماً!"],
    "hi": ["प्यार हमेशा जीतता है, चाहे कुछ भी हो जाए।", "क्षत्रिय क्षमा"],
    "th+latin": ['ร่วมกับ "Adamant" Art School', "ใช่ Adamant"],
}
SIZES = [(480, 270), (270, 480)]


def burn(placed: list[PlacedCue], width: int, height: int, folder: Path) -> list[np.ndarray]:
    """Every frame (RGB) of the placed cues burned over a grey frame, read back losslessly."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "subs.ass").write_text(write_ass(placed, width, height), encoding="utf-8")
    fonts = folder / "fonts"
    fonts.mkdir(exist_ok=True)
    for face in faces_used(placed):
        os.symlink(face.path, fonts / face.path.name)
    subprocess.run([ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
                    f"color=c=0x404040:s={width}x{height}:r={FPS}:d=1.4", "-vf",
                    f"format=rgb24,ass=filename={folder / 'subs.ass'}:fontsdir={fonts}:shaping=complex",
                    str(folder / "f%03d.png")], check=True, capture_output=True)
    return [np.asarray(Image.open(path).convert("RGB")) for path in sorted(folder.glob("f*.png"))]


def drawn(frame: np.ndarray) -> np.ndarray:
    """Pixels that differ from the grey background (text fill and outline)."""
    return np.abs(frame.astype(int) - np.array(GREY)).max(axis=2) > 24


def cues_of(texts: list[str]) -> tuple[Cue, ...]:
    return tuple(Cue(i + 1, start, end, text, 1) for i, (text, (start, end)) in enumerate(zip(texts, CUE_TIMES)))


@pytest.mark.parametrize("width,height", SIZES, ids=["16x9", "9x16"])
@pytest.mark.parametrize("case", list(CASES))
def test_text_is_drawn_inside_the_placed_box_and_nowhere_else(case: str, width: int, height: int,
                                                               tmp_path: Path) -> None:
    lang = case.split("+")[0]
    placed = place_cues([Track(lang, cues_of(CASES[case]))], width, height)
    assert all(cue.fits for cue in placed), [(cue.cue.number, len(cue.lines)) for cue in placed]
    area = default_area(width, height)
    for cue in placed:
        left, top, right, bottom = cue.box
        assert area[0] <= left and right <= area[2] and area[1] <= top and bottom <= area[3], (cue.box, area)
    frames = burn(placed, width, height, tmp_path)
    assert len(frames) == 14
    for index, frame in enumerate(frames):
        time = Fraction(index, FPS)
        showing = [cue for cue in placed if cue.cue.start <= time < cue.cue.end]
        mask = drawn(frame)
        if not showing:
            assert not mask.any(), f"{case}: frame {index} is between cues but shows text"
            continue
        (cue,) = showing
        left, top, right, bottom = cue.box
        inside = mask[top:bottom, left:right].sum()
        assert inside > 30, f"{case}: frame {index} shows no text in its box"
        mask[top:bottom, left:right] = False
        assert not mask.any(), (f"{case}: frame {index}: {int(mask.sum())} pixels drawn outside the box {cue.box} "
                                f"at {np.argwhere(mask)[:3].tolist()}")


def test_lines_are_centred_where_the_engine_put_them(tmp_path: Path) -> None:
    """The ink of each line is centred on the placed centre (libass measured like the engine)."""
    width, height = 480, 270
    placed = place_cues([Track("en", cues_of(["Love always wins, even when she is far away in the stands",
                                              "Yes"]))], width, height)
    frame = burn(placed, width, height, tmp_path)[3]
    cue = placed[0]
    assert len(cue.lines) == 2
    rows = drawn(frame)
    for line, baseline in zip(cue.lines, cue.baselines):
        band = rows[round(baseline - 0.7 * cue.font_size):round(baseline)]
        xs = np.nonzero(band.any(axis=0))[0]
        assert abs((xs.min() + xs.max()) / 2 - cue.center_x) <= 2
        assert abs((xs.max() - xs.min()) - line.width) <= 0.06 * cue.font_size + 6  # outline on both sides


def test_ass_names_a_face_and_size_per_run_and_marks_the_direction() -> None:
    placed = place_cues([Track("he", cues_of(["Tor מאבטח את החיבור שלך", "כן"]))], 1920, 1080)
    document = write_ass(placed, 1920, 1080)
    event = next(line for line in document.splitlines() if line.startswith("Dialogue:") and "Tor" in line)
    assert "{\\an2\\pos(960.0," in event
    assert event.count("\u200f") == 1 and "{\\fnHeebo\\fs" in event and "}\u200f{\\fnNoto Sans\\fs" in event
    assert "}Tor{\\fnHeebo\\fs" in event
    assert "Style: he,Noto Sans," in document and document.count(",-1\n") >= 1  # Encoding -1


def test_bilingual_cues_stack_without_overlapping(tmp_path: Path) -> None:
    upper = Track("en", cues_of(["Love always wins, even when she is far away", "Yes"]))
    lower = Track("ru", cues_of(["Любовь всегда побеждает, даже когда она далеко", "Да"]))
    placed = place_cues([upper, lower], 480, 270)
    first = [cue for cue in placed if cue.lang == "en"][0]
    second = [cue for cue in placed if cue.lang == "ru"][0]
    assert first.box[3] <= second.box[1]


def test_an_area_keeps_captions_inside_it() -> None:
    area = (40, 300, 500, 560)  # e.g. the band below a fitted picture on 9:16
    placed = place_cues([Track("en", cues_of(["Love always wins, even when she is far away", "Yes"]))], 540, 960,
                        area=area)
    for cue in placed:
        assert area[0] <= cue.box[0] and cue.box[2] <= area[2] and area[1] <= cue.box[1] and cue.box[3] <= area[3]
        assert cue.box[3] >= area[3] - 12  # at the bottom of the area


def test_a_cue_that_cannot_fit_says_so_with_the_platform_and_line_count() -> None:
    long = " ".join(["Love always wins, even when the medal is gold and she is far away in the stands."] * 3)
    placed = place_cues([Track("en", cues_of([long, "Yes"]))], 1920, 1080)
    assert not placed[0].fits and placed[1].fits and placed[1].layout_problem("youtube-1080p") is None
    message = placed[0].layout_problem("youtube-1080p")
    assert message is not None and "cue 1" in message and "youtube-1080p" in message
    assert f"needs {len(placed[0].lines)} lines" in message and len(placed[0].lines) > 2


def test_left_to_right_languages_get_no_mark_and_a_left_to_right_base() -> None:
    document = write_ass(place_cues([Track("en", cues_of(["Love always wins", "Yes"]))], 480, 270), 480, 270)
    assert "\u200f" not in document and "\u200e" not in document
    assert [line.rsplit(",", 1)[1] for line in document.splitlines() if line.startswith("Style:")] == ["1"]


def test_a_hebrew_line_starting_with_a_latin_word_is_drawn_right_to_left(tmp_path: Path) -> None:
    """The Latin run is coloured red in the burned ASS: it must end up at the right-hand end."""
    placed = place_cues([Track("he", cues_of(["Tor מאבטח את החיבור שלך", "כן"]))], 480, 270)
    document = write_ass(placed, 480, 270).replace("}Tor{", "\\c&H0000FF&}Tor{\\c&HFFFFFF&")
    folder = tmp_path / "he"
    burn(placed, 480, 270, folder)  # writes the fonts folder
    (folder / "subs.ass").write_text(document, encoding="utf-8")
    subprocess.run([ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
                    "color=c=0x404040:s=480x270:r=10:d=0.5", "-vf",
                    f"format=rgb24,ass=filename={folder / 'subs.ass'}:fontsdir={folder / 'fonts'}",
                    "-frames:v", "1", "-ss", "0.3", str(tmp_path / "frame.png")], check=True)
    frame = np.asarray(Image.open(tmp_path / "frame.png").convert("RGB")).astype(int)
    red = np.nonzero((frame[..., 0] > 180) & (frame[..., 1] < 90))[1]
    white = np.nonzero(frame.min(axis=2) > 180)[1]
    assert len(red) > 10 and len(white) > 10
    assert red.min() > white.max() - 2, "Tor is the rightmost word of the right-to-left line"
