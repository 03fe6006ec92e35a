"""The benchmark's edit-decision files, written into work/ beside the cached sources.

Every film is N events of its own source file, each joined to the previous one by a
12-frame (0.48 s) crossfade. The first event lasts 125 frames and the others 137, so the
cut is exactly N x 5 s; the closing card adds 4 s.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from common import FPS, LOGO, WORK
from sources import make_sources

from filmkit.subtitles.timing import format_time
from filmkit.timecode import format_timecode

IN_FRAME = FPS  # every event starts 1 s into its source (so each one seeks and pre-rolls)
FIRST_FRAMES = 5 * FPS
XFADE_FRAMES = 12
OTHER_FRAMES = FIRST_FRAMES + XFADE_FRAMES
CARD_SECONDS = 4
CARD_FADE_IN, CARD_FADE_OUT = 1.0, 0.75
CUE_PERIOD, CUE_LENGTH = 4.0, 3.0

BATCH_LANGS = ("en", "ru", "ar", "es")
BATCH_PLATFORMS = ("youtube-1080p", "instagram-reel", "x-landscape")

# Subtitle lines per language, cycled over the cues.
LINES: dict[str, tuple[str, ...]] = {
    "en": ("The rink is empty at dawn.", "She laces her skates alone.", "One more run before the crowd.",
           "The music starts without her.", "Every landing is a promise."),
    "ru": ("На рассвете каток пуст.", "Она шнурует коньки одна.", "Ещё один прокат до начала.",
           "Музыка начинается без неё.", "Каждое приземление — обещание."),
    "ar": ("الحلبة فارغة عند الفجر.", "تربط حذاءها وحدها.", "جولة أخرى قبل الجمهور.",
           "تبدأ الموسيقى من دونها.", "كل هبوط وعد."),
    "es": ("La pista está vacía al amanecer.", "Se ata los patines sola.", "Una vuelta más antes del público.",
           "La música empieza sin ella.", "Cada aterrizaje es una promesa."),
}
CARD_TEXT: dict[str, tuple[str, str]] = {
    "en": ("Love Always Wins", "example.org/love"),
    "ru": ("Любовь всегда побеждает", "example.org/love"),
    "ar": ("الحب ينتصر دائماً", "example.org/love"),
    "es": ("El amor siempre gana", "example.org/love"),
}


@dataclass(frozen=True)
class Film:
    """One generated project and what its outputs must measure."""

    name: str
    edit: Path
    sources: tuple[Path, ...]
    langs: tuple[str, ...]
    card: bool

    @property
    def folder(self) -> Path:
        return self.edit.parent

    @property
    def events(self) -> int:
        return len(self.sources)

    @property
    def cut_frames(self) -> int:
        return self.events * FIRST_FRAMES

    @property
    def total_frames(self) -> int:
        return self.cut_frames + (CARD_SECONDS * FPS if self.card else 0)

    @property
    def seconds(self) -> float:
        return self.total_frames / FPS

    def subtitle_file(self, lang: str) -> Path:
        return self.folder / "subs" / f"{lang}.srt"

    def event_frames(self, index: int) -> int:
        return FIRST_FRAMES if index == 0 else OTHER_FRAMES


def write_srt(path: Path, lang: str, cut_seconds: float) -> int:
    """A cue every 4 s, 3 s long, inside the cut; returns the number of cues."""
    lines = LINES[lang]
    blocks = []
    start = 0.5
    while start + CUE_LENGTH <= cut_seconds - 0.5:
        index = len(blocks)
        blocks.append(f"{index + 1}\n{format_time(Fraction(start), 'srt')} --> {format_time(Fraction(start + CUE_LENGTH), 'srt')}\n{lines[index % len(lines)]}\n")
        start += CUE_PERIOD
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(blocks), encoding="utf-8")
    return len(blocks)


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_film(name: str, events: int, langs: tuple[str, ...] = (), card: bool = True,
               platforms: tuple[str, ...] = BATCH_PLATFORMS) -> Film:
    """Write work/<name>/edit.yaml (and its subtitles) for `events` events; sources are generated as needed."""
    sources = tuple(make_sources(events))
    folder = WORK / name
    edit = folder / "edit.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    film = Film(name, edit, sources, langs, card)
    out: list[str] = [
        "filmkit: 1", f"title: Bench {name}", "format:", "  size: 1920x1080", f"  fps: {FPS}",
        "  audio: {rate: 48000, channels: 2}", "media:",
    ]
    out += [f"  e{i:03d}: {_yaml_string(os.path.relpath(src, folder))}" for i, src in enumerate(sources)]
    out.append("cut:")
    for i in range(events):
        out += [f"  - media: e{i:03d}", f'    in: "{format_timecode(IN_FRAME, Fraction(FPS))}"',
                f'    out: "{format_timecode(IN_FRAME + film.event_frames(i), Fraction(FPS))}"']
        if i:
            out.append(f"    transition: {{type: crossfade, duration: {XFADE_FRAMES / FPS}}}")
    if langs:
        out += ["subtitles:", "  files:"] + [f"    {lang}: subs/{lang}.srt" for lang in langs]
        out.append("  style: {font_scale: 1.0, outline: 2.5, box: false}")
        for lang in langs:
            write_srt(film.subtitle_file(lang), lang, film.cut_frames / FPS)
    if card:
        text_langs = langs or ("en",)
        out += ["card:", f"  duration: {CARD_SECONDS}", f"  fade: {{in: {CARD_FADE_IN}, out: {CARD_FADE_OUT}}}",
                "  transition: crossfade", '  background: "#0E1116"',
                f"  logo: {_yaml_string(os.path.relpath(LOGO, folder))}", '  accent: "#E8C46E"', "  text:"]
        for lang in text_langs:
            tagline, url = CARD_TEXT[lang]
            out.append(f"    {lang}: {{tagline: {_yaml_string(tagline)}, hashtag: \"#LoveAlwaysWins\", url: {url}}}")
    if langs:
        out += ["exports:", f"  platforms: [{', '.join(platforms)}]", f"  languages: [{', '.join(langs)}]",
                '  path: "out/{platform}/{title_slug}_{lang}.mp4"']
    edit.write_text("\n".join(out) + "\n", encoding="utf-8")
    return film
