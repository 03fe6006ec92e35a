"""Open a cut file with the OTIO adapter for its format; every failure becomes one clear message.

The adapters are an optional extra (`filmkit[otio]`), imported only here and in `write`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from filmkit.errors import InterchangeError
from filmkit.interchange import edl
from filmkit.interchange.fcpx_fix import exact_fcpx_times
from filmkit.interchange.model import Caveat
from filmkit.paths import not_a_file

# extension -> (adapter, what the user calls it)
FORMATS = {
    ".edl": ("cmx_3600", "CMX 3600 EDL"),
    ".xml": ("fcp_xml", "FCP 7 XML"),
    ".fcpxml": ("fcpx_xml", "FCPXML"),
    ".otio": ("otio_json", "OTIO"),
    ".otioz": ("otioz", "OTIO bundle"),
    ".ale": ("ale", "Avid Log Exchange"),
}
INSTALL_HINT = "install the interchange extra: pip install 'filmkit[otio]' (python3 dev.py test installs it)"


@dataclass(frozen=True)
class Opened:
    """What an adapter made of the file, and what the EDL scan knows about its lines."""

    path: Path
    kind: str
    adapter: str
    result: Any  # an otio Timeline or SerializableCollection
    rate: Fraction | None  # an EDL's reading rate
    drop_frame: bool = False
    edl_events: tuple[edl.EdlEvent, ...] = ()
    caveats: tuple[Caveat, ...] = ()
    lead_in: int = 0  # frames of a dissolve from black that opens an EDL (see edl.lead_in_from_black)


def otio_module() -> Any:
    """opentimelineio, or a message saying how to install it."""
    try:
        import opentimelineio
    except ImportError:
        raise InterchangeError(f"reading and writing editing-system cuts needs OpenTimelineIO; {INSTALL_HINT}") from None
    return opentimelineio


def format_of(path: Path, head: bytes) -> str:
    """The adapter for `path`, by extension, else by what the file starts with (an EDL saved as .txt)."""
    if path.suffix.lower() in FORMATS:
        return FORMATS[path.suffix.lower()][0]
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:400].decode("latin-1")
    if edl.looks_like_edl(text):
        return "cmx_3600"
    if "<xmeml" in text:
        return "fcp_xml"
    if "<fcpxml" in text:
        return "fcpx_xml"
    if text.startswith("{") and "OTIO_SCHEMA" in text:
        return "otio_json"
    if text.startswith("Heading"):
        return "ale"
    known = ", ".join(FORMATS)
    raise InterchangeError(
        f"{path}: not a cut filmkit can read: the extension {path.suffix or '(none)'!r} is none of {known} and the "
        "file does not start like an EDL, FCP XML, FCPXML, OTIO or ALE. Export the sequence from the editing "
        "system in one of these formats (see README, \"From your editing system\")")


MAX_CUT_BYTES = 64 * 1024 * 1024
RateHint = Callable[[list[str]], "Fraction | None"]


def open_cut(path: Path, fps: Fraction | None = None, media_rate: RateHint | None = None) -> Opened:
    """Read `path` with its adapter; raise InterchangeError naming the file (and line) on failure.

    `media_rate` tells the frame rate of the media a list of clip and reel names links to: an
    EDL states no rate, and its media's settles what its timecodes leave open."""
    path = Path(path)
    problem = not_a_file(path) if path.exists() or path.is_symlink() else None
    if problem is not None:  # a FIFO would block the read forever, a device never end
        raise InterchangeError(f"{path}: {problem}")
    try:
        if path.stat().st_size > MAX_CUT_BYTES:
            raise InterchangeError(f"{path}: the file is {path.stat().st_size:,} bytes; an exported cut is at most "
                                   f"{MAX_CUT_BYTES:,} (a feature's EDL or XML is a few MB). Is this the right file?")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InterchangeError(f"{path}: file not found; check the path (relative to the current folder)") from None
    except IsADirectoryError:
        raise InterchangeError(f"{path}: is a folder; give the exported cut file inside it (.edl, .xml, .fcpxml, .otio, .ale)") from None
    except OSError as exc:
        raise InterchangeError(f"{path}: cannot be read: {exc.strerror}; check its permissions") from None
    adapter = format_of(path, raw[:4096])
    kind = next(name for key, name in FORMATS.values() if key == adapter)
    otio = otio_module()
    if adapter == "cmx_3600":
        return _open_edl(path, raw, fps, otio, media_rate)
    if not raw.strip():
        raise InterchangeError(f"{path}: the file is empty; export the sequence again as {kind}")
    try:
        with exact_fcpx_times() if adapter == "fcpx_xml" else contextlib.nullcontext():
            result = otio.adapters.read_from_file(str(path), adapter_name=adapter)
    except Exception as exc:  # noqa: BLE001 - adapters raise anything; the cause is kept in the message
        raise InterchangeError(_failure(path, kind, exc)) from exc
    return Opened(path, kind, adapter, result, None)


