"""The review page in a real browser: headless Chromium (Debian's `chromium`) driven by Playwright.

Nothing here downloads a browser: Playwright is pointed at the system's executable. Without it
(or without the playwright package) these tests skip and say what to install; CI installs
both (.ci/run). The page is opened from disk (`file://`) and from a static server on the
loopback address, as a producer would open it from a synced folder or a web server.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_review import EN_CUE, RU_FIXED, export_twice

CHROMIUM_NAMES = ("chromium", "chromium-browser")
INSTALL = ("the review page's browser tests need Debian's chromium package and the playwright Python package: "
           "`apt-get install chromium` (as root; .ci/run does it on CI) and `python3 dev.py test` (installs playwright)")


def chromium_path() -> str | None:
    explicit = os.environ.get("FILMKIT_CHROMIUM")
    return explicit or next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip(INSTALL)
    if executable is None:
        pytest.skip(INSTALL)
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Path:
    folder = tmp_path_factory.mktemp("review-browser")
    export_twice(folder)
    return folder / "out"


@pytest.fixture(scope="module")
def served(exported: Path) -> Iterator[str]:
    """The export folder on a static web server at 127.0.0.1 (any free port)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(exported)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/review.html"
    server.shutdown()
    server.server_close()


class Opened:
    """A page with every console error, page error and dialog it produced."""

    def __init__(self, browser: Any, url: str, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", self._dialog)
        self.page.goto(url)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _dialog(self, dialog: Any) -> None:
        self.errors.append(f"dialog: {dialog.message}")  # an alert() would mean injected script ran
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def opened(browser: Any, exported: Path) -> Iterator[Opened]:
    page = Opened(browser, (exported / "review.html").as_uri(), viewport={"width": 1280, "height": 900})
    yield page
    page.close()


def wait_for_metadata(page: Any) -> list[dict[str, Any]]:
    page.wait_for_function("Array.from(document.querySelectorAll('video')).every(v => v.readyState >= 1 || v.error)",
                           timeout=20_000)
    return page.evaluate("Array.from(document.querySelectorAll('video'), v => ({duration: v.duration, "
                         "expected: parseFloat(v.dataset.duration), error: v.error && v.error.code, poster: v.poster}))")


@pytest.mark.parametrize("where", ["file", "http"])
def test_videos_posters_and_thumbnails_load_without_a_console_error(browser: Any, exported: Path, request: Any,
                                                                     where: str) -> None:
    url = (exported / "review.html").as_uri() if where == "file" else request.getfixturevalue("served")
    opened = Opened(browser, url, viewport={"width": 1280, "height": 900})
    page = opened.page
    videos = wait_for_metadata(page)
    assert len(videos) == 10
    for video in videos:
        assert video["error"] is None, video
        assert abs(video["duration"] - video["expected"]) < 0.1, video  # AAC padding: a few ms longer than the film
    posters = [video["poster"] for video in videos]
    loaded = page.evaluate("""posters => Promise.all(posters.map(src => new Promise(done => {
        const image = new Image(); image.onload = () => done(image.naturalWidth); image.onerror = () => done(0);
        image.src = src; })))""", posters)
    assert all(width > 0 for width in loaded), posters
    for image in page.locator("img").all():  # lazy: each loads when scrolled to
        image.scroll_into_view_if_needed()
    page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)", timeout=10_000)
    assert page.evaluate("Array.from(document.images, i => i.loading)") == ["lazy"] * 6
    assert opened.errors == []
    opened.close()


def test_filters_by_language_platform_and_state(opened: Opened) -> None:
    page = opened.page
    visible = lambda: page.evaluate(  # noqa: E731
        "Array.from(document.querySelectorAll('.cell:not([hidden])'), c => c.dataset.platform + '/' + c.dataset.lang)")
    assert len(visible()) == 6 and page.locator(".filter-status").inner_text() == "6 of 6 outputs shown"
    page.get_by_role("checkbox", name="Arabic").uncheck()
    assert sorted(visible()) == ["tiny-landscape/en", "tiny-landscape/ru", "tiny-vertical/en", "tiny-vertical/ru"]
    assert page.locator("#lang-ar").is_hidden() and page.locator("#lang-ru").is_visible()
    page.get_by_role("checkbox", name="Instagram Reels, 9:16 vertical").uncheck()
    assert sorted(visible()) == ["tiny-landscape/en", "tiny-landscape/ru"]
    assert page.locator("#platform-tiny-vertical").is_hidden()
    page.get_by_role("checkbox", name="Instagram Reels, 9:16 vertical").check()
    page.get_by_role("checkbox", name="changed in the last run").check()
    assert sorted(visible()) == ["tiny-landscape/ru", "tiny-vertical/ru"]
    page.get_by_role("checkbox", name="failed").check()
    assert visible() == ["tiny-vertical/ru"]
    assert opened.errors == []


