"""A version's language selects its card text and, when there is one, its subtitle file.

Issue 11, item 6: an English film needs no English subtitles; a language deliberately without
subtitles is declared (`en: none`), so a forgotten translation is still caught.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import make_clip, read_frames, write_project
from test_export import tiny_preset

RUSSIAN = """1
00:00:00,200 --> 00:00:01,800
Любовь всегда побеждает.
"""


@pytest.fixture(scope="module")
def grey(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("grey") / "grey.mp4", color="0x404040", seconds=2.0, size="320x180")


def project(folder: Path, grey: Path, *, files: str | None, card_langs: tuple[str, ...] = ("en", "ru")) -> Path:
    if files is not None:
        (folder / "subs").mkdir(exist_ok=True)
        (folder / "subs" / "ru.srt").write_text(RUSSIAN, encoding="utf-8")
    subtitles = f"subtitles:\n  files: {files}\n" if files is not None else ""
    texts = "".join(f"    {lang}: {{tagline: \"Love {lang}\"}}\n" for lang in card_langs)
    card = f"card:\n  duration: 1\n  fade: 0\n  text:\n{texts}" if card_langs else ""
    return write_project(folder, f"""
filmkit: 1
title: Versions
format: {{size: 320x180, fps: 25}}
media: {{grey: "{grey}"}}
cut:
  - {{media: grey, in: 0, out: 2}}
{subtitles}{card}""")


def _middle_of_cut(path: Path) -> np.ndarray:
    frames = read_frames(path)
    assert len(frames) == 75  # 2 s of cut + 1 s of card at 25 fps
    return frames[25].astype(int)


def test_a_project_without_subtitles_renders_a_language_version_with_its_card_only(run_cli, tmp_path: Path, grey: Path) -> None:  # type: ignore[no-untyped-def]
    edit = project(tmp_path, grey, files=None)
    result = run_cli("render", str(edit), "--lang", "en", "-o", str(tmp_path / "en.mp4"))
    assert result.exit_code == 0, result.stderr
    master = run_cli("render", str(edit), "-o", str(tmp_path / "master.mp4"))
    assert master.exit_code == 0, master.stderr
    # Nothing burned over the cut: the English version's cut is the master's.
    difference = np.abs(_middle_of_cut(tmp_path / "en.mp4") - _middle_of_cut(tmp_path / "master.mp4"))
    assert difference.max() <= 8


def test_a_language_declared_none_renders_without_subtitles_and_check_says_so(run_cli, tmp_path: Path, grey: Path) -> None:  # type: ignore[no-untyped-def]
    edit = project(tmp_path, grey, files="{ru: subs/ru.srt, en: none}")
    checked = run_cli("check", str(edit))
    assert checked.exit_code == 0, checked.stderr
    assert "  subtitles en: none (declared: the en version burns no subtitles)" in checked.stdout
    assert "  subtitles ru: 1 cues" in checked.stdout
    english = run_cli("render", str(edit), "--lang", "en", "-o", str(tmp_path / "en.mp4"))
    assert english.exit_code == 0, english.stderr
    russian = run_cli("render", str(edit), "--lang", "ru", "-o", str(tmp_path / "ru.mp4"))
    assert russian.exit_code == 0, russian.stderr
    # The Russian version has its subtitle burned where the English one has none.
    difference = np.abs(_middle_of_cut(tmp_path / "en.mp4") - _middle_of_cut(tmp_path / "ru.mp4"))
    assert difference.max() > 100


def test_a_forgotten_translation_is_still_an_error(run_cli, tmp_path: Path, grey: Path) -> None:  # type: ignore[no-untyped-def]
    edit = project(tmp_path, grey, files="{ru: subs/ru.srt}")
    result = run_cli("render", str(edit), "--lang", "en", "-o", str(tmp_path / "en.mp4"))
    assert result.exit_code == 2, result
    assert "no subtitles for language 'en'; this project has: ru. Add `en: subs/en.srt`" in result.stderr
    assert not (tmp_path / "en.mp4").exists()


def test_a_language_with_neither_card_text_nor_subtitles_is_an_error(run_cli, tmp_path: Path, grey: Path) -> None:  # type: ignore[no-untyped-def]
    edit = project(tmp_path, grey, files="{ru: subs/ru.srt, de: none}", card_langs=("en", "ru"))
    result = run_cli("render", str(edit), "--lang", "de", "-o", str(tmp_path / "de.mp4"))
    assert result.exit_code == 2, result
    assert f"{edit}:" in result.stderr
    assert ("'de' is declared without subtitles (`de: none`) and the project has no card text in 'de', so a "
            "version in 'de' would show nothing of its language") in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "de.mp4").exists()


def test_without_a_card_a_project_without_subtitles_refuses_a_language(run_cli, tmp_path: Path, grey: Path) -> None:  # type: ignore[no-untyped-def]
    edit = project(tmp_path, grey, files=None, card_langs=())
    result = run_cli("render", str(edit), "--lang", "en", "-o", str(tmp_path / "en.mp4"))
    assert result.exit_code == 2, result
    assert "no subtitles for language 'en'; this project has: none" in result.stderr


def test_a_platform_render_without_a_language_ends_on_the_first_card(run_cli, tmp_path: Path, grey: Path) -> None:  # type: ignore[no-untyped-def]
    edit = project(tmp_path, grey, files=None)
    tiny_preset(tmp_path, "tiny-landscape", "youtube-1080p", (320, 180))
    result = run_cli("render", str(edit), "--platform", "tiny-landscape", "-o", str(tmp_path / "master.mp4"))
    assert result.exit_code == 0, result.stderr
    assert len(read_frames(tmp_path / "master.mp4")) == 75


def test_a_film_halved_to_a_platforms_rate_keeps_its_half_frame(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """151 frames at 50 fps are 75.5 at 25: ffmpeg's fps filter keeps 76, and verification expects 76."""
    clip = make_clip(tmp_path / "fifty.mp4", rate="50", seconds=3.02, size="320x180")
    edit = write_project(tmp_path, f"""
filmkit: 1
title: Fifty
format: {{size: 320x180, fps: 50}}
media: {{clip: "{clip}"}}
cut:
  - {{media: clip, in: 0, duration: "00:00:03:01"}}
""")
    tiny_preset(tmp_path, "tiny-thirty", "linkedin", (320, 180))
    result = run_cli("render", str(edit), "--platform", "tiny-thirty", "-o", str(tmp_path / "half.mp4"))
    assert result.exit_code == 0, result.stderr
    assert len(read_frames(tmp_path / "half.mp4")) == 76
