"""The card's column of text: tagline, second language, hashtags and calls to action, with the gaps.

The tagline gets the room the other lines leave it, so those are set first; a bilingual card
reserves room for the second tagline before the first is fitted, then sets it at a fraction
of the first one's final size. The layout tries the column at decreasing squeezes until it fits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from filmkit.card.frame import Frame
from filmkit.card.model import RGBA, faded
from filmkit.card.typeset import Fit, Style, Styles, Typesetter, fit_text
from filmkit.text.runs import paragraph_direction

MIN_TAGLINE = 0.55  # below this fraction of its size a tagline wraps into more lines instead
HASHTAG = 0.40  # hashtag em, fraction of the tagline's full size
URL = 0.31  # call to action em
SECOND = 0.42  # second language's tagline, fraction of the first one's final size


@dataclass(frozen=True)
class Item:
    """One element of a column, its ink relative to (anchor x, top of its ink)."""

    kind: Literal["text", "logo", "rule", "gap"]
    height: int
    width: int = 0
    role: str = ""
    style: Style | None = None
    fit: Fit | None = None
    color: RGBA = (0, 0, 0, 0)
    limit: int = 0


@dataclass(frozen=True)
class CardText:
    """The card's words as set: each text with its style, the typesetter that measures them, the colours."""

    styles: Styles
    setter: Typesetter
    color: RGBA
    accent: RGBA
    languages: int

    @property
    def rtl(self) -> bool:
        """Whether the main tagline reads right to left (the lockup is then mirrored)."""
        text, style = self.styles[(0, "tagline")]
        return paragraph_direction(text, style.lang) == "rtl"

    def each_once(self, role: str) -> list[tuple[str, Style]]:
        """Hashtags or URLs of both languages, each once (a bilingual card usually shares them)."""
        seen: dict[str, tuple[str, Style]] = {}
        for index in range(self.languages):
            entry = self.styles.get((index, role))
            if entry is not None and entry[0] not in seen:
                seen[entry[0]] = entry
        return list(seen.values())


@dataclass(frozen=True)
class TextColumn:
    """One try at setting the card's text in a column `measure` wide and at most `max_height` tall."""

    text: CardText
    frame: Frame
    squeeze: float  # 1.0 at full size; the gaps and the small lines give way as it drops
    measure: float
    max_height: float
    align: str  # the anchor of every line: l, m or r

    def items(self, final: bool, rule: bool = True) -> list[Item] | None:
        """Tagline, second language, hashtag(s) and call(s) to action, with the gaps between them.

        None if this squeeze does not fit; the `final` try always returns a column, setting the
        tagline below its minimum size if it must. `rule` puts a short rule between the tagline
        and the small lines (the lockup's hairline already divides, so it has just the air).
        """
        small = self._small_lines()
        divider = self._divider(rule)
        below = 0 if not small else sum(item.height for item in divider + small)
        second = self.text.styles.get((1, "tagline2"))
        reserve = self._second_reserve(*second) if second else 0
        room = self.max_height - below - reserve
        if room <= 0 and not final:
            return None
        tagline = self._tagline(room)
        if tagline.below_minimum and not final:
            return None
        items = [self._line("tagline", self.text.styles[(0, "tagline")][1], tagline, self.text.color)]
        if second:
            room = self.max_height - below - tagline.height - self._gap(1.2)
            under = self._second_tagline(*second, tagline, room)
            if under.below_minimum and not final:
                return None
            items += [Item("gap", self._gap(1.2)),
                      self._line("tagline2", second[1], under, faded(self.text.color, 0.8))]
        if small:
            rule_width = round(max(self.frame.unit * 2.5, tagline.size * 0.9))
            items += [replace(item, width=rule_width) if item.kind == "rule" else item for item in divider]
            items += small
        if sum(item.height for item in items) > self.max_height and not final:
            return None
        return items

    @property
    def _nominal(self) -> float:
        """The tagline's full size for this frame."""
        return self.frame.spec.tagline * self.frame.short

    def _gap(self, units: float) -> int:
        return round(self.frame.unit * self.squeeze * units)

    def _line(self, role: str, style: Style, fit: Fit, color: RGBA) -> Item:
        return Item("text", fit.height, fit.width, role, style, fit, color, round(self.measure))

    def _small_lines(self) -> list[Item]:
        """The hashtag(s), then the call(s) to action, in the accent colour; they shrink less than the gaps."""
        small = max(self.squeeze, 0.75)
        lines: list[Item] = []
        for role, em, opacity in (("hashtag", HASHTAG, 1.0), ("url", URL, 0.85)):
            for text, style in self.text.each_once(role):
                fit = fit_text(self.text.setter, style, text, nominal=self._nominal * em * small,
                               minimum=self._nominal * em * 0.6, max_width=self.measure,
                               max_height=self.max_height / 4, max_lines=1, align=self.align)
                if lines:
                    lines.append(Item("gap", self._gap(0.7 if role == lines[-1].role else 1.0)))
                lines.append(self._line(role, style, fit, faded(self.text.accent, opacity)))
        return lines

    def _divider(self, rule: bool) -> list[Item]:
        """Air between the tagline and the small lines, with a short rule in it (its width set later)."""
        if not rule:
            return [Item("gap", self._gap(2))]
        thickness = max(1, round(self.frame.short / 540))
        return [Item("gap", self._gap(2)), Item("rule", thickness, 0), Item("gap", self._gap(1.8))]

    def _tagline(self, room: float) -> Fit:
        text, style = self.text.styles[(0, "tagline")]
        spec = self.frame.spec
        return fit_text(self.text.setter, style, text, nominal=self._nominal, minimum=self._nominal * MIN_TAGLINE,
                        max_width=self.measure, max_height=max(room, 1), max_lines=spec.lines,
                        one_line_floor=spec.one_line_floor, align=self.align)

    def _second_reserve(self, text: str, style: Style) -> int:
        """Room kept for the second language's tagline (and its gap) before the first is fitted."""
        estimate = fit_text(self.text.setter, style, text, nominal=self._nominal * SECOND,
                            minimum=self._nominal * 0.22, max_width=self.measure, max_height=self.max_height,
                            max_lines=2, align=self.align)
        return estimate.height + self._gap(1.2)

    def _second_tagline(self, text: str, style: Style, tagline: Fit, room: float) -> Fit:
        """The second language's tagline, sized from the first one's final size."""
        return fit_text(self.text.setter, style, text, nominal=tagline.size * SECOND,
                        minimum=tagline.size * SECOND * 0.7, max_width=self.measure, max_height=max(room, 1),
                        max_lines=2, align=self.align)