def test_a_clicked_cue_seeks_every_video_of_its_language(opened: Opened) -> None:
    page = opened.page
    wait_for_metadata(page)
    page.locator("#lang-ru a.cue").nth(1).click()
    seeked = "lang => Array.from(document.querySelectorAll(`video[data-lang=${lang}]`), v => v.currentTime)"
    page.wait_for_function(f"({seeked})('ru').every(t => Math.abs(t - 1.6) < 0.05)")
    assert len(page.evaluate(f"({seeked})('ru')")) == 2  # the failed vertical one has no video
    assert page.evaluate(f"({seeked})('en')") == [0, 0, 0, 0], "other languages stay where they were"
    assert page.locator("#lang-ru a.cue").nth(1).get_attribute("aria-current") == "true"
    # by keyboard: focus a cue and press Enter
    page.locator("#lang-en a.cue").nth(1).focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"({seeked})('en').every(t => Math.abs(t - 1.6) < 0.05)")
    assert opened.errors == []


def test_keyboard_reaches_the_skip_link_and_the_filters(opened: Opened) -> None:
    page = opened.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the outputs"
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "lang":
            break
    assert page.evaluate("document.activeElement.value") == "en"
    page.keyboard.press("Space")
    assert page.locator("#lang-en").is_hidden() and page.locator("#cell-tiny-landscape-en").is_hidden()


def test_languages_read_in_their_own_direction(opened: Opened) -> None:
    page = opened.page
    direction = "selector => getComputedStyle(document.querySelector(selector)).direction"
    assert page.evaluate(direction, "#lang-ar .cues") == "rtl"
    assert page.evaluate(direction, "#lang-ru .cues") == "ltr"
    assert page.evaluate("document.querySelector('#lang-ar').lang") == "ar"
    ru_text = page.locator("#lang-ru .cue-text").all_inner_texts()
    assert ru_text == ["Она выигрывает золото.", RU_FIXED.split("\n")[-2]]
    assert page.locator("#lang-ar .cue-text").first.inner_text() == "تفوز بالذهب."
    assert page.locator("#lang-en .cue-text").first.inner_text() == EN_CUE, "shown as text, never run"
    # right to left: the Arabic cue list lies left of its videos, the English one right of them
    boxes = "selector => document.querySelector(selector).getBoundingClientRect().x"
    assert page.evaluate(boxes, "#lang-ar .cue-lists") < page.evaluate(boxes, "#lang-ar .versions")
    assert page.evaluate(boxes, "#lang-en .cue-lists") > page.evaluate(boxes, "#lang-en .versions")


def test_a_failed_output_shows_its_error(opened: Opened) -> None:
    cell = opened.page.locator("#cell-tiny-vertical-ru")
    assert cell.is_visible()
    assert cell.locator(".state").inner_text() == "failed"
    assert "is a folder; give a file name such as" in cell.locator(".error pre").inner_text()


def test_a_phone_reads_it_without_scrolling_sideways(browser: Any, exported: Path) -> None:
    opened = Opened(browser, (exported / "review.html").as_uri(), viewport={"width": 390, "height": 844},
                    device_scale_factor=2, is_mobile=True, has_touch=True)
    page = opened.page
    wait_for_metadata(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    wide = page.evaluate("Array.from(document.querySelectorAll('body *'), e => [e.tagName, e.className, "
                         "e.getBoundingClientRect().right]).filter(([, , right]) => right > 390.5)")
    assert wide == []
    assert opened.errors == []
    opened.close()


def test_without_javascript_the_matrix_and_players_still_work(browser: Any, exported: Path) -> None:
    opened = Opened(browser, (exported / "review.html").as_uri(), java_script_enabled=False)
    page = opened.page
    assert page.locator("#filters").is_hidden(), "filters need the script, so they stay hidden without it"
    assert page.locator(".cell:visible").count() == 6 and page.locator(".language:visible").count() == 3
    assert page.locator("video[controls]").count() == 10
    assert page.locator("#lang-ru a.cue").nth(1).get_attribute("href").endswith("_ru.mp4#t=1.600")
    opened.close()
