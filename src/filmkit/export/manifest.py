"""What an export wrote and from what: the manifest, content hashes, and the export lock.

`manifest.json` lies beside the outputs. Each entry names a file, its sha256, and the hash of
every input that made it, so a re-run renders only outputs whose inputs changed or whose file
no longer matches. Everything is written to a temporary file and moved into place, so a kill
at any moment leaves either the old manifest or the new one.

The manifest also keeps what the review page shows beyond the files: when each file was
rendered, when the last run started and ended, and the outputs whose last render failed, with
the error (the previous good file, if any, stays recorded and in place).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from filmkit.atomic import cannot_write, write_atomic
from filmkit.errors import FilmkitError, OutputError
from filmkit.media.loudness import Loudness

MANIFEST_NAME = "manifest.json"
CACHE_NAME = ".filmkit-hashes.json"
LOCK_NAME = ".filmkit-export.lock"
MANIFEST_VERSION = 1
CHUNK = 1 << 20


class ExportLocked(FilmkitError):
    """Another export is writing the same outputs."""


@dataclass
class Entry:
    """One output file as the manifest records it."""

    path: str  # relative to the manifest's folder, with forward slashes
    platform: str
    language: str
    inputs_hash: str
    inputs: dict[str, str]
    sha256: str = ""
    size: int = 0
    duration: float = 0.0
    frames: int = 0
    loudness: dict[str, float] = field(default_factory=dict)
    poster: str | None = None
    sidecars: list[str] = field(default_factory=list)
    filmkit: str = ""
    rendered_at: str = ""  # UTC, ISO 8601 (see utc_now); set when the entry is recorded
    worker: str = ""  # the host that rendered it (this machine's name for a local export)
    seconds: float = 0.0  # how long its job took there (a job writes up to four languages at once)


@dataclass
class Failure:
    """An output whose last render failed: kept so the review page can show the error later."""

    path: str  # relative to the manifest's folder, like Entry.path
    platform: str
    language: str
    error: str
    at: str = ""  # UTC, ISO 8601


def utc_now() -> str:
    """A timestamp that sorts as text (fixed width, UTC), so "rendered in the last run" is a comparison."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class Manifest:
    """The entries of one export folder, saved atomically after every finished job."""

    def __init__(self, folder: Path, entries: dict[str, Entry] | None = None,
                 failures: dict[str, Failure] | None = None, last_run: dict[str, str] | None = None) -> None:
        self.folder = folder
        self.entries: dict[str, Entry] = entries or {}
        self.failures: dict[str, Failure] = failures or {}
        self.last_run: dict[str, str] = last_run or {}  # {"started": ..., "finished": ...} of the last export
        self.opened_at = utc_now()  # the start of the run that reads this manifest to update it
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST_NAME

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The manifest in `folder`; an unreadable one is treated as empty (everything re-renders)."""
        try:
            data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
            entries = {item["path"]: Entry(**item) for item in data.get("outputs", [])}
            failures = {item["path"]: Failure(**item) for item in data.get("failed", [])}
            last_run = {str(key): str(value) for key, value in dict(data.get("last_run") or {}).items()}
        except (OSError, ValueError, TypeError, KeyError):
            entries, failures, last_run = {}, {}, {}
        return cls(folder, entries, failures, last_run)

    def relative(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.folder)).as_posix()

    def get(self, path: Path) -> Entry | None:
        return self.entries.get(self.relative(path))

    def record(self, entry: Entry) -> None:
        with self._lock:
            entry.rendered_at = entry.rendered_at or utc_now()
            self.entries[entry.path] = entry
            self.failures.pop(entry.path, None)
            self.save()

    def end_run(self, planned: Iterable[Path], failed: Iterable[Failure]) -> None:
        """Close a run: its failures replace the old ones of the outputs it planned; others are kept."""
        with self._lock:
            for path in planned:
                self.failures.pop(self.relative(path), None)
            for failure in failed:
                failure.at = failure.at or utc_now()
                self.failures[failure.path] = failure
            self.last_run = {"started": self.opened_at, "finished": utc_now()}
            self.save()

    def rendered_in_last_run(self, entry: Entry) -> bool:
        started = self.last_run.get("started")
        return bool(started and entry.rendered_at and entry.rendered_at >= started)

    def save(self) -> None:
        data: dict[str, Any] = {"filmkit_manifest": MANIFEST_VERSION,
                                "outputs": [asdict(self.entries[key]) for key in sorted(self.entries)]}
        if self.failures:
            data["failed"] = [asdict(self.failures[key]) for key in sorted(self.failures)]
        if self.last_run:
            data["last_run"] = self.last_run
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", what="the manifest")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def loudness_fields(measured: Loudness) -> dict[str, float]:
    """A measured loudness as the manifest records it."""
    return {"integrated_lufs": round(measured.integrated, 1), "true_peak_dbtp": round(measured.true_peak, 1),
            "lra_lu": round(measured.lra, 1)}


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical(value: Any) -> str:
    """Stable JSON of plain data (sorted keys), the form every input is hashed in."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


class HashCache:
    """Content hashes of input files, reused while a file's size and mtime are unchanged.

    Media can be gigabytes; hashing them on every run would cost more than the check saves.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / CACHE_NAME
        self._lock = threading.Lock()
        try:
            self._known: dict[str, list[Any]] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._known = {}

    def digest(self, path: Path) -> str:
        stat = path.stat()
        key = str(path.resolve())
        stamp = [stat.st_size, stat.st_mtime_ns]
        with self._lock:
            known = self._known.get(key)
            if known and known[:2] == stamp:
                return str(known[2])
        value = sha256_file(path)
        with self._lock:
            self._known[key] = [*stamp, value]
        return value

    def save(self) -> None:
        with self._lock:
            write_atomic(self.path, json.dumps(self._known, indent=0, sort_keys=True), what="the hash cache")


@contextlib.contextmanager
def export_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's export lock, or fail at once naming who holds it (OutputError when the
    folder cannot be written: a read-only folder, a full disk)."""
    path = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+b", buffering=0)  # unbuffered: a full disk fails the write, never the close
    except OSError as exc:
        raise OutputError(cannot_write(path, exc, "the export lock")) from None
    try:
        if not _try_lock(handle):
            handle.seek(0)
            holder = handle.read().decode("utf-8", "replace").strip() or "another process"
            raise ExportLocked(
                f"{folder}: another filmkit export ({holder}) is writing these outputs right now. "
                "Wait for it to finish (or stop it), then run the export again; nothing was changed"
            )
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}".encode())
        except OSError as exc:
            raise OutputError(cannot_write(path, exc, "the export lock")) from None
        yield
    finally:
        _unlock(handle)
        handle.close()


def _try_lock(handle: Any) -> bool:
    if os.name == "nt":
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(handle: Any) -> None:
    with contextlib.suppress(OSError):
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
