"""PURE: measurement passes, as ffmpeg argv. Nothing is run.

The film's mix is measured once before its platform versions render (each normalizes from
that measurement to its own target), and every exported file is measured again afterwards for
the manifest. Both use ffmpeg's EBU R128 meter, whose summary `filmkit.media.loudness` reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path

import typed_ffmpeg as ff

from filmkit.graph.cut import build_cut_audio
from filmkit.graph.finish import film_audio
from filmkit.media.levels import LEVEL_KEY
from filmkit.media.probe import MediaInfo
from filmkit.project.timeline import Timeline


def build_loudness_args(timeline: Timeline, media: Mapping[Path, MediaInfo], levels: SoundLevels | None = None) -> list[str]:
    """First pass: the film's mix measured (EBU R128 summary on stderr), sound only, nothing written.

    ebur128, not loudnorm's own first pass: loudnorm misreads a short film that ends in silence
    (a 4 s mix with a silent card read 2 dB quieter than ebur128 and its own second pass).
    `levels` are the cut's sound levels, for the beds that duck under it.
    """
    audio = film_audio(timeline, media, build_cut_audio(timeline, media), levels)
    measured = ff.afilter(audio, name="ebur128", input_typings=("audio",), peak="true")
    node = ff.output(measured, filename="-", extra_options={"f": "null"})
    return node.global_args(y=True).compile()[1:]


def build_file_loudness_args(path: Path) -> list[str]:
    """The first audio stream of a rendered file measured (EBU R128 summary on stderr, the
    per-frame log kept at verbose level so stderr stays short), nothing written."""
    audio = ff.input(path).audio_stream(0)
    measured = ff.afilter(audio, name="ebur128", input_typings=("audio",), peak="true", framelog="verbose")
    return ff.output(measured, filename="-", extra_options={"f": "null"}).compile()[1:]


LEVEL_WINDOW = Fraction(1, 50)  # seconds of sound per level measured: a syllable's length or less


def level_window(timeline: Timeline) -> int:
    """Samples per level window at the project's audio rate."""
    return int(LEVEL_WINDOW * timeline.audio_rate)


def build_levels_args(timeline: Timeline, media: Mapping[Path, MediaInfo]) -> list[str]:
    """The cut's own sound (before music and card), its RMS level printed for every window of
    `level_window` samples (media.levels reads them): what ducking music beds go under."""
    windows = build_cut_audio(timeline, media).asetnsamples(nb_out_samples=level_window(timeline), pad=False)
    measured = windows.astats(metadata=True, reset=1, measure_perchannel="none", measure_overall="RMS_level")
    printed = measured.ametadata(mode="print", key=LEVEL_KEY)
    return ff.output(printed, filename="-", extra_options={"f": "null"}).global_args(y=True).compile()[1:]
