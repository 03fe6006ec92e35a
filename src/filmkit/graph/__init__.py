"""PURE: a resolved timeline and probed media in, ffmpeg argv out. Nothing is run.

`cut` assembles the cut (one conformed branch per event, joined); `picture` fits sources into
the output frame (pad, crop, blur); `finish` adds subtitles, the card, music and loudness and
writes one or several versions; `overlays` lays the overlay track over the film, `duck` turns
music beds down under the cut's sound; `measure` holds the loudness and level passes,
`storyboard` the placeholder footage. Built with typed-ffmpeg so nothing is escaped by hand.
"""

from filmkit.graph.cut import IMPRECISE_SEEK, IMPRECISE_SEEK_PREROLL, READ_MARGIN, SEEK_PREROLL, music_length, seek_point
from filmkit.graph.finish import (
    MUXERS,
    Burn,
    CardImage,
    Encoding,
    Normalization,
    RenderSpec,
    Version,
    build_card_still_args,
    build_frames_args,
    build_join_args,
    build_render_args,
    build_segment_args,
    build_sound_args,
    build_still_args,
)
from filmkit.graph.measure import build_file_loudness_args, build_levels_args, build_loudness_args, level_window
from filmkit.graph.overlays import Layer, PipClip
from filmkit.graph.picture import REFRAMES, Picture, Reframe, cover, fit_inside
from filmkit.graph.storyboard import build_chord_args, build_slate_clip_args

__all__ = [
    "IMPRECISE_SEEK", "IMPRECISE_SEEK_PREROLL", "MUXERS", "READ_MARGIN", "REFRAMES", "SEEK_PREROLL",
    "Burn", "CardImage", "Encoding", "Layer", "Normalization", "Picture", "PipClip", "Reframe", "RenderSpec", "Version",
    "build_card_still_args", "build_chord_args", "build_file_loudness_args", "build_levels_args", "level_window", "build_frames_args", "build_join_args", "build_segment_args", "build_sound_args", "build_loudness_args", "build_render_args", "build_slate_clip_args", "build_still_args", "cover", "fit_inside", "music_length", "seek_point",
]
