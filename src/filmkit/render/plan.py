"""Planning one output, the single place that decides what a render writes.

A master render, `render --platform` and every job of an export all come through here: the
project checked with its media, the subtitle tracks of each language, the card's language,
the platform's settings, and output paths that never overwrite an input.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from filmkit.errors import ProjectError
from filmkit.card.frame import default_safe_area
from filmkit.graph import Burn, CardImage, Encoding, Layer, Picture, RenderSpec, Version, build_render_args
from filmkit.media.loudness import Loudness
from filmkit.media.checks import check_media, probe_media
from filmkit.media.probe import MediaInfo
from filmkit.platform.presets import Preset, load_preset
from filmkit.platform.safearea import SafeArea
from filmkit.project import LoadedProject, Timeline, build_timeline, load_project
from filmkit.render.card import draw_card_file
from filmkit.render.composition import compose
from filmkit.render.extras import measure_mix, sound_levels
from filmkit.render.files import check_output_path
from filmkit.render.guard import check_beside, project_inputs
from filmkit.render.overlays import (OverlayFrame, PlacedOverlay, check_overlay_texts, check_overlays, place_overlays,
                                     write_layers)
from filmkit.render.inputs import card_problems, check_inputs
from filmkit.render.settings import limit_problems, picture_for, render_spec, subtitle_safe_area, text_safe_area
from filmkit.render.tracks import (LanguageTrack, available_languages, layout_findings, parse_langs, place_tracks,
                                   prepare_track, without_subtitles, write_burn)
from filmkit.subtitles.ass import PlacedCue
from filmkit.subtitles.model import Finding


@dataclass(frozen=True)
class VersionPlan:
    """One file a render writes: its path, the subtitles burned into it, its card's language(s)."""

    output: Path
    tracks: tuple[LanguageTrack, ...] = ()  # subtitles to burn, first drawn above second
    card_langs: tuple[str, ...] = ()  # whose card text ends it (empty when the project has no card)
    langs: tuple[str, ...] = ()  # the version's languages as asked (empty: the master)

    @property
    def overlay_langs(self) -> tuple[str, ...]:
        """Whose text the overlays show: the version's languages, or the master's card language."""
        return self.langs or self.card_langs


@dataclass(frozen=True)
class RenderPlan:
    """Everything one ffmpeg process needs: a timeline, its media, and the versions it writes."""

    loaded: LoadedProject
    timeline: Timeline
    media: dict[Path, MediaInfo]
    versions: tuple[VersionPlan, ...]
    spec: RenderSpec = RenderSpec()
    safe_area: SafeArea | None = None  # the card's text and logo stay inside (a platform's interface)
    subtitle_safe_area: SafeArea | None = None
    caption_area: tuple[int, int, int, int] | None = None  # a composed social frame's caption band
    platform: str | None = None  # the preset's name; None for the master

    @property
    def output(self) -> Path:
        return self.versions[0].output

    @property
    def tracks(self) -> tuple[LanguageTrack, ...]:
        return self.versions[0].tracks

    @property
    def picture(self) -> Picture:
        return self.spec.picture or Picture(self.timeline.width, self.timeline.height)

    def args(self, target: Path | None = None, burn: Burn | None = None, card: CardImage | None = None,
             layers: tuple[Layer, ...] = ()) -> list[str]:
        """The argv of a single-version plan (for --dry-run and tests)."""
        version = Version(target or self.output, burn, card, layers)
        return build_render_args(self.timeline, self.media, [version], self.spec)

    def placed(self, version: VersionPlan | None = None) -> list[PlacedCue]:
        """The version's cues laid out for its frame: exactly what is burned (and what
        `filmkit subs layout` shows)."""
        tracks = (version or self.versions[0]).tracks
        if not tracks or self.loaded.project.subtitles is None:
            return []
        picture = self.picture
        return place_tracks(tracks, self.loaded.project.subtitles.style, self.loaded.folder, picture.width,
                            picture.height, self.subtitle_safe_area, self.caption_area)

    def layout_findings(self, frame: str, version: VersionPlan | None = None) -> list[Finding]:
        """Cues that need more lines than this frame allows, named with `frame` (a platform)."""
        return layout_findings((version or self.versions[0]).tracks, self.placed(version), frame)

    def write_burn(self, workdir: Path, version: VersionPlan | None = None) -> Burn | None:
        placed = self.placed(version)
        if not placed:
            return None
        assert self.loaded.project.subtitles is not None
        return write_burn(placed, self.loaded.project.subtitles.style, workdir, self.picture.width, self.picture.height)

    def overlay_frame(self, version: VersionPlan | None = None) -> OverlayFrame:
        """The version's frame as overlays are placed in it: safe area, and the captions to keep clear of."""
        picture = self.picture
        width, height = picture.width, picture.height
        captions = [(cue.box, cue.cue.start, cue.cue.end) for cue in self.placed(version)]
        if self.caption_area is not None:
            captions.append((self.caption_area, Fraction(0), self.timeline.duration))
        safe = (self.safe_area or default_safe_area(width, height)).box(width, height)
        return OverlayFrame(width, height, safe, self.platform or f"{width}x{height}", tuple(captions))

    def overlays(self, version: VersionPlan | None = None) -> list[PlacedOverlay]:
        """The overlays the version shows, placed in its frame (ProjectError when one cannot be)."""
        version = version or self.versions[0]
        return place_overlays(self.loaded, self.timeline, self.media, self.overlay_frame(version),
                              version.overlay_langs, self.platform)

    def write_overlays(self, workdir: Path, version: VersionPlan | None = None) -> tuple[Layer, ...]:
        """The version's overlay track as graph layers, its stills drawn into `workdir`."""
        if not self.timeline.overlays:
            return ()
        return write_layers(self.overlays(version), self.loaded, self.overlay_frame(version), workdir)

    def write_card(self, workdir: Path, version: VersionPlan | None = None) -> CardImage | None:
        langs = (version or self.versions[0]).card_langs
        if self.timeline.card is None or not langs:
            return None
        return draw_card_file(self.loaded, langs, self.picture, self.safe_area, workdir)


