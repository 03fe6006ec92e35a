"""Where a line may break, and how good each break is.

Opportunities are Unicode line breaking (UAX #14) as ICU computes it for the language's locale,
which segments Thai, Lao, Khmer and Burmese with its dictionaries. On top of ICU:

- Korean breaks only at spaces (Korean is written with spaces between words; ICU would also
  break between any two syllables).
- Japanese and Chinese break only at BudouX phrase boundaries (or at a space), so a word such as
  いつも is never split, and Japanese follows the line-start and line-end rules of JIS X 4051
  (kinsoku, as in W3C "Requirements for Japanese Text Layout" 3.1.7): ICU's strict locale
  variant plus the characters listed below.

A line is always a slice of the text: a space at a break is dropped, nothing is ever inserted.
The translator's own line breaks are joined first (`join_lines`): a newline counts as a space in
languages written with spaces, and as nothing in Chinese, Japanese, Thai, Lao, Khmer and Burmese
(no space is invented between two Thai words), except between two letters of scripts written
with spaces (an English name in a Thai line). Where a newline stood, breaking is preferred; a
line that starts with a dialogue dash keeps its own line.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from filmkit.text.fonts import script_of

# Languages written without spaces between words: a translator's newline joins with nothing.
NO_SPACE_LANGS = frozenset({"ja", "zh", "yue", "th", "lo", "km", "my"})
CJK_LANGS = frozenset({"ja", "zh", "yue"})
SPACED_SCRIPTS = frozenset({"latin", "greek", "cyrillic", "armenian", "georgian"})

# JIS X 4051 / JLREQ: characters that may not start a line (small kana, the prolonged sound mark,
# iteration marks, closing brackets and quotes, punctuation) and that may not end one (opening
# brackets and quotes).
SMALL_KANA = "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ" + "".join(chr(c) for c in range(0x31F0, 0x3200))
NO_LINE_START = frozenset(SMALL_KANA + "ー々ゝゞヽヾ" + "」』）〕］｝〉》】〙〗〟’”»)]}｠" + "。、，．・：；？！‥…,.:;?!%")
NO_LINE_END = frozenset("「『（〔［｛〈《【〘〖〝‘“«([{｟")

DIALOGUE_DASH = re.compile(r"^[-‐–—]")

# How good a break is, added to a candidate's score (see layout): after punctuation and before
# a conjunction is where the BBC Subtitle Guidelines (v1.2.5, "Line breaks") and the Netflix
# Timed Text Style Guide (General Requirements, "Line treatment") want lines to break; between an
# article or preposition and what it introduces is where they do not.
SENTENCE_END = frozenset(".!?…。！？؟।")
CLAUSE_END = frozenset(",;:—–)，、；：،؛")
CONJUNCTIONS = {
    "en": "and but or nor so yet because although though while when if that which who where until unless since",
    "ru": "и а но или что чтобы потому когда если хотя который которая которые которое где пока",
    "es": "y e o u pero porque que cuando si aunque mientras donde como",
    "fr": "et ou mais donc car que qui quand si parce lorsque puisque comme",
    "de": "und oder aber denn weil dass wenn als ob obwohl während sondern",
    "pt": "e ou mas porque que quando se embora enquanto onde como",
    "it": "e o ma perché che quando se mentre dove come",
}
WEAK_ENDS = {  # articles, prepositions and possessives: do not end a line with them
    "en": "the a an to of in on at for with from by my your his her its our their",
    "ru": "в во на с со к ко по о об от до из у за для без под над при",
    "es": "el la los las un una de del a al en con por para mi tu su",
    "fr": "le la les un une des de du à au aux en dans avec pour par sur mon ma mes ton ta son sa",
    "de": "der die das den dem des ein eine einen einem einer zu von mit in an auf für bei aus",
    "pt": "o a os as um uma de do da dos das em no na com por para meu minha",
    "it": "il lo la i gli le un uno una di del della a al in con per su da mio mia",
}
PUNCTUATION_BONUS = 1.0
SENTENCE_BONUS = 1.6
CONJUNCTION_BONUS = 0.7
TRANSLATOR_BONUS = 0.6
WEAK_END_PENALTY = -1.2


@dataclass(frozen=True)
class Piece:
    """A stretch of text no line may break inside, with the spaces that follow it.

    `bonus` rates a break after this piece (above 0 good, below 0 poor); `hard` forces one.
    Joining every piece's text gives back the paragraph exactly.
    """

    text: str
    bonus: float = 0.0
    hard: bool = False


def base_lang(lang: str | None) -> str:
    return (lang or "").lower().replace("_", "-").split("-")[0]


def join_lines(text: str, lang: str | None) -> tuple[str, frozenset[int], frozenset[int]]:
    """The translator's lines as one paragraph, with the positions where newlines stood.

    Returns (paragraph, soft, hard): a soft position is a preferred break, a hard one a forced
    break (the next line starts with a dialogue dash). Runs of spaces become one space.
    """
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.replace("\r", "").split("\n")]
    lines = [line for line in lines if line]
    no_space = base_lang(lang) in NO_SPACE_LANGS
    out, soft, hard = "", set(), set()
    for line in lines:
        if out:
            glue = " "
            if no_space and not (_spaced(out[-1]) and _spaced(line[0])):
                glue = ""
            out += glue
            (hard if DIALOGUE_DASH.match(line) else soft).add(len(out))
        out += line
    return out, frozenset(soft), frozenset(hard)


def _spaced(char: str) -> bool:
    return script_of(char) in SPACED_SCRIPTS or char.isdigit()


DASH_START = re.compile(r"[-\u2010-\u2015\u2212]")


def pieces(text: str, lang: str | None, soft: frozenset[int] = frozenset(),
           hard: frozenset[int] = frozenset()) -> tuple[Piece, ...]:
    """`text` (one paragraph, see join_lines) cut at every break opportunity, each rated."""
    # A line that starts with a dash reads as a new speaker (Netflix and BBC dialogue style), so
    # a dash is never moved to the start of a line: only the translator's own dialogue lines do.
    cuts = sorted({i for i in opportunities(text, lang) if not DASH_START.match(text[i:])} | hard)
    bounds = [0, *cuts, len(text)]
    spans = [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]
    words = _word_lists(base_lang(lang))
    out = []
    for i, (start, end) in enumerate(spans):
        chunk = text[start:end]
        following = text[end:spans[i + 1][1]] if i + 1 < len(spans) else ""
        bonus = _rate(chunk, following, words) + (TRANSLATOR_BONUS if end in soft else 0.0)
        out.append(Piece(chunk, bonus, end in hard))
    return tuple(out)


def opportunities(text: str, lang: str | None) -> frozenset[int]:
    """Offsets where a line may end (the text before it is one line, the rest the next)."""
    base = base_lang(lang)
    found = set(_icu_breaks(text, _icu_locale(lang)))
    if base == "ko":
        found = {i for i in found if text[i - 1].isspace()}
    if base in CJK_LANGS:
        phrases = _phrase_bounds(text, base, lang or "")
        found = {i for i in found if i in phrases or text[i - 1].isspace() or not (_cjk(text[i - 1]) and _cjk(text[i]))}
        found = {i for i in found if text[i] not in NO_LINE_START and text[:i].rstrip()[-1:] not in NO_LINE_END}
    return frozenset(found)


def _cjk(char: str) -> bool:
    return script_of(char) in ("han", "kana", "hangul") or char in NO_LINE_START or char in NO_LINE_END


def _icu_locale(lang: str | None) -> str:
    """ICU's locale for the language; Japanese uses the strict line-break rules (lb=strict)."""
    tag = (lang or "en").replace("-", "_")
    return f"{tag}@lb=strict" if base_lang(lang) == "ja" else tag


