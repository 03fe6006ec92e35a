"""Find each event's media file and hold the cut against what the file really holds.

A cut names reels and clips, not files: an event is linked by the path the cut gives, else
by its clip name, else by its reel, against the files under the `--media` folders (with or
without extension, any case). Every event that finds no file, or more than one, is listed in
one error, so an editor fixes them all at once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path, PureWindowsPath

from filmkit.errors import InterchangeError, MediaError
from filmkit.interchange.model import At, Caveat, Cut, Origin, SourceRef
from filmkit.media.probe import MediaInfo, probe
from filmkit.timecode import TimecodeError, format_rate, format_timecode, nominal_fps, parse_time

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".gif", ".exr", ".dpx")
GENERIC_REELS = ("AX", "BL", "BLACK", "AUX")


@dataclass(frozen=True)
class Found:
    """An event's file and where in it the event starts, in frames at the project rate."""

    path: Path
    info: MediaInfo
    offset: int  # first frame of the event in the file
    still: bool


class LinkError(InterchangeError):
    """Events whose media cannot be found or do not hold the range the cut plays (listed together)."""


class MediaIndex:
    """The files under the media folders by lower-case name and stem."""

    def __init__(self, folders: list[Path], shallow: list[Path]) -> None:
        self.folders = folders + shallow
        self.by_name: dict[str, list[Path]] = {}
        files = [f for folder in folders for f in folder.rglob("*")] + [f for folder in shallow for f in folder.glob("*")]
        for file in files:
            if file.is_file() and not file.name.startswith("."):
                for key in {file.name.lower(), file.stem.lower()}:
                    self.by_name.setdefault(key, []).append(file.resolve())

    def lookup(self, name: str | None) -> list[Path]:
        if not name:
            return []
        name = PureWindowsPath(name.strip()).name if "\\" in name else Path(name.strip()).name
        found = self.by_name.get(name.lower(), [])
        stem = Path(name).stem.lower()
        if not found and Path(name).suffix and stem:
            found = self.by_name.get(stem, [])
        return sorted(set(found))


def find(ref: SourceRef, index: MediaIndex, base: Path) -> tuple[Path | None, list[Path]]:
    """The one file for `ref` (or None) and the candidates that made it ambiguous."""
    if ref.path:
        given = Path(ref.path).expanduser()
        given = given if given.is_absolute() else base / given
        if given.is_file():
            return given.resolve(), []
    reel = ref.reel if ref.reel and ref.reel.upper() not in GENERIC_REELS else None
    for name in (ref.path, ref.name, reel):
        candidates = index.lookup(name)
        if len(candidates) == 1:
            return candidates[0], []
        if candidates:
            return None, candidates
    return None, []


