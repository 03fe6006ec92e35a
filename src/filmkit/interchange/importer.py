"""`filmkit import`: a cut file in, a checked schema-1 project out, and what could not be kept.

Pure of printing: the CLI shows the caveats. The project is validated (loaded and resolved
to a timeline exactly as `check` and `render` do) before it replaces anything.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from filmkit.atomic import write_atomic
from filmkit.errors import FilmkitError, InterchangeError
from filmkit.interchange.convert import to_cut
from filmkit.interchange.files import check_target
from filmkit.interchange.link import Found, Linker, MediaIndex, media_rate, project_rate
from filmkit.interchange.model import At, Caveat, Cut, CutBed, CutEvent
from filmkit.interchange.read import open_cut
from filmkit.interchange.tracks import check_rate
from filmkit.interchange.yaml_out import BedOut, EventOut, render_yaml
from filmkit.timecode import format_rate, format_timecode

DEFAULT_SIZE = (1920, 1080)


@dataclass(frozen=True)
class ImportOptions:
    media: tuple[Path, ...] = ()
    fps: Fraction | None = None
    size: tuple[int, int] | None = None
    strict: bool = False
    sequence: str | None = None


@dataclass(frozen=True)
class Imported:
    output: Path
    cut: Cut
    fps: Fraction
    events: int
    beds: int
    caveats: tuple[Caveat, ...] = field(default_factory=tuple)


def import_cut(path: Path, output: Path | None, options: ImportOptions) -> Imported:
    """Read, link, write `output` (default: beside the cut, named after it) and return what was done."""
    path = Path(path)
    target = output if output is not None else path.with_suffix(".yaml")
    check_target(target, explicit=output is not None, inputs=[path])
    index = MediaIndex([Path(folder) for folder in options.media], [path.parent])
    opened = open_cut(path, options.fps, lambda names: media_rate(index, names))
    cut = to_cut(opened, options.sequence)
    linker = Linker(cut, index)
    linked = {id(event): linker.link(event.ref, event.origin) for event in cut.events if event.ref is not None}
    bed_paths = [linker.link(bed.ref, bed.origin) for bed in cut.beds]
    linker.raise_problems()
    fps = project_rate(cut, list(linker.infos.values()), options.fps)
    events = [_event_out(cut, event, linked.get(id(event)), linker, fps) for event in cut.events]
    beds = [_bed_out(cut, bed, path_, linker, fps) for bed, path_ in zip(cut.beds, bed_paths)]
    linker.raise_problems()
    caveats = [*cut.caveats, *check_rate(cut.rate, options.fps, cut.rate_stated), *linker.caveats]
    if options.strict and caveats:
        raise InterchangeError(
            f"{path}: --strict refuses the cut, because {len(caveats)} thing(s) in it cannot be imported as they are:\n  "
            + "\n  ".join(str(caveat) for caveat in caveats)
            + "\nFix them in the editing system and export again, or import without --strict to accept these changes")
    media, named = _media_keys(cut, events)
    size = options.size or cut.size or _size_of(linker) or DEFAULT_SIZE
    header = [f"Imported by `filmkit import` from {path.name} ({cut.kind}, {format_rate(cut.rate)} fps).",
              f"The cut's record timecode starts at {format_timecode(cut.start, cut.rate, cut.drop_frame)}; "
              f"`filmkit timeline` writes it back from there with --start {format_timecode(cut.start, cut.rate, cut.drop_frame)}."]
    header += [f"Not kept as it is: {caveat}" for caveat in caveats[:20]]
    text = render_yaml(cut, fps, size, media, named, [b for b in beds if b is not None], target.parent.resolve(), header)
    write_atomic(target, text.encode("utf-8"), validate=_validate)
    return Imported(target, cut, fps, len(events), len(beds), tuple(caveats))


def _event_out(cut: Cut, event: CutEvent, path: Path | None, linker: Linker, fps: Fraction) -> EventOut:
    frames, exact = _at_fps(event.frames, cut.rate, fps)
    join, _ = _at_fps(event.transition_frames, cut.rate, fps)
    comment = _comment(cut, event)
    common = dict(frames=frames, comment=comment, transition=event.transition, transition_frames=join,
                  name=event.name, settings=event.settings)
    if event.kind == "color" or path is None or event.ref is None or event.source_in is None:
        return EventOut("color", color=event.color, **common)  # type: ignore[arg-type]
    found: Found | None = linker.place(event.ref, event.source_in, frames, fps, path, event.origin, need_video=True)
    if found is None:
        return EventOut("color", color=event.color, **common)  # type: ignore[arg-type]
    if found.still:
        return EventOut("image", image=found.path, **common)  # type: ignore[arg-type]
    return EventOut("media", media=str(found.path), offset=found.offset, **common)  # type: ignore[arg-type]


def _bed_out(cut: Cut, bed: CutBed, path: Path | None, linker: Linker, fps: Fraction) -> BedOut | None:
    if path is None:
        return None
    frames, _ = _at_fps(bed.frames, cut.rate, fps)
    found = linker.place(bed.ref, bed.source_in, frames, fps, path, bed.origin, need_video=False)
    if found is None:
        return None
    if found.info.audio is None:
        linker.problems.append(f"{bed.origin.where(cut.path)}: {path.name} has no sound; a music bed needs an audio file")
        return None
    start, _ = _at_fps(bed.record_start, cut.rate, fps)
    fade_in, _ = _at_fps(bed.fade_in, cut.rate, fps)
    fade_out, _ = _at_fps(bed.fade_out, cut.rate, fps)
    return BedOut(path, start, found.offset, frames, fade_in, fade_out, bed.origin.label, bed.settings)


def _at_fps(frames: int, rate: Fraction, fps: Fraction) -> tuple[int, bool]:
    return At(frames, rate).to(fps)


def _comment(cut: Cut, event: CutEvent) -> str:
    parts = [event.origin.label]
    if event.ref is not None:
        if event.ref.reel:
            parts.append(f"reel {event.ref.reel}")
        if event.source_in is not None:
            parts.append(f"source {format_timecode(event.source_in.frames, event.source_in.rate, cut.drop_frame)}")
    if event.origin.line:
        parts.append(f"{cut.path.name}:{event.origin.line}")
    return ", ".join(parts)


def _media_keys(cut: Cut, events: list[EventOut]) -> tuple[dict[str, Path], list[EventOut]]:
    """A name per file: the name a filmkit-written cut carries, else the reel, else the file's stem."""
    hints: dict[Path, str | None] = {}
    for index, event in enumerate(events):
        if event.media:
            hints.setdefault(Path(event.media), _hint(cut, index))
    shared = [hint for hint, count in Counter(hints.values()).items() if count > 1]
    hints = {path: (None if hint in shared else hint) for path, hint in hints.items()}  # a tape reel of many files
    keys: dict[Path, str] = {}
    for path, hint in hints.items():
        base = hint or path.stem
        key, number = base, 2
        while key in keys.values():
            key, number = f"{base}_{number}", number + 1
        keys[path] = key
    named = [replace(event, media=keys[Path(event.media)]) if event.media else event for event in events]
    return {key: path for path, key in keys.items()}, named


def _hint(cut: Cut, index: int) -> str | None:
    ref = cut.events[index].ref
    if ref is None:
        return None
    if ref.key:
        return ref.key
    return ref.reel if ref.reel and ref.reel.upper() not in ("AX", "BL", "BLACK") else None


def _size_of(linker: Linker) -> tuple[int, int] | None:
    for info in linker.infos.values():
        if info.video is not None and not info.is_image:
            width, height = info.video.display_size
            return width - width % 2, height - height % 2
    return None


def _validate(path: Path) -> None:
    """The written project must load and resolve as `check` and `render` read it."""
    from filmkit.project import build_timeline, load_project

    try:
        build_timeline(load_project(path))
    except FilmkitError as exc:
        raise InterchangeError(f"the imported project does not hold together, so nothing was written:\n{exc.message}\n"
                               "This is the cut's arithmetic (a transition longer than its neighbours?); fix the "
                               "cut in the editing system and export again") from None
