"""The styled ASS file that libass burns: sizes in output pixels, one style per script.

PlayResX/Y equal the output size, so every number here is a pixel of the output (libass
scales `force_style` sizes by height/288 otherwise: PLATFORMS.md pitfall 6). Each script gets
its own style with an explicit font (pitfall 7), right-to-left styles use Encoding=-1 so
libass picks the base direction from the text (pitfall 2), and lines are broken here, by
measuring with the same font, because libass's own wrapping needs spaces (pitfall 3).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from filmkit.platform.safearea import SafeArea
from filmkit.text.fonts import CJK_SCRIPTS, RTL_SCRIPTS, FontChoice, dominant_script, line_height_units
from filmkit.subtitles.model import Cue

# Sizes as fractions of the frame, from BBC Subtitle Guidelines v1.2.5 (line height 7-8% of
# the height for 16:9, 3.9-4.5% for 9:16) taken as the font's em at the low end for 16:9
# (an em is ~85% of a line), and the 9:16 figure as given.
EM_LANDSCAPE = 0.055
EM_VERTICAL = 0.042
# Line length: BBC online guideline, 68% of the width for 16:9 and 90% for 9:16 and 1:1.
WIDTH_LANDSCAPE = 0.68
WIDTH_VERTICAL = 0.90

# Characters that must not start (closing) or end (opening) a CJK line (JIS X 4051 kinsoku).
NO_LINE_START = set("、。，．・：；？！ー」』）〕］｝〉》】〙〗»)]}!?,.;:%")
NO_LINE_END = set("「『（〔［｛〈《【〘〖«([{")


@dataclass(frozen=True)
class AssStyle:
    """How subtitles look; sizes relative to the frame so every aspect ratio gets the same look."""

    font_scale: float = 1.0
    outline: float = 2.5  # pixels at 1080 lines
    shadow: float = 0.0
    box: bool = False  # an opaque box behind the text instead of an outline
    box_opacity: float = 0.6
    color: str = "#FFFFFF"
    outline_color: str = "#000000"
    margin: float = 0.06  # bottom (or top) margin, fraction of the height
    position: str = "bottom"  # or "top"


@dataclass(frozen=True)
class Track:
    """One language's cues and the fonts chosen for its scripts."""

    lang: str
    cues: tuple[Cue, ...]
    fonts: dict[str, FontChoice] = field(default_factory=dict)  # script -> face


def build_ass(
    tracks: Sequence[Track], width: int, height: int, style: AssStyle = AssStyle(), safe_area: SafeArea | None = None
) -> str:
    """The complete ASS document; the first track is drawn above the second (bilingual burn).

    With a platform's `safe_area`, lines are kept inside it: narrower, and lifted above the
    platform's own caption and button bars.
    """
    vertical = height > width
    safe = safe_area or SafeArea()
    em = height * (EM_VERTICAL if vertical else EM_LANDSCAPE) * style.font_scale
    side_l, side_r = round(safe.left * width), round(safe.right * width)
    max_width = min(width * (WIDTH_VERTICAL if vertical else WIDTH_LANDSCAPE), width - side_l - side_r)
    unit = min(width, height) / 1080
    styles: dict[str, tuple[FontChoice, bool]] = {}
    placed: list[list[Placed]] = []
    for track in tracks:
        events = []
        for cue in track.cues:
            script = dominant_script(cue.text, track.lang)
            font = track.fonts.get(script) or next(iter(track.fonts.values()))
            name = _style_name(track.lang, script)
            styles[name] = (font, script in RTL_SCRIPTS)
            lines = wrap(cue.lines, font, em, max_width, script)
            events.append(Placed(cue, name, lines, font_size(font, em)))
        placed.append(events)

    header = _header(width, height)
    style_lines = [_style_line(name, font, rtl, em, style, unit) for name, (font, rtl) in styles.items()]
    edge = safe.top if style.position == "top" else safe.bottom
    margin_v = round(max(style.margin, edge + style.margin / 3 if edge else 0) * height)
    sides = (side_l, side_r)
    events_text = []
    # The lower track is written first, so libass's collision handling could only ever push
    # the upper one further up; the upper track is lifted by the lower block's real height.
    lower = placed[1] if len(placed) > 1 else []
    for event in lower:
        events_text.append(_dialogue(event, margin_v, sides))
    for event in placed[0] if placed else []:
        lift = _height_below(event.cue, lower)
        events_text.append(_dialogue(event, margin_v + (round(lift + 0.3 * em) if lift else 0), sides))
    return "\n".join([header, *style_lines, "", _EVENTS_HEADER, *events_text, ""])


@dataclass(frozen=True)
class Placed:
    cue: Cue
    style: str
    lines: list[str]
    size: float  # ASS Fontsize: libass's line height for this style

    @property
    def height(self) -> float:
        return len(self.lines) * self.size


def font_size(font: FontChoice, em: float) -> float:
    """ASS Fontsize giving `em`: libass makes win ascent + descent equal to Fontsize."""
    return em * line_height_units(font.path, font.index)


def _height_below(cue: Cue, lower: list[Placed]) -> float:
    """The tallest block the lower track shows at any moment of `cue`."""
    return max((other.height for other in lower if other.cue.start < cue.end and cue.start < other.cue.end), default=0.0)


def _style_name(lang: str, script: str) -> str:
    return f"{lang}-{script}".replace(",", "_")


_EVENTS_HEADER = "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text"


