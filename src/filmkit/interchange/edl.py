"""What the CMX 3600 reader needs around it: the text decoded, the rate inferred, line numbers.

OTIO's cmx_3600 adapter parses the events; this module only scans the event lines to give
each one its line number, to infer the rate an EDL never states, to refuse what the adapter
would misread or crash on, with a message naming the line, and to correct its dissolves
(see `fix_dissolves`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from filmkit.errors import InterchangeError
from filmkit.interchange.model import Caveat
from filmkit.timecode import TimecodeError, format_rate, nominal_fps, parse_time

_EVENT = re.compile(r"^\s*(\d+)\s+(\S+)\s+(\S+)\s+(C|D|W\d{3}|K[BO]?)\s+(?:(\d+)\s+)?"
                    r"(\d\d:\d\d:\d\d[:;.]\d\d)\s+(\d\d:\d\d:\d\d[:;.]\d\d)\s+"
                    r"(\d\d:\d\d:\d\d[:;.]\d\d)\s+(\d\d:\d\d:\d\d[:;.]\d\d)\s*$")
_TIMECODE = re.compile(r"\b\d\d:\d\d:\d\d([:;.])(\d\d)\b")
_COMMENT = re.compile(r"^\*?\s*(FROM CLIP NAME|TO CLIP NAME|FROM CLIP|TO CLIP|FROM FILE|TO FILE)\s*:\s*(.*?)\s*$")
STANDARD_NOMINAL = (24, 25, 30, 50, 60)


@dataclass
class EdlEvent:
    """One event line of the EDL and the comment lines under it."""

    number: int
    line: int
    reel: str
    channel: str
    edit: str  # C, D, W001 ...
    duration: int | None  # transition frames
    src_in: str
    src_out: str
    rec_in: str
    rec_out: str
    comments: dict[str, str] = field(default_factory=dict)  # FROM CLIP NAME -> value ...
    motion: str | None = None  # the M2 line

    @property
    def names(self) -> list[str]:
        """What the event may be linked by: its clip path and name, its reel."""
        found = [self.comments.get(key) for key in ("FROM CLIP", "FROM FILE", "FROM CLIP NAME", "TO CLIP NAME")]
        return [name for name in (*found, self.reel) if name]

    @property
    def is_video(self) -> bool:
        return self.channel.upper().startswith(("V", "B")) or "/V" in self.channel.upper()


def looks_like_edl(text: str) -> bool:
    """The start of a file that is an EDL whatever its extension (Premiere saves .txt too)."""
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    return first.startswith(("TITLE:", "FCM:")) or bool(_EVENT.match(first))


def decode(path: Path, raw: bytes) -> tuple[str, Caveat | None]:
    """EDLs are ASCII by the standard and in any legacy encoding in practice (clip names)."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    encoding = best.encoding if best is not None else "cp1252"
    return raw.decode(encoding, errors="replace"), Caveat(
        "encoding", f"{path.name} is not UTF-8; its clip names were read as {encoding}. Check them in the project "
        "(`name:` keys) and link media by reel if a name came out wrong")


def scan(text: str) -> list[EdlEvent]:
    """Event lines with their line numbers and the comments that name their clips."""
    events: list[EdlEvent] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if m := _EVENT.match(line):
            events.append(EdlEvent(int(m.group(1)), number, m.group(2), m.group(3), m.group(4),
                                   int(m.group(5)) if m.group(5) else None, *m.group(6, 7, 8, 9)))
        elif events and line.upper().startswith("M2 "):
            events[-1].motion = line
        elif events and (c := _COMMENT.match(line.upper())):
            value = line[len(line) - len(c.group(2)):] if c.group(2) else ""
            events[-1].comments.setdefault(c.group(1), _strip_comment(raw, value))
    return events


def _strip_comment(raw: str, value: str) -> str:
    """The comment's value as written (the match ran on the upper-cased line)."""
    start = raw.upper().rfind(value.upper()) if value else -1
    return raw[start : start + len(value)].strip() if start >= 0 else value.strip()


