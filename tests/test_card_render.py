"""The closing card in real renders: after the cut, to the frame, in each language and frame shape.

Each test decodes the end of a rendered film and checks the card is there (its background,
text inside the frame and the platform's safe area), that the cut before it was not
shortened, that subtitles never spill onto it, and that the film lasts cut + card exactly.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from ruamel.yaml import YAML

from conftest import GREEN, audio_samples, is_color, make_clip, mean_color, read_frames, write_project
from filmkit.platform.presets import packaged_presets_dir
from filmkit.media.probe import count_video_frames, probe
from filmkit.render.plan import RenderPlan, card_languages, plan_render
from filmkit.render.run import render

TAGLINES = {
    "en": "Love Always Wins",
    "ar": "الحب ينتصر دائماً",
    "hi": "प्यार की हमेशा जीत होती है",
    "zh": "爱总会赢",
}
CUT, CARD = 50, 50  # frames at 25 fps: a 2 s cut, a 2 s card
NAVY = (0x10, 0x20, 0x40)


def card_project(folder: Path, *, size: str = "320x180", card: str = "", subtitles: str = "",
                 background: str = '"#102040"') -> Path:
    make_clip(folder / "red.mp4", color="red", seconds=3)
    make_clip(folder / "green.mp4", color="lime", seconds=3, tone=660)
    text = "\n".join(f"            {lang}: {{tagline: {tagline}, hashtag: \"#LoveAlwaysWins\"}}" for lang, tagline in TAGLINES.items())
    return write_project(folder, f"""
        filmkit: 1
        title: Card
        format: {{size: {size}, fps: 25}}
        media: {{red: red.mp4, green: green.mp4}}
        cut:
          - media: red
            in: 0
            out: 1
          - media: green
            in: 0
            out: 1
        {subtitles}
        card:
          duration: 2
          fade: {{in: 0.4, out: 0.4}}
          background: {background}
          {card}
          text:
{text}
    """)


def text_box(frame: np.ndarray) -> tuple[int, int, int, int] | None:
    """Bounding box (x0, y0, x1, y1) of near-white pixels: the card's tagline."""
    ys, xs = np.nonzero(frame.min(axis=2) > 190)
    if not ys.size:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


@pytest.mark.parametrize("lang", list(TAGLINES))
def test_card_follows_the_cut_to_the_frame_in_every_language(tmp_path: Path, lang: str) -> None:
    project = card_project(tmp_path, size="480x270")
    film = render(card_version(project, tmp_path, lang)).output
    frames = read_frames(film)
    assert len(frames) == count_video_frames(film) == CUT + CARD
    assert float(probe(film).duration) == pytest.approx((CUT + CARD) / 25, abs=0.03)
    assert is_color(mean_color(frames[CUT - 1]), GREEN), "the cut's last frame is untouched: the card never eats it"
    held = frames[CUT + 10]  # fade done: the card alone
    assert is_color(mean_color(held, (0.0, 0.0, 0.1, 0.1)), NAVY, 12), "the card's background"
    box = text_box(held)
    assert box is not None, f"{lang}: the tagline is drawn"
    x0, y0, x1, y1 = box
    assert x0 >= 480 * 0.05 - 1 and x1 <= 480 * 0.95 and y0 >= 270 * 0.05 - 1 and y1 <= 270 * 0.95
    middle = frames[CUT + 5]  # halfway through the crossfade: green and navy mixed
    assert 40 < mean_color(middle, (0.0, 0.0, 0.1, 0.1))[1] < 220
    assert max(mean_color(frames[-1])) < 20, "the card fades to black at the very end"
    samples, rate = audio_samples(film)
    assert samples.shape[1] == pytest.approx((CUT + CARD) / 25 * rate, abs=rate * 0.03)
    assert np.abs(samples[:, -int(rate * 1.5):]).max() < 1e-3, "silence under the card (no music bed here)"


def card_version(project: Path, folder: Path, lang: str) -> RenderPlan:
    """The master render with the card of `lang` (the project has no subtitles to burn)."""
    base = plan_render(project, folder / f"film_{lang}.mp4")
    version = replace(base.versions[0], card_langs=card_languages(base.loaded, [lang]))
    return replace(base, versions=(version,))


def test_a_straight_cut_to_the_card_and_an_image_background(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (640, 360), (0, 0, 255)).save(tmp_path / "bg.png")
    project = card_project(tmp_path, card="transition: cut", background="bg.png")
    frames = read_frames(render(plan_render(project, tmp_path / "film.mp4")).output)
    assert is_color(mean_color(frames[CUT - 1]), GREEN)
    first = mean_color(frames[CUT], (0.0, 0.0, 0.1, 0.1))
    assert first[2] > 60 and first[1] < 40, "the card's first frame follows the cut's last directly (darkened blue image)"


