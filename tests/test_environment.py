"""When the environment fails (a full disk, a read-only folder, a killed helper process): one
paragraph, exit 1 or 2, no temporary left behind, and the next run completes (issue 13).

A full disk is simulated with RLIMIT_FSIZE on the child process (writes past the limit fail
with EFBIG, and ffmpeg children are stopped by SIGXFSZ), and for real with a tiny tmpfs where
mounting one is allowed. Stale temporaries of every kind are swept even when nothing renders.
"""

from __future__ import annotations

import os
import resource
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_export import make_project


def filmkit(*args: str, file_limit: int | None = None, env: dict[str, str] | None = None,
            ) -> subprocess.CompletedProcess[str]:
    """filmkit in a child process, optionally unable to write files beyond `file_limit` bytes."""
    def limit() -> None:
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run([sys.executable, "-m", "filmkit", *args], preexec_fn=limit, capture_output=True,
                          text=True, timeout=600, env={**os.environ, **(env or {})})


def temporaries(folder: Path) -> list[Path]:
    return [path for path in folder.rglob(".*")
            if path.is_file() and ("filmkit-part" in path.name or path.suffix in (".tmp", ".part"))]


def one_paragraph(stderr: str) -> str:
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("filmkit: error:")]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project exported once: every later run finds its outputs up to date."""
    folder = tmp_path_factory.mktemp("exported")
    edit = make_project(folder)
    done = filmkit("export", str(edit))
    assert done.returncode == 0, done.stderr
    return edit


@pytest.mark.parametrize(("limit", "what"), [(0, "the export lock"), (64, "the hash cache")])
def test_a_full_disk_at_the_start_of_an_export(tmp_path: Path, limit: int, what: str) -> None:
    edit = make_project(tmp_path)
    done = filmkit("export", str(edit), file_limit=limit)
    assert done.returncode == 2, done.stderr
    message = one_paragraph(done.stderr)
    assert f"cannot write {what} (File too large)" in message and "nothing half-written was left" in message
    assert not temporaries(tmp_path)
    again = filmkit("export", str(edit))
    assert again.returncode == 0 and "4 rendered" in again.stderr, again.stderr


def test_a_full_disk_while_rendering_fails_the_jobs_and_the_rerun_completes(tmp_path: Path) -> None:
    edit = make_project(tmp_path)
    done = filmkit("export", str(edit), file_limit=20_000)
    assert done.returncode in (1, 2), done.stderr  # 2 when the review page after the jobs cannot be written either
    assert "stopped at the file size limit (ulimit -f) (SIGXFSZ)" in done.stderr or "File too large" in done.stderr
    assert "Traceback" not in done.stderr and not temporaries(tmp_path)
    again = filmkit("export", str(edit))
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize("command", [["convert", "{src}", "{dst}"], ["shift", "{src}", "--by", "1"]])
def test_subtitle_writers_on_a_full_disk(tmp_path: Path, command: list[str]) -> None:
    src = tmp_path / "en.srt"
    src.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello.\n", encoding="utf-8")
    before = src.read_bytes()
    args = [part.format(src=src, dst=tmp_path / "en.vtt") for part in command]
    done = filmkit("subs", *args, file_limit=10)
    assert done.returncode == 2, done.stderr
    assert "cannot write the subtitle file (File too large)" in one_paragraph(done.stderr)
    assert src.read_bytes() == before and not (tmp_path / "en.vtt").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["en.srt"], "no temporary left"


@pytest.fixture()
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs mounted for the test (where mounting is allowed: root, or a user namespace)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here; RLIMIT_FSIZE tests cover a full disk")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_really_full_disk_and_a_read_only_one(tiny_disk: Path) -> None:
    edit = make_project(tiny_disk)
    with (tiny_disk / "filler").open("wb") as filler:  # fill the disk to its last byte
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass
    done = filmkit("export", str(edit))
    assert done.returncode in (1, 2) and "No space left on device" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not temporaries(tiny_disk)
    (tiny_disk / "filler").unlink()
    assert filmkit("export", str(edit)).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    shutil.rmtree(tiny_disk / "out", ignore_errors=True)
    done = filmkit("export", str(edit), "--force")
    assert done.returncode == 2, done.stderr
    assert "cannot write the export lock (Read-only file system)" in one_paragraph(done.stderr)


def test_a_read_only_output_folder(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders; test_a_really_full_disk_and_a_read_only_one covers it")
    edit = make_project(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out").chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        done = filmkit("export", str(edit))
    finally:
        (tmp_path / "out").chmod(0o755)
    assert done.returncode == 2 and "cannot write the export lock (Permission denied)" in one_paragraph(done.stderr)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temporaries_of_every_kind_are_swept_when_all_is_up_to_date(exported: Path) -> None:
    out = exported.parent / "out"
    dead, alive = _dead_pid(), subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stale = []
        for folder in (out / "tiny-landscape", out / "tiny-vertical", out):
            for name in (f".gold-medal_en.{dead}-a1b2c3d4.filmkit-part.mp4", f".gold-medal_en.{dead}-poster.filmkit-part.jpg",
                         f".gold-medal_en.en.{dead}-x_y9.filmkit-part.srt", f".gold-medal_ar.{dead}-seg0003v1.filmkit-part.mp4",
                         f".manifest.{dead}-q1w2e3.filmkit-part.json"):
                (folder / name).write_bytes(b"partial")
                stale.append(folder / name)
        kept = out / f".gold-medal_ar.{alive.pid}-zz.filmkit-part.mp4"
        kept.write_bytes(b"another filmkit is writing this")
        done = filmkit("export", str(exported))
        assert done.returncode == 0 and "0 rendered, 4 up to date" in done.stderr, done.stderr
        assert not [path for path in stale if path.exists()]
        assert kept.exists(), "a running filmkit's temporary is never touched"
    finally:
        alive.kill()
        alive.wait()


def test_a_killed_ffmpeg_is_named_and_the_rerun_completes(tmp_path: Path) -> None:
    edit = make_project(tmp_path)
    killed = tmp_path / "ffmpeg-killed.sh"
    killed.write_text("#!/bin/sh\nkill -KILL $$\n")
    killed.chmod(0o755)
    done = filmkit("render", str(edit), env={"FILMKIT_FFMPEG": str(killed)})
    assert done.returncode == 1, done.stderr
    message = one_paragraph(done.stderr)
    assert "ffmpeg was killed (out of memory, or by another program) (SIGKILL)" in message
    assert not temporaries(tmp_path)
    again = filmkit("render", str(edit))
    assert again.returncode == 0, again.stderr


def test_the_bundled_ffmpeg_is_found_without_running_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """imageio-ffmpeg runs `ffmpeg -version` to find its binary and remembers a failure: one killed
    probe made a whole export fail with "no ffmpeg found ... Reinstall filmkit"."""
    import imageio_ffmpeg

    from filmkit.media import ffmpeg

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a process was started to find ffmpeg")

    ffmpeg._bundled_binary.cache_clear()
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", lambda: (_ for _ in ()).throw(RuntimeError("probe killed")))
    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.delenv(ffmpeg.ENV_FFMPEG, raising=False)
    found = ffmpeg.ffmpeg_binary()
    assert Path(found).is_file() and Path(found).parent.name == "binaries"
