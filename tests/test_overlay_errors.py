"""Every way to get the overlay track, ducking and event fades wrong: exit code 2, the line, the fix.

As in test_errors: each case writes a project, runs `filmkit check` (or `render`) in-process
through the real error boundary and checks the exit status, `edit.yaml:LINE:` and the message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ffmpeg, make_clip, write_project
from test_errors import assert_invalid, line_of, problem_count

BASE = """
    filmkit: 1
    title: Overlays
    format: {{size: 320x180, fps: 25}}
    media: {{red: media/red.mp4, green: media/green.mp4, tone: media/tone.m4a}}
    cut: [{{media: red, in: 0, out: 1, gain_db: 0}}, {{media: green, in: 0, out: 1}}]
    card: {{duration: 1, fade: 0.2, text: {{en: {{tagline: Love Always Wins}}, ar: {{tagline: الحب ينتصر دائماً}}}}}}
    {extra}
"""


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("overlay media")
    make_clip(folder / "media" / "red.mp4", color="red")
    make_clip(folder / "media" / "green.mp4", color="lime")
    ffmpeg("-f", "lavfi", "-i", "sine=f=440:d=2:r=48000", "-c:a", "aac", str(folder / "media" / "tone.m4a"))
    ffmpeg("-f", "lavfi", "-i", "color=c=yellow:s=40x20", "-frames:v", "1", str(folder / "logo.png"))
    (folder / "notes.png").write_text("not a picture, a text file someone renamed\n")
    (folder / "subs").mkdir()
    (folder / "subs" / "en.srt").write_text("1\n00:00:00,200 --> 00:00:01,800\nShe wins gold.\n", encoding="utf-8")
    return folder


def project(media: Path, tmp_path: Path, extra: str) -> Path:
    """The base project with `extra` (YAML at the top level), in its own folder sharing `media`."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    for name in ("media", "logo.png", "notes.png", "subs"):
        (tmp_path / name).symlink_to(media / name)
    return write_project(tmp_path, BASE.format(extra=extra.replace("\n", "\n    ")))


def overlay(body: str) -> str:
    return "overlays:\n  - " + body.strip().replace("\n", "\n    ")


TEXT = "  - text:"  # the overlay's line (the card has a `text:` too)


