"""Markup to plain text: what a viewer reads, line breaks kept.

filmkit burns its own styled ASS, so italics, colours and positions in a translator's file
are dropped here; only the words and the line breaks survive.
"""

from __future__ import annotations

import html
import re

# Tags SRT players understand (and WebVTT's), removed; any other <word> is shown as text by
# players, so it is kept and reported.
_KNOWN_TAG = re.compile(r"</?(?:i|b|u|s|font|c|v|lang|ruby|rt|rp|span|br)(?:[\s.][^<>]*)?\s*/?>", re.IGNORECASE)
_OTHER_TAG = re.compile(r"</?[A-Za-z][\w\-]*(?:\s[^<>]*)?>")
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ASS_IN_SRT = re.compile(r"\{[^{}]*\\[^{}]*\}")  # {\an8}, {\ an 2}, { \an2}, {\pos(1,2)\b1}
_SPACED = r" ?(?:{}) ?"
_RUBY_TEXT = re.compile(r"<rt(?:[\s.][^<>]*)?>.*?</rt>|<rp>.*?</rp>", re.IGNORECASE | re.DOTALL)
_VTT_TIMESTAMP = re.compile(r"<\d+:\d+(?::\d+)?(?:\.\d+)?>")
_ANY_TAG = re.compile(r"<[^<>]*>")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
_ASS_BLOCK = re.compile(r"\{([^{}]*)\}")
_ASS_DRAWING = re.compile(r"\\p(\d+)")


def srt_text(raw: str) -> tuple[str, list[str]]:
    """Plain text of SubRip cue text, and the unknown tags left in it (shown literally)."""
    text = _remove(_ASS_IN_SRT, raw)
    text = text.replace("\\N", "\n").replace("\\n", "\n").replace("\\h", " ")
    text = _BREAK_TAG.sub("\n", text)
    text = _remove(_KNOWN_TAG, text)
    unknown = _OTHER_TAG.findall(text)
    return _tidy(_unescape(text)), unknown


def vtt_text(raw: str) -> str:
    """Plain text of WebVTT cue text: voice and class spans, ruby readings and timestamps removed.

    WebVTT escapes a literal "<" as "&lt;", so every tag can go before entities are decoded.
    """
    text = _RUBY_TEXT.sub("", raw)
    text = _VTT_TIMESTAMP.sub("", text)
    text = _remove(_ANY_TAG, text)
    return _tidy(_unescape(text))


def ass_text(raw: str) -> str:
    """Plain text of an ASS Dialogue: override blocks removed, drawings (\\p1 ... \\p0) skipped."""
    out: list[str] = []
    drawing = False
    position = 0
    for block in _ASS_BLOCK.finditer(raw):
        if not drawing:
            out.append(raw[position:block.start()])
            if out[-1].endswith(" ") and raw[block.end():block.end() + 1] == " ":
                out[-1] = out[-1][:-1]
        for level in _ASS_DRAWING.findall(block.group(1)):
            drawing = int(level) > 0
        position = block.end()
    if not drawing:
        out.append(raw[position:])
    text = "".join(out).replace("\\N", "\n").replace("\\n", "\n").replace("\\h", "\u00a0")
    return _tidy(text)


def _remove(tag: re.Pattern[str], text: str) -> str:
    """Markup removed without leaving two spaces where "word {\\an8} word" had one on each side."""
    spaced = re.compile(_SPACED.format(tag.pattern), tag.flags)
    return spaced.sub(lambda m: " " if m.group().startswith(" ") or m.group().endswith(" ") else "", text)


def _unescape(text: str) -> str:
    return _ENTITY.sub(lambda m: html.unescape(m.group()), text)


def _tidy(text: str) -> str:
    """Lines stripped; lines left empty by removed markup dropped."""
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)
