"""Every cut in ../shared/corpus/edl imports, or is refused with a message naming what it holds
that filmkit cannot import (and its line); a few import end to end against generated media."""

from __future__ import annotations

from pathlib import Path

import pytest

from interchange_media import plain_clip
from filmkit.errors import InterchangeError
from filmkit.interchange import edl
from filmkit.interchange.convert import to_cut
from filmkit.interchange.read import open_cut

pytestmark = pytest.mark.corpus

# file, events, music beds, caveat codes
IMPORTS = [
    ("ale/sample.ale", 4, 0, ['clip-list']),
    ("ale/sampleUHD.ale", 1, 0, ['clip-list']),
    ("ale/sample_cdl.ale", 4, 0, ['clip-list']),
    ("cmx3600/otio-cmx3600-adapter/25fps.edl", 4, 0, ['fps-guessed']),
    ("cmx3600/otio-cmx3600-adapter/avid_example.edl", 2, 0, ['fps-guessed']),
    ("cmx3600/otio-cmx3600-adapter/cdl.edl", 2, 0, ['fps-guessed']),
    ("cmx3600/otio-cmx3600-adapter/dissolve_test.edl", 3, 0, ['fps-guessed']),
    ("cmx3600/otio-cmx3600-adapter/dissolve_test_2.edl", 3, 0, ['fps-guessed']),
    ("cmx3600/otio-cmx3600-adapter/dissolve_test_3.edl", 4, 0, ['fps-guessed']),
    ("cmx3600/otio-cmx3600-adapter/dissolve_test_4.edl", 6, 0, ['fps-guessed']),
    ("cmx3600/otio-cmx3600-adapter/gap_test.edl", 5, 0, ['fps-guessed']),
    ("cmx3600/otio-cmx3600-adapter/no_spaces_test.edl", 9, 0, ['fps-guessed', 'markers']),
    ("cmx3600/otio-cmx3600-adapter/nucoda_example.edl", 2, 0, ['fps-guessed']),
    ("cmx3600/otio-cmx3600-adapter/premiere_example.edl", 2, 0, ['fps-guessed']),
    ("cmx3600/otio-cmx3600-adapter/screening_example.edl", 9, 0, ['fps-guessed', 'markers']),
    ("cmx3600/otio-cmx3600-adapter/speed_effects.edl", 548, 0, ['fps-guessed', 'speed-change']),
    ("cmx3600/otio-cmx3600-adapter/speed_effects_small.edl", 7, 0, ['fps-guessed', 'speed-change']),
    ("cmx3600/otio-cmx3600-adapter/transition_duration.edl", 4, 0, ['fps-guessed']),
    ("cmx3600/otio-cmx3600-adapter/wipe_test.edl", 3, 0, ['fps-guessed']),
    ("cmx3600/pycmx/INS4_R1_010417.edl", 293, 0, ['fps-guessed', 'speed-change']),
    ("cmx3600/pycmx/ISSUE_14_conform_edl_issue_01.edl", 5, 0, ['fps-guessed', 'speed-change']),
    ("cmx3600/pycmx/ISSUE_14_conform_edl_issue_02.edl", 19, 0, ['fps-guessed']),
    ("cmx3600/pycmx/ISSUE_19_unusual01.edl", 38, 0, ['fps-guessed']),
    ("cmx3600/pycmx/cdl_example01.edl", 41, 0, ['fps-guessed', 'markers']),
    ("cmx3600/pycmx/cdl_frmc_example01.edl", 1, 0, ['fps-guessed']),
    ("cmx3600/pycmx/test_25.edl", 7, 1, ['audio-event', 'fps-guessed', 'speed-change']),
    ("cmx3600/python-edl/test.edl", 7, 1, ['audio-event', 'fps-guessed', 'speed-change']),
    ("fcp7_xml/hiero_xml_export.xml", 4, 0, ['speed-change']),
    ("fcp7_xml/premiere_enable_property.xml", 4, 3, ['multiple-video-tracks']),
    ("fcp7_xml/premiere_example.xml", 2, 5, ['markers', 'multiple-video-tracks', 'nested-sequence']),
    ("fcp7_xml/premiere_generators.xml", 6, 0, ['effect', 'generator']),
    ("fcpxml/fcpx_clips.fcpxml", 2, 0, ['clip-list', 'nested-sequence']),
    ("fcpxml/fcpx_event.fcpxml", 9, 4, ['markers', 'multiple-video-tracks', 'nested-sequence', 'several-sequences']),
    ("fcpxml/fcpx_example.fcpxml", 9, 4, ['markers', 'multiple-video-tracks', 'nested-sequence', 'several-sequences']),
    ("fcpxml/fcpx_project.fcpxml", 9, 4, ['markers', 'multiple-video-tracks', 'nested-sequence']),
    ("otio/multitrack.otio", 6, 0, ['multiple-video-tracks']),
    ("otio/simple_cut.otio", 4, 0, []),
    ("otio/transition_test.otio", 5, 0, []),
]
# file, what the message says (with the line where the format has lines)
REFUSED = [
    ("cmx3600/otio-cmx3600-adapter/dissolve_test_fail.edl", "dissolve_test_fail.edl:5: event 001 appears twice as a cut"),
    ("cmx3600/otio-cmx3600-adapter/multi_audio.edl", "an audio-only EDL (1 event on AA, none on V)"),
    ("cmx3600/otio-cmx3600-adapter/timecode_mismatch.edl",
     "timecode_mismatch.edl:13: event 004 (reel SC00.JPG) lasts 49 frames in its source (01:00:00:00-01:00:01:24) but 47 "
     "in the record (00:00:17:22-00:00:19:19): a speed change of 49/47 without the M2 line"),
    ("cmx3600/pycmx/TEST.edl", "an audio-only EDL (148 events on A, A10, A11, A12, A2, A5, A7, A8, none on V)"),
    ("cmx3600/pycmx/ToD_R4_LOCK3.1_030618_Video.edl",
     "ToD_R4_LOCK3.1_030618_Video.edl:184: event 061 (reel A002C010) lasts 25 frames in its source"),
    ("cmx3600/pycmx/adobe_dai109_test.txt", "an audio-only EDL (3727 events on A, A2, NONE, none on V)"),
    ("cmx3600/pycmx/test_24psf.edl", "test_24psf.edl:16: event 005 starts at 00:01:30:00, inside event 004 (line 13)"),
    ("fcp7_xml/sample_just_track.xml", "the sequence 'sc01_sh010_layerA' has no video track"),
]


