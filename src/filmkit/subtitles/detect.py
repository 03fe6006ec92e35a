"""Which encoding a subtitle file's bytes are in, or that filmkit cannot tell.

Order of evidence: a byte-order mark; the NUL pattern of UTF-16 without one; ISO-2022 escape
sequences; valid UTF-8; then the legacy code pages, each reading judged by how plausible it is
as subtitles (plausible.py).

With the file's language (a project always knows it) the language's own code pages win
whenever one of them reads plausibly in the language's script; the most common wins a tie.
Without it, a reading is accepted only when it is plausible and clearly more plausible than
every other reading of the same bytes. Otherwise `Detection.encoding` is None and the caller
refuses the file, naming the candidates: a wrong guess would be converted into garbage and
written out with exit 0, which is worse than asking for `--lang` or `--encoding`.
`benchmarks/subtitle_encodings.py` measures how often each path is right.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from filmkit.subtitles.langs import GENERAL_ENCODINGS, LEGACY_ENCODINGS, TRADITIONAL_CHINESE, expected_script, \
    legacy_encodings
from filmkit.subtitles.plausible import Judgement, judge

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Escape sequences that switch ISO-2022 encodings into their double-byte sets; 7-bit, so the
# bytes are also valid UTF-8 (with invisible ESC characters) and must be recognised first.
_ISO_2022 = ((b"\x1b$B", "iso2022_jp"), (b"\x1b$@", "iso2022_jp"), (b"\x1b$(D", "iso2022_jp_2"),
             (b"\x1b$)C", "iso2022_kr"))
PLAUSIBLE = 0.1  # a reading with more than this penalty per non-ASCII character is garbage
MARGIN = 3.0  # without a language: how much less implausible the best reading must be than any other


@dataclass(frozen=True)
class Reading:
    """One way to read the bytes: the codecs that all give this same text, most common first."""

    codecs: tuple[str, ...]
    text: str
    judgement: Judgement

    @property
    def codec(self) -> str:
        return self.codecs[0]

    @property
    def plausible(self) -> bool:
        return self.judgement.ratio < PLAUSIBLE


@dataclass(frozen=True)
class Detection:
    """The codec to read with, or None with the plausible readings (best first) to name."""

    encoding: str | None
    candidates: tuple[Reading, ...] = ()
    best_guess: str | None = None  # what a forced choice would be (for messages)


def detect(data: bytes, lang: str | None = None) -> Detection:
    """BOM, UTF-16 by its NULs, ISO-2022, UTF-8, then the legacy code pages (see the module)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return Detection(name)
    if (utf16 := _utf16_without_bom(data)) is not None:
        return Detection(utf16)
    if (iso2022 := _iso_2022(data)) is not None:
        return Detection(iso2022)
    if _mostly_utf8(data):
        return Detection("utf-8")
    return _legacy(data, lang)


def all_legacy_encodings() -> tuple[str, ...]:
    """Every code page filmkit tries without a language: the common Windows ones first, then the
    others of every language's table."""
    names = [*GENERAL_ENCODINGS, *(name for table in LEGACY_ENCODINGS.values() for name in table),
             *TRADITIONAL_CHINESE]
    return tuple(dict.fromkeys(normal(name) for name in names))


def normal(name: str) -> str:
    """One spelling per codec ("UTF8", "utf_8" -> "utf-8"; "cp1251" stays)."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


# --- legacy code pages -----------------------------------------------------------------------


def _legacy(data: bytes, lang: str | None) -> Detection:
    preferred = tuple(dict.fromkeys(normal(name) for name in legacy_encodings(lang)))
    order = tuple(dict.fromkeys([*preferred, *all_legacy_encodings()]))
    readings = _readings(data, order)
    if not readings:
        return Detection(None)
    if preferred:
        script = expected_script(lang)
        likely = [reading for reading in readings if reading.judgement.spelling_ratio < PLAUSIBLE
                  and set(reading.codecs) & set(preferred) and reading.judgement.script in (script, None)]
        if likely:
            return Detection(_rank_for_language(data, likely, preferred))
    return _without_language(readings)


def _readings(data: bytes, order: tuple[str, ...]) -> list[Reading]:
    """Each distinct text the candidate codecs decode `data` to, judged."""
    texts: dict[str, list[str]] = {}
    for name in order:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        texts.setdefault(text, []).append(name)
    return [Reading(tuple(names), text, judge(text, names[0])) for text, names in texts.items()]


def _rank_for_language(data: bytes, likely: list[Reading], preferred: tuple[str, ...]) -> str:
    """Among plausible readings in the language's code pages: the least implausible; on a tie,
    charset-normalizer's chaos in coarse buckets (differences of a few hundredths on a short
    file are noise, and mac-cyrillic must not beat cp1251 on them), then the more common one."""
    chaos = _chaos(data, [codec for reading in likely for codec in reading.codecs if codec in preferred])

    def first_preferred(reading: Reading) -> str:
        return next(codec for codec in preferred if codec in reading.codecs)

    def rank(reading: Reading) -> tuple[float, float, int]:
        codec = first_preferred(reading)
        return reading.judgement.penalty, round(chaos.get(codec, 1.0), 1), preferred.index(codec)

    return first_preferred(min(likely, key=rank))


def _without_language(readings: list[Reading]) -> Detection:
    """The best reading if it is plausible and beats every other by MARGIN; else no choice."""
    ranked = sorted(readings, key=lambda r: r.judgement.penalty)
    best = ranked[0]
    plausible = tuple(reading for reading in ranked if reading.plausible)
    if not best.plausible:
        return Detection(None, (), best.codec)
    rivals = [reading for reading in ranked[1:]
              if reading.plausible and reading.judgement.penalty - best.judgement.penalty < MARGIN]
    if not rivals:
        return Detection(best.codec)
    return Detection(None, plausible, best.codec)


def _chaos(data: bytes, names: list[str]) -> dict[str, float]:
    """charset-normalizer's mess ratio of each candidate that it judged readable."""
    if not names:
        return {}
    from charset_normalizer import from_bytes

    results = from_bytes(data, cp_isolation=names, threshold=0.5)
    return {normal(match.encoding): float(match.chaos) for match in results}


# --- Unicode and ISO-2022 ---------------------------------------------------------------------


def _utf16_without_bom(data: bytes) -> str | None:
    """Subtitle text is full of ASCII digits and colons, so UTF-16 shows NULs on one side."""
    sample = data[:4096]
    sample = sample[: len(sample) - len(sample) % 2]
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    for zeros, other, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= 0.3 * pairs and other <= 0.02 * pairs and len(data) % 2 == 0:
            try:
                data.decode(name)
            except UnicodeDecodeError:
                return None
            return name
    return None


def _iso_2022(data: bytes) -> str | None:
    """ISO-2022-JP/KR: 7-bit text that switches character sets with escape sequences."""
    if b"\x1b" not in data:
        return None
    for marker, name in _ISO_2022:
        if marker in data:
            try:
                data.decode(name)
            except UnicodeDecodeError:
                continue
            return name
    return None


def _mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8, or UTF-8 with a few bad bytes (reported later) among many good sequences."""
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="surrogateescape")
    bad = sum(1 for ch in text if 0xDC80 <= ord(ch) <= 0xDCFF)
    good = sum(1 for ch in text if ord(ch) > 0x7F and not 0xDC80 <= ord(ch) <= 0xDCFF)
    return good >= 2 and good >= 4 * bad
