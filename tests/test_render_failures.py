"""Renders that must fail, and fail cleanly: on real files, with ffmpeg really running.

A render whose file fails verification, an export job whose file misses its preset, and a
poster time outside the film: each says what went wrong, exits with its status, and leaves no
file at an output path.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from conftest import make_clip, write_project
from filmkit.graph import Encoding
from test_export import make_project, output, tiny_preset


def small_project(folder: Path) -> Path:
    make_clip(folder / "media" / "red.mp4", color="red", seconds=1)
    return write_project(folder, """
        filmkit: 1
        title: Broken
        format: {size: 320x180, fps: 25}
        media: {red: media/red.mp4}
        cut:
          - media: red
            in: 0
            out: 1
    """)


def test_a_render_that_fails_verification_exits_1_and_leaves_no_file(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    """The planner hands the renderer a spec that contradicts the project (mono 44.1 kHz sound for a
    stereo 48 kHz film): ffmpeg renders what it is told, and verification refuses the file."""
    import filmkit.render.plan

    real = filmkit.render.plan.plan_render

    def broken_plan(*args, **kwargs):  # type: ignore[no-untyped-def]
        plan = real(*args, **kwargs)
        encoding = dataclasses.replace(plan.spec.encoding, audio_rate=44100, audio_channels=1)
        return dataclasses.replace(plan, spec=dataclasses.replace(plan.spec, encoding=encoding))

    monkeypatch.setattr(filmkit.render.plan, "plan_render", broken_plan)
    project = small_project(tmp_path)
    target = tmp_path / "out" / "broken.mp4"
    result = run_cli("render", str(project), "-o", str(target))
    assert result.exit_code == 1, result
    assert result.stderr.strip().splitlines()[-1] == (
        "filmkit: error: the render finished but failed verification: audio 44100 Hz x1, expected 48000 Hz x2. "
        "This is a filmkit bug; please report it with `filmkit render --dry-run` output"
    )
    assert not target.exists()
    assert not list(target.parent.glob(".*")), "the unverified temporary file is removed"


def test_a_job_that_misses_its_preset_fails_alone(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """A platform asking for files of at least 75 MB: its job renders, fails the preset, and is
    reported failed; the other platform's outputs are rendered and recorded."""
    project = make_project(tmp_path, platforms="[tiny-landscape, tiny-strict]")
    tiny_preset(tmp_path, "tiny-strict", "instagram-reel", (180, 320), min_size_kb=75000)
    result = run_cli("export", str(project))
    assert result.exit_code == 1, result
    assert "4 outputs: 2 rendered, 0 up to date, 2 failed" in result.stderr
    for lang in ("en", "ar"):
        failed = [line for line in result.stderr.splitlines() if line.startswith(f"FAILED tiny-strict/{lang}: ")]
        assert len(failed) == 1, result.stderr
        assert "tiny-strict: the render does not meet the preset: file size " in failed[0]
        assert "bytes; tiny-strict takes at least 75,000,000 bytes (75000 kB)" in failed[0]
        assert output(tmp_path, "tiny-landscape", lang).is_file()
        assert not output(tmp_path, "tiny-strict", lang).exists()
    assert not list((tmp_path / "out").rglob(".*filmkit-part*"))
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert {entry["platform"] for entry in manifest["outputs"]} == {"tiny-landscape"}


def test_a_poster_time_outside_the_film_is_refused_before_anything_renders(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = make_project(tmp_path, platforms="[tiny-landscape]", langs="[en]")
    text = project.read_text(encoding="utf-8").replace('path: "out/', 'poster: "00:10:00:00"\n  path: "out/')
    project.write_text(text, encoding="utf-8")
    line = next(number for number, row in enumerate(text.splitlines(), 1) if row.lstrip().startswith("poster:"))
    expected = (f"{project}:{line}:3: exports.poster: poster '00:10:00:00' is outside the film "
                "(0 to 4.12 s); give a time inside it, or `card`")
    for command in ("export", "check"):
        result = run_cli(command, str(project))
        assert result.exit_code == 2, result
        assert expected in result.stderr, result.stderr
    assert not (tmp_path / "out").exists(), "nothing rendered"
