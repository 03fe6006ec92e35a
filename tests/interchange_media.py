"""Media and cut files for the interchange tests: counter clips that carry a start timecode."""

from __future__ import annotations

from pathlib import Path

from conftest import COUNTER_STEP, ffmpeg


def counter_clip(path: Path, *, frames: int, rate: str, timecode: str, cb: int = 128, cr: int = 128) -> Path:
    """Frame n has luma 4*n+16 (lossless) and the given chroma tint; the file starts at `timecode`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    source = f"color=c=black:s=64x64:r={rate},geq=lum='{COUNTER_STEP}*N+16':cb={cb}:cr={cr}"
    ffmpeg("-f", "lavfi", "-i", source, "-frames:v", str(frames), "-timecode", timecode, "-c:v", "libx264",
           "-qp", "0", "-preset", "ultrafast", "-pix_fmt", "yuv444p", str(path))
    return path


def plain_clip(path: Path, *, seconds: float, rate: str = "25", timecode: str | None = None, audio: bool = False) -> Path:
    """A tiny grey clip (with a tone when `audio`), starting at `timecode` if given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    args = ["-f", "lavfi", "-i", f"color=c=gray:s=32x32:r={rate}:d={seconds}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=f=440:d={seconds}:r=48000", "-c:a", "aac", "-shortest"]
    if timecode:
        args += ["-timecode", timecode]
    ffmpeg(*args, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path))
    return path


def tone(path: Path, *, seconds: float) -> Path:
    """A sine tone as a WAV file (a music bed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ffmpeg("-f", "lavfi", "-i", f"sine=f=330:d={seconds}:r=48000", str(path))
    return path


def timecode(frames: int, nominal: int, hours: int = 1, drop: bool = False) -> str:
    """HH:MM:SS:FF for a frame within the first minute after `hours` (no frame is dropped there)."""
    seconds, frame = divmod(frames, nominal)
    return f"{hours:02d}:00:{seconds:02d}{';' if drop else ':'}{frame:02d}"