def infer_rate(path: Path, text: str, fps: Fraction | None,
               media_rate: Fraction | None = None) -> tuple[Fraction, bool, Caveat | None]:
    """The rate to read the timecodes at, whether they are drop-frame, and a caveat if guessed.

    An EDL never states its rate: the highest frame number rules rates out (frame 24 cannot
    exist at 24 fps), `FCM: DROP FRAME` or a `;` means 29.97, and among the rates left the
    media's own decides (`media_rate`). The exact rate (24 or 23.976) is settled later by the
    media the events link to.
    """
    upper = text.upper()
    drop = "FCM: DROP FRAME" in upper or any(m.group(1) == ";" for m in _TIMECODE.finditer(text))
    if fps is not None:
        if drop and fps.denominator != 1001:
            raise InterchangeError(
                f"{path}: the EDL is drop-frame (FCM: DROP FRAME or `;` in its timecodes) but --fps "
                f"{format_rate(fps)} has no drop-frame timecode; use --fps 30000/1001 (or 60000/1001)")
        return fps, drop, None
    highest = max((int(m.group(2)) for m in _TIMECODE.finditer(text)), default=0)
    if drop:
        return (Fraction(60000, 1001) if highest >= 30 else Fraction(30000, 1001)), True, None
    candidates = [rate for rate in STANDARD_NOMINAL if rate > highest]
    if not candidates:
        raise InterchangeError(f"{path}: a timecode has frame {highest}, which no frame rate up to 60 fps has; "
                               "check the EDL, or give its rate with --fps")
    if media_rate is not None and nominal_fps(media_rate) in candidates:
        return Fraction(nominal_fps(media_rate)), False, None
    rate = Fraction(candidates[0])
    caveat = Caveat("fps-guessed", (
        f"{path.name} does not state its frame rate (no EDL does); its frame numbers go up to {highest:02d}, so it "
        f"was read at {format_rate(rate)} fps (exactly 23.976/29.97 when its media are). If the cut was made at "
        f"another rate ({', '.join(str(r) for r in candidates[1:])} fit too), import it again with --fps RATE"))
    return rate, False, caveat


def check_events(path: Path, events: list[EdlEvent], rate: Fraction) -> None:
    """Refuse what the adapter would misread or crash on, naming the line."""
    if not events:
        raise InterchangeError(f"{path}: no event lines found (NNN REEL V C SRC-IN SRC-OUT REC-IN REC-OUT); "
                               "is this a CMX 3600 EDL? Export the sequence again as a CMX 3600 EDL")
    if not any(event.is_video for event in events):
        channels = ", ".join(sorted({event.channel for event in events}))
        raise InterchangeError(
            f"{path}: an audio-only EDL ({len(events)} event{'s' if len(events) > 1 else ''} on {channels}, none on V): there are no pictures to "
            "cut. Export the picture track (V) of the sequence as the EDL; sound comes with each event's media")
    previous: EdlEvent | None = None
    end = None
    for event in events:
        if event.is_video:
            if end is not None and frames(event.rec_in, rate) < frames(end.rec_out, rate):
                raise InterchangeError(
                    f"{path}:{event.line}: event {event.number:03d} starts at {event.rec_in}, inside event "
                    f"{end.number:03d} (line {end.line}), which runs to {end.rec_out}; events on the video track "
                    "follow each other. Was a second video layer exported into the same list? Export V1 alone")
            end = event
        repeated = previous is not None and previous.number == event.number
        if repeated and event.edit == "C":
            raise InterchangeError(
                f"{path}:{event.line}: event {event.number:03d} appears twice as a cut (lines {previous.line} "
                f"and {event.line}); only a transition line (D, W001 ...) may repeat the number of the event it "
                "starts from (CMX 3600). Renumber the events, or export the EDL again")
        if event.edit != "C" and not repeated:
            raise InterchangeError(
                f"{path}:{event.line}: event {event.number:03d} is a transition ({event.edit}) without the line it "
                "starts from; a transition repeats the number of the zero-length event before it (CMX 3600). "
                "Export the EDL again from the editing system")
        for value in (event.src_in, event.src_out, event.rec_in, event.rec_out):
            try:
                frames(value, rate)
            except TimecodeError as exc:
                raise InterchangeError(f"{path}:{event.line}: event {event.number:03d}: {exc}; if the cut was made "
                                       "at another rate, give it with --fps") from None
        previous = event


