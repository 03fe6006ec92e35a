"""The faces filmkit chose for one language: one per script, the language's own, and Noto Sans.

Every face that draws a word comes from here, so nothing falls back silently to a system font:
a run is drawn by the face chosen for its script, and a character that face lacks by the
language's face, then Noto Sans; a character none of them has is reported, never substituted.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from filmkit.errors import FilmkitError
from filmkit.text.fonts import FontChoice, LANG_SCRIPTS, choose_font, coverage

# kana and bopomofo are drawn by the language's CJK face, like han
_FACE_SCRIPT = {"kana": "han"}


class FontMissingError(FilmkitError):
    """No face is installed for a script a text needs (the message says what to install)."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message  # without the language and script in front


@dataclass
class FaceSet:
    """The faces for one language, chosen lazily per script and cached.

    `override` is `subtitles.style.font` or `card.font` (a family or a file for every script);
    `chosen` pins faces already chosen for some scripts (script -> face).
    """

    lang: str
    override: str | None = None
    project_dir: Path | None = None
    chosen: dict[str, FontChoice] = field(default_factory=dict)
    setting: str = "subtitles.style.font"  # named in error messages
    unavailable: dict[str, str] = field(default_factory=dict)  # script -> why no face (what to install)
    _fallbacks: dict[str | None, list[FontChoice]] = field(default_factory=dict, repr=False, compare=False)

    def face(self, script: str | None) -> FontChoice:
        """The face for text in `script` (None: the language's own script)."""
        key = font_script(script or self.lang_script, self.lang)
        if key not in self.chosen:
            try:
                self.chosen[key] = choose_font(key, self.lang, self.override, self.project_dir)
            except FilmkitError as exc:
                message = exc.message.replace("subtitles.style.font", self.setting)
                raise FontMissingError(f"{self.lang!r} text in {key}: {message}", message) from None
        return self.chosen[key]

    @property
    def lang_script(self) -> str:
        return LANG_SCRIPTS.get(self.lang.lower().replace("_", "-").split("-")[0], "latin")

    def fallbacks(self, script: str | None) -> list[FontChoice]:
        """The faces to try for a run in `script`, in order (see `_fallbacks`); computed once per script."""
        if script not in self._fallbacks:
            self._fallbacks[script] = self._choose_fallbacks(script)
        return self._fallbacks[script]

    def _choose_fallbacks(self, script: str | None) -> list[FontChoice]:
        """The run's face, then the language's face, then Noto Sans (each once).

        A run in another script than the language's whose face is not installed falls back to
        the language's face; the characters it lacks are then a `glyph` finding, which names
        what to install (`unavailable`). The language's own script without a face is an error.
        """
        faces: list[FontChoice] = []
        try:
            faces.append(self.face(script))
        except FontMissingError as exc:
            key = font_script(script or self.lang_script, self.lang)
            if key == font_script(self.lang_script, self.lang):
                raise
            self.unavailable.setdefault(key, exc.message)
        for extra in (self.lang_script, "latin"):
            try:
                face = self.face(extra)
            except FontMissingError:
                continue
            if face not in faces:
                faces.append(face)
        return faces or [self.face(self.lang_script)]  # none at all: the language's own error

    def used(self) -> frozenset[FontChoice]:
        """Every face chosen so far: what a burn must make available to libass."""
        return frozenset(self.chosen.values())


def font_script(script: str, lang: str | None = None) -> str:
    """The script a face is chosen for: kana is drawn by the CJK face of the language."""
    return _FACE_SCRIPT.get(script, script)


@functools.lru_cache(maxsize=1 << 16)
def covers(face: FontChoice, cluster: str) -> bool:
    """Whether `face` maps every character of `cluster` to a glyph (controls and spaces aside)."""
    from filmkit.text.fonts import IGNORED

    cmap = coverage(face.path, face.index)
    return all(ord(char) in cmap or char in IGNORED for char in cluster)