CASES = [
    pytest.param(overlay("image: logo.png\ntext: {en: Hi}\nstart: 0\nend: 1"), "image: logo.png",
                 ["overlays[0]: an overlay needs exactly one of `image`", "this one has image, text",
                  "split it into two overlays"], id="two-kinds"),
    pytest.param(overlay("start: 0\nend: 1"), "start: 0",
                 ["needs exactly one of `image` (a PNG or JPEG file), `text` (per language) or `video`",
                  "this one has none"], id="no-kind"),
    pytest.param(overlay("image: logo.png\nstart: 0\nend: 1\nduration: 1"), "image: logo.png",
                 ["takes `end` or `duration`, not both", "Delete one of them"], id="end-and-duration"),
    pytest.param(overlay("image: logo.png\nstart: 0"), "image: logo.png",
                 ["needs `end` (exclusive) or `duration`; add one of them"], id="no-end"),
    pytest.param(overlay("image: logo.png\nin: 1\nstart: 0\nend: 1"), "image: logo.png",
                 ["`in` is where a `video` overlay starts reading its clip; an image overlay has no source range"],
                 id="in-on-an-image"),
    pytest.param(overlay("image: logo.png\nstart: 0\nend: 1\nstyle: {size: 2}"), "image: logo.png",
                 ["`style` is for text overlays; an image overlay takes `width`, `position` and `opacity`"],
                 id="style-on-an-image"),
    pytest.param(overlay("image: logo.png\nstart: 0\nend: 1\nposition: top-rigth"), "position: top-rigth",
                 ["overlays[0].position: unknown position 'top-rigth'", "bottom-right", "Did you mean `top-right`?"],
                 id="misspelt-position"),
    pytest.param(overlay("image: logo.png\nstart: 0\nend: 1\nposition: {x: 1.5, y: 0}"), "position:",
                 ["overlays[0].position.x: 1.5 is out of range; use a number at most 1"], id="position-outside"),
    pytest.param(overlay("image: logo.png\nstart: 0\nend: 1\nwidth: 0"), "width: 0",
                 ["overlays[0].width: 0 is out of range; use a number more than 0"], id="width-zero"),
    pytest.param(overlay("image: logo.png\nstart: 0\nend: 1\nopacity: 2"), "opacity: 2",
                 ["overlays[0].opacity: 2 is out of range; use a number at most 1"], id="opacity"),
    pytest.param(overlay("image: logo.png\nstart: 0\nend: 1\nplace: top"), "place: top",
                 ["overlays[0].place: unknown key `place`; allowed here: image, text, video, in, start, end",
                  "remove it or fix its spelling"], id="unknown-key"),
    pytest.param(overlay("image: logo.png\nstart: 10\nend: 11"), "start: 10",
                 ["overlays[0].start: start 10 is outside the film, which lasts 3.00 s (75 frames)"],
                 id="start-outside-the-film"),
    pytest.param(overlay("image: logo.png\nstart: 1\nend: 5"), "end: 5",
                 ["overlays[0].end: the overlay ends at 5.00 s, after the film ends (3.00 s); end it at 3.00 s or earlier"],
                 id="end-after-the-film"),
    pytest.param(overlay("image: logo.png\nstart: 1\nend: 0.5"), "end: 0.5",
                 ["overlays[0].end: end 0.5 leaves the overlay no frame; `end` is exclusive"], id="end-before-start"),
    pytest.param(overlay("image: logo.png\nstart: 2.5\nend: 3"), "start: 2.5",
                 ["start 2.5 is on the closing card (the cut ends at 2.00 s)", "add `over_card: true`"],
                 id="start-on-the-card"),
    pytest.param(overlay('image: logo.png\nstart: 0\nduration: 1\nfade_in: 0.8\nfade_out: "00:00:00:12"'), "fade_in",
                 ["fades of 0.80 s in and 0.48 s out do not fit in the overlay's 1.00 s"], id="fades-too-long"),
    pytest.param(overlay('image: logo.png\nstart: "00:00:01:30"\nend: 2'), "start:",
                 ["frame 30 does not exist at 25 fps"], id="bad-timecode"),
    pytest.param(overlay("image: missing.png\nstart: 0\nend: 1"), "image: missing.png",
                 ["overlays[0].image:", "missing.png: file not found. Check the path"], id="missing-image"),
    pytest.param(overlay("image: notes.png\nstart: 0\nend: 1"), "image: notes.png",
                 ["overlays[0].image:", "notes.png: the file is damaged", "Re-export it"],
                 id="image-that-is-not-a-picture"),
    pytest.param(overlay("video: clip\nstart: 0\nend: 1"), "video: clip",
                 ["overlays[0].video: 'clip' is not a media name", "red, green, tone"], id="unknown-video"),
    pytest.param(overlay("video: green\nin: 1.5\nstart: 0\nduration: 1"), "in: 1.5",
                 ["overlays[0].in: the clip is shown for 1.00 s from 00:00:01:13 in green.mp4, past the end of the file",
                  "Start it at 00:00:01:00 or earlier"], id="video-past-its-end"),
    pytest.param(overlay("video: tone\nstart: 0\nend: 1"), "video: tone",
                 ["tone.m4a has no picture (audio only); a video overlay needs one"], id="video-without-picture"),
    pytest.param(overlay('text: {en: ""}\nstart: 0\nend: 1'), TEXT,
                 ["overlays[0].text: the text in en is empty"], id="empty-text"),
    pytest.param(overlay("text: {}\nstart: 0\nend: 1"), TEXT,
                 ["`text` has no language; write it per language"], id="text-without-language"),
    pytest.param(overlay("text: {en: \"\U00013000\"}\nstart: 0\nend: 1"), TEXT,
                 ["overlays[0].text.en: '\U00013000' (U+13000) cannot be drawn with the fonts filmkit uses for 'en'"],
                 id="text-no-font-can-draw"),
    pytest.param(overlay("text: {English: Hi}\nstart: 0\nend: 1"), TEXT,
                 ["overlays[0].text.English: 'English' is not a language code; use an ISO 639 code such as en, ar or pt-BR"],
                 id="text-language-code"),
    pytest.param(overlay("image: logo.png\nstart: 0\nend: 1\nplatforms: [tiktk]"), "platforms:",
                 ["overlays[0].platforms[0]: preset 'tiktk' not found", "Did you mean 'tiktok'?"], id="unknown-platform"),
    pytest.param(overlay("image: logo.png\nstart: 0\nend: 1\nplatforms: []"), "platforms:",
                 ["overlays[0].platforms: must not be empty"], id="no-platform"),
    pytest.param("music:\n  - file: media/tone.m4a\n    duck: {by_db: 0}", "duck:",
                 ["music[0].duck.by_db: 0 is out of range; use a number more than 0"], id="duck-by-nothing"),
    pytest.param("music:\n  - file: media/tone.m4a\n    duck: {threshold_db: 3}", "duck:",
                 ["music[0].duck.threshold_db: 3 is out of range; use a number at most 0"], id="duck-threshold"),
    pytest.param("music:\n  - file: media/tone.m4a\n    duck: {atack: 0.1}", "duck:",
                 ["music[0].duck.atack: unknown key `atack`", "did you mean `attack`?"], id="duck-misspelt"),
    pytest.param("music:\n  - file: media/tone.m4a\n    duck: loud", "duck:",
                 ["music[0].duck: 'loud' is not allowed here; expected a mapping"], id="duck-not-a-mapping"),
]


