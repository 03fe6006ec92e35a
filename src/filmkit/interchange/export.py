"""`filmkit timeline`: the project's cut back to an editing system.

OTIO keeps everything. An EDL, FCP 7 XML and FCPXML each hold less (and their OTIO writers
less still); the full timeline is reduced for each, and every reduction is a caveat that
says what was lost.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filmkit.atomic import write_atomic
from filmkit.errors import InterchangeError, MediaError
from filmkit.interchange import otio_out
from filmkit.interchange.fcpx_fix import probed_fcpx_formats
from filmkit.interchange.files import check_target
from filmkit.interchange.model import Caveat
from filmkit.interchange.read import otio_module
from filmkit.media.probe import MediaInfo, probe
from filmkit.project import LoadedProject, Timeline, build_timeline, load_project
from filmkit.timecode import TimecodeError, parse_time

WRITERS = {".otio": ("otio_json", "OTIO"), ".edl": ("cmx_3600", "CMX 3600 EDL"),
           ".xml": ("fcp_xml", "FCP 7 XML"), ".fcpxml": ("fcpx_xml", "FCPXML")}
BLACK = ("#000000", "#000", "black")


@dataclass(frozen=True)
class Exported:
    output: Path
    kind: str
    events: int
    beds: int
    caveats: tuple[Caveat, ...]


def export_timeline(project_file: Path, output: Path, start: str | None = None) -> Exported:
    """Write the cut of `project_file` to `output` in the format its extension names."""
    if output.suffix.lower() not in WRITERS:
        raise InterchangeError(f"{output}: filmkit writes {', '.join(WRITERS)}; the extension {output.suffix or '(none)'!r} "
                               "is none of them. Name the output cut.otio, cut.edl, cut.xml (FCP 7) or cut.fcpxml")
    adapter, kind = WRITERS[output.suffix.lower()]
    loaded = load_project(project_file)
    timeline = build_timeline(loaded)
    sources = {clip.source for clip in timeline.clips if clip.source} | {bed.source for bed in timeline.music}
    check_target(output, explicit=True, inputs=[project_file, *sources])
    otio = otio_module()
    caveats: list[Caveat] = []
    clock = otio_out.Clock.of(timeline.fps, _probe_all(sources, caveats))
    first = _start(start, timeline.fps)
    full = otio_out.build(otio, loaded, timeline, clock, first)
    reduced = _reduce(otio, full, adapter, kind, loaded, timeline, caveats)
    try:
        options = {"rate": float(timeline.fps)} if adapter == "cmx_3600" else {}
        with probed_fcpx_formats() if adapter == "fcpx_xml" else contextlib.nullcontext():
            text = otio.adapters.write_to_string(reduced, adapter_name=adapter, **options)
    except Exception as exc:  # noqa: BLE001 - writers raise anything; the cause is kept in the message
        raise InterchangeError(f"{output}: the {kind} writer failed: {type(exc).__name__}: {exc}. "
                               "Write cut.otio instead, which holds the whole cut") from exc
    write_atomic(output, text.encode("utf-8"))
    return Exported(output, kind, len(timeline.clips), len(timeline.music), tuple(caveats))


def _start(start: str | None, fps: Any) -> int:
    try:
        return parse_time(start or "01:00:00:00", fps)
    except TimecodeError as exc:
        raise InterchangeError(f"--start {start!r}: {exc}") from None


def _probe_all(sources: set[Path], caveats: list[Caveat]) -> dict[Path, MediaInfo]:
    """Each file's start timecode and length; a missing file is said, and counted from 00:00:00:00."""
    infos = {}
    for path in sorted(sources):
        try:
            infos[path] = probe(path)
        except MediaError as exc:
            caveats.append(Caveat("media", f"{exc} Its source timecodes are counted from 00:00:00:00"))
    return infos


def _reduce(otio: Any, full: Any, adapter: str, kind: str, loaded: LoadedProject, timeline: Timeline,
            caveats: list[Caveat]) -> Any:
    if adapter == "otio_json":
        return full
    reduced = full.deepcopy()
    video = reduced.tracks[0]
    for index, item in enumerate(list(video)):
        if isinstance(item, otio.schema.Transition) and item.name not in ("crossfade",):
            caveats.append(Caveat("transition", f"{kind} keeps dissolves only: the {item.name} at "
                                                f"{_where(otio, video, index)} is written as a dissolve"))
            item.transition_type = otio.schema.TransitionTypes.SMPTE_Dissolve
        if isinstance(item, otio.schema.Clip) and isinstance(item.media_reference, otio.schema.GeneratorReference):
            _slate(otio, video, index, item, adapter, kind, caveats)
    if adapter == "fcp_xml":
        _no_transitions_at_gaps(otio, video, caveats)
    if adapter == "fcpx_xml" and any(isinstance(item, otio.schema.Transition) for item in video):
        count = sum(isinstance(item, otio.schema.Transition) for item in video)
        caveats.append(Caveat("transition", f"the FCPXML writer cannot write transitions: {count} become straight cuts "
                                            "at the start of each overlap (the cut keeps its length); write cut.xml or "
                                            "cut.otio to keep them"))
        for item in [item for item in video if isinstance(item, otio.schema.Transition)]:
            video.remove(item)
    if adapter == "cmx_3600":
        _edl_only(otio, reduced, timeline, caveats)
    if adapter == "fcpx_xml" and timeline.fps.denominator == 1001:
        _relabel(otio, reduced, round(float(timeline.fps), 2))
    settings = [name for name, present in _filmkit_only(loaded).items() if present]
    if settings:
        caveats.append(Caveat("filmkit-settings", f"{kind} has no place for {', '.join(settings)}; write cut.otio to "
                                                  "keep them (under metadata['filmkit'])"))
    return reduced


