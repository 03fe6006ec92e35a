"""Platform presets: the packaged data and its sources, the lookup order, the helpers, `filmkit presets`."""

from __future__ import annotations

import re
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from filmkit.errors import PresetError
from filmkit.platform.describe import describe, source_keys
from filmkit.platform.preset import Preset, PresetOrigin
from filmkit.platform.presets import available_presets, load_preset, packaged_presets_dir, user_presets_dir
from filmkit.project.load import read_yaml

PACKAGED = ("youtube-1080p", "youtube-shorts", "instagram-feed-1x1", "instagram-feed-4x5", "instagram-reel",
            "instagram-story", "tiktok", "x-landscape", "facebook-reel", "linkedin")
ALL_NAMES = ", ".join(sorted(PACKAGED))
PACKAGED_FILES = sorted(packaged_presets_dir().glob("*.yaml"))
DESCRIPTIVE_KEYS = ("name", "title", "platform", "sources")  # words, not numbers that need a source
URL = re.compile(r"https?://[^\s,;()]+")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test sees the real user's presets, and the current folder holds no presets/ folder."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "appdata"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path


def write_preset(folder: Path, name: str, text: str | None = None, **replace: str) -> Path:
    """A copy of the packaged tiktok preset as `name`, with lines replaced (old line start -> new line)."""
    body = text if text is not None else (packaged_presets_dir() / "tiktok.yaml").read_text(encoding="utf-8")
    body = body.replace("name: tiktok\n", f"name: {name}\n")
    for old, new in replace.items():
        assert old in body, old
        body = body.replace(old, new)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def line_of(path: Path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line.lstrip().startswith(start))


# --- the packaged data -----------------------------------------------------------------------------


def test_the_ten_platforms_are_packaged() -> None:
    assert {path.stem for path in PACKAGED_FILES} >= set(PACKAGED)


@pytest.mark.parametrize("path", PACKAGED_FILES, ids=lambda p: p.stem)
def test_every_packaged_preset_loads(path: Path) -> None:
    preset = load_preset(path.stem)
    assert preset.name == path.stem
    assert preset.origin is PresetOrigin.PACKAGED
    assert preset.source_file == path
    assert preset.sources and all(url.startswith("https://") for url in preset.sources)
    assert preset.video.profile == "high" and preset.video.pix_fmt == "yuv420p"
    assert preset.audio.codec == "aac" and preset.audio.profile == "lc" and preset.audio.sample_rate == 48000
    assert preset.container.faststart and not preset.container.edit_lists
    assert preset.video.fps.min <= preset.video.fps.fallback <= preset.video.fps.max


