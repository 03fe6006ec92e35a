"""Synthetic 1080p25 camera files, one per event, cached in work/sources/.

Sources 0-23 are generated; every file has moving content from one of ffmpeg's lavfi generators (so decoding and
encoding cost what real footage costs, unlike a static slate) and a sine tone of its own
pitch, encoded like a phone clip: H.264 High with CABAC and B-frames, 1 s GOP, AAC stereo.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from common import AUDIO_RATE, FPS, SOURCES, ffmpeg_exe, replace_atomically, run_quiet

SECONDS = 7  # each event reads 1 s + 5.48 s of it (see projects.py)
SIZE = "1920x1080"
# Distinct generated pictures. Source N >= UNIQUE is a stream copy (remux) of source N % UNIQUE:
# a file of its own, decoded like the others, but without minutes of encoding per file on 2 cores.
UNIQUE = 24

# Generators, cycled over the events. The fractal ones are drawn at half size and scaled up:
# their generators are single-threaded and would take minutes per file at 1080p.
KINDS: tuple[str, ...] = (
    f"testsrc2=size={SIZE}:rate={FPS}",
    f"cellauto=size={SIZE}:rate={FPS}:rule=110:scroll=1:random_fill_ratio=0.5",
    f"mandelbrot=size=960x540:rate={FPS}:maxiter=100,scale=1920:1080:flags=bicubic",
    f"sierpinski=size=960x540:rate={FPS},scale=1920:1080:flags=bicubic",
    f"zoneplate=size=960x540:rate={FPS}:kt2=2:kx2=60:ky2=60:ky=1,scale=1920:1080:flags=bicubic",
    f"testsrc2=size={SIZE}:rate={FPS},hue=H=t",
)


def source_path(index: int) -> Path:
    return SOURCES / f"src_{index:03d}.mp4"


def make_source(index: int) -> Path:
    """Source `index` (generated once; an existing file is reused)."""
    target = source_path(index)
    if target.is_file():
        return target
    SOURCES.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.stem}.{os.getpid()}.part.mp4")
    if index >= UNIQUE:
        original = make_source(index % UNIQUE)
        run_quiet([ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", str(original),
                   "-map", "0", "-c", "copy", "-metadata", f"title=source {index}", "-movflags", "+faststart",
                   str(temp)], f"copying {target.name}")
        replace_atomically(temp, target)
        return target
    picture = f"{KINDS[index % len(KINDS)]},format=yuv420p"
    tone = f"sine=frequency={220 + 23 * index}:sample_rate={AUDIO_RATE}"
    run_quiet([
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", picture, "-f", "lavfi", "-i", tone, "-t", str(SECONDS),
        "-c:v", "libx264", "-preset", "superfast", "-crf", "20", "-maxrate", "20M", "-bufsize", "40M",
        "-profile:v", "high", "-g", str(FPS), "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "192k", "-ac", "2", "-movflags", "+faststart", str(temp),
    ], f"generating {target.name}")
    replace_atomically(temp, target)
    return target


def make_sources(count: int, log: Callable[[str], None] = print) -> list[Path]:
    """The first `count` sources, generating the missing ones."""
    paths = []
    for index in range(count):
        if not source_path(index).is_file():
            log(f"  generating source {index + 1}/{count}: {source_path(index).name}")
        paths.append(make_source(index))
    return paths


if __name__ == "__main__":
    import sys

    make_sources(int(sys.argv[1]) if len(sys.argv) > 1 else 12)
