"""The review page (`review.html`), proven on the files two real exports write.

The project is test_export's tiny one in English, Arabic and Russian on two tiny platforms,
with a title and a cue that hold `<script>`. The first export renders all six outputs; then the
Russian translation is fixed and the vertical Russian output's path is blocked by a folder, so
the second export renders one output, fails one, and finds four up to date. The browser tests
(test_review_browser.py) open the same page in Chromium.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from filmkit.render.plan import slugify
from test_export import AR, EN, make_project

TITLE = "Gold <script>alert('title')</script> Medal"
EN_CUE = "She wins <script>alert('cue')</script> gold."
RU = ("1\n00:00:00,200 --> 00:00:01,400\nОна выигрывает золото.\n\n"
      "2\n00:00:01,600 --> 00:00:02,600\nИ не может праздновать.\n")
RU_FIXED = RU.replace("И не может праздновать.", "И она не может праздновать.")
PLATFORMS = ("tiny-landscape", "tiny-vertical")
LANGS = ("en", "ar", "ru")


def output(folder: Path, platform: str, lang: str) -> Path:
    return folder / "out" / platform / f"{slugify(TITLE)}_{lang}.mp4"


def export(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "filmkit", "export", str(project)], capture_output=True, text=True)


def export_twice(folder: Path) -> Path:
    """The scenario of this module's docstring; returns the project file."""
    project = make_project(folder, langs="[en, ar, ru]")
    text = project.read_text(encoding="utf-8").replace("title: Gold Medal", f'title: "{TITLE}"')
    text = text.replace("    ar: {tagline:", '    ru: {tagline: Любовь побеждает, hashtag: "#LoveAlwaysWins"}\n    ar: {tagline:')
    project.write_text(text, encoding="utf-8")
    (folder / "subs" / "en.srt").write_text(EN.replace("She wins gold.", EN_CUE), encoding="utf-8")
    (folder / "subs" / "ru.srt").write_text(RU, encoding="utf-8")
    first = export(project)
    assert first.returncode == 0 and "6 rendered" in first.stderr, first.stderr
    (folder / "subs" / "ru.srt").write_text(RU_FIXED, encoding="utf-8")
    blocked = output(folder, "tiny-vertical", "ru")
    blocked.unlink()
    blocked.mkdir()
    second = export(project)
    assert second.returncode == 1 and "1 rendered, 4 up to date, 1 failed" in second.stderr, second.stderr
    assert f"Review page: {folder / 'out' / 'review.html'}" in second.stderr
    return project


