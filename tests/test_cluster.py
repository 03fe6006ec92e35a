"""Export and long renders on a Dask cluster, proven on a real LocalCluster of two worker processes.

One cluster is started for the module (worker processes, not threads) and its scheduler's
address is given to `filmkit ... --scheduler tcp://...`, in-process or as a subprocess;
`--scheduler local:2` (a LocalCluster of filmkit's own) is used once. The project is the tiny
export project of test_export.py; the long film is test_segments.py's film of counter clips.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import audio_samples, counter_index, read_frames
from filmkit.media.probe import count_video_frames, probe
from test_export import CARD_FRAMES, CUT_FRAMES, PLATFORMS, make_project, output, tiny_preset
from test_segments import long_project

distributed = pytest.importorskip("distributed")

FILMS = [(platform, lang) for platform in PLATFORMS for lang in ("en", "ar")]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two worker processes of one thread each, as `dask worker --nthreads 1` would run."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as local, distributed.Client(local, set_as_default=False) as client:
        yield client


def filmkit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "filmkit", *args], capture_output=True, text=True, timeout=300)


def hidden(folder: Path) -> list[Path]:
    return list(folder.rglob(".*filmkit-part*"))


def test_a_cluster_export_writes_what_a_local_export_writes(tmp_path: Path) -> None:
    local = make_project(tmp_path / "local")
    remote = make_project(tmp_path / "remote")
    assert filmkit("export", str(local)).returncode == 0
    done = filmkit("export", str(remote), "--scheduler", "local:2")
    assert done.returncode == 0, done.stderr
    assert "4 outputs: 4 rendered, 0 up to date, 0 failed" in done.stderr
    assert done.stderr.count("  started   ") == 2, "one line per job, naming its worker"
    entries = {}
    for project in (local, remote):
        manifest = json.loads((project.parent / "out" / "manifest.json").read_text(encoding="utf-8"))
        entries[project] = {entry["path"]: entry for entry in manifest["outputs"]}
    assert set(entries[local]) == set(entries[remote]) and len(entries[remote]) == 4
    for path, here in entries[local].items():
        there = entries[remote][path]
        # same machine, same x264 threads: the very same bytes (the size and hash the workers measured)
        for key in ("platform", "language", "inputs", "frames", "duration", "poster", "sidecars", "filmkit", "size",
                    "sha256"):
            assert here[key] == there[key], (path, key)
        assert all(abs(here["loudness"][key] - there["loudness"][key]) <= 0.2 for key in here["loudness"])
        assert there["worker"] == socket.gethostname() and there["seconds"] > 0
    for platform, lang in FILMS:
        a, b = output(local.parent, platform, lang), output(remote.parent, platform, lang)
        assert count_video_frames(a) == count_video_frames(b) == CUT_FRAMES + CARD_FRAMES
        info_a, info_b = probe(a), probe(b)
        assert (info_a.video, info_a.audio) == (info_b.video, info_b.audio)
        assert b.with_suffix(".jpg").is_file()
    assert not hidden(remote.parent), "no hidden file is left beside the outputs"
    again = filmkit("export", str(remote), "--scheduler", "local:2")
    assert again.returncode == 0 and "0 rendered, 4 up to date" in again.stderr


def test_a_job_that_fails_on_its_input_fails_once_and_the_others_finish(tmp_path: Path, cluster: Any, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = make_project(tmp_path)
    blocker = output(tmp_path, "tiny-vertical", "en")
    blocker.mkdir(parents=True)  # a folder where a file must go: that platform's job fails on the worker
    before = len(cluster.get_events("filmkit-progress"))
    result = run_cli("export", str(project), "--scheduler", cluster.scheduler.address)
    assert result.exit_code == 1, result
    assert "2 rendered, 0 up to date, 2 failed" in result.stderr and "is a folder" in result.stderr
    failing = [event for _time, event in cluster.get_events("filmkit-progress")[before:]
               if event["job"].endswith("-tiny-vertical")]
    assert len(failing) == 1, "the failing job started once (its one message) and was not run again"
    assert output(tmp_path, "tiny-landscape", "ar").is_file() and not hidden(tmp_path)


def slow_project(folder: Path) -> Path:
    """test_export's project at frames big enough for a job to be caught running."""
    project = make_project(folder)
    project.write_text(project.read_text(encoding="utf-8").replace("size: 320x180", "size: 640x360"), encoding="utf-8")
    for name in PLATFORMS:
        tiny_preset(folder, name, "youtube-1080p" if name == "tiny-landscape" else "instagram-reel",
                    (960, 540) if name == "tiny-landscape" else (540, 960))
    return project


