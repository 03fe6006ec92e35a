"""Read an edit-decision YAML file into a `Project`, every error with file:line:col.

ruamel.yaml keeps the position of every key and item, and refuses duplicate keys; pydantic
reports all schema errors at once. This module joins the two so each problem points at the
line to fix.
"""

from __future__ import annotations

import difflib
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from filmkit.errors import Problem, ProjectError
from filmkit.paths import not_a_file, resolved
from filmkit.project.schema import LANG_PATTERN, SCHEMA_VERSION, Project
from filmkit.project.yamlguard import check_events, check_size
from filmkit.timecode import TIME_FORMS

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Locations:
    """Line and column (1-based) of every key and list item of the file."""

    file: Path
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    # The end-of-line comment of each line (1-based) that has one, joined with the comment-only
    # lines right below it whose `#` lines up with it (a citation wrapped over several lines).
    comments: dict[int, str] = field(default_factory=dict)

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
        return resolved(relative, self.folder)


def format_key_path(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_project(path: Path) -> LoadedProject:
    """Read and validate `path`; raise `ProjectError` listing every problem found."""
    path = Path(path)
    data, locations = read_yaml(path)
    if data is None:
        raise ProjectError([Problem(path, 1, 1, "", "the file is empty; an edit file starts with `filmkit: 1` (`filmkit init` writes an example)")])
    if not isinstance(data, dict):
        found = "a list (lines starting with -)" if isinstance(data, list) else f"the single value {data!r}"
        raise ProjectError([Problem(
            path, 1, 1, "", f"the file must be a YAML mapping (key: value lines) that starts with `filmkit: 1`; it holds {found}",
        )])
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
        raise ProjectError(_problems(exc, locations, model, data)) from None


def read_yaml(path: Path) -> tuple[Any, Locations]:
    """Parse YAML into plain dicts and lists, recording every node's position."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    raw = _read(path)
    text = _decode(path, raw)

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        check_events(yaml, text, path)
        with warnings.catch_warnings():  # a reused anchor is legal YAML: no warning text on the user's terminal
            warnings.simplefilter("ignore")
            node = yaml.load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        first = exc.context_mark.line + 1 if exc.context_mark else None
        key = _duplicate_key_name(exc)
        message = f"duplicate key {key}" + (f" (the mapping starts at line {first})" if first else "")
        raise ProjectError([Problem(path, mark.line + 1, mark.column + 1, "", message + "; a key may appear once, delete one of them")]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        what = (exc.problem or "invalid YAML").strip()
        if "end of stream" in what and exc.context_mark is not None:
            # An unclosed quote or bracket runs to the end of the file: the line to fix is where it opened.
            mark = exc.context_mark
            what += f" (reached the end of the file, line {exc.problem_mark.line + 1})" if exc.problem_mark else ""
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        context = f" {exc.context.strip()}" if exc.context else ""
        raise ProjectError([Problem(path, line, col, "", f"invalid YAML: {what}{context}. Check indentation and quoting on this line")]) from None
    except YAMLError as exc:
        raise ProjectError([Problem(path, None, None, "", f"invalid YAML: {exc}")]) from None

    locations = Locations(path)
    return _plain(node, (), locations.positions, locations.comments), locations


def _read(path: Path) -> bytes:
    """The file's bytes; a FIFO, device or folder is refused from its os.stat, never opened."""
    if not path.exists() and not path.is_symlink():
        raise ProjectError([Problem(path, None, None, "", "file not found; check the path (it is relative to the current folder)")])
    problem = not_a_file(path)
    if problem is not None:
        if path.is_dir():
            problem = "is a folder; give the edit YAML file inside it"
        raise ProjectError([Problem(path, None, None, "", problem)])
    try:
        check_size(path, path.stat().st_size)
        return path.read_bytes()
    except OSError as exc:
        raise ProjectError([Problem(path, None, None, "", f"cannot be read: {exc.strerror}")]) from None


def _decode(path: Path, raw: bytes) -> str:
    """UTF-8 text (a BOM is fine); anything else is reported at the line of the first bad byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ProjectError([Problem(path, 1, 1, "", "is saved as UTF-16; save it as UTF-8 (in your editor: Save as, encoding UTF-8)")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line, column = raw.count(b"\n", 0, exc.start) + 1, exc.start - line_start + 1
        byte = raw[exc.start : exc.start + 1].hex().upper()
        raise ProjectError([Problem(
            path, line, column, "",
            f"is not UTF-8 text: byte 0x{byte} here is not UTF-8 (probably Latin-1 or Windows-1252). Save the file as UTF-8",
        )]) from None


def _duplicate_key_name(exc: Exception) -> str:
    problem = getattr(exc, "problem", "") or ""
    start = problem.find('"')
    end = problem.find('"', start + 1)
    return problem[start : end + 1] if 0 <= start < end else "in mapping"


def _plain(node: Any, path: KeyPath, positions: dict[KeyPath, tuple[int, int]], comments: dict[int, str]) -> Any:
    """Strip ruamel's round-trip types, keeping positions and end-of-line comments."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        _end_of_line_comments(list(node.ca.items.values()), comments)
        out: dict[Any, Any] = {}
        for key, value in node.items():
            line, col = _position(node, key, node.lc.key)
            key_text = str(key)
            positions[(*path, key_text)] = (line + 1, col + 1)
            out[key_text] = _plain(value, (*path, key_text), positions, comments)
        return out
    if isinstance(node, CommentedSeq):
        _end_of_line_comments(list(node.ca.items.values()), comments)
        items = []
        for index, value in enumerate(node):
            line, col = _position(node, index, node.lc.item)
            positions[(*path, index)] = (line + 1, col + 1)
            items.append(_plain(value, (*path, index), positions, comments))
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


def _position(node: Any, key: Any, lookup: Any) -> tuple[int, int]:
    """Where a key or item starts (0-based); keys merged in with `<<: *anchor`, which have no
    position of their own, get their mapping's."""
    data = node.lc.data
    found = lookup(key) if data and key in data else None
    return found if found is not None else (node.lc.line or 0, node.lc.col or 0)


def _end_of_line_comments(attached: Any, comments: dict[int, str]) -> None:
    """The comments ruamel.yaml's round-trip loader attached after the keys or items of one node.

    Each comment token starts on its value's line, at the column of its `#`; the comment-only
    lines that follow are part of the same token and continue it while their `#` lines up.
    """
    from ruamel.yaml.tokens import CommentToken

    if isinstance(attached, CommentToken):
        first, *following = attached.value.split("\n")
        if not first.strip().startswith("#"):
            return  # blank lines, then comment lines: nothing on the value's own line
        text = first.strip().removeprefix("#").strip()
        for line in following:
            if not line.strip().startswith("#") or len(line) - len(line.lstrip()) != attached.column:
                break
            text = f"{text} {line.strip().removeprefix('#').strip()}".strip()
        comments.setdefault(attached.start_mark.line + 1, text)
    elif isinstance(attached, list):
        for part in attached:
            if part is not None:
                _end_of_line_comments(part, comments)


_TYPE_KINDS = {"int_type", "float_type", "string_type"}


def _problems(exc: ValidationError, locations: Locations, root: type[BaseModel], data: Any) -> list[Problem]:
    """One problem per place: a union (a time is a number or text) fails once per branch, said once here."""
    grouped: dict[KeyPath, list[dict[str, Any]]] = {}
    for error in exc.errors(include_url=False):
        grouped.setdefault(_file_path(error["loc"], data), []).append(error)
    problems = []
    for loc, errors in grouped.items():
        kinds = {error["type"] for error in errors}
        if "finite_number" in kinds:  # .inf, .nan, or 1e400 (read as inf)
            problems.append(locations.problem(loc, f"{_shown(errors[0].get('input'))} is not a number filmkit can use "
                                                   "(.inf, .nan and numbers too large to hold, such as 1e400, are "
                                                   "refused); give a finite value"))
        elif len(errors) > 1 and kinds <= _TYPE_KINDS:
            expected = f"a time: {TIME_FORMS}" if "string_type" in kinds else "a number such as -3 or 1.5"
            problems.append(locations.problem(loc, f"{_shown(errors[0].get('input'))} is not allowed here; expected {expected}"))
        else:
            problems.extend(locations.problem(loc, _describe(error, loc, root)) for error in errors)
    return _dedupe(problems)


def _file_path(loc: tuple[Any, ...], data: Any) -> KeyPath:
    """pydantic's error location as keys and indexes of the file, without its union-branch tags ("int", "str")."""
    path: list[str | int] = []
    node, missing = data, False
    for part in loc:
        if isinstance(part, str) and ("[" in part or part.startswith("function-")):
            continue
        if missing:
            path.append(part)
        elif isinstance(node, dict):
            path.append(part)
            missing = part not in node
            node = node.get(part) if not missing else None
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        # else: a tag naming which branch of a union failed, not a place in the file
    return tuple(path)


def _shown(value: Any) -> str:
    """A value as the user wrote it: a YAML date is shown as 2024-05-01, not datetime.date(...)."""
    import datetime

    return str(value) if isinstance(value, (datetime.date, datetime.datetime)) else repr(value)


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
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length", "")
        return f"the text is {len(value)} characters long; at most {limit} are allowed here. Shorten it"
    if kind in ("too_short", "string_too_short"):
        if loc == ("cut",):
            return "must not be empty; list at least one event, e.g. `- media: NAME` with `in` and `out`, or `- color: black` with `duration`"
        return f"must not be empty; give a value for `{loc[-1]}`" if loc else "must not be empty"
    bound = {"greater_than": "more than", "greater_than_equal": "at least", "less_than": "less than",
             "less_than_equal": "at most"}.get(kind)
    if bound is not None:
        limit = next(iter(error.get("ctx", {}).values()), "")
        return f"{_shown(value)} is out of range; use a number {bound} {limit}"
    if kind == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == LANG_PATTERN:
        return f"{_shown(value)} is not a language code; use an ISO 639 code such as en, ar or pt-BR"
    if kind == "bool_parsing":
        return f"{_shown(value)} is not allowed here; expected true or false"
    if kind == "string_type" and value is not None and not isinstance(value, (dict, list)):
        return f"{_shown(value)} is not allowed here; expected text. Put it in quotes: \"{value}\""
    if kind in ("int_type", "float_type", "string_type", "dict_type", "list_type", "model_type", "bool_type"):
        expected = {"int_type": "a whole number", "float_type": "a number", "string_type": "text",
                    "dict_type": "a mapping (key: value lines)", "list_type": "a list (lines starting with -)",
                    "model_type": "a mapping (key: value lines)", "bool_type": "true or false"}[kind]
        return f"{_shown(value)} is not allowed here; expected {expected}"
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