def _open_edl(path: Path, raw: bytes, fps: Fraction | None, otio: Any, media_rate: RateHint | None) -> Opened:
    text, encoding = edl.decode(path, raw)
    hint = None
    if fps is None and media_rate is not None:
        hint = media_rate([name for event in edl.scan(text) if event.is_video for name in event.names])
    rate, drop, guessed = edl.infer_rate(path, text, fps, hint)
    if drop:
        text = edl.as_drop_frame(text)
    events = edl.scan(text)
    edl.check_events(path, events, rate)
    text, dropped = edl.drop_unreadable_audio(path, text, events, rate)
    text, lead_in = edl.lead_in_from_black(text, events)
    try:
        result = otio.adapters.read_from_string(text, adapter_name="cmx_3600", rate=float(rate))
    except Exception as exc:  # noqa: BLE001 - the adapter raises anything; the cause is kept in the message
        raise InterchangeError(_edl_failure(path, exc, events, rate)) from exc
    caveats = tuple(c for c in (encoding, guessed, *dropped) if c is not None)
    return Opened(path, "CMX 3600 EDL", "cmx_3600", result, rate, drop, tuple(events), caveats, lead_in)


def _failure(path: Path, kind: str, exc: Exception) -> str:
    where = str(path)
    position = getattr(exc, "position", None)  # xml.etree ParseError: (line, column)
    if isinstance(position, tuple) and position:
        where += f":{position[0]}"
    return (f"{where}: cannot be read as {kind}: {type(exc).__name__}: {exc}. Check that the export finished, "
            f"or export the sequence again (see README, \"From your editing system\")")


def _edl_failure(path: Path, exc: Exception, events: list[edl.EdlEvent], rate: Fraction) -> str:
    """The adapter's complaint, placed on the event line it is about when that can be found."""
    text = str(exc)
    for event in events:
        src = edl.frames(event.src_out, rate) - edl.frames(event.src_in, rate)
        rec = edl.frames(event.rec_out, rate) - edl.frames(event.rec_in, rate)
        if "don't match" in text and src != rec and event.motion is None:
            what = ("its source has no length (an audio layback or a sound-turnover list, not a picture cut)"
                    if src == 0 else f"a speed change of {src}/{rec} without the M2 line that would describe it")
            return (f"{path}:{event.line}: event {event.number:03d} (reel {event.reel}) lasts {src} frames in its "
                    f"source ({event.src_in}-{event.src_out}) but {rec} in the record ({event.rec_in}-{event.rec_out}): "
                    f"{what}. filmkit cannot import it; export the EDL again with motion effects (M2 lines) "
                    "included, or remove the speed change in the editing system")
    return (f"{path}: cannot be read as a CMX 3600 EDL: {text}. Check the event lines, or export the EDL again "
            "(see README, \"From your editing system\")")
