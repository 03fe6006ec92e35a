"""A preset shown to a person: one summary row for `filmkit presets`, every value with its source.

Each value of a preset file carries a comment citing where its number comes from; `describe`
pairs every value with that comment, adding the URL of a source the comment cites only by its
[KEY] (the keys of the `sources` list, as in docs/platforms.md).
"""

from __future__ import annotations

import re
from enum import Enum
from fractions import Fraction
from typing import Any

from pydantic import BaseModel

from filmkit.platform.preset import Preset, megabytes_text, rate_text


def summary(preset: Preset) -> dict[str, str]:
    """One row of `filmkit presets`."""
    limits, loudness = preset.limits, preset.loudness
    return {
        "name": preset.name,
        "size": str(preset.size),
        "aspect": preset.aspect_label,
        "fps": fps_rule_text(preset),
        "max duration": _duration_text(limits.max_seconds),
        "max size": megabytes_text(limits.max_size_mb),
        "loudness": f"{loudness.integrated_lufs:g} LUFS, TP {loudness.true_peak_dbtp:g} dBTP",
        "from": preset.origin_label,
    }


def fps_rule_text(preset: Preset) -> str:
    rule = preset.video.fps
    return f"{rate_text(rule.min)}-{rate_text(rule.max)} kept, else {rate_text(rule.fallback)}"


def describe(preset: Preset) -> list[tuple[str, str, str | None]]:
    """Every field of the preset as (key path, value, source comment), in file order."""
    rows: list[tuple[str, str, str | None]] = []

    urls = source_keys(preset)

    def walk(model: BaseModel, prefix: str) -> None:
        for field in type(model).model_fields:
            if isinstance(model, Preset) and field in _NOT_DESCRIBED:
                continue
            value = getattr(model, field)
            path = f"{prefix}{field}"
            if isinstance(value, BaseModel):
                walk(value, f"{path}.")
            elif field not in model.model_fields_set:
                rows.append((path, _value_text(value), "not in the file: filmkit's default"))
            else:
                rows.append((path, _value_text(value), _with_urls(preset.note(path), urls)))

    walk(preset, "")
    return rows


_NOT_DESCRIBED = ("name", "title", "platform", "sources", "source_file", "origin", "notes")
_SOURCE_KEY = re.compile(r"\[([A-Z][A-Z0-9]*)\]")


def source_keys(preset: Preset) -> dict[str, tuple[str, ...]]:
    """The [KEY] tags of the `sources` list's comments (the source keys of docs/platforms.md) -> their URLs."""
    found: dict[str, list[str]] = {}
    for index, url in enumerate(preset.sources):
        for key in _SOURCE_KEY.findall(preset.note(f"sources[{index}]") or ""):
            found.setdefault(key, []).append(url)
    return {key: tuple(value) for key, value in found.items()}


def _with_urls(note: str | None, urls: dict[str, tuple[str, ...]]) -> str | None:
    """A comment that cites a source by key alone gets that source's URL, so every value shows one."""
    if not note:
        return note
    missing = [url for key in dict.fromkeys(_SOURCE_KEY.findall(note)) for url in urls.get(key, ()) if url not in note]
    return f"{note} ({'; '.join(dict.fromkeys(missing))})" if missing else note


def _value_text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return rate_text(value)
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def _duration_text(seconds: Fraction) -> str:
    whole = float(seconds)
    if whole >= 3600 and whole % 3600 == 0:
        return f"{whole / 3600:g} h"
    if whole >= 60 and whole % 60 == 0:
        return f"{whole / 60:g} min"
    return f"{whole:g} s"
