"""`check` fails exactly when `render` would (issue 13: it passed 31 of 80 bad-file x role cases
that render then refused).

Every kind of file (good, text, noise, empty, a video, a sound, a picture, a 16000x16000 PNG, a
download cut short, a FIFO, a symlink loop, a folder, nothing) in every role that reads a file
(media, still, music, subtitles, logo, background, font, overlay): `check` and `render --lang en` agree,
both refuse with exit 2 and one paragraph, and every case `check` passes renders.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import ffmpeg, make_clip, write_project
from test_images import huge_png

ROLES = {  # role -> (suffix of the file, how the project names it)
    "media": (".mp4", "media: {{shot: \"{path}\", red: \"{red}\"}}\ncut: [{{media: shot, in: 0, out: 0.6}}]"),
    "still": (".png", "media: {{red: \"{red}\"}}\ncut: [{{image: \"{path}\", duration: 0.6}}]"),
    "music": (".m4a", "media: {{red: \"{red}\"}}\ncut: [{{media: red, in: 0, out: 0.6}}]\nmusic: [{{file: \"{path}\"}}]"),
    "subtitles": (".srt", "media: {{red: \"{red}\"}}\ncut: [{{media: red, in: 0, out: 0.6}}]"),
    "logo": (".png", "media: {{red: \"{red}\"}}\ncut: [{{media: red, in: 0, out: 0.6}}]"),
    "background": (".jpg", "media: {{red: \"{red}\"}}\ncut: [{{media: red, in: 0, out: 0.6}}]"),
    "font": (".ttf", "media: {{red: \"{red}\"}}\ncut: [{{media: red, in: 0, out: 0.6}}]"),
    "overlay": (".png", "media: {{red: \"{red}\"}}\ncut: [{{media: red, in: 0, out: 0.6}}]\n"
                        "overlays: [{{image: \"{path}\", start: 0, duration: 0.4}}]"),
}
KINDS = ("good", "text", "noise", "empty", "video", "sound", "picture", "huge", "cut-short", "fifo", "loop", "folder",
         "missing")
SRT = "1\n00:00:00,100 --> 00:00:00,500\nHello.\n"

pytestmark = pytest.mark.usefixtures("never_hangs")


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sources")
    whole = make_clip(folder / "whole.mp4", seconds=1.0, extra=("-movflags", "+faststart"))
    (folder / "cut-short.mp4").write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    ffmpeg("-f", "lavfi", "-i", "sine=f=440:d=1:r=48000", "-c:a", "aac", str(folder / "sound.m4a"))
    Image.new("RGB", (64, 36), (30, 90, 200)).save(folder / "picture.png")
    Image.new("RGB", (64, 36), (30, 90, 200)).save(folder / "picture.jpg")
    (folder / "noise.bin").write_bytes(random.Random(13).randbytes(4096))
    (folder / "good.srt").write_text(SRT, encoding="utf-8")
    font = next(Path(p) for p in (__import__("fontpkg_noto_sans").__path__) if p)
    shutil.copy(next(font.rglob("*.ttf")), folder / "good.ttf")
    return {"video": whole, "cut-short": folder / "cut-short.mp4", "sound": folder / "sound.m4a",
            "picture": folder / "picture.png", "jpeg": folder / "picture.jpg", "noise": folder / "noise.bin",
            "srt": folder / "good.srt", "font": folder / "good.ttf",
            "huge": huge_png(folder / "huge.png", 16000, 16000)}


GOOD = {"media": "video", "still": "picture", "music": "sound", "subtitles": "srt", "logo": "picture",
        "background": "jpeg", "font": "font", "overlay": "picture"}


def make_file(kind: str, role: str, folder: Path, sources: dict[str, Path]) -> Path:
    """A file of `kind` where the project expects `role`, named as that role's files are."""
    path = folder / f"input{ROLES[role][0]}"
    if kind == "text":
        path.write_text("this is a text file someone renamed\n")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "loop":
        os.symlink(folder / "other", path)
        os.symlink(path, folder / "other")
    elif kind == "folder":
        path.mkdir()
    elif kind != "missing":
        shutil.copy(sources[GOOD[role] if kind == "good" else kind], path)
    return path


def project(folder: Path, role: str, path: Path, red: Path) -> Path:
    body = ROLES[role][1].format(path=path, red=red)
    subs = folder / "en.srt"
    subs.write_text(SRT, encoding="utf-8")
    subtitle_file = path if role == "subtitles" else subs
    style = f'\n  style: {{font: "{path}"}}' if role == "font" else ""
    card = {"logo": f'\n  logo: "{path}"', "background": f'\n  background: "{path}"'}.get(role, "")
    return write_project(folder, f"""
filmkit: 1
title: Agree
format: {{size: 320x180, fps: 25}}
{body}
subtitles:
  files: {{en: "{subtitle_file}"}}{style}
card:
  duration: 1
  fade: 0.2{card}
  text: {{en: {{tagline: Hello}}}}
""")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", list(ROLES))
def test_check_fails_exactly_when_render_would(run_cli, tmp_path: Path, sources: dict[str, Path],  # type: ignore[no-untyped-def]
                                               clips: dict[str, Path], role: str, kind: str) -> None:
    edit = project(tmp_path, role, make_file(kind, role, tmp_path, sources), clips["red"])
    checked = run_cli("check", str(edit))
    rendered = run_cli("render", str(edit), "--lang", "en", "-o", str(tmp_path / "out" / "film.mp4"))
    for result in (checked, rendered):
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result
    assert checked.exit_code in (0, 2), checked
    assert (checked.exit_code == 0) == (rendered.exit_code == 0), (checked, rendered)
    if checked.exit_code == 0:
        assert (tmp_path / "out" / "film.mp4").is_file()
    else:
        assert rendered.exit_code == 2, rendered  # refused while planning, like check: never an ffmpeg failure
        assert not (tmp_path / "out").exists()
    if kind == "good":
        assert checked.exit_code == 0, checked
