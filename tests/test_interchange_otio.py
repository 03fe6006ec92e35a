"""OTIO cuts made through the OTIO API at 23.976, 25 and 29.97 drop-frame, and YAML -> OTIO -> YAML."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from conftest import write_project
from interchange_media import plain_clip, tone
from filmkit.interchange.export import export_timeline
from filmkit.interchange.importer import ImportOptions, import_cut
from filmkit.project import build_timeline, load_project

otio = pytest.importorskip("opentimelineio")

RATES = [("24000/1001", "01:00:00:00"), ("25", "01:00:00:00"), ("30000/1001", "01:00:00;00")]


def rt(frames: int, rate: Fraction):  # type: ignore[no-untyped-def]
    return otio.opentime.RationalTime(frames, float(rate))


def span(start: int, frames: int, rate: Fraction):  # type: ignore[no-untyped-def]
    return otio.opentime.TimeRange(rt(start, rate), rt(frames, rate))


def media_clip(name: str, path: Path, start: int, src: int, frames: int, rate: Fraction):  # type: ignore[no-untyped-def]
    reference = otio.schema.ExternalReference(target_url=path.as_uri(), available_range=span(start, 200, rate))
    return otio.schema.Clip(name=name, media_reference=reference, source_range=span(start + src, frames, rate))


def generated_cut(folder: Path, rate_text: str, timecode: str) -> Path:
    """a (20) dissolve 4+4 into b (30), a gap (10), a red generator (12), a V2 title and a music clip."""
    rate = Fraction(rate_text)
    start = otio.opentime.from_timecode(timecode, float(rate)).to_frames()
    a = plain_clip(folder / "media" / "a.mov", seconds=8, rate=rate_text, timecode=timecode)
    b = plain_clip(folder / "media" / "b.mov", seconds=8, rate=rate_text, timecode=timecode)
    music = tone(folder / "media" / "theme.wav", seconds=6)
    timeline = otio.schema.Timeline(name="generated", global_start_time=rt(start, rate))
    video = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    video.append(media_clip("a", a, start, 10, 20, rate))
    video.append(otio.schema.Transition(transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
                                        in_offset=rt(4, rate), out_offset=rt(4, rate)))
    video.append(media_clip("b", b, start, 40, 30, rate))
    video.append(otio.schema.Gap(source_range=span(0, 10, rate)))
    red = otio.schema.GeneratorReference(generator_kind="SolidColor", parameters={"color": "#FF0000"})
    video.append(otio.schema.Clip(name="red", media_reference=red, source_range=span(0, 12, rate)))
    titles = otio.schema.Track(name="V2", kind=otio.schema.TrackKind.Video)
    titles.append(media_clip("title", b, start, 0, 10, rate))
    sound = otio.schema.Track(name="A1", kind=otio.schema.TrackKind.Audio)
    sound.append(otio.schema.Gap(source_range=span(0, 6, rate)))
    music_ref = otio.schema.ExternalReference(target_url=music.as_uri(), available_range=span(0, 140, rate))
    sound.append(otio.schema.Clip(name="theme", media_reference=music_ref, source_range=span(3, 50, rate)))
    timeline.tracks.extend([video, titles, sound])
    path = folder / "generated.otio"
    otio.adapters.write_to_file(timeline, str(path))
    return path


@pytest.mark.parametrize("rate,timecode", RATES, ids=["23.976", "25", "29.97df"])
def test_a_generated_cut_imports_frame_exactly(tmp_path: Path, rate: str, timecode: str) -> None:
    cut = generated_cut(tmp_path, rate, timecode)
    done = import_cut(cut, tmp_path / "edit.yaml", ImportOptions())
    loaded = load_project(done.output)
    timeline = build_timeline(loaded)
    assert timeline.fps == Fraction(rate)
    assert [(c.kind, c.src_in, c.frames, c.record_start) for c in timeline.clips] == [
        ("media", 10, 24, 0), ("media", 36, 34, 16), ("color", 0, 10, 50), ("color", 0, 12, 60)]
    assert timeline.clips[1].join is not None and timeline.clips[1].join.frames == 8
    assert [c.color for c in timeline.clips[2:]] == ["#000000", "#FF0000"]
    assert [(b.record_start, b.src_in, b.frames) for b in timeline.music] == [(6, 3, 50)]
    assert [caveat.code for caveat in done.caveats] == ["multiple-video-tracks"]
    assert "V2 (title)" in done.caveats[0].message


def test_a_speed_change_and_a_nested_sequence_are_said(tmp_path: Path) -> None:
    rate = Fraction(25)
    a = plain_clip(tmp_path / "a.mov", seconds=8, rate="25")
    timeline = otio.schema.Timeline(name="effects")
    video = otio.schema.Track(kind=otio.schema.TrackKind.Video)
    fast = media_clip("fast", a, 0, 0, 20, rate)
    fast.effects.append(otio.schema.LinearTimeWarp(time_scalar=2.0))
    nested = otio.schema.Stack(name="compound")
    inner = otio.schema.Track(kind=otio.schema.TrackKind.Video)
    inner.append(media_clip("inside", a, 0, 50, 30, rate))
    nested.append(inner)
    nested.source_range = span(5, 10, rate)
    video.extend([fast, nested])
    timeline.tracks.append(video)
    otio.adapters.write_to_file(timeline, str(tmp_path / "effects.otio"))
    done = import_cut(tmp_path / "effects.otio", None, ImportOptions())
    assert done.output == tmp_path / "effects.yaml"
    clips = build_timeline(load_project(done.output)).clips
    assert [(c.src_in, c.frames) for c in clips] == [(0, 20), (55, 10)], "the compound clip is spliced in exactly"
    assert [caveat.code for caveat in done.caveats] == ["speed-change"]
    assert "plays at 200% speed" in done.caveats[0].message


ROUND_TRIP = """
    filmkit: 1
    title: Round Trip
    format: {{size: 64x64, fps: "{rate}"}}
    media: {{a: media/a.mov, b: media/b.mov}}
    cut:
      - media: a
        name: first shot
        in: 0.4
        duration: 1.0
        gain_db: -3
      - media: b
        in: 1.0
        out: 2.2
        focus: 0.2
        transition: {{type: crossfade, duration: 0.2}}
      - color: "#FF0000"
        duration: 0.5
        transition: {{type: dip, duration: 0.2}}
      - image: still.png
        duration: 0.6
        transition: {{type: wipeleft, duration: 0.2}}
    music:
      - file: media/theme.wav
        start: 0.5
        in: 0.25
        duration: 2.0
        gain_db: -12
        fade_in: 0.5
        fade_out: 1.0
    card:
      duration: 2
      text: {{en: {{tagline: Love}}}}
