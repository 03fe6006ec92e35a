"""CMX 3600 EDLs: dissolves read right at 25 and 29.97 (OpenTimelineIO #1328, #912), the rate an
EDL never states, and EDL -> YAML -> EDL keeping every event's source and record timecodes."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from interchange_media import plain_clip
from filmkit.interchange import edl
from filmkit.interchange.convert import to_cut
from filmkit.interchange.export import export_timeline
from filmkit.interchange.importer import ImportOptions, import_cut
from filmkit.interchange.read import open_cut
from filmkit.project import build_timeline, load_project

RATES = [("25", 25, False), ("30000/1001", 30, True)]


def tc(frames: int, nominal: int, drop: bool, hours: int = 1) -> str:
    seconds, frame = divmod(frames, nominal)
    minutes, seconds = divmod(seconds, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{';' if drop else ':'}{frame:02d}"


def write_edl(path: Path, lines: list[str], drop: bool) -> Path:
    path.write_text("\n".join(["TITLE:   test", f"FCM: {'DROP' if drop else 'NON-DROP'} FRAME", *lines, ""]))
    return path


def dissolve_edl(folder: Path, nominal: int, drop: bool) -> Path:
    """alpha, then a dissolve whose outgoing side is gamma (not alpha carried on) into beta;
    the dissolve's comments give the outgoing clip's path, as Avid writes them."""
    t = lambda f: tc(f, nominal, drop)  # noqa: E731
    return write_edl(folder / "cut.edl", [
        f"001  A001     V     C        {t(0)} {t(nominal)} {t(0)} {t(nominal)}",
        "* FROM CLIP NAME:  alpha",
        "* FROM CLIP: /nowhere/alpha.mov",
        f"002  G001     V     C        {t(3 * nominal)} {t(3 * nominal)} {t(nominal)} {t(nominal)}",
        f"002  B001     V     D    010 {t(2 * nominal)} {t(3 * nominal)} {t(nominal)} {t(2 * nominal)}",
        "* FROM CLIP NAME:  gamma",
        "* FROM CLIP: /nowhere/gamma.mov",
        "* TO CLIP NAME:  beta",
        f"003  A001     V     C        {t(nominal)} {t(2 * nominal)} {t(2 * nominal)} {t(3 * nominal)}",
        "* FROM CLIP NAME:  alpha",
    ], drop)


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("edl-media")
    made = {}
    for rate, nominal, drop in RATES:
        start = tc(0, nominal, drop)
        for name in ("alpha", "beta", "gamma"):
            made[f"{name}@{rate}"] = plain_clip(folder / rate.replace("/", "_") / f"{name}.mov", seconds=5, rate=rate,
                                                timecode=start)
    return made


def test_the_reader_alone_gets_the_dissolve_wrong(tmp_path: Path) -> None:
    """What is corrected: OTIO's reader drops the outgoing source and links the incoming clip to
    the outgoing clip's path (the bugs behind OpenTimelineIO #1328 and #912)."""
    import opentimelineio as otio

    text = dissolve_edl(tmp_path, 25, False).read_text()
    track = otio.adapters.read_from_string(text, adapter_name="cmx_3600", rate=25).tracks[0]
    clips = [item for item in track if isinstance(item, otio.schema.Clip)]
    assert [clip.name for clip in clips] == ["alpha", "beta", "alpha"], "gamma is lost"
    assert clips[1].media_reference.target_url == "/nowhere/gamma.mov", "beta points at gamma's file"


@pytest.mark.parametrize("rate,nominal,drop", RATES, ids=["25fps", "29.97df"])
def test_a_dissolve_keeps_both_sides_and_their_own_media(tmp_path: Path, media: dict[str, Path], rate: str,
                                                         nominal: int, drop: bool) -> None:
    cut = dissolve_edl(tmp_path, nominal, drop)
    folder = media[f"alpha@{rate}"].parent
    done = import_cut(cut, tmp_path / "edit.yaml", ImportOptions(media=(folder,)))
    loaded = load_project(done.output)
    timeline = build_timeline(loaded)
    assert done.fps == Fraction(rate) and [c.code for c in done.caveats] == []
    events = loaded.project.cut
    assert [e.name for e in events] == ["alpha", "gamma", "beta", "alpha"]
    assert [loaded.project.media[e.media].rsplit("/", 1)[-1] for e in events] == ["alpha.mov", "gamma.mov", "beta.mov", "alpha.mov"]
    assert [(c.src_in, c.frames, c.record_start) for c in timeline.clips] == [
        (0, nominal, 0), (3 * nominal, 10, nominal), (2 * nominal, nominal, nominal), (nominal, nominal, 2 * nominal)]
    assert timeline.clips[2].join is not None and timeline.clips[2].join.frames == 10
    assert timeline.cut_frames == 3 * nominal


