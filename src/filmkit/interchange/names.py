"""Editing systems' names for transitions and generators, in filmkit's terms."""

from __future__ import annotations

import re
from typing import Any

# SMPTE wipe codes (CMX 3600 `W001` ...) and the xfade whose edge moves the same way.
SMPTE_WIPES = {1: "wiperight", 2: "wipedown", 3: "wipebr", 4: "wipebl", 5: "wipetl", 6: "wipetr"}
# words in an editing system's transition name -> filmkit transition
NAMED = (
    ("dip to black", "dip"), ("fade to black", "dip"), ("dip to color", "dip"), ("dip", "dip"),
    ("cross dissolve", "crossfade"), ("dissolve", "crossfade"), ("cross fade", "crossfade"),
    ("crossfade", "crossfade"), ("constant power", "crossfade"), ("constant gain", "crossfade"),
    ("wipe", "wiperight"), ("push", "slideleft"), ("slide", "slideleft"), ("iris", "circleopen"),
    ("circle", "circleopen"),
)
BLACK_CLIPS = ("black video", "black", "transparent video")  # Premiere's generators, named so in its EDLs
OTHER_GENERATOR_CLIPS = ("color matte", "colour matte", "bars and tone", "hd bars and tone", "universal counting leader")
COLOR_NAMES = {"black": "#000000", "white": "#FFFFFF", "red": "#FF0000", "green": "#00FF00", "blue": "#0000FF",
               "yellow": "#FFFF00", "cyan": "#00FFFF", "magenta": "#FF00FF", "gray": "#808080", "grey": "#808080"}


def transition_type(otio: Any, transition: Any) -> tuple[str, str | None]:
    """A filmkit transition for an OTIO one, and a note when it is only the nearest."""
    own = transition.metadata.get("filmkit", {}).get("type") if transition.metadata else None
    if own:
        return str(own), None
    cmx = (transition.metadata.get("cmx_3600") or {}).get("transition", "") if transition.metadata else ""
    if m := re.fullmatch(r"W(\d{3})", str(cmx)):
        code = int(m.group(1))
        if code in SMPTE_WIPES:
            return SMPTE_WIPES[code], None
        return "wiperight", f"SMPTE wipe {cmx} has no xfade of the same pattern; it becomes wiperight"
    if transition.transition_type == otio.schema.TransitionTypes.SMPTE_Dissolve:
        return "crossfade", None
    name = f"{transition.name or ''} {transition.transition_type or ''}".lower().replace("_", " ")
    for words, kind in NAMED:
        if words in name:
            return kind, None
    return "crossfade", f"transition {transition.name or transition.transition_type!r} is not one filmkit knows; it becomes a crossfade"


def generator_color(reference: Any, clip_name: str | None) -> tuple[str, str | None]:
    """The colour of a generator clip as a slate, and a note when the generator is not a plain colour."""
    kind = (reference.generator_kind or "").lower()
    parameters = dict(reference.parameters or {})
    if isinstance(parameters.get("color"), str):
        return parameters["color"], None
    fill = _fcp_fill(reference.metadata)
    if fill is not None:
        return fill, None
    name = (clip_name or "").lower()
    if kind in ("black", "solidcolor") or "black" in name or "transparent" in name:
        return "#000000", None
    for word, value in COLOR_NAMES.items():
        if word in name and kind in ("color", "matte", "colormatte"):
            return value, None
    return "#000000", f"generator {clip_name or kind!r} ({reference.generator_kind}) becomes a black slate"


def _fcp_fill(metadata: Any) -> str | None:
    """Premiere's colour matte keeps its colour in the FCP XML effect parameters."""
    try:
        value = metadata["fcp_xml"]["parameter"]["value"]
        return "#{:02X}{:02X}{:02X}".format(int(value["red"]), int(value["green"]), int(value["blue"]))
    except (KeyError, TypeError, ValueError):
        return None
