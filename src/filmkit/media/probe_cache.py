"""Probe results kept between runs, so a render re-probes only the files that changed.

Probing a 1080p source with PyAV (open, decode one frame, seek to its end) costs ~20-60 ms; a
film of twelve sources paid that on every `render`, `check` and `export`. A result is reused
only while the file's identity is unchanged: its resolved path, size, modification time (ns),
inode and change time (ns). Any of them differing (a re-export, a copy over it, `touch`)
probes again. The cache lives in the user's cache folder (platformdirs), not in the project's
`out/`: sources are shared between projects and `out/` is the editor's to delete.
`FILMKIT_CACHE_DIR` moves it (tests use a temporary folder); `FILMKIT_PROBE_CACHE=0` turns it off.
A cache that cannot be read or written is ignored: it only ever saves time.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict
from fractions import Fraction
from pathlib import Path
from typing import Any

from filmkit.atomic import write_atomic
from filmkit.errors import OutputError
from filmkit.media.probe import AudioInfo, MediaInfo, VideoInfo, probe
from filmkit.paths import resolved

ENV_DIR = "FILMKIT_CACHE_DIR"
ENV_SWITCH = "FILMKIT_PROBE_CACHE"
# Bump when MediaInfo changes shape, or what probe() refuses: older entries are then ignored.
# 2: pictures over media.images.MAX_PIXELS are refused before PyAV decodes them.
FORMAT = 2
MAX_ENTRIES = 2000  # the oldest are dropped beyond this

_LOCK = threading.Lock()
_MEMORY: dict[str, dict[str, Any]] | None = None  # this process's view of the file


def cached_probe(path: Path) -> MediaInfo:
    """`probe(path)`, or the stored result of an earlier probe of the very same file."""
    if os.environ.get(ENV_SWITCH, "1") == "0":
        return probe(path)
    key, identity = _identity(path)
    if key is None:
        return probe(path)  # missing or unreadable: probe() says what is wrong
    with _LOCK:
        entry = _entries().get(key)
    if entry is not None and entry.get("identity") == identity:
        try:
            return _decode(entry["info"], Path(path))
        except (KeyError, TypeError, ValueError):
            pass
    info = probe(path)
    with _LOCK:
        entries = _entries()
        entries[key] = {"identity": identity, "info": _encode(info)}
        _save(entries)
    return info


def cache_file() -> Path:
    folder = os.environ.get(ENV_DIR)
    if not folder:
        from platformdirs import user_cache_dir

        folder = user_cache_dir("filmkit", appauthor=False)
    return Path(folder) / "probe.json"


def _identity(path: Path) -> tuple[str | None, list[int]]:
    try:
        resolved_path = resolved(path)  # a symbolic link loop: probe() names it
        stat = resolved_path.stat()
    except OSError:
        return None, []
    if not resolved_path.is_file():
        return None, []
    return str(resolved_path), [stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns]


def _entries() -> dict[str, dict[str, Any]]:
    global _MEMORY
    if _MEMORY is None:
        try:
            data = json.loads(cache_file().read_text(encoding="utf-8"))
            _MEMORY = data["entries"] if data.get("format") == FORMAT else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            _MEMORY = {}
    return _MEMORY


def _save(entries: dict[str, dict[str, Any]]) -> None:
    """Written whole to a temporary and moved into place: concurrent runs never read half a file."""
    while len(entries) > MAX_ENTRIES:
        entries.pop(next(iter(entries)))
    try:
        write_atomic(cache_file(), json.dumps({"format": FORMAT, "entries": entries}), what="the probe cache")
    except OutputError:
        pass  # a full disk: the cache only ever saves time, and its temporary is gone


def _encode(info: MediaInfo) -> dict[str, Any]:
    data = asdict(info)
    data.pop("path")
    return json.loads(json.dumps(data, default=_fraction_text))


def _fraction_text(value: object) -> str:
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    raise TypeError(f"cannot store {type(value).__name__}")


def _decode(data: dict[str, Any], path: Path) -> MediaInfo:
    video = data["video"]
    audio = data["audio"]
    return MediaInfo(
        path=path,
        container=data["container"],
        duration=Fraction(data["duration"]),
        size_bytes=data["size_bytes"],
        video=None if video is None else VideoInfo(**{
            **video, "sar": Fraction(video["sar"]), "rate": None if video["rate"] is None else Fraction(video["rate"])}),
        audio=None if audio is None else AudioInfo(**audio),
        bit_rate=data["bit_rate"],
        timecode=data["timecode"],
    )