def test_the_rate_comes_from_the_timecodes_then_the_media(tmp_path: Path) -> None:
    text = "001  AX V C 01:00:00:00 01:00:00:24 01:00:00:00 01:00:00:24\n"
    assert edl.infer_rate(tmp_path / "a.edl", text, None)[:2] == (Fraction(25), False)
    rate, drop, caveat = edl.infer_rate(tmp_path / "a.edl", text.replace(":24", ":12"), None)
    assert (rate, drop) == (Fraction(24), False) and caveat is not None and caveat.code == "fps-guessed"
    assert "25, 30, 50, 60 fit too" in caveat.message and "--fps" in caveat.message
    assert edl.infer_rate(tmp_path / "a.edl", text.replace(":24", ":12"), None, Fraction(30000, 1001))[:2] == (Fraction(30), False)
    assert edl.infer_rate(tmp_path / "a.edl", "FCM: DROP FRAME\n" + text, None)[:2] == (Fraction(30000, 1001), True)


def test_a_drop_frame_edl_at_a_non_drop_rate_is_refused(tmp_path: Path) -> None:
    from filmkit.errors import InterchangeError

    with pytest.raises(InterchangeError, match="drop-frame .* use --fps 30000/1001"):
        edl.infer_rate(tmp_path / "a.edl", "FCM: DROP FRAME\n", Fraction(25))


@pytest.mark.parametrize("start", [None, "00:59:50:00"])
def test_edl_to_yaml_to_edl_keeps_every_source_and_record_timecode(tmp_path: Path, media: dict[str, Path],
                                                                   start: str | None) -> None:
    nominal = 25
    lines = dissolve_edl(tmp_path, nominal, False).read_text().splitlines()
    if start:
        lines = [line.replace(" 01:00:0", " 00:59:5") if line[:1].isdigit() else line for line in lines]
        lines = [_shift_record(line) for line in lines]
    cut = tmp_path / "cut.edl"
    cut.write_text("\n".join(lines) + "\n")
    done = import_cut(cut, tmp_path / "edit.yaml", ImportOptions(media=(media["alpha@25"].parent,)))
    export_timeline(done.output, tmp_path / "back.edl", start)
    before = [_times(event) for event in edl.scan(cut.read_text())]
    after = [_times(event) for event in edl.scan((tmp_path / "back.edl").read_text())]
    # the writer gives a dissolve's outgoing source its own zero-length event before the
    # dissolve's own zero-length line: the same timecodes twice in a row
    assert [times for index, times in enumerate(after) if index == 0 or times != after[index - 1]] == before
    again = to_cut(open_cut(tmp_path / "back.edl", Fraction(25)))
    assert [e.name for e in again.events] == ["alpha", "gamma", "beta", "alpha"]


def _shift_record(line: str) -> str:
    """Source timecodes back at the hour; record timecodes start at 00:59:50:00."""
    if not line[:1].isdigit():
        return line
    fields = line.split()
    fields[-4] = fields[-4].replace("00:59:5", "01:00:0")
    fields[-3] = fields[-3].replace("00:59:5", "01:00:0")
    return "  ".join(fields)


def _times(event: edl.EdlEvent) -> tuple[str, ...]:
    return (event.edit, event.src_in, event.src_out, event.rec_in, event.rec_out)


def test_a_dissolve_line_with_the_incoming_reel_carries_the_previous_event_on(tmp_path: Path) -> None:
    """Some systems write the zero-length line with the incoming reel and the outgoing clip's out
    point: the outgoing side is then the previous event carried on, not a third source."""
    cut = write_edl(tmp_path / "carry.edl", [
        "001  R100     V     C        01:00:00:00 01:00:01:00 01:00:00:00 01:00:01:00",
        "* FROM CLIP NAME:  first",
        "002  R200     V     C        01:00:01:00 01:00:01:00 01:00:01:00 01:00:01:00",
        "002  R200     V     D    012 01:00:05:00 01:00:06:00 01:00:01:00 01:00:02:00",
        "* FROM CLIP NAME:  first",
        "* TO CLIP NAME:  second",
    ], False)
    events = to_cut(open_cut(cut, Fraction(25))).events
    assert [(e.name, e.frames, e.source_in.frames if e.source_in else None, e.transition_frames) for e in events] == [
        ("first", 37, 90000, 0), ("second", 25, 90125, 12)]
