"""Pieces of the review page: escaping and the matrix cells (video, measurements, warnings, links).

Every value from a project, manifest or subtitle file reaches the page through `e` (text and
attributes) or `href` (paths, URL-quoted, then escaped); nothing is written unescaped.
"""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import PurePosixPath
from urllib.parse import quote

from filmkit.export.manifest import Entry
from filmkit.export.review import Cell, Language, Review, State
from filmkit.platform.presets import Preset
from filmkit.timecode import format_rate

# EBU R 128: a programme may deviate by +-1 LU from its target where an exact match is not
# practicable (live, short items); the review marks a film outside that as off target.
LOUDNESS_TOLERANCE_LU = 1.0
VIDEO_BOX = 320  # CSS px: each player fits this square, so shapes compare at a glance
SHAPE_BOX = 64  # CSS px: the largest frame on the page is drawn this big, the others to the same scale
CELL_SHAPE_BOX = 28  # the same in each cell's frame size
CHECKS = "frame size, frame rate, codec, profile, level, pixel format, GOP, audio, frame count, faststart, edit lists, size"


def e(value: object) -> str:
    """Text or an attribute value, escaped (quotes included)."""
    return html.escape(str(value), quote=True)


def href(relative: str, fragment: str = "") -> str:
    """A relative path from the manifest as a URL attribute value (spaces, #, ? and non-ASCII quoted)."""
    return e(quote(PurePosixPath(relative).as_posix(), safe="/") + fragment)


def ident(*parts: str) -> str:
    """An id made of project values: letters, digits and dashes only."""
    text = "-".join(parts)
    return "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in text).lower()


def when(stamp: str) -> str:
    """A manifest timestamp as `<time>`, readable: 2025-06-01 21:14 UTC."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return e(stamp)
    return f'<time datetime="{e(stamp)}">{moment:%Y-%m-%d %H:%M:%S} UTC</time>'



def frame_shape(review: Review, preset: Preset, box: int) -> str:
    """The platform's frame and its safe area for text, drawn to one scale for the whole page:
    the largest frame of the export is `box` CSS pixels, every other one in proportion."""
    width, height = preset.size.width, preset.size.height
    scale = box / max((max(p.size.width, p.size.height) for p in review.platforms), default=max(width, height))
    left, top, right, bottom = preset.safe_area.text.box(width, height)
    return (f'<svg class="shape" width="{max(2, round(width * scale))}" height="{max(2, round(height * scale))}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="Frame {width}×{height} ({preset.aspect_label}), '
            f'drawn to scale; dashed: where text is safe">'
            f'<rect x="0" y="0" width="{width}" height="{height}" class="frame" vector-effect="non-scaling-stroke"/>'
            f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" class="safe" '
            'vector-effect="non-scaling-stroke"/></svg>')


def platform_head(review: Review, preset: Preset) -> str:
    """A platform's row heading: its name, its frame drawn to scale, its limits and loudness target."""
    width, height = preset.size.width, preset.size.height
    shape = frame_shape(review, preset, SHAPE_BOX)
    limits = preset.limits
    captions = preset.captions.upper() if preset.captions else "none"
    facts = (f"<code>{e(preset.name)}</code> · {width}×{height} ({preset.aspect_label}) · "
             f"{e(format_rate(preset.output_fps(review.fps)))} fps · {float(limits.min_seconds):g}–{float(limits.max_seconds):g} s · "
             f"≤ {_bytes(preset.max_bytes)} · {_num(preset.loudness.integrated_lufs)} LUFS, peak ≤ "
             f"{_num(preset.loudness.true_peak_dbtp)} dBTP · caption files: {captions}")
    return (f'<div class="platform-head">{shape}<div><h3 id="{ident("platform", preset.name, "title")}">{e(preset.title)}</h3>'
            f'<p class="platform-facts">{facts}</p></div></div>')


def cell_html(review: Review, preset: Preset, language: Language, cell: Cell) -> str:
    """One output: state, player, measurements against the platform's limits, warnings, links."""
    cell_id = ident("cell", cell.platform, cell.lang)
    new = ' <span class="mark-new" title="changed in the last run">new</span>' if cell.changed else ""
    parts = [
        f'<article class="cell" id="{cell_id}" data-platform="{e(cell.platform)}" '
        f'data-lang="{e(cell.lang)}" data-state="{e(cell.state.value)}" data-changed="{str(cell.changed).lower()}" '
        f'aria-labelledby="{cell_id}-title">',
        f'<h4 id="{cell_id}-title"><span class="lang-name">{e(language.name)}</span> <code>{e(cell.lang)}</code> '
        f'<span class="visually-hidden">on {e(preset.title)}:</span> '
        f'<span class="state state-{ident(cell.state.value)}">{e(cell.state.value)}</span>{new}</h4>']
    if cell.state is State.FAILED:
        previous = " The file below is the previous render." if cell.entry else ""
        parts.append(f'<div class="error" role="note"><p><strong>Render failed</strong> {when(cell.failed_at)}.{previous}</p>'
                     f'<pre>{e(cell.error)}</pre></div>')
    if cell.state is State.OUTDATED:
        parts.append('<p class="note">Its inputs changed since it was rendered: the next '
                     f'<code>filmkit export {e(review.project_file)}</code> renders it again.</p>')
    if cell.entry is not None:
        parts.append(video_html(review, preset, language, cell.entry))
    elif cell.state is State.MISSING:
        parts.append(f'<p class="note">Not exported yet: run <code>filmkit export {e(review.project_file)}</code>.</p>')
    parts.append(_facts(review, preset, cell))
    parts.append(_warnings(cell.warnings))
    if cell.entry is not None:
        parts.append(_links(cell.entry))
    parts.append("</article>")
    return "\n".join(parts)


