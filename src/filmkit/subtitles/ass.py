"""Subtitles placed by the text engine, and the ASS file that makes libass draw exactly that.

`place_cues` lays every cue out with `filmkit.text.layout` (breaks, a face per run, direction,
size) and puts it in the caption area; `write_ass` writes those placed cues as they are: one
Dialogue event per line, anchored at the bottom centre of the line's box (`{\\an2\\pos(x,y)}`,
y = baseline + the line's libass descent), each run with `{\\fnFAMILY\\fsSIZE}` so it is drawn by
the face the engine chose at the same em as every other script. libass does no wrapping
(WrapStyle 2; docs/platforms.md, ffmpeg and libass fact 3) and no collision handling (positioned events).

Direction (docs/platforms.md, ffmpeg and libass fact 2): a left-to-right language's style has Encoding=1, libass's
left-to-right base direction. A right-to-left language's style has Encoding=-1 (the base
direction of the first strong character) and each of its lines starts with U+200F RIGHT-TO-LEFT
MARK, written only into the ASS text and set in a face that has the mark (the language's face,
else Noto Sans), so a Hebrew line that starts with a Latin word is still laid out right to left
and no system font is asked for the mark.

PlayResX/Y equal the output size, so every number is an output pixel (fact 6).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from filmkit.platform.safearea import SafeArea
from filmkit.subtitles.model import Cue
from filmkit.text.faces import FaceSet, covers
from filmkit.text.fonts import FontChoice, choose_font, win_extent
from filmkit.text.layout import Block, Line, lay_out
from filmkit.text.measure import libass_size
from filmkit.text.runs import paragraph_direction

# The caption em, from BBC Subtitle Guidelines v1.2.5 (line height 7-8% of the height for
# 16:9, 3.9-4.5% for 9:16; an em is ~85% of a line). Landscape: 5.5% of the height. Portrait
# and square frames (1:1, 4:5, 9:16) are shown at the full width of a phone's screen, so they
# are sized by their width: the 9:16 figure (4.2% of 1920 = 80.6 px of line, 68.5 px of em)
# is 6.35% of the width, the same size on the phone in all three shapes.
EM_LANDSCAPE = 0.055  # of the height
EM_PHONE = 0.0635  # of the width
# Line length: BBC online guideline, 68% of the width for 16:9 and 90% for 4:3, 1:1 and 9:16.
WIDTH_LANDSCAPE = 0.68
WIDTH_NARROW = 0.90
# Lines per cue: 2 (BBC, Netflix); 3 on 9:16, where the BBC allows a third line.
MAX_LINES, MAX_LINES_VERTICAL = 2, 3
# A cue that needs more lines is set smaller first, down to this fraction of the style's em:
# the low end of BBC's line-height ranges relative to their high end (7/8 on 16:9, 3.9/4.5 on
# 9:16) is 0.87-0.875, so a shrunk cue stays within what the BBC considers legible.
SHRINK_FLOOR = 0.87
GAP = 0.3  # em between the two blocks of a bilingual burn
# Room beside a line's advance box that its ink may take: 0.05 em for side bearings and the few
# hundredths by which libass's and raqm's advances differ; Arabic 0.45 em, because libass 0.17
# (the bundled ffmpeg's) draws a line that ends in a final beh, yeh or noon up to 0.4 em left of
# where HarfBuzz through raqm sets it (measured here; the glyph's own outline starts right of its
# origin, as Pillow draws it).
SLACK, SLACK_ARABIC = 0.05, 0.45
RLM = "\u200f"

Box = tuple[int, int, int, int]


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
    """One language's cues. `fonts` pins faces already chosen per script; `font` is the style's
    font override (a family or a file for every script), relative to `project_dir`."""

    lang: str
    cues: tuple[Cue, ...]
    fonts: dict[str, FontChoice] = field(default_factory=dict)
    font: str | None = None
    project_dir: Path | None = None

    def faces(self) -> FaceSet:
        return FaceSet(self.lang, self.font or _implied_override(self.lang, self.fonts), self.project_dir,
                       dict(self.fonts))


@dataclass(frozen=True)
class PlacedCue:
    """One cue as it is burned: its lines, runs and faces, and where it sits in output pixels.

    `box` is [left, top, right, bottom] and holds every pixel drawn for the cue, outline, shadow
    and box included. `baselines` are absolute; every line is centred on `center_x`.
    """

    lang: str
    cue: Cue
    block: Block
    box: Box
    center_x: float
    baselines: tuple[float, ...]
    max_lines: int
    mark_font: FontChoice | None = None  # the face of the RLM that starts each right-to-left line

    @property
    def lines(self) -> tuple[Line, ...]:
        return self.block.lines

    @property
    def font_size(self) -> float:
        """The em in output pixels (every face is set at this em)."""
        return self.block.em

    @property
    def fits(self) -> bool:
        return self.block.fits

    def layout_problem(self, platform: str) -> str | None:
        """The `layout` finding's message when the cue does not fit (None when it does)."""
        if self.block.fits:
            return None
        return (f"cue {self.cue.number} needs {len(self.lines)} lines on {platform}, more than the {self.max_lines} "
                f"allowed (or a word wider than the line) even at {self.block.em:.0f} px, the smallest size allowed; "
                "shorten the cue or split it in two")


