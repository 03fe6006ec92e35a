"""Font overrides: `subtitles.style.font` and `card.font`, as a family name and as a file, on real renders.

Heebo (a packaged font filmkit installs for Hebrew, with Latin letters of its own shapes) stands
in for a producer's brand font: what it draws differs from the default Noto Sans, so the
pixels say which face was burned.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import RED, is_color, make_clip, mean_color, read_frames, write_project
from filmkit.render.plan import plan_render
from filmkit.text.fonts import choose_font

SUBS = "1\n00:00:00,000 --> 00:00:01,000\nWOMAN WINS GOLD\n"
BRAND = "Heebo"


@pytest.fixture(scope="module")
def brand_font(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The brand font as a file a producer would drop beside the project."""
    folder = tmp_path_factory.mktemp("fonts")
    return Path(shutil.copy(choose_font("hebrew").path, folder / "Brand-Regular.ttf"))


def project(folder: Path, brand_font: Path, subtitle_font: str | None = None, card_font: str | None = None) -> Path:
    make_clip(folder / "red.mp4", color="red", seconds=1)
    (folder / "fonts").mkdir(parents=True, exist_ok=True)
    shutil.copy(brand_font, folder / "fonts" / brand_font.name)
    (folder / "en.srt").write_text(SUBS, encoding="utf-8")
    style = f"\n          style: {{font: {subtitle_font}}}" if subtitle_font else ""  # indented as the text below
    card = f"\n          font: {card_font}" if card_font else ""
    return write_project(folder, f"""
        filmkit: 1
        title: Fonts
        format: {{size: 320x180, fps: 25}}
        media: {{red: red.mp4}}
        cut:
          - media: red
            in: 0
            out: 1
        subtitles:
          files: {{en: en.srt}}{style}
        card:
          duration: 1
          fade: 0
          transition: cut
          background: "#000000"{card}
          text:
            en: {{tagline: WOMAN WINS GOLD}}
    """)


def subtitle_frame(run_cli, project_file: Path) -> np.ndarray:  # type: ignore[no-untyped-def]
    output = project_file.parent / "out.mp4"
    result = run_cli("render", str(project_file), "--lang", "en", "-o", str(output))
    assert result.exit_code == 0, result
    frame = read_frames(output)[12]
    assert is_color(mean_color(frame, (0.05, 0.05, 0.3, 0.3)), RED), "the cut shows under the subtitle"
    return frame[int(0.6 * frame.shape[0]):].astype(int)  # the band the subtitle is burned into


def test_subtitle_font_as_a_family_name_and_as_a_file(tmp_path: Path, brand_font: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    default = project(tmp_path / "default", brand_font)
    by_name = project(tmp_path / "name", brand_font, subtitle_font=BRAND)
    by_file = project(tmp_path / "file", brand_font, subtitle_font=f"fonts/{brand_font.name}")

    assert {face.family for face in plan_render(default, lang="en").tracks[0].fonts.values()} == {"Noto Sans"}
    named = plan_render(by_name, lang="en").tracks[0].fonts["latin"]
    assert (named.family, named.source) == (BRAND, "package")
    filed = plan_render(by_file, lang="en").tracks[0].fonts["latin"]
    assert (filed.family, filed.source, filed.path) == (BRAND, "project", (tmp_path / "file" / "fonts" / brand_font.name).resolve())
    (tmp_path / "burn").mkdir()
    burn = plan_render(by_file, lang="en").write_burn(tmp_path / "burn")
    assert burn is not None and f",{BRAND}," in burn.ass_file.read_text(encoding="utf-8")
    assert (burn.fonts_dir / brand_font.name).is_file(), "libass finds the file in the render's fonts folder"

    plain, named_band, filed_band = (subtitle_frame(run_cli, path) for path in (default, by_name, by_file))
    assert np.abs(named_band - plain).mean() > 1, "the family override changes the burned letters"
    assert np.array_equal(filed_band, named_band), "the file and the family name burn the same face"


def test_a_subtitle_font_that_does_not_exist_is_an_input_error(tmp_path: Path, brand_font: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    missing_name = project(tmp_path / "name", brand_font, subtitle_font="No Such Face")
    result = run_cli("render", str(missing_name), "--lang", "en")
    assert result.exit_code == 2, result
    assert "subtitles.style.font: no font named 'No Such Face' was found" in result.stderr
    missing_file = project(tmp_path / "file", brand_font, subtitle_font="fonts/missing.ttf")
    result = run_cli("render", str(missing_file), "--lang", "en")
    assert result.exit_code == 2, result
    assert "fonts/missing.ttf does not exist; give a .ttf/.otf file or a family name" in result.stderr
    assert not (tmp_path / "name" / "out").exists() and not (tmp_path / "file" / "out").exists()


def card_pixels(run_cli, project_file: Path) -> np.ndarray:  # type: ignore[no-untyped-def]
    from PIL import Image

    target = project_file.parent / "card.png"
    result = run_cli("card", str(project_file), "--lang", "en", "-o", str(target))
    assert result.exit_code == 0, result
    return np.asarray(Image.open(target).convert("RGB")).astype(int)


def test_card_font_as_a_family_name_and_as_a_file(tmp_path: Path, brand_font: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    plain = card_pixels(run_cli, project(tmp_path / "default", brand_font))
    named = card_pixels(run_cli, project(tmp_path / "name", brand_font, card_font=BRAND))
    filed = card_pixels(run_cli, project(tmp_path / "file", brand_font, card_font=f"fonts/{brand_font.name}"))
    assert plain.shape == named.shape == filed.shape == (180, 320, 3)
    assert plain.max() > 200 and named.max() > 200, "the tagline is drawn"
    assert np.abs(named - plain).mean() > 0.5, "the card's font override changes the tagline"
    assert np.array_equal(filed, named), "the file and the family name draw the same face"
