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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filmkit import __version__
from filmkit.errors import FilmkitError
from filmkit.export.manifest import HashCache, canonical, sha256_text, write_atomic
from filmkit.media.probe import MediaInfo
from filmkit.project import LoadedProject, Timeline
from filmkit.render.plan import RenderPlan, VersionPlan
from filmkit.render.tracks import LanguageTrack

REVIEW_DIR = "review"  # beside manifest.json: the page's own pictures
KEY_FILE = "thumbs.json"
THUMB_BOX = (480, 480)  # 16:9 -> 480x270: a subtitle stays legible at the ~240 CSS px the page shows
JPEG_QUALITY = 80


@dataclass(frozen=True)
class Thumbnails:
    """The thumbnails of one language: cue number -> path relative to the manifest's folder."""

    files: dict[int, str]
    error: str = ""  # why there are none (the page says so instead of failing the export)


def cue_thumbnails(loaded: LoadedProject, timeline: Timeline, media: dict[Path, MediaInfo], track: LanguageTrack,
                   folder: Path, hashes: HashCache) -> Thumbnails:
    """The thumbnails of `track`'s cues, made now unless those on disk were made from the same inputs.

    A failure (ffmpeg, a full disk) is reported in the result rather than raised: the films of an
    export are what matters, and the page shows what went wrong with the pictures.
    """
    target = folder / REVIEW_DIR / _safe_name(track.lang)
    key = _key(loaded, media, track, hashes)
    known = _read_keys(target)
    if known.get("key") == key and all((folder / name).is_file() for name in known.get("files", {}).values()):
        return Thumbnails({int(number): name for number, name in known["files"].items()})
    if not track.cues:
        return Thumbnails({})
    try:
        files = _make(loaded, timeline, media, track, target, folder)
    except (FilmkitError, OSError) as exc:
        return Thumbnails({}, f"the cue thumbnails of {track.lang!r} could not be made: {exc}")
    write_atomic(target / KEY_FILE, json.dumps({"key": key, "files": {str(n): name for n, name in files.items()}},
                                               ensure_ascii=False, indent=1))
    return Thumbnails(files)


def _make(loaded: LoadedProject, timeline: Timeline, media: dict[Path, MediaInfo], track: LanguageTrack,
          target: Path, folder: Path) -> dict[int, str]:
    from filmkit.render.stills import cue_frames, cue_stills, fit_width

    plan = RenderPlan(loaded, timeline, media, (VersionPlan(target / "unused.mp4", (track,)),))
    width = fit_width(timeline.width, timeline.height, THUMB_BOX)
    shots = cue_stills(plan, width, f"cue thumbnails ({track.lang})")
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("cue-*.jpg"):
        old.unlink()
    files = {}
    for number, frame in cue_frames(plan):
        path = target / f"cue-{number:04d}.jpg"
        data = io.BytesIO()
        shots[frame].save(data, "JPEG", quality=JPEG_QUALITY, optimize=True)
        write_atomic(path, data.getvalue(), what="a cue thumbnail")
        files[number] = path.relative_to(folder).as_posix()
    return files


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