@functools.lru_cache(maxsize=4096)
def _icu_breaks(text: str, locale: str) -> tuple[int, ...]:
    from icu4py.breakers import LineBreaker

    return tuple(end for _, end in LineBreaker(text, locale).segments() if 0 < end < len(text))


@functools.lru_cache(maxsize=4)
def _parser(kind: str):  # type: ignore[no-untyped-def]
    import budoux

    return {"ja": budoux.load_default_japanese_parser, "zh-hant": budoux.load_default_traditional_chinese_parser,
            "zh": budoux.load_default_simplified_chinese_parser}[kind]()


def _phrase_bounds(text: str, base: str, lang: str) -> set[int]:
    """BudouX's phrase boundaries; Traditional Chinese for zh-Hant, zh-TW and zh-HK."""
    tag = lang.lower().replace("_", "-")
    kind = "ja" if base == "ja" else "zh-hant" if any(t in tag for t in ("hant", "tw", "hk", "mo")) else "zh"
    bounds, offset = set(), 0
    for phrase in _parser(kind).parse(text):
        offset += len(phrase)
        bounds.add(offset)
    return bounds


@functools.lru_cache(maxsize=16)
def _word_lists(base: str) -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(CONJUNCTIONS.get(base, "").split()), frozenset(WEAK_ENDS.get(base, "").split())


def _rate(chunk: str, following: str, words: tuple[frozenset[str], frozenset[str]]) -> float:
    """How good a break after `chunk` (before `following`) is."""
    conjunctions, weak = words
    end = chunk.rstrip().rstrip("\"'»”’")
    bonus = 0.0
    if end[-1:] in SENTENCE_END:
        bonus += SENTENCE_BONUS
    elif end[-1:] in CLAUSE_END:
        bonus += PUNCTUATION_BONUS
    last = end.split(" ")[-1].lower()
    if last in weak:
        bonus += WEAK_END_PENALTY
    first = following.strip().split(" ")[0].lower().strip(",.;:!?\"'«»")
    if first in conjunctions:
        bonus += CONJUNCTION_BONUS
    return bonus
