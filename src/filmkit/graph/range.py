"""PURE: a range of the film's record frames, rendered exactly as the full film shows them.

The picture is built from a window of the cut that starts and ends where no transition runs
(so a transition crossing `first` is rendered whole and its first frames dropped), finished
with the film's subtitles, overlays and card at their film times, then trimmed to
[first, last). The sound is the whole film's mix (cut, card silence, music, ducking,
loudness), trimmed on the sample positions of those frames: only the whole mix says what a
loudness gain does at a given moment. Without loudness normalization (a master, a draft) the events outside the window are
silence there, never read: a range of a long film does not decode the whole film's sound.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from filmkit.graph.cut import build_cut_audio, build_cut_picture
from filmkit.graph.finish import (RenderSpec, Version, compiled, encoded_output, film_audio, finish_picture,
                                  normalize_loudness)
from filmkit.graph.picture import Picture
from filmkit.media.probe import MediaInfo
from filmkit.project.timeline import Timeline


def build_range_args(
    film: Timeline, window: Timeline, media: Mapping[Path, MediaInfo], versions: Sequence[Version],
    spec: RenderSpec, start: int, first: int, last: int,
) -> list[str]:
    """Arguments writing the film's frames [first, last) for each version.

    `window` is the film's cut from record frame `start` (<= first) on, as a timeline of its own
    (`project.segments.window_timeline`), with the card when the range reaches it.
    """
    picture = spec.picture or Picture(film.width, film.height)
    video = build_cut_picture(window, media, picture)
    # Without loudness normalization the events outside the window cannot change its sound
    # (music ducks by measured levels, not by the mix), so they are not read.
    heard = None if spec.loudness is not None else (start, start + window.cut_frames)
    audio = film_audio(film, media, build_cut_audio(film, media, heard), spec.levels)
    if spec.loudness is not None:
        audio = normalize_loudness(film, audio, spec.loudness)
    audio = audio.atrim(start_sample=film.sample_at(first), end_sample=film.sample_at(last)).asetpts(expr="PTS-STARTPTS")
    outputs = []
    for version in versions:
        finished = finish_picture(window, media, picture, video, version, start)
        finished = finished.trim(start_frame=first - start, end_frame=last - start).setpts(expr="PTS-STARTPTS")
        outputs.append(encoded_output(film, finished, audio, version.path, spec.encoding))
    return compiled(outputs, spec.encoding)
