"""The layers of docs/architecture.md hold in the code: read from the import graph of src/filmkit.

Every `import` and `from ... import` counts, those inside functions and `TYPE_CHECKING` blocks
included. The layer list is parsed from docs/architecture.md, so the page and the code cannot
drift apart.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "filmkit"
ARCHITECTURE = REPO / "docs" / "architecture.md"
MAX_LINES = 400

# Modules allowed over MAX_LINES, each with the reason. The goal is an empty list.
TOO_LONG_EXCEPTIONS = {
    # Being rewritten by the engineer who owns src/filmkit/subtitles/; split there.
    "subtitles/encoding.py": "owned by the subtitles engineer, who splits it with the rewrite",
}


@dataclass(frozen=True)
class Import:
    module: Path  # relative to src/filmkit
    line: int
    target: str  # dotted name imported, e.g. "filmkit.media.ffmpeg" or "click"


def layers() -> list[list[str]]:
    """The numbered list under `## Layers` in docs/architecture.md, bottom first."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text.split("\n## Layers", 1)[1].split("\n## ", 1)[0]
    found = [re.findall(r"`([^`]+)`", line) for line in section.splitlines() if re.match(r"^\d+\.\s", line)]
    assert found, "docs/architecture.md has no numbered layer list under `## Layers`"
    return found


def modules() -> list[Path]:
    return sorted(path.relative_to(PACKAGE) for path in PACKAGE.rglob("*.py"))


def imports() -> list[Import]:
    found = []
    for module in modules():
        tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"), filename=str(module))
        package = ["filmkit", *module.parent.parts]
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.extend(Import(module, node.lineno, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from the module's own package upwards
                    base = ".".join([*package[: len(package) - node.level + 1], *([base] if base else [])])
                if base == "filmkit":  # `from filmkit import x`: a top-level module, or a name of filmkit/__init__
                    found.extend(Import(module, node.lineno, f"filmkit.{alias.name}") for alias in node.names)
                else:
                    found.append(Import(module, node.lineno, base))
    return found


def unit_of_module(module: Path) -> str:
    """The layer unit a file belongs to: its package, or the top-level module's own name."""
    return module.parts[0] if len(module.parts) > 1 else module.stem


def unit_of_target(target: str, units: set[str]) -> str | None:
    """The unit an imported name belongs to; None when it is not filmkit's."""
    parts = target.split(".")
    if parts[0] != "filmkit":
        return None
    if len(parts) == 1 or parts[1] not in units:
        return "__init__"  # a name defined in filmkit/__init__.py (the version)
    return parts[1]


def test_every_package_and_top_level_module_has_a_layer() -> None:
    listed = [name for layer in layers() for name in layer]
    assert len(listed) == len(set(listed)), f"a name appears in two layers: {listed}"
    present = {unit_of_module(module) for module in modules()}
    assert present - set(listed) == set(), "add these to the layers of docs/architecture.md"
    assert set(listed) - present == set(), "docs/architecture.md lists layers that do not exist"


def test_no_import_from_a_higher_layer() -> None:
    rank = {name: index for index, layer in enumerate(layers()) for name in layer}
    names = [name for layer in layers() for name in layer]
    upward = []
    for found in imports():
        source = unit_of_module(found.module)
        target = unit_of_target(found.target, set(rank))
        if target is not None and rank[target] > rank[source]:
            upward.append(f"src/filmkit/{found.module}:{found.line}: {source} (layer {rank[source] + 1}) imports "
                          f"{found.target} ({target}, layer {rank[target] + 1})")
    assert not upward, f"imports from a higher layer (bottom first: {', '.join(names)}):\n" + "\n".join(upward)


def test_no_import_cycle_between_packages() -> None:
    units = {name for layer in layers() for name in layer}
    graph: dict[str, set[str]] = {unit: set() for unit in units}
    for found in imports():
        source, target = unit_of_module(found.module), unit_of_target(found.target, units)
        if target is not None and target != source:
            graph[source].add(target)
    cycles = [component for component in _strongly_connected(graph) if len(component) > 1]
    assert not cycles, "packages that import each other: " + "; ".join(" <-> ".join(sorted(c)) for c in cycles)


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm: the strongly connected components of `graph`."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_no_module_is_over_400_lines() -> None:
    long = {module.as_posix(): len((PACKAGE / module).read_text(encoding="utf-8").splitlines()) for module in modules()}
    over = {name: lines for name, lines in long.items() if lines > MAX_LINES and name not in TOO_LONG_EXCEPTIONS}
    assert not over, f"modules over {MAX_LINES} lines (split them by what they do): {over}"
    stale = [name for name in TOO_LONG_EXCEPTIONS if long.get(name, 0) <= MAX_LINES]
    assert not stale, f"no longer over {MAX_LINES} lines: remove from TOO_LONG_EXCEPTIONS: {stale}"


@pytest.mark.parametrize(("library", "allowed"), [("click", "cli/"), ("subprocess", "media/ffmpeg.py")])
def test_only_one_place_imports(library: str, allowed: str) -> None:
    users = sorted({f"src/filmkit/{found.module.as_posix()}:{found.line}" for found in imports()
                    if found.target.split(".")[0] == library and not found.module.as_posix().startswith(allowed)})
    assert not users, f"only filmkit/{allowed} may import {library}: " + ", ".join(users)


def test_the_checker_sees_imports_inside_functions() -> None:
    """The lazy imports of the command line (for start-up time) are in the graph too."""
    lazy = [found for found in imports() if found.module.as_posix() == "cli/render.py" and found.target == "filmkit.export.batch"]
    assert lazy, "cli/render.py imports filmkit.export.batch inside a function"
