"""Per-language subtitle limits from public style guides (data/subtitle_limits.yaml), with the
project's overrides on top; every limit carries where it comes from, for the lint messages."""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, replace
from fractions import Fraction
from importlib import resources
from typing import Any

from filmkit.errors import SubtitleError
from filmkit.subtitles.langs import base, normalize

NUMERIC_KEYS = ("cpl", "cps", "lines", "lines_vertical", "min_duration", "max_duration", "gap_frames")
KEYS = (*NUMERIC_KEYS, "fullwidth")


@dataclass(frozen=True)
class Limit:
    value: Fraction
    source: str  # e.g. "Netflix, English" or "project file, ru"

    def __str__(self) -> str:
        return format_number(self.value)


@dataclass(frozen=True)
class Limits:
    """What a file in one language is linted against."""

    lang: str | None
    name: str  # "English", or "other languages" for the default entry
    cpl: Limit  # characters per line
    cps: Limit  # characters per second
    lines: Limit  # lines per cue
    lines_vertical: Limit  # lines per cue on a 9:16 frame
    min_duration: Limit  # seconds
    max_duration: Limit  # seconds
    gap_frames: Limit  # frames between consecutive cues
    fullwidth: bool  # half-width characters count 0.5 (Chinese, Japanese, Korean)


def limits_for(lang: str | None, override: dict[str, Any] | None = None) -> Limits:
    """The limits for `lang` ("pt-BR" falls back to "pt", then to the default entry), with
    `override` ({lang: {key: value}}, "default" for every language) applied on top."""
    data = _data()
    code = normalize(lang)
    entry = dict(data["default"])
    name = entry.pop("name")
    for key in _lookup_keys(code):
        if key in data["languages"]:
            found = dict(data["languages"][key])
            name = found.pop("name", name)
            entry.update(found)
    fields = {key: _limit(entry[key], name if key in ("cpl", "cps") else None) for key in NUMERIC_KEYS}
    limits = Limits(code, name, fullwidth=bool(entry.get("fullwidth", False)), **fields)
    return _apply_override(limits, code, override or {})


def _lookup_keys(code: str | None) -> list[str]:
    if not code:
        return []
    return list(dict.fromkeys([base(code) or code, code]))


@functools.lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    from ruamel.yaml import YAML

    text = (resources.files("filmkit") / "data" / "subtitle_limits.yaml").read_text(encoding="utf-8")
    return YAML(typ="safe").load(text)


def _limit(spec: dict[str, Any], name: str | None) -> Limit:
    """Line length and reading speed differ by language, so their source names it."""
    source = f"{spec['source']}, {name}" if name else str(spec["source"])
    return Limit(Fraction(str(spec["value"])), source)


def _apply_override(limits: Limits, code: str | None, override: dict[str, Any]) -> Limits:
    if override and all(key in KEYS for key in override):
        override = {"default": override}  # a flat {cpl: 40} applies to every language
    changes: dict[str, Any] = {}
    for scope in ("default", "*", *(_lookup_keys(code))):
        values = {normalize(key): value for key, value in override.items()}.get(scope)
        if values is None:
            continue
        if not isinstance(values, dict):
            raise SubtitleError(f"subtitles.limits.{scope}: expected keys such as cpl: 40, got {values!r}")
        for key, value in values.items():
            changes[key] = _override_value(scope, key, value)
    return replace(limits, **changes)


def _override_value(scope: str, key: str, value: object) -> Limit | bool:
    where = f"subtitles.limits.{scope}.{key}"
    if key not in KEYS:
        close = difflib.get_close_matches(key, KEYS, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise SubtitleError(f"{where}: unknown limit {key!r}.{hint} Allowed: {', '.join(KEYS)}")
    if key == "fullwidth":
        if not isinstance(value, bool):
            raise SubtitleError(f"{where}: {value!r} must be true or false")
        return value
    try:
        number = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        number = Fraction(-1)
    if isinstance(value, bool) or number <= 0:
        raise SubtitleError(f"{where}: {value!r} must be a positive number such as 42 or 5/6")
    return Limit(number, f"project file, {scope if scope not in ('default', '*') else 'all languages'}")


def format_number(value: Fraction) -> str:
    """42, 0.83 (5/6 shown to two decimals), 17.5."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.2f}".rstrip("0").rstrip(".")

