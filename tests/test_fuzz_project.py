"""Property-based fuzzing (Hypothesis) of the project loader and of `filmkit check`.

A valid project is mutated (values replaced by hostile ones, keys dropped or added) or replaced
by hostile YAML (alias bombs, deep nesting, tags, huge numbers); loading it, resolving its
timeline and checking it raise nothing but FilmkitError, and nothing hangs. Media paths are
drawn from real files and from hostile ones made at run time (a FIFO, a symlink loop, a folder,
a device, a 16000x16000 PNG, a text file named .ttf).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import write_project
from filmkit.cli import cli
from filmkit.errors import FilmkitError
from filmkit.project import build_timeline, load_project
from test_fuzz_subtitles import EXPLORE
from test_images import huge_png

FAST = settings(max_examples=EXPLORE or 80, deadline=timedelta(seconds=10), derandomize=not EXPLORE,
                database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SLOW = settings(FAST, max_examples=EXPLORE or 25)

HOSTILE_SCALARS = st.sampled_from([
    float("inf"), float("nan"), -1e308, 1e308, 10**29, -(10**29), 0, -1, 0.0001, True, None, "", " ", "\x00",
    "a" * 300, "../" * 40 + "etc/passwd", "/dev/zero", "~/x.mp4", "9" * 4000, "00:00:99:99", "99:59:59:29",
    "30000/0", "1e400", ".inf", "#GGGGGG", "blur", "en+ru", "../../../escaped", "{lang}", "{platform}/{lang}.mp4",
    "\u202e", "💖", "a:b", "-rf",
])
VALUES = st.recursive(st.one_of(HOSTILE_SCALARS, st.integers(), st.floats(), st.text(max_size=20)),
                      lambda inner: st.one_of(st.lists(inner, max_size=3),
                                              st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=8)
RAW_YAML = st.sampled_from([
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
    "x: " + "[" * 300 + "]" * 300 + "\n", "title: !!python/object/apply:os.system [echo]\n", "cut: !!omap [{a: 1}]\n",
    "cut: !!set {a}\n", "title: !custom x\n", "a: &r [*r]\n", "title: x\ntitle: y\n", "\tfilmkit: 1\n",
    "filmkit: 1\n---\nfilmkit: 1\n", "cut: [{color: black, duration: " + "9" * 5000 + "}]\n", "filmkit: 1\n" * 3,
    "b: &b {x: 1}\nc: {<<: *b}\n", "\ufeff", "\xff\xfe", "'unclosed\n", "- a\n- b\n", "{", "",
])


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, clips: dict[str, Path]) -> dict[str, Any]:
    """A project that checks, with every section filmkit reads, and the hostile files to point it at."""
    from PIL import Image

    folder = tmp_path_factory.mktemp("files")
    Image.new("RGB", (64, 36), (200, 30, 30)).save(folder / "still.png")
    Image.new("RGBA", (40, 20), (255, 255, 255, 200)).save(folder / "logo.png")
    (folder / "en.srt").write_text("1\n00:00:00,200 --> 00:00:00,800\nHello.\n", encoding="utf-8")
    hostile = {"fifo": folder / "pipe.mp4", "loop": folder / "loop.mp4", "dir": folder, "device": Path("/dev/zero"),
               "huge": huge_png(folder / "huge.png", 16000, 16000), "font": folder / "font.ttf"}
    os.mkfifo(hostile["fifo"])
    os.symlink(folder / "loop2.mp4", hostile["loop"])
    os.symlink(hostile["loop"], folder / "loop2.mp4")
    hostile["font"].write_text("not a font")
    return {
        "filmkit": 1, "title": "Fuzz", "format": {"size": "64x36", "fps": 25},
        "media": {"red": str(clips["red"]), "green": str(clips["green"])},
        "cut": [{"media": "red", "in": 0, "out": 0.4}, {"image": str(folder / "still.png"), "duration": 0.2},
                {"media": "green", "in": "00:00:00:05", "duration": 0.4, "transition": {"type": "dip", "duration": 0.1}},
                {"color": "black", "duration": 0.2}],
        "music": [{"file": str(clips["green"]), "gain_db": -12, "fade_in": 0.1}],
        "subtitles": {"files": {"en": str(folder / "en.srt")}, "style": {"font_scale": 1.0}},
        "card": {"duration": 0.4, "fade": 0.1, "logo": str(folder / "logo.png"), "text": {"en": {"tagline": "Hi"}}},
        "hostile": [str(path) for path in hostile.values()],
    }


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path of plain data, containers included."""
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in children:
        yield (*prefix, key)
        yield from paths(value, (*prefix, key))


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> str:
    """YAML text of `base` with a few values replaced (a hostile path among them), dropped or added."""
    import copy

    data = copy.deepcopy(base)
    hostile = data.pop("hostile")
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(list(paths(data))))
        parent = data
        for key in where[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["value", "path", "drop", "add"]))
        if action == "drop" and isinstance(parent, dict):
            parent.pop(where[-1], None)
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = draw(VALUES)
        elif action == "path":
            parent[where[-1]] = draw(st.sampled_from(hostile))
        else:
            parent[where[-1]] = draw(VALUES)
    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, out)
    return out.getvalue() + (draw(RAW_YAML) if draw(st.integers(0, 5)) == 0 else "")


def _fails_only_as_filmkit(action: Callable[[], object]) -> None:
    try:
        action()
    except FilmkitError as exc:
        assert exc.message.strip() and "Traceback" not in exc.message


@FAST
@given(data=st.data())
def test_a_mutated_project_loads_or_says_what_is_wrong(tmp_path: Path, base: dict[str, Any],
                                                       data: st.DataObject) -> None:
    text = data.draw(st.one_of(mutated(base), RAW_YAML, st.lists(RAW_YAML, max_size=4).map("".join)))
    path = write_project(tmp_path, text)
    _fails_only_as_filmkit(lambda: build_timeline(load_project(path)))


@SLOW
@given(data=st.data())
def test_filmkit_check_of_a_mutated_project_ends_in_a_message(tmp_path: Path, base: dict[str, Any],
                                                              data: st.DataObject) -> None:
    path = write_project(tmp_path, data.draw(mutated(base)))
    result = CliRunner().invoke(cli, ["check", str(path)], catch_exceptions=True)
    error = result.exception
    assert error is None or isinstance(error, (FilmkitError, SystemExit)), repr(error)


@pytest.fixture()
def tmp_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder per test, not per example: Hypothesis runs many examples in one test call."""
    return tmp_path_factory.mktemp("fuzz")
