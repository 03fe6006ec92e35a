"""Bytes to text for subtitle files written by any tool on any system.

Order of evidence: a byte-order mark; the NUL pattern of UTF-16 without one; valid UTF-8;
then the legacy encodings likely for the language, scored by charset-normalizer's chaos and
by how plausible the decoded letters are (a cp1251 file read as cp1252 comes out as "Ïðèâåò":
letters that switch case mid-word and stray symbols). Short files defeat frequency statistics,
which is why the language hint matters more than the detector.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from filmkit.errors import SubtitleError
from filmkit.subtitles.langs import GENERAL_ENCODINGS, legacy_encodings
from filmkit.subtitles.model import Finding, Severity

UTF8_NAMES = {"utf-8", "utf-8-sig", "ascii"}
_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Lines split on CR, LF and CRLF only: str.splitlines() would also split on U+0085, which
    double-encoded UTF-8 is full of, and shift every line number after it."""
    return _LINE_BREAK.split(text)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    findings: tuple[Finding, ...]


def detect_encoding(data: bytes, lang: str | None = None) -> str:
    """The codec to read `data` with: BOM first, then UTF-16 by its NULs, UTF-8, then the
    legacy encodings usual for `lang` (ranked by charset-normalizer and letter plausibility)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    if (utf16 := _utf16_without_bom(data)) is not None:
        return utf16
    if _mostly_utf8(data):
        return "utf-8"
    return _best_legacy(data, lang)


def decode(data: bytes, path: Path, *, lang: str | None, encoding: str | None) -> Decoded:
    """Text of the file (lines joined with LF, mojibake repaired) and findings about its encoding."""
    if encoding:
        codec = _codec_name(encoding, path)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise SubtitleError(_override_failed(data, path, codec, exc, lang)) from None
    else:
        codec = detect_encoding(data, lang)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = data.decode(codec, errors="replace")
    text = text[1:] if text.startswith("\ufeff") else text
    findings: list[Finding] = []
    if codec not in UTF8_NAMES:
        findings.append(_not_utf8(path, codec, text, given=bool(encoding)))
    lines = split_lines(text)
    findings.extend(_replacement_findings(lines, path, codec))
    lines, mojibake = repair_mojibake_lines(lines, path)
    findings.extend(mojibake)
    findings.extend(_control_findings(lines, path))
    return Decoded("\n".join(lines), codec, tuple(findings))


# --- detection -----------------------------------------------------------------------------


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


def _best_legacy(data: bytes, lang: str | None) -> str:
    preferred = [_normal(name) for name in legacy_encodings(lang)]
    candidates = list(dict.fromkeys([*preferred, *(_normal(name) for name in GENERAL_ENCODINGS)]))
    texts: dict[str, str] = {}
    for name in candidates:
        try:
            texts[name] = data.decode(name)
        except UnicodeDecodeError:
            continue
    if not texts:
        fallback = _unrestricted(data)
        return _normal(fallback) if fallback else "utf-8"
    penalty = {name: implausibility(_sample(text)) for name, text in texts.items()}
    # The language's own encodings win whenever one of them gives plausible text.
    likely = [name for name in preferred if name in texts and penalty[name] < 0.3]
    pool = likely or list(texts)
    chaos = _chaos(data, pool)

    def rank(name: str) -> tuple[float, int]:
        # Coarse buckets: within one, the more common encoding wins (chaos differences of a few
        # hundredths on a short file are noise, and mac-cyrillic must not beat cp1251 on them).
        return round(penalty[name] + chaos.get(name, 1.0), 1), candidates.index(name)

    best = min(pool, key=rank)
    # cp1250 and cp1252 agree on "ö", "ü", "ß": name the more common one when the text is the same.
    return next(name for name in candidates if texts.get(name) == texts[best])


def _sample(text: str, size: int = 20_000) -> str:
    """The lines that have non-ASCII characters (timings and numbers say nothing), capped."""
    return "\n".join(line for line in split_lines(text) if not line.isascii())[:size]


def implausibility(text: str) -> float:
    """Per non-ASCII character: oddness plus accented letters no single language uses together."""
    count = sum(1 for ch in text if ord(ch) > 0x7F)
    if not count:
        return 0.0
    return (oddness(text) + 2 * alphabet_misfits(text)) / count


def _chaos(data: bytes, names: list[str]) -> dict[str, float]:
    """charset-normalizer's mess ratio of each candidate that it judged readable."""
    if not names:
        return {}
    from charset_normalizer import from_bytes

    results = from_bytes(data, cp_isolation=names, threshold=0.5)
    return {_normal(match.encoding): float(match.chaos) for match in results}


