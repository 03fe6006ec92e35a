"""Limits a YAML file must keep before it is built into objects.

ruamel.yaml builds whatever a file describes: aliases are shared while loading but copied
once the document becomes plain data, so nine aliases of nine aliases ... of a list (an
"alias bomb") grow into billions of values; nesting thousands deep exhausts Python's stack;
tags build other types (`!!omap`, `!!set`, `!!python/...`; ruamel.yaml's round-trip loader
never runs code, but the objects it makes are not a project's values); an integer of thousands
of digits cannot even be converted. The parser's event stream is read once first (no objects
built, no recursion) and the file is refused at the line where it breaks a limit.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from filmkit.errors import Problem, ProjectError

MAX_FILE_BYTES = 4 * 1024 * 1024  # an edit file of a 600-event cut is ~60 KB
MAX_DEPTH = 64  # nested mappings and lists; a project nests 5 deep
MAX_VALUES = 200_000  # keys, values and items, aliases counted as what they expand to
MAX_DIGITS = 30  # a plain number longer than this is no time, size or gain
CORE_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq"))
_NUMBER = re.compile(r"^[-+]?(?:0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?"
                     r"|\.[0-9_]+(?:[eE][-+]?[0-9]+)?)$")


def check_size(path: Path, size: int) -> None:
    """A file far larger than any project is refused before it is read into memory."""
    if size > MAX_FILE_BYTES:
        raise ProjectError([Problem(path, None, None, "", (
            f"the file is {size:,} bytes; a filmkit YAML file is at most {MAX_FILE_BYTES:,} bytes (an edit file of a "
            "600-event cut is about 60 KB). Is this the right file?"))])


def check_events(yaml: Any, text: str, path: Path) -> None:
    """Walk the parser's events and refuse the first limit broken; builds nothing."""
    from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

    open_nodes: list[tuple[str | None, int]] = []  # (anchor, values counted before it) of each open collection
    sizes: dict[str, int] = {}  # anchor -> values it expands to
    total = 0
    for event in yaml.parse(text):
        if isinstance(event, AliasEvent):
            if event.anchor not in sizes or any(anchor == event.anchor for anchor, _ in open_nodes):
                _refuse(path, event, f"the alias *{event.anchor} refers to a node that contains it; a project "
                                     "cannot hold a structure that contains itself. Write the values out")
            total += sizes[event.anchor]
        elif isinstance(event, ScalarEvent):
            _check_tag(path, event)
            _check_number(path, event)
            total += 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, CollectionStartEvent):
            _check_tag(path, event)
            if len(open_nodes) >= MAX_DEPTH:
                _refuse(path, event, f"lists and mappings are nested more than {MAX_DEPTH} deep here; a project "
                                     "nests a few levels. Check the brackets and indentation")
            open_nodes.append((event.anchor, total))
            total += 1
        elif isinstance(event, CollectionEndEvent):
            anchor, before = open_nodes.pop()
            if anchor is not None:
                sizes[anchor] = total - before
        if total > MAX_VALUES:
            _refuse(path, event, f"the file expands to more than {MAX_VALUES:,} values (an alias `*name` counts as "
                                 "everything it repeats); a project holds a few thousand. Write the values out "
                                 "instead of nesting aliases")


def _check_tag(path: Path, event: Any) -> None:
    tag = event.tag
    if tag is None or tag == "!" or tag in CORE_TAGS:
        return
    _refuse(path, event, f"the tag {tag.replace('tag:yaml.org,2002:', '!!')} is not allowed; a filmkit file holds "
                         "plain text, numbers, true/false, lists and mappings. Remove the tag")


def _check_number(path: Path, event: Any) -> None:
    value = event.value
    if event.style is None and len(value) > MAX_DIGITS and _NUMBER.match(value):
        _refuse(path, event, f"a number of {len(value)} characters ({value[:12]}…); a number here has at most "
                             f"{MAX_DIGITS}. Fix the value (put it in quotes if it is text)")


def _refuse(path: Path, event: Any, message: str) -> None:
    mark = event.start_mark
    raise ProjectError([Problem(path, mark.line + 1, mark.column + 1, "", message)])
