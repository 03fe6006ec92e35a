"""Bytes to text for subtitle files written by any tool on any system.

Which encoding the bytes are in is decided in detect.py: a byte-order mark, UTF-16 by its NULs,
ISO-2022, UTF-8, then the legacy code pages of the file's language, or, without a language,
only a reading that is clearly the one plausible text. A legacy file that cannot be told apart
is refused with the candidates named (`--lang` or `--encoding` settles it), never guessed.
Here the text is decoded, double-encoded UTF-8 is repaired, and what was found is reported.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from filmkit.errors import SubtitleError
from filmkit.subtitles.detect import Detection, Reading, detect, normal
from filmkit.subtitles.langs import language_for_encoding, language_name
from filmkit.subtitles.model import Finding, Severity
from filmkit.subtitles.plausible import oddness

UTF8_NAMES = {"utf-8", "utf-8-sig", "ascii"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Text codecs that are not character encodings of a file: they transform text (escapes, IDNA).
_NOT_FILE_ENCODINGS = {"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined", "charmap"}
_PROBE = "1\n00:00:01,000 --> 00:00:02,000\nAa\n"  # what every subtitle encoding must carry


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
    """The codec filmkit would read `data` with, or its best guess where it would refuse (see
    detect.py); for messages and tools that must name one."""
    found = detect(data, lang)
    return found.encoding or found.best_guess or "utf-8"


def decode(data: bytes, path: Path, *, lang: str | None, encoding: str | None) -> Decoded:
    """Text of the file (lines joined with LF, mojibake repaired) and findings about its encoding.

    SubtitleError when `encoding` is not a text encoding or does not fit the bytes, and when no
    encoding was given and the bytes could be in several (or none) of the legacy encodings.
    """
    if encoding:
        codec = text_encoding(encoding, path)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise SubtitleError(_override_failed(data, path, codec, exc, lang)) from None
    else:
        found = detect(data, lang)
        if found.encoding is None and b"\x00" in data:
            codec = "latin-1"  # NUL bytes and no UTF-16/32: not text at all, which the loader reports
        elif found.encoding is None:
            raise SubtitleError(undecided(path, lang, found))
        else:
            codec = found.encoding
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = data.decode(codec, errors="replace")  # UTF-8 with a few bad bytes: reported below
    text = text[1:] if text.startswith("\ufeff") else text
    if normal(codec) == "cp1258":
        text = unicodedata.normalize("NFC", text)  # tone marks stored apart, as Windows-1258 must
    findings: list[Finding] = []
    if codec not in UTF8_NAMES:
        findings.append(_not_utf8(path, codec, text, given=bool(encoding)))
    lines = split_lines(text)
    findings.extend(_replacement_findings(lines, path, codec))
    lines, mojibake = repair_mojibake_lines(lines, path)
    findings.extend(mojibake)
    findings.extend(_control_findings(lines, path))
    return Decoded("\n".join(lines), codec, tuple(findings))


def text_encoding(name: str, path: Path | None = None) -> str:
    """The codec for a user's encoding name, refused unless it is a character encoding that
    can hold a subtitle file (rot13, base64, zlib, punycode ... are codecs, not encodings)."""
    where = f"{path}: " if path else ""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        raise SubtitleError(f"{where}unknown encoding {name!r}. {ACCEPTED}, or leave the encoding out to let "
                            "filmkit detect it") from None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FILE_ENCODINGS \
            or not _carries_subtitles(info.name):
        raise SubtitleError(f"{where}{name!r} is a Python codec ({info.name}) but not a character encoding of a "
                            f"text file, so no subtitle file is stored in it. {ACCEPTED}")
    return normal(info.name)


ACCEPTED = ("Give a character encoding: utf-8, utf-16, utf-32, the Windows code pages cp874 and cp1250 to cp1258, "
            "iso8859-1 to iso8859-16, koi8-r, koi8-u, mac-roman, mac-cyrillic, cp866, gb18030, gbk, gb2312, big5, "
            "cp932 (shift_jis), euc-jp, iso2022-jp, cp949 (euc-kr), or any other text encoding Python's codecs "
            "module knows")


def _carries_subtitles(codec: str) -> bool:
    try:
        return _PROBE.encode(codec).decode(codec) == _PROBE
    except (UnicodeError, LookupError):
        return False


def undecided(path: Path, lang: str | None, found: Detection) -> str:
    """One paragraph: why filmkit will not guess, what each candidate reads as, how to settle it."""
    told = f"as {language_name(lang)} ({lang}) " if lang else "without its language "
    if found.candidates:
        shown = "; ".join(_as_read(reading, found.candidates) for reading in found.candidates[:4])
        what = f"the bytes read plausibly in more than one encoding: {shown}"
    elif found.best_guess:
        what = f"no encoding filmkit knows reads it as real text (the least bad is {describe(found.best_guess)})"
    else:
        what = "its bytes are valid in none of the encodings filmkit knows"
    guess = found.candidates[0].codec if found.candidates else (found.best_guess or "cp1252")
    code = lang or language_for_encoding(guess) or "he"
    name = f" (`--lang {code}`, or a name such as {path.stem}.{code}{path.suffix})" if not lang else ""
    return (f"{path}: the file is not UTF-8, and {told}filmkit cannot tell its encoding for sure: {what}. filmkit "
            f"does not guess, since a wrong guess turns every accented letter into garbage. Give its language{name} "
            f"or its encoding (`--encoding {guess}`; in a project, `subtitles: encoding: {{{code}: {guess}}}`), or "
            "save it as UTF-8 in the program that made it")


def _as_read(reading: Reading, others: tuple[Reading, ...]) -> str:
    """The candidate's name and the first line where the candidates disagree, as it reads there."""
    lines = [split_lines(other.text) for other in others]
    index = next((i for i, variants in enumerate(zip(*lines)) if len(set(variants)) > 1), 0)
    line = split_lines(reading.text)[index].strip() if index < len(split_lines(reading.text)) else ""
    return f"{describe(reading.codec)} {_clip(line, 32)!r}"


