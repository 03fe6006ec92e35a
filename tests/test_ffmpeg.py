"""The one door to external processes: every ffmpeg run is registered, stoppable, and dies with filmkit."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from filmkit.errors import Interrupted
from filmkit.media.ffmpeg import ffmpeg_filters, ffmpeg_query, ffmpeg_version, run_ffmpeg, run_tool, stopping_all

# A quick job that runs until stopped: a minute of silence measured, nothing written.
LONG_TOOL_JOB = ["-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "600", "-af", "volume=1", "-f", "null", "-"]


def _ffmpeg_children_of(pid: int) -> list[int]:
    """Pids of the ffmpeg processes whose parent is `pid` (Linux /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid) and "ffmpeg" in fields.get("Name", ""):
            found.append(int(status.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in state


def _start_in_thread(job: list[str]) -> tuple[threading.Thread, list[BaseException]]:
    raised: list[BaseException] = []

    def work() -> None:
        try:
            run_tool(job, what="the long job")
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            raised.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    return thread, raised


def test_a_stop_stops_running_tools_refuses_new_runs_and_then_lets_them_start_again(tmp_path: Path) -> None:
    thread, raised = _start_in_thread(LONG_TOOL_JOB)
    deadline = time.monotonic() + 10
    while not _ffmpeg_children_of(os.getpid()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _ffmpeg_children_of(os.getpid()), "the long job should be running"
    with stopping_all():
        thread.join(timeout=10)
        assert not thread.is_alive()
        assert len(raised) == 1 and isinstance(raised[0], Interrupted)
        assert raised[0].message == "the long job: stopped"
        with pytest.raises(Interrupted, match="not started"):
            run_ffmpeg(["-f", "lavfi", "-i", "anullsrc", "-t", "0.1", "-f", "null", "-"], what="a new run")
    # After the stop every later run starts again (the refusal used to last forever).
    run_ffmpeg(["-f", "lavfi", "-i", "anullsrc", "-t", "0.1", "-f", "null", "-"], what="a later run")
    assert "ebur128" in run_tool(["-f", "lavfi", "-i", "sine=d=0.5", "-af", "ebur128", "-f", "null", "-"],
                                 what="a later tool")
    assert not _ffmpeg_children_of(os.getpid())


def test_killed_filmkit_takes_a_tool_run_with_it(tmp_path: Path) -> None:
    """run_tool has the same parent-death hook as run_ffmpeg: no orphan keeps running."""
    script = ("from filmkit.media.ffmpeg import run_tool\n"
              f"run_tool({LONG_TOOL_JOB!r}, what='long')\n")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    children: list[int] = []
    while not children and time.monotonic() < deadline:
        children = _ffmpeg_children_of(parent.pid)
        time.sleep(0.05)
    assert children, "the tool's ffmpeg should be running"
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children):
        if time.monotonic() > deadline:
            pytest.fail("ffmpeg kept running after filmkit was killed")
        time.sleep(0.1)


def test_queries_go_through_the_runner() -> None:
    assert ffmpeg_version().startswith("ffmpeg version")
    assert {"ebur128", "xfade", "ass"} <= ffmpeg_filters()
    assert " libx264 " in ffmpeg_query("-encoders")
