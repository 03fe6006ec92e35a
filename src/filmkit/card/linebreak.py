"""Where a tagline may break, and the breaks that give balanced lines.

The card breaks at the same places subtitles do (`filmkit.subtitles.ass.break_units`), with two
preferences of its own: Chinese and Japanese break after punctuation before anywhere else, and
Thai, which writes no spaces between words, breaks between character clusters only when it
must. Widths are measured by the caller; everything here is arithmetic on them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from filmkit.text.fonts import CJK_SCRIPTS
from filmkit.subtitles.ass import break_units

Unit = tuple[str, str]  # (separator before it, text)

UPPER_LINES = 1.05  # see balanced_breaks

# Thai characters a line may not start with (vowels and marks written after, above or below a
# consonant, and the repetition mark), and leading vowels a line may not end with: the rules
# of Thai character clusters (Theeramunkong et al., 2000), reduced to what keeps syllables whole.
THAI_FOLLOWING = frozenset("\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a"
                           "\u0e45\u0e46\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
THAI_LEADING = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")
PHRASE_ENDS = frozenset("、。，．！？；：,!?;: 　")


def break_options(text: str, script: str) -> list[tuple[Unit, ...]]:
    """Where lines may break, in order of preference.

    Words for scripts with spaces. Chinese and Japanese: after punctuation first (a phrase per
    line), else between any two characters with kinsoku respected (as subtitles do). Thai, which
    has no spaces between words: at spaces first, else between character clusters.
    """
    if script in CJK_SCRIPTS:
        phrases: list[str] = [""]
        for char in text:
            phrases[-1] += char
            if char in PHRASE_ENDS:
                phrases.append("")
        phrases = [phrase for phrase in phrases if phrase]
        characters = tuple(("", unit) for unit in break_units(text, script))
        return [tuple(("", phrase) for phrase in phrases), characters] if len(phrases) > 1 else [characters]
    words = [word for word in text.split(" ") if word]
    by_word = tuple(("" if i == 0 else " ", word) for i, word in enumerate(words))
    if script != "thai":
        return [by_word]
    clusters: list[Unit] = []
    for i, word in enumerate(words):
        clusters.extend(("" if j or i == 0 else " ", cluster) for j, cluster in enumerate(thai_clusters(word)))
    return [by_word, tuple(clusters)]


def thai_clusters(word: str) -> list[str]:
    """A Thai run cut only where no vowel or mark is separated from its consonant.

    Without a dictionary a break can still fall inside a word, so these are used only when a
    line cannot break at spaces (see break_options).
    """
    clusters: list[str] = []
    for char in word:
        if clusters and (char in THAI_FOLLOWING or clusters[-1][-1] in THAI_LEADING
                         or unicodedata.category(char) in ("Mn", "Mc")):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def join_units(units: Sequence[Unit]) -> str:
    return units[0][1] + "".join(sep + unit for sep, unit in units[1:])


def balanced_breaks(units: Sequence[Unit], widths: Sequence[float], sep_width: float,
                    count: int) -> list[int] | None:
    """Break points giving `count` lines whose widest is as narrow as possible (balanced lines).

    Widths are added per unit (kerning and joining across a break point are not), which is
    close enough to choose the breaks; the chosen lines are then measured for real.
    """
    n = len(units)
    if count > n:
        return None
    prefix = [0.0]
    for (sep, _), width in zip(units, widths):
        prefix.append(prefix[-1] + width + (sep_width if sep == " " else 0.0))

    def span(i: int, j: int) -> float:  # units i..j-1 on one line (no separator before the first)
        return prefix[j] - prefix[i] - (sep_width if units[i][0] == " " else 0.0)

    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    cut = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for k in range(1, count + 1):
        for j in range(k, n + 1):
            # Lines above the last count 5% wider: of two nearly balanced breaks, the one with
            # the longer last line wins ("Love / Always Wins"), a calmer shape for a tagline.
            bias = 1.0 if j == n else UPPER_LINES
            for i in range(j - 1, k - 2, -1):  # the last line grows as i goes left: stop once too wide
                last = span(i, j) * bias
                if last >= best[k][j]:
                    break
                value = max(best[k - 1][i], last)
                if value < best[k][j]:
                    best[k][j], cut[k][j] = value, i
    breaks, j = [], n
    for k in range(count, 0, -1):
        breaks.append(j)
        j = cut[k][j]
    return sorted(breaks)


def fewest_lines(units: Sequence[Unit], widths: Sequence[float], sep_width: float, limit: float) -> int | None:
    """Greedy filling: the smallest number of lines within `limit`; None if one unit is wider."""
    lines, current = 1, -1.0
    for (sep, _), width in zip(units, widths):
        if width > limit:
            return None
        extra = width + (sep_width if sep == " " and current >= 0 else 0.0)
        if current >= 0 and current + extra > limit:
            lines, current = lines + 1, width
        else:
            current = width if current < 0 else current + extra
    return lines