class Page(HTMLParser):
    """Every start tag of the page with its attributes, for checks without a browser."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {key: value or "" for key, value in attrs}))

    def find(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags
                if name == tag and all(attrs.get(key.replace("_", "-")) == value for key, value in wanted.items())]


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("review")
    export_twice(folder)
    return folder


def page_of(folder: Path) -> tuple[str, Page]:
    text = (folder / "out" / "review.html").read_text(encoding="utf-8")
    return text, Page(text)


def test_the_page_is_one_self_contained_file_whose_links_all_resolve(reviewed: Path) -> None:
    text, page = page_of(reviewed)
    assert [link["rel"] for link in page.find("link")] == ["icon"], "no style sheet or script from elsewhere"
    assert all("src" not in attrs for tag, attrs in page.tags if tag == "script")
    assert "<style>" in text and "<script>" in text
    references = [attrs[key] for _, attrs in page.tags for key in ("src", "href", "poster") if key in attrs]
    assert references
    for reference in references:
        parts = urlsplit(reference)
        assert parts.scheme in ("", "data") and not parts.netloc, f"{reference}: the page must work offline"
        if parts.path and not parts.scheme:
            assert (reviewed / "out" / unquote(parts.path)).is_file(), reference
    assert not list((reviewed / "out").glob(".review.html*")), "written through a temporary, none left"


def test_each_output_shows_its_state_and_what_changed_in_the_last_run(reviewed: Path) -> None:
    _, page = page_of(reviewed)
    cells = {(attrs["data-platform"], attrs["data-lang"]): attrs for attrs in page.find("article", **{"class": "cell"})}
    assert set(cells) == {(platform, lang) for platform in PLATFORMS for lang in LANGS}
    states = {key: (attrs["data-state"], attrs["data-changed"]) for key, attrs in cells.items()}
    assert states.pop(("tiny-landscape", "ru")) == ("rendered", "true")
    assert states.pop(("tiny-vertical", "ru")) == ("failed", "true")
    assert set(states.values()) == {("up to date", "false")}
    videos = page.find("video")
    assert len(videos) == 5 + 5, "each file in its cell and in its language's view; the failed one has none"
    assert all(video["preload"] == "metadata" and video["poster"].endswith(".jpg") for video in videos)


def test_a_failed_output_appears_with_its_error_and_the_manifest_keeps_it(reviewed: Path) -> None:
    text, _ = page_of(reviewed)
    cell = text[text.index('id="cell-tiny-vertical-ru"'):]
    cell = cell[: cell.index("</article>")]
    assert "Render failed" in cell and "is a folder; give a file name such as" in cell
    manifest = json.loads((reviewed / "out" / "manifest.json").read_text(encoding="utf-8"))
    failed = {item["path"]: item for item in manifest["failed"]}
    path = f"tiny-vertical/{slugify(TITLE)}_ru.mp4"
    assert set(failed) == {path} and "is a folder" in failed[path]["error"] and failed[path]["language"] == "ru"
    started = manifest["last_run"]["started"]
    assert started <= failed[path]["at"] <= manifest["last_run"]["finished"]
    rendered = {item["path"]: item["rendered_at"] for item in manifest["outputs"]}
    assert sum(stamp >= started for stamp in rendered.values()) == 1


def test_every_user_string_is_escaped(reviewed: Path) -> None:
    text, _ = page_of(reviewed)
    assert "<script>alert" not in text
    assert "Gold &lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; Medal" in text
    assert "She wins &lt;script&gt;alert(&#x27;cue&#x27;)&lt;/script&gt; gold." in text
    assert text.count("<script>") == 1 and text.count("</script>") == 1


def test_languages_carry_their_direction_and_cues_with_timecodes(reviewed: Path) -> None:
    text, page = page_of(reviewed)
    sections = {attrs["data-lang"]: attrs for attrs in page.find("section", **{"class": "language"})}
    assert (sections["ar"]["lang"], sections["ar"]["dir"]) == ("ar", "rtl")
    assert (sections["ru"]["lang"], sections["ru"]["dir"]) == ("ru", "ltr")
    assert (sections["en"]["lang"], sections["en"]["dir"]) == ("en", "ltr")
    assert page.find("ol", **{"class": "cues", "lang": "ar", "dir": "rtl"})
    assert "И она не может праздновать." in text and "تفوز بالذهب." in text
    cues = page.find("a", **{"class": "cue", "data-version": "ru"})
    assert [cue["data-start"] for cue in cues] == ["0.200", "1.600"]
    assert cues[1]["href"] == f"tiny-landscape/{slugify(TITLE)}_ru.mp4#t=1.600", "without the script: the film at that time"
    assert '<span class="tc">00:00:01:15</span> – <span class="tc">00:00:02:15</span>' in text


def test_cue_thumbnails_one_per_cue_lazy_and_made_again_only_when_their_subtitles_change(reviewed: Path,
                                                                                          tmp_path: Path) -> None:
    from PIL import Image

    _, page = page_of(reviewed)
    images = page.find("img")
    assert len(images) == 2 * len(LANGS) and all(image["loading"] == "lazy" and image["alt"] for image in images)
    for lang in LANGS:
        thumbs = sorted((reviewed / "out" / "review" / lang).glob("cue-*.jpg"))
        assert [path.name for path in thumbs] == ["cue-0001.jpg", "cue-0002.jpg"]
        with Image.open(thumbs[1]) as thumb:
            assert thumb.format == "JPEG" and thumb.size == (480, 270)
    folder = tmp_path / "moved"  # a copy: the thumbnails' key holds no absolute path
    shutil.copytree(reviewed, folder)
    before = {path: path.stat().st_mtime_ns for path in (folder / "out" / "review").rglob("*.jpg")}
    again = export(folder / "edit.yaml")
    assert again.returncode == 1 and "0 rendered" in again.stderr
    assert {path: path.stat().st_mtime_ns for path in before} == before
    (folder / "subs" / "ar.srt").write_text(AR.replace("تفوز", "إنها تفوز"), encoding="utf-8")
    assert export(folder / "edit.yaml").returncode == 1
    remade = {path.parent.name for path in before if path.stat().st_mtime_ns != before[path]}
    assert remade == {"ar"}


def test_every_language_s_thumbnails_come_from_one_decode_of_the_cut(reviewed: Path, tmp_path: Path, run_cli,  # type: ignore[no-untyped-def]
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The cut is decoded once for all languages' cue thumbnails, each burned with its own subtitles."""
    import numpy as np
    from PIL import Image

    folder = tmp_path / "again"
    shutil.copytree(reviewed, folder)
    shutil.rmtree(folder / "out" / "review")
    timings = tmp_path / "ffmpeg.jsonl"
    monkeypatch.setenv("FILMKIT_FFMPEG_TIMINGS", str(timings))
    result = run_cli("review", str(folder / "edit.yaml"))
    assert result.exit_code == 0, result.stderr
    runs = [json.loads(line)["what"] for line in timings.read_text().splitlines()]
    assert runs == ["cue thumbnails (en, ar, ru)"], runs
    first = {}
    for lang in LANGS:
        with Image.open(folder / "out" / "review" / lang / "cue-0001.jpg") as thumb:
            first[lang] = np.asarray(thumb.convert("L"), dtype=float)
    top, bottom = slice(0, 150), slice(200, 270)  # the picture above, the subtitle's line below
    for lang in ("ar", "ru"):
        assert np.abs(first[lang][top] - first["en"][top]).mean() < 3  # the same frame of the cut
        assert np.abs(first[lang][bottom] - first["en"][bottom]).mean() > 3  # another language's line


