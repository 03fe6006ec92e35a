"""Burned-in subtitles in every script, proven on decoded frames.

A grey slate carries two cues; text (near-white pixels) must appear on exactly the frames
each cue covers and nowhere else. Shaping, direction and regional faces are checked by
comparing renders that must (or must not) differ.
"""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from conftest import read_frames, write_project
from filmkit.media.ffmpeg import ffmpeg_binary
from filmkit.text.fonts import choose_font
from filmkit.render.plan import plan_render
from filmkit.render.run import render

# Two cues: 0.5-1.2 s and 1.8-2.4 s -> frames 13-29 and 45-59 at 25 fps (starts snap to the next frame).
CUE_FRAMES = [range(13, 30), range(45, 60)]
# Big enough that the smallest script (CJK at 5.5% of the height) has plenty of solid pixels.
W, H = 640, 360

SCRIPTS = {
    "en": ["Love always wins.", "She cannot celebrate."],
    "ru": ["Любовь всегда побеждает.", "Она не может праздновать."],
    "el": ["Η αγάπη πάντα νικά.", "Δεν μπορεί να γιορτάσει."],
    "ar": ["الحب ينتصر دائماً!", "لا تستطيع أن تحتفل."],
    "he": ["האהבה תמיד מנצחת!", "היא לא יכולה לחגוג."],
    "hi": ["प्यार हमेशा जीतता है।", "वह जश्न नहीं मना सकती।"],
    "zh": ["爱总会赢。", "她不能庆祝。"],
    "ja": ["愛はいつも勝つ。", "彼女は祝えない。"],
    "th": ["ความรักชนะเสมอ", "เธอฉลองไม่ได้"],
}


def srt(cues: list[str]) -> str:
    times = ["00:00:00,500 --> 00:00:01,200", "00:00:01,800 --> 00:00:02,400"]
    return "\n".join(f"{i}\n{t}\n{text}\n" for i, (t, text) in enumerate(zip(times, cues), 1))


def project_with(folder: Path, subs: dict[str, str], size: str = f"{W}x{H}", extra: str = "") -> Path:
    for lang, text in subs.items():
        (folder / "subs").mkdir(parents=True, exist_ok=True)
        (folder / "subs" / f"{lang}.srt").write_text(text, encoding="utf-8")
    return write_project(folder, f"""
        filmkit: 1
        title: Burn
        format: {{size: {size}, fps: 25}}
        cut:
          - color: "#404040"
            duration: 3
        subtitles:
          dir: subs
        {extra}
    """)


def text_pixels(frame: np.ndarray) -> int:
    """Near-white pixels: subtitle fill on a dark grey slate."""
    return int((frame.min(axis=2) > 200).sum())


def burn(folder: Path, lang: str, **kwargs: str) -> list[np.ndarray]:
    output = render(plan_render(folder / "edit.yaml", lang=lang)).output
    return read_frames(output)


@pytest.mark.parametrize("lang", list(SCRIPTS))
def test_text_appears_exactly_during_each_cue(tmp_path: Path, lang: str) -> None:
    project_with(tmp_path, {lang: srt(SCRIPTS[lang])})
    frames = burn(tmp_path, lang)
    assert len(frames) == 75
    inside = {i for r in CUE_FRAMES for i in r}
    for index, frame in enumerate(frames):
        pixels = text_pixels(frame)
        if index in inside:
            assert pixels > 40, f"{lang}: frame {index} should show its cue"
        else:
            assert pixels == 0, f"{lang}: frame {index} is outside every cue but shows text"
    # text sits in the lower part of the frame, inside the picture
    ys, xs = np.nonzero(frames[20].min(axis=2) > 200)
    assert ys.min() > H * 0.55 and ys.max() < H * 0.96
    assert xs.min() > 4 and xs.max() < W - 4


def test_arabic_takes_its_base_direction_from_the_text(tmp_path: Path) -> None:
    """'!' ends an Arabic sentence on the left: same frame as an explicit RTL embedding."""
    plain = project_with(tmp_path / "plain", {"ar": srt(["الحب ينتصر دائماً!", "نعم."])})
    embedded = project_with(tmp_path / "rle", {"ar": srt(["\u202bالحب ينتصر دائماً!\u202c", "نعم."])})
    ltr = project_with(tmp_path / "ltr", {"ar": srt(["\u202aالحب ينتصر دائماً!\u202c", "نعم."])})
    a, b, c = (read_frames(render(plan_render(p, lang="ar")).output)[20] for p in (plain, embedded, ltr))
    assert np.abs(a.astype(int) - b.astype(int)).max() < 40, "automatic direction equals explicit RTL"
    assert np.abs(a.astype(int) - c.astype(int)).mean() > 0.5, "and differs from forced left-to-right"


def _bbox_width(frame: np.ndarray) -> int:
    xs = np.nonzero((frame.min(axis=2) > 200).any(axis=0))[0]
    return int(xs.max() - xs.min())