def line_of(events: list[EdlEvent], rec_in: int, rate: Fraction) -> EdlEvent | None:
    """The video event line that starts at record frame `rec_in` (the last one: a dissolve's)."""
    found = None
    for event in events:
        if event.is_video and frames(event.rec_in, rate) == rec_in:
            found = event
    return found


def from_line(events: list[EdlEvent], dissolve: EdlEvent) -> EdlEvent | None:
    """The zero-length line a dissolve starts from (same event number, just before it)."""
    index = events.index(dissolve)
    if index > 0 and events[index - 1].number == dissolve.number:
        return events[index - 1]
    return None


def frames(timecode: str, rate: Fraction) -> int:
    """A timecode of an event line as a frame count at the EDL's rate."""
    return parse_time(timecode.replace(".", ":"), rate)


def as_drop_frame(text: str) -> str:
    """`FCM: DROP FRAME` with `:` timecodes (as Avid writes them) made explicit with `;`, so the
    reader and this module count the frames alike."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if _EVENT.match(line.strip()):
            lines[index] = re.sub(r"\b(\d\d:\d\d:\d\d):(\d\d)\b", r"\1;\2", line)
    return "\n".join(lines) + "\n"


def drop_unreadable_audio(path: Path, text: str, events: list[EdlEvent], rate: Fraction) -> tuple[str, list[Caveat]]:
    """Audio events whose source and record lengths differ without an M2 line (Premiere writes
    its audio fades so) would stop the reader: they are left out, each said."""
    lines = text.splitlines()
    starts = [event.line for event in events] + [len(lines) + 1]
    drop: set[int] = set()
    caveats = []
    for index, event in enumerate(events):
        length = frames(event.src_out, rate) - frames(event.src_in, rate)
        record = frames(event.rec_out, rate) - frames(event.rec_in, rate)
        if event.is_video or event.motion or length == record:
            continue
        group = [i for i, other in enumerate(events) if other.number == event.number and not other.is_video]
        for member in group:
            drop.update(range(starts[member], starts[member + 1]))
        caveats.append(Caveat("audio-event", (
            f"{path}:{event.line}: audio event {event.number:03d} ({event.channel}) lasts {length} frames in its "
            f"source but {record} in the record, with no M2 line; it is left out of the music beds")))
    kept = [line for number, line in enumerate(lines, start=1) if number not in drop]
    return "\n".join(kept) + "\n", caveats


def lead_in_from_black(text: str, events: list[EdlEvent]) -> tuple[str, int]:
    """A cut that opens with a dissolve from black (`001 BL V C` + `001 ... D 025`), which the
    reader refuses, as a plain first event; returns the dissolve's frames to put back."""
    video = [event for event in events if event.is_video]
    if len(video) < 2 or video[0].number != video[1].number or video[1].edit == "C" \
            or video[0].reel.upper() not in ("BL", "BLACK"):
        return text, 0
    start, dissolve = video[0], video[1]
    lines = text.splitlines()
    lines[start.line - 1] = ""
    lines[dissolve.line - 1] = (f"{dissolve.number:03d}  {dissolve.reel} {dissolve.channel} C        "
                                f"{dissolve.src_in} {dissolve.src_out} {dissolve.rec_in} {dissolve.rec_out}")
    return "\n".join(lines) + "\n", dissolve.duration or 0
