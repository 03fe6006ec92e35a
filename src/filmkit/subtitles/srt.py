"""SubRip parser that knows the file line of every cue and never merges or drops one silently."""

from __future__ import annotations

from pathlib import Path

from filmkit.subtitles.model import Cue, Finding
from filmkit.subtitles.parsing import INDEX, Line, ParseState, blocks, orphan, read_head, read_timed, summarize
from filmkit.subtitles.timing import is_timing_line


def parse_srt(lines: list[str], path: Path) -> tuple[list[Cue], list[Finding]]:
    """Cues of a SubRip file (lines already decoded and split) and what was wrong with it."""
    state = ParseState(path, "srt")
    groups = blocks(lines)
    pending: Line | None = None  # a lone number line, waiting for the timing block below it
    for position, block in enumerate(groups):
        timings = [i for i, (_, text) in enumerate(block) if is_timing_line(text)]
        if not timings:
            lone_number = len(block) == 1 and INDEX.match(block[0][1])
            if lone_number and position + 1 < len(groups) and is_timing_line(groups[position + 1][0][1]):
                pending = block[0]
                state.warn(block[0][0], f"a blank line separates cue number {block[0][1].strip()} from its "
                                        "timing line; filmkit joins them. Remove the blank line")
            elif lone_number and position + 1 == len(groups):
                state.warn(block[0][0], f"the file ends after cue number {block[0][1].strip()} with no timing line "
                                        "or text (was it cut short?); nothing is shown for it")
            else:
                orphan(state, block)
            continue
        head = block[: timings[0]]
        if pending is not None and not head:
            head = [pending]
        pending = None
        read_timed(state, block, timings, read_head(state, head))
    summarize(state)
    return state.cues, state.findings
