"""Cue thumbnails for the review page: one frame per cue with its subtitle burned in.

The frames are the ones `filmkit subs proof` puts on its contact sheet (`render.stills`: the
middle of each cue, rendered by the same filter graph as the films), saved as small JPEGs under
`review/<lang>/` beside the manifest. They are made again only when something that shows in
them changed (the cut, the media, the subtitle file, its style, filmkit), which a key in
`review/<lang>/thumbs.json` records: a re-run of an export that changed nothing costs nothing.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filmkit import __version__
from filmkit.errors import FilmkitError, Interrupted
from filmkit.export.manifest import HashCache, canonical, sha256_text, write_atomic
from filmkit.media.probe import MediaInfo
from filmkit.project import LoadedProject, Timeline
from filmkit.render.plan import RenderPlan, VersionPlan
from filmkit.render.tracks import LanguageTrack

if TYPE_CHECKING:
    from PIL import Image

REVIEW_DIR = "review"  # beside manifest.json: the page's own pictures
KEY_FILE = "thumbs.json"
THUMB_BOX = (480, 480)  # 16:9 -> 480x270: a subtitle stays legible at the ~240 CSS px the page shows
JPEG_QUALITY = 80


@dataclass(frozen=True)
class Thumbnails:
    """The thumbnails of one language: cue number -> path relative to the manifest's folder."""

    files: dict[int, str]
    error: str = ""  # why there are none (the page says so instead of failing the export)


def cue_thumbnails(loaded: LoadedProject, timeline: Timeline, media: dict[Path, MediaInfo],
                   tracks: Sequence[LanguageTrack], folder: Path, hashes: HashCache) -> dict[str, Thumbnails]:
    """Each track's thumbnails by language: those on disk when made from the same inputs, the
    others made now, all in one ffmpeg run (the cut is decoded once for every language).

    A failure (ffmpeg, a full disk) is reported in the result rather than raised: the films of an
    export are what matters, and the page shows what went wrong with the pictures.
    """
    done: dict[str, Thumbnails] = {}
    stale: list[tuple[LanguageTrack, str]] = []
    for track in tracks:
        key = _key(loaded, media, track, hashes)
        known = _read_keys(folder / REVIEW_DIR / _safe_name(track.lang))
        if known.get("key") == key and all((folder / name).is_file() for name in known.get("files", {}).values()):
            done[track.lang] = Thumbnails({int(number): name for number, name in known["files"].items()})
        elif not track.cues:
            done[track.lang] = Thumbnails({})
        else:
            stale.append((track, key))
    if stale:
        done.update(_made(loaded, timeline, media, stale, folder))
    return done


def _made(loaded: LoadedProject, timeline: Timeline, media: dict[Path, MediaInfo],
          stale: list[tuple[LanguageTrack, str]], folder: Path) -> dict[str, Thumbnails]:
    from filmkit.render.stills import cue_stills_of_versions, fit_width

    names = ", ".join(track.lang for track, _ in stale)
    versions = tuple(VersionPlan(folder / REVIEW_DIR / "unused.mp4", (track,)) for track, _ in stale)
    plan = RenderPlan(loaded, timeline, media, versions)
    try:
        shots = cue_stills_of_versions(plan, fit_width(timeline.width, timeline.height, THUMB_BOX),
                                       f"cue thumbnails ({names})")
        return {track.lang: _saved(plan, version, track, key, stills, folder)
                for (track, key), version, stills in zip(stale, versions, shots)}
    except Interrupted:
        raise  # Ctrl-C stops the export; it is no failure of the pictures
    except (FilmkitError, OSError) as exc:
        return {track.lang: Thumbnails({}, f"the cue thumbnails of {track.lang!r} could not be made: {exc}")
                for track, _ in stale}


def _saved(plan: RenderPlan, version: VersionPlan, track: LanguageTrack, key: str, shots: dict[int, Image.Image],
           folder: Path) -> Thumbnails:
    """One language's thumbnails written under review/<lang>/ with the key they were made from."""
    from filmkit.render.stills import cue_frames

    target = folder / REVIEW_DIR / _safe_name(track.lang)
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("cue-*.jpg"):
        old.unlink()
    files = {}
    for number, frame in cue_frames(plan, version):
        path = target / f"cue-{number:04d}.jpg"
        data = io.BytesIO()
        shots[frame].save(data, "JPEG", quality=JPEG_QUALITY, optimize=True)
        write_atomic(path, data.getvalue(), what="a cue thumbnail")
        files[number] = path.relative_to(folder).as_posix()
    write_atomic(target / KEY_FILE, json.dumps({"key": key, "files": {str(n): name for n, name in files.items()}},
                                               ensure_ascii=False, indent=1))
    return Thumbnails(files)


def _key(loaded: LoadedProject, media: dict[Path, MediaInfo], track: LanguageTrack, hashes: HashCache) -> str:
    """Everything a thumbnail shows: the cut and its media, the subtitles and their style, the size."""
    project = loaded.project.model_dump(mode="json", by_alias=True, exclude={"card", "exports"})
    return sha256_text(canonical({
        "filmkit": __version__, "project": project, "box": THUMB_BOX, "lang": track.lang,
        "media": sorted(hashes.digest(path) for path in media),
        "subtitles": hashes.digest(track.file.path),
    }))


def _read_keys(target: Path) -> dict[str, Any]:
    try:
        data = json.loads((target / KEY_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _safe_name(lang: str) -> str:
    """A folder name for a language code, whatever the project wrote ("pt-BR" stays "pt-BR")."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in lang) or "_"