def wait_for(condition: Any, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_worker_killed_mid_job_and_the_export_still_completes(tmp_path: Path, cluster: Any) -> None:
    project = slow_project(tmp_path)
    before = len(cluster.get_events("filmkit-progress"))
    coordinator = subprocess.Popen([sys.executable, "-m", "filmkit", "export", str(project), "--scheduler",
                                    cluster.scheduler.address], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: hidden(tmp_path) and any(cluster.processing().values()))
    busy = next(address for address, keys in cluster.processing().items() if keys)
    pid = cluster.run(os.getpid, workers=[busy])[busy]
    os.kill(pid, signal.SIGKILL)
    _out, err = coordinator.communicate(timeout=300)
    assert coordinator.returncode == 0, err
    assert "4 outputs: 4 rendered, 0 up to date, 0 failed" in err
    events = [event for _time, event in cluster.get_events("filmkit-progress")[before:]]
    workers_of = {event["job"]: set() for event in events}
    for event in events:
        workers_of[event["job"]].add(event["worker"])
    assert sorted(len(workers) for workers in workers_of.values()) == [1, 2], "the killed worker's job ran again elsewhere"
    for platform, lang in FILMS:
        assert count_video_frames(output(tmp_path, platform, lang)) == CUT_FRAMES + CARD_FRAMES
    assert not hidden(tmp_path), "the killed worker's temporaries were swept when its job ran again"
    wait_for(lambda: len(cluster.scheduler_info()["workers"]) == 2)  # the nanny restarted it for the next tests


@pytest.mark.parametrize("where", ["scheduler", "local:2"])
def test_ctrl_c_cancels_the_cluster_jobs_and_exits_130(tmp_path: Path, cluster: Any, where: str) -> None:
    """SIGINT to the coordinator alone (a scheduler elsewhere), or to its whole process group as a
    terminal's Ctrl-C sends it (its own LocalCluster's workers included)."""
    project = slow_project(tmp_path)
    scheduler = cluster.scheduler.address if where == "scheduler" else where
    coordinator = subprocess.Popen([sys.executable, "-m", "filmkit", "export", str(project), "--scheduler", scheduler],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    wait_for(lambda: len(hidden(tmp_path)) >= 2 and (where != "scheduler" or any(cluster.processing().values())))
    if where == "scheduler":
        coordinator.send_signal(signal.SIGINT)
    else:
        os.killpg(coordinator.pid, signal.SIGINT)
    _out, err = coordinator.communicate(timeout=60)
    assert coordinator.returncode == 130, err
    assert "the cluster's jobs were cancelled" in err
    wait_for(lambda: not any(cluster.processing().values()) and not hidden(tmp_path), seconds=20)
    for platform, lang in FILMS:  # whatever is at an output path is whole
        path = output(tmp_path, platform, lang)
        assert not path.exists() or count_video_frames(path) == CUT_FRAMES + CARD_FRAMES


def test_a_coordinator_killed_with_kill_9_leaves_its_jobs_stopped_and_nothing_partial(tmp_path: Path, cluster: Any) -> None:
    """The scheduler drops a dead client's tasks; each worker sees its job cancelled, stops its ffmpeg
    and deletes its temporaries (a worker never moves anything to an output path)."""
    project = slow_project(tmp_path)
    coordinator = subprocess.Popen([sys.executable, "-m", "filmkit", "export", str(project), "--scheduler",
                                    cluster.scheduler.address], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: len(hidden(tmp_path)) >= 2 and any(cluster.processing().values()))
    coordinator.kill()
    coordinator.wait()
    wait_for(lambda: not any(cluster.processing().values()) and not hidden(tmp_path), seconds=30)
    for platform, lang in FILMS:
        assert not output(tmp_path, platform, lang).exists()


def test_a_folder_a_worker_cannot_see_is_one_clear_error(tmp_path: Path, cluster: Any, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = make_project(tmp_path / "project")
    result = run_cli("export", str(project), "--scheduler", cluster.scheduler.address,
                     "--path-map", f"{tmp_path}={tmp_path / 'elsewhere'}")
    assert result.exit_code == 2, result
    message = result.stderr
    assert "filmkit: error: worker tcp://127.0.0.1:" in message and "(1 more worker(s) alike)" in message
    assert f"cannot see the project file {project} at {tmp_path / 'elsewhere' / 'project' / 'edit.yaml'}" in message
    assert "--path-map FROM=TO" in message
    assert not list((tmp_path / "project" / "out").rglob("*.mp4"))


def test_an_unreachable_scheduler_is_an_error_within_seconds(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        port = probe_socket.getsockname()[1]  # nothing listens there once it is closed
    started = time.monotonic()
    result = run_cli("export", str(make_project(tmp_path)), "--scheduler", f"tcp://127.0.0.1:{port}")
    assert result.exit_code == 2, result
    assert time.monotonic() - started < 20
    assert f"--scheduler tcp://127.0.0.1:{port}: no Dask scheduler answered within 5 s" in result.stderr


def test_a_long_film_renders_its_segments_on_several_workers_frame_exact(tmp_path: Path, cluster: Any, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = long_project(tmp_path, shots=16)  # 3 segments on 2 workers
    before = len(cluster.get_events("filmkit-progress"))
    parallel = run_cli("render", str(project), "--lang", "en", "-o", str(tmp_path / "parallel.mp4"),
                       "--scheduler", cluster.scheduler.address)
    assert parallel.exit_code == 0, parallel
    here = run_cli("render", str(project), "--lang", "en", "-o", str(tmp_path / "here.mp4"))
    assert here.exit_code == 0, here
    events = [event for _time, event in cluster.get_events("filmkit-progress")[before:]]
    assert len({event["job"] for event in events}) == 3 and len({event["worker"] for event in events}) == 2
    a, b = read_frames(tmp_path / "parallel.mp4"), read_frames(tmp_path / "here.mp4")
    assert len(a) == len(b) == 170
    assert [counter_index(frame) for frame in a[:145]] == [counter_index(frame) for frame in b[:145]]
    sound_a, _ = audio_samples(tmp_path / "parallel.mp4")
    sound_b, _ = audio_samples(tmp_path / "here.mp4")
    assert sound_a.shape == sound_b.shape and float(abs(sound_a - sound_b).max()) < 1e-4
    assert not hidden(tmp_path)


@pytest.mark.parametrize(("args", "message"), [
    (["--scheduler", "localhost"], "--scheduler 'localhost': give the Dask scheduler's address as tcp://HOST:PORT"),
    (["--scheduler", "tcp://host:99999"], "--scheduler 'tcp://host:99999': give the Dask scheduler's address"),
    (["--scheduler", "local:0"], "--scheduler 'local:0': a local cluster has 1 to 64 worker processes"),
    (["--scheduler", "local:2", "--jobs", "2"], "--jobs 2: with --scheduler the workers decide"),
    (["--path-map", "/a=/b"], "--path-map '/a=/b': path maps tell the workers of a cluster"),
    (["--scheduler", "local:2", "--path-map", "/a"], "--path-map '/a': give FROM=TO"),
    (["--scheduler", "local:2", "--path-map", "a=/b"], "--path-map 'a=/b': both folders must be absolute paths"),
    (["--scheduler", "local:2", "--path-map", "/a=/b", "--path-map", "/a=/c"], "--path-map '/a=/c': /a is mapped twice"),
])
def test_bad_cluster_options_are_refused_before_anything_runs(tmp_path: Path, run_cli, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("export", str(make_project(tmp_path)), *args)
    assert result.exit_code == 2, result
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


def test_bad_scheduler_from_the_environment_and_render_options(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    project = long_project(tmp_path, shots=4)
    dry = run_cli("render", str(project), "--dry-run", "--scheduler", "local:2")
    assert dry.exit_code == 2 and "--dry-run prints the one ffmpeg command" in dry.stderr
    monkeypatch.setenv("FILMKIT_SCHEDULER", "tcp://")
    result = run_cli("render", str(project))
    assert result.exit_code == 2 and "--scheduler 'tcp://': give the Dask scheduler's address" in result.stderr
    assert "FILMKIT_SCHEDULER" in result.stderr and not (tmp_path / "out").exists()


def test_progress_names_each_jobs_worker_and_counts_frames_for_the_eta(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal: a bar per job naming its worker (renamed when the job runs again elsewhere), and
    an overall bar in frames of every output, which is what its ETA is computed from."""
    import io

    from rich.console import Console
    from rich.progress import Progress

    import filmkit.cli.console as console
    from filmkit.export.batch import EventKind, ExportEvent, Outcome, OutputResult, make_jobs
    from filmkit.export.matrix import plan_export

    plan = plan_export(make_project(tmp_path))
    shown = Progress(console=Console(file=io.StringIO(), force_terminal=True))
    monkeypatch.setattr(console, "stderr_is_terminal", lambda: True)
    monkeypatch.setattr(console, "_bars", lambda: shown)
    first, second = make_jobs(plan, plan.outputs)
    frames = CUT_FRAMES + CARD_FRAMES
    with console.export_progress(plan) as on_event:
        overall = shown.tasks[0]
        assert overall.total == 4 * frames
        on_event(ExportEvent(EventKind.SKIPPED, results=(OutputResult(second.outputs[0], Outcome.SKIPPED),)))
        on_event(ExportEvent(EventKind.START, first, worker="host-a (tcp://10.0.0.1:1)"))
        assert [task.description for task in shown.tasks][1:] == ["  tiny-landscape [en, ar] on host-a (tcp://10.0.0.1:1)"]
        on_event(ExportEvent(EventKind.PROGRESS, first, frame=50, worker="host-a (tcp://10.0.0.1:1)"))
        assert overall.completed == frames + 2 * 50
        on_event(ExportEvent(EventKind.PROGRESS, first, frame=10, worker="host-b (tcp://10.0.0.2:1)"))
        assert shown.tasks[1].description.endswith("on host-b (tcp://10.0.0.2:1) (again)")
        assert overall.completed == frames + 2 * 50, "a job run again does not count its frames twice"
        on_event(ExportEvent(EventKind.DONE, first, results=tuple(OutputResult(o, Outcome.RENDERED) for o in first.outputs)))
        assert overall.completed == 3 * frames and overall.description == "All outputs (3 of 4 done)"
        assert len(shown.tasks) == 1