class Linker:
    """Links, probes once per file, and collects every problem before raising."""

    def __init__(self, cut: Cut, index: MediaIndex) -> None:
        self.cut, self.index = cut, index
        self.problems: list[str] = []
        self.caveats: list[Caveat] = []
        self.infos: dict[Path, MediaInfo] = {}

    def link(self, ref: SourceRef, origin: Origin) -> Path | None:
        path, candidates = find(ref, self.index, self.cut.path.parent)
        where = origin.where(self.cut.path)
        if path is None:
            if candidates:
                listed = ", ".join(str(c) for c in candidates)
                self.problems.append(f"{where}: {ref.label}: ambiguous, {len(candidates)} files match: {listed}")
            else:
                self.problems.append(f"{where}: {ref.label}: no file found")
            return None
        if path not in self.infos:
            try:
                self.infos[path] = probe(path)
            except MediaError as exc:
                self.problems.append(f"{where}: {exc}")
                return None
        return path

    def place(self, ref: SourceRef, source_in: At, frames: int, fps: Fraction, path: Path, origin: Origin,
              need_video: bool) -> Found | None:
        """Where the event starts in its file, checked against the file's length."""
        info = self.infos[path]
        where = origin.where(self.cut.path)
        still = info.is_image or path.suffix.lower() in IMAGE_SUFFIXES
        if still:
            return Found(path, info, 0, True)
        if need_video and info.video is None:
            self.problems.append(f"{where}: {path.name} has no picture (audio only); link the event to a video file")
            return None
        start = ref.start or self._file_start(info, fps)
        first, exact_in = source_in.to(fps)
        zero, exact_start = start.to(fps)
        if not (exact_in and exact_start):
            self.caveats.append(Caveat("frame-rate", f"{where}: its in point falls between two frames at "
                                                     f"{format_rate(fps)} fps and was rounded to the nearest"))
        offset = first - zero
        length = int(info.duration * fps + Fraction(1, 2))
        tc = self._tc(fps)
        if offset < 0 or offset + frames > length:
            begins = "has no start timecode, so it starts at 00:00:00:00" if info.timecode is None and ref.start is None \
                else f"starts at {tc(zero)}"
            self.problems.append(
                f"{where}: {ref.label}: the cut plays {tc(first)}-{tc(first + frames)} of the source but "
                f"{path.name} {begins} and lasts {length} frames (to {tc(zero + length)}); link a longer file, "
                "or give the file the start timecode of its source")
            return None
        self._check_rate(info, fps, path)
        return Found(path, info, offset, False)

    def _file_start(self, info: MediaInfo, fps: Fraction) -> At:
        """The file's own start timecode (camera files), counted at its own rate; else 0."""
        rate = info.video.rate if info.video and info.video.rate else fps
        if info.timecode:
            try:
                return At(parse_time(info.timecode, rate), rate)
            except TimecodeError:
                self.caveats.append(Caveat("timecode", f"{info.path.name}: its start timecode {info.timecode!r} "
                                                       "cannot be read; counted from 00:00:00:00"))
        return At(0, rate)

    def _tc(self, fps: Fraction):  # type: ignore[no-untyped-def]
        return lambda frame: format_timecode(frame, fps, self.cut.drop_frame)

    def _check_rate(self, info: MediaInfo, fps: Fraction, path: Path) -> None:
        rate = info.video.rate if info.video else None
        code = f"frame-rate: {path}"
        if rate and rate != fps and not any(c.message.startswith(code) for c in self.caveats):
            self.caveats.append(Caveat("frame-rate", (
                f"{path} is {format_rate(rate)} fps and the project {format_rate(fps)}: filmkit converts it by "
                "dropping or repeating frames (its in point and duration are kept as times)")))

    def raise_problems(self) -> None:
        if self.problems:
            searched = [str(folder) for folder in self.index.folders[:-1]]  # the last is the cut's own folder
            folders = ", ".join([*searched, f"the cut's own folder ({self.cut.path.parent.resolve()})"])
            raise LinkError(
                f"{self.cut.path}: {len(self.problems)} event(s) cannot be linked to their media, or do not fit in it:\n  "
                + "\n  ".join(self.problems)
                + f"\nSearched by the path the cut gives, then the clip name, then the reel name (with or without "
                f"extension, any case) in: {folders}. Give the folders that hold the media with --media DIR "
                "(several allowed), or rename the files as the cut names them")


def project_rate(cut: Cut, infos: list[MediaInfo], fps: Fraction | None) -> Fraction:
    """--fps, else the cut's stated rate, else (an EDL) the media's rate where it counts timecode alike."""
    if fps is not None:
        return fps
    if cut.rate_stated:
        return cut.rate
    rates = Counter(info.video.rate for info in infos if info.video and info.video.rate
                    and nominal_fps(info.video.rate) == nominal_fps(cut.rate) and info.video.rate.denominator in (1, 1001))
    return rates.most_common(1)[0][0] if rates else cut.rate


def media_rate(index: MediaIndex, names: list[str], tries: int = 3) -> Fraction | None:
    """The video rate of the first few files these names link to (an EDL's rate is theirs)."""
    rates: Counter[Fraction] = Counter()
    seen: set[Path] = set()
    for name in names:
        found = index.lookup(name)
        if len(found) != 1 or found[0] in seen:
            continue
        seen.add(found[0])
        try:
            info = probe(found[0])
        except MediaError:
            continue
        if info.video is not None and info.video.rate and not info.is_image:
            rates[info.video.rate] += 1
        if len(seen) >= tries:
            break
    return rates.most_common(1)[0][0] if rates else None
