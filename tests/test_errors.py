"""Every way a user can get the input wrong: exit code 2 and a message that says where and how to fix.

Each test checks the exit status (2 = invalid input; 1 is only for a render that failed) and the
message: the file, the line as `edit.yaml:LINE:` (counted from the YAML written here), the
offending value, and what is allowed. No traceback may reach the user without `--debug`.
"""

from __future__ import annotations

import os
import random
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ffmpeg, make_clip, write_project

HEAD = """
    filmkit: 1
    title: Errors
    format: {size: 320x180, fps: 25}
    media: {red: "{red}", green: "{green}"}
    cut:"""
EVENT = """
      - media: red
        in: 0
        out: 1
"""
SMALL = """
    filmkit: 1
    title: Small
    format: {size: 64x36, fps: 25}
    media: {red: "{red}"}
    cut:
      - media: red
        in: 0
        out: 0.2
"""

Edit = Callable[..., Path]


@pytest.fixture()
def edit(tmp_path: Path, clips: dict[str, Path]) -> Edit:
    """Write an edit YAML into tmp_path; `{red}`, `{green}`, `{blue}` become the session clips."""

    def write(body: str, name: str = "edit.yaml") -> Path:
        for key, path in clips.items():
            body = body.replace("{" + key + "}", str(path))
        return write_project(tmp_path, body, name)

    return write


@pytest.fixture(scope="module")
def odd_media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Files that look like media but are not what a cut needs."""
    folder = tmp_path_factory.mktemp("odd media")
    noise = folder / "noise.mp4"
    noise.write_bytes(random.Random(0).randbytes(4096))
    text = folder / "notes.mp4"
    text.write_text("this is not a video, it is a text file someone renamed\n")
    whole = make_clip(folder / "whole.mp4", extra=("-movflags", "+faststart"))
    cut_short = folder / "download cut short.mp4"  # header first, then a third of the data
    cut_short.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    tone = folder / "tone.m4a"
    ffmpeg("-f", "lavfi", "-i", "sine=f=440:d=2:r=48000", "-c:a", "aac", str(tone))
    return {"noise": noise, "text": text, "cut_short": cut_short, "tone": tone}


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line of `path` that contains `needle`."""
    found = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    assert len(found) >= nth, f"{needle!r} is not in {path}"
    return found[nth - 1]


def assert_invalid(result, where: Path, line: int | None, *expected: str) -> None:  # type: ignore[no-untyped-def]
    """Exit 2, no traceback, `where:line:` named, and every expected fragment in the message."""
    assert result.exit_code == 2, result
    assert "Traceback" not in result.stderr + result.stdout, result
    location = f"{where}:{line}:" if line is not None else f"{where}:"
    assert location in result.stderr, f"expected {location!r} in {result.stderr!r}"
    for text in expected:
        assert text in result.stderr, f"expected {text!r} in {result.stderr!r}"


def problem_count(stderr: str, where: Path) -> int:
    """Problems are reported one per paragraph, each starting with the project path."""
    return stderr.count(f"{where}:")


# --- the YAML itself -----------------------------------------------------------------------

