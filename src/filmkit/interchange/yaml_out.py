"""The imported cut as a schema-1 edit file, each event commented with where it came from.

Times are written as timecodes at the project rate (frames, so nothing is rounded); `in` and
`out` are positions in the linked file, so the comment keeps the cut's own source and record
timecodes for the editor to find each event.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from filmkit.interchange.model import Cut
from filmkit.timecode import format_rate, format_timecode


@dataclass(frozen=True)
class EventOut:
    """One event as it will be written."""

    kind: str  # media, color, image
    frames: int
    comment: str
    media: str | None = None  # a key of `media:`
    image: Path | None = None
    offset: int = 0
    color: str | None = None
    transition: str | None = None
    transition_frames: int = 0
    name: str | None = None
    settings: dict[str, object] | None = None


@dataclass(frozen=True)
class BedOut:
    path: Path
    start: int
    offset: int
    frames: int
    fade_in: int
    fade_out: int
    comment: str
    settings: dict[str, object] | None = None


def render_yaml(cut: Cut, fps: Fraction, size: tuple[int, int], media: dict[str, Path], events: list[EventOut],
                beds: list[BedOut], folder: Path, header: list[str]) -> str:
    """The project file's text; paths relative to `folder`, where it will be written."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

    def tc(frames: int) -> Quoted:
        return Quoted(format_timecode(frames, fps))

    def flow(**items: Any) -> CommentedMap:
        mapping = CommentedMap(items)
        mapping.fa.set_flow_style()
        return mapping

    restored = cut.project
    doc = CommentedMap()
    doc["filmkit"] = 1
    doc["title"] = str(restored.get("title") or cut.title or cut.path.stem)
    fmt = flow(size=f"{size[0]}x{size[1]}", fps=Quoted(format_rate(fps)) if fps.denominator != 1 else fps.numerator)
    if isinstance(restored.get("audio"), dict):
        fmt["audio"] = flow(**restored["audio"])
    doc["format"] = fmt
    doc["media"] = CommentedMap((key, _relative(path, folder)) for key, path in media.items())
    cut_list = CommentedSeq()
    for index, event in enumerate(events):
        item = CommentedMap()
        if event.kind == "media":
            item["media"] = event.media
            item["in"] = tc(event.offset)
            item["out"] = tc(event.offset + event.frames)
        else:
            if event.kind == "image":
                item["image"] = _relative(event.image, folder) if event.image else ""
            else:
                item["color"] = Quoted(event.color or "#000000")
            item["duration"] = tc(event.frames)
        if event.name:
            item["name"] = event.name
        if event.transition and event.transition != "cut":
            item["transition"] = flow(type=event.transition, duration=tc(event.transition_frames))
        for key, value in (event.settings or {}).items():
            item[key] = value
        cut_list.append(item)
        item.yaml_add_eol_comment(event.comment, next(iter(item)))
    doc["cut"] = cut_list
    if beds:
        music = CommentedSeq()
        for bed in beds:
            entry = CommentedMap(file=_relative(bed.path, folder), start=tc(bed.start), **{"in": tc(bed.offset)})
            entry["duration"] = tc(bed.frames)
            if bed.fade_in:
                entry["fade_in"] = float(Fraction(bed.fade_in) / fps)
            if bed.fade_out:
                entry["fade_out"] = float(Fraction(bed.fade_out) / fps)
            for key, value in (bed.settings or {}).items():
                entry[key] = value
            music.append(entry)
            entry.yaml_add_eol_comment(bed.comment, "file")
        doc["music"] = music
    for section in ("subtitles", "card", "exports"):
        if isinstance(restored.get(section), dict):
            doc[section] = _rebased(section, restored[section], restored.get("folder"), folder)
    doc.yaml_set_start_comment("\n".join(header))
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _rebased(section: str, data: dict[str, Any], origin: object, folder: Path) -> dict[str, Any]:
    """A card's logo and background, subtitle files and folder, relative to the new project file."""
    if not isinstance(origin, str) or Path(origin) == folder:
        return data
    data = dict(data)

    def move(value: object) -> object:
        return _relative(Path(origin) / value, folder) if isinstance(value, str) and value else value

    if section == "card":
        data["logo"] = move(data.get("logo")) if data.get("logo") else data.get("logo")
        background = str(data.get("background", ""))
        if background and not background.startswith("#") and background != "blur" and "." in background:
            data["background"] = move(background)
    if section == "subtitles":
        if data.get("dir"):
            data["dir"] = move(data["dir"])
        data["files"] = {lang: move(file) for lang, file in (data.get("files") or {}).items()}
    return {key: value for key, value in data.items() if value is not None}


def _relative(path: Path, folder: Path) -> str:
    """A path as the project file should name it: relative to its folder when on the same drive."""
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:  # another drive (Windows)
        return str(path)
