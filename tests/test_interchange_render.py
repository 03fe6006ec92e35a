"""An imported EDL renders what its record timecodes say: proven by the frames of counter clips.

The EDL cuts from A to B, then dissolves from B (carried on) into A again; the clips start at
01:00:00:00, so the EDL's source timecodes are read against each file's own start timecode.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import read_planes
from interchange_media import counter_clip, timecode
from test_frame_accuracy import A_CHROMA, B_CHROMA, which
from filmkit.interchange.importer import ImportOptions, import_cut
from filmkit.media.probe import count_video_frames
from filmkit.render.plan import plan_render
from filmkit.render.run import render

RATES = {"25": (25, False), "30000/1001": (30, True)}


def edl_text(nominal: int, drop: bool) -> str:
    def tc(frames: int, hours: int = 1) -> str:
        return timecode(frames, nominal, hours, drop)

    return "\n".join([
        "TITLE:   accuracy",
        f"FCM: {'DROP FRAME' if drop else 'NON-DROP FRAME'}",
        "",
        f"001  A        V     C        {tc(5)} {tc(30)} {tc(0)} {tc(25)}",
        "* FROM CLIP NAME:  counter a",
        f"002  B        V     C        {tc(10)} {tc(30)} {tc(25)} {tc(45)}",
        "* FROM CLIP NAME:  counter b",
        f"003  B        V     C        {tc(30)} {tc(30)} {tc(45)} {tc(45)}",
        f"003  A        V     D    010 {tc(2)} {tc(32)} {tc(45)} {tc(75)}",
        "* FROM CLIP NAME:  counter b",
        "* TO CLIP NAME:  counter a",
        "",
    ])


@pytest.fixture(scope="module", params=list(RATES), ids=["25fps", "29.97df"])
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    rate = request.param
    nominal, drop = RATES[rate]
    folder = tmp_path_factory.mktemp("edl-render")
    start = timecode(0, nominal, 1, drop)
    counter_clip(folder / "media" / "A.mov", frames=50, rate=rate, timecode=start, cb=A_CHROMA[0], cr=A_CHROMA[1])
    counter_clip(folder / "media" / "B.mov", frames=50, rate=rate, timecode=start, cb=B_CHROMA[0], cr=B_CHROMA[1])
    cut = folder / "cut.edl"
    cut.write_text(edl_text(nominal, drop), encoding="ascii")
    done = import_cut(cut, folder / "edit.yaml", ImportOptions(media=(folder / "media",)))
    result = render(plan_render(done.output))
    return done, result.output, read_planes(result.output)


def test_the_project_takes_the_media_rate_without_a_guess(rendered) -> None:  # type: ignore[no-untyped-def]
    done, _, _ = rendered
    assert str(done.fps) in RATES
    assert [caveat.code for caveat in done.caveats] == []


def test_the_film_lasts_the_record_duration(rendered) -> None:  # type: ignore[no-untyped-def]
    _, output, frames = rendered
    assert count_video_frames(output) == 75 and len(frames) == 75


def test_each_cut_lands_on_its_record_timecode(rendered) -> None:  # type: ignore[no-untyped-def]
    _, _, frames = rendered
    assert which(frames[0]) == ("A", 5) and which(frames[24]) == ("A", 29)
    assert which(frames[25]) == ("B", 10) and which(frames[44]) == ("B", 29)


def test_the_dissolve_overlaps_its_ten_frames(rendered) -> None:  # type: ignore[no-untyped-def]
    _, _, frames = rendered
    assert which(frames[45]) == ("B", 30), "the dissolve starts on the outgoing clip carried on"
    share_of_b = [(frames[i][1] - A_CHROMA[0]) / (B_CHROMA[0] - A_CHROMA[0]) for i in range(45, 56)]
    assert all(later < earlier for earlier, later in zip(share_of_b, share_of_b[1:])), share_of_b
    assert which(frames[55]) == ("A", 12) and which(frames[74]) == ("A", 31)


def test_the_project_names_each_event_and_its_line(rendered) -> None:  # type: ignore[no-untyped-def]
    done, _, _ = rendered
    text = Path(done.output).read_text()
    assert "name: counter a" in text and "cut.edl:9" in text
