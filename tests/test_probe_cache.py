"""The probe cache: a file probed once is not probed again until it changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import make_counter_clip
from filmkit.media import probe_cache
from filmkit.media.probe import probe


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(probe_cache.ENV_DIR, str(tmp_path / "cache"))
    monkeypatch.setattr(probe_cache, "_MEMORY", None)
    return tmp_path


def test_second_probe_comes_from_the_cache_and_equals_a_real_probe(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clip = make_counter_clip(cache / "a.mp4", frames=10)
    first = probe_cache.cached_probe(clip)
    assert first == probe(clip)
    calls: list[Path] = []
    monkeypatch.setattr(probe_cache, "probe", lambda path: calls.append(path) or probe(path))
    monkeypatch.setattr(probe_cache, "_MEMORY", None)  # a new run reads the file
    again = probe_cache.cached_probe(clip)
    assert calls == [] and again == first
    assert probe_cache.cache_file().is_file()


def test_a_changed_file_is_probed_again(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clip = make_counter_clip(cache / "a.mp4", frames=10)
    before = probe_cache.cached_probe(clip)
    make_counter_clip(cache / "b.mp4", frames=20)
    os.replace(cache / "b.mp4", clip)  # same path, new content
    after = probe_cache.cached_probe(clip)
    assert after.duration == probe(clip).duration == 2 * before.duration


def test_a_broken_cache_file_is_ignored(cache: Path) -> None:
    clip = make_counter_clip(cache / "a.mp4", frames=10)
    probe_cache.cache_file().parent.mkdir(parents=True)
    probe_cache.cache_file().write_text("{not json", encoding="utf-8")
    assert probe_cache.cached_probe(clip) == probe(clip)
