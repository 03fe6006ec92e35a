"""Outputs never touch inputs: every path filmkit writes is checked before anything renders.

A film, poster, caption file, manifest, proof sheet or card preview may not land on a file the
project reads (the project file, media, stills, music, subtitle files, card images, presets,
fonts), and a path the project itself names (`exports: path`, default outputs) may not leave
the project's folder. Paths are resolved (`..`, symbolic links) before deciding. Only a path the
user types on the command line (`-o`) may point outside the project, and never at an input.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from filmkit.errors import OutputError
from filmkit.paths import path_text_problem, resolved
from filmkit.project import LoadedProject

FIX = "Choose another output (-o), or change `exports: path`"


def project_inputs(loaded: LoadedProject, media: Iterable[Path] = ()) -> dict[Path, str]:
    """Every file the project reads, resolved, with what it is (for the message)."""
    project = loaded.project
    found: dict[Path, str] = {_resolved(loaded.path): "the project file"}
    for path in media:
        found.setdefault(_resolved(path), "a media file of the project")
    for name, relative in project.media.items():
        found.setdefault(loaded.resolve(relative), f"media `{name}`")
    if project.subtitles is not None:
        for lang, relative in project.subtitles.files.items():
            if relative and relative.strip().lower() != "none":
                found.setdefault(loaded.resolve(relative), f"the {lang} subtitle file")
        if project.subtitles.dir is not None:
            folder = loaded.resolve(project.subtitles.dir)
            for path in _files(folder):
                found.setdefault(path, "a subtitle file")
        _font(loaded, project.subtitles.style.font, found)
    card = project.card
    if card is not None:
        if card.logo:
            found.setdefault(loaded.resolve(card.logo), "the card's logo")
        if card.background_kind == "image":
            found.setdefault(loaded.resolve(card.background), "the card's background image")
        _font(loaded, card.font, found)
    for index, overlay in enumerate(project.overlays):
        if overlay.image:
            found.setdefault(loaded.resolve(overlay.image), f"the image of overlays[{index}]")
    for path in _files(loaded.folder / "presets"):
        found.setdefault(path, "a preset file of the project")
    return found


def _font(loaded: LoadedProject, value: str | None, found: dict[Path, str]) -> None:
    if value and Path(value).suffix.lower() in (".ttf", ".otf", ".ttc", ".otc"):
        found.setdefault(loaded.resolve(value), "a font the project uses")


def _files(folder: Path) -> list[Path]:
    try:
        return [_resolved(path) for path in folder.iterdir() if path.is_file()]
    except OSError:
        return []


def _resolved(path: Path) -> Path:
    return resolved(path)


def check_target(target: Path, loaded: LoadedProject, inputs: dict[Path, str], *, explicit: bool,
                 what: str = "the output") -> None:
    """Refuse `target` if it is an input, or (unless typed by the user) outside the project folder,
    or a name no file system holds (over 255 bytes once the placeholders are filled in)."""
    problem = path_text_problem(str(target))
    if problem is not None:
        raise OutputError(f"{what} cannot be written: {problem}. {FIX}")
    resolved = _resolved(target)
    role = inputs.get(resolved)
    if role is not None:
        raise OutputError(f"{target}: {what} would overwrite {role} ({resolved}); filmkit never writes over "
                          f"a file the project reads. {FIX}")
    if not explicit and not _inside(resolved, _resolved(loaded.folder)):
        raise OutputError(f"{target}: {what} would be written outside the project folder {loaded.folder} "
                          f"(it resolves to {resolved}); a path the project names stays inside its folder. "
                          "Remove `..` or the absolute path from `exports: path`, or give -o on the command line")


def check_beside(video: Path, langs: Iterable[str], loaded: LoadedProject, inputs: dict[Path, str], *,
                 explicit: bool) -> None:
    """The video and the files written beside it (poster, caption files) against the inputs."""
    check_target(video, loaded, inputs, explicit=explicit)
    check_target(video.with_suffix(".jpg"), loaded, inputs, explicit=explicit, what="the poster")
    for lang in langs:
        for fmt in ("srt", "vtt"):
            sidecar = video.with_name(f"{video.stem}.{lang}.{fmt}")
            check_target(sidecar, loaded, inputs, explicit=explicit, what="a caption file")


def check_single_output(target: Path, loaded: LoadedProject, media: Iterable[Path], *, explicit: bool,
                        what: str) -> Path:
    """A proof sheet or card preview: off every input and (unless typed with -o) inside the project,
    and a file that can be replaced (not a folder or a device). Returns the target made absolute."""
    from filmkit.render.files import check_output_path

    target = Path(target).expanduser().absolute()
    check_target(target, loaded, project_inputs(loaded, media), explicit=explicit, what=what)
    check_output_path(target, protected=[])
    return target


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def same_file_key(path: Path) -> Path:
    """What two output paths are compared by: the file they resolve to."""
    return _resolved(path)