YAML_CASES = [
    pytest.param(
        HEAD + """
      - media: red
        in: 0
       out: 1.5
    """, "out: 1.5",
        ["invalid YAML", "Check indentation and quoting on this line"], id="bad-indentation"),
    pytest.param(
        HEAD + """
      - media: red
        in: "00:00:00:00
        out: 1
    """, 'in: "00:00:00:00',
        ["invalid YAML", "quoted scalar", "end of the file", "Check indentation and quoting"], id="unclosed-quote"),
    pytest.param(
        HEAD + """
      - media: red
        in: 0
        out: 1
        out: 2
    """, "out: 2",
        ['duplicate key "out"', "the mapping starts at line 6", "delete one of them"], id="duplicate-key"),
    pytest.param(
        HEAD + """
      - media: red
        in: 0
        ot: 1
    """, "ot: 1",
        ["cut[0].ot: unknown key `ot`", "allowed here: media, color, image, in, out, duration", "did you mean `out`?"],
        id="misspelt-event-key"),
    pytest.param(
        HEAD.replace("title: Errors", "title: Errors\n    titel: Errors") + EVENT, "titel:",
        ["titel: unknown key `titel`", "allowed here: filmkit, title, format, media, cut", "did you mean `title`?"],
        id="unknown-top-level-key"),
    pytest.param(
        HEAD.replace("filmkit: 1\n", "") + EVENT, 1,
        ["missing schema version", "add `filmkit: 1` as the first line"], id="missing-version"),
    pytest.param(
        HEAD.replace("filmkit: 1", "filmkit: 2") + EVENT, "filmkit: 2",
        ["schema version 2 is not one this filmkit reads", "it reads `filmkit: 1`", "Upgrade filmkit"], id="version-2"),
    pytest.param(
        """
    - filmkit: 1
    - title: A list
    """, 1,
        ["must be a YAML mapping", "starts with `filmkit: 1`", "it holds a list"], id="list-not-mapping"),
    pytest.param("", 1, ["the file is empty", "`filmkit: 1`"], id="empty-file"),
    pytest.param(
        HEAD.replace("cut:", "cut: []"), "cut: []",
        ["cut: must not be empty", "list at least one event", "- media: NAME"], id="empty-cut"),
    pytest.param(
        HEAD + "\n      - media: red\n    \tin: 0\n        out: 1\n", "\tin: 0",
        ["invalid YAML", "'\\t'", "Check indentation"], id="tab-indent"),
]


