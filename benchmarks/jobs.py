"""The three sides' commands for one output of a film: filmkit, hand-written ffmpeg, MoviePy."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from common import AUDIO_RATE, FPS, PYTHON, BENCH, WORK
from filmkit_side import Filmkit
from handwritten import Job, encoder_from_dry_run, fonts_dir, write_jobs
from projects import CARD_FADE_IN, CARD_FADE_OUT, CARD_SECONDS, FPS as FILM_FPS, IN_FRAME, XFADE_FRAMES, Film

PLATFORM_SIZE = {"youtube-1080p": (1920, 1080), "instagram-reel": (1080, 1920), "x-landscape": (1280, 720)}
PLATFORM_REFRAME = {"youtube-1080p": "crop", "instagram-reel": "blur", "x-landscape": "crop"}
LUFS, TRUE_PEAK = -14.0, -1.0


@dataclass(frozen=True)
class Output:
    """One cell: a film in one language for one platform, and where each side writes it."""

    film: Film
    platform: str
    lang: str

    @property
    def size(self) -> tuple[int, int]:
        return PLATFORM_SIZE[self.platform]

    def path(self, side: str) -> Path:
        return self.film.folder / "bench-out" / side / f"{self.platform}_{self.lang}.mp4"


def _checked(done, what: str) -> str:
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def card_png(kit: Filmkit, cell: Output) -> Path:
    """filmkit's own card for the cell, drawn once (untimed) so every side shows the same picture."""
    target = cell.film.folder / "cards" / f"{cell.platform}_{cell.lang}.png"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        _checked(kit.run("card", str(cell.film.edit), "--lang", cell.lang, "--platform", cell.platform,
                         "-o", str(target)), f"filmkit card {cell.platform} {cell.lang}")
    return target


def preset_encoder(kit: Filmkit, cell: Output) -> list[str]:
    """The preset's output options, read from filmkit's own argv (`render --dry-run`)."""
    stdout = _checked(kit.run("render", str(cell.film.edit), "--platform", cell.platform, "--lang", cell.lang,
                              "-o", str(cell.path("dry-run")), "--dry-run"), "filmkit render --dry-run")
    return encoder_from_dry_run(stdout)


def hand_job(kit: Filmkit, cell: Output, x264_preset: str) -> Job:
    film = cell.film
    width, height = cell.size
    family, folder, line_height = fonts_dir(cell.lang, WORK / "fonts")
    sources = [(str(src), IN_FRAME / FILM_FPS, film.event_frames(i) / FILM_FPS) for i, src in enumerate(film.sources)]
    return Job(sources=sources, xfade=XFADE_FRAMES / FILM_FPS, width=width, height=height,
               reframe=PLATFORM_REFRAME[cell.platform], encoder=preset_encoder(kit, cell), x264_preset=x264_preset,
               output=str(cell.path("handwritten")), srt=str(film.subtitle_file(cell.lang)) if cell.lang in film.langs else None,
               font_family=family, fonts_dir=str(folder), font_line_height=line_height,
               card_png=str(card_png(kit, cell)) if film.card else None, card_seconds=CARD_SECONDS,
               card_fade_in=CARD_FADE_IN, card_fade_out=CARD_FADE_OUT,
               loudness={"I": LUFS, "TP": TRUE_PEAK, "LRA": 7.0})


def hand_argv(jobs: list[Job], spec: Path) -> list[str]:
    """One script run that renders `jobs` one after another (two ffmpeg commands each)."""
    write_jobs(jobs, spec)
    return [str(PYTHON), str(BENCH / "handwritten.py"), str(spec)]


def intermediate_argv(jobs: list[Job], spec: Path) -> list[str]:
    """The cut rendered once to an intermediate, then each of `jobs` made from it."""
    write_jobs(jobs, spec)
    return [str(PYTHON), str(BENCH / "handwritten.py"), "--intermediate", str(spec)]


def moviepy_argv(job: Job, spec: Path) -> list[str]:
    """MoviePy's job for the same cell as the hand-written `job` (same sources, card, encoder)."""
    from filmkit.text.fonts import choose_font

    from handwritten import SUB_EM

    settings = {
        "fps": FPS, "xfade": job.xfade, "width": job.width, "height": job.height, "audio_rate": AUDIO_RATE,
        "sources": job.sources, "srt": job.srt, "font": str(choose_font("latin").path),
        "font_em": SUB_EM["vertical" if job.height > job.width else "landscape"], "card_png": job.card_png,
        "card_seconds": job.card_seconds, "card_fade_in": job.card_fade_in, "card_fade_out": job.card_fade_out,
        "lufs": LUFS, "true_peak": TRUE_PEAK, "encoder": job.encoder, "x264_preset": job.x264_preset,
        "output": job.output.replace("/handwritten/", "/moviepy/"),
    }
    spec.write_text(json.dumps(settings, indent=1))
    return [str(PYTHON), str(BENCH / "moviepy_job.py"), str(spec)]
