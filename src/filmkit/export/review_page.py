"""The review page as one static HTML file: inline CSS and script, media by relative paths.

Everything readable without the script: the matrix, the videos (the browser's own player),
the cue lists (each cue links to the film at its time, `film.mp4#t=12.4`). The script
(`data/review/review.js`) only adds the filters and seeks every video of a language to a
clicked cue. Every string from a project, a manifest or a subtitle file is escaped here, in
text and attributes alike, and every path is URL-quoted.
"""

from __future__ import annotations

from importlib import resources

from filmkit import __version__
from filmkit.export.manifest import Entry
from filmkit.export.review import CueTrack, Language, Review, State
from filmkit.export.review_html import cell_html, e, href, ident, platform_head, screen_width, video_html, when
from filmkit.export.review_thumbs import THUMB_BOX

# Inline, so that no browser asks a server for /favicon.ico (a 404 in the console otherwise).
FAVICON = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E"
           "%3Crect y='3' width='16' height='10' rx='2' fill='%238a5a00'/%3E%3C/svg%3E")


def _asset(name: str) -> str:
    return (resources.files("filmkit") / "data" / "review" / name).read_text(encoding="utf-8")


def render_page(review: Review) -> str:
    """The whole page."""
    title = f"{review.title}: export review"
    body = [_header(review), '<main id="main">', _matrix(review),
            *(_language_view(review, language) for language in review.languages), "</main>",
            f'<footer><p>Written by filmkit {e(__version__)} at {when(review.generated_at)}. '
            f'<code>filmkit review {e(review.project_file)}</code> writes it again from the manifest.</p></footer>']
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en" dir="ltr">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="filmkit {e(__version__)}">', f"<title>{e(title)}</title>",
        f'<link rel="icon" href="{FAVICON}">',
        f"<style>\n{_asset('review.css')}</style>", "</head>", "<body>",
        '<a class="skip" href="#main">Skip to the outputs</a>', *body,
        f"<script>\n{_asset('review.js')}</script>", "</body>", "</html>", ""])


def _header(review: Review) -> str:
    counts = {state: sum(cell.state is state for cell in review.cells.values()) for state in State}
    shown = [state for state in State if counts[state] or state in (State.RENDERED, State.FAILED)]
    summary = ", ".join(f'<span class="state state-{ident(state.value) if counts[state] else "none"}">'
                        f"{counts[state]} {e(state.value)}</span>" for state in shown)
    run = review.last_run
    last = (f"Last run {when(run['started'])} to {when(run['finished'])}." if run.get("started") and run.get("finished")
            else "No finished run recorded yet.")
    nav = " ".join(f'<a href="#{ident("lang", language.code)}" data-nav-lang="{e(language.code)}">{e(language.name)}</a>'
                   for language in review.languages)
    return "\n".join([
        "<header>", f'<h1>{e(review.title)} <span class="kind">export review</span></h1>',
        f'<p class="summary">{len(review.cells)} outputs: {summary}. {last} '
        f'Outputs marked <span class="mark-new">new</span> changed in the last run.</p>',
        f'<nav aria-label="Sections"><a href="#matrix">Platforms × languages</a> <span class="sep">Languages:</span> {nav}</nav>',
        _filters(review), "</header>"])


def _filters(review: Review) -> str:
    """The filter form: hidden until the script shows it (without the script it would do nothing)."""
    def boxes(name: str, items: list[tuple[str, str]]) -> str:
        return "".join(f'<label><input type="checkbox" name="{name}" value="{e(value)}" checked> {e(label)}</label>'
                       for value, label in items)

    langs = [(language.code, language.name) for language in review.languages]
    platforms = [(preset.name, preset.title) for preset in review.platforms]
    return "\n".join([
        '<form id="filters" class="filters" hidden aria-label="Filter the outputs">',
        f"<fieldset><legend>Languages</legend>{boxes('lang', langs)}</fieldset>",
        f"<fieldset><legend>Platforms</legend>{boxes('platform', platforms)}</fieldset>",
        '<fieldset><legend>Show only</legend><label><input type="checkbox" name="changed"> changed in the last run</label>'
        '<label><input type="checkbox" name="failed"> failed</label></fieldset>',
        '<p class="filter-status" role="status" aria-live="polite"></p>', "</form>"])


