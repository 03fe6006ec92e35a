"""The overlay track in real renders: a logo bug, a bilingual lower third and a picture-in-picture.

One tiny project (a navy cut with English and Arabic subtitles, a brown card) carries a yellow
logo, a lower third on a magenta box in English and Arabic, a lime picture-in-picture and a
cyan mark kept over the card. It is rendered at 16:9 and 9:16 (tiny presets, as in
test_export) and every overlay is found in the decoded pixels: its colour inside its box and
nowhere else, only between its times, inside the platform's safe area, never on the card
(unless `over_card`), never over the subtitles. The lower third is checked against the text
engine: the same lines and the same face per run as the subtitles of its language.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from conftest import ffmpeg, make_clip, read_frames, write_project
from filmkit.render.overlays import PlacedOverlay, place_overlays
from filmkit.render.plan import RenderPlan, plan_single_platform
from filmkit.render.run import render
from filmkit.text.faces import FaceSet
from filmkit.text.runs import itemize
from test_export import tiny_preset

CUT, CARD_IN, TOTAL = 75, 5, 100  # frames at 25 fps: a 3 s cut, the card's 0.2 s crossfade, the film
EN = "1\n00:00:00,200 --> 00:00:01,400\nShe wins gold.\n\n2\n00:00:01,600 --> 00:00:02,600\nAnd cannot celebrate.\n"
AR = "1\n00:00:00,200 --> 00:00:01,400\nتفوز بالذهب.\n\n2\n00:00:01,600 --> 00:00:02,600\nولا تستطيع أن تحتفل.\n"
LOWER_THIRD = {"en": "Anna Berg\nFigure skater", "ar": "آنا بيرغ (Anna Berg)\nمتزلجة على الجليد"}
# name, colour test on RGB, frames shown (first, end), fade-in frames
YELLOW = ("logo", lambda f: (f[..., 0] > 190) & (f[..., 1] > 170) & (f[..., 2] < 90), (10, 60), 0)
MAGENTA = ("lower third", lambda f: (f[..., 0] > 140) & (f[..., 1] < 70) & (f[..., 2] > 70), (20, 60), 5)
LIME = ("picture-in-picture", lambda f: (f[..., 0] < 90) & (f[..., 1] > 190) & (f[..., 2] < 90), (30, 50), 0)
CYAN = ("mark over the card", lambda f: (f[..., 0] < 90) & (f[..., 1] > 190) & (f[..., 2] > 190), (65, 100), 0)
OVERLAYS = (YELLOW, MAGENTA, LIME, CYAN)


def _png(path: Path, size: tuple[int, int], rgb: tuple[int, int, int], border: int = 0) -> None:
    """A solid colour with a transparent border (a logo with alpha)."""
    from PIL import Image

    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste(Image.new("RGBA", (size[0] - 2 * border, size[1] - 2 * border), (*rgb, 255)), (border, border))
    image.save(path)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("overlays")
    make_clip(folder / "media" / "navy.mp4", color="0x203050", seconds=3)
    make_clip(folder / "media" / "lime.mp4", color="lime", seconds=3, audio=None)
    _png(folder / "logo.png", (80, 40), (255, 220, 0), border=6)
    _png(folder / "mark.png", (30, 30), (0, 255, 255))
    ffmpeg("-f", "lavfi", "-i", "color=c=0x00FFFF:s=8x8", "-frames:v", "1", str(folder / "unused.png"))
    (folder / "subs").mkdir()
    (folder / "subs" / "en.srt").write_text(EN, encoding="utf-8")
    (folder / "subs" / "ar.srt").write_text(AR, encoding="utf-8")
    tiny_preset(folder, "tiny-landscape", "youtube-1080p", (320, 180))
    tiny_preset(folder, "tiny-vertical", "instagram-reel", (180, 320))
    lower = "{" + ", ".join(f'{lang}: "{text}"'.replace("\n", "\\n") for lang, text in LOWER_THIRD.items()) + "}"
    return write_project(folder, f"""
        filmkit: 1
        title: Overlays
        format: {{size: 320x180, fps: 25}}
        media: {{navy: media/navy.mp4, lime: media/lime.mp4}}
        cut: [{{media: navy, in: 0, out: 3}}]
        subtitles:
          files: {{en: subs/en.srt, ar: subs/ar.srt}}
        card:
          duration: 1
          fade: {{in: 0.2, out: 0}}
          background: "#402010"
          text:
            en: {{tagline: Love Always Wins}}
            ar: {{tagline: الحب ينتصر دائماً}}
        overlays:
          - image: logo.png
            start: 0.4
            end: 2.4
            position: top-right
            width: 0.2
          - text: {lower}
            start: 0.8
            duration: 1.6
            fade_in: 0.2
            position: bottom-left
            style: {{background_color: "#C00080", background_opacity: 1}}
          - video: lime
            in: 0.5
            start: 1.2
            duration: 0.8
            width: 0.25
            position: top-left
          - image: mark.png
            start: 2.6
            end: 4
            over_card: true
            position: {{x: 1, y: 0.6}}
            width: 0.08
          - image: unused.png
            start: 0
            duration: 1
            platforms: [tiny-vertical]
            languages: [ar]
        exports:
          platforms: [tiny-landscape, tiny-vertical]
          languages: [en, ar]
    """)


@pytest.fixture(scope="module")
def renders(project: Path) -> dict[tuple[str, str], tuple[RenderPlan, list[np.ndarray]]]:
    """The film rendered for each (platform, language) the tests look at, with its plan."""
    made = {}
    for platform, lang in (("tiny-landscape", "ar"), ("tiny-vertical", "en"), ("tiny-landscape", "en+ar")):
        plan = plan_single_platform(project, platform, lang, project.parent / "out" / f"{platform}_{lang}.mp4",
                                    measure=False)
        render(plan)
        made[(platform, lang)] = (plan, read_frames(plan.output))
    return made


CASES = [("tiny-landscape", "ar"), ("tiny-vertical", "en")]


def _placed(plan: RenderPlan) -> dict[int, PlacedOverlay]:
    return {overlay.index: overlay for overlay in plan.overlays()}


@pytest.mark.parametrize("case", CASES, ids=["16x9-ar", "9x16-en"])
@pytest.mark.parametrize("overlay", range(4), ids=[spec[0] for spec in OVERLAYS])
def test_each_overlay_is_in_its_box_only_between_its_times(renders, case, overlay: int) -> None:  # type: ignore[no-untyped-def]
    plan, frames = renders[case]
    name, colour, (first, end), fade = OVERLAYS[overlay]
    box = _placed(plan)[overlay].box
    left, top, right, bottom = plan.overlay_frame().safe
    assert left <= box[0] and top <= box[1] and box[2] <= right and box[3] <= bottom, f"{name} inside the safe area"
    assert len(frames) == TOTAL
    for number, frame in enumerate(frames):
        found = colour(frame.astype(int))
        if first + fade <= number < end:
            ys, xs = np.nonzero(found)
            inner = found[box[1] + 3:box[3] - 3, box[0] + 3:box[2] - 3]
            assert inner.mean() > 0.5, f"{name} fills its box at frame {number}"
            # nowhere outside its box (2 px for the chroma of 4:2:0)
            assert xs.min() >= box[0] - 2 and xs.max() < box[2] + 2 and ys.min() >= box[1] - 2 and ys.max() < box[3] + 2
        elif not first <= number < end:
            assert found.sum() == 0, f"{name} absent at frame {number} (shown {first}-{end - 1})"


@pytest.mark.parametrize("case", CASES, ids=["16x9-ar", "9x16-en"])
def test_the_card_shows_only_the_overlay_kept_over_it(renders, case) -> None:  # type: ignore[no-untyped-def]
    plan, frames = renders[case]
    for frame in frames[CUT + CARD_IN:]:
        rgb = frame.astype(int)
        for name, colour, _, _ in OVERLAYS[:3]:
            assert colour(rgb).sum() == 0, f"{name} on the card"
        assert CYAN[1](rgb).sum() > 0.5 * 0.08 * plan.picture.width * 0.08 * plan.picture.width
        assert abs(int(frame[plan.picture.height // 2, 4][0]) - 0x40) < 24, "the card's own background"


@pytest.mark.parametrize("case", CASES, ids=["16x9-ar", "9x16-en"])
def test_overlays_keep_clear_of_the_subtitles(renders, case) -> None:  # type: ignore[no-untyped-def]
    plan, _ = renders[case]
    cues = plan.placed()
    assert cues
    fps = plan.timeline.fps
    for overlay in plan.overlays():
        shown = (overlay.timing.start / fps, overlay.timing.end / fps)
        obstacles = [cue.box for cue in cues if cue.cue.start < shown[1] and shown[0] < cue.cue.end]
        if plan.caption_area is not None:
            obstacles.append(plan.caption_area)
        box = overlay.box
        for other in obstacles:
            assert not (other[0] < box[2] and box[0] < other[2] and other[1] < box[3] and box[1] < other[3]), (
                f"overlay {overlay.index} {box} covers captions at {other}")
    # the lower third asks for the bottom-left corner of the safe area: it sits there where nothing is in
    # its way (beside a short cue at 16:9) and just above the captions where they would be (9:16's band)
    loaded, frame = plan.loaded, plan.overlay_frame()
    asked = place_overlays(loaded, plan.timeline, plan.media, replace(frame, captions=()),
                           plan.versions[0].overlay_langs, plan.platform)[1].box
    lower = _placed(plan)[1].box
    if plan.caption_area is None:
        assert lower == asked
    else:
        assert lower[3] == plan.caption_area[1] - frame.gap and lower[0] == asked[0] and asked[3] > lower[3]


def test_limits_by_platform_and_language(project: Path, renders) -> None:  # type: ignore[no-untyped-def]
    shown = {case: sorted(_placed(plan)) for case, (plan, _) in renders.items()}
    assert shown[("tiny-landscape", "ar")] == [0, 1, 2, 3], "limited to tiny-vertical"
    assert shown[("tiny-vertical", "en")] == [0, 1, 2, 3], "limited to Arabic"
    both = plan_single_platform(project, "tiny-vertical", "ar", project.parent / "out" / "v_ar.mp4", measure=False)
    assert sorted(_placed(both)) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("case", [("tiny-landscape", "ar"), ("tiny-vertical", "en"), ("tiny-landscape", "en+ar")],
                         ids=["ar", "en", "en+ar"])
def test_the_lower_third_is_laid_out_by_the_subtitles_engine(renders, case) -> None:  # type: ignore[no-untyped-def]
    plan, frames = renders[case]
    lower = _placed(plan)[1]
    assert lower.text is not None
    langs = case[1].split("+")
    blocks = lower.text.blocks
    assert [block.lang for block in blocks] == [lang for lang in langs for _ in range(2)], "a paragraph per written line"
    assert ["\n".join(line.text for line in block.block.lines) for block in blocks] == [
        part for lang in langs for part in LOWER_THIRD[lang].split("\n")]
    subtitle_faces = {run.script: run.font for cue in plan.placed() for line in cue.lines for run in line.runs}
    for block in blocks:
        faces = FaceSet(block.lang)
        for line in block.block.lines:
            expected = [(span.text, span.font) for span in itemize(line.text, faces)]
            assert [(run.text, run.font) for run in line.runs] == expected, "the engine's runs and faces"
            for run in line.runs:
                if run.script in subtitle_faces:
                    assert run.font == subtitle_faces[run.script], f"{run.script} in the subtitles' face"
    if "ar" in langs:
        arabic = next(block.block for block in blocks if block.lang == "ar")
        assert arabic.direction == "rtl" and len({run.font for run in arabic.lines[0].runs}) == 2, (
            "Arabic and Latin runs, each in its own face")
    # drawn: light text on the magenta box while it is shown (after its fade-in)
    left, top, right, bottom = lower.box
    region = frames[40][top:bottom, left:right].astype(int)
    assert (region[..., 1] > 110).sum() > 20, "text drawn in the box (white: green where the box has none)"
    assert MAGENTA[1](region).mean() > 0.5


def test_a_bilingual_version_stacks_both_languages(renders) -> None:  # type: ignore[no-untyped-def]
    plan, _ = renders[("tiny-landscape", "en+ar")]
    lower = _placed(plan)[1]
    assert lower.text is not None
    english, arabic = lower.text.blocks[1], lower.text.blocks[2]
    assert english.lang == "en" and arabic.lang == "ar" and arabic.top > english.top + english.block.height


def test_a_long_film_rendered_in_segments_shows_its_overlays_as_one_graph_would(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cut of many shots renders in segments (render.run): a layer that spans segment
    boundaries, fading in and out, is cut at them and read only for its part, frame for frame."""
    import filmkit.render.run as run

    make_clip(tmp_path / "navy.mp4", color="0x203050", seconds=3, audio=None)
    make_clip(tmp_path / "lime.mp4", color="lime", seconds=3, audio=None)
    _png(tmp_path / "logo.png", (80, 40), (255, 220, 0), border=6)
    events = "".join(f"\n  - {{media: navy, in: {i / 10:g}, duration: 0.2}}" for i in range(14))
    project = tmp_path / "edit.yaml"
    project.write_text(
        "filmkit: 1\ntitle: Long\nformat: {size: 320x180, fps: 25}\nmedia: {navy: navy.mp4, lime: lime.mp4}\n"
        f"cut:{events}\noverlays:\n"
        "  - {image: logo.png, start: 0.32, end: 2.4, fade_in: 0.2, fade_out: 0.2, position: top-right}\n"
        "  - {video: lime, in: 0.4, start: 1.12, duration: 1.2, fade_in: 0.2, width: 0.25, position: top-left}\n",
        encoding="utf-8")
    frames = {}
    for name, above in (("segments", run.SEGMENT_ABOVE), ("one graph", 100)):
        monkeypatch.setattr(run, "SEGMENT_ABOVE", above)
        plan = plan_single_platform(project, "youtube-1080p", None, tmp_path / f"{above}.mp4", measure=False)
        plan = replace(plan, spec=replace(plan.spec, picture=replace(plan.spec.picture, width=320, height=180)))
        assert run.renders_in_segments(plan) == (name == "segments")
        render(plan)
        frames[name] = read_frames(plan.output)
    boxes = [overlay.box for overlay in plan.overlays()]
    assert len(frames["segments"]) == len(frames["one graph"]) == 70
    for number, (split, whole) in enumerate(zip(frames["segments"], frames["one graph"])):
        for left, top, right, bottom in boxes:
            difference = np.abs(split[top:bottom, left:right].astype(int) - whole[top:bottom, left:right].astype(int))
            assert difference.mean() < 4, f"frame {number}: the overlay differs between segments and one graph"
    yellow = [YELLOW[1](frame.astype(int)).sum() for frame in frames["segments"]]
    assert yellow[7] == 0 and yellow[8 + 5] > 0 and yellow[60] == 0, "the logo from frame 8 to 59"
    left, top, right, bottom = boxes[1]  # the clip fades in over frames 28-32, across the boundary at 30
    green = [float(frame[top:bottom, left:right, 1].mean()) for frame in frames["segments"][27:35]]
    assert abs(green[0] - green[1]) < 2, "its first frame fully transparent, as ffmpeg's fade starts"
    assert all(earlier + 20 < later for earlier, later in zip(green[1:6], green[2:7])), "rising through frame 30"
    assert abs(green[6] - green[7]) < 4 and green[7] > 230, "then the lime clip itself"


