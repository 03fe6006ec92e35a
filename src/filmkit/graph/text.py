"""PURE: text drawn by libass alone on black, one frame (the card's fallback where Pillow cannot shape)."""

from __future__ import annotations

from pathlib import Path


def build_text_still_args(ass_file: Path, fonts: Path, output: Path, width: int, height: int) -> list[str]:
    """One frame of `ass_file` burned over black at width x height, with complex shaping."""
    import typed_ffmpeg as ff

    video = (ff.sources.color(color="black", size=f"{width}x{height}", duration=1, rate=1)
             .format(pix_fmts="rgb24")
             .ass(filename=str(ass_file), fontsdir=str(fonts), shaping="complex"))
    node = video.output(filename=str(output), extra_options={"frames:v": 1, "update": 1}).global_args(y=True)
    return node.compile()[1:]