"""


@pytest.fixture(params=["25", "30000/1001"], ids=["25", "29.97"])
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    from PIL import Image

    rate = request.param
    plain_clip(tmp_path / "media" / "a.mov", seconds=3, rate=rate, timecode="01:00:00:00" if rate == "25" else "01:00:00;00")
    plain_clip(tmp_path / "media" / "b.mov", seconds=3, rate=rate)
    tone(tmp_path / "media" / "theme.wav", seconds=4)
    Image.new("RGB", (32, 32), "blue").save(tmp_path / "still.png")
    return write_project(tmp_path, ROUND_TRIP.format(rate=rate))


def _timeline(path: Path):  # type: ignore[no-untyped-def]
    timeline = build_timeline(load_project(path))
    clips = [(c.kind, c.source, c.color, c.src_in, c.frames, c.record_start, c.join, c.gain_db, c.focus) for c in timeline.clips]
    return timeline.fps, clips, timeline.music, timeline.card


def test_yaml_to_otio_to_yaml_gives_the_same_timeline(project: Path) -> None:
    done = export_timeline(project, project.parent / "cut.otio")
    assert done.caveats == ()
    back = import_cut(project.parent / "cut.otio", project.parent / "again.yaml", ImportOptions())
    assert back.caveats == ()
    assert _timeline(back.output) == _timeline(project)
    again = load_project(back.output).project
    assert [event.name for event in again.cut][:1] == ["first shot"]
    assert [event.transition.type for event in again.cut if event.transition] == ["crossfade", "dip", "wipeleft"]


def test_the_otio_file_holds_the_clips_with_exact_ranges(project: Path) -> None:
    export_timeline(project, project.parent / "cut.otio")
    timeline = otio.adapters.read_from_file(str(project.parent / "cut.otio"))
    video, music = timeline.tracks
    fps = float(build_timeline(load_project(project)).fps)
    items = [(type(item).__name__, item.name) for item in video]
    assert items == [("Clip", "first shot"), ("Transition", "crossfade"), ("Clip", "b"), ("Transition", "dip"),
                     ("Clip", "#FF0000"), ("Transition", "wipeleft"), ("Clip", "still")]
    first = video[0]
    start = otio.opentime.from_timecode("01:00:00:00" if fps == 25 else "01:00:00;00", fps)
    assert first.source_range.start_time == start + otio.opentime.RationalTime(round(0.4 * fps), fps)
    assert first.metadata["filmkit"] == {"gain_db": -3, "kind": "media", "media": "a"}
    assert isinstance(video[4].media_reference, otio.schema.GeneratorReference)
    assert video[4].media_reference.parameters["color"] == "#FF0000"
    assert [item.name for item in music] == ["", "theme"]
    assert music[1].metadata["filmkit"] == {"gain_db": -12, "fade_in": 0.5, "fade_out": 1.0}
    assert timeline.metadata["filmkit"]["card"]["text"] == {"en": {"tagline": "Love"}}


@pytest.mark.parametrize("suffix", [".edl", ".xml", ".fcpxml"])
def test_other_formats_read_back_with_the_same_clips_and_say_what_they_lose(project: Path, suffix: str) -> None:
    done = export_timeline(project, project.parent / f"cut{suffix}")
    codes = {caveat.code for caveat in done.caveats}
    assert {"transition", "color", "filmkit-settings"} <= codes
    from filmkit.interchange.read import open_cut

    fps_exact = build_timeline(load_project(project)).fps
    result = open_cut(done.output, fps_exact).result  # the FCPXML reader's times made exact
    timeline = result if isinstance(result, otio.schema.Timeline) else next(iter(result))
    video = next(track for track in timeline.tracks if track.kind == otio.schema.TrackKind.Video)
    clips = [item for item in video if isinstance(item, otio.schema.Clip)]
    assert [clip.name for clip in clips if clip.name in ("first shot", "b", "still")] == ["first shot", "b", "still"]
    fps = float(video.duration().rate)
    # the first shot up to where the crossfade starts (its last 0.2 s are the transition's)
    assert round(clips[0].source_range.duration.value) == round(1.0 * fps) - round(0.2 * fps)
    start = 90000 if round(fps) == 25 else 107892  # 01:00:00:00 and 01:00:00;00, the file's own start timecode
    assert round(clips[0].source_range.start_time.value) == start + round(0.4 * fps)


def test_an_otioz_bundle_imports_with_its_media_found_by_name(tmp_path: Path) -> None:
    cut = generated_cut(tmp_path, "25", "01:00:00:00")
    timeline = otio.adapters.read_from_file(str(cut))
    otio.adapters.write_to_file(timeline, str(tmp_path / "bundle.otioz"))
    done = import_cut(tmp_path / "bundle.otioz", tmp_path / "bundle.yaml", ImportOptions(media=(tmp_path / "media",)))
    assert done.cut.kind == "OTIO bundle"
    assert [c.frames for c in build_timeline(load_project(done.output)).clips] == [24, 34, 10, 12]


@pytest.mark.corpus
def test_a_file_with_several_sequences_imports_the_one_named(corpus: Path) -> None:
    from filmkit.errors import InterchangeError
    from filmkit.interchange.convert import to_cut
    from filmkit.interchange.read import open_cut

    path = corpus / "edl" / "fcpxml" / "fcpx_event.fcpxml"
    cut = to_cut(open_cut(path), "OpenTimeline_Project 1")
    assert cut.title == "OpenTimeline_Project 1" and "several-sequences" not in {c.code for c in cut.caveats}
    with pytest.raises(InterchangeError, match="no sequence named 'Other'; the file holds 'OpenTimeline_Project', "
                                                "'OpenTimeline_Project 1'"):
        to_cut(open_cut(path), "Other")


def test_the_card_and_subtitles_come_back_relative_to_the_new_project(project: Path) -> None:
    (project.parent / "subs").mkdir()
    (project.parent / "subs" / "en.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHello\n")
    text = project.read_text().replace("card:", "subtitles:\n  files: {en: subs/en.srt}\ncard:\n  logo: still.png")
    project.write_text(text)
    export_timeline(project, project.parent / "cut.otio")
    (project.parent / "elsewhere").mkdir()
    done = import_cut(project.parent / "cut.otio", project.parent / "elsewhere" / "edit.yaml", ImportOptions())
    again = load_project(done.output).project
    assert again.subtitles is not None and again.subtitles.files == {"en": "../subs/en.srt"}
    assert again.card is not None and again.card.logo == "../still.png"
    assert load_project(done.output).resolve(again.card.logo) == (project.parent / "still.png").resolve()


def test_yaml_to_fcp_xml_to_yaml_keeps_every_frame(project: Path) -> None:
    """FCP 7 XML loses the slate's colour, the transitions' kinds and the transitions beside the
    slate (all said), never a cut point."""
    done = export_timeline(project, project.parent / "cut.xml")
    assert sum("joins a colour slate" in caveat.message for caveat in done.caveats) == 2
    back = import_cut(project.parent / "cut.xml", project.parent / "again.yaml", ImportOptions())
    before, after = build_timeline(load_project(project)), build_timeline(load_project(back.output))
    assert after.fps == before.fps and after.cut_frames == before.cut_frames
    first, second, slate, still = after.clips
    assert [(c.src_in, c.frames, c.record_start) for c in (first, second)] == [
        (before.clips[0].src_in, before.clips[0].frames, 0),
        (before.clips[1].src_in, before.clips[1].frames - before.clips[2].join.frames, before.clips[1].record_start)]
    assert second.join is not None and second.join.frames == before.clips[1].join.frames
    assert (slate.kind, slate.record_start) == ("color", before.clips[2].record_start)
    assert (still.kind, still.record_start, still.frames) == ("image", before.clips[3].record_start, before.clips[3].frames)
    assert [(b.record_start, b.src_in, b.frames) for b in after.music] == [(b.record_start, b.src_in, b.frames) for b in before.music]
