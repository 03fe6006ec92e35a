"""What goes beside a rendered video: the mix's loudness measured once (and the cut's sound levels,
for music that ducks under it), posters, caption sidecars.

The loudness of the mix is measured once (a first pass over the sound only) and every
platform's render normalizes to its own target from that measurement. Posters and caption
files are written whole through temporaries, like the video itself.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from filmkit.atomic import cannot_write, temporary_path
from filmkit.errors import OutputError, ProjectError
from filmkit.graph import build_levels_args, build_loudness_args, build_still_args, level_window
from filmkit.media.ffmpeg import run_tool
from filmkit.media.levels import SoundLevels, parse_levels
from filmkit.media.loudness import Loudness, parse_ebur128_summary
from filmkit.media.probe import MediaInfo
from filmkit.project import LoadedProject, Timeline
from filmkit.render.tracks import LanguageTrack
from filmkit.timecode import TimecodeError, format_seconds, parse_time


def measure_mix(timeline: Timeline, media: dict[Path, MediaInfo]) -> Loudness | None:
    """First pass over the film's mix (music ducked as it will be); None for a silent film (nothing to normalize)."""
    stderr = run_tool(build_loudness_args(timeline, media, sound_levels(timeline, media)), what="measuring loudness")
    return parse_measurement(stderr)


_LEVELS: dict[object, SoundLevels] = {}
_LEVELS_LOCK = threading.Lock()


def sound_levels(timeline: Timeline, media: dict[Path, MediaInfo]) -> SoundLevels | None:
    """The cut's own sound measured window by window, when a music bed ducks under it (else None).

    Measured once per film and process (an audio-only pass of a few seconds): the loudness pass
    and every platform's render of an export mix the same ducked music.
    """
    if not any(bed.duck is not None for bed in timeline.music):
        return None
    key = (timeline, tuple(sorted(media.items(), key=lambda item: str(item[0]))))
    with _LEVELS_LOCK:
        if key not in _LEVELS:
            stderr = run_tool(build_levels_args(timeline, media), what="measuring the cut's sound for ducking")
            _LEVELS[key] = parse_levels(stderr, timeline.audio_rate, level_window(timeline))
        return _LEVELS[key]


def parse_measurement(stderr: str) -> Loudness | None:
    """The mix's measurement with the gating threshold loudnorm needs; None for silence."""
    summary = parse_ebur128_summary(stderr)
    if not math.isfinite(summary.integrated) or summary.integrated <= -69 or summary.threshold is None:
        return None  # silence: nothing to normalize
    return summary


def poster_frame(loaded: LoadedProject, timeline: Timeline) -> int:
    """The record frame shown on the poster: `exports.poster`, by default a frame of the card."""
    setting = loaded.project.exports.poster if loaded.project.exports else "card"
    card = timeline.card
    if setting == "card":
        if card is None:
            return timeline.total_frames // 3
        hold = card.frames - card.fade_in - card.fade_out
        return timeline.cut_frames + card.fade_in + max(0, hold) // 2
    try:
        frame = parse_time(setting, timeline.fps)
    except TimecodeError as exc:
        raise ProjectError([loaded.locations.problem(("exports", "poster"), f"{exc}; or `card` for a frame of the card")]) from None
    if not 0 <= frame < timeline.total_frames:
        raise ProjectError([loaded.locations.problem(("exports", "poster"), (
            f"poster {setting!r} is outside the film (0 to {format_seconds(timeline.total_frames, timeline.fps)}); "
            "give a time inside it, or `card`"))])
    return frame


def write_poster(video: Path, seconds: Fraction, target: Path) -> Path:
    """A JPEG of the rendered video at `seconds`, at the video's own size, moved into place whole."""
    temp = temporary_path(target, "poster")
    try:
        run_tool(build_still_args(video, seconds, temp), what=f"poster {target.name}")
        os.replace(temp, target)
    except OSError as exc:
        raise OutputError(cannot_write(target, exc, "the poster")) from None
    finally:
        temp.unlink(missing_ok=True)
    return target


def write_sidecars(tracks: Sequence[LanguageTrack], video: Path, formats: Sequence[str]) -> list[Path]:
    """Clean UTF-8 caption files beside the video, one per language and format, named like the video.

    The subtitle writers already write through a temporary file and move it into place.
    """
    from filmkit.subtitles.write import write_srt, write_vtt

    writers = {"srt": write_srt, "vtt": write_vtt}
    written = []
    for track in tracks:
        for fmt in formats:
            target = video.with_name(f"{video.stem}.{track.lang}.{fmt}")
            writers[fmt](track.cues, target)
            written.append(target)
    return written
