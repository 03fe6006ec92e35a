"""Markup to plain text: what a viewer reads, line breaks kept.

filmkit burns its own styled ASS, so italics, colours and positions in a translator's file
are dropped here; only the words and the line breaks survive.

The `*_literal` functions do the reverse for filmkit's own writers: they escape what a format
would otherwise read as markup or structure, so every file filmkit writes reads back to the
same text (`-->` in SubRip and WebVTT, `{` and `\\` in ASS).
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
_ASS_DRAWING = re.compile(r"\\p(\d+)")
_ASS_WRAP = re.compile(r"\\q(\d)")
# What libass reads after a backslash (ass_render.c get_next_char), plus filmkit's own
# "\\" + WORD JOINER for a literal backslash (as mpv escapes it): the joiner is invisible and
# stops libass from reading "\\N" in the text as a line break.
WORD_JOINER = "\u2060"
_ASS_ESCAPES = {"N": "\n", "h": "\u00a0", "{": "{", "}": "}", WORD_JOINER: "\\"}
# MicroDVD marks an italic line with a leading "/"; SubRip players show the slash. The marker may
# follow tags or an ASS override block; "//" (a URL, a comment) is not a marker.
_ITALIC_MARK = re.compile(r"^((?:<[^<>]*>|\{[^{}]*\}|\s)*)/(?!/)")


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


def ass_text(raw: str, *, wrap_style: int = 0) -> str:
    """Plain text of an ASS Dialogue, read as libass reads it: override blocks removed, drawings
    (\\p1 ... \\p0) skipped, \\N a line break, \\n a line break only under wrap style 2 (the
    script's WrapStyle or an override \\q2; otherwise a space, as the ASS spec says), \\h a
    no-break space, \\{ and \\} literal braces."""
    out: list[str] = []
    drawing = False
    hard_n = wrap_style == 2
    index = 0
    while index < len(raw):
        char = raw[index]
        close = raw.find("}", index) if char == "{" else -1
        if close >= 0:  # an override block runs to the first "}", as in libass
            block = raw[index + 1 : close]
            for level in _ASS_DRAWING.findall(block):
                drawing = int(level) > 0
            for style in _ASS_WRAP.findall(block):
                hard_n = int(style) == 2
            index = close + 1
            if out and out[-1] == " " and raw[index : index + 1] == " ":
                out.pop()  # "word {\\i1} word": one space, not two
            continue
        if drawing:
            index += 1
            continue
        following = raw[index + 1 : index + 2]
        if char == "\\" and following == "n" and not hard_n:  # a soft break: one space between the words
            if not out or out[-1] != " ":
                out.append(" ")
            index += 2
            while raw[index : index + 1] == " ":
                index += 1
            continue
        if char == "\\" and (following in _ASS_ESCAPES or following == "n"):
            out.append(_ASS_ESCAPES.get(following, "\n"))
            index += 2
            continue
        out.append(char)
        index += 1
    return _tidy("".join(out))


def strip_italic_marker(line: str) -> str | None:
    """The SubRip line without MicroDVD's leading italic "/", or None when it has none."""
    match = _ITALIC_MARK.match(line)
    return None if match is None else match.group(1) + line[match.end() :]


def srt_literal(text: str) -> str:
    """Cue text as SubRip lines that srt_text reads back unchanged.

    SubRip has no escapes, so filmkit writes an HTML character reference (which srt_text decodes)
    only where a character would be misread: "&lt;" for a tag, "&gt;" in a line that would be a
    timing line ("-->"), "&#123;" for an ASS override, "&#92;" for \\N, "&#47;" for a leading "/",
    and "&amp;" for an "&" that starts a reference. A player that shows the reference literally
    would have misread the plain character anyway.
    """
    from filmkit.subtitles.timing import is_timing_line

    text = _ENTITY.sub(lambda m: "&amp;" + m.group()[1:], text)
    # Every "{" an override block could start at: srt_text removes "{...\...}" across lines too.
    text = re.sub(r"\{(?=[^}]*\\[^}]*\})", "&#123;", text)
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"<(?=/?[A-Za-z])", "&lt;", line)
        line = re.sub(r"\\(?=[Nnh])", "&#92;", line)
        if is_timing_line(line):
            line = line.replace(">", "&gt;")
        if marker := _ITALIC_MARK.match(line):
            line = f"{marker.group(1)}&#47;{line[marker.end():]}"
        lines.append(line)
    return "\n".join(lines)


def vtt_literal(text: str) -> str:
    """Cue text as WebVTT: "<" starts a tag, "&" an entity, and a line with "-->" is a timing line."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ass_literal(text: str) -> str:
    """Cue text as an ASS Dialogue text field that ass_text reads back unchanged (and libass
    shows as written): "{" as \\{, a backslash that would start an escape followed by a word
    joiner, line breaks as \\N."""
    escaped = re.sub(r"\\(?=[Nnh{}\u2060])", "\\\\" + WORD_JOINER, text)
    return escaped.replace("{", "\\{").replace("\n", "\\N")


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
