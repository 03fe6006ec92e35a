"""The JSON Schema of schema 1, made from the pydantic models, for editors.

VS Code (Red Hat's YAML extension) and JetBrains IDEs read a `# yaml-language-server:
$schema=...` line at the top of a YAML file and then complete keys and underline mistakes as
one types. The schema says how each value is written; `filmkit check` stays the authority
(times against the frame rate, files on disk, the card's fit), so the schema is a little more
lenient than filmkit, never stricter.
"""

from __future__ import annotations

import json
from typing import Any

from filmkit.project.schema import SCHEMA_VERSION, Project

SCHEMA_FILE = f"filmkit-{SCHEMA_VERSION}.schema.json"  # written beside a project by `filmkit init`
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def project_schema() -> dict[str, Any]:
    """The JSON Schema of an edit-decision file (draft 2020-12)."""
    schema = _bounds(Project.model_json_schema(by_alias=True, mode="validation"))
    return {
        "$schema": DIALECT,
        "title": f"filmkit edit-decision file, schema {SCHEMA_VERSION}",
        "description": "Paths are relative to the YAML file; `filmkit check` validates everything this schema "
                       "cannot see (times at the frame rate, files, the card's fit).",
        **{key: value for key, value in schema.items() if key != "title"},
    }


_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def _bounds(node: Any) -> Any:
    """pydantic leaves the bounds of a number that may be an int or a float (`ge`, `le` beside an
    `anyOf`) under its own names; JSON Schema calls them minimum, maximum ..., inside each branch."""
    if isinstance(node, list):
        return [_bounds(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _bounds(value) for key, value in node.items()}
    bounds = {_BOUNDS[key]: node.pop(key) for key in list(node) if key in _BOUNDS}
    if bounds and "anyOf" in node:
        node["anyOf"] = [{**branch, **bounds} if branch.get("type") in ("integer", "number") else branch
                         for branch in node["anyOf"]]
    elif bounds:
        node.update(bounds)
    return node


def schema_text() -> str:
    return json.dumps(project_schema(), indent=2, ensure_ascii=False) + "\n"


def modeline(schema_path: str = SCHEMA_FILE) -> str:
    """The first line of a project that points editors at the schema (a path relative to the file)."""
    return f"# yaml-language-server: $schema={schema_path}\n"
