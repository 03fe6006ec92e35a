"""Golden tests of the pure graph layer: a project and probe results in, ffmpeg argv out.

Each case in tests/graph_cases/ holds the project YAML, what probing its media would report,
and the expected argv (paths shown relative to `{dir}`, the project's folder). No ffmpeg runs.
After an intended change to the graph, regenerate with:

    FILMKIT_UPDATE_GOLDEN=1 python3 dev.py test tests/test_graph_golden.py

and review the diff of the case files like any other change.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from filmkit.media.loudness import Loudness
from filmkit.graph import (
    Burn,
    CardImage,
    Encoding,
    Layer,
    Normalization,
    Picture,
    PipClip,
    RenderSpec,
    Version,
    build_render_args,
)
from filmkit.media.levels import SoundLevels
from filmkit.media.probe import AudioInfo, MediaInfo, VideoInfo
from filmkit.project import build_timeline, load_project

CASES = sorted((Path(__file__).parent / "graph_cases").glob("*.yaml"))
UPDATE = os.environ.get("FILMKIT_UPDATE_GOLDEN") == "1"


def fake_probe(path: Path, spec: dict[str, Any]) -> MediaInfo:
    """What `probe` would report for a file, from the case's description of it."""
    video = None
    if spec.get("video", True):
        video = VideoInfo(
            codec=spec.get("codec", "h264"),
            width=spec["width"],
            height=spec["height"],
            sar=Fraction(str(spec.get("sar", 1))),
            rotation=spec.get("rotation", 0),
            rate=Fraction(str(spec.get("rate", 25))),
            pix_fmt=spec.get("pix_fmt", "yuv420p"),
        )
    audio = AudioInfo("aac", 48000, spec.get("channels", 2), "stereo") if spec.get("audio", True) else None
    return MediaInfo(path=path, container=spec.get("container", "mov"), duration=Fraction(str(spec.get("duration", 10))),
                     size_bytes=1000, video=video, audio=audio)


def versions(specs: list[dict[str, Any]] | None, folder: Path) -> list[Version]:
    """The case's outputs (default: one master file), with their subtitles, card files and overlay layers."""
    made = []
    for spec in specs or [{"path": "out/film.mp4"}]:
        burn = Burn(folder / spec["burn"], folder / "fonts") if "burn" in spec else None
        card = CardImage(folder / spec["card"], spec.get("over_blur", False)) if "card" in spec else None
        made.append(Version(folder / spec["path"], burn, card, tuple(layer(item, folder) for item in spec.get("layers", []))))
    return made


def layer(spec: dict[str, Any], folder: Path) -> Layer:
    """An overlay as the render layer hands it to the graph: a drawn PNG or a clip, placed and timed."""
    clip = spec.get("clip")
    return Layer(spec["x"], spec["y"], spec["start"], spec["frames"], spec.get("fade_in", 0), spec.get("fade_out", 0),
                 spec.get("opacity", 1.0), spec.get("over_card", False),
                 folder / spec["png"] if "png" in spec else None,
                 PipClip((folder / clip["source"]).resolve(), clip["in"], clip["width"], clip["height"]) if clip else None)


def render_spec(spec: dict[str, Any] | None) -> RenderSpec:
    """Picture geometry, encoder settings, loudness target and output rate shared by the versions."""
    if not spec:
        return RenderSpec()
    picture = Picture(*map(int, spec["picture"].split("x")), spec.get("reframe", "pad")) if "picture" in spec else None
    encoding = Encoding(**spec["encoding"]) if "encoding" in spec else Encoding()
    loudness = None
    if "loudness" in spec:
        target = spec["loudness"]
        loudness = Normalization(target["I"], target["TP"], target["LRA"], Loudness(*target["measured"]))
    fps = Fraction(str(spec["fps"])) if "fps" in spec else None
    levels = None
    if "levels" in spec:  # the cut's sound as the level pass would measure it: (dB, windows) runs
        runs = spec["levels"]["runs"]
        levels = SoundLevels(spec["levels"]["rate"], spec["levels"]["window"],
                             tuple(float(db) for db, count in runs for _ in range(count)))
    return RenderSpec(picture, encoding, loudness, fps, levels)


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_graph_matches_golden_argv(case: Path, tmp_path: Path) -> None:
    yaml = YAML(typ="rt")
    data = yaml.load(case.read_text(encoding="utf-8"))
    project_file = tmp_path / "edit.yaml"
    project_file.write_text(data["project"], encoding="utf-8")
    timeline = build_timeline(load_project(project_file))
    media = {(tmp_path / name).resolve(): fake_probe((tmp_path / name).resolve(), spec) for name, spec in data["media"].items()}

    argv = build_render_args(timeline, media, versions(data.get("versions"), tmp_path), render_spec(data.get("spec")))
    shown: list[Any] = [arg.replace(str(tmp_path.resolve()), "{dir}") for arg in argv]
    # One filter chain per line, so a change to the graph reads as a small diff.
    at = shown.index("-filter_complex") + 1
    shown[at] = shown[at].split(";")

    if UPDATE:
        data["argv"] = shown
        with case.open("w", encoding="utf-8") as handle:
            yaml.dump(data, handle)
        pytest.skip("golden file rewritten")
    expected = [list(arg) if isinstance(arg, list) else arg for arg in data["argv"]]
    assert shown == expected


def test_every_case_has_an_expected_argv() -> None:
    assert CASES, "tests/graph_cases/ holds the golden cases"
    for case in CASES:
        assert "argv:" in case.read_text(encoding="utf-8"), f"{case.name} has no expected argv; run with FILMKIT_UPDATE_GOLDEN=1"