def test_devanagari_conjuncts_are_formed(tmp_path: Path) -> None:
    """With complex shaping, क्ष and त्र become conjuncts: narrower than the simple-shaped run."""
    project_with(tmp_path, {"hi": srt(["क्षत्रिय क्षमा", "त्रिशूल"])})
    plan = plan_render(tmp_path / "edit.yaml", lang="hi")
    complex_frame = read_frames(render(plan).output)[20]
    work = tmp_path / "work"
    work.mkdir()
    burn_files = plan.write_burn(work)
    assert burn_files is not None
    simple = tmp_path / "simple.png"
    subprocess.run([ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    f"color=c=0x404040:s={W}x{H}:r=25:d=1", "-vf",
                    f"setpts=PTS+0.8/TB,ass=filename={burn_files.ass_file}:fontsdir={burn_files.fonts_dir}:shaping=simple",
                    "-frames:v", "1", "-update", "1", str(simple)], check=True)
    from PIL import Image

    simple_frame = np.asarray(Image.open(simple).convert("RGB"))
    assert _bbox_width(complex_frame) < _bbox_width(simple_frame) - 4


def test_chinese_and_japanese_get_their_regional_faces(tmp_path: Path) -> None:
    assert choose_font("han", "zh").family == "Noto Sans CJK SC"
    assert choose_font("han", "ja").family == "Noto Sans CJK JP"
    assert choose_font("han", "zh-TW").family == "Noto Sans CJK TC"
    # 骨 and 直 are drawn differently in Chinese and Japanese typography
    zh = project_with(tmp_path / "zh", {"zh": srt(["骨直", "骨直"])})
    ja = project_with(tmp_path / "ja", {"ja": srt(["骨直", "骨直"])})
    a, b = (read_frames(render(plan_render(p, lang=lang)).output)[20] for p, lang in ((zh, "zh"), (ja, "ja")))
    assert np.abs(a.astype(int) - b.astype(int)).sum() > 1000


def test_long_thai_line_is_broken_to_stay_inside_the_frame(tmp_path: Path) -> None:
    long = "ความรักชนะเสมอแม้ในวันที่เธอไม่อาจเฉลิมฉลองกับคนที่เธอรักที่สุดในชีวิตของเธอ"
    project_with(tmp_path, {"th": srt([long, "ใช่"])})
    frame = burn(tmp_path, "th")[20]
    ys, xs = np.nonzero(frame.min(axis=2) > 200)
    assert xs.min() > 10 and xs.max() < W - 10, "no glyph runs off the frame"
    assert ys.max() - ys.min() > H * 0.12, "the line was broken into two"


def test_bilingual_burn_stacks_first_language_above_second(tmp_path: Path) -> None:
    project_with(tmp_path, {"en": srt(SCRIPTS["en"]), "ru": srt(SCRIPTS["ru"])})
    frame = read_frames(render(plan_render(tmp_path / "edit.yaml", lang="en+ru")).output)[20]
    rows = np.nonzero((frame.min(axis=2) > 200).any(axis=1))[0]
    bands = np.split(rows, np.nonzero(np.diff(rows) > 3)[0] + 1)
    assert len(bands) == 2, "two separate blocks of text"
    en_only = read_frames(render(plan_render(tmp_path / "edit.yaml", lang="en", output=None)).output)[20]
    en_rows = np.nonzero((en_only.min(axis=2) > 200).any(axis=1))[0]
    assert bands[0].max() < en_rows.min(), "English is lifted above the Russian block"


def test_style_box_and_colour_are_applied(tmp_path: Path) -> None:
    project_with(tmp_path, {"en": srt(SCRIPTS["en"])},
                 extra="  style: {box: true, box_opacity: 1.0, color: \"#FFFF00\"}")
    frame = burn(tmp_path, "en")[20]
    yellow = (frame[..., 0] > 200) & (frame[..., 1] > 200) & (frame[..., 2] < 80)
    assert yellow.sum() > 40, "yellow text"
    black = (frame.max(axis=2) < 20)
    assert black.sum() > 1600, "an opaque black box behind it"


def test_sidecar_srt_and_vtt_are_clean_utf8_on_the_record_timeline(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project_with(tmp_path, {"ru": srt(SCRIPTS["ru"]).replace("\n", "\r\n")})
    (tmp_path / "subs" / "ru.srt").write_bytes((tmp_path / "subs" / "ru.srt").read_text(encoding="utf-8").encode("cp1251"))
    result = run_cli("render", str(tmp_path / "edit.yaml"), "--lang", "ru", "--sidecar")
    assert result.exit_code == 0, result
    srt_file = tmp_path / "out" / "burn_ru.ru.srt"
    vtt_file = tmp_path / "out" / "burn_ru.ru.vtt"
    srt_text = srt_file.read_bytes().decode("utf-8")
    assert not srt_file.read_bytes().startswith(b"\xef\xbb\xbf") and "\r" not in srt_text
    assert "00:00:00,520 --> 00:00:01,200" in srt_text and "Любовь всегда побеждает." in srt_text
    assert vtt_file.read_text(encoding="utf-8").startswith("WEBVTT")


def test_cue_past_the_end_of_the_film_stops_the_burn(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    text = srt(SCRIPTS["en"]).replace("00:00:01,800 --> 00:00:02,400", "00:00:02,800 --> 00:00:05,000")
    project_with(tmp_path, {"en": text})
    result = run_cli("render", str(tmp_path / "edit.yaml"), "--lang", "en")
    assert result.exit_code == 2, result
    assert "en.srt:6" in result.stderr and "beyond-end" in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
