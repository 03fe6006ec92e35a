"""How plausible a piece of decoded text is as real subtitles: the evidence for choosing an
encoding (detect.py) and for spotting double-encoded UTF-8 (encoding.py).

A wrong decoding of real text shows itself in ways that need no dictionary: controls and stray
symbols, letters of two scripts or a capital inside a word ("Ïðèâåò"), accented letters no
single language uses together, a cased alphabet with no capital at all (Hebrew read as
Windows-1251 comes out as lower-case Cyrillic), kana read through a Chinese code page, and
letters whose frequencies match no language (charset-normalizer's per-language frequency
tables). Each is counted per character, so readings of the same bytes compare by their totals.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from filmkit.subtitles.langs import is_japanese_codec, is_korean_codec

SAMPLE_CHARS = 20_000
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Judgement:
    """How implausible one reading is: a total over its non-ASCII characters."""

    penalty: float  # every sign, letter frequencies included
    frequency: float  # the part of it that letter frequencies give
    chars: int  # non-ASCII characters judged
    script: str | None  # the script of most of its non-ASCII letters

    @property
    def ratio(self) -> float:
        return self.penalty / self.chars if self.chars else 0.0

    @property
    def spelling_ratio(self) -> float:
        """The ratio without letter frequencies: what a reading in a known language is judged by,
        since the frequency tables cover only some languages of each script."""
        return (self.penalty - self.frequency) / self.chars if self.chars else 0.0


def judge(text: str, codec: str) -> Judgement:
    """Every sign that `text`, decoded with `codec`, is not what its author wrote."""
    sample = sample_lines(text)
    scripts = Counter(script_of(ch) for ch in sample if ord(ch) > 0x7F and ch.isalpha())
    frequency = frequency_misfits(sample)
    penalty = (oddness(sample) + 2 * alphabet_misfits(sample) + case_misfits(sample) + greek_misfits(sample)
               + east_asian_misfits(sample, codec) + vietnamese_misfits(sample, codec) + frequency)
    chars = sum(1 for ch in sample if ord(ch) > 0x7F)
    return Judgement(penalty, frequency, chars, scripts.most_common(1)[0][0] if scripts else None)


def sample_lines(text: str, size: int = SAMPLE_CHARS) -> str:
    """The lines that have non-ASCII characters (timings and numbers say nothing), capped."""
    return "\n".join(line for line in _LINE_BREAK.split(text) if not line.isascii())[:size]


_KNOWN_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "THAI", "HAN", "HANGUL", "DEVANAGARI",
                  "BENGALI", "TAMIL", "TELUGU", "GUJARATI", "GURMUKHI", "KANNADA", "MALAYALAM", "ARMENIAN",
                  "GEORGIAN", "ETHIOPIC", "KHMER", "LAO", "MYANMAR", "SINHALA", "TIBETAN", "ORIYA", "BOPOMOFO"}
# Chinese and Japanese write Latin words without a space between ("arduino的"), Korean writes
# hanja among Hangul, Taiwanese blogs zhuyin among Han: normal text. Korean puts a space
# between Hangul and a Latin word, so "t쉜icht" (German read as Korean) still counts.
_MIX_FREELY = ({"HAN", "LATIN"}, {"BOPOMOFO", "LATIN"}, {"HAN", "BOPOMOFO"}, {"HAN", "HANGUL"})
_HAN_NAMES = {"CJK", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA", "IDEOGRAPHIC"}
# Punctuation and symbols that real subtitles use; any other symbol counts against a decoding.
_COMMON_MARKS = set("«»„“”‘’‚‹›–—―…·•¡¿°№€£¥§©®™±×÷²³½¼¾♪♫\u00a0\u202f\u2009\u200a\u2010\u2011"
                    "、。，．・：；？！「」『』（）〔〕［］｛｝〈〉《》【】～ー〜")
# Full-width punctuation, CJK symbols, shapes, arrows, stars, circled numbers: everyday marks in
# Chinese, Japanese and Korean text, and beyond the reach of single-byte code pages (apart from
# Mac Roman's lozenge ◊, which stays odd).
_EAST_ASIAN_MARKS = ((0x3000, 0x303F), (0xFF01, 0xFF0F), (0xFF1A, 0xFF20), (0xFF3B, 0xFF40), (0xFF5B, 0xFF65),
                     (0x25A0, 0x25C9), (0x25CB, 0x25FF), (0x2190, 0x21FF), (0x2605, 0x2606), (0x203B, 0x203B),
                     (0x2460, 0x24FF), (0x3200, 0x32FF))
_IN_WORD = set("’‘ʼ·‐‑")
_AFTER_WORDS = set("™®©°")  # symbols that do follow a word: "Netflix™"  # apostrophes, the Catalan middle dot, hyphens
_FORMAT_OK = set("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad")


def script_of(ch: str) -> str | None:
    """Writing system of a letter ("HAN" for Chinese and Japanese), None for non-letters."""
    if not ch.isalpha():
        return None
    if ord(ch) < 0x80:
        return "LATIN"
    first = unicodedata.name(ch, "?").split(" ")[0]
    if first in _HAN_NAMES:
        return "HAN"
    if first in ("FULLWIDTH", "HALFWIDTH"):
        return "HAN" if "KATAKANA" in unicodedata.name(ch) else "LATIN"
    return first


def oddness(text: str) -> int:
    """How unlike real text the non-ASCII characters are: controls, stray symbols, letters of
    two scripts or a capital inside a lower-case word. Wrong decodings and mojibake score high."""
    total = 0
    prev = " "
    for index, ch in enumerate(text):
        if ord(ch) > 0x7F:
            category = unicodedata.category(ch)
            if category[0] == "C" and ch not in _FORMAT_OK:
                total += 4
            elif category == "Cf" and script_of(prev) == "LATIN" and script_of(text[index + 1 : index + 2] or " "):
                total += 3  # "altyaz\u200es\u200e": a bidi mark inside a Latin word (Turkish read as Windows-1256)
            elif category[0] in "SP" and ch not in _COMMON_MARKS and not _east_asian_mark(ch):
                total += 2
            elif (category[0] in "SP" or category == "No") and script_of(prev) == "LATIN" \
                    and text[index + 1 : index + 2].isalpha() and ch not in _IN_WORD:
                total += 3  # "Ð±Ð", "s½ur": a symbol inside a Latin word
            elif category in ("Sm", "Sk", "So") and script_of(prev) == "LATIN" and ch not in _AFTER_WORDS:
                total += 2  # "s± w": Polish "są" read as Windows-1250; symbols follow spaces and digits
            elif category[0] == "L" and script_of(ch) not in _KNOWN_SCRIPTS:
                total += 2
            elif category == "Mn":
                total += _mark_misfit(ch, prev)
        if (ord(ch) > 0x7F or ord(prev) > 0x7F) and ch.isalpha() and prev.isalpha():
            if script_of(prev) != script_of(ch) and not _mix_freely(script_of(prev), script_of(ch)):
                total += 2
            elif prev.islower() and ch.isupper():
                total += 1
        prev = ch
    return total


def _east_asian_mark(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _EAST_ASIAN_MARKS)


def _mix_freely(first: str | None, second: str | None) -> bool:
    return {first, second} in _MIX_FREELY


def _mark_misfit(mark: str, prev: str) -> int:
    """A combining mark with nothing to combine with, on a letter of another script (an Arabic
    vowel sign on "i": Spanish "ó" read as Windows-1256), or a tone mark on a Latin consonant
    (Italian "ì" read as Windows-1258, whose tone marks follow Vietnamese vowels)."""
    if unicodedata.category(prev)[0] == "M":
        return 0  # stacked marks: judged by the first
    if not prev.isalpha():
        return 2
    mark_script = unicodedata.name(mark, "?").split(" ")[0]
    base_script = script_of(prev)
    if mark_script in _KNOWN_SCRIPTS and mark_script != base_script:
        return 3
    if base_script == "LATIN" and unicodedata.normalize("NFD", prev)[0].lower() not in "aeiouy":
        return 3
    return 0


# Letters of the alphabets of languages in Latin (accented letters only) and Cyrillic script.
# Text decoded with the wrong code page mixes them ("Oł est le café": Polish ł in French;
# "Ћюбовь ... Єлка": Serbian and Ukrainian letters in Russian), which chaos statistics miss
# on short files.
def _vietnamese() -> str:
    """ă â đ ê ô ơ ư and every vowel with each of the five tone marks, precomposed."""
    vowels = "aăâeêioôơuưy"
    tones = "\u0300\u0301\u0309\u0303\u0323"
    return "ăâđêôơư" + "".join(unicodedata.normalize("NFC", v + t) for v in vowels for t in tones)


_ALPHABETS = {
    "LATIN": (
        "àâæçéèêëîïôœùûüÿ", "äöüß", "áéíñóúü", "àèéìíîòóùú", "áâãàçéêíóôõú", "éëïóöüáèíú", "åäöé", "æøåé",
        "äöåšž", "áðéíóúýþæö", "àçèéíïòóúü", "ąćęłńóśźż", "áčďéěíňóřšťúůýž", "áäčďéíĺľňóôŕšťúýž", "áéíóöőúüű",
        "ăâîșțşţ", "čćđšž", "çğıöşüâîû", "āčēģīķļņšūž", "ąčęėįšųūž", "äõöüšž", "çë", "áéíóú", "âêîôûŵŷäëïöü",
        _vietnamese(),
    ),
    # Russian, Ukrainian, Belarusian, Bulgarian, Serbian, Macedonian, Kazakh, Mari: whole alphabets,
    # so a word cannot mix Serbian ћ with Russian ь and still fit one language
    "CYRILLIC": (
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
        "абвгдеёжзійклмнопрстуўфхцчшыьэюя", "абвгдежзийклмнопрстуфхцчшщъьюя", "абвгдђежзијклљмнњопрстћуфхцчџш",
        "абвгдѓежзѕијклљмнњопрстќуфхцчџш", "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяӊӧӱӹ",
    ),
}


def alphabet_misfits(text: str) -> int:
    """Letters outside the best-fitting language alphabet of their script (0: one language fits)."""
    total = 0
    for script, alphabets in _ALPHABETS.items():
        letters = [ch for ch in text.lower() if ord(ch) > 0x7F and ch.isalpha() and script_of(ch) == script
                   and not unicodedata.normalize("NFKC", ch).isascii()]  # full-width ａ is an a
        if letters:
            total += min(sum(1 for ch in letters if ch not in alphabet) for alphabet in alphabets)
    return total


# Alphabets with capitals. A real subtitle file in one of them has capitals (sentence starts,
# names) and small letters; an all-small reading is usually a caseless script (Hebrew, Arabic)
# decoded with a Cyrillic or Greek code page, an all-capital one KOI8 read the wrong way.
_CASED_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN")
_WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS = 8


def case_misfits(text: str) -> int:
    """One per word of a cased script when no word of it starts with a capital (a lone capital
    letter does not count: Hebrew read as Mac Cyrillic turns a dash into "Ц"); half that when
    no word has a small letter."""
    total = 0
    for script in _CASED_SCRIPTS:
        words = [word for word in _WORD.findall(text) if len(word) > 1 and all(script_of(ch) == script for ch in word)]
        if len(words) < MIN_WORDS:
            continue
        if not any(word[0].isupper() for word in words):
            total += len(words)
        elif not any(ch.islower() for word in words for ch in word):
            total += len(words) // 2
    return total


_GREEK_TONOS = frozenset("άέήίόύώΐΰΆΈΉΊΌΎΏ")


def greek_misfits(text: str) -> int:
    """Greek spelling no Greek text has: final sigma inside a word, two accents in one word
    (modern Greek writes at most one). Cyrillic or Hebrew read as Windows-1253 has both."""
    total = 0
    for word in _WORD.findall(text):
        if not any(script_of(ch) == "GREEK" for ch in word):
            continue
        total += 3 * word[:-1].count("ς")
        total += 2 * max(0, sum(1 for ch in word if ch in _GREEK_TONOS) - 1)
    return total


def east_asian_misfits(text: str, codec: str) -> float:
    """Kana only Japanese code pages give, Hangul only Korean ones; lone jamo and half-width
    katakana nobody types any more; rare characters where GB18030 or Big5 read bytes of another
    code page; a Japanese reading with many kanji and no kana, a Korean one with many hanja."""
    japanese, korean = is_japanese_codec(codec), is_korean_codec(codec)
    total = 0.0
    han = kana = hangul = 0
    for ch in text:
        code = ord(ch)
        if 0x3041 <= code <= 0x3096 or 0x30A1 <= code <= 0x30FA:
            kana += 1
            total += 0 if japanese else 1
        elif 0xAC00 <= code <= 0xD7A3:
            hangul += 1
            total += 0 if korean else 1
        elif 0x3131 <= code <= 0x318E or 0xFF66 <= code <= 0xFF9F:
            total += 1
        elif 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF:
            han += 1
            if (codec == "gb18030" and not _in_gb2312(ch)) or (codec == "big5" and not _big5_level_1(ch)):
                total += 1
    if japanese and han >= 20 and not kana:
        total += han / 2
    if korean and han > hangul / 5:
        total += han  # Korean is written in Hangul with a few hanja; Chinese read as EUC-KR is half hanja
    return total


@functools.lru_cache(maxsize=4096)
def _in_gb2312(ch: str) -> bool:
    """GB2312 holds the 6,763 common simplified characters; GB18030 read from other bytes is rare ones."""
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@functools.lru_cache(maxsize=4096)
def _big5_level_1(ch: str) -> bool:
    """Big5's 5,401 frequent characters (lead bytes A4-C6); Big5 read from other bytes lands in
    the 7,652 less frequent ones (C9-F9)."""
    try:
        return ch.encode("big5")[0] <= 0xC6
    except UnicodeEncodeError:
        return False


def vietnamese_misfits(text: str, codec: str) -> int:
    """A Windows-1258 reading with the Vietnamese letters ă ơ ư but not one tone mark: Vietnamese
    needs combining marks in that code page, so this is Portuguese ã õ or Romanian ă read wrongly."""
    if codec != "cp1258" or any(unicodedata.category(ch) == "Mn" for ch in text):
        return 0
    return sum(1 for ch in text if ch in "ăĂơƠưƯ")


MIN_LETTERS = 60
GOOD_FIT = {"HAN": 0.15, "HANGUL": 0.25, "CYRILLIC": 0.85}  # per script; 0.5 for the others (see below)


def frequency_misfits(text: str) -> float:
    """Letters of a script whose most frequent ten match no language's most frequent letters.

    charset-normalizer ships, per language, its letters by frequency. Real text puts most of its
    top ten among its language's top fifteen (Russian: о е а и н т с р в л ...); a wrong code page
    maps them to letters that are rare there (Hebrew read as Windows-1251: й д ш ъ). Scored
    letters x (good fit - fit), only with enough letters for frequencies to mean something. For
    Han characters the lists are Chinese's and Japanese's top hundred together, and the bar is
    low: on chardet's test files real Chinese and Japanese put at least 2 of their top ten there,
    Korean read as GB18030 or EUC-JP at most 1; Korean's list is 26 syllables, and real Korean
    puts at least 3 of its top ten there. Cyrillic has five languages' lists: real Russian and
    Bulgarian put 9 or 10 of their top ten in one of them, Hebrew read as Windows-1251 at most 8.
    """
    tables = _frequency_tables()
    letters = Counter(ch.lower() for ch in text if ord(ch) > 0x7F and ch.isalpha())
    by_script: dict[str | None, Counter[str]] = {}
    for ch, count in letters.items():
        by_script.setdefault(script_of(ch), Counter())[ch] = count
    total = 0.0
    for script, counts in by_script.items():
        size = sum(counts.values())
        if script not in tables or size < MIN_LETTERS:
            continue
        top = [ch for ch, _ in counts.most_common(10)]
        fit = max(sum(1 for ch in top if ch in table) / len(top) for table in tables[script])
        total += size * max(0.0, GOOD_FIT.get(script, 0.5) - fit)
    return total


@functools.lru_cache(maxsize=1)
def _frequency_tables() -> dict[str, list[frozenset[str]]]:
    """Per script, each language's most frequent letters (its top 15; every listed character
    for Korean; Chinese and Japanese as one list of Han characters and kana)."""
    try:
        from charset_normalizer.constant import FREQUENCIES
    except ImportError:  # an older or newer charset-normalizer: this evidence is simply missing
        return {}
    tables: dict[str, list[frozenset[str]]] = {}
    han: set[str] = set()
    for letters in FREQUENCIES.values():
        scripts = Counter(script_of(ch) for ch in letters)
        script = scripts.most_common(1)[0][0]
        if script == "HAN":
            han.update(letters)
        elif script not in (None, "LATIN"):  # Latin letters are ASCII in every code page: no evidence
            tables.setdefault(script, []).append(frozenset(letters if len(letters) > 30 else letters[:15]))
    if han:
        tables["HAN"] = [frozenset(han)]
    return tables
