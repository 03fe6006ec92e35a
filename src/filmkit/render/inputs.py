"""What a render would refuse about the project's inputs, found before anything renders.

`filmkit check` and every render plan come through here, so that check fails exactly when
render would: the encodings the project names are text encodings, the card's logo and
background are pictures that decode, and the card's texts are laid out, with their fonts, at
every frame the card is drawn at (the project's, and each platform's).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from filmkit.errors import FilmkitError, Problem, ProjectError
from filmkit.platform.safearea import SafeArea
from filmkit.project import LoadedProject
from filmkit.project.load import KeyPath


def check_inputs(loaded: LoadedProject) -> None:
    """The project's encodings, card pictures and card texts (at the project's frame); ProjectError
    listing every problem, each at its line."""
    problems = encoding_problems(loaded)
    card = loaded.project.card
    if card is not None:
        problems += picture_problems(loaded)
        if not problems:
            size = loaded.project.format.size
            problems += card_problems(loaded, [[lang] for lang in card.text], size.width, size.height, None)
    if problems:
        raise ProjectError(problems)


def encoding_problems(loaded: LoadedProject) -> list[Problem]:
    """`subtitles: encoding:` names that are no text encoding (rot13, base64, "\\0" ...)."""
    from filmkit.subtitles.encoding import text_encoding

    subtitles = loaded.project.subtitles
    problems = []
    for lang, name in (subtitles.encoding.items() if subtitles else ()):
        try:
            text_encoding(name)
        except FilmkitError as exc:
            problems.append(loaded.locations.problem(("subtitles", "encoding", lang), exc.message))
    return problems


def picture_problems(loaded: LoadedProject) -> list[Problem]:
    """The card's logo and background image, opened and decoded as the render will."""
    from filmkit.card.canvas import open_image

    card = loaded.project.card
    assert card is not None
    pictures: list[tuple[str, str, KeyPath]] = []
    if card.logo:
        pictures.append((card.logo, "logo", ("card", "logo")))
    if card.background_kind == "image":
        pictures.append((card.background, "background", ("card", "background")))
    problems = []
    for relative, what, key in pictures:
        try:
            open_image(loaded.resolve(relative), what, shown=(1, 1)).close()
        except FilmkitError as exc:
            problems.append(loaded.locations.problem(key, exc.message.removeprefix(f"card.{what}: ")))
    return problems


def card_problems(loaded: LoadedProject, versions: Iterable[Sequence[str]], width: int, height: int,
                  safe_area: SafeArea | None) -> list[Problem]:
    """The card of each version (its languages) laid out at width x height: fonts chosen, every
    character drawable, the text fitted, as `draw_card` will."""
    from filmkit.card import CardContent, layout_card
    from filmkit.card.canvas import image_header_size

    card = loaded.project.card
    if card is None:
        return []
    logo = image_header_size(loaded.resolve(card.logo), "logo") if card.logo else None
    problems: list[Problem] = []
    for langs in versions:
        contents = [CardContent(lang, card.text[lang].tagline, card.text[lang].hashtag, card.text[lang].url)
                    for lang in langs if lang in card.text]
        if not contents:
            continue
        try:
            layout_card(contents, width, height, logo_size=logo, color=card.color, accent=card.accent,
                        font=card.font, project_dir=loaded.folder, safe_area=safe_area)
        except FilmkitError as exc:
            key: KeyPath = ("card", "font") if card.font and "card.font" in exc.message else ("card", "text", langs[0])
            problems.append(loaded.locations.problem(key, f"at {width}x{height}: {exc.message}"))
    return list({str(problem): problem for problem in problems}.values())

