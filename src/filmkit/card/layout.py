"""Composing the card for its frame: a centred stack, or a logo lockup on wide frames.

Wide frames set the logo beside the text (a lockup, mirrored for right-to-left languages);
square, 4:5 and 9:16 frames stack logo, tagline and the smaller lines on one centred axis.
The block sits a little above the geometric centre, and when it does not fit, the logo, the
gaps and the small lines give way before the tagline does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from filmkit.card.column import CardText, Item, TextColumn
from filmkit.card.frame import Frame
from filmkit.card.model import Aspect, CardLayout, PlacedImage, PlacedRule, PlacedText, faded, pixel_box

SQUEEZES = (1.0, 0.9, 0.8, 0.7, 0.6)  # tried in turn; the last one takes a tagline below its minimum size


@dataclass(frozen=True)
class Composer:
    """Places the card's text and logo in one frame."""

    frame: Frame
    text: CardText
    logo_size: tuple[int, int] | None

    def compose(self) -> CardLayout:
        """The largest composition that fits: logo, gaps and small lines give way before the tagline."""
        for squeeze in SQUEEZES:
            final = squeeze == SQUEEZES[-1]
            if self.frame.aspect is Aspect.LANDSCAPE and self.logo_size is not None:
                layout = self._lockup(squeeze, final)
                if layout is not None:
                    return layout
            layout = self._stack(squeeze, final)
            if layout is not None:
                return layout
        raise AssertionError("the last squeeze always fits")  # pragma: no cover

    def _stack(self, squeeze: float, final: bool) -> CardLayout | None:
        """Square, portrait and vertical frames (and wide ones without a logo): one centred column."""
        frame = self.frame
        left, top, right, bottom = frame.content
        content_w, content_h = right - left, bottom - top
        head: list[Item] = []
        if self.logo_size is not None:
            logo_w, logo_h = self._logo_box(frame.spec.logo * frame.short * squeeze, content_w * 0.6)
            head = [Item("logo", logo_h, logo_w), Item("gap", round(frame.unit * squeeze * 2.6))]
        max_height = content_h - sum(item.height for item in head)
        items = TextColumn(self.text, frame, squeeze, content_w * frame.spec.measure, max_height, "m").items(final)
        if items is None:
            return None
        column = head + items
        if sum(item.height for item in column) > content_h and head:
            if not final:
                return None
            column = items  # no room left for the logo at all
        center = (left + right) // 2
        return self._place(column, frame.optical_top(sum(item.height for item in column)), lambda item: center, "m")

    def _lockup(self, squeeze: float, final: bool) -> CardLayout | None:
        """Wide frames: logo | hairline | text, read from the logo outwards (mirrored for RTL)."""
        frame = self.frame
        left, top, right, bottom = frame.content
        content_w, content_h = right - left, bottom - top
        logo_w, logo_h = self._logo_box(frame.spec.logo * frame.short * squeeze, content_w * 0.3)
        gap = round(frame.unit * squeeze * 2.2)
        hairline = max(1, round(frame.short / 720))
        measure = min(content_w - logo_w - 2 * gap - hairline, content_w * frame.spec.measure * 0.82)
        if measure < content_w * 0.35:
            return None
        rtl = self.text.rtl
        items = TextColumn(self.text, frame, squeeze, measure, content_h, "r" if rtl else "l").items(final, rule=False)
        if items is None or sum(item.height for item in items) > content_h:
            return None
        text_h = sum(item.height for item in items)
        text_w = max(item.width for item in items)
        x0 = left + (content_w - (logo_w + 2 * gap + hairline + text_w)) / 2
        block_h = max(text_h, logo_h)
        middle = frame.optical_top(block_h) + block_h / 2
        if rtl:
            text_edge, rule_x, logo_x = x0 + text_w, x0 + text_w + gap, x0 + text_w + 2 * gap + hairline
        else:
            logo_x, rule_x, text_edge = x0, x0 + logo_w + gap, x0 + logo_w + 2 * gap + hairline
        logo = PlacedImage(pixel_box(logo_x, middle - logo_h / 2, logo_w, logo_h))
        rule_h = round(max(text_h, logo_h) * 0.86)
        rule = PlacedRule(pixel_box(rule_x, middle - rule_h / 2, hairline, rule_h), faded(self.text.accent, 0.75))
        layout = self._place(items, middle - text_h / 2, lambda item: round(text_edge), "r" if rtl else "l", [rule])
        return replace(layout, logo=logo)

    def _logo_box(self, height: float, max_width: float) -> tuple[int, int]:
        """The logo's size at this height; a wide wordmark is kept to about two logo heights."""
        assert self.logo_size is not None
        width_px, height_px = self.logo_size
        ratio = width_px / max(height_px, 1)
        box_h = max(1.0, height)
        box_w = box_h * ratio
        limit = min(max_width, box_h * 2.2)
        if box_w > limit:
            box_w, box_h = limit, limit / ratio
        return max(1, round(box_w)), max(1, round(box_h))

    def _place(self, column: list[Item], y: float, x_of: Callable[[Item], int], align: str,
               rules: list[PlacedRule] | None = None) -> CardLayout:
        """The column laid down from `y`, each item anchored at x_of(item) with this alignment."""
        lines: list[PlacedText] = []
        logo: PlacedImage | None = None
        placed_rules = list(rules or [])
        for item in column:
            top = round(y)
            x = x_of(item)
            if item.kind == "logo":
                logo = PlacedImage(pixel_box(x - item.width / 2, top, item.width, item.height))
            elif item.kind == "rule":
                placed_rules.append(PlacedRule(pixel_box(x - item.width / 2, top, item.width, item.height),
                                               faded(self.text.accent, 0.75)))
            elif item.kind == "text":
                lines.extend(self._text_lines(item, x, top, align))
            y += item.height
        frame = self.frame
        return CardLayout(frame.width, frame.height, frame.aspect, frame.safe, tuple(lines), logo, tuple(placed_rules))

    def _text_lines(self, item: Item, x: int, top: int, align: str) -> list[PlacedText]:
        """Each line of a text item, on its baseline, with its ink box on the card."""
        assert item.fit is not None and item.style is not None
        fit, style, setter = item.fit, item.style, self.text.setter
        baseline0 = top - fit.top
        placed = []
        runs = fit.runs or tuple(() for _ in fit.lines)
        for i, (text, ink, line_runs) in enumerate(zip(fit.lines, fit.inks, runs)):
            box = (x + ink[0], baseline0 + ink[1], x + ink[2], baseline0 + ink[3])
            placed.append(PlacedText(
                text, item.role, style.lang, style.script, style.font, fit.size, style.weight,
                setter.stroke(style, fit.size), x, baseline0 + i * fit.advance, align,  # type: ignore[arg-type]
                item.color, box, item.limit, setter.engine(style), line_runs))
        return placed
