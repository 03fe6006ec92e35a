"""`filmkit init`: a new project that renders at once, with placeholder footage to replace."""

from __future__ import annotations

from pathlib import Path

from filmkit.errors import OutputError
from filmkit.project.jsonschema import SCHEMA_FILE, modeline, schema_text

EDIT_TEMPLATE = """\
# {title}: edit-decision file (filmkit schema 1). Paths are relative to this file.
# Times: "HH:MM:SS:FF" (frames at format.fps), "HH:MM:SS.mmm", or seconds. `out` is exclusive.
filmkit: 1
title: {title_yaml}
format:
  size: 1920x1080
  fps: 25
  audio: {{rate: 48000, channels: 2}}

media:
  opening: media/01 opening.mp4
  middle: media/02 middle.mp4
  ending: media/03 ending.mp4

cut:
  - media: opening
    in: "00:00:00:00"
    out: "00:00:03:00"
  - media: middle
    in: 0.5
    duration: 3
    transition: {{type: crossfade, duration: 0.5}}
  - media: ending
    in: "00:00:00:00"
    out: "00:00:03:00"
    transition: {{type: dip, duration: 0.5}}
"""

STORYBOARD_TEMPLATE = """\
# Placeholder footage: `filmkit storyboard storyboard.yaml` writes the files below.
# Replace them with real footage of the same names (or change the paths in edit.yaml).
storyboard: 1
size: 1920x1080
fps: 25
scenes:
  - {file: media/01 opening.mp4, title: Opening, caption: "Replace with your first shot", duration: 4, color: "#1b3a4b", tone: 110}
  - {file: media/02 middle.mp4, title: Middle, caption: "Replace with your second shot", duration: 4, color: "#6096ba", tone: 165}
  - {file: media/03 ending.mp4, title: Ending, caption: "Replace with your last shot", duration: 4, color: "#7b2d26", tone: 220}
"""


def create_project(folder: Path, title: str | None = None) -> Path:
    """Write edit.yaml (its first line pointing editors at the JSON Schema written beside it, so they
    complete and check keys offline) and storyboard.yaml in `folder`, generate the footage; return edit.yaml."""
    import json

    from filmkit.tools.storyboard import generate, load_storyboard

    folder = Path(folder)
    edit = folder / "edit.yaml"
    if edit.exists():
        raise OutputError(f"{edit}: already exists; `filmkit init` only creates new projects. Choose an empty folder")
    title = title or folder.resolve().name.replace("-", " ").replace("_", " ").title() or "Untitled"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / SCHEMA_FILE).write_text(schema_text(), encoding="utf-8")
        body = EDIT_TEMPLATE.format(title=title, title_yaml=json.dumps(title, ensure_ascii=False))
        edit.write_text(modeline() + body, encoding="utf-8")
        (folder / "storyboard.yaml").write_text(STORYBOARD_TEMPLATE, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the project there ({exc.strerror}). Choose another folder") from None
    generate(load_storyboard(folder / "storyboard.yaml"))
    return edit
