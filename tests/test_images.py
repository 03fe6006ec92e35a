"""Bounded memory on hostile pictures (issue 13): a 16000x16000 PNG is 50 KB on disk and 1 GB
decoded, and ffmpeg peaked at 7 GB rendering one as a still. Pictures over 24 megapixels are
refused from their header, before anything decodes them, by `check` as by `render` (exit 2, one
paragraph); card pictures are decoded at the size they are shown.
"""

from __future__ import annotations

import resource
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from conftest import write_project
from filmkit.media.images import MAX_PIXELS, open_picture


def huge_png(path: Path, width: int, height: int) -> Path:
    """A 1-bit PNG of width x height written row by row: a few KB on disk, made in a second."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\x55" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b""))
    return path


def run_measured(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run filmkit in a child process; its result and the peak memory (MiB) of the child tree."""
    script = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
              "sys.stdout.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) + '\\n' + done.stderr); "
              "sys.exit(done.returncode)")
    done = subprocess.run([sys.executable, "-c", script, sys.executable, "-m", "filmkit", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)
    peak_kib, _, stderr = done.stdout.partition("\n")
    return subprocess.CompletedProcess(done.args, done.returncode, "", stderr), int(peak_kib) // 1024


@pytest.fixture(scope="module")
def huge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return huge_png(tmp_path_factory.mktemp("huge") / "huge.png", 16000, 16000)


@pytest.mark.parametrize("role", ["still", "logo", "background"])
@pytest.mark.parametrize("command", ["check", "render"])
def test_a_16000px_picture_is_refused_from_its_header(tmp_path: Path, huge: Path, clips: dict[str, Path],
                                                      role: str, command: str) -> None:
    event = f'{{image: "{huge}", duration: 1}}' if role == "still" else f'{{media: red, in: 0, out: 1}}'
    card = {"still": "", "logo": f'\n  logo: "{huge}"', "background": f'\n  background: "{huge}"'}[role]
    edit = write_project(tmp_path, f"""
filmkit: 1
title: Huge
format: {{size: 320x180, fps: 25}}
media: {{red: "{clips['red']}"}}
cut: [{event}]
card:
  duration: 2{card}
  text: {{en: {{tagline: Hello}}}}
""")
    done, peak = run_measured(command, str(edit), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert str(huge) in done.stderr and "is more than 178 million pixels" in done.stderr
    assert "at most 24 megapixels" in done.stderr
    assert "Traceback" not in done.stderr and "\n" not in done.stderr.strip()
    assert peak < 400, f"{peak} MiB: the picture was decoded"  # filmkit itself is ~150 MiB
    assert not (tmp_path / "out").exists()


def test_a_picture_just_over_the_limit_names_its_size(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    still = huge_png(tmp_path / "photo.png", 6200, 4000)
    edit = write_project(tmp_path, f'filmkit: 1\ntitle: P\ncut: [{{image: "{still}", duration: 1}}]\n')
    result = run_cli("check", str(edit))
    assert result.exit_code == 2, result
    assert f"edit.yaml:3:8: cut[0].image: {still}: is 6200x4000 (24.8 megapixels)" in result.stderr
    assert "Scale it down" in result.stderr


def test_card_pictures_are_decoded_at_the_size_shown(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (5600, 4200), (20, 120, 200)).save(photo, quality=60)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    picture = open_picture(photo, "card.background", (320, 320))
    assert 320 <= picture.width < 2 * 700 and picture.height >= 320  # JPEG decoded at 1/8 or 1/4 of its size
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 40_000  # KiB: never the 70 MB of the full photo
    assert 5600 * 4200 < MAX_PIXELS