def _slate(otio: Any, video: Any, index: int, item: Any, adapter: str, kind: str, caveats: list[Caveat]) -> None:
    """Colour slates: black (BL) in an EDL; gaps in XML, whose writers cannot write generators."""
    color = str(item.media_reference.parameters.get("color", "#000000"))
    if color.lower() not in BLACK:
        caveats.append(Caveat("color", f"{kind} has no colour slates: the {color} slate at {_where(otio, video, index)} "
                                       "becomes black"))
    if adapter == "cmx_3600":
        item.metadata["cmx_3600"] = {"reel": "BL"}
        item.media_reference = otio.schema.GeneratorReference(generator_kind="black")
    else:
        video[index] = otio.schema.Gap(source_range=item.source_range)


def _no_transitions_at_gaps(otio: Any, video: Any, caveats: list[Caveat]) -> None:
    """The FCP 7 XML adapter misplaces a transition beside a gap (the slates' form in XML) by its
    length: such a transition becomes a straight cut at the start of its overlap, so every frame
    keeps its place."""
    items = list(video)
    for index, item in enumerate(items):
        beside = items[index - 1:index] + items[index + 1:index + 2]
        if isinstance(item, otio.schema.Transition) and any(isinstance(other, otio.schema.Gap) for other in beside):
            caveats.append(Caveat("transition", f"FCP 7 XML: the {item.name} at {_where(otio, video, video.index(item))} "
                                                "joins a colour slate (written as a gap), and becomes a straight cut at "
                                                "the start of its overlap; write cut.otio to keep it"))
            video.remove(item)


def _edl_only(otio: Any, reduced: Any, timeline: Timeline, caveats: list[Caveat]) -> None:
    """An EDL holds one video track, its record timecodes from the track's start."""
    audio = [track for track in reduced.tracks if track.kind == otio.schema.TrackKind.Audio]
    if audio:
        caveats.append(Caveat("music", f"an EDL written here holds the picture track only: {len(timeline.music)} music "
                                       "bed(s) are left out; write cut.xml or cut.otio to keep them"))
        for track in audio:
            reduced.tracks.remove(track)
    video = reduced.tracks[0]
    start = reduced.global_start_time
    video.source_range = otio.opentime.TimeRange(-start, video.duration())


def _relabel(otio: Any, timeline: Any, rate: float) -> None:
    """The FCPXML writer knows NTSC rates only as 23.98, 29.97 and 59.94: the same frame counts,
    labelled so (FCPXML's own times are exact multiples of 1001/30000 s again on reading)."""
    def time(value: Any) -> Any:
        return otio.opentime.RationalTime(value.value, rate)

    def span(value: Any) -> Any:
        return otio.opentime.TimeRange(time(value.start_time), time(value.duration)) if value is not None else None

    timeline.global_start_time = time(timeline.global_start_time)
    for item in timeline.find_children():
        if isinstance(item, otio.schema.Transition):
            item.in_offset, item.out_offset = time(item.in_offset), time(item.out_offset)
            continue
        item.source_range = span(item.source_range)
        reference = getattr(item, "media_reference", None)
        if reference is not None and reference.available_range is not None:
            reference.available_range = span(reference.available_range)


def _where(otio: Any, track: Any, index: int) -> str:
    item = track[index]
    if isinstance(item, otio.schema.Transition):
        item = track[index + 1]
    return f"record frame {round(item.range_in_parent().start_time.value)}"


def _filmkit_only(loaded: LoadedProject) -> dict[str, bool]:
    project = loaded.project
    return {
        "event gain": any(event.gain_db for event in project.cut),
        "crop focus": any(event.focus != 0.5 for event in project.cut),
        "music fades and gain": any(bed.fade_in or bed.fade_out or bed.gain_db for bed in project.music),
        "the closing card": project.card is not None,
        "subtitles": project.subtitles is not None,
    }
