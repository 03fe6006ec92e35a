"""Shared fixtures: tiny media made on the fly with ffmpeg's lavfi sources, and frame readers."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from filmkit.cli import cli
from filmkit.media.ffmpeg import ffmpeg_binary

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("FILMKIT_CORPUS", REPO.parent / "shared" / "corpus"))
# The probe cache of a test run is its own (and children inherit it), never the user's.
os.environ.setdefault("FILMKIT_CACHE_DIR", tempfile.mkdtemp(prefix="filmkit-test-cache-"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CORPUS.is_dir():
        return
    skip = pytest.mark.skip(reason=f"corpus folder {CORPUS} is absent")
    for item in items:
        if "corpus" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


def ffmpeg(*args: str) -> None:
    """Run the bundled ffmpeg quietly; fail the test with its log if it fails."""
    done = subprocess.run([ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def make_clip(
    path: Path,
    *,
    color: str = "red",
    size: str = "320x180",
    rate: str = "25",
    seconds: float = 2.0,
    audio: str | None = "stereo",
    tone: int = 440,
    video_filter: str | None = None,
    extra: tuple[str, ...] = (),
) -> Path:
    """A solid-colour H.264 clip (optionally with a sine tone in the given channel layout)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    source = f"color=c={color}:s={size}:r={rate}:d={seconds}"
    if video_filter:
        source += f",{video_filter}"
    args = ["-f", "lavfi", "-i", source]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=f={tone}:d={seconds}:r=48000", "-af", f"aformat=channel_layouts={audio}",
                 "-c:a", "aac", "-shortest"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", *extra, str(path)]
    ffmpeg(*args)
    return path


COUNTER_STEP = 4  # luma steps per frame: 55 distinguishable frames in 16-235


def make_counter_clip(path: Path, *, frames: int, rate: str = "25", size: str = "64x64") -> Path:
    """Frame n has luma 4*n+16 (lossless), so a decoded pixel says which source frame it was."""
    assert frames <= 55, "the luma ramp distinguishes 55 frames"
    source = f"color=c=black:s={size}:r={rate},geq=lum='{COUNTER_STEP}*N+16':cb=128:cr=128"
    ffmpeg("-f", "lavfi", "-i", source, "-frames:v", str(frames), "-c:v", "libx264", "-qp", "0",
           "-preset", "ultrafast", "-pix_fmt", "yuv444p", str(path))
    return path


def counter_index(frame_rgb: np.ndarray) -> int:
    """Which counter-clip frame this is (inverse of make_counter_clip's luma ramp)."""
    luma = float(frame_rgb[..., 1].mean())  # grey: every channel carries the luma
    limited = luma * 219 / 255 + 16  # full-range RGB back to limited-range luma
    return round((limited - 16) / COUNTER_STEP)


def read_frames(path: Path, every: int = 1) -> list[np.ndarray]:
    """Decoded RGB frames of the first video stream."""
    import av

    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for i, frame in enumerate(container.decode(video=0)) if i % every == 0]


def mean_color(frame: np.ndarray, box: tuple[float, float, float, float] = (0.4, 0.4, 0.6, 0.6)) -> tuple[int, int, int]:
    """Average RGB inside a box given as fractions (x0, y0, x1, y1) of the frame."""
    height, width = frame.shape[:2]
    x0, y0, x1, y1 = int(box[0] * width), int(box[1] * height), int(box[2] * width), int(box[3] * height)
    r, g, b = frame[y0:y1, x0:x1].reshape(-1, 3).mean(axis=0)
    return round(r), round(g), round(b)


def is_color(rgb: tuple[int, int, int], expected: tuple[int, int, int], tolerance: int = 24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(rgb, expected))


RED, GREEN, BLUE, BLACK, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (0, 0, 0), (255, 255, 255)


def audio_samples(path: Path) -> tuple[np.ndarray, int]:
    """All decoded audio as float32 (channels, samples) and its sample rate."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        chunks = [frame.to_ndarray() for frame in container.decode(stream)]
        return np.concatenate(chunks, axis=1), stream.rate


def write_project(folder: Path, body: str, name: str = "edit.yaml") -> Path:
    """Write an edit YAML (dedented) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Coloured 2 s clips shared by many tests (made once per session)."""
    folder = tmp_path_factory.mktemp("clips")
    return {
        "red": make_clip(folder / "red.mp4", color="red"),
        "green": make_clip(folder / "green.mp4", color="lime", tone=660),
        "blue": make_clip(folder / "blue.mp4", color="blue", audio=None),
    }


@pytest.fixture()
def run_cli() -> Callable[..., object]:
    """Invoke the CLI in-process through the real error boundary (filmkit.cli.main)."""
    from filmkit.cli import main

    def invoke(*args: str) -> "CliResult":
        runner = CliRunner()
        result = runner.invoke(_main_command(main), list(args), catch_exceptions=False)
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return invoke


class CliResult:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    def __repr__(self) -> str:
        return f"CliResult(exit_code={self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r})"


def _main_command(main: Callable[..., object]):  # type: ignore[no-untyped-def]
    """Wrap `main` (which calls sys.exit) as a click command so CliRunner captures its streams."""
    import click

    @click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []})
    @click.pass_context
    def wrapper(ctx: click.Context) -> None:
        main(list(ctx.args))

    return wrapper


__all__ = ["cli"]


def read_planes(path: Path) -> list[tuple[float, float, float]]:
    """Mean Y, U, V (limited-range code values, no colour matrix) at the centre of every frame."""
    import av

    means = []
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            planes = frame.to_ndarray(format="yuv444p")
            height, width = planes.shape[1:]
            centre = planes[:, height // 4 : 3 * height // 4, width // 4 : 3 * width // 4]
            means.append(tuple(float(plane.mean()) for plane in centre))
    return means


def make_tinted_counter_clip(path: Path, *, frames: int, rate: str = "25", size: str = "64x64",
                             cb: int = 128, cr: int = 128) -> Path:
    """Like make_counter_clip, with a chroma tint so two counters can be told apart."""
    assert frames <= 55
    source = f"color=c=black:s={size}:r={rate},geq=lum='{COUNTER_STEP}*N+16':cb={cb}:cr={cr}"
    ffmpeg("-f", "lavfi", "-i", source, "-frames:v", str(frames), "-c:v", "libx264", "-qp", "0",
           "-preset", "ultrafast", "-pix_fmt", "yuv444p", str(path))
    return path


@pytest.fixture()
def never_hangs() -> Iterator[None]:
    """A FIFO opened by mistake would block forever: fail the test after a minute instead."""
    def stop(_signum: int, _frame: object) -> None:
        raise TimeoutError("blocked for a minute (a FIFO opened?)")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
