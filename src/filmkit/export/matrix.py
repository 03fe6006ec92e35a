"""The languages x platforms matrix of an export: checked and named before anything renders.

Planning checks everything before the first frame renders (presets, card texts, subtitles,
platform limits, the poster time) and names every output; `output_inputs` hashes everything
that makes one output, so a re-run renders only what changed. Running the plan is
`export.batch`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from filmkit import __version__
from filmkit.errors import FilmkitError, OutputError, Problem, ProjectError
from filmkit.export.manifest import CACHE_NAME, LOCK_NAME, MANIFEST_NAME, HashCache, canonical, sha256_text
from filmkit.media.probe import MediaInfo
from filmkit.platform.preset import Preset
from filmkit.platform.presets import load_preset
from filmkit.project import LoadedProject, Timeline
from filmkit.render.extras import poster_frame
from filmkit.render.guard import check_beside, check_target, project_inputs, same_file_key
from filmkit.render.overlays import check_overlay_texts
from filmkit.render.plan import card_languages, load_and_check, slugify, version_tracks
from filmkit.render.inputs import card_problems
from filmkit.render.settings import limit_problems, picture_for, text_safe_area
from filmkit.render.tracks import LanguageTrack, parse_langs


@dataclass(frozen=True)
class Output:
    """One cell of the matrix."""

    platform: str
    lang: str  # "ru", or "en+ru" for a bilingual version
    path: Path
    preset: Preset


@dataclass
class ExportPlan:
    loaded: LoadedProject
    timeline: Timeline
    media: dict[Path, MediaInfo]
    outputs: list[Output]
    folder: Path  # where manifest.json lives: the outputs' common folder
    tracks: dict[tuple[str, bool], tuple[LanguageTrack, ...]] = field(default_factory=dict)


Checked = tuple[LoadedProject, Timeline, dict[Path, MediaInfo]]


def plan_export(project_file: Path, langs: Sequence[str] = (), platforms: Sequence[str] = (),
                checked: Checked | None = None) -> ExportPlan:
    """Check the whole matrix (or the subset asked for) and name every output; render nothing.

    `checked` is what `load_and_check` already returned for this file (filmkit check has it):
    the media are not probed twice.
    """
    loaded, timeline, media = checked or load_and_check(project_file)
    exports = loaded.project.exports
    if exports is None:
        raise ProjectError([Problem(loaded.path, None, None, "exports", (
            "the project has no `exports:` section; add one, e.g.\n"
            "exports:\n  platforms: [youtube-1080p, instagram-reel]\n  languages: [en, ru]\n"
            "  path: \"out/{platform}/{title_slug}_{lang}.mp4\"  (`filmkit presets` lists the platforms)"))])
    chosen_langs = _subset(loaded, "languages", list(exports.languages), langs, "--lang")
    chosen_platforms = _subset(loaded, "platforms", list(exports.platforms), platforms, "--platform")
    problems: list[Problem] = []
    presets: dict[str, Preset] = {}
    for name in chosen_platforms:
        try:
            presets[name] = load_preset(name, loaded.folder)
        except FilmkitError as exc:
            problems.append(loaded.locations.problem(("exports", "platforms", exports.platforms.index(name)), exc.message))
    for preset in presets.values():
        problems.extend(limit_problems(loaded, timeline, preset))
    plan = ExportPlan(loaded, timeline, media, [], Path("."))
    for lang in chosen_langs:
        try:
            card_languages(loaded, parse_langs(lang))
            check_overlay_texts(loaded, parse_langs(lang), list(presets))
            for vertical in sorted({is_vertical(p) for p in presets.values()}):
                plan.tracks[(lang, vertical)] = version_tracks(loaded, timeline, lang, vertical)
        except ProjectError as exc:
            problems.extend(exc.problems)
        except FilmkitError as exc:
            problems.append(loaded.locations.problem(("exports", "languages", exports.languages.index(lang)), exc.message))
    if not problems:  # the card of every version laid out at its platform's frame, as the render will draw it
        versions = [parse_langs(lang) for lang in chosen_langs]
        for preset in presets.values():
            picture = picture_for(preset)
            problems.extend(card_problems(loaded, versions, picture.width, picture.height, text_safe_area(preset)))
    try:
        poster_frame(loaded, timeline)  # a poster time outside the film is refused here, not after rendering
    except ProjectError as exc:
        problems.extend(exc.problems)
    if problems:
        raise ProjectError(problems)
    title_slug = slugify(loaded.project.title)
    for name, preset in presets.items():
        for lang in chosen_langs:
            relative = exports.path.format(platform=name, lang=lang, title_slug=title_slug)
            plan.outputs.append(Output(name, lang, (loaded.folder / relative).absolute(), preset))
    _check_distinct(loaded, plan.outputs)
    _check_targets(loaded, media, plan.outputs)
    plan.folder = Path(os.path.commonpath([output.path.parent for output in plan.outputs]))
    return plan


def _subset(loaded: LoadedProject, key: str, allowed: list[str], asked: Sequence[str], option: str) -> list[str]:
    if not asked:
        return allowed
    unknown = [item for item in asked if item not in allowed]
    if unknown:
        raise FilmkitError(
            f"{option} {unknown[0]}: not in the project's `exports: {key}` ({', '.join(allowed)}). "
            f"Add it there in {loaded.path.name}, or choose one of those")
    return [item for item in allowed if item in asked]


def _check_distinct(loaded: LoadedProject, outputs: list[Output]) -> None:
    """Two versions may not resolve to the same file (`..`, symbolic links and all)."""
    seen: dict[Path, Output] = {}
    for output in outputs:
        key = same_file_key(output.path)
        if key in seen:
            other = seen[key]
            raise ProjectError([loaded.locations.problem(("exports", "path"), (
                f"{other.platform}/{other.lang} and {output.platform}/{output.lang} would both be written to "
                f"{key}; put {{platform}} and {{lang}} in the path"))])
        seen[key] = output


def _check_targets(loaded: LoadedProject, media: dict[Path, MediaInfo], outputs: list[Output]) -> None:
    """Every output and what goes beside it stays inside the project and off its inputs."""
    inputs = project_inputs(loaded, media)
    problems = []
    for output in outputs:
        try:
            check_beside(output.path, parse_langs(output.lang), loaded, inputs, explicit=False)
        except OutputError as exc:
            problems.append(loaded.locations.problem(("exports", "path"), exc.message))
    folder = Path(os.path.commonpath([output.path.parent for output in outputs]))
    for name, what in ((MANIFEST_NAME, "the manifest"), (LOCK_NAME, "the export lock"), (CACHE_NAME, "the hash cache")):
        try:
            check_target(folder / name, loaded, inputs, explicit=False, what=what)
        except OutputError as exc:
            problems.append(loaded.locations.problem(("exports", "path"), exc.message))
    if problems:
        raise ProjectError(list({problem.message: problem for problem in problems}.values()))


def is_vertical(preset: Preset) -> bool:
    """A frame taller than wide: subtitles follow the vertical rules (three lines, BBC's 9:16 area)."""
    return preset.video.size.height > preset.video.size.width


def output_inputs(plan: ExportPlan, output: Output, hashes: HashCache) -> dict[str, str]:
    """The hash of everything that makes this output, by name: change one, and it renders again."""
    loaded = plan.loaded
    project = loaded.project
    langs = parse_langs(output.lang)
    core = project.model_dump(mode="json", by_alias=True, exclude={"card", "exports", "subtitles"})
    inputs = {"filmkit": __version__, "project": sha256_text(canonical(core)),
              "preset": sha256_text(canonical(output.preset.model_dump(mode="json", exclude={"source_file", "origin", "notes"})))}
    if project.exports is not None:
        inputs["exports"] = sha256_text(canonical({"reframe": project.exports.reframe, "poster": project.exports.poster,
                                                   "sidecar": project.exports.sidecar}))
    for path in sorted(set(plan.media)):
        inputs[f"media:{Path(os.path.relpath(path, loaded.folder)).as_posix()}"] = hashes.digest(path)
    if project.card is not None:
        card = project.card.model_dump(mode="json", by_alias=True, exclude={"text"})
        card["text"] = {lang: project.card.text[lang].model_dump(mode="json") for lang in langs if lang in project.card.text}
        inputs["card"] = sha256_text(canonical(card))
        for extra in (project.card.logo, project.card.background if project.card.background_kind == "image" else None):
            if extra:
                inputs[f"card:{extra}"] = hashes.digest(loaded.resolve(extra))
    if project.subtitles is not None:
        style = project.subtitles.model_dump(mode="json", exclude={"files", "dir", "encoding"})
        inputs["subtitle-style"] = sha256_text(canonical(style))
        vertical = is_vertical(output.preset)
        for track in plan.tracks.get((output.lang, vertical), ()):
            encoding = project.subtitles.encoding.get(track.lang)
            inputs[f"subtitles:{track.lang}"] = sha256_text(hashes.digest(track.file.path) + f"|{encoding}")
    return inputs
