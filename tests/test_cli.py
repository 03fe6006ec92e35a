"""The commands end to end: outputs, messages, exit codes, and nothing ever half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import RED, is_color, make_clip, mean_color, read_frames, write_project
from filmkit.media.probe import count_video_frames, probe

SMALL = """
    filmkit: 1
    title: Small Film
    format: {{size: 160x90, fps: 25}}
    media: {{red: "{red}", green: "{green}"}}
    cut:
      - media: red
        in: 0
        out: 1
      - media: green
        in: 0.5
        duration: 1
        transition: {{type: crossfade, duration: 0.2}}
"""


@pytest.fixture()
def small_project(tmp_path: Path, clips: dict[str, Path]) -> Path:
    return write_project(tmp_path, SMALL.format(red=clips["red"], green=clips["green"]))


def test_render_writes_the_film_and_reports_it(run_cli, small_project: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("render", str(small_project))
    output = small_project.parent / "out" / "small-film.mp4"
    assert result.exit_code == 0, result
    assert f"Wrote {output}" in result.stderr
    assert "160x90, 45 frames, 1.80 s" in result.stderr
    assert count_video_frames(output) == 45
    assert is_color(mean_color(read_frames(output)[0]), RED)
    assert not list(output.parent.glob(".*filmkit-part*")), "no temporary file is left behind"


def test_dry_run_prints_the_command_and_writes_nothing(run_cli, small_project: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("render", str(small_project), "--dry-run", "-o", str(small_project.parent / "x y.mp4"))
    assert result.exit_code == 0, result
    assert "-filter_complex" in result.stdout and "xfade=transition=fade" in result.stdout
    assert "'" + str(small_project.parent / "x y.mp4") + "'" in result.stdout, "paths are shell-quoted"
    assert not (small_project.parent / "x y.mp4").exists()
    assert not (small_project.parent / "out").exists()


def test_check_summarises_the_cut(run_cli, small_project: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("check", str(small_project))
    assert result.exit_code == 0, result
    assert "OK" in result.stdout
    assert "160x90 at 25 fps, 2 events, 0 music beds, 00:00:01:20 (1.80 s, 45 frames)" in result.stdout


def test_probe_describes_a_file(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    clip = make_clip(tmp_path / "anamorphic clip.mp4", size="320x240", rate="30000/1001", seconds=1,
                     audio="mono", video_filter="setsar=4/3")
    result = run_cli("probe", str(clip))
    assert result.exit_code == 0, result
    assert "h264" in result.stdout and "320x240" in result.stdout
    assert "30000/1001 fps" in result.stdout and "SAR 4:3" in result.stdout
    assert "48000 Hz, 1 ch (mono)" in result.stdout


def test_doctor_reports_the_bundled_ffmpeg(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("doctor")
    assert result.exit_code == 0, result
    assert "ffmpeg version" in result.stdout
    assert "all 21 render filters present" in result.stdout


def test_init_makes_a_project_that_checks(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "new film"
    result = run_cli("init", str(folder))
    assert result.exit_code == 0, result
    assert (folder / "edit.yaml").exists() and len(list((folder / "media").glob("*.mp4"))) == 3
    checked = run_cli("check", str(folder / "edit.yaml"))
    assert checked.exit_code == 0, checked
    again = run_cli("init", str(folder))
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_rerender_replaces_the_output_atomically(run_cli, small_project: Path) -> None:  # type: ignore[no-untyped-def]
    output = small_project.parent / "film.mp4"
    output.write_bytes(b"old version")
    result = run_cli("render", str(small_project), "-o", str(output))
    assert result.exit_code == 0, result
    assert count_video_frames(output) == 45


@pytest.fixture()
def failing_ffmpeg(tmp_path: Path) -> Path:
    """An 'ffmpeg' that writes half a file to its output and fails, as a crash would."""
    script = tmp_path / "bin" / "ffmpeg"
    script.parent.mkdir()
    script.write_text(
        "#!/bin/sh\n"
        'for last; do :; done\n'
        'printf "partial" > "$last"\n'
        'echo "[error] Error while decoding stream #0:0: Invalid data found when processing input" >&2\n'
        "exit 187\n"
    )
    script.chmod(0o755)
    return script


def test_failed_render_keeps_the_previous_output_and_names_the_cause(
    run_cli, small_project: Path, failing_ffmpeg: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    output = small_project.parent / "film.mp4"
    output.write_bytes(b"the good cut from yesterday")
    monkeypatch.setenv("FILMKIT_FFMPEG", str(failing_ffmpeg))
    result = run_cli("render", str(small_project), "-o", str(output))
    assert result.exit_code == 1, result
    assert "ffmpeg failed (exit code 187)" in result.stderr
    assert "Error while decoding stream #0:0: Invalid data found" in result.stderr
    assert "Traceback" not in result.stderr
    assert output.read_bytes() == b"the good cut from yesterday"
    assert sorted(p.name for p in output.parent.iterdir()) == ["bin", "edit.yaml", "film.mp4"]


def test_ffmpeg_override_that_does_not_exist_is_a_clear_error(
    run_cli, small_project: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("FILMKIT_FFMPEG", "/nowhere/ffmpeg")
    result = run_cli("render", str(small_project))
    assert result.exit_code == 2, result
    assert "FILMKIT_FFMPEG='/nowhere/ffmpeg' is not an executable file" in result.stderr


def processes_mentioning(text: str) -> list[int]:
    """Pids whose command line contains `text` (Linux /proc; what pgrep -f does)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:
            continue
    return found