def video_html(review: Review, preset: Preset, language: Language, entry: Entry) -> str:
    """The browser's own player: metadata only until played, the poster meanwhile, a link without video support."""
    width, height = preset.size.width, preset.size.height
    poster = f' poster="{href(entry.poster)}"' if entry.poster else ""
    label = f"{review.title}, {language.name}, {preset.title}"
    return (f'<video controls preload="metadata" playsinline{poster} src="{href(entry.path)}" '
            f'width="{width}" height="{height}" style="aspect-ratio: {width} / {height}; width: min(100%, {screen_width(preset)}px)" '
            f'data-lang="{e(language.code)}" data-platform="{e(preset.name)}" data-duration="{entry.duration:.3f}" '
            f'aria-label="{e(label)}"><a href="{href(entry.path)}">{e(PurePosixPath(entry.path).name)}</a></video>')


def screen_width(preset: Preset) -> int:
    """CSS pixels a player of this platform is wide: its frame fitted into VIDEO_BOX."""
    width, height = preset.size.width, preset.size.height
    return round(width * min(VIDEO_BOX / width, VIDEO_BOX / height))


def _facts(review: Review, preset: Preset, cell: Cell) -> str:
    entry = cell.entry
    rows: list[tuple[str, str, bool | None, str]] = []  # term, value (HTML), within the limits, note
    if entry is not None:
        limits = preset.limits
        fits = float(limits.min_seconds) <= entry.duration <= float(limits.max_seconds)
        rows.append(("Duration", f"{entry.duration:.2f} s · {entry.frames} frames", fits,
                     f"limit {float(limits.min_seconds):g}–{float(limits.max_seconds):g} s"))
    rows.append(("Frame", f"{frame_shape(review, preset, CELL_SHAPE_BOX)} {preset.size.width}×{preset.size.height}", None,
                 preset.aspect_label))
    if entry is not None:
        size_ok = preset.min_bytes <= entry.size <= preset.max_bytes
        meter = (f' <meter min="0" max="{preset.max_bytes}" value="{entry.size}" '
                 f'aria-label="file size against the limit">{100 * entry.size / preset.max_bytes:.3g} %</meter>')
        rows.append(("File size", f"{_bytes(entry.size)} of ≤ {_bytes(preset.max_bytes)}{meter}", size_ok, ""))
        rows.append(_loudness(preset, entry))
        verified = "passed" if cell.state is not State.FAILED else "the previous render passed"
        rows.append(("Verified", f'<span title="{e(CHECKS)}">{verified}</span>', True, f"every check of {preset.name}"))
        rows.append(("Rendered", when(entry.rendered_at) if entry.rendered_at else "before rendering times were recorded", None, ""))
    elif cell.state is State.FAILED:
        rows.append(("Verified", "no file passed", False, ""))
    items = []
    for term, value, ok, note in rows:
        mark = "" if ok is None else (' <span class="ok">✓<span class="visually-hidden"> good</span></span>' if ok
                                      else ' <span class="bad">✗<span class="visually-hidden"> not good</span></span>')
        extra = f' <span class="muted">({e(note)})</span>' if note else ""
        items.append(f"<div><dt>{term}</dt><dd>{value}{mark}{extra}</dd></div>")
    return f'<dl class="facts">{"".join(items)}</dl>'


def _loudness(preset: Preset, entry: Entry) -> tuple[str, str, bool | None, str]:
    lufs, peak = entry.loudness.get("integrated_lufs"), entry.loudness.get("true_peak_dbtp")
    target, ceiling = float(preset.loudness.integrated_lufs), float(preset.loudness.true_peak_dbtp)
    note = f"target {_num(target)} ± {LOUDNESS_TOLERANCE_LU:g} LUFS, peak ≤ {_num(ceiling)} dBTP"
    if lufs is None or peak is None:
        return ("Loudness", "not measured", None, note)
    ok = abs(lufs - target) <= LOUDNESS_TOLERANCE_LU and peak <= ceiling
    return ("Loudness", f"{_num(lufs)} LUFS · peak {_num(peak)} dBTP", ok, note)


def _warnings(warnings: tuple[str, ...]) -> str:
    if not warnings:
        return '<p class="no-warnings">No subtitle warnings.</p>'
    items = "".join(f'<li dir="auto">{e(text)}</li>' for text in warnings)
    return (f'<details class="warnings"><summary>{len(warnings)} subtitle warning{"s" if len(warnings) != 1 else ""}'
            f"</summary><ul>{items}</ul></details>")


def _links(entry: Entry) -> str:
    links = [f'<a href="{href(entry.path)}" type="video/mp4">{e(PurePosixPath(entry.path).name)}</a>']
    for sidecar in entry.sidecars:
        suffixes = PurePosixPath(sidecar).suffixes
        kind = suffixes[-1].lstrip(".").upper() if suffixes else "file"
        lang = suffixes[-2].lstrip(".") if len(suffixes) > 1 else ""
        links.append(f'<a href="{href(sidecar)}">{e(kind)} captions{f" ({e(lang)})" if lang else ""}</a>')
    if entry.poster:
        links.append(f'<a href="{href(entry.poster)}">poster</a>')
    return f'<p class="links">{" · ".join(links)}</p>'


def _bytes(count: int) -> str:
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count} B"


def _num(value: float) -> str:
    """-14 -> "−14", with a real minus sign."""
    return f"{float(value):g}".replace("-", "−")