@dataclass(frozen=True)
class _Frame:
    """What placing needs to know about the output frame and the style."""

    width: int
    height: int
    em: float
    max_width: float
    max_lines: int
    pad: float  # pixels drawn around a line's box: outline or box border, shadow
    area: Box


def caption_em(width: int, height: int, font_scale: float = 1.0) -> float:
    """The caption em in output pixels for this frame, before any shrinking to fit."""
    base = EM_PHONE * width if height >= width else EM_LANDSCAPE * height
    return base * font_scale


def max_caption_lines(width: int, height: int) -> int:
    """3 lines on a vertical (9:16-like) frame, 2 on every other shape, 4:5 and 1:1 included."""
    return MAX_LINES_VERTICAL if Fraction(height, width) >= Fraction(16, 10) else MAX_LINES


def _frame(width: int, height: int, style: AssStyle, safe_area: SafeArea | None, area: Box | None) -> _Frame:
    em = caption_em(width, height, style.font_scale)
    unit = min(width, height) / 1080
    border = max(style.outline, 6) if style.box else style.outline
    pad = (border + style.shadow) * unit + 2
    area = area or default_area(width, height, style, safe_area)
    narrow = Fraction(width, height) <= Fraction(4, 3)
    max_width = min(width * (WIDTH_NARROW if narrow else WIDTH_LANDSCAPE), area[2] - area[0] - 2 * pad)
    lines = max_caption_lines(width, height)
    return _Frame(width, height, em, max_width, lines, pad, area)


def default_area(width: int, height: int, style: AssStyle = AssStyle(), safe_area: SafeArea | None = None) -> Box:
    """The whole frame less the style's margin (lifted above a platform's bars) and safe sides."""
    safe = safe_area or SafeArea()
    edge = safe.top if style.position == "top" else safe.bottom
    margin = round(max(style.margin, edge + style.margin / 3 if edge else 0) * height)
    left, right = round(safe.left * width), width - round(safe.right * width)
    if style.position == "top":
        return left, margin, right, height - round(safe.bottom * height)
    return left, round(safe.top * height), right, height - margin


