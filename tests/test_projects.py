"""Real projects end to end: awkward file names, wipes, the storyboard generator, the sample film."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import BLUE, GREEN, RED, audio_samples, is_color, make_clip, mean_color, read_frames, write_project
from filmkit.media.probe import count_video_frames, probe
from filmkit.project import build_timeline, load_project
from filmkit.render.plan import plan_render
from filmkit.render.run import render
from filmkit.tools.storyboard import generate, load_storyboard

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "projects" / "love-always-wins"

AWKWARD_NAMES = [
    "rink wide, take 2.mp4",
    "it's \"final\".mp4",
    "scene 3: the landing.mp4",
    "каток «финал».mp4",
    "-starts with a dash.mp4",
    "[brackets] & semi;colon=1.mp4",
]


def test_file_names_with_spaces_quotes_commas_colons_and_non_latin_letters_just_work(tmp_path: Path) -> None:
    folder = tmp_path / "projects: «Любовь», it's"
    colors = ["red", "lime", "blue", "red", "lime", "blue"]
    media = {f"m{i}": make_clip(folder / "media" / name, color=color, size="96x54", seconds=1)
             for i, (name, color) in enumerate(zip(AWKWARD_NAMES, colors))}
    # JSON strings are valid YAML double-quoted scalars: the names are written as a user would quote them.
    lines = "\n".join(f"  m{i}: {json.dumps('media/' + name, ensure_ascii=False)}" for i, name in enumerate(AWKWARD_NAMES))
    events = "\n".join(f"  - {{media: m{i}, in: 0, out: 0.2}}" for i in range(len(AWKWARD_NAMES)))
    project = folder / "edit.yaml"
    project.write_text(f"filmkit: 1\ntitle: Пути\nformat: {{size: 96x54, fps: 25}}\nmedia:\n{lines}\ncut:\n{events}\n",
                       encoding="utf-8")
    output = folder / "out: «готово», it's.mp4"
    result = render(plan_render(project, output))
    assert result.output == output and count_video_frames(output) == 30
    frames = read_frames(output)
    expected = [RED, GREEN, BLUE, RED, GREEN, BLUE]
    for event, color in enumerate(expected):
        assert is_color(mean_color(frames[event * 5 + 2]), color), AWKWARD_NAMES[event]
    assert media  # every clip was generated under its awkward name


def test_any_xfade_transition_name_is_applied(tmp_path: Path, clips: dict[str, Path]) -> None:
    project = write_project(tmp_path, f"""
        filmkit: 1
        title: Wipe
        format: {{size: 160x90, fps: 25}}
        media: {{red: "{clips['red']}", blue: "{clips['blue']}"}}
        cut:
          - {{media: red, in: 0, out: 1}}
          - media: blue
            in: 0
            out: 1
            transition: {{type: wipeleft, duration: "00:00:00:10"}}
    """)
    output = render(plan_render(project)).output
    frames = read_frames(output)
    assert len(frames) == 40
    middle = frames[20]  # half-way through the wipe (frames 15-25)
    left, right = mean_color(middle, (0.05, 0.3, 0.3, 0.7)), mean_color(middle, (0.7, 0.3, 0.95, 0.7))
    # wipeleft: the edge travels right to left, uncovering the incoming clip on the right
    assert is_color(left, RED) and is_color(right, BLUE), (left, right)


def test_storyboard_writes_titled_slates_with_ambience_and_a_music_bed(tmp_path: Path) -> None:
    board_file = write_project(tmp_path, """
        storyboard: 1
        size: 320x180
        fps: 25
        scenes:
          - {file: "media/01 one.mp4", title: One, caption: "A caption", duration: 1.2, color: "#1b3a4b", tone: 220}
          - {file: "media/02 two.mp4", title: Two, duration: 0.8, color: "#7b2d26", audio: false}
        music:
          - {file: media/pad.m4a, duration: 3, chord: [220, 330]}
    """, name="storyboard.yaml")
    board = load_storyboard(board_file)
    written = generate(board)
    assert [p.name for p in written] == ["01 one.mp4", "02 two.mp4", "pad.m4a"]
    one, two, pad = (probe(p) for p in written)
    assert one.video is not None and (one.video.width, one.video.height) == (320, 180)
    assert count_video_frames(written[0]) == 30 and count_video_frames(written[1]) == 20
    assert one.audio is not None and two.audio is None
    assert pad.video is None and pad.audio is not None and abs(float(pad.duration) - 3) < 0.05
    samples, _ = audio_samples(written[0])
    assert 0.01 < float(np.sqrt((samples**2).mean())) < 0.5, "an audible but quiet ambience"
    corner = mean_color(read_frames(written[0])[0], (0.0, 0.0, 0.04, 0.04))
    assert is_color(corner, (0x1B, 0x3A, 0x4B), tolerance=20), corner
    centre = read_frames(written[0])[0][60:120, 100:220]
    assert centre.max() > 200, "the title is drawn in white"
    assert generate(board) == [], "existing clips are kept"


@pytest.fixture(scope="module")
def small_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project as shipped, with its frame size shrunk so the test is quick."""
    folder = tmp_path_factory.mktemp("sample")
    logo = SAMPLE.parents[1] / "assets" / "logo.png"
    for name in ("edit.yaml", "storyboard.yaml"):
        text = (SAMPLE / name).read_text(encoding="utf-8").replace("size: 1920x1080", "size: 320x180")
        text = text.replace("logo: ../../assets/logo.png", f'logo: "{logo}"')
        (folder / name).write_text(text, encoding="utf-8")
    shutil.copytree(SAMPLE / "subs", folder / "subs")
    generate(load_storyboard(folder / "storyboard.yaml"))
    return folder / "edit.yaml"