def _matrix(review: Review) -> str:
    rows = []
    for preset in review.platforms:
        cells = [cell_html(review, preset, language, review.cells[(preset.name, language.code)])
                 for language in review.languages if (preset.name, language.code) in review.cells]
        rows.append("\n".join([
            f'<section class="platform" id="{ident("platform", preset.name)}" data-platform="{e(preset.name)}" '
            f'aria-labelledby="{ident("platform", preset.name, "title")}">',
            platform_head(review, preset), '<div class="cells">', *cells, "</div>", "</section>"]))
    return "\n".join(['<section id="matrix" aria-labelledby="matrix-title">',
                      '<h2 id="matrix-title">Platforms × languages</h2>', *rows, "</section>"])


def _language_view(review: Review, language: Language) -> str:
    """One language's versions side by side, its cues with timecodes and thumbnails."""
    section_id = ident("lang", language.code)
    direction = "rtl" if language.rtl else "ltr"
    lang_attr = f' lang="{e(language.html_lang)}"' if language.html_lang else ""
    cells = [review.cells[(preset.name, language.code)] for preset in review.platforms
             if (preset.name, language.code) in review.cells]
    presets = {preset.name: preset for preset in review.platforms}
    playable = [cell for cell in cells if cell.entry is not None]
    versions = [f'<figure class="version" data-platform="{e(cell.platform)}" '
                f'style="width: {screen_width(presets[cell.platform])}px">'
                f'{video_html(review, presets[cell.platform], language, cell.entry)}'
                f'<figcaption lang="en" dir="ltr">{e(presets[cell.platform].title)}</figcaption></figure>'
                for cell in playable if cell.entry is not None]
    first = playable[0].entry if playable else None
    cue_lists = [_cue_list(review, language, track, first) for track in language.tracks] or [
        '<p class="note" lang="en">This version has no subtitles.</p>']
    return "\n".join([
        f'<section class="language" id="{section_id}" data-lang="{e(language.code)}"{lang_attr} dir="{direction}" '
        f'aria-labelledby="{section_id}-title">',
        f'<h2 id="{section_id}-title"><span lang="en">{e(language.name)}</span> <code>{e(language.code)}</code> '
        '<span class="kind" lang="en">on every platform</span></h2>',
        '<div class="language-body">',
        '<div class="versions">' + ("".join(versions) or '<p class="note" lang="en">No file of this language yet.</p>') + "</div>",
        '<div class="cue-lists">', *cue_lists, "</div>", "</div>", "</section>"])


def _cue_list(review: Review, language: Language, track: CueTrack, first: Entry | None) -> str:
    direction = "rtl" if track.rtl else "ltr"
    width, height = THUMB_BOX[0], round(THUMB_BOX[0] * review.frame[1] / review.frame[0])
    items = []
    for cue in track.cues:
        target = href(first.path, f"#t={cue.start:.3f}") if first else f"#{ident('cue', language.code, track.lang, str(cue.number))}"
        thumb = (f'<img src="{href(cue.thumb)}" loading="lazy" decoding="async" width="{width}" height="{height}" '
                 f'alt="Cue {cue.number} on the picture at {e(cue.timecode)}" lang="en">' if cue.thumb else "")
        items.append(
            f'<li id="{ident("cue", language.code, track.lang, str(cue.number))}">'
            f'<a class="cue" href="{target}" data-start="{cue.start:.3f}" data-version="{e(language.code)}">{thumb}'
            f'<span class="cue-time" dir="ltr"><span class="cue-number">{cue.number}</span> '
            f'<span class="tc">{e(cue.timecode)}</span> – <span class="tc">{e(cue.end_timecode)}</span></span>'
            f'<span class="cue-text">{_lines(cue.text)}</span></a></li>')
    error = f'<p class="error" lang="en" dir="ltr">{e(track.thumbs_error)}</p>' if track.thumbs_error else ""
    return "\n".join([
        f'<h3 lang="en">Cues: {e(track.name)} ({len(track.cues)})</h3>', error,
        f'<ol class="cues" lang="{e(track.lang)}" dir="{direction}">', *items, "</ol>"])


def _lines(text: str) -> str:
    return "<br>".join(e(line) for line in text.split("\n"))