def place_cues(tracks: Sequence[Track], width: int, height: int, style: AssStyle = AssStyle(),
               area: Box | None = None, safe_area: SafeArea | None = None) -> list[PlacedCue]:
    """Every cue of every track laid out and placed in `area` (default: `default_area`).

    The first track is drawn above the second (a bilingual burn): each of its cues is lifted
    by the tallest block the second track shows during it.
    """
    frame = _frame(width, height, style, safe_area, area)
    blocks = [[_lay_out(cue, track.lang, faces, frame) for cue in track.cues]
              for track in tracks for faces in (track.faces(),)]
    placed: list[list[PlacedCue]] = [[] for _ in tracks]
    marks = [_mark_face(track) for track in tracks]
    lower = list(zip(tracks[1].cues, blocks[1])) if len(tracks) > 1 else []
    for index in reversed(range(len(tracks))):
        for cue, block in zip(tracks[index].cues, blocks[index]):
            lift = 0.0
            if index == 0 and lower:
                below = [b.height + 2 * frame.pad for c, b in lower if c.start < cue.end and cue.start < c.end]
                lift = max(below, default=0.0) + (GAP * frame.em if below else 0.0)
            placed[index].append(_place(tracks[index].lang, cue, block, frame, lift, style.position, marks[index]))
    return [cue for track in placed for cue in track]


def _lay_out(cue: Cue, lang: str, faces: FaceSet, frame: _Frame) -> Block:
    """Two lines where they hold the cue, set smaller down to SHRINK_FLOOR if need be; the third
    line a 9:16 frame allows only for a cue two lines cannot hold: a third line covers more of
    the picture and is read more slowly than a slightly smaller second one."""
    two = lay_out(cue.text, lang, max_width=frame.max_width, em=frame.em, max_lines=MAX_LINES,
                  faces=faces, min_em=frame.em * SHRINK_FLOOR)
    if two.fits or frame.max_lines <= MAX_LINES:
        return two
    return lay_out(cue.text, lang, max_width=frame.max_width, em=frame.em, max_lines=frame.max_lines,
                   faces=faces, min_em=frame.em * SHRINK_FLOOR)


def _mark_face(track: Track) -> FontChoice | None:
    """The face that draws the RLM of a right-to-left language's lines (None for left to right)."""
    if paragraph_direction("", track.lang) != "rtl":
        return None
    faces = track.faces().fallbacks(None)
    return next((face for face in faces if covers(face, RLM)), faces[-1])


def _place(lang: str, cue: Cue, block: Block, frame: _Frame, lift: float, position: str,
           mark: FontChoice | None) -> PlacedCue:
    left, top, right, bottom = frame.area
    center = (left + right) / 2
    pad = frame.pad
    block_top = top + pad + lift if position == "top" else bottom - pad - lift - block.height
    baselines = tuple(block_top + offset for offset in block.baselines())
    half = max((line.width / 2 + _slack(line) * block.em for line in block.lines), default=0.0)
    box = (int(center - half - pad), int(block_top - pad), -int(-(center + half + pad)),
           -int(-(block_top + block.height + pad)))
    return PlacedCue(lang, cue, block, box, center, baselines, frame.max_lines, mark)


def _slack(line: Line) -> float:
    return SLACK_ARABIC if any(run.script == "arabic" for run in line.runs) else SLACK


def faces_used(placed: Sequence[PlacedCue]) -> frozenset[FontChoice]:
    """Every face the placed cues are drawn with: the fonts a burn must give libass."""
    marks = {cue.mark_font for cue in placed if cue.mark_font is not None}
    return frozenset(face for cue in placed for face in cue.block.faces()) | marks


def build_ass(tracks: Sequence[Track], width: int, height: int, style: AssStyle = AssStyle(),
              safe_area: SafeArea | None = None, area: Box | None = None) -> str:
    """The complete ASS document for these tracks (see `place_cues`)."""
    return write_ass(place_cues(tracks, width, height, style, area, safe_area), width, height, style)


def write_ass(placed: Sequence[PlacedCue], width: int, height: int, style: AssStyle = AssStyle()) -> str:
    """The ASS document that draws exactly `placed`: one style per language, one event per line."""
    unit = min(width, height) / 1080
    styles: dict[str, str] = {}
    events: list[str] = []
    for item in placed:
        if item.lang not in styles and item.lines:
            first = item.lines[0].runs[0].font
            styles[item.lang] = _style_line(item.lang, first, libass_size(first, item.block.em), style, unit,
                                            item.mark_font is not None)
        for line, baseline in zip(item.lines, item.baselines):
            events.append(_dialogue(item, line, baseline))
    return ass_document(width, height, list(styles.values()), events)