def test_sample_project_renders_its_cut(small_sample: Path) -> None:
    timeline = build_timeline(load_project(small_sample))
    assert timeline.title == "Love Always Wins"
    output = render(plan_render(small_sample)).output
    assert count_video_frames(output) == timeline.total_frames
    frames = read_frames(output, every=25)
    assert mean_color(frames[0]) == (0, 0, 0) or is_color(mean_color(frames[0]), (0, 0, 0), 8), "black leader"
    assert sum(1 for f in frames if f.max() > 150) > len(frames) * 0.6, "most of the film shows titled slates"
    samples, _ = audio_samples(output)
    assert float(np.abs(samples).max()) > 0.05, "ambience and the music bed are heard"


def test_sample_project_plans_its_whole_export_matrix(small_sample: Path) -> None:
    """Every exported language has its subtitles and card text, every platform takes the film."""
    from filmkit.export.matrix import plan_export

    plan = plan_export(small_sample)
    langs = {output.lang for output in plan.outputs}
    platforms = {output.platform for output in plan.outputs}
    assert len(langs) >= 3 and "ar" in langs
    assert len(platforms) >= 4 and any(o.preset.video.size.height > o.preset.video.size.width for o in plan.outputs)
    assert len(plan.outputs) == len(langs) * len(platforms)
    card = load_project(small_sample).project.card
    assert card is not None and set(card.text) >= set(load_project(small_sample).project.subtitles.files)


def test_sample_project_as_shipped_loads(tmp_path: Path) -> None:
    shutil.copy(SAMPLE / "edit.yaml", tmp_path / "edit.yaml")
    timeline = build_timeline(load_project(tmp_path / "edit.yaml"))
    assert (timeline.width, timeline.height, timeline.fps) == (1920, 1080, 25)
    assert 30 < float(timeline.duration) < 60
    board = load_storyboard(SAMPLE / "storyboard.yaml")
    made = {board.target(item).name for item in [*board.scenes, *board.spec.music]}
    used = {Path(p).name for p in load_project(tmp_path / "edit.yaml").project.media.values()}
    assert used <= made, "every clip the cut uses is generated by the storyboard"
