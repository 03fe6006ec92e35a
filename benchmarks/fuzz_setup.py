"""The fuzz run's workspace: tiny real media, the seed projects pointed at them, hostile files.

Everything is made here with the bundled ffmpeg and Pillow (a few seconds): an 8 s clip with
sound, a tone, a still, a logo, a JPEG background, the Noto Sans file, and the hostile files a
mutation may point a project at (a FIFO, a symbolic link loop, a folder, a device, a
16000x16000 PNG, a text file named .ttf, noise named .mp4, a download cut short).
"""

from __future__ import annotations

import os
import random
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "projects" / "love-always-wins"
CORPUS = ROOT.parent / "shared" / "corpus" / "subtitles"


def make_workspace(work: Path) -> dict[str, Any]:
    """Create `work` with its media, seeds and hostile files; return what the generators need."""
    from ruamel.yaml import YAML

    from filmkit.media.ffmpeg import ffmpeg_binary
    from filmkit.tools.scaffold import EDIT_TEMPLATE

    media = work / "media"
    media.mkdir(parents=True)
    ff = [ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y"]
    clip, tone = media / "clip.mp4", media / "tone.m4a"
    subprocess.run([*ff, "-f", "lavfi", "-i", "testsrc2=s=64x36:r=25:d=8", "-f", "lavfi", "-i", "sine=d=8",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
                    "-movflags", "+faststart", str(clip)], check=True)
    subprocess.run([*ff, "-f", "lavfi", "-i", "sine=d=8", "-c:a", "aac", str(tone)], check=True)
    files = _pictures_and_fonts(media)
    hostile = _hostile(work / "hostile", clip)

    sample = work / "sample"  # the sample film, its media names all pointing at the clip
    shutil.copytree(SAMPLE, sample, ignore=shutil.ignore_patterns("out", "media"))
    edit = sample / "edit.yaml"
    edit.write_text(edit.read_text(encoding="utf-8").replace("../../assets/logo.png", "assets/logo.png"), encoding="utf-8")
    yaml = YAML(typ="safe", pure=True)
    data = yaml.load((sample / "edit.yaml").read_text(encoding="utf-8"))
    for relative in [*data["media"].values(), *(bed["file"] for bed in data.get("music", []))]:
        (sample / relative).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(tone if relative.endswith(".m4a") else clip, sample / relative)
    (sample / "assets").mkdir(exist_ok=True)
    shutil.copy(files["logo"], sample / "assets" / "logo.png")

    scaffold = sample / "init.yaml"
    text = EDIT_TEMPLATE.format(title="Fuzz", title_yaml="Fuzz")
    for name in ("media/01 opening.mp4", "media/02 middle.mp4", "media/03 ending.mp4"):
        text = text.replace(name, str(clip))
    scaffold.write_text(text, encoding="utf-8")
    (sample / "richsubs").mkdir()
    for lang, line in RICH_SUBS.items():
        cues = f"1\n00:00:00,600 --> 00:00:01,800\n{line}\n\n2\n00:00:02,000 --> 00:00:03,400\n{line[::-1]}\n"
        (sample / "richsubs" / f"{lang}.srt").write_bytes(cues.encode("cp1251" if lang == "uk" else "utf-8"))
    rich = sample / "rich.yaml"
    rich.write_text(RICH.format(clip=clip, tone=tone, **files), encoding="utf-8")

    subtitle_seeds = [path.read_bytes().decode("utf-8", "replace") for path in sorted((sample / "subs").iterdir())]
    if CORPUS.is_dir():
        subtitle_seeds += [path.read_bytes().decode("utf-8", "replace") for path in sorted(CORPUS.rglob("*"))
                           if path.is_file() and path.suffix in (".srt", ".vtt", ".ass", ".ssa")]
    cases = sample / "cases"  # beside the seeds, so that their relative paths resolve
    cases.mkdir()
    for relative in ("subs", "richsubs", "media", "assets", "presets"):
        if (sample / relative).exists():
            os.symlink(sample / relative, cases / relative)
    return {"edit_seeds": [sample / "edit.yaml", scaffold, rich], "subtitle_seeds": subtitle_seeds,
            "hostile": [str(path) for path in hostile], "cases": cases}


RICH_SUBS = {"en": "Love always wins", "ru": "Любовь всегда побеждает", "ar": "الحب ينتصر دائماً",
             "uk": "Любов завжди перемагає"}
RICH = """\
filmkit: 1
title: Rich
format: {{size: 320x180, fps: 25}}
media: {{a: "{clip}", b: "{clip}"}}
cut:
  - {{color: black, duration: 0.5}}
  - {{media: a, in: "00:00:01:00", out: "00:00:03:00", transition: {{type: dip, duration: 0.5}}}}
  - {{image: "{still}", duration: 1, transition: {{type: wipeleft, duration: 0.2}}}}
  - {{media: b, in: 2.5, duration: 2, gain_db: -3, focus: 0.3}}
music: [{{file: "{tone}", start: 1, in: 0.5, duration: 4, gain_db: -12, fade_in: 1, fade_out: 1, duck: true}}]
overlays:
  - {{image: "{logo}", start: 0.5, duration: 2, position: top-right, width: 0.2, fade_in: 0.2}}
  - {{text: {{en: "Gold, at last", ru: "Золото"}}, start: 1, end: 3, position: bottom-left, style: {{size: 1.2}}}}
  - {{video: b, in: 1, start: 2, duration: 1, position: {{x: 0.9, y: 0.9}}, width: 0.3}}
subtitles:
  files: {{en: richsubs/en.srt, ru: richsubs/ru.srt, ar: richsubs/ar.srt, uk: richsubs/uk.srt, es: none}}
  encoding: {{uk: cp1251}}
  style: {{font: "{font}", font_scale: 1.2, outline: 3, box: true, position: top}}
  limits: {{ru: {{cpl: 39}}, default: {{cps: 15}}}}
card:
  duration: 2
  fade: {{in: 0.5, out: 0.5}}
  background: "{background}"
  logo: "{logo}"
  text: {{en: {{tagline: Love Always Wins, hashtag: "#Love", url: example.org}}, ru: {{tagline: Любовь}},
         ar: {{tagline: الحب ينتصر دائماً}}, uk: {{tagline: Любов}}, es: {{tagline: El amor}}}}
exports:
  platforms: [youtube-1080p, instagram-reel]
  languages: [en, ru, en+ru]
  path: "out/{{platform}}/{{title_slug}}_{{lang}}.mp4"
  poster: 1.5
"""


def _pictures_and_fonts(media: Path) -> dict[str, Path]:
    from PIL import Image

    import fontpkg_noto_sans

    still, logo, background = media / "still.png", media / "logo.png", media / "background.jpg"
    Image.new("RGB", (160, 90), (200, 40, 40)).save(still)
    Image.new("RGBA", (80, 40), (255, 255, 255, 180)).save(logo)
    Image.new("RGB", (640, 360), (20, 40, 90)).save(background)
    font = media / "NotoSans.ttf"
    shutil.copy(next(Path(next(iter(fontpkg_noto_sans.__path__))).rglob("*.ttf")), font)
    return {"still": still, "logo": logo, "background": background, "font": font}


def _hostile(folder: Path, clip: Path) -> list[Path]:
    folder.mkdir()
    fifo, loop, text_font, noise, cut_short = (folder / "pipe.mp4", folder / "loop.mp4", folder / "font.ttf",
                                               folder / "noise.mp4", folder / "cut-short.mp4")
    os.mkfifo(fifo)
    os.symlink(folder / "loop2.mp4", loop)
    os.symlink(loop, folder / "loop2.mp4")
    text_font.write_text("not a font\n")
    noise.write_bytes(random.Random(1).randbytes(8192))
    cut_short.write_bytes(clip.read_bytes()[: clip.stat().st_size // 3])
    return [fifo, loop, folder, Path("/dev/zero"), _huge_png(folder / "huge.png"), text_font, noise, cut_short,
            clip, folder / "missing.mp4"]


def _huge_png(path: Path, size: int = 16000) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer = zlib.compressobj(9)
    row = b"\x00" + b"\x55" * (size // 8)
    body = b"".join(packer.compress(row) for _ in range(size)) + packer.flush()
    header = struct.pack(">IIBBBBB", size, size, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b""))
    return path