def test_blur_background_is_the_cuts_last_frame(tmp_path: Path) -> None:
    project = card_project(tmp_path, background="blur")
    frames = read_frames(render(plan_render(project, tmp_path / "film.mp4")).output)
    corner = mean_color(frames[CUT + 15], (0.0, 0.0, 0.1, 0.1))
    assert corner[1] > 60 and corner[0] < 40 and corner[2] < 40, "a dimmed green: the blurred last frame of the cut"
    assert text_box(frames[CUT + 15]) is not None


def _tiny_vertical_preset(folder: Path) -> None:
    yaml = YAML(typ="rt")
    data = yaml.load((packaged_presets_dir() / "instagram-reel.yaml").read_text(encoding="utf-8"))
    data["name"] = "tiny-reel"
    data["video"]["size"] = "270x480"
    data["video"]["level"] = "3.0"
    data["limits"]["min_seconds"] = 1
    (folder / "presets").mkdir(exist_ok=True)
    with (folder / "presets" / "tiny-reel.yaml").open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


@pytest.mark.parametrize("lang", ["en", "ar", "hi", "zh"])
def test_vertical_card_is_laid_out_inside_the_platforms_safe_area(tmp_path: Path, run_cli, lang: str) -> None:  # type: ignore[no-untyped-def]
    project = card_project(tmp_path, subtitles="subtitles: {dir: subs}")
    (tmp_path / "subs").mkdir()
    cue = {"en": "Gold.", "ar": "ذهب.", "hi": "सोना।", "zh": "金牌。"}[lang]
    (tmp_path / "subs" / f"{lang}.srt").write_text(f"1\n00:00:01,000 --> 00:00:02,000\n{cue}\n", encoding="utf-8")
    _tiny_vertical_preset(tmp_path)
    result = run_cli("render", str(project), "--platform", "tiny-reel", "--lang", lang, "-o", str(tmp_path / "v.mp4"))
    assert result.exit_code == 0, result
    frames = read_frames(tmp_path / "v.mp4")
    assert len(frames) == CUT + CARD and frames[0].shape[:2] == (480, 270)
    # Meta's Reels zone: 14% top, 35% bottom, 6% sides stay clear of the card's text
    box = text_box(frames[CUT + 15])
    assert box is not None
    x0, y0, x1, y1 = box
    assert x0 >= 270 * 0.06 - 1 and x1 <= 270 * 0.94 + 1 and y0 >= 480 * 0.14 - 1 and y1 <= 480 * 0.65 + 1
    # the last subtitle runs to the end of the cut; none of it is drawn on the card
    assert text_box(frames[CUT - 2]) is not None, "the cue is shown until the cut ends"
    assert text_box(frames[CUT]) is None, "the held frame under the card's fade-in carries no subtitle"


def test_card_preview_png(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    project = card_project(tmp_path, background="blur")
    result = run_cli("card", str(project), "--lang", "ar", "-o", str(tmp_path / "card.png"))
    assert result.exit_code == 0, result
    with Image.open(tmp_path / "card.png") as image:
        assert image.size == (320, 180)
        frame = np.asarray(image.convert("RGB"))
    assert text_box(frame) is not None
    assert mean_color(frame, (0.0, 0.0, 0.1, 0.1))[1] > 60, "shown over the blurred last frame, as in the film"


def test_a_language_without_card_text_is_refused_with_the_line(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = card_project(tmp_path, subtitles="subtitles: {dir: subs}")
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "ru.srt").write_text("1\n00:00:00,500 --> 00:00:01,500\nЗолото.\n", encoding="utf-8")
    result = run_cli("render", str(project), "--lang", "ru")
    assert result.exit_code == 2, result
    assert "edit.yaml:" in result.stderr and "card.text: the card has no text in 'ru'" in result.stderr
    assert "Add `ru: {tagline: ..., hashtag: ...}` under `card: text:`" in result.stderr
    assert not (tmp_path / "out").exists()


def test_missing_or_unreadable_logo_is_a_clear_error(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = card_project(tmp_path, card="logo: assets/missing logo.png")
    result = run_cli("render", str(project))
    assert result.exit_code == 2, result
    assert "missing logo.png does not exist" in result.stderr and "remove `logo:`" in result.stderr
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "missing logo.png").write_bytes(b"not a png")
    result = run_cli("render", str(project))
    assert result.exit_code == 2, result
    assert "missing logo.png" in result.stderr and "Traceback" not in result.stderr
    assert not list((tmp_path / "out").glob("*.mp4")) if (tmp_path / "out").exists() else True


def test_card_fades_must_fit_the_card(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = card_project(tmp_path)
    project.write_text(project.read_text(encoding="utf-8").replace("fade: {in: 0.4, out: 0.4}", "fade: {in: 1.5, out: 1}"),
                       encoding="utf-8")
    result = run_cli("check", str(project))
    assert result.exit_code == 2, result
    assert "card.fade: fades of 1.52 s in and 1.00 s out do not fit in a card of 2.00 s" in result.stderr

