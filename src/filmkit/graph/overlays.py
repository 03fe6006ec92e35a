"""PURE: the overlay track laid over the film: drawn stills and picture-in-picture clips.

Each layer is a stream of exactly its own frames (a PNG held, or a clip conformed to the
project's rate and scaled to its box), faded in and out through its alpha, then shifted to the
record frame where it starts and laid over the film with `overlay` (which passes the film
through before the layer's first frame and after its last). Where the layers go and what the
stills show is decided by the render layer (render.overlays); nothing is placed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import typed_ffmpeg as ff

from filmkit.graph.cut import frame_tb, source_frames
from filmkit.media.probe import MediaInfo
from filmkit.project.timeline import Timeline
from filmkit.timecode import format_rate, frames_to_seconds, seconds_arg


@dataclass(frozen=True)
class PipClip:
    """A picture-in-picture clip: a media file from its frame `src_in`, scaled to width x height."""

    source: Path
    src_in: int  # frames at the project rate
    width: int
    height: int


@dataclass(frozen=True)
class Layer:
    """One overlay as the film shows it: a drawn still or a clip, its top-left corner and its frames."""

    x: int
    y: int
    start: int  # record frame of the film where it appears
    frames: int
    fade_in: int = 0  # frames
    fade_out: int = 0
    opacity: float = 1.0
    over_card: bool = False  # laid over the closing card too (else only over the cut)
    png: Path | None = None  # a transparent PNG the size of the layer's box
    clip: PipClip | None = None

    @property
    def end(self) -> int:
        return self.start + self.frames


def lay_layers(timeline: Timeline, media: Mapping[Path, MediaInfo], video: ff.VideoStream, layers: Sequence[Layer],
               first: int, length: int) -> ff.VideoStream:
    """`layers` over `video`, a stream whose frame 0 is the film's record frame `first` and which
    lasts `length` frames (a segment of a long film starts later than 0 and shows part of a layer:
    only that part is read)."""
    for layer in layers:
        shown_from, shown_to = max(layer.start, first) - layer.start, min(layer.end, first + length) - layer.start
        if shown_from >= shown_to:
            continue
        stream = _layer_part(timeline, media, layer, shown_from, shown_to - shown_from)
        stream = stream.setpts(expr=f"PTS-STARTPTS+{layer.start + shown_from - first}")
        video = video.overlay(stream, x=layer.x, y=layer.y, eof_action="pass")
    return video


def _layer_part(timeline: Timeline, media: Mapping[Path, MediaInfo], layer: Layer, skip: int,
                frames: int) -> ff.VideoStream:
    """Frames `skip` to `skip + frames` of the layer, with alpha, faded where the layer fades, one
    tick per frame (their time counted from the layer's start, which the fades are set on)."""
    if layer.clip is not None:
        clip = layer.clip
        stream = (source_frames(timeline, clip.source, media[clip.source], clip.src_in + skip, frames)
                  .scale(w=clip.width, h=clip.height, flags="bicubic").setsar(sar="1"))
    else:
        assert layer.png is not None, "a layer is a drawn still or a clip"
        # Decoded once and held, as the card is (not looped by the demuxer, which decodes it per frame).
        drawn = ff.input(layer.png, extra_options={"framerate": format_rate(timeline.fps)})
        stream = drawn.video.tpad(stop=frames - 1, stop_mode="clone").trim(end_frame=frames)
    stream = stream.format(pix_fmts="rgba")
    if layer.opacity < 1:
        stream = stream.colorchannelmixer(aa=f"{layer.opacity:g}")
    stream = stream.settb(expr=frame_tb(timeline))
    if skip:
        stream = stream.setpts(expr=f"PTS-STARTPTS+{skip}")
    if layer.fade_in and skip < layer.fade_in:
        stream = stream.fade(type="in", start_time=0, duration=_seconds(layer.fade_in, timeline), alpha=True)
    if layer.fade_out and skip + frames > layer.frames - layer.fade_out:
        stream = stream.fade(type="out", start_time=_seconds(layer.frames - layer.fade_out, timeline),
                             duration=_seconds(layer.fade_out, timeline), alpha=True)
    return stream


def _seconds(frames: int, timeline: Timeline) -> str:
    return seconds_arg(frames_to_seconds(frames, timeline.fps))
