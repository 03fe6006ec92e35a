"""What an export wrote and from what: the manifest, content hashes, and the export lock.

`manifest.json` lies beside the outputs. Each entry names a file, its sha256, and the hash of
every input that made it, so a re-run renders only outputs whose inputs changed or whose file
no longer matches. Everything is written to a temporary file and moved into place, so a kill
at any moment leaves either the old manifest or the new one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from filmkit.atomic import cannot_write, write_atomic
from filmkit.errors import FilmkitError, OutputError

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


class Manifest:
    """The entries of one export folder, saved atomically after every finished job."""

    def __init__(self, folder: Path, entries: dict[str, Entry] | None = None) -> None:
        self.folder = folder
        self.entries: dict[str, Entry] = entries or {}
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
        except (OSError, ValueError, TypeError, KeyError):
            entries = {}
        return cls(folder, entries)

    def relative(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.folder)).as_posix()

    def get(self, path: Path) -> Entry | None:
        return self.entries.get(self.relative(path))

    def record(self, entry: Entry) -> None:
        with self._lock:
            self.entries[entry.path] = entry
            self.save()

    def save(self) -> None:
        data = {"filmkit_manifest": MANIFEST_VERSION,
                "outputs": [asdict(self.entries[key]) for key in sorted(self.entries)]}
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", what="the manifest")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


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
