"""Paths and small helpers shared by the benchmark modules."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"
SOURCES = WORK / "sources"
VENV_BIN = ROOT / ".venv" / "bin"
FILMKIT = VENV_BIN / "filmkit"
PYTHON = VENV_BIN / "python"
LOGO = ROOT / "assets" / "logo.png"

FPS = 25
AUDIO_RATE = 48000


def ffmpeg_exe() -> str:
    """The ffmpeg that imageio-ffmpeg bundles (the one filmkit uses too)."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def run_quiet(argv: list[str], what: str) -> str:
    """Run an untimed helper command; return its stderr, raise with the tail on failure."""
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, errors="replace")
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise RuntimeError(f"{what} failed (exit {done.returncode}):\n{tail}")
    return done.stderr


def replace_atomically(temp: Path, target: Path) -> None:
    os.replace(temp, target)
