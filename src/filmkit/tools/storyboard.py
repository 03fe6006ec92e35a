"""Placeholder footage: one titled slate per scene, with a progress bar and ambience tone.

An editor can cut the film before the shoot, and the sample project ships as text: its
footage is made here, by filmkit, rather than committed as binaries.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from pydantic import Field

from filmkit.errors import ProjectError
from filmkit.graph.storyboard import build_chord_args, build_slate_clip_args
from filmkit.media.ffmpeg import run_ffmpeg
from filmkit.project.load import Locations, read_yaml, validate
from filmkit.project.schema import Color, FrameRate, FrameSize, Number, Size, Strict, StrictStr


class Scene(Strict):
    file: StrictStr
    title: StrictStr
    caption: StrictStr = ""
    duration: Number = Field(gt=0, le=600)
    color: Color = "#202830"
    tone: Number = Field(default=220, ge=20, le=8000)  # Hz of the ambience hum
    audio: bool = True


class Bed(Strict):
    """A placeholder music bed: a soft chord that swells and fades."""

    file: StrictStr
    duration: Number = Field(gt=0, le=3600)
    chord: list[Number] = Field(default=[220.0, 277.18, 329.63], min_length=1, max_length=6)


class StoryboardFile(Strict):
    storyboard: int = 1
    size: FrameSize = Size(1920, 1080)
    fps: FrameRate = Fraction(25)
    scenes: list[Scene] = Field(min_length=1)
    music: list[Bed] = []


@dataclass(frozen=True)
class Storyboard:
    path: Path
    spec: StoryboardFile
    locations: Locations

    @property
    def scenes(self) -> list[Scene]:
        return self.spec.scenes

    def target(self, item: Scene | Bed) -> Path:
        return (self.path.parent / item.file).resolve()


def load_storyboard(path: Path) -> Storyboard:
    data, locations = read_yaml(Path(path))
    if not isinstance(data, dict):
        raise ProjectError([locations.problem((), "a storyboard file is a mapping with `scenes:`")])
    return Storyboard(Path(path), validate(StoryboardFile, data, locations), locations)


def generate(board: Storyboard, *, force: bool = False, on_scene: Callable[[int], None] | None = None) -> list[Path]:
    """Write every scene's clip that is missing (all of them with `force`); return those written."""
    written = []
    for number, scene in enumerate(board.scenes, start=1):
        target = board.target(scene)
        if force or not target.exists():
            render_scene(board.spec, scene, number, target)
            written.append(target)
        if on_scene:
            on_scene(number)
    for bed in board.spec.music:
        target = board.target(bed)
        if force or not target.exists():
            render_bed(bed, target)
            written.append(target)
    return written


def render_bed(bed: Bed, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.stem}.filmkit-part{target.suffix}")
    try:
        run_ffmpeg(build_chord_args(temp, bed.chord, Fraction(str(bed.duration))), what=f"storyboard music {target.name}")
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def render_scene(spec: StoryboardFile, scene: Scene, number: int, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    slate = target.with_name(f".{target.stem}.slate.png")
    temp = target.with_name(f".{target.stem}.filmkit-part{target.suffix}")
    try:
        draw_slate(spec.size, scene, number).save(slate)
        # The slate held for the scene's duration, a bar growing along the bottom, a soft hum.
        args = build_slate_clip_args(slate, temp, height=spec.size.height, fps=spec.fps, seconds=Fraction(str(scene.duration)),
                                     tone=scene.tone if scene.audio else None, seed=number)
        run_ffmpeg(args, what=f"storyboard scene {number}")
        os.replace(temp, target)
    finally:
        for leftover in (slate, temp):
            leftover.unlink(missing_ok=True)


def draw_slate(size: Size, scene: Scene, number: int):  # type: ignore[no-untyped-def]
    """A storyboard card: scene number, title, caption, a centre-cross and the 90% safe frame."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = size
    image = Image.new("RGB", (width, height), scene.color)
    draw = ImageDraw.Draw(image)
    unit = height / 1080
    # A soft vertical gradient so fades and crossfades are visible on the slate itself.
    shade = Image.linear_gradient("L").resize((width, height)).point(lambda v: v * 0.35)
    image.paste((0, 0, 0), mask=shade)
    margin_x, margin_y = int(width * 0.05), int(height * 0.05)
    draw.rectangle((margin_x, margin_y, width - margin_x, height - margin_y), outline=(255, 255, 255, 90), width=max(1, int(2 * unit)))
    cx, cy, arm = width // 2, height // 2, int(24 * unit)
    draw.line((cx - arm, cy, cx + arm, cy), fill=(255, 255, 255), width=max(1, int(2 * unit)))
    draw.line((cx, cy - arm, cx, cy + arm), fill=(255, 255, 255), width=max(1, int(2 * unit)))

    def font(points: float) -> ImageFont.FreeTypeFont:
        return ImageFont.load_default(size=max(8, int(points * unit)))

    draw.text((margin_x + 30 * unit, margin_y + 24 * unit), f"SCENE {number:02d}", font=font(44), fill=(255, 255, 255))
    draw.text((width - margin_x - 30 * unit, margin_y + 30 * unit), "STORYBOARD PLACEHOLDER", font=font(30),
              fill=(255, 255, 255), anchor="ra")
    draw.text((cx, cy - 150 * unit), scene.title, font=_fitting(font, scene.title, 96, width * 0.8), fill=(255, 255, 255), anchor="mm")
    if scene.caption:
        draw.text((cx, cy + 140 * unit), scene.caption, font=_fitting(font, scene.caption, 40, width * 0.8),
                  fill=(230, 230, 230), anchor="mm")
    return image


def _fitting(font: Callable[[float], object], text: str, points: float, max_width: float):  # type: ignore[no-untyped-def]
    """The largest size up to `points` at which `text` fits in `max_width`."""
    while points > 10:
        candidate = font(points)
        if candidate.getlength(text) <= max_width:  # type: ignore[attr-defined]
            return candidate
        points *= 0.9
    return font(points)
