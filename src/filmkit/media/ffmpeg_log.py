"""What an ffmpeg run's log and exit status say, in one line for the user.

ffmpeg prints the cause of a failure first and its consequences after; a run ended by a signal
(killed for memory, stopped at the file size limit) prints nothing useful at all.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Sequence

# Lines ffmpeg prints after the real error; never the reason a render failed.
_BOILERPLATE = (
    "Conversion failed!",
    "Exiting with exit code",
    "Error opening output files",
    "Error opening output file",
    "Terminating thread with return code",
    "Nothing was written into output file",
    "Error while filtering: ",
    "Task finished with error code",
    "[out#",
)


_SIGNALLED = {"SIGKILL": "killed (out of memory, or by another program)",
              "SIGXFSZ": "stopped at the file size limit (ulimit -f)", "SIGSEGV": "crashed (segmentation fault)",
              "SIGTERM": "terminated by another program", "SIGABRT": "aborted"}


def failure(what: str, returncode: int, tail: Sequence[str]) -> str:
    """Why an ffmpeg run failed, in one line: its own error, or the signal that ended it."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return (f"{what}: ffmpeg was {_SIGNALLED.get(name, f'ended by {name}')} ({name}); nothing was written. Run "
                "the command again once the cause is gone")
    return f"{what}: ffmpeg failed (exit code {returncode}): {meaningful_line(tail)}"


def meaningful_line(lines: Sequence[str]) -> str:
    """The line of ffmpeg's log that says why it failed: the first at error level.

    ffmpeg prints the cause first and its consequences after ("Error reinitializing
    filters", "Conversion failed!"), so the first error line is the one to show.
    """
    for line in lines:
        match = _LEVELLED.match(line.strip())
        if match and match.group("level") in ("error", "fatal") and not match.group("text").startswith(_BOILERPLATE):
            return _clean(match.group("context"), match.group("text"))
    candidates = [line.strip() for line in lines if line.strip() and not line.strip().startswith(_BOILERPLATE)]
    return candidates[-1] if candidates else "no message from ffmpeg"


_LEVELLED = re.compile(r"^(?P<context>(?:\[[^\]]*\]\s*)*?)\[(?P<level>error|fatal|warning|info)\]\s*(?P<text>.*)$")


def _clean(context: str, text: str) -> str:
    """Keep the component (filter, muxer) that complained, drop memory addresses."""
    names = [part.split(" @ ")[0] for part in re.findall(r"\[([^\]]*)\]", context)]
    names = [re.sub(r"^Parsed_(\w+?)_\d+$", r"\1", name) for name in names if not name.startswith(("fc#", "Eval", "AVFilterGraph"))]
    return f"{names[0]}: {text}" if names else text