def test_the_tables_cover_the_whole_corpus(corpus: Path) -> None:
    files = {str(path.relative_to(corpus / "edl")) for path in (corpus / "edl").rglob("*") if path.is_file()}
    assert files == {row[0] for row in IMPORTS} | {row[0] for row in REFUSED}


@pytest.mark.parametrize("name,events,beds,codes", IMPORTS, ids=[row[0] for row in IMPORTS])
def test_a_corpus_cut_imports_with_what_it_loses_said(corpus: Path, name: str, events: int, beds: int,
                                                      codes: list[str]) -> None:
    cut = to_cut(open_cut(corpus / "edl" / name))
    assert (len(cut.events), len(cut.beds)) == (events, beds)
    assert sorted({caveat.code for caveat in cut.caveats}) == codes
    assert all(event.frames > 0 or event.transition for event in cut.events)


@pytest.mark.parametrize("name,message", REFUSED, ids=[row[0] for row in REFUSED])
def test_a_corpus_cut_is_refused_with_the_feature_and_its_line(corpus: Path, name: str, message: str) -> None:
    with pytest.raises(InterchangeError) as refused:
        to_cut(open_cut(corpus / "edl" / name))
    assert message in str(refused.value)
    assert str(corpus / "edl" / name) in str(refused.value)


def test_speed_changes_are_named_with_their_line(corpus: Path) -> None:
    cut = to_cut(open_cut(corpus / "edl" / "cmx3600/otio-cmx3600-adapter/speed_effects_small.edl"))
    speeds = [caveat.message for caveat in cut.caveats if caveat.code == "speed-change"]
    assert len(speeds) == 3
    assert "speed_effects_small.edl:5: event 002" in speeds[0] and "freeze frame" in speeds[0]
    assert "speed_effects_small.edl:15: event 005" in speeds[1] and "plays at 198% speed" in speeds[1]
    # the reader ignores an M2 line where source and record last alike (a one-frame freeze): said all the same
    assert "speed_effects_small.edl:9: event 003 has a motion effect (M2 Z682_157 000.0 01:00:10:20)" in speeds[2]


def test_a_wipe_becomes_the_nearest_xfade(corpus: Path) -> None:
    cut = to_cut(open_cut(corpus / "edl" / "cmx3600/otio-cmx3600-adapter/wipe_test.edl"))
    assert [(e.transition, e.transition_frames) for e in cut.events] == [(None, 0), ("wiperight", 10), (None, 0)]


@pytest.mark.parametrize("name,files", [
    ("cmx3600/otio-cmx3600-adapter/dissolve_test.edl", ["clip_A", "clip_B"]),
    ("cmx3600/otio-cmx3600-adapter/transition_duration.edl", ["ABC0100.", "ABC0200.", "ABC0300.", "ABC0400."]),
    ("cmx3600/otio-cmx3600-adapter/gap_test.edl", ["SHOT1", "SHOT2", "SHOT3"]),
])
def test_a_corpus_edl_imports_checks_and_goes_back_with_its_timecodes(corpus: Path, tmp_path: Path, run_cli,  # type: ignore[no-untyped-def]
                                                                      name: str, files: list[str]) -> None:
    cut = corpus / "edl" / name
    starts = {"SHOT1": "00:10:00:00", "SHOT2": "23:00:00:00", "SHOT3": "10:00:00:00"}
    for file in files:
        plain_clip(tmp_path / "media" / f"{file}.mov", seconds=18, rate="24", timecode=starts.get(file, "01:00:00:00"))
    done = run_cli("import", str(cut), "--media", str(tmp_path / "media"), "-o", str(tmp_path / "edit.yaml"))
    assert done.exit_code == 0, done
    assert "warning" not in done.stderr, "the media settle the rate: nothing is guessed"
    checked = run_cli("check", str(tmp_path / "edit.yaml"))
    assert checked.exit_code == 0 and "OK" in checked.stdout, checked
    start = edl.scan(cut.read_text())[0].rec_in
    back = run_cli("timeline", str(tmp_path / "edit.yaml"), "-o", str(tmp_path / "back.edl"), "--start", start)
    assert back.exit_code == 0, back
    times = [(e.src_in, e.src_out, e.rec_in, e.rec_out) for e in edl.scan(cut.read_text()) if e.edit == "C" and e.src_in != e.src_out]
    again = [(e.src_in, e.src_out, e.rec_in, e.rec_out) for e in edl.scan((tmp_path / "back.edl").read_text())
             if e.reel != "BL" and e.src_in != e.src_out]
    dissolves = [(e.src_in, e.src_out, e.rec_in, e.rec_out) for e in edl.scan(cut.read_text()) if e.edit != "C"]
    assert again == sorted(times + dissolves, key=lambda t: t[2])
