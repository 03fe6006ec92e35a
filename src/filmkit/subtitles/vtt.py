"""WebVTT parser: header, NOTE/STYLE/REGION blocks skipped, cue ids and settings, markup removed."""

from __future__ import annotations

import re
from pathlib import Path

from filmkit.subtitles.model import Cue, Finding
from filmkit.subtitles.parsing import INDEX, Line, ParseState, blocks, orphan, read_timed, summarize
from filmkit.subtitles.timing import is_timing_line, shown

_SIGNATURE = re.compile(r"^WEBVTT(?:[ \t].*)?$")
_SKIPPED = re.compile(r"^(?:NOTE|STYLE|REGION)(?:[ \t].*)?$")


def is_webvtt(first_line: str) -> bool:
    return first_line.startswith("WEBVTT")


def parse_vtt(lines: list[str], path: Path) -> tuple[list[Cue], list[Finding]]:
    """Cues of a WebVTT file (lines already decoded and split) and what was wrong with it."""
    state = ParseState(path, "vtt")
    groups = blocks(lines)
    if lines and _SIGNATURE.match(lines[0]):
        header = groups.pop(0) if groups else []
        cue_start = next((i for i, (_, text) in enumerate(header) if is_timing_line(text)), None)
        if cue_start is not None:  # a cue right under the header, with no blank line between
            state.warn(header[cue_start][0], "no blank line between the WEBVTT header and the first cue; filmkit "
                                             "reads the cue. Add a blank line after the header")
            groups.insert(0, header[cue_start - 1 if cue_start > 1 and INDEX.match(header[cue_start - 1][1])
                                    else cue_start:])
    elif lines and lines[0].startswith("WEBVTT"):
        state.warn(1, f"the header {shown(lines[0])} should be WEBVTT alone or followed by a space; filmkit reads the file "
                      "as WebVTT")
        groups.pop(0)
    else:
        state.warn(1, "the file does not start with the line WEBVTT; filmkit reads it as WebVTT. Add WEBVTT and a "
                      "blank line at the top")
    for position, block in enumerate(groups):
        if _SKIPPED.match(block[0][1]):
            continue
        _read_block(state, block, last=position + 1 == len(groups))
    summarize(state)
    return state.cues, state.findings


def _read_block(state: ParseState, block: list[Line], *, last: bool) -> None:
    timings = [i for i, (_, text) in enumerate(block) if is_timing_line(text)]
    if not timings:
        if last and len(block) == 1:
            state.warn(block[0][0], f"the file ends with {shown(block[0][1].strip())} and no timing line (was it cut "
                                    "short?); nothing is shown for it")
        else:
            orphan(state, block)
        return
    head = block[: timings[0]]
    if len(head) > 1:  # one line may be the cue id; more is text with no timing line
        orphan(state, head[:-1])
    read_timed(state, block, timings, -1, numbered=False)
