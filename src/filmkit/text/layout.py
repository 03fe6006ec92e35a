"""Lines, runs and boxes: a paragraph broken into balanced lines that fit a width.

Breaking: among the fewest lines that fit the width, the breaks minimising the sum of squared
line widths (balanced lines), with lines above the last weighted a little more so that the
bottom line is the longer when they differ (BBC Subtitle Guidelines v1.2.5 and the Netflix
Timed Text Style Guide both prefer that shape), less a reward for each break after
punctuation or before a conjunction and a cost after an article or preposition (`breaks`). A
Chinese or Japanese line is never a single character.

Sizing: every face at the same em; lines one `line_pitch` apart (LINE_PITCH em, the same for
every script, so two-line Arabic is set as tightly as Latin); each line's box top and bottom are
where libass puts them (the win ascent and descent of its faces).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from filmkit.text.breaks import join_lines, pieces
from filmkit.text.faces import FaceSet
from filmkit.text.fonts import FontChoice, script_of, win_extent
from filmkit.text.measure import libass_size, span_width
from filmkit.text.runs import Direction, Span, itemize, missing, paragraph_direction, visual_order

# Baseline to baseline, in em. BBC's line heights (7-8% of the frame height on 16:9 for an em
# of 5.5%) give 1.27-1.45 em; 1.4 keeps Thai and Devanagari marks of two lines apart.
LINE_PITCH = 1.4
UPPER_WEIGHT = 1.15  # lines above the last count this much more: the bottom line ends up longer
BONUS_WEIGHT = 12.0  # one point of a break's rating is worth this many em² of imbalance
_CJK = ("han", "kana", "hangul")


@dataclass(frozen=True)
class Run:
    """Part of a line set in one face and direction; `width` in pixels at the block's em."""

    text: str
    font: FontChoice
    script: str
    direction: Direction
    width: float


@dataclass(frozen=True)
class Line:
    """One line: its text in logical order (without the break's space) and its runs."""

    text: str
    direction: Direction  # the paragraph's
    runs: tuple[Run, ...]  # logical order
    width: float
    ascent: float  # top of the line box above the baseline, pixels (libass's line box)
    descent: float  # bottom of the line box below the baseline

    def visual_runs(self) -> tuple[Run, ...]:
        """The runs from left to right, as they are drawn."""
        return tuple(self.runs[i] for i in visual_order([run.direction for run in self.runs], self.direction))


@dataclass(frozen=True)
class Block:
    """A laid-out paragraph. Baselines are `line_pitch` apart; the first at `lines[0].ascent`
    below the block's top. `fits` is False when it needed more than `max_lines` lines (or a
    line is wider than allowed) even at the smallest em; `shrunk` when it is set below the em
    asked for."""

    text: str
    lang: str
    direction: Direction
    lines: tuple[Line, ...]
    em: float
    line_pitch: float
    width: float
    height: float
    fits: bool
    shrunk: bool
    missing: tuple[str, ...]  # characters the face of their run cannot draw

    def baselines(self) -> list[float]:
        """Each line's baseline, in pixels below the block's top."""
        first = self.lines[0].ascent if self.lines else 0.0
        return [first + i * self.line_pitch for i in range(len(self.lines))]

    def font_size(self, face: FontChoice) -> float:
        """libass's Fontsize for `face` at this block's em."""
        return libass_size(face, self.em)

    def faces(self) -> frozenset[FontChoice]:
        return frozenset(run.font for line in self.lines for run in line.runs)