def load_and_check(project_file: Path) -> tuple[LoadedProject, Timeline, dict[Path, MediaInfo]]:
    """Everything `filmkit check` validates: schema, times, media, ranges."""
    loaded = load_project(project_file)
    timeline = build_timeline(loaded)
    media = probe_media(loaded, timeline)
    check_media(loaded, timeline, media)
    check_inputs(loaded)
    check_overlays(loaded)
    return loaded, timeline, media


def plan_render(
    project_file: Path, output: Path | None = None, encoding: Encoding = Encoding(), lang: str | None = None
) -> RenderPlan:
    """The master (project format) render, with the subtitles of `lang` burned in if given."""
    loaded, timeline, media = load_and_check(project_file)
    langs = parse_langs(lang) if lang else []
    tracks = language_tracks(loaded, timeline, langs)
    card_langs = card_languages(loaded, langs)
    check_overlay_texts(loaded, langs)
    target = Path(output) if output else default_output(loaded, lang)
    target = target.expanduser().absolute()
    check_output_path(target, protected=[loaded.path, *media, *(t.file.path for t in tracks)])
    check_beside(target, langs, loaded, project_inputs(loaded, media), explicit=output is not None)
    spec = RenderSpec(encoding=encoding, levels=sound_levels(timeline, media))
    return RenderPlan(loaded, timeline, media, (VersionPlan(target, tracks, card_langs, tuple(langs)),), spec)


def plan_single_platform(project_file: Path, platform: str, lang: str | None, output: Path | None,
                         measure: bool = True) -> RenderPlan:
    """`filmkit render --platform P [--lang L]`: one version, checked like an export would be."""
    loaded, timeline, media = load_and_check(project_file)
    preset = load_preset(platform, loaded.folder)
    problems = limit_problems(loaded, timeline, preset)
    picture = picture_for(preset)
    problems += card_problems(loaded, [card_languages(loaded, parse_langs(lang) if lang else [])], picture.width,
                              picture.height, text_safe_area(preset))
    if problems:
        raise ProjectError(problems)
    vertical = preset.video.size.height > preset.video.size.width
    tracks = {lang: version_tracks(loaded, timeline, lang, vertical)} if lang else {}
    target = Path(output) if output else default_output(loaded, lang).with_name(
        f"{default_output(loaded, lang).stem}_{preset.name}.mp4")
    target = target.expanduser().absolute()
    check_beside(target, parse_langs(lang) if lang else [], loaded, project_inputs(loaded, media),
                 explicit=output is not None)
    loudness = measure_mix(timeline, media) if measure else None
    return plan_platform(loaded, timeline, media, preset, [(lang or "", target.expanduser().absolute())], loudness, tracks)


