"""PURE: placeholder footage as ffmpeg argv: a slate held with a growing progress bar and a
soft hum, and a music bed of a chord that swells and fades. Nothing is run.

`filmkit storyboard` draws the slates and runs these (tools/storyboard.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import typed_ffmpeg as ff

from filmkit.timecode import format_rate, seconds_arg

Hertz = float | int


def build_slate_clip_args(slate: Path, output: Path, *, height: int, fps: Fraction, seconds: Fraction,
                          tone: Hertz | None, seed: int) -> list[str]:
    """The slate held for `seconds`, a bar growing along the bottom, and (with a `tone`) a hum
    over a pink-noise room whose noise is seeded by `seed` (the scene number)."""
    duration = seconds_arg(seconds)
    bar = max(4, height // 90)
    video = (
        ff.input(slate, t=duration, extra_options={"loop": 1, "framerate": format_rate(fps)})
        .video.drawbox(x="0", y=f"ih-{bar}", width=f"iw*t/{duration}", height=str(bar), color="white@0.85", thickness="fill")
        .format(pix_fmts="yuv420p")
    )
    streams: list = [video]
    options: dict[str, object] = {"c:v": "libx264", "preset": "veryfast", "tune": "stillimage", "crf": 20, "t": duration}
    if tone is not None:
        # `sine` peaks at 1/8 full scale: x0.8 puts the hum near -20 dBFS, under a soft pink-noise room.
        hum = ff.sources.sine(frequency=tone, sample_rate=48000, duration=duration).volume(volume="0.8")
        air = ff.sources.anoisesrc(color="pink", amplitude=0.04, sample_rate=48000, duration=duration, seed=seed)
        mixed = ff.filters.amix(hum, air, normalize=False).afade(type="in", duration=0.3).aformat(channel_layouts="stereo")
        streams.append(mixed)
        options.update({"c:a": "aac", "b:a": "128k"})
    node = ff.output(*streams, filename=str(output), extra_options={**options, "f": "mp4"}).global_args(y=True)
    return node.compile()[1:]


def build_chord_args(output: Path, chord: Sequence[Hertz], seconds: Fraction) -> list[str]:
    """A soft chord of `chord` (Hz) lasting `seconds`, swelling in and fading out over 2 s each."""
    duration = seconds_arg(seconds)
    tones = [ff.sources.sine(frequency=hz, sample_rate=48000, duration=duration) for hz in chord]
    pad = (
        ff.filters.amix(*tones, normalize=False)
        .volume(volume=f"{2.0 / len(tones):.3f}")  # each sine peaks at 1/8: the chord peaks at 1/4
        .afade(type="in", duration=2)
        .afade(type="out", start_time=seconds_arg(max(Fraction(0), seconds - 2)), duration=2)
        .aformat(channel_layouts="stereo")
    )
    node = ff.output(pad, filename=str(output), extra_options={"c:a": "aac", "b:a": "128k", "f": "mp4"}).global_args(y=True)
    return node.compile()[1:]