class Paragraph:
    """A text prepared for breaking: its break opportunities and their widths at a reference em."""

    def __init__(self, text: str, lang: str, faces: FaceSet, *, weight: int = 400, raqm: bool | None = None) -> None:
        self.text, soft, hard = join_lines(text, lang)
        self.lang, self.faces, self.weight, self.raqm = lang, faces, weight, raqm
        self.direction = paragraph_direction(self.text, lang)
        self.pieces = pieces(self.text, lang, soft, hard)
        self._spans: dict[str, tuple[Span, ...]] = {}
        self._widths = [self.measure(piece.text, 1.0) for piece in self.pieces]
        self._trails = [w - self.measure(piece.text.rstrip(), 1.0) for w, piece in zip(self._widths, self.pieces)]
        self._prefix, self._hard = [0.0], [0]
        for width, piece in zip(self._widths, self.pieces):
            self._prefix.append(self._prefix[-1] + width)
            self._hard.append(self._hard[-1] + piece.hard)

    def measure(self, text: str, em: float) -> float:
        """The width of `text` set in its runs at `em`."""
        return sum(self.run_widths(text, em)[1])

    def run_widths(self, text: str, em: float) -> tuple[tuple[Span, ...], list[float]]:
        spans = self.spans(text)
        return spans, [span_width(span, em, self.lang, self.weight, self.raqm) for span in spans]

    def spans(self, text: str) -> tuple[Span, ...]:
        if text not in self._spans:
            self._spans[text] = itemize(text, self.faces)
        return self._spans[text]

    def _span_width(self, i: int, j: int) -> float:
        """Estimated width of pieces i..j-1 on one line at an em of 1 (the last one's spaces dropped)."""
        return self._prefix[j] - self._prefix[i] - self._trails[j - 1]

    def _line_text(self, i: int, j: int) -> str:
        return "".join(piece.text for piece in self.pieces[i:j]).rstrip()

    def _allowed(self, i: int, j: int) -> bool:
        """No forced break inside the line, and no line of one Chinese or Japanese character."""
        if self._hard[j - 1] - self._hard[i]:
            return False
        text = self.pieces[i].text.rstrip() if j - i == 1 else ""
        return not (len(text) == 1 and len(self.pieces) > 1 and script_of(text) in _CJK)

    def _breaks(self, limit: float, count: int) -> list[int] | None:
        """End offsets (piece indices) of the best `count` lines within `limit` (em units)."""
        n, inf = len(self.pieces), float("inf")
        best = [[inf] * (n + 1) for _ in range(count + 1)]
        back = [[0] * (n + 1) for _ in range(count + 1)]
        best[0][0] = 0.0
        for k in range(1, count + 1):
            for j in range(k, n + 1):
                weight = 1.0 if j == n else UPPER_WEIGHT
                reward = 0.0 if j == n else self.pieces[j - 1].bonus * BONUS_WEIGHT
                for i in range(j - 1, k - 2, -1):  # the line grows as i goes left: stop once too wide
                    width = max(self._span_width(i, j), 0.0)
                    if width > limit and j - i > 1:
                        break
                    if best[k - 1][i] == inf or not self._allowed(i, j):
                        continue
                    value = best[k - 1][i] + weight * width * width - reward
                    if value < best[k][j]:
                        best[k][j], back[k][j] = value, i
        if best[count][n] == inf:
            return None
        ends, j = [], n
        for k in range(count, 0, -1):
            ends.append(j)
            j = back[k][j]
        return ends[::-1]

    def fewest(self, em: float, max_width: float, most: int | None = None) -> int | None:
        """The fewest lines that fit `max_width` at `em` (None: not within `most` lines)."""
        limit = max_width / em
        for count in range(1, min(most or len(self.pieces), len(self.pieces)) + 1):
            if self._breaks(limit, count) is not None:
                return count
        return None

    def lines(self, em: float, max_width: float, count: int) -> tuple[Line, ...] | None:
        """The best `count` lines within `max_width` at `em`, measured for real; None if none fit."""
        limit = max_width / em
        for _ in range(3):  # piece widths are estimates: narrow the limit if a real line is wider
            ends = self._breaks(limit, count)
            if ends is None:
                return None
            built = tuple(self._line(start, end, em) for start, end in zip([0, *ends], ends))
            widest = max(line.width for line in built)
            if widest <= max_width + 0.5 or all(e - s == 1 for s, e in zip([0, *ends], ends)):
                return built
            limit *= max_width / widest
        return None

    def _line(self, start: int, end: int, em: float) -> Line:
        text = self._line_text(start, end)
        spans, widths = self.run_widths(text, em)
        runs = tuple(Run(s.text, s.font, s.script, s.direction, w) for s, w in zip(spans, widths))
        extents = [win_extent(run.font.path, run.font.index) for run in runs] or [(0.0, 0.0)]
        return Line(text, self.direction, runs, sum(widths), max(a for a, _ in extents) * em,
                    max(d for _, d in extents) * em)

    def block(self, lines: Sequence[Line], em: float, *, fits: bool = True, shrunk: bool = False) -> Block:
        pitch = LINE_PITCH * em
        height = (lines[0].ascent + (len(lines) - 1) * pitch + lines[-1].descent) if lines else 0.0
        found = tuple(missing([span for line in lines for span in self.spans(line.text)]))
        return Block(self.text, self.lang, self.direction, tuple(lines), em, pitch,
                     max((line.width for line in lines), default=0.0), height, fits, shrunk, found)


def lay_out(text: str, lang: str, *, max_width: float, em: float, max_lines: int, faces: FaceSet,
            min_em: float | None = None, weight: int = 400) -> Block:
    """`text` in the fewest balanced lines within `max_width` at `em`; when more than `max_lines`
    are needed it is set smaller, down to `min_em` (default: no shrinking), and past that it
    comes back with more lines and `fits` False, for the caller to report."""
    paragraph = Paragraph(text, lang, faces, weight=weight)
    if not paragraph.pieces:
        return paragraph.block((), em)
    size = em
    floor = min(min_em or em, em)
    while True:
        count = paragraph.fewest(size, max_width, max_lines)
        if count is not None and (lines := paragraph.lines(size, max_width, count)):
            return paragraph.block(lines, size, shrunk=size < em)
        if size <= floor:
            break
        size = max(floor, size * 0.96)
    count = paragraph.fewest(size, max_width) or len(paragraph.pieces)
    lines = paragraph.lines(size, max_width, count) or tuple(
        paragraph._line(i, i + 1, size) for i in range(len(paragraph.pieces)))
    too_wide = any(line.width > max_width + 0.5 for line in lines)
    return paragraph.block(lines, size, fits=len(lines) <= max_lines and not too_wide, shrunk=size < em)
