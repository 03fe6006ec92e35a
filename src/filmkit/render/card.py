"""The closing card of a version drawn at the output's size, and the `filmkit card` preview."""

from __future__ import annotations

import tempfile
from pathlib import Path

from filmkit.errors import Problem, ProjectError
from filmkit.graph import CardImage, Picture, build_card_still_args
from filmkit.media.ffmpeg import run_tool
from filmkit.platform.safearea import SafeArea
from filmkit.project import LoadedProject


def draw_card_file(loaded: LoadedProject, langs: tuple[str, ...], picture: Picture, safe_area: SafeArea | None,
                   workdir: Path) -> CardImage:
    """The card for `langs` drawn at the output's size into `workdir`."""
    from filmkit.card import CardContent, draw_card, save_png

    card = loaded.project.card
    assert card is not None
    contents = [CardContent(lang, card.text[lang].tagline, card.text[lang].hashtag, card.text[lang].url) for lang in langs]
    kind = card.background_kind
    background: str | Path | None = None if kind == "blur" else card.background if kind == "color" else loaded.resolve(card.background)
    image = draw_card(
        contents, picture.width, picture.height, background=background,
        logo=loaded.resolve(card.logo) if card.logo else None, color=card.color, accent=card.accent,
        font=card.font, project_dir=loaded.folder, safe_area=safe_area,
    )
    png = save_png(image, workdir / f"card_{'+'.join(langs)}_{picture.width}x{picture.height}.png", working=True)
    return CardImage(png, over_blur=kind == "blur")


def preview_card(project_file: Path, lang: str, platform: str | None, output: Path) -> tuple[Path, tuple[int, int]]:
    """The closing card as a PNG, at the project's frame or a platform's, for a language.

    A `blur` card is shown over the cut's real last frame, blurred, as the film will show it.
    """
    from filmkit.card import save_png
    from filmkit.platform.presets import load_preset
    from filmkit.project import load_project
    from filmkit.render.guard import check_single_output
    from filmkit.render.plan import card_languages, load_and_check
    from filmkit.render.inputs import card_problems
    from filmkit.render.settings import picture_for, text_safe_area
    from filmkit.render.tracks import parse_langs

    if load_project(project_file).project.card is None:
        raise ProjectError([Problem(Path(project_file), None, None, "card", (
            "the project has no `card:`; add one, e.g.\ncard:\n  duration: 4\n  text:\n"
            "    en: {tagline: Love Always Wins, hashtag: \"#LoveAlwaysWins\"}"))])
    loaded, timeline, media = load_and_check(project_file)
    langs = card_languages(loaded, parse_langs(lang))
    if platform:
        preset = load_preset(platform, loaded.folder)
        picture, safe = picture_for(preset), text_safe_area(preset)
        problems = card_problems(loaded, [langs], picture.width, picture.height, safe)
        if problems:
            raise ProjectError(problems)
    else:
        picture, safe = Picture(timeline.width, timeline.height), None
    target = check_single_output(output, loaded, media, explicit=True, what="the card preview")
    with tempfile.TemporaryDirectory(prefix="filmkit-card-") as work:
        drawn = draw_card_file(loaded, langs, picture, safe, Path(work))
        still = Path(work) / "still.png"
        run_tool(build_card_still_args(timeline, media, picture, drawn, still), what=f"card preview {target.name}")
        from PIL import Image

        with Image.open(still) as image:
            made = save_png(image.convert("RGB"), target)
    return made, (picture.width, picture.height)