def encode_legacy(text: str, codec: str) -> bytes:
    """The bytes a legacy tool writes for `text` in `codec` (UnicodeEncodeError if a character
    has no place there). Windows-1258 (Vietnamese) holds only some precomposed letters: the
    others are written as a base letter and a combining tone mark, as Vietnamese tools do."""
    if normal(codec) == "cp1258":
        text = _cp1258_form(text)
    return text.encode(codec)


def _cp1258_form(text: str) -> str:
    """Each letter composed with as many of its marks as Windows-1258 has a letter for ("ậ" is
    "â" and a combining dot below); the other marks follow it."""
    out: list[str] = []
    marks: list[str] = []
    for char in unicodedata.normalize("NFD", text) + " ":
        if out and unicodedata.combining(char):
            joined = unicodedata.normalize("NFC", out[-1] + char)
            if len(joined) == 1 and _fits(joined, "cp1258"):
                out[-1] = joined
            else:
                marks.append(char)
            continue
        out.extend(marks)
        marks = []
        out.append(char)
    return "".join(out[:-1])


def _fits(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


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
    core = line.strip()  # as a cue's text will hold it: a stray U+0085 at the end is whitespace to strip()
    fixed = None
    current = core
    for _ in range(3):
        step = _repair_once(current, lenient)
        if step is None:
            break
        fixed = current = step
    if fixed is None:
        return None
    start = line.index(core[0]) if core else 0
    return line[:start] + fixed + line[start + len(core):]


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
    "cp1258": "Windows Vietnamese", "cp866": "DOS Cyrillic", "iso2022_jp": "Japanese ISO-2022-JP",
    "iso2022_kr": "Korean ISO-2022-KR", "iso8859-1": "ISO Latin-1", "iso8859-2": "ISO Central European",
    "iso8859-5": "ISO Cyrillic", "iso8859-6": "ISO Arabic", "iso8859-7": "ISO Greek", "iso8859-8": "ISO Hebrew",
    "iso8859-9": "ISO Turkish", "iso8859-13": "ISO Baltic", "iso8859-15": "ISO Western with €",
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


def _override_failed(data: bytes, path: Path, codec: str, exc: UnicodeDecodeError, lang: str | None) -> str:
    line = len(split_lines(data[: exc.start].decode(codec, errors="replace")))
    found = detect(data, lang)
    if found.encoding:
        instead = f"filmkit detects {describe(found.encoding)}; remove the encoding setting to use that"
    else:
        instead = f"filmkit's best guess is {describe(found.best_guess or 'utf-8')}, but it cannot tell for sure"
    return (f"{path}:{line}: the file cannot be read as {codec} (the encoding you gave): byte "
            f"0x{data[exc.start]:02x} is not valid there. {instead}, or give the encoding the file was saved in")