def test_check_lists_the_overlays_and_dry_run_shows_them(project: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    checked = run_cli("check", str(project))
    assert checked.exit_code == 0, checked
    assert "  overlay 1: text, 00:00:00:20 for 1.60 s\n" in checked.stdout
    assert "  overlay 3: image, 00:00:02:15 for 1.40 s, over the card\n" in checked.stdout
    dry = run_cli("render", str(project), "--lang", "ar", "--dry-run")
    assert dry.exit_code == 0, dry
    assert "overlays written to" in dry.stderr
    assert dry.stdout.count("overlay=x=") == 4 and "overlay1_320x180.png" in dry.stdout


def test_a_jpeg_logo_is_turned_as_its_exif_says_and_keeps_its_aspect(tmp_path: Path) -> None:
    from PIL import Image

    from filmkit.render.plan import plan_render

    make_clip(tmp_path / "navy.mp4", color="0x203050", seconds=2, audio=None)
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown turned a quarter: portrait
    Image.new("RGB", (80, 40), (255, 220, 0)).save(tmp_path / "logo.jpg", exif=exif.tobytes())
    project = write_project(tmp_path, """
        filmkit: 1
        title: Jpeg
        format: {size: 320x180, fps: 25}
        media: {navy: navy.mp4}
        cut: [{media: navy, in: 0, out: 1}]
        overlays: [{image: logo.jpg, start: 0, end: 1, width: 0.1}]
    """)
    plan = plan_render(project, tmp_path / "out.mp4")
    left, top, right, bottom = plan.overlays()[0].box
    assert (right - left, bottom - top) == (32, 64), "a tenth of the width, twice as tall"
    (tmp_path / "work").mkdir()
    layer = plan.write_overlays(tmp_path / "work")[0]
    assert layer.png is not None
    with Image.open(layer.png) as drawn:
        assert drawn.size == (32, 64) and drawn.mode == "RGBA"
