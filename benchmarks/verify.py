"""Is an output what the benchmark asked for? Frame count, size, sound, loudness (PyAV + ebur128)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from common import ffmpeg_exe, run_quiet


@dataclass
class Check:
    path: str
    frames: int = 0
    size: str = ""
    profile: str = ""
    audio: str = ""
    lufs: float | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def loudness(path: Path) -> float | None:
    """Integrated loudness (LUFS) of the file's sound, from ffmpeg's ebur128 summary."""
    stderr = run_quiet([ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path), "-vn", "-af", "ebur128",
                        "-f", "null", "-"], f"measuring {path.name}")
    found = re.findall(r"I:\s*(-?[\d.]+|-inf) LUFS", stderr)
    return float(found[-1]) if found and found[-1] != "-inf" else None


def check(path: Path, frames: int, width: int, height: int, lufs_target: float | None = -14.0) -> Check:
    """Probe `path` and list every way it differs from what was asked for."""
    import av

    result = Check(str(path))
    if not path.is_file():
        result.problems.append("no output file")
        return result
    try:
        with av.open(str(path)) as container:
            video = container.streams.video[0]
            audio = container.streams.audio[0] if container.streams.audio else None
            result.size = f"{video.codec_context.width}x{video.codec_context.height}"
            result.profile = f"{video.codec_context.profile} {video.codec_context.pix_fmt}"
            result.frames = sum(1 for packet in container.demux(video) if packet.size)
            if audio is not None:
                result.audio = f"{audio.codec_context.name} {audio.rate} Hz x{audio.channels}"
    except (av.FFmpegError, IndexError) as exc:
        result.problems.append(f"unreadable: {exc}")
        return result
    if result.frames != frames:
        result.problems.append(f"{result.frames} frames, expected {frames}")
    if result.size != f"{width}x{height}":
        result.problems.append(f"size {result.size}, expected {width}x{height}")
    if not result.audio:
        result.problems.append("no sound")
    if lufs_target is not None:
        result.lufs = loudness(path)
        if result.lufs is None or abs(result.lufs - lufs_target) > 1.0:
            result.problems.append(f"loudness {result.lufs} LUFS, expected {lufs_target} +- 1")
    return result
