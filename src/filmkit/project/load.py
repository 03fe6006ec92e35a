"""Read an edit-decision YAML file into a `Project`, every error with file:line:col.

ruamel.yaml keeps the position of every key and item, and refuses duplicate keys; pydantic
reports all schema errors at once. This module joins the two so each problem points at the
line to fix.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from filmkit.errors import Problem, ProjectError
from filmkit.project.schema import SCHEMA_VERSION, Project

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Locations:
    """Line and column (1-based) of every key and list item of the file."""

    file: Path
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: KeyPath) -> tuple[int | None, int | None]:
        """Position of `path`, or of its nearest parent that has one."""
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.positions:
                return self.positions[path[:cut]]
        return None, None

    def problem(self, path: KeyPath, message: str) -> Problem:
        line, column = self.where(path)
        return Problem(self.file, line, column, format_key_path(path), message)


@dataclass(frozen=True)
class LoadedProject:
    """A validated project and where each of its values came from."""

    path: Path
    project: Project
    locations: Locations

    @property
    def folder(self) -> Path:
        return self.path.parent

    def resolve(self, relative: str) -> Path:
        """Paths in the file are relative to the file, whatever the working directory."""
        return (self.folder / Path(relative).expanduser()).resolve()


def format_key_path(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_project(path: Path) -> LoadedProject:
    """Read and validate `path`; raise `ProjectError` listing every problem found."""
    path = Path(path)
    data, locations = read_yaml(path)
    if not isinstance(data, dict):
        raise ProjectError([Problem(path, 1, 1, "", "the file must be a YAML mapping that starts with `filmkit: 1`")])
    version = data.get("filmkit")
    if version is None:
        raise ProjectError([Problem(path, 1, 1, "filmkit", "missing schema version; add `filmkit: 1` as the first line")])
    if version != SCHEMA_VERSION:
        raise ProjectError([locations.problem(
            ("filmkit",),
            f"schema version {version!r} is not one this filmkit reads; it reads `filmkit: {SCHEMA_VERSION}`. "
            "Upgrade filmkit, or fix the version",
        )])
    project = validate(Project, data, locations)
    return LoadedProject(path=path, project=project, locations=locations)


ModelT = TypeVar("ModelT", bound=BaseModel)


def validate(model: type[ModelT], data: Any, locations: Locations) -> ModelT:
    """Validate parsed YAML against `model`; every error becomes a Problem with its line."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ProjectError(_problems(exc, locations, model)) from None


def read_yaml(path: Path) -> tuple[Any, Locations]:
    """Parse YAML into plain dicts and lists, recording every node's position."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ProjectError([Problem(path, None, None, "", "file not found; check the path (it is relative to the current folder)")]) from None
    except IsADirectoryError:
        raise ProjectError([Problem(path, None, None, "", "is a folder; give the edit YAML file inside it")]) from None
    except UnicodeDecodeError as exc:
        raise ProjectError([Problem(path, None, None, "", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8")]) from None
    except OSError as exc:
        raise ProjectError([Problem(path, None, None, "", f"cannot be read: {exc.strerror}")]) from None

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        node = yaml.load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        first = exc.context_mark.line + 1 if exc.context_mark else None
        key = _duplicate_key_name(exc)
        message = f"duplicate key {key}" + (f" (the mapping starts at line {first})" if first else "")
        raise ProjectError([Problem(path, mark.line + 1, mark.column + 1, "", message + "; a key may appear once, delete one of them")]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        what = (exc.problem or "invalid YAML").strip()
        context = f" {exc.context.strip()}" if exc.context else ""
        raise ProjectError([Problem(path, line, col, "", f"invalid YAML: {what}{context}. Check indentation and quoting on this line")]) from None
    except YAMLError as exc:
        raise ProjectError([Problem(path, None, None, "", f"invalid YAML: {exc}")]) from None

    locations = Locations(path)
    return _plain(node, (), locations.positions), locations


def _duplicate_key_name(exc: Exception) -> str:
    problem = getattr(exc, "problem", "") or ""
    start = problem.find('"')
    end = problem.find('"', start + 1)
    return problem[start : end + 1] if 0 <= start < end else "in mapping"


def _plain(node: Any, path: KeyPath, positions: dict[KeyPath, tuple[int, int]]) -> Any:
    """Strip ruamel's round-trip types, keeping positions."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            line, col = node.lc.key(key)
            key_text = str(key)
            positions[(*path, key_text)] = (line + 1, col + 1)
            out[key_text] = _plain(value, (*path, key_text), positions)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            line, col = node.lc.item(index)
            positions[(*path, index)] = (line + 1, col + 1)
            items.append(_plain(value, (*path, index), positions))
        return items
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def _problems(exc: ValidationError, locations: Locations, root: type[BaseModel]) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
        problems.append(locations.problem(loc, _describe(error, loc, root)))
    return _dedupe(problems)


def _describe(error: dict[str, Any], loc: KeyPath, root: type[BaseModel]) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(root, loc[:-1])
        hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        fix = f"did you mean `{hint[0]}`?" if hint else "remove it or fix its spelling"
        return f"unknown key `{loc[-1]}`; allowed here: {', '.join(allowed)}. {fix}"
    if kind == "missing":
        return f"required key `{loc[-1]}` is missing"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{value!r} is not allowed; use {expected}"
    if kind in ("value_error", "assertion_error"):
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "too_short":
        return "must not be empty"
    if kind in ("int_type", "float_type", "string_type", "dict_type", "list_type", "model_type", "bool_type"):
        expected = {"int_type": "a whole number", "float_type": "a number", "string_type": "text",
                    "dict_type": "a mapping (key: value lines)", "list_type": "a list (lines starting with -)",
                    "model_type": "a mapping (key: value lines)", "bool_type": "true or false"}[kind]
        return f"{value!r} is not allowed here; expected {expected}"
    return f"{value!r}: {error['msg']}"


def _allowed_keys(root: type[BaseModel], parent: KeyPath) -> list[str]:
    model: type[BaseModel] | None = root
    for part in parent:
        if model is None:
            break
        if isinstance(part, int):
            continue
        model = _field_model(model, part)
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _field_model(model: type[BaseModel], key: str) -> type[BaseModel] | None:
    import typing

    for name, info in model.model_fields.items():
        if (info.alias or name) != key:
            continue
        candidates = [info.annotation]
        while candidates:
            hint = candidates.pop()
            if isinstance(hint, type) and issubclass(hint, BaseModel):
                return hint
            candidates.extend(typing.get_args(hint))
    return None


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    unique = []
    for problem in problems:
        if str(problem) not in seen:
            seen.add(str(problem))
            unique.append(problem)
    return unique