def test_review_rebuilds_the_page_without_rendering(reviewed: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "copy"
    shutil.copytree(reviewed, folder)
    films = {path: path.stat().st_mtime_ns for path in (folder / "out").rglob("*.mp4")}
    (folder / "out" / "review.html").unlink()
    result = run_cli("review", str(folder / "edit.yaml"))
    assert result.exit_code == 0, result
    assert f"Wrote {folder / 'out' / 'review.html'} (6 outputs: " in result.stderr and "1 failed" in result.stderr
    assert {path: path.stat().st_mtime_ns for path in films} == films
    text, _ = page_of(folder)
    assert 'data-state="failed"' in text and "is a folder" in text
    # a changed English card: the English files are out of date until the next export
    project = folder / "edit.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("tagline: Love Always Wins", "tagline: Love Wins"),
                       encoding="utf-8")
    assert run_cli("review", str(project)).exit_code == 0
    _, page = page_of(folder)
    outdated = {(attrs["data-platform"], attrs["data-lang"]) for attrs in page.find("article", data_state="out of date")}
    assert outdated == {(platform, "en") for platform in PLATFORMS}


def test_review_of_a_project_never_exported_says_what_to_run(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = make_project(tmp_path)
    result = run_cli("review", str(project))
    assert result.exit_code == 2, result
    assert f"{tmp_path / 'out' / 'manifest.json'}: no manifest, so {project} has not been exported yet" in result.stderr
    assert f"Run `filmkit export {project}` first" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_manifest_keeps_failures_until_the_output_renders_and_dates_each_run(tmp_path: Path) -> None:
    from filmkit.export.manifest import Entry, Failure, Manifest

    first = Manifest(tmp_path)
    first.record(Entry("a.mp4", "p", "en", "h", {}))
    first.end_run([tmp_path / "a.mp4", tmp_path / "b.mp4", tmp_path / "c.mp4"],
                  [Failure("b.mp4", "p", "ar", "ffmpeg said no"), Failure("c.mp4", "p", "ru", "disk full")])
    time.sleep(0.002)  # the next run starts after this one (timestamps are to the microsecond)
    read = Manifest.read(tmp_path)
    assert read.rendered_in_last_run(read.entries["a.mp4"]) and set(read.failures) == {"b.mp4", "c.mp4"}
    assert read.failures["b.mp4"].error == "ffmpeg said no" and read.failures["b.mp4"].at >= read.last_run["started"]
    # the next run plans b and c only: b renders (its failure goes), c fails again; a is no longer new
    read.record(Entry("b.mp4", "p", "ar", "h", {}))
    read.end_run([tmp_path / "b.mp4", tmp_path / "c.mp4"], [Failure("c.mp4", "p", "ru", "still full")])
    again = Manifest.read(tmp_path)
    assert set(again.failures) == {"c.mp4"} and again.failures["c.mp4"].error == "still full"
    assert not again.rendered_in_last_run(again.entries["a.mp4"]) and again.rendered_in_last_run(again.entries["b.mp4"])
    # a subset run that plans only a keeps c's failure
    again.end_run([tmp_path / "a.mp4"], [])
    assert set(Manifest.read(tmp_path).failures) == {"c.mp4"}


def test_ctrl_c_while_thumbnails_are_made_stops_the_export(reviewed: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure of the pictures is shown on the page; an interruption is not a failure: it stops."""
    import filmkit.render.stills as stills
    from filmkit.errors import Interrupted
    from filmkit.export.manifest import HashCache
    from filmkit.export.review_thumbs import cue_thumbnails
    from filmkit.render.plan import plan_render

    def interrupted(*_: object, **__: object) -> None:
        raise Interrupted("cue thumbnails: stopped")

    folder = tmp_path / "stopped"
    shutil.copytree(reviewed, folder)
    shutil.rmtree(folder / "out" / "review")
    plan = plan_render(folder / "edit.yaml", lang="en")
    monkeypatch.setattr(stills, "cue_stills_of_versions", interrupted)
    with pytest.raises(Interrupted):
        cue_thumbnails(plan.loaded, plan.timeline, plan.media, plan.tracks, folder / "out", HashCache(folder / "out"))
    monkeypatch.setattr(stills, "cue_stills_of_versions", lambda *_: (_ for _ in ()).throw(OSError("disk full")))
    made = cue_thumbnails(plan.loaded, plan.timeline, plan.media, plan.tracks, folder / "out", HashCache(folder / "out"))
    assert "could not be made: disk full" in made["en"].error