def _header(width: int, height: int) -> str:
    return "\n".join([
        "[Script Info]",
        "; Written by filmkit: sizes are output pixels",
        "ScriptType: v4.00+",
        f"PlayResX: {width}",
        f"PlayResY: {height}",
        "WrapStyle: 2",  # no automatic wrapping: lines are broken by filmkit, by measurement
        "ScaledBorderAndShadow: yes",
        "YCbCr Matrix: TV.709",
        "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
        "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "
        "MarginL, MarginR, MarginV, Encoding",
    ])


def _style_line(name: str, font: FontChoice, rtl: bool, em: float, style: AssStyle, unit: float) -> str:
    size = font_size(font, em)  # every script gets the same em
    primary = ass_color(style.color)
    outline = ass_color(style.outline_color)
    back = ass_color(style.outline_color, 1 - style.box_opacity)
    border_style, outline_px = (3, max(style.outline, 6) * unit) if style.box else (1, style.outline * unit)
    alignment = 8 if style.position == "top" else 2
    encoding = -1 if rtl else 1
    return (f"Style: {name},{font.family},{size:.1f},{primary},{primary},{outline if not style.box else back},{back},"
            f"0,0,0,0,100,100,0,0,{border_style},{outline_px:.1f},{style.shadow * unit:.1f},{alignment},"
            f"0,0,0,{encoding}")


def ass_color(hex_color: str, transparency: float = 0.0) -> str:
    """#RRGGBB to ASS &HAABBGGRR (alpha 00 is opaque)."""
    value = hex_color.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    red, green, blue = value[0:2], value[2:4], value[4:6]
    alpha = round(max(0.0, min(1.0, transparency)) * 255)
    return f"&H{alpha:02X}{blue}{green}{red}".upper()


def _dialogue(event: Placed, margin_v: int, sides: tuple[int, int] = (0, 0)) -> str:
    text = "\\N".join(ass_escape(line) for line in event.lines)
    left, right = sides
    return f"Dialogue: 0,{ass_time(event.cue.start)},{ass_time(event.cue.end)},{event.style},,{left},{right},{margin_v},,{text}"


def ass_time(seconds: Fraction) -> str:
    """H:MM:SS.cc; centiseconds rounded so a cue never starts later than its frame."""
    centis = int(seconds * 100)
    hours, rest = divmod(centis, 360000)
    minutes, rest = divmod(rest, 6000)
    secs, cs = divmod(rest, 100)
    return f"{hours}:{minutes:02d}:{secs:02d}.{cs:02d}"


def ass_escape(text: str) -> str:
    """Text that libass shows literally: braces would start override tags, backslashes escapes."""
    return text.replace("\\", "\u29f5").replace("{", "\uff5b").replace("}", "\uff5d")


# --- line breaking by measurement ---------------------------------------------------------


def wrap(lines: Sequence[str], font: FontChoice, em: float, max_width: float, script: str) -> list[str]:
    """The translator's lines, each broken further only where it does not fit."""
    measure = _measurer(str(font.path), font.index, round(em))
    out: list[str] = []
    for line in lines:
        line = " ".join(line.split()) if script not in CJK_SCRIPTS else line.strip()
        if not line:
            continue
        if measure(line) <= max_width:
            out.append(line)
            continue
        out.extend(_break(line, measure, max_width, script))
    return out


def _break(line: str, measure, max_width: float, script: str) -> list[str]:  # type: ignore[no-untyped-def]
    units = break_units(line, script)
    joiner = "" if script in CJK_SCRIPTS else " "
    # Two balanced lines when they fit (subtitle convention), else greedy filling.
    best: tuple[float, list[str]] | None = None
    for cut in range(1, len(units)):
        first, second = joiner.join(units[:cut]), joiner.join(units[cut:])
        if script in CJK_SCRIPTS and (second[:1] in NO_LINE_START or first[-1:] in NO_LINE_END):
            continue
        widest = max(measure(first), measure(second))
        if widest <= max_width and (best is None or widest < best[0]):
            best = (widest, [first, second])
    if best:
        return best[1]
    lines: list[str] = []
    current = ""
    for unit in units:
        candidate = f"{current}{joiner}{unit}" if current else unit
        if current and measure(candidate) > max_width:
            lines.append(current)
            current = unit
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def break_units(line: str, script: str) -> list[str]:
    """Where a line may break: between words, between CJK characters, between Thai phrases."""
    if script in CJK_SCRIPTS:
        units: list[str] = []
        for char in line:
            if units and (char in NO_LINE_START or units[-1][-1:] in NO_LINE_END or not _is_wide(char) and not _is_wide(units[-1][-1])):
                units[-1] += char
            else:
                units.append(char)
        return units
    words = line.split(" ")
    if script == "thai":
        return [piece for word in words for piece in _thai_pieces(word)]
    return words


def _thai_pieces(word: str, size: int = 12) -> list[str]:
    """Thai writes no spaces between words: long runs are split between grapheme clusters."""
    if len(word) <= size:
        return [word]
    pieces, current = [], ""
    for char in word:
        if len(current) >= size and unicodedata.category(char) not in ("Mn", "Mc") and char not in "ำะ":
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current] if current else pieces


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


@functools.lru_cache(maxsize=32)
def _measurer(path: str, index: int, em: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont, features

    layout = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    face = ImageFont.truetype(path, size=max(em, 1), index=index, layout_engine=layout)

    @functools.lru_cache(maxsize=4096)
    def measure(text: str) -> float:
        return float(face.getlength(text))

    return measure
