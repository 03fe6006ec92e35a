"""What keeps filmkit's own time around ffmpeg small (issue 14, overhead), held to the behaviour
it must keep: a rendered file's read-back skips only the guard meant for users' pictures, and
PyAV imported while ffmpeg runs is imported exactly as the read-back would import it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from test_images import huge_png
from filmkit.errors import MediaError
from filmkit.media.probe import probe


def run_python(code: str, *args: str) -> str:
    """`code` in a fresh interpreter (nothing imported yet); its stdout."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_read_back_of_a_render_does_not_scan_pillows_formats(clips: dict[str, Path]) -> None:
    code = ("import sys; from pathlib import Path; from filmkit.media.probe import probe, read_back; "
            "back = read_back(Path(sys.argv[1])); "
            "print(back.gop.frames, back.info.video.width, 'PIL.PdfImagePlugin' in sys.modules); "
            "probe(Path(sys.argv[1])); print('PIL.PdfImagePlugin' in sys.modules)")
    assert run_python(code, str(clips["red"])).splitlines() == ["50 320 False", "True"]


def test_probing_a_users_file_still_refuses_a_huge_picture(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="megapixels"):
        probe(huge_png(tmp_path / "photo.png", 6200, 4000))


def test_pyav_is_imported_while_the_block_runs_and_joined_at_its_end() -> None:
    code = ("import sys, time; from filmkit.media.probe import pyav_imported_meanwhile\n"
            "print('av' in sys.modules)\n"
            "with pyav_imported_meanwhile(): time.sleep(0.01)\n"
            "import threading; print('av' in sys.modules, threading.active_count())")
    assert run_python(code).splitlines() == ["False", "True 1"]


def test_a_failed_background_import_is_left_to_the_read_back(clips: dict[str, Path]) -> None:
    """An import that fails in the thread raises nothing there; the read-back's own import runs
    again in the main thread (here it succeeds, as PyAV is installed) and reads the file."""
    code = ("import importlib, sys; from pathlib import Path; import filmkit.media.probe as p; "
            "real = importlib.import_module\n"
            "def failing(name, *a):\n"
            "    if name == 'av': raise ImportError('simulated')\n"
            "    return real(name, *a)\n"
            "importlib.import_module = failing\n"
            "with p.pyav_imported_meanwhile(): pass\n"
            "importlib.import_module = real; print('av' in sys.modules, p.read_back(Path(sys.argv[1])).gop.frames)")
    assert run_python(code, str(clips["red"])) == "False 50"