def _leaves(node: Any, path: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], Any]]:
    if isinstance(node, dict):
        return [leaf for key, value in node.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(node, list):
        return [leaf for index, value in enumerate(node) for leaf in _leaves(value, (*path, index))]
    return [(path, node)]


def _is_number(value: Any) -> bool:
    """1080, -14, 0.35 and the numbers written as text: 1080x1920, "4.2", 24000/1001 (not names like h264)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or (isinstance(value, str) and bool(re.match(r"^-?\d", value)))


@pytest.mark.parametrize("path", PACKAGED_FILES, ids=lambda p: p.stem)
def test_every_number_has_a_source_comment_with_a_url(path: Path) -> None:
    data, locations = read_yaml(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    missing = []
    for key_path, value in _leaves(data):
        if key_path[0] in DESCRIPTIVE_KEYS or not _is_number(value):
            continue
        line = locations.positions[key_path][0]
        _code, _hash, comment = lines[line - 1].partition(" #")
        if not URL.search(comment):
            missing.append(f"{path.name}:{line}: {'.'.join(map(str, key_path))} = {value!r}")
    assert not missing, "numbers without a source URL in their comment:\n" + "\n".join(missing)


@pytest.mark.parametrize("path", PACKAGED_FILES, ids=lambda p: p.stem)
def test_every_cited_url_is_in_the_sources_list(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    preset = load_preset(path.stem)
    cited = {url.rstrip(".") for line in text.splitlines() for url in URL.findall(line.partition(" #")[2])}
    assert cited - set(preset.sources) == set()
    # and every listed source is cited below, by URL or by its [KEY] (no dead entries)
    body = text.split("video:", 1)[1]
    keys = source_keys(preset)
    tagged = {url for key, urls in keys.items() if f"[{key}]" in body for url in urls}
    assert {url for url in preset.sources if url not in body and url not in tagged} == set()


def test_unpublished_numbers_say_so() -> None:
    """Where a platform publishes nothing the comment says it, and what filmkit chose instead."""
    tiktok = load_preset("tiktok")
    assert "none published" in tiktok.note("loudness.integrated_lufs")
    assert "none published" in tiktok.note("video.maxrate_kbps")
    assert "none published" in tiktok.note("audio.sample_rate")
    youtube = load_preset("youtube-1080p")
    assert "Google publishes none" in youtube.note("loudness.integrated_lufs")


# The numbers of docs/platforms.md, held against the data so an edit that drifts from the sources fails.
@pytest.mark.parametrize(
    ("name", "size", "fps", "seconds", "max_mb", "gop_seconds"),
    [
        ("youtube-1080p", (1920, 1080), ("24000/1001", 60), (0, 43200), 256000, Fraction(1, 2)),
        ("youtube-shorts", (1080, 1920), ("24000/1001", 60), (0, 180), 256000, Fraction(1, 2)),
        ("instagram-reel", (1080, 1920), (23, 60), (3, 900), 300, 2),
        ("instagram-story", (1080, 1920), (23, 60), (3, 60), 100, 2),
        ("instagram-feed-1x1", (1080, 1080), (23, 60), (3, 60), 100, 2),
        ("instagram-feed-4x5", (1080, 1350), (23, 60), (3, 60), 100, 2),
        ("tiktok", (1080, 1920), (23, 60), (3, 600), 500, 2),
        ("x-landscape", (1280, 720), (23, 60), (Fraction(1, 2), 140), 512, 2),
        ("facebook-reel", (1080, 1920), (24, 60), (3, 90), 300, 2),
        ("linkedin", (1920, 1080), (23, 30), (3, 1800), 500, 2),
    ],
)
def test_key_numbers(name: str, size: tuple[int, int], fps: tuple[Any, int], seconds: tuple[Any, int],
                     max_mb: int, gop_seconds: Any) -> None:
    preset = load_preset(name)
    assert tuple(preset.size) == size
    assert (preset.video.fps.min, preset.video.fps.max) == (Fraction(fps[0]), Fraction(fps[1]))
    assert (preset.limits.min_seconds, preset.limits.max_seconds) == (Fraction(seconds[0]), Fraction(seconds[1]))
    assert preset.limits.max_size_mb == max_mb
    assert preset.video.gop.closed and preset.video.gop.seconds == Fraction(gop_seconds)


def test_safe_areas_of_vertical_presets() -> None:
    meta_reels = (0.14, 0.35, 0.06, 0.06)
    bbc = (0.125, 0.125, 0.05, 0.05)
    for name in ("instagram-reel", "facebook-reel", "youtube-shorts", "tiktok", "instagram-story"):
        preset = load_preset(name)
        text, subs = preset.safe_area.text, preset.safe_area.subtitles
        assert subs is not None and (subs.top, subs.bottom, subs.left, subs.right) == bbc
        assert preset.reframe == "blur" and preset.aspect_label == "9:16"
        if name in ("instagram-reel", "facebook-reel", "youtube-shorts"):
            assert (text.top, text.bottom, text.left, text.right) == meta_reels
    story = load_preset("instagram-story").safe_area.text
    assert (story.top, story.bottom) == (0.14, 0.20)
    assert load_preset("tiktok").safe_area.text.right > load_preset("tiktok").safe_area.text.left
    # The usable band of a 1080x1920 Reel, as docs/platforms.md gives it: y 269-1248, 65 px sides.
    assert load_preset("instagram-reel").safe_area.text.box(1080, 1920) == (65, 269, 1015, 1248)


def test_youtube_gop_is_half_the_frame_rate_with_two_b_frames() -> None:
    youtube = load_preset("youtube-1080p")
    assert youtube.video.gop.b_frames == 2
    assert [youtube.gop_frames(Fraction(rate)) for rate in (24, 25, 30, 50, 60)] == [12, 12, 15, 25, 30]
    assert youtube.gop_frames(Fraction(30000, 1001)) == 15
    assert youtube.gop_frames(Fraction(24000, 1001)) == 12


def test_meta_gop_is_at_least_two_seconds() -> None:
    reel = load_preset("facebook-reel")
    for rate in (Fraction(24), Fraction(30000, 1001), Fraction(30), Fraction(48000, 1001), Fraction(60)):
        frames = reel.gop_frames(rate)
        assert 2 <= frames / rate <= 5, rate


# --- helpers for the renderer ---------------------------------------------------------------------


def test_output_fps_keeps_the_master_rate_when_the_platform_takes_it() -> None:
    reel = load_preset("instagram-reel")
    for rate in (Fraction(24000, 1001), Fraction(25), Fraction(30000, 1001), Fraction(60)):
        assert reel.output_fps(rate) == rate


def test_output_fps_halves_doubles_or_falls_back() -> None:
    linkedin, facebook, youtube = load_preset("linkedin"), load_preset("facebook-reel"), load_preset("youtube-1080p")
    assert linkedin.output_fps(Fraction(50)) == 25  # every 2nd frame: no judder
    assert linkedin.output_fps(Fraction(60000, 1001)) == Fraction(30000, 1001)
    assert youtube.output_fps(Fraction(120)) == 60
    assert facebook.output_fps(Fraction(24000, 1001)) == Fraction(48000, 1001)  # below 24: each frame twice
    assert youtube.output_fps(Fraction(15)) == 30
    assert linkedin.output_fps(Fraction(35)) == 30  # 17.5 is too slow, 70 too fast: the fallback


def test_max_video_kbps_is_the_cap_for_short_films_and_fits_the_size_limit_for_long_ones() -> None:
    reel = load_preset("instagram-reel")  # 300 MB, 12 Mbps cap, 128 kbps audio
    assert reel.max_video_kbps(30) == 12000
    assert reel.video_bufsize_kbps(30) == 24000
    rate = reel.max_video_kbps(900)
    buffer = reel.video_bufsize_kbps(900)
    assert 1000 < rate < 12000
    assert Fraction(buffer, rate) == Fraction(2)
    worst_bytes = ((rate + reel.audio.bitrate_kbps) * 900 + buffer) * 1000 / 8
    assert worst_bytes <= reel.max_bytes * 0.95
    assert reel.max_video_kbps(Fraction(1799, 2)) >= rate  # shorter film, never a lower rate


def test_max_video_kbps_refuses_a_film_that_cannot_fit() -> None:
    story = load_preset("instagram-story")  # 100 MB
    with pytest.raises(PresetError, match=r"a 6000000.0 s film cannot fit instagram-story's size limit of 100 MB"):
        story.max_video_kbps(6_000_000)


def test_aspect() -> None:
    assert load_preset("instagram-feed-4x5").aspect == Fraction(4, 5)
    assert load_preset("instagram-feed-4x5").aspect_label == "4:5"
    assert load_preset("x-landscape").aspect_label == "16:9"


def test_a_preset_is_hashable_and_needs_no_file() -> None:
    data, _ = read_yaml(packaged_presets_dir() / "x-landscape.yaml")
    preset = Preset.model_validate(data)
    assert preset.source_file is None and preset.origin is None
    assert hash(preset) == hash(Preset.model_validate(data))


# --- where presets come from ------------------------------------------------------------------------


def test_user_presets_dir_per_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert user_presets_dir() == tmp_path / "xdg" / "filmkit" / "presets"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert user_presets_dir() == tmp_path / "home" / ".config" / "filmkit" / "presets"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/dir")  # not absolute: ignored, as the XDG spec says
    assert user_presets_dir() == tmp_path / "home" / ".config" / "filmkit" / "presets"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert user_presets_dir() == tmp_path / "home" / "Library" / "Application Support" / "filmkit" / "presets"
    monkeypatch.setattr(sys, "platform", "win32")
    assert user_presets_dir() == tmp_path / "appdata" / "filmkit" / "presets"


def test_project_beats_user_beats_packaged(tmp_path: Path) -> None:
    project = tmp_path / "film"
    assert load_preset("tiktok", project).origin is PresetOrigin.PACKAGED

    user_file = write_preset(user_presets_dir(), "tiktok", **{"title: TikTok, 9:16 vertical": "title: TikTok (ours)"})
    from_user = load_preset("tiktok", project)
    assert (from_user.origin, from_user.source_file, from_user.title) == (PresetOrigin.USER, user_file, "TikTok (ours)")

    project_file = write_preset(project / "presets", "tiktok", **{"title: TikTok, 9:16 vertical": "title: TikTok (this film)"})
    from_project = load_preset("tiktok", project)
    assert (from_project.origin, from_project.source_file, from_project.title) == (PresetOrigin.PROJECT, project_file, "TikTok (this film)")
    assert load_preset("tiktok").origin is PresetOrigin.USER  # no project given: its folder is not searched


def test_available_presets_adds_user_and_project_presets(tmp_path: Path) -> None:
    project = tmp_path / "film"
    write_preset(user_presets_dir(), "tiktok-ads", **{"max_size_mb: 500": "max_size_mb: 200"})
    write_preset(project / "presets", "festival-screen")
    presets = {preset.name: preset for preset in available_presets(project)}
    assert set(presets) == {*PACKAGED, "tiktok-ads", "festival-screen"}
    assert presets["tiktok-ads"].origin is PresetOrigin.USER and presets["tiktok-ads"].limits.max_size_mb == 200
    assert presets["festival-screen"].origin is PresetOrigin.PROJECT
    assert presets["tiktok"].origin is PresetOrigin.PACKAGED


def test_a_user_file_with_only_some_keys_is_an_error_listing_the_missing_ones(tmp_path: Path) -> None:
    path = write_preset(user_presets_dir(), "tiktok", text="name: tiktok\ntitle: mine\n")
    with pytest.raises(PresetError) as caught:
        load_preset("tiktok")
    assert f"{path}: platform: required key `platform` is missing" in str(caught.value)
    assert "required key `video` is missing" in str(caught.value)


# --- errors ----------------------------------------------------------------------------------------------


def test_unknown_preset_name_lists_the_available_ones_and_the_closest() -> None:
    with pytest.raises(PresetError) as caught:
        load_preset("tiktk")
    assert str(caught.value) == f"preset 'tiktk' not found. Available presets: {ALL_NAMES}. Did you mean 'tiktok'?"
    assert caught.value.exit_status == 2


def test_unknown_preset_name_without_a_close_one_says_where_to_add_it(tmp_path: Path) -> None:
    with pytest.raises(PresetError) as caught:
        load_preset("vimeo-4k", tmp_path / "film")
    assert str(caught.value) == (
        f"preset 'vimeo-4k' not found. Available presets: {ALL_NAMES}. To add your own, write vimeo-4k.yaml in "
        f"{tmp_path / 'film' / 'presets'} or {user_presets_dir()}"
    )


def test_a_name_that_is_a_path_is_not_looked_up(tmp_path: Path) -> None:
    (tmp_path / "evil.yaml").write_text("name: evil\n")
    with pytest.raises(PresetError, match="preset '../../evil' not found"):
        load_preset("../../evil", tmp_path / "a" / "b")


def test_a_preset_file_name_that_cannot_be_a_name() -> None:
    path = write_preset(user_presets_dir(), "TikTok Ads")
    with pytest.raises(PresetError) as caught:
        available_presets()
    assert str(caught.value) == (
        f"{path}: a preset's file name is its name and appears in output paths: use lowercase letters, digits, "
        "- and _ (e.g. tiktok-ads.yaml)"
    )


def test_unknown_key_in_a_user_preset_points_at_its_line_with_a_hint() -> None:
    path = write_preset(user_presets_dir(), "tiktok", **{"  max_seconds: 600": "  max_secnds: 600"})
    line = line_of(path, "max_secnds")
    with pytest.raises(PresetError) as caught:
        load_preset("tiktok")
    assert str(caught.value) == (
        f"{path}:{line - 2}:1: limits.max_seconds: required key `max_seconds` is missing\n\n"
        f"{path}:{line}:3: limits.max_secnds: unknown key `max_secnds`; allowed here: min_seconds, max_seconds, "
        f"max_size_mb, min_size_kb. did you mean `max_seconds`?"
    )
    assert [problem.line for problem in caught.value.problems] == [line - 2, line]


def test_bad_values_in_a_user_preset_are_all_reported_with_their_lines() -> None:
    path = write_preset(user_presets_dir(), "tiktok", **{
        "    fallback: 30 ": "    fallback: 90 ",
        '  level: "4.2"': '  level: "4.7"',
        "  size: 1080x1920": "  size: 1080x1921",
        "  sample_rate: 48000": "  sample_rate: 22050",
    })
    with pytest.raises(PresetError) as caught:
        load_preset("tiktok")
    message = str(caught.value)
    assert f"{path}:{line_of(path, 'size:')}:3: video.size: '1080x1921': width and height must be even" in message
    assert f"{path}:{line_of(path, 'fps:')}:3: video.fps: fallback 90 must lie within min 23 and max 60" in message
    assert f"{path}:{line_of(path, 'level:')}:3: video.level: '4.7' is not an H.264 level; use one of 1.0, " in message
    assert f"{path}:{line_of(path, 'sample_rate:')}:3: audio.sample_rate: 22050 is not allowed; use 44100, 48000 or 96000" in message
    assert len(caught.value.problems) == 4


def test_a_preset_whose_name_differs_from_its_file_name() -> None:
    path = write_preset(user_presets_dir(), "tiktok")
    path.write_text(path.read_text().replace("name: tiktok\n", "name: tik-tok\n"))
    with pytest.raises(PresetError) as caught:
        load_preset("tiktok")
    assert str(caught.value) == (
        f"{path}:5:1: name: 'tik-tok' differs from the file name 'tiktok.yaml'; a preset is called by its file name, "
        "so write `name: tiktok` or rename the file"
    )


def test_a_broken_yaml_preset() -> None:
    path = write_preset(user_presets_dir(), "tiktok", text="name: tiktok\nvideo: {size: 1080x1920\n")
    with pytest.raises(PresetError, match=re.escape(f"{path}:3:1: invalid YAML: expected ',' or '}}'")):
        load_preset("tiktok")


# --- filmkit presets -------------------------------------------------------------------------------------


def test_cli_lists_every_preset(run_cli: Any) -> None:
    result = run_cli("presets")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "size", "aspect", "fps", "max", "duration", "max", "size", "loudness", "from"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == set(PACKAGED)
    assert re.match(r"tiktok +1080x1920 +9:16 +23-60 kept, else 30 +10 min +500 MB +-14 LUFS, TP -1 dBTP +packaged$", rows["tiktok"])
    assert re.match(r"youtube-1080p +1920x1080 +16:9 +23.976-60 kept, else 30 +12 h +256 GB ", rows["youtube-1080p"])
    assert "filmkit presets NAME" in result.stderr


def test_cli_list_names_where_each_preset_came_from(run_cli: Any, tmp_path: Path) -> None:
    project = tmp_path / "film"
    user_file = write_preset(user_presets_dir(), "tiktok")
    project_file = write_preset(project / "presets", "facebook-reel", text=(packaged_presets_dir() / "facebook-reel.yaml").read_text())
    (project / "edit.yaml").write_text("filmkit: 1\n")
    result = run_cli("presets", "--project", str(project / "edit.yaml"))
    assert result.exit_code == 0, result
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert rows["tiktok"].endswith(f"user: {user_file}")
    assert rows["facebook-reel"].endswith(f"project: {project_file}")
    assert rows["x-landscape"].endswith("packaged")


def test_cli_shows_every_value_of_a_preset_with_its_source(run_cli: Any) -> None:
    result = run_cli("presets", "tiktok")
    assert result.exit_code == 0, result
    out = result.stdout
    assert out.startswith(f"tiktok: TikTok, 9:16 vertical (packaged file {packaged_presets_dir() / 'tiktok.yaml'})\n")
    assert "  video.size: 1080x1920\n" in out
    assert "  limits.max_seconds: 600\n      [TT] https://www.ayrshare.com/docs/media-guidelines/tiktok 10 minutes" in out
    # every value is followed by its source, and every source names a URL (a [KEY] alone gets its URL added)
    lines = out.splitlines()
    values = [i for i, line in enumerate(lines) if re.match(r"^  [a-z_.]+: ", line)]
    assert len(values) == len(describe(load_preset("tiktok")))
    without_url = [lines[i] for i in values if not URL.search(lines[i + 1])]
    # filmkit's own choice, not a platform's number; a key the file leaves out
    assert without_url == ["  limits.min_size_kb: 0", "  reframe: blur"]
    assert "  limits.min_size_kb: 0\n      not in the file: filmkit's default\n" in out
    assert "sources:\n  https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide\n" in out


def test_cli_unknown_preset_exits_2_with_the_hint(run_cli: Any) -> None:
    result = run_cli("presets", "tiktk")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"filmkit: error: preset 'tiktk' not found. Available presets: {ALL_NAMES}. Did you mean 'tiktok'?"
    assert result.stdout == ""


def test_cli_invalid_user_preset_exits_2_with_its_line(run_cli: Any) -> None:
    path = write_preset(user_presets_dir(), "tiktok", **{"  crf: 18": "  crf: 80"})
    result = run_cli("presets")
    assert result.exit_code == 2
    assert f"{path}:{line_of(path, 'crf:')}:3: video.crf: 80 is out of range; use a number at most 51" in result.stderr
