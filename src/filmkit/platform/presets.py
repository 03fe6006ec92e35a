"""Platform presets as data files: found by name, read, validated, with the source of every value.

The packaged presets live in `filmkit/data/presets/<name>.yaml`; every number there carries a
comment saying where it comes from (or that the platform publishes nothing and what filmkit
chose instead). A user's file of the same name wins, so a producer can follow a platform's
change the day it happens without waiting for a release: first `<project>/presets/<name>.yaml`,
then the user's config folder (`user_presets_dir()`), then the packaged file.

A file is read with the project loader (`read_yaml` + `validate`), so a mistake in a user's
preset is reported like one in an edit file: `file:line:col: key: message`, with a spelling
hint for unknown keys. The comments are kept too (`Preset.notes`), so `filmkit presets NAME`
can show each value beside its source. The model itself is `filmkit.platform.preset`.
"""

from __future__ import annotations

import difflib
import re
import sys
from importlib import resources
from pathlib import Path

from filmkit.errors import PresetError, Problem, ProjectError
from filmkit.platform.preset import NAME_PATTERN, Preset, PresetOrigin, PresetSpec
from filmkit.project.load import Locations, format_key_path, read_yaml, validate

__all__ = ["PRESET_SUFFIX", "Preset", "PresetOrigin", "available_presets", "load_preset", "packaged_presets_dir",
           "preset_names", "preset_search_path", "user_presets_dir"]

PRESET_SUFFIX = ".yaml"
_NAME = re.compile(NAME_PATTERN)


def packaged_presets_dir() -> Path:
    return Path(str(resources.files("filmkit") / "data" / "presets"))


def user_presets_dir() -> Path:
    """Per-user presets in the user's config folder, as platformdirs names it: on Linux
    `$XDG_CONFIG_HOME/filmkit/presets` (default ~/.config/filmkit/presets; a relative
    XDG_CONFIG_HOME is ignored), on macOS ~/Library/Application Support/filmkit/presets, on
    Windows %APPDATA%\\filmkit\\presets.

    The system is read at each call, not when platformdirs was imported. On Windows the folder
    comes from platformdirs' reading of %APPDATA% rather than its ctypes shell call, so the rule
    is the same (and testable) from any system.
    """
    if sys.platform == "win32":
        from platformdirs.windows import get_win_folder_from_env_vars

        return Path(get_win_folder_from_env_vars("CSIDL_APPDATA")) / "filmkit" / "presets"
    if sys.platform == "darwin":
        from platformdirs.macos import MacOS as Folders
    else:
        from platformdirs.unix import Unix as Folders
    return Path(Folders("filmkit").user_config_dir) / "presets"


def preset_search_path(project_dir: Path | None = None) -> list[tuple[PresetOrigin, Path]]:
    """Folders searched for `<name>.yaml`, the first holding it wins."""
    folders = [(PresetOrigin.USER, user_presets_dir()), (PresetOrigin.PACKAGED, packaged_presets_dir())]
    if project_dir is not None:
        folders.insert(0, (PresetOrigin.PROJECT, Path(project_dir) / "presets"))
    return folders


def preset_names(project_dir: Path | None = None) -> list[str]:
    """Every preset name found in the search path, sorted (the files are not read)."""
    names: set[str] = set()
    for _origin, folder in preset_search_path(project_dir):
        if folder.is_dir():
            names.update(path.stem for path in folder.glob(f"*{PRESET_SUFFIX}") if path.is_file())
    return sorted(names)


def load_preset(name: str, project_dir: Path | None = None) -> Preset:
    """The preset called `name`: the project's file, else the user's, else filmkit's own.

    Raises PresetError naming the available presets (and the closest one) when there is none,
    or listing every problem of an invalid file with its line.
    """
    if _is_plain_file_name(name):
        for origin, folder in preset_search_path(project_dir):
            path = folder / f"{name}{PRESET_SUFFIX}"
            if path.is_file():
                return _read_preset(path, origin)
    raise PresetError(_not_found(name, project_dir))


def _is_plain_file_name(name: str) -> bool:
    """A name that can only mean a file inside the presets folders (never ../x or /etc/x)."""
    return bool(name) and not name.startswith(".") and not any(char in name for char in "/\\:\0")


def available_presets(project_dir: Path | None = None) -> list[Preset]:
    """Every preset by name, each the one load_preset() would return."""
    return [load_preset(name, project_dir) for name in preset_names(project_dir)]


def _not_found(name: str, project_dir: Path | None) -> str:
    names = preset_names(project_dir)
    message = f"preset {name!r} not found. Available presets: {', '.join(names) or 'none'}."
    hint = difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.6)
    if hint:
        return f"{message} Did you mean {hint[0]!r}?"
    places = [str(Path(project_dir) / "presets")] if project_dir is not None else []
    places.append(str(user_presets_dir()))
    return f"{message} To add your own, write {name}{PRESET_SUFFIX} in {' or '.join(places)}"


def _read_preset(path: Path, origin: PresetOrigin) -> Preset:
    """Read and validate one file; every problem carries its line."""
    try:
        data, locations = read_yaml(path)
    except ProjectError as exc:
        raise PresetError.from_problems(exc.problems) from None
    name = path.stem
    if not _NAME.fullmatch(name):
        raise PresetError.from_problems([Problem(
            path, None, None, "",
            "a preset's file name is its name and appears in output paths: use lowercase letters, digits, - and _ "
            f"(e.g. {re.sub(r'[^a-z0-9_-]+', '-', name.lower()).strip('-') or 'my-preset'}{PRESET_SUFFIX})",
        )])
    if not isinstance(data, dict):
        raise PresetError.from_problems([Problem(
            path, 1, 1, "",
            "a preset file is a YAML mapping (key: value lines); start from a packaged one "
            "(`filmkit presets tiktok` shows its file and every key)",
        )])
    if "name" not in data:
        data["name"] = name
    elif data["name"] != name:
        raise PresetError.from_problems([locations.problem(
            ("name",), f"{data['name']!r} differs from the file name {path.name!r}; a preset is called by its "
            f"file name, so write `name: {name}` or rename the file",
        )])
    try:
        spec = validate(PresetSpec, data, locations)
    except ProjectError as exc:
        raise PresetError.from_problems(exc.problems) from None
    notes = _notes(locations)
    fields = {field: getattr(spec, field) for field in PresetSpec.model_fields}
    return Preset(**fields, source_file=path, origin=origin, notes=notes)


def _notes(locations: Locations) -> tuple[tuple[str, str], ...]:
    """The comment on the line of every key, by key path (ruamel.yaml found the comments)."""
    notes = []
    for path, (line, _column) in sorted(locations.positions.items(), key=lambda item: item[1]):
        if line in locations.comments and path:
            notes.append((format_key_path(path), locations.comments[line]))
    return tuple(notes)
