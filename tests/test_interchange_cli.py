"""`filmkit import` and `filmkit timeline` on bad input: the message and exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_project
from interchange_media import plain_clip

TWO_EVENTS = """TITLE:   two
FCM: NON-DROP FRAME
001  R001     V     C        01:00:00:00 01:00:01:00 01:00:00:00 01:00:01:00
* FROM CLIP NAME:  opening
002  R002     V     C        01:00:02:00 01:00:03:00 01:00:01:00 01:00:02:00
* FROM CLIP NAME:  closing
"""


@pytest.fixture()
def cut(tmp_path: Path) -> Path:
    path = tmp_path / "cut.edl"
    path.write_text(TWO_EVENTS)
    return path


def test_an_unknown_extension_is_refused(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "cut.doc").write_text("Dear editor,\n")
    result = run_cli("import", str(tmp_path / "cut.doc"))
    assert result.exit_code == 2
    assert f"{tmp_path / 'cut.doc'}: not a cut filmkit can read: the extension '.doc' is none of .edl, .xml" in result.stderr


def test_an_edl_saved_as_text_is_read_as_an_edl(run_cli, cut: Path) -> None:  # type: ignore[no-untyped-def]
    renamed = cut.with_suffix(".txt")
    cut.rename(renamed)
    result = run_cli("import", str(renamed))
    assert result.exit_code == 2 and "cannot be linked" in result.stderr, "read as an EDL, then linked"


def test_a_missing_or_unreadable_cut_is_refused(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("import", str(tmp_path / "nothing.edl"))
    assert result.exit_code == 2 and f"{tmp_path / 'nothing.edl'}: file not found" in result.stderr
    (tmp_path / "broken.xml").write_text("<?xml version='1.0'?>\n<xmeml version='4'>\n<sequence>\n</xmeml>\n")
    result = run_cli("import", str(tmp_path / "broken.xml"))
    assert result.exit_code == 2
    assert f"{tmp_path / 'broken.xml'}:4: cannot be read as FCP 7 XML: ParseError: mismatched tag" in result.stderr


def test_every_unlinked_event_is_listed_in_one_error(run_cli, cut: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "media").mkdir()
    result = run_cli("import", str(cut), "--media", str(tmp_path / "media"))
    assert result.exit_code == 2
    assert f"{cut}: 2 event(s) cannot be linked to their media, or do not fit in it:" in result.stderr
    assert f"{cut}:3: event 001 (opening): clip 'opening', reel 'R001': no file found" in result.stderr
    assert f"{cut}:5: event 002 (closing): clip 'closing', reel 'R002': no file found" in result.stderr
    assert "Give the folders that hold the media with --media DIR" in result.stderr
    assert not (tmp_path / "cut.yaml").exists()


def test_an_ambiguous_name_lists_its_candidates(run_cli, cut: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name in ("opening.mov", "Opening.mp4", "closing.mov"):
        plain_clip(tmp_path / "media" / name, seconds=4, timecode="01:00:00:00")
    result = run_cli("import", str(cut), "--media", str(tmp_path / "media"))
    assert result.exit_code == 2
    assert f"{cut}: 1 event(s) cannot be linked" in result.stderr
    assert "clip 'opening', reel 'R001': ambiguous, 2 files match:" in result.stderr
    assert str((tmp_path / "media" / "Opening.mp4").resolve()) in result.stderr


def test_a_file_too_short_for_its_event_is_said(run_cli, cut: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plain_clip(tmp_path / "media" / "opening.mov", seconds=4, timecode="01:00:00:00")
    plain_clip(tmp_path / "media" / "R002.mov", seconds=2)
    result = run_cli("import", str(cut), "--media", str(tmp_path / "media"))
    assert result.exit_code == 2
    assert ("event 002 (closing): clip 'closing', reel 'R002': the cut plays 01:00:02:00-01:00:03:00 of the source but "
            "R002.mov has no start timecode, so it starts at 00:00:00:00 and lasts 50 frames") in result.stderr


def test_warnings_are_printed_and_strict_refuses_them(run_cli, cut: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cut.write_text(TWO_EVENTS + "M2   R002       050.0                01:00:02:00\n")
    for name in ("opening", "closing"):
        plain_clip(tmp_path / "media" / f"{name}.mov", seconds=4, timecode="01:00:00:00")
    strict = run_cli("import", str(cut), "--media", str(tmp_path / "media"), "--strict")
    assert strict.exit_code == 2
    assert f"{cut}: --strict refuses the cut, because 1 thing(s) in it cannot be imported as they are:" in strict.stderr
    assert f"[speed-change] {cut}:5: event 002 has a motion effect (M2 R002 050.0 01:00:02:00)" in strict.stderr
    assert not (tmp_path / "cut.yaml").exists()
    loose = run_cli("import", str(cut), "--media", str(tmp_path / "media"))
    assert loose.exit_code == 0, loose
    assert "filmkit: warning: [speed-change]" in loose.stderr
    assert f"Wrote {tmp_path / 'cut.yaml'}: 2 events at 25 fps" in loose.stderr


def test_nothing_is_written_over_without_being_asked(run_cli, cut: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name in ("opening", "closing"):
        plain_clip(tmp_path / "media" / f"{name}.mov", seconds=4, timecode="01:00:00:00")
    (tmp_path / "cut.yaml").write_text("mine\n")
    result = run_cli("import", str(cut), "--media", str(tmp_path / "media"))
    assert result.exit_code == 2 and "already exists and was not named with -o" in result.stderr
    assert (tmp_path / "cut.yaml").read_text() == "mine\n"
    result = run_cli("import", str(cut), "--media", str(tmp_path / "media"), "-o", str(cut))
    assert result.exit_code == 2 and f"{cut}: is the input file" in result.stderr
    assert run_cli("import", str(cut), "--media", str(tmp_path / "media"), "-o", str(tmp_path / "cut.yaml")).exit_code == 0
    assert "filmkit: 1" in (tmp_path / "cut.yaml").read_text()


def test_bad_options_are_usage_errors(run_cli, cut: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("import", str(cut), "--fps", "fast")
    assert result.exit_code == 2 and "'fast' is not a frame rate" in result.stderr
    result = run_cli("import", str(cut), "--size", "1921x1080")
    assert result.exit_code == 2 and "must be even" in result.stderr


def test_timeline_refuses_an_unknown_format_and_its_own_inputs(run_cli, tmp_path: Path, clips) -> None:  # type: ignore[no-untyped-def]
    project = write_project(tmp_path, f"""
        filmkit: 1
        title: Back
        format: {{size: 64x64, fps: 25}}
        media: {{red: "{clips['red']}"}}
        cut:
          - media: red
            in: 0
            out: 1
    """)
    result = run_cli("timeline", str(project), "-o", str(tmp_path / "cut.aaf"))
    assert result.exit_code == 2
    assert "filmkit writes .otio, .edl, .xml, .fcpxml; the extension '.aaf' is none of them" in result.stderr
    result = run_cli("timeline", str(project), "-o", str(tmp_path / "cut.edl"), "--start", "01:00:00:25")
    assert result.exit_code == 2 and "--start '01:00:00:25': \"01:00:00:25\": frame 25 does not exist at 25 fps" in result.stderr
    result = run_cli("timeline", str(project), "-o", str(clips["red"]))
    assert result.exit_code == 2
    result = run_cli("timeline", str(project), "-o", str(tmp_path / "cut.edl"))
    assert result.exit_code == 0 and (tmp_path / "cut.edl").exists(), result


def test_a_still_becomes_an_image_and_a_source_at_another_rate_is_said(run_cli, cut: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    from filmkit.project import load_project

    (tmp_path / "media").mkdir()
    Image.new("RGB", (32, 32), "green").save(tmp_path / "media" / "closing.png")
    plain_clip(tmp_path / "media" / "opening.mov", seconds=4, rate="30", timecode="01:00:00:00")
    result = run_cli("import", str(cut), "--media", str(tmp_path / "media"), "--fps", "25")
    assert result.exit_code == 0, result
    assert f"[frame-rate] {(tmp_path / 'media' / 'opening.mov').resolve()} is 30 fps and the project 25" in result.stderr
    project = load_project(tmp_path / "cut.yaml").project
    assert [(e.media, e.image, e.duration) for e in project.cut] == [("R001", None, None), (None, "media/closing.png", "00:00:01:00")]
    assert project.cut[0].in_ == "00:00:00:00" and project.cut[0].out == "00:00:01:00"
    strict = run_cli("import", str(cut), "--media", str(tmp_path / "media"), "--fps", "25", "--strict",
                     "-o", str(tmp_path / "strict.yaml"))
    assert strict.exit_code == 2 and "[frame-rate]" in strict.stderr and not (tmp_path / "strict.yaml").exists()