def _slow_project(tmp_path: Path) -> Path:
    """A render that takes a few seconds, long enough to interrupt."""
    clip = make_clip(tmp_path / "long.mp4", size="640x360", seconds=20, color="red",
                     video_filter="noise=alls=60:allf=t")
    return write_project(tmp_path, f"""
        filmkit: 1
        title: Slow
        format: {{size: 1280x720, fps: 50}}
        media: {{long: "{clip}"}}
        cut:
          - media: long
            in: 0
            out: 19
    """)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_interrupt_stops_ffmpeg_and_leaves_nothing_half_written(tmp_path: Path, sig: signal.Signals) -> None:
    project = _slow_project(tmp_path)
    output = tmp_path / "out" / "slow.mp4"
    output.parent.mkdir()
    output.write_bytes(b"previous good render")
    # As from a terminal: a suite started in the background (`pytest &`) inherits an ignored
    # SIGINT, and Python then installs no Ctrl-C handler at all.
    process = subprocess.Popen([sys.executable, "-m", "filmkit", "render", str(project)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 30
    while not list(output.parent.glob(".*filmkit-part*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    temps = list(output.parent.glob(".*filmkit-part*"))
    assert temps, "the render should have started writing its temporary file"
    time.sleep(0.5)  # let ffmpeg write into it
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert output.read_bytes() == b"previous good render"
    assert not list(output.parent.glob(".*filmkit-part*"))
    # ffmpeg was stopped too: nothing keeps writing the (deleted) temporary file
    assert not processes_mentioning(temps[0].name)


def test_killed_filmkit_takes_ffmpeg_with_it_and_never_leaves_a_partial_output(tmp_path: Path) -> None:
    project = _slow_project(tmp_path)
    output = tmp_path / "out" / "slow.mp4"
    output.parent.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "filmkit", "render", str(project)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not list(output.parent.glob(".*filmkit-part*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    process.kill()
    process.wait()
    temp = next(output.parent.glob(".*filmkit-part*"))
    deadline = time.monotonic() + 10
    while processes_mentioning(temp.name):
        if time.monotonic() > deadline:
            pytest.fail("ffmpeg kept running after filmkit was killed")
        time.sleep(0.1)
    assert not output.exists(), "the output path never holds a partial file"
    # The next render sweeps the dead run's temporary file away and completes.
    short = project.read_text().replace("out: 19", "out: 1")
    project.write_text(short)
    done = subprocess.run([sys.executable, "-m", "filmkit", "render", str(project)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert count_video_frames(output) == 50
    assert not list(output.parent.glob(".*filmkit-part*"))


def test_real_process_exit_codes_and_version() -> None:
    version = subprocess.run([sys.executable, "-m", "filmkit", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and "filmkit, version" in version.stdout
    usage = subprocess.run([sys.executable, "-m", "filmkit", "render"], capture_output=True, text=True)
    assert usage.returncode == 2 and "Missing argument" in usage.stderr


def test_only_the_process_command_tunes_the_cyclic_collector(run_cli) -> None:  # type: ignore[no-untyped-def]
    """`filmkit` as the process raises the collector's first threshold and freezes what is left at
    exit; main(argv) inside another program (the tests) leaves that program's collector alone."""
    import gc

    before = gc.get_threshold(), gc.get_freeze_count()
    assert run_cli("--version").exit_code == 0
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
    code = ("import atexit, gc, sys; from filmkit.cli import GC_FIRST_THRESHOLD, main; "
            "atexit.register(lambda: print(gc.get_threshold()[0] == GC_FIRST_THRESHOLD, gc.get_freeze_count() > 0)); "
            "sys.argv = ['filmkit', '--version']; main()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "True True"


def test_output_is_what_the_project_asks_for(run_cli, small_project: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("render", str(small_project), "-o", str(small_project.parent / "films" / "a film.mov"))
    assert result.exit_code == 0, result
    info = probe(small_project.parent / "films" / "a film.mov")
    assert info.container == "mov"
    assert info.video is not None and (info.video.width, info.video.height, info.video.pix_fmt) == (160, 90, "yuv420p")
    assert info.audio is not None and (info.audio.rate, info.audio.channels) == (48000, 2)


def test_rendered_film_is_readable_as_the_umask_allows(run_cli, small_project: Path) -> None:  # type: ignore[no-untyped-def]
    output = small_project.parent / "shared.mp4"
    result = run_cli("render", str(small_project), "-o", str(output))
    assert result.exit_code == 0, result
    from filmkit.render.files import UMASK

    assert output.stat().st_mode & 0o777 == 0o666 & ~UMASK