def _unrestricted(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return best.encoding if best else None


def _normal(name: str) -> str:
    """One spelling per codec ("UTF8", "utf_8" -> "utf-8"; "cp1251" stays)."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


_KNOWN_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "THAI", "HAN", "HANGUL", "DEVANAGARI",
                  "BENGALI", "TAMIL", "TELUGU", "GUJARATI", "GURMUKHI", "KANNADA", "MALAYALAM", "ARMENIAN",
                  "GEORGIAN", "ETHIOPIC", "KHMER", "LAO", "MYANMAR", "SINHALA", "TIBETAN", "ORIYA"}
_HAN_NAMES = {"CJK", "HIRAGANA", "KATAKANA", "IDEOGRAPHIC"}
# Punctuation and symbols that real subtitles use; any other symbol counts against a decoding.
_COMMON_MARKS = set("«»„“”‘’‚‹›–—―…·•¡¿°№€£¥§©®™±×÷²³½¼¾♪♫\u00a0\u202f\u2009\u200a\u2010\u2011"
                    "、。，．・：；？！「」『』（）〔〕［］｛｝〈〉《》【】～ー〜")
_IN_WORD = set("’‘ʼ·‐‑")  # apostrophes, the Catalan middle dot, hyphens
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
            elif category[0] in "SP" and ch not in _COMMON_MARKS:
                total += 2
            elif (category[0] in "SP" or category == "No") and script_of(prev) == "LATIN" \
                    and text[index + 1 : index + 2].isalpha() and ch not in _IN_WORD:
                total += 1  # "Ð±Ð": a symbol inside a Latin word
            elif category[0] == "L" and script_of(ch) not in _KNOWN_SCRIPTS:
                total += 2
            elif category == "Mn" and not (prev.isalpha() or unicodedata.category(prev)[0] == "M"):
                total += 2  # a combining mark with nothing to combine with
        if (ord(ch) > 0x7F or ord(prev) > 0x7F) and ch.isalpha() and prev.isalpha():
            if script_of(prev) != script_of(ch):
                total += 2
            elif prev.islower() and ch.isupper():
                total += 1
        prev = ch
    return total


# Letters of the alphabets of languages in Latin (accented letters only) and Cyrillic script.
# Text decoded with the wrong code page mixes them ("Oł est le café": Polish ł in French;
# "Ћюбовь ... Єлка": Serbian and Ukrainian letters in Russian), which chaos statistics miss
# on short files.
_RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_ALPHABETS = {
    "LATIN": (
        "àâæçéèêëîïôœùûüÿ", "äöüß", "áéíñóúü", "àèéìíîòóùú", "áâãàçéêíóôõú", "éëïóöüáèíú", "åäöé", "æøåé",
        "äöåšž", "áðéíóúýþæö", "àçèéíïòóúü", "ąćęłńóśźż", "áčďéěíňóřšťúůýž", "áäčďéíĺľňóôŕšťúýž", "áéíóöőúüű",
        "ăâîșțşţ", "čćđšž", "çğıöşüâîû", "āčēģīķļņšūž", "ąčęėįšųūž", "äõöüšž", "çë", "áéíóú", "âêîôûŵŷäëïöü",
    ),
    # Russian, then the letters Ukrainian, Belarusian, Serbian, Macedonian, Kazakh, Mari add to it
    "CYRILLIC": tuple(_RUSSIAN + extra for extra in ("", "ґєії", "ўі", "ђјљњћџ", "ѓѕјљњќџ", "ғқңөұүһі", "ӊӧӱӹ")),
}


def alphabet_misfits(text: str) -> int:
    """Letters outside the best-fitting language alphabet of their script (0: one language fits)."""
    total = 0
    for script, alphabets in _ALPHABETS.items():
        letters = [ch for ch in text.lower() if ord(ch) > 0x7F and ch.isalpha() and script_of(ch) == script]
        if letters:
            total += min(sum(1 for ch in letters if ch not in alphabet) for alphabet in alphabets)
    return total


# --- mojibake ------------------------------------------------------------------------------

_CP1252_BYTE = {}
for _byte in range(0x80, 0xA0):
    try:
        _CP1252_BYTE[bytes([_byte]).decode("cp1252")] = _byte
    except UnicodeDecodeError:
        pass


def _as_latin_bytes(text: str) -> bytes | None:
    """The bytes a Latin-1/cp1252 reader saw, or None if `text` has characters neither has."""
    out = bytearray()
    for ch in text:
        code = ord(ch)
        if code < 0x100:
            out.append(code)
        elif ch in _CP1252_BYTE:
            out.append(_CP1252_BYTE[ch])
        else:
            return None
    return bytes(out)


def _as_cp1251_bytes(text: str) -> bytes | None:
    try:
        return text.encode("cp1251")
    except UnicodeEncodeError:
        return None


def repair_mojibake(line: str, *, lenient: bool = False) -> str | None:
    """The line as it was before UTF-8 was read as Latin-1/cp1252 (or cp1251) and saved again;
    None when the line is not mojibake. Repeats for text that was double-encoded twice.
    `lenient` (for a file already shown to be double-encoded) accepts any repair that does not
    make the line less plausible, such as "Ã\xa0" (à) whose pieces look innocent."""
    fixed = None
    current = line
    for _ in range(3):
        step = _repair_once(current, lenient)
        if step is None:
            break
        fixed = current = step
    return fixed


def _repair_once(line: str, lenient: bool) -> str | None:
    if line.isascii():
        return None
    for to_bytes in (_as_latin_bytes, _as_cp1251_bytes):
        raw = to_bytes(line)
        if raw is None:
            continue
        try:
            fixed = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        joined = len(line) - len(fixed)  # characters merged into multi-byte sequences
        before, after = oddness(line), oddness(fixed)
        if joined and (after < before or ((joined >= 2 or lenient) and after <= before)):
            return fixed
    return None


def repair_mojibake_lines(lines: list[str], path: Path) -> tuple[list[str], list[Finding]]:
    """Lines with double-encoded UTF-8 repaired, and one error naming the first with its fix."""
    repaired = list(lines)
    changed: list[int] = []
    for lenient in (False, True):
        for index, line in enumerate(lines):
            fixed = None if index in changed else repair_mojibake(line, lenient=lenient)
            if fixed is not None:
                repaired[index] = fixed
                changed.append(index)
        if not changed:
            return repaired, []
    changed.sort()
    first = changed[0]
    message = (
        f"the text is UTF-8 that was read as Latin-1/cp1252 (or cp1251) and saved again (mojibake) on "
        f"{len(changed)} line(s): {_clip(lines[first])!r} should read {_clip(repaired[first])!r}. filmkit "
        "repaired it for this run; save the repaired file with `filmkit subs convert` (or re-save the original "
        "once, as UTF-8)"
    )
    return repaired, [Finding(path, None, first + 1, "mojibake", Severity.ERROR, message)]


# --- findings ------------------------------------------------------------------------------

_DESCRIPTIONS = {
    "cp1251": "Windows Cyrillic", "cp1250": "Windows Central European", "cp1252": "Windows Western",
    "cp1256": "Windows Arabic", "cp1253": "Windows Greek", "cp1254": "Windows Turkish", "cp1255": "Windows Hebrew",
    "cp1257": "Windows Baltic", "cp874": "Windows Thai", "gb18030": "Simplified Chinese GB2312/GBK/GB18030",
    "gb2312": "Simplified Chinese GB2312", "gbk": "Simplified Chinese GBK", "big5": "Traditional Chinese Big5",
    "cp932": "Japanese Shift-JIS", "shift_jis": "Japanese Shift-JIS", "euc_jp": "Japanese EUC-JP",
    "cp949": "Korean", "euc_kr": "Korean EUC-KR", "koi8-r": "Russian KOI8-R", "koi8-u": "Ukrainian KOI8-U",
    "utf-16-le": "UTF-16 little-endian", "utf-16-be": "UTF-16 big-endian", "utf-32-le": "UTF-32 little-endian",
    "utf-32-be": "UTF-32 big-endian", "mac-roman": "Mac Roman", "mac-cyrillic": "Mac Cyrillic",
}


def describe(codec: str, how: str = "") -> str:
    """"cp1251 (Windows Cyrillic, detected)"."""
    details = ", ".join(part for part in (_DESCRIPTIONS.get(codec, ""), how) if part)
    return f"{codec} ({details})" if details else codec


def _not_utf8(path: Path, codec: str, text: str, *, given: bool) -> Finding:
    how = "as you asked" if given else "detected"
    if codec.startswith("utf-16") and "\n" in text and "\r\n" not in text:
        risk = "ffmpeg loses lines that start with a non-ASCII letter in UTF-16 files with LF line endings"
    elif codec.startswith("utf-16") or codec.startswith("utf-32"):
        risk = "players and upload forms often reject it"
    else:
        risk = "ffmpeg drops the cues of a non-UTF-8 file silently"
    return Finding(path, None, None, "encoding", Severity.WARNING,
                   f"the file is {describe(codec, how)}, not UTF-8: YouTube requires UTF-8 for SRT, and {risk}. "
                   f"filmkit converts it when reading; save the file as UTF-8, e.g. `filmkit subs convert {path.name} "
                   f"{path.stem}.utf8{path.suffix or '.srt'}`")


def _replacement_findings(lines: list[str], path: Path, codec: str) -> list[Finding]:
    bad = [(index, line) for index, line in enumerate(lines) if "\ufffd" in line]
    if not bad:
        return []
    index, line = bad[0]
    more = f" (and {len(bad) - 1} more line(s))" if len(bad) > 1 else ""
    return [Finding(path, None, index + 1, "encoding", Severity.ERROR,
                    f"bytes that are not valid {codec} (shown as \ufffd): {_clip(line)!r}{more}. Part of the file "
                    f"was pasted from another encoding; retype those characters and save the file as UTF-8")]


def _control_findings(lines: list[str], path: Path) -> list[Finding]:
    """Invisible control characters: on screen they are a box or nothing in place of a letter."""
    findings = []
    for index, line in enumerate(lines):
        bad = [ch for ch in line if unicodedata.category(ch) == "Cc" and ch != "\t"]
        if not bad:
            continue
        ch = bad[0]
        guess = _legacy_guess(ch)
        findings.append(Finding(path, None, index + 1, "encoding", Severity.ERROR,
                                f"invisible control character U+{ord(ch):04X} in {_clip(line)!r}{guess}; it shows "
                                "as a box or nothing. A letter was lost in a conversion between encodings: retype it"))
    return findings


def _legacy_guess(ch: str) -> str:
    """What a C1 byte meant in the encodings that put letters there (Mac Roman, DOS)."""
    if not 0x80 <= ord(ch) <= 0x9F:
        return ""
    readings = []
    for codec, label in (("mac_roman", "Mac Roman"), ("cp850", "DOS cp850")):
        letter = bytes([ord(ch)]).decode(codec)
        if letter.isalpha():
            readings.append(f"{letter!r} in {label}")
    return f" (that byte is {' or '.join(readings)})" if readings else ""


def _clip(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _codec_name(encoding: str, path: Path) -> str:
    try:
        return _normal(codecs.lookup(encoding).name)
    except LookupError:
        raise SubtitleError(
            f"{path}: unknown encoding {encoding!r}. Use a name Python knows, such as utf-8, utf-16, cp1251, "
            "cp1252, cp1256, gb18030, big5 or shift_jis, or leave the encoding out to let filmkit detect it"
        ) from None


def _override_failed(data: bytes, path: Path, codec: str, exc: UnicodeDecodeError, lang: str | None) -> str:
    line = len(split_lines(data[: exc.start].decode(codec, errors="replace")))
    detected = detect_encoding(data, lang)
    return (f"{path}:{line}: the file cannot be read as {codec} (the encoding you gave): byte "
            f"0x{data[exc.start]:02x} is not valid there. filmkit detects {describe(detected)}; remove the "
            "encoding setting to use that, or give the encoding the file was saved in")