def _dialogue(item: PlacedCue, line: Line, baseline: float) -> str:
    """One line at its place: \\an2 anchors the bottom of libass's line box, which is the
    baseline plus the deepest win descent of the faces on the line (the mark's included)."""
    em = item.block.em
    runs = [(run.font, run.text) for run in line.runs]
    if item.mark_font is not None:
        runs.insert(0, (item.mark_font, RLM))
    descent = max(win_extent(face.path, face.index)[1] * em for face, _ in runs)
    text = f"{{\\an2\\pos({item.center_x:.1f},{baseline + max(descent, line.descent):.1f})}}"
    for face, part in runs:
        text += f"{{\\fn{face.family}\\fs{libass_size(face, em):.2f}}}{ass_escape(part)}"
    cue = item.cue
    return f"Dialogue: 0,{ass_time(cue.start)},{ass_time(cue.end)},{_style_name(item.lang)},,0,0,0,,{text}"


def _implied_override(lang: str, fonts: dict[str, FontChoice]) -> str | None:
    """The style's font override when a caller passed only its result: one face for every script
    that is not the face filmkit would choose for them."""
    faces = set(fonts.values())
    if len(faces) != 1:
        return None
    face = faces.pop()
    for script in fonts:
        try:
            if choose_font(script, lang) != face:
                return str(face.path) if face.source == "project" else face.family
        except Exception:  # noqa: BLE001 - no default face at all: the pinned one is an override
            return str(face.path) if face.source == "project" else face.family
    return None


def _style_name(lang: str) -> str:
    return lang.replace(",", "_")


_EVENTS_HEADER = "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text"


def ass_document(width: int, height: int, styles: Sequence[str], events: Sequence[str]) -> str:
    """A whole ASS script: header at the output size (every number a pixel), styles, events."""
    return "\n".join([_header(width, height), *styles, "", _EVENTS_HEADER, *events, ""])


def _header(width: int, height: int) -> str:
    return "\n".join([
        "[Script Info]",
        "; Written by filmkit: sizes are output pixels; lines, faces and positions come from its text engine",
        "ScriptType: v4.00+",
        f"PlayResX: {width}",
        f"PlayResY: {height}",
        "WrapStyle: 2",  # no automatic wrapping: lines are broken by filmkit
        "ScaledBorderAndShadow: yes",
        "YCbCr Matrix: TV.709",
        "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
        "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "
        "MarginL, MarginR, MarginV, Encoding",
    ])


def _style_line(lang: str, font: FontChoice, size: float, style: AssStyle, unit: float, rtl: bool) -> str:
    primary = ass_color(style.color)
    outline = ass_color(style.outline_color)
    back = ass_color(style.outline_color, 1 - style.box_opacity)
    border_style, outline_px = (3, max(style.outline, 6) * unit) if style.box else (1, style.outline * unit)
    return (f"Style: {_style_name(lang)},{font.family},{size:.1f},{primary},{primary},"
            f"{outline if not style.box else back},{back},0,0,0,0,100,100,0,0,{border_style},{outline_px:.1f},"
            f"{style.shadow * unit:.1f},2,0,0,0,{-1 if rtl else 1}")


def ass_color(hex_color: str, transparency: float = 0.0) -> str:
    """#RRGGBB to ASS &HAABBGGRR (alpha 00 is opaque)."""
    value = hex_color.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    red, green, blue = value[0:2], value[2:4], value[4:6]
    alpha = round(max(0.0, min(1.0, transparency)) * 255)
    return f"&H{alpha:02X}{blue}{green}{red}".upper()


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
