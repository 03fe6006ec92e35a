"""Where the card's text breaks: the text engine's breaks (`filmkit.text.layout`), as for subtitles.

The card and the subtitles share one engine: ICU line breaking with dictionaries for Thai, Lao,
Khmer and Burmese, BudouX phrases and kinsoku for Japanese and Chinese, Korean at spaces, and
balanced lines with the longer line last. `thai_clusters` remains for callers that need Thai
character clusters (it is no longer used for breaking: a cluster break can fall inside a word).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from filmkit.text.layout import Paragraph

if TYPE_CHECKING:
    from filmkit.card.typeset import Style

# Thai characters a line may not start with (vowels and marks written after, above or below a
# consonant, and the repetition mark), and leading vowels a line may not end with: the rules
# of Thai character clusters (Theeramunkong et al., 2000), reduced to what keeps syllables whole.
THAI_FOLLOWING = frozenset("\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a"
                           "\u0e45\u0e46\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
THAI_LEADING = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")


def paragraph_for(style: Style, text: str, raqm: bool) -> Paragraph:
    """The engine's paragraph for one card text, measured in its weight with the card's shaping."""
    return Paragraph(text, style.lang, style.faces, weight=style.weight, raqm=raqm)


def thai_clusters(word: str) -> list[str]:
    """A Thai run cut only where no vowel or mark is separated from its consonant."""
    clusters: list[str] = []
    for char in word:
        if clusters and (char in THAI_FOLLOWING or clusters[-1][-1] in THAI_LEADING
                         or unicodedata.category(char) in ("Mn", "Mc")):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters
