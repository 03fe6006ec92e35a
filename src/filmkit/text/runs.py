"""A line cut into runs: one script, one face, one direction each.

Scripts come from the Unicode Script property (fontTools.unicodedata). Common and Inherited
characters (spaces, digits, punctuation, marks) join a neighbouring run: a mark always its base,
a character whose Script_Extensions name a neighbour's script that neighbour, and otherwise the
run of the language's own script when one side is it, else the run before. Each run is drawn by
the face filmkit chose for its script (`FaceSet`); a character that face lacks goes to the
language's face, then Noto Sans, and one none of them has is reported by `missing`.

Direction: a paragraph takes its language's direction whatever its first letter (UBA rule
HL1, "higher-level protocol"); a run is right to left when its script is. For drawing, runs are
put in visual order at run level (UBA rules L1-L2 applied to run levels: a paragraph level 0 or
1, a run of the other direction one level above it), which is exact for the runs produced here
because neutrals were already given to a neighbour run; inside a run, raqm or libass apply the
full algorithm (digits in an Arabic run stay left to right).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from filmkit.text.breaks import base_lang
from filmkit.text.faces import FaceSet, covers, font_script
from filmkit.errors import FilmkitError
from filmkit.text.fonts import IGNORED, RTL_SCRIPTS, FontChoice, coverage, script_of

Direction = Literal["ltr", "rtl"]

# Languages written right to left: Arabic, Persian, Urdu, Hebrew (he, and the old code iw),
# Yiddish, Pashto, Sindhi, Uyghur, Dhivehi, Central Kurdish (ISO 639-1/-3 codes).
RTL_LANGS = frozenset({"ar", "fa", "ur", "he", "iw", "yi", "ps", "sd", "ug", "dv", "ckb"})
_JOINERS = frozenset("\u200c\u200d\u034f")


@dataclass(frozen=True)
class Span:
    """Part of a line drawn with one face in one direction (logical order)."""

    text: str
    font: FontChoice
    script: str
    direction: Direction


def paragraph_direction(text: str, lang: str | None) -> Direction:
    """The language's direction; for text of no known language, that of its first strong letter."""
    base = base_lang(lang)
    if base in RTL_LANGS:
        return "rtl"
    if base:
        return "ltr"
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def clusters(text: str) -> list[str]:
    """Characters with the marks and joiners that belong to them (never split between faces)."""
    out: list[str] = []
    for char in text:
        attach = unicodedata.category(char).startswith("M") or char in _JOINERS or 0xFE00 <= ord(char) <= 0xFE0F
        if out and (attach or out[-1][-1] in _JOINERS):
            out[-1] += char
        else:
            out.append(char)
    return out


def _scripts(parts: Sequence[str], lang_script: str) -> list[str]:
    """The script each cluster is drawn in, neutrals resolved to a neighbour (see the module doc)."""
    own: list[str | None] = [script_of(part[0]) for part in parts]
    resolved = list(own)
    i = 0
    while i < len(parts):
        if own[i] is not None:
            i += 1
            continue
        j = i
        while j < len(parts) and own[j] is None:
            j += 1
        before = own[i - 1] if i > 0 else None
        after = own[j] if j < len(parts) else None
        for k in range(i, j):
            extensions = _extensions(parts[k][0])
            if before in extensions or after in extensions:
                resolved[k] = before if before in extensions else after
            elif lang_script in (before, after) or (before is None and after is None):
                resolved[k] = lang_script
            else:
                resolved[k] = before or after
        i = j
    return [script or lang_script for script in resolved]


@functools.lru_cache(maxsize=1 << 12)
def _extensions(char: str) -> frozenset[str]:
    """filmkit's names of the scripts a neutral character is used with (Script_Extensions)."""
    from fontTools import unicodedata as ucd

    return frozenset(name for code in ucd.script_extension(char) if (name := _iso_name(code)) is not None)


def _iso_name(code: str) -> str | None:
    from filmkit.text.fonts import _ISO

    return _ISO.get(code)


def itemize(text: str, faces: FaceSet) -> tuple[Span, ...]:
    """`text` as runs of one face and direction each, in logical order."""
    parts = clusters(text)
    if not parts:
        return ()
    scripts = [font_script(s) for s in _scripts(parts, faces.lang_script)]
    spans: list[Span] = []
    for part, script in zip(parts, scripts):
        options = faces.fallbacks(script)
        face = next((f for f in options if covers(f, part)), options[0])
        direction: Direction = "rtl" if script in RTL_SCRIPTS else "ltr"
        last = spans[-1] if spans else None
        if last is not None and last.font == face and last.direction == direction:
            spans[-1] = Span(last.text + part, face, last.script, direction)
        else:
            spans.append(Span(part, face, script, direction))
    return tuple(spans)


def surely_drawable(text: str, faces: FaceSet) -> bool:
    """True when `missing(itemize(text, faces))` is certainly empty, found without itemizing (the
    cost of linting a 100k-cue file): every character is covered by the first face of each
    script its cluster could be drawn in (its own script; a neutral one, any of the text's)."""
    chars = set(text) - IGNORED
    neutral = {char for char in chars if script_of(char) is None}
    by_script: dict[str, set[str]] = {}
    for char in chars - neutral:
        by_script.setdefault(font_script(script_of(char) or ""), set()).add(char)
    try:
        for script in {*by_script, font_script(faces.lang_script)}:
            face = faces.fallbacks(script)[0]
            cmap = coverage(face.path, face.index)
            if any(ord(char) not in cmap for char in by_script.get(script, set()) | neutral):
                return False
    except FilmkitError:
        return False  # a script without a face: itemize says which
    return True


def missing(spans: Sequence[Span]) -> list[str]:
    """Characters the face of their own run cannot draw (boxes on screen), in order, each once."""
    found: list[str] = []
    for span in spans:
        cmap_face = span.font
        for char in span.text:
            if char not in IGNORED and char not in found and not covers(cmap_face, char):
                found.append(char)
    return found


def visual_order(directions: Sequence[Direction], paragraph: Direction) -> list[int]:
    """Indices of runs from left to right (UBA L2 on run levels)."""
    base = 1 if paragraph == "rtl" else 0
    levels = [base if (d == "rtl") == bool(base) else base + 1 for d in directions]
    order = list(range(len(directions)))
    for level in range(max(levels, default=0), 0, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            order[i:j] = reversed(order[i:j])
            i = j
    return order
