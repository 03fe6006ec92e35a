"""Golden tests of the pure builders that are not a film: placeholder footage and loudness passes.

The expected argv are written out whole: a change to a graph reads as a diff of this file.
No ffmpeg runs.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from filmkit.graph import build_chord_args, build_file_loudness_args, build_slate_clip_args


def test_a_slate_clip_with_its_hum() -> None:
    args = build_slate_clip_args(Path("/x/slate's.png"), Path("/x/out, 1.mp4"), height=360, fps=Fraction(30000, 1001),
                                 seconds=Fraction(5, 2), tone=330, seed=3)
    assert args == [
        "-y", "-t", "2.500000", "-loop", "1", "-framerate", "30000/1001", "-i", "/x/slate's.png",
        "-filter_complex",
        "sine=frequency=330:sample_rate=48000:duration=2.500000[s0];"
        "anoisesrc=sample_rate=48000:amplitude=0.04:duration=2.500000:color=pink:seed=3[s1];"
        "[0:v]drawbox=x=0:y=ih-4:width=iw*t/2.500000:height=4:color=white@0.85:thickness=fill[s2];"
        "[s0]volume=volume=0.8[s3];[s2]format=pix_fmts=yuv420p[s4];[s3][s1]amix=inputs=2:normalize=0[s5];"
        "[s5]afade=type=in:duration=0.3[s6];[s6]aformat=channel_layouts=stereo[s7]",
        "-map", "[s4]", "-map", "[s7]", "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "20",
        "-t", "2.500000", "-c:a", "aac", "-b:a", "128k", "-f", "mp4", "/x/out, 1.mp4",
    ]


def test_a_silent_slate_clip_has_no_audio_graph() -> None:
    args = build_slate_clip_args(Path("/x/s.png"), Path("/x/o.mp4"), height=1080, fps=Fraction(25), seconds=Fraction(1),
                                 tone=None, seed=1)
    assert args == [
        "-y", "-t", "1.000000", "-loop", "1", "-framerate", "25", "-i", "/x/s.png",
        "-filter_complex",
        "[0:v]drawbox=x=0:y=ih-12:width=iw*t/1.000000:height=12:color=white@0.85:thickness=fill[s0];"
        "[s0]format=pix_fmts=yuv420p[s1]",
        "-map", "[s1]", "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "20",
        "-t", "1.000000", "-f", "mp4", "/x/o.mp4",
    ]


def test_a_chord_bed() -> None:
    args = build_chord_args(Path("/x/.m.filmkit-part.m4a"), [220.0, 277.18, 329.63], Fraction(15, 2))
    assert args == [
        "-y", "-filter_complex",
        "sine=frequency=220.0:sample_rate=48000:duration=7.500000[s0];"
        "sine=frequency=277.18:sample_rate=48000:duration=7.500000[s1];"
        "sine=frequency=329.63:sample_rate=48000:duration=7.500000[s2];"
        "[s0][s1][s2]amix=inputs=3:normalize=0[s3];[s3]volume=volume=0.667[s4];[s4]afade=type=in:duration=2[s5];"
        "[s5]afade=type=out:start_time=5.500000:duration=2[s6];[s6]aformat=channel_layouts=stereo[s7]",
        "-map", "[s7]", "-c:a", "aac", "-b:a", "128k", "-f", "mp4", "/x/.m.filmkit-part.m4a",
    ]


def test_a_rendered_file_is_measured_on_its_first_audio_stream() -> None:
    assert build_file_loudness_args(Path("/x/film: it's.mp4")) == [
        "-i", "/x/film: it's.mp4",
        "-filter_complex", "[0:a:0]ebur128=peak=true:framelog=verbose[s0]",
        "-map", "[s0]", "-f", "null", "-",
    ]