@pytest.mark.parametrize(("body", "line", "expected"), YAML_CASES)
def test_yaml_mistakes_name_the_line(run_cli, edit: Edit, body: str, line: int | str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = edit(body)
    where = line if isinstance(line, int) else line_of(path, line)
    assert_invalid(run_cli("check", str(path)), path, where, *expected)


def test_yaml_merge_keys_are_read_and_errors_still_point_at_their_line(run_cli, edit: Edit) -> None:  # type: ignore[no-untyped-def]
    """`<<: *anchor` used to crash the position bookkeeping (KeyError in load._plain)."""
    path = edit(HEAD + """
      - &shot
        media: red
        in: 0
        out: 1
      - <<: *shot
        out: "00:00:01:25"
    """)
    result = run_cli("check", str(path))
    assert_invalid(result, path, line_of(path, '"00:00:01:25"'), 'cut[1].out: "00:00:01:25": frame 25 does not exist')


def test_file_that_is_not_utf8_names_the_line_and_byte(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "edit.yaml"
    path.write_bytes("filmkit: 1\ntitle: Café in Łódź\n".encode("cp1250"))
    result = run_cli("check", str(path))
    assert_invalid(result, path, 2, "is not UTF-8 text", "byte 0xE9", "Save the file as UTF-8")


def test_file_saved_as_utf16_says_so(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "edit.yaml"
    path.write_bytes("filmkit: 1\ntitle: Windows\n".encode("utf-16"))
    assert_invalid(run_cli("check", str(path)), path, 1, "is saved as UTF-16", "save it as UTF-8")


def test_missing_project_file(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "films" / "edit.yaml"
    assert_invalid(run_cli("check", str(path)), path, None, "file not found", "check the path")


def test_project_path_that_is_a_folder(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("check", str(tmp_path))
    assert result.exit_code == 2, result
    assert "Traceback" not in result.stderr
    assert f"'{tmp_path}' is a directory" in result.stderr and "PROJECT_FILE" in result.stderr


# --- times ---------------------------------------------------------------------------------

def _event(in_: str, out: str, key: str = "out", fps: str = "25") -> str:
    return HEAD.replace("fps: 25", f"fps: {fps}") + f"""
      - media: red
        in: {in_}
        {key}: {out}
    """


TIME_CASES = [
    pytest.param(_event('"1:2:3"', "1"), 'in: "1:2:3"',
                 ['cut[0].in: "1:2:3" is not a time', '"HH:MM:SS:FF"', '"HH:MM:SS.mmm"', "number of seconds"],
                 id="bad-format"),
    pytest.param(_event("0", '"00:00:01:25"'), "00:00:01:25",
                 ['cut[0].out: "00:00:01:25": frame 25 does not exist at 25 fps', "frames must be 00-24"],
                 id="frame-25-at-25fps"),
    pytest.param(_event("0", '"00:00:01:30"', fps="30000/1001"), "00:00:01:30",
                 ['"00:00:01:30": frame 30 does not exist at 30000/1001 fps', "frames must be 00-29"],
                 id="frame-30-at-2997"),
    pytest.param(_event('"00:00:60:00"', "61"), "00:00:60:00",
                 ['cut[0].in: "00:00:60:00": seconds must be 00-59', "HH:MM:SS:FF at 25 fps"], id="seconds-60"),
    pytest.param(_event("-1", "1"), "in: -1",
                 ["cut[0].in: -1 is negative", "times start at 0"], id="negative-seconds"),
    pytest.param(_event("1.5", "0.5"), "out: 0.5",
                 ["cut[0].out: out 0.5 is not after in 1.5", "`out` is exclusive and must be later than `in`"],
                 id="out-before-in"),
    pytest.param(_event("0", "0", key="duration"), "duration: 0",
                 ["cut[0].duration: duration 0 is shorter than one frame at 25 fps", "give at least one frame"],
                 id="duration-0"),
    pytest.param(_event('"00:00:00;10"', "1"), "00:00:00;10",
                 ['"00:00:00;10": drop-frame timecode (with ";") exists only at 29.97 or 59.94 fps',
                  'not at 25; write "00:00:00:10"'], id="drop-frame-at-25fps"),
    pytest.param(_event("[1, 2]", "1"), "in: [1, 2]",
                 ["cut[0].in: [1, 2] is not allowed here; expected a time", '"HH:MM:SS:FF"'], id="list-as-time"),
]


@pytest.mark.parametrize(("body", "needle", "expected"), TIME_CASES)
def test_time_mistakes(run_cli, edit: Edit, body: str, needle: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = edit(body)
    result = run_cli("check", str(path))
    assert_invalid(result, path, line_of(path, needle), *expected)
    assert problem_count(result.stderr, path) == 1, "one mistake, one problem (not one per union branch)"


# --- format --------------------------------------------------------------------------------

FORMAT_CASES = [
    pytest.param("{size: 1920by1080, fps: 25}",
                 ["format.size: '1920by1080' is not a frame size", "write WIDTHxHEIGHT such as 1920x1080"], id="size-by"),
    pytest.param("{size: 1921x1080, fps: 25}",
                 ["format.size: '1921x1080': width and height must be even", "use 1920x1080"], id="odd-size"),
    pytest.param("{size: 320x180, fps: fast}",
                 ["format.fps: 'fast' is not a frame rate", "25, 30, 50, 60, 24000/1001, 30000/1001"], id="fps-fast"),
    pytest.param("{size: 320x180, fps: 25/0}",
                 ["format.fps: '25/0' is not a frame rate", "30000/1001"], id="fps-divided-by-zero"),
    pytest.param("{size: 320x180, fps: .inf}",
                 ["format.fps: inf is not a frame rate", "30000/1001"], id="fps-infinite"),
    pytest.param("{size: 320x180, audio: {rate: 22050}}",
                 ["format.audio.rate: 22050 is not allowed", "use 44100, 48000 or 96000"], id="audio-rate-22050"),
    pytest.param("1920x1080",
                 ["format: '1920x1080' is not allowed here; expected a mapping (key: value lines)"], id="format-not-mapping"),
]


@pytest.mark.parametrize(("fmt", "expected"), FORMAT_CASES)
def test_format_mistakes(run_cli, edit: Edit, fmt: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = edit(HEAD.replace("{size: 320x180, fps: 25}", fmt) + EVENT)
    result = run_cli("check", str(path))
    assert_invalid(result, path, 3, *expected)
    assert problem_count(result.stderr, path) == 1


# --- events --------------------------------------------------------------------------------

EVENT_CASES = [
    pytest.param("""
      - media: red
        color: "#000000"
        in: 0
        out: 1
    """, "- media: red",
        ["cut[0]: an event needs exactly one of `media`", "this one has media, color", "Keep one"],
        id="media-and-color"),
    pytest.param("""
      - media: red
        out: 1
    """, "- media: red", ["cut[0]: a media event needs `in`", 'in: "00:00:02:00"'], id="media-without-in"),
    pytest.param("""
      - media: red
        in: 0
        out: 1
        duration: 1
    """, "- media: red",
        ["cut[0]: a media event takes `out` or `duration`, not both", "out 1 and duration 1", "Delete one of them"],
        id="out-and-duration"),
    pytest.param("""
      - media: red
        in: 0
    """, "- media: red",
        ["cut[0]: a media event needs `out` (exclusive) or `duration`", "add one of them"], id="neither-out-nor-duration"),
    pytest.param("""
      - media: redd
        in: 0
        out: 1
    """, "media: redd",
        ["cut[0].media: 'redd' is not a media name", "names defined under `media:` are red, green", "did you mean `red`?"],
        id="unknown-media-name"),
    pytest.param("""
      - color: "#12345"
        duration: 1
    """, '"#12345"',
        ["cut[0].color: '#12345' is not a colour", "use #RRGGBB (quoted", "black, white, gray"], id="colour-5-digits"),
    pytest.param("""
      - color: purple
        duration: 1
    """, "purple",
        ["cut[0].color: 'purple' is not a colour", "#RRGGBB", "one of black, white, gray, red, green, blue"],
        id="colour-purple"),
    pytest.param("""
      - color: #000000
        duration: 1
    """, "color: #000000",
        ["cut[0]: `color` has no value", "a # starts a YAML comment", 'color: "#000000"'], id="colour-unquoted-hash"),
    pytest.param(EVENT + """
      - media: green
        in: 0
        out: 1
        transition: {type: swoosh, duration: 0.2}
    """, "swoosh",
        ["cut[1].transition.type: unknown transition 'swoosh'", "use cut, crossfade, dip or an ffmpeg xfade name",
         "wipeleft"], id="unknown-transition"),
    pytest.param(EVENT + """
      - media: green
        in: 0
        out: 1
        transition: {type: crosfade}
    """, "crosfade",
        ["unknown transition 'crosfade'", "Did you mean `crossfade`?"], id="misspelt-transition"),
    pytest.param("""
      - media: red
        in: 0
        out: 1
        transition: {type: crossfade, duration: 0.2}
    """, "transition:",
        ["cut[0].transition: the first event has no event before it", "remove `transition`"],
        id="transition-on-first-event"),
    pytest.param("""
      - media: red
        in: 0
        out: 0.4
      - media: green
        in: 0
        out: 1
        transition: {type: crossfade, duration: 0.6}
    """, "duration: 0.6",
        ["cut[1].transition.duration: transition of 0.60 s (15 frames) is longer than its neighbours allow",
         "cut[0] has 10 frames free", "cut[1] lasts 25 frames", "Shorten the transition or lengthen the events"],
        id="transition-too-long"),
    pytest.param("""
      - media: red
        in: 0
        out: 1
        gain_db: loud
    """, "gain_db: loud",
        ["cut[0].gain_db: 'loud' is not allowed here; expected a number such as -3 or 1.5"], id="gain-loud"),
]


@pytest.mark.parametrize(("cut", "needle", "expected"), EVENT_CASES)
def test_event_mistakes(run_cli, edit: Edit, cut: str, needle: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = edit(HEAD + cut)
    result = run_cli("check", str(path))
    assert_invalid(result, path, line_of(path, needle), *expected)
    assert problem_count(result.stderr, path) == 1, "one mistake, one problem"


# --- media ---------------------------------------------------------------------------------

def _media_project(edit: Edit, media: str, cut: str, music: str = "") -> Path:
    return edit(f"""
    filmkit: 1
    title: Media
    format: {{size: 320x180, fps: 25}}
    media:
      shot: "{media}"
    cut:""" + cut + music)


SHOT = """
      - media: shot
        in: 0
        out: 1
"""


def test_missing_media_file_with_spaces_in_its_path(run_cli, edit: Edit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _media_project(edit, "media/rink wide.mp4", SHOT)
    assert_invalid(run_cli("check", str(path)), path, line_of(path, "shot:"),
                   f"media.shot: {tmp_path / 'media' / 'rink wide.mp4'}: file not found",
                   "Check the path and its spelling", "relative to that file")


@pytest.mark.parametrize("kind", ["noise", "text"], ids=["random-bytes", "text-named-mp4"])
def test_corrupt_media_file(run_cli, edit: Edit, odd_media: dict[str, Path], kind: str) -> None:  # type: ignore[no-untyped-def]
    path = _media_project(edit, str(odd_media[kind]), SHOT)
    assert_invalid(run_cli("check", str(path)), path, line_of(path, "shot:"),
                   f"media.shot: {odd_media[kind]}: not a media file filmkit can read",
                   "Re-export it, or check that the copy or download finished")


def test_media_file_cut_short_is_not_silently_used(run_cli, edit: Edit, odd_media: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    """A download that stopped early keeps its (faststart) header; it used to pass `check` and render."""
    path = _media_project(edit, str(odd_media["cut_short"]), SHOT)
    assert_invalid(run_cli("check", str(path)), path, line_of(path, "shot:"),
                   f"{odd_media['cut_short']}: the file is cut short", "header says 2.00 s",
                   "Check that the copy or download finished")


def test_audio_only_file_used_as_picture(run_cli, edit: Edit, odd_media: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    path = _media_project(edit, str(odd_media["tone"]), SHOT)
    assert_invalid(run_cli("check", str(path)), path, line_of(path, "shot:"),
                   "media.shot: tone.m4a has no picture (audio only)", "use it as `music:` instead")


RANGE_CASES = [
    pytest.param("""
      - media: shot
        in: 3
        out: 4
    """, "in: 3",
        ["cut[0].in: in 00:00:03:00 is past the end of red.mp4, which lasts 00:00:02:00 (2.00 s)",
         "Use an in point before the end"], id="in-past-end"),
    pytest.param("""
      - media: shot
        in: 1
        out: 2.5
    """, "out: 2.5",
        ["cut[0].out: the event ends at 00:00:02:13 in red.mp4, past the end of the file",
         "lasts 00:00:02:00 (2.00 s)", "Move `out` to 00:00:02:00 or earlier"], id="out-past-end"),
    pytest.param("""
      - media: shot
        in: 1
        duration: 1.5
    """, "duration: 1.5",
        ["cut[0].duration: the event ends at 00:00:02:13 in red.mp4, past the end of the file",
         "Shorten `duration` to 1.00 s (25 frames) or less"], id="duration-past-end"),
]


@pytest.mark.parametrize(("cut", "needle", "expected"), RANGE_CASES)
def test_range_outside_the_source(run_cli, edit: Edit, clips: dict[str, Path], cut: str, needle: str,  # type: ignore[no-untyped-def]
                                  expected: list[str]) -> None:
    path = _media_project(edit, str(clips["red"]), cut)
    assert_invalid(run_cli("check", str(path)), path, line_of(path, needle), *expected)


def test_out_at_the_very_end_of_the_source_is_fine(run_cli, edit: Edit, clips: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    """The boundary of the range checks: `out` is exclusive, so 00:00:02:00 of a 2 s clip is allowed."""
    path = _media_project(edit, str(clips["red"]), """
      - media: shot
        in: 0
        out: "00:00:02:00"
    """)
    result = run_cli("check", str(path))
    assert result.exit_code == 0, result
    assert "50 frames" in result.stdout


def test_missing_still_image(run_cli, edit: Edit, clips: dict[str, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _media_project(edit, str(clips["red"]), SHOT + """
      - image: stills/photo.png
        duration: 1
    """)
    assert_invalid(run_cli("check", str(path)), path, line_of(path, "image: stills/photo.png"),
                   f"cut[1].image: {tmp_path / 'stills' / 'photo.png'}: file not found")


def test_missing_music_file(run_cli, edit: Edit, clips: dict[str, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _media_project(edit, str(clips["red"]), SHOT, """
    music:
      - file: music/theme.wav
        gain_db: -14
    """)
    assert_invalid(run_cli("check", str(path)), path, line_of(path, "file: music/theme.wav"),
                   f"music[0].file: {tmp_path / 'music' / 'theme.wav'}: file not found", "Check the path")


def test_music_file_without_sound(run_cli, edit: Edit, clips: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    path = _media_project(edit, str(clips["red"]), SHOT, f"""
    music:
      - file: "{clips['blue']}"
    """)
    assert_invalid(run_cli("check", str(path)), path, line_of(path, "- file:"),
                   "music[0].file: blue.mp4 has no audio stream", "a music bed needs a file with sound")


def test_music_in_past_its_end(run_cli, edit: Edit, clips: dict[str, Path], odd_media: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    path = _media_project(edit, str(clips["red"]), SHOT, f"""
    music:
      - file: "{odd_media['tone']}"
        in: 5
    """)
    assert_invalid(run_cli("check", str(path)), path, line_of(path, "in: 5"),
                   "music[0].in: in 00:00:05:00 is past the end of tone.m4a, which lasts 00:00:02:00",
                   "Use an in point before the end")


# --- several problems at once ---------------------------------------------------------------

def test_every_schema_problem_is_reported_at_once(run_cli, edit: Edit) -> None:  # type: ignore[no-untyped-def]
    path = edit(HEAD.replace("fps: 25", "fps: fast") + """
      - media: red
        in: 0
        ot: 1
      - color: purple
        duration: 1
        gain_db: loud
    """)
    result = run_cli("check", str(path))
    assert_invalid(result, path, 3, "format.fps: 'fast' is not a frame rate")
    assert f"{path}:{line_of(path, 'ot: 1')}:" in result.stderr and "did you mean `out`?" in result.stderr
    assert f"{path}:{line_of(path, 'purple')}:" in result.stderr and "'purple' is not a colour" in result.stderr
    assert f"{path}:{line_of(path, 'gain_db')}:" in result.stderr and "'loud' is not allowed here" in result.stderr
    assert problem_count(result.stderr, path) == 4, result.stderr


def test_every_timeline_problem_is_reported_at_once(run_cli, edit: Edit) -> None:  # type: ignore[no-untyped-def]
    path = edit(HEAD + """
      - media: redd
        in: "1:2:3"
        out: 1
      - media: red
        in: 0
        out: "00:00:01:25"
      - media: green
        in: 1.5
        out: 0.5
      - color: black
        duration: 0
    """)
    result = run_cli("check", str(path))
    assert_invalid(result, path, line_of(path, "media: redd"), "'redd' is not a media name")
    for needle, text in [('"1:2:3"', '"1:2:3" is not a time'), ("01:25", "frame 25 does not exist"),
                         ("out: 0.5", "out 0.5 is not after in 1.5"), ("duration: 0", "shorter than one frame")]:
        assert f"{path}:{line_of(path, needle)}:" in result.stderr and text in result.stderr, (needle, result.stderr)
    assert problem_count(result.stderr, path) == 5, result.stderr


def test_every_missing_file_is_reported_at_once(run_cli, edit: Edit, clips: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    path = edit(f"""
    filmkit: 1
    title: Missing
    format: {{size: 320x180, fps: 25}}
    media:
      a: media/a.mp4
      b: media/b.mp4
      red: "{clips['red']}"
    cut:
      - media: a
        in: 0
        out: 1
      - media: b
        in: 0
        out: 1
      - image: stills/c.png
        duration: 1
    music:
      - file: music/d.wav
    """)
    result = run_cli("check", str(path))
    assert_invalid(result, path, line_of(path, "a: media/a.mp4"), "a.mp4: file not found")
    for needle in ("b: media/b.mp4", "stills/c.png", "music/d.wav"):
        assert f"{path}:{line_of(path, needle)}:" in result.stderr, (needle, result.stderr)
    assert problem_count(result.stderr, path) == 4, result.stderr


# --- where the output goes ------------------------------------------------------------------

def test_output_under_a_regular_file(run_cli, edit: Edit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = edit(SMALL)
    blocker = tmp_path / "somefile.txt"
    blocker.write_bytes(b"notes, not a folder")
    target = blocker / "out.mp4"
    result = run_cli("render", str(path), "-o", str(target))
    assert result.exit_code == 2, result
    assert "Traceback" not in result.stderr
    assert f"{target}: {blocker} is a file, not a folder. Choose another -o" in result.stderr
    assert blocker.read_bytes() == b"notes, not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edit.yaml", "somefile.txt"]


def test_output_under_a_regular_file_says_that_the_parent_is_a_file(run_cli, edit: Edit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = edit(SMALL)
    blocker = tmp_path / "somefile.txt"
    blocker.write_bytes(b"notes")
    result = run_cli("render", str(path), "-o", str(blocker / "out.mp4"))
    assert result.exit_code == 2, result
    assert "File exists" not in result.stderr
    assert "not a folder" in result.stderr or "is a file" in result.stderr


def test_output_that_is_an_existing_folder(run_cli, edit: Edit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = edit(SMALL)
    folder = tmp_path / "renders"
    folder.mkdir()
    (folder / "yesterday.mp4").write_bytes(b"yesterday's good render")
    result = run_cli("render", str(path), "-o", str(folder))
    assert result.exit_code == 2, result
    assert "Traceback" not in result.stderr
    assert f"{folder}: is a folder; give a file name such as {folder / 'film.mp4'}" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["yesterday.mp4"], "nothing written, no temporary left"
    assert (folder / "yesterday.mp4").read_bytes() == b"yesterday's good render"


def test_output_that_is_one_of_the_projects_media(run_cli, edit: Edit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    clip = make_clip(tmp_path / "media" / "shot.mp4", size="64x36", seconds=1, audio=None)
    before = clip.read_bytes()
    path = edit(SMALL.replace("{red}", "media/shot.mp4"))
    result = run_cli("render", str(path), "-o", str(clip))
    assert result.exit_code == 2, result
    assert "Traceback" not in result.stderr
    assert f"{clip}: the output would overwrite one of the project's own files (the project, its media or subtitles)" in result.stderr
    assert "Choose another -o" in result.stderr
    assert clip.read_bytes() == before


def test_output_that_is_a_media_file_spelt_another_way(run_cli, edit: Edit, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    clip = make_clip(tmp_path / "media" / "shot.mp4", size="64x36", seconds=1, audio=None)
    before = clip.read_bytes()
    path = edit(SMALL.replace("{red}", "media/shot.mp4"))
    monkeypatch.chdir(tmp_path / "media")
    result = run_cli("render", str(path), "-o", "../media/./shot.mp4")
    assert result.exit_code == 2, result
    assert "would overwrite one of the project's own files" in result.stderr
    assert clip.read_bytes() == before


def test_output_that_is_the_project_file_itself(run_cli, edit: Edit) -> None:  # type: ignore[no-untyped-def]
    path = edit(SMALL)
    before = path.read_bytes()
    result = run_cli("render", str(path), "-o", str(path))
    assert path.read_bytes() == before, "the edit decision file was overwritten by the render"
    assert result.exit_code == 2, result
    assert str(path) in result.stderr and "Choose another -o" in result.stderr


def test_output_that_is_not_a_regular_file_is_left_alone(edit: Edit, tmp_path: Path) -> None:
    path = edit(SMALL)
    fifo = tmp_path / "pipe.mp4"
    os.mkfifo(fifo)
    # A real process with a timeout: a fix that opened the FIFO for writing must not hang the suite.
    done = subprocess.run([sys.executable, "-m", "filmkit", "render", str(path), "-o", str(fifo)],
                          capture_output=True, text=True, timeout=120)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the special file was replaced by a regular file"
    assert done.returncode == 2, done.stderr
    assert str(fifo) in done.stderr and "Traceback" not in done.stderr


def test_render_of_a_bad_project_is_invalid_input_and_writes_nothing(run_cli, edit: Edit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = edit(SMALL.replace("out: 0.2", 'out: "00:00:00:25"'))
    result = run_cli("render", str(path))
    assert_invalid(result, path, line_of(path, "00:00:00:25"), "frame 25 does not exist at 25 fps")
    assert not (tmp_path / "out").exists()


# --- probe ---------------------------------------------------------------------------------

def test_probe_missing_file(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "no such clip.mp4"
    result = run_cli("probe", str(missing))
    assert_invalid(result, missing, None, "file not found", "Check the path and its spelling")


@pytest.mark.parametrize(("kind", "expected"), [
    ("noise", ["not a media file filmkit can read (Invalid data found when processing input)", "Re-export it"]),
    ("text", ["not a media file filmkit can read", "check that the copy or download finished"]),
    ("cut_short", ["the file is cut short: its header says 2.00 s but the data ends before that",
                   "Check that the copy or download finished"]),
], ids=["random-bytes", "text-named-mp4", "cut-short"])
def test_probe_corrupt_file(run_cli, odd_media: dict[str, Path], kind: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("probe", str(odd_media[kind]))
    assert_invalid(result, odd_media[kind], None, *expected)
    assert result.stdout == ""


def test_probe_folder_is_a_usage_error(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("probe", str(tmp_path))
    assert result.exit_code == 2, result
    assert f"'{tmp_path}' is a directory" in result.stderr and "Traceback" not in result.stderr


# --- the command line itself ----------------------------------------------------------------

@pytest.mark.parametrize(("args", "expected"), [
    (["frobnicate"], "No such command 'frobnicate'"),
    (["check", "--frobnicate", "edit.yaml"], "No such option '--frobnicate'"),
    (["render", "edit.yaml", "--output"], "Option '--output' requires an argument"),
    (["check"], "Missing argument 'PROJECT_FILE'"),
], ids=["unknown-command", "unknown-option", "option-without-value", "missing-argument"])
def test_usage_errors(run_cli, args: list[str], expected: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(*args)
    assert result.exit_code == 2, result
    assert expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_real_process_exit_code_for_a_bad_project(edit: Edit) -> None:
    path = edit(HEAD + """
      - media: red
        in: 0
        out: "00:00:01:25"
    """)
    done = subprocess.run([sys.executable, "-m", "filmkit", "check", str(path)], capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert f"{path}:{line_of(path, '01:25')}:" in done.stderr and "frames must be 00-24" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_real_process_exit_code_for_an_unknown_command() -> None:
    done = subprocess.run([sys.executable, "-m", "filmkit", "frobnicate"], capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert "No such command 'frobnicate'" in done.stderr and "Traceback" not in done.stderr


def test_debug_lets_the_exception_through(edit: Edit) -> None:
    path = edit(HEAD + """
      - media: red
        in: 0
        out: "00:00:01:25"
    """)
    done = subprocess.run([sys.executable, "-m", "filmkit", "--debug", "check", str(path)],
                          capture_output=True, text=True)
    assert done.returncode != 0, done.stderr
    assert "frame 25 does not exist" in done.stderr