@pytest.mark.parametrize(("extra", "needle", "expected"), CASES)
def test_overlay_and_ducking_mistakes(run_cli, media: Path, tmp_path: Path, extra: str, needle: str,  # type: ignore[no-untyped-def]
                                      expected: list[str]) -> None:
    path = project(media, tmp_path, extra)
    result = run_cli("check", str(path))
    assert_invalid(result, path, line_of(path, needle), *expected)
    assert problem_count(result.stderr, path) == 1, "one mistake, one problem"


EVENT_CASES = [
    pytest.param("fade_in: -1", ["cut[0].fade_in: -1 is out of range; use a number at least 0"], id="fade-in"),
    pytest.param("fade_out: soon", ["cut[0].fade_out: 'soon' is not allowed here; expected a number"], id="fade-out"),
    pytest.param("mute: maybe", ["cut[0].mute: 'maybe' is not allowed here; expected true or false"], id="mute"),
]


@pytest.mark.parametrize(("line", "expected"), EVENT_CASES)
def test_event_sound_mistakes(run_cli, media: Path, tmp_path: Path, line: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = project(media, tmp_path, "")
    path.write_text(path.read_text(encoding="utf-8").replace("gain_db: 0}", f"{line}}}", 1), encoding="utf-8")
    assert_invalid(run_cli("check", str(path)), path, line_of(path, line), *expected)


EXPORTS = "exports:\n  platforms: [youtube-1080p]\n  languages: [en, ar]\n"


def test_a_text_missing_for_an_exported_language(run_cli, media: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = project(media, tmp_path, EXPORTS + overlay("text: {en: Anna Berg}\nstart: 0\nend: 1"))
    assert_invalid(run_cli("check", str(path)), path, line_of(path, TEXT), (
        "overlays[0].text: the overlay has no text in 'ar', a language this film is exported in; it has en. "
        "Add `ar: ...` under `text:`, or limit the overlay with `languages: [en]`"))
    assert_invalid(run_cli("render", str(path), "--lang", "ar", "-o", str(tmp_path / "x.mp4")), path,
                   line_of(path, TEXT), "no text in 'ar'")
    assert not (tmp_path / "x.mp4").exists()
    limited = project(media, tmp_path / "limited", EXPORTS + overlay(
        "text: {en: Anna Berg}\nstart: 0\nend: 1\nlanguages: [en]"))
    assert run_cli("check", str(limited)).exit_code == 0


def test_an_overlay_with_no_room_beside_the_subtitles(run_cli, media: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    subtitles = "subtitles:\n  files: {en: subs/en.srt, ar: none}\n"
    path = project(media, tmp_path, subtitles + overlay("image: logo.png\nstart: 0\nend: 2\nwidth: 0.9\nposition: bottom"))
    result = run_cli("render", str(path), "--lang", "en", "-o", str(tmp_path / "x.mp4"))
    assert_invalid(result, path, line_of(path, "position: bottom"), (
        "overlays[0].position: the overlay (288x144 px on 320x180) would cover the subtitles there, and there is "
        "no room above or below them inside the safe area. Move it (`position`), make it smaller (`width`), or "
        "show it at another time"))
    assert not (tmp_path / "x.mp4").exists()
    checked = project(media, tmp_path / "check", subtitles + EXPORTS + overlay(
        "image: logo.png\nstart: 0\nend: 2\nwidth: 0.9\nposition: bottom"))
    assert_invalid(run_cli("check", str(checked)), checked, line_of(checked, "position: bottom"),
                   "would cover the subtitles there", "on youtube-1080p")


def test_a_text_too_long_for_its_lines(run_cli, media: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = project(media, tmp_path, overlay(
        "text: {en: Anna Berg skates for the gold medal tonight}\nstart: 0\nend: 1\nwidth: 0.2\nstyle: {max_lines: 1}"))
    assert_invalid(run_cli("render", str(path), "-o", str(tmp_path / "x.mp4")), path, line_of(path, TEXT),
                   "overlays[0].text.en: the text needs more than 1 lines on 320x180",
                   "shorten it, allow more lines (`style: {max_lines: N}`) or a wider overlay (`width`)")


def test_the_master_shows_a_text_in_its_first_language_when_the_cards_is_missing(media: Path, tmp_path: Path) -> None:
    from filmkit.render.plan import plan_render

    path = project(media, tmp_path, overlay("text: {ar: آنا بيرغ, ru: Анна Берг}\nstart: 0\nend: 1"))
    placed = plan_render(path).overlays()  # the master ends on the English card: no English text here
    assert placed[0].text is not None and [block.lang for block in placed[0].text.blocks] == ["ar"]