def plan_platform(
    loaded: LoadedProject,
    timeline: Timeline,
    media: dict[Path, MediaInfo],
    preset: Preset,
    outputs: Sequence[tuple[str, Path]],
    loudness: Loudness | None,
    tracks: dict[str, tuple[LanguageTrack, ...]],
) -> RenderPlan:
    """One ffmpeg process writing `outputs` (language, path) for `preset`."""
    reframe = loaded.project.exports.reframe if loaded.project.exports else None
    versions = []
    for lang, path in outputs:
        check_output_path(path, protected=[loaded.path, *media])
        langs = parse_langs(lang) if lang else []  # no language: the master's card
        check_overlay_texts(loaded, langs, [preset.name])
        versions.append(VersionPlan(path, tracks.get(lang, ()), card_languages(loaded, langs), tuple(langs)))
    spec = dataclasses.replace(render_spec(preset, timeline, loudness, reframe), levels=sound_levels(timeline, media))
    picture = spec.picture or Picture(timeline.width, timeline.height)
    subtitles = loaded.project.subtitles
    composed = compose(picture.width, picture.height, Fraction(timeline.width, timeline.height), picture.reframe,
                       subtitle_safe_area(preset), font_scale=float(subtitles.style.font_scale) if subtitles else 1.0,
                       captions=subtitles is not None)
    spec = dataclasses.replace(spec, picture=dataclasses.replace(picture, box=composed.picture))
    return RenderPlan(loaded, timeline, media, tuple(versions), spec, text_safe_area(preset), subtitle_safe_area(preset),
                      composed.captions, preset.name)


def language_tracks(loaded: LoadedProject, timeline: Timeline, langs: Sequence[str],
                    vertical: bool = False) -> tuple[LanguageTrack, ...]:
    """The subtitles a version in `langs` burns (`render --lang`).

    A version's language selects its card text and, when there is one, its subtitle file: a
    project without `subtitles:` burns nothing, and so does a language declared `none` under
    `subtitles: files:`. Any other language needs its file, so a forgotten translation is an
    error; and a language with neither card text nor subtitles is one too.
    """
    subtitles = loaded.project.subtitles
    card = loaded.project.card
    tracks = []
    for lang in langs:
        has_card_text = card is not None and lang in card.text
        if subtitles is None and has_card_text:
            continue
        if lang in without_subtitles(loaded):
            if not has_card_text:
                raise ProjectError([loaded.locations.problem(("subtitles", "files", lang), (
                    f"{lang!r} is declared without subtitles (`{lang}: none`) and the project has no card text in "
                    f"{lang!r}, so a version in {lang!r} would show nothing of its language. Give it a subtitle "
                    f"file, or add `{lang}: {{tagline: ...}}` under `card: text:`"))])
            continue
        tracks.append(prepare_track(loaded, timeline, lang, vertical=vertical))
    return tuple(tracks)


def version_tracks(loaded: LoadedProject, timeline: Timeline, version_lang: str, vertical: bool) -> tuple[LanguageTrack, ...]:
    """The subtitles a language version of an export burns: its file(s), if the project has subtitles at all."""
    if loaded.project.subtitles is None:
        return ()
    langs = parse_langs(version_lang)
    have = available_languages(loaded)
    missing = [lang for lang in langs if lang not in have and lang not in without_subtitles(loaded)]
    if missing:
        raise ProjectError([loaded.locations.problem(
            ("exports", "languages"),
            f"{version_lang!r} is exported but the project has no subtitles in {', '.join(missing)}; it has "
            f"{', '.join(sorted(have)) or 'none'}. Add the translation under `subtitles: files:` or remove the "
            "language from `exports: languages:`")])
    return language_tracks(loaded, timeline, langs, vertical)


def card_languages(loaded: LoadedProject, langs: list[str]) -> tuple[str, ...]:
    """Whose card text ends a version: its languages, or the card's first language for the master.

    A version in a language the card has no text for is an error: never a silent English card
    on the Russian version.
    """
    card = loaded.project.card
    if card is None:
        return ()
    if not langs:
        return (next(iter(card.text)),)
    missing = [lang for lang in langs if lang not in card.text]
    if missing:
        have = ", ".join(card.text)
        raise ProjectError([loaded.locations.problem(
            ("card", "text"),
            f"the card has no text in {', '.join(repr(m) for m in missing)}; it has: {have}. Add "
            + " ".join(f"`{m}: {{tagline: ..., hashtag: ...}}`" for m in missing)
            + " under `card: text:` (the card is never shown in another language than the version's)",
        )])
    return tuple(langs)


def default_output(loaded: LoadedProject, lang: str | None = None) -> Path:
    suffix = f"_{lang}" if lang else ""
    return loaded.folder / "out" / f"{slugify(loaded.project.title)}{suffix}.mp4"


def slugify(title: str) -> str:
    """A file-name-safe form of a title that keeps non-Latin letters readable."""
    text = unicodedata.normalize("NFKC", title).strip().lower()
    text = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")
    # At most 100 bytes, so that the name with its language, platform and suffix fits in 255.
    text = text.encode("utf-8")[:100].decode("utf-8", "ignore").strip("-_")
    return text or "film"
