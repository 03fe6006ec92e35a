"""`filmkit schema`: a JSON Schema of schema 1 that editors can use, and that every real project meets.

The sample projects and a scaffolded one are validated against it with the `jsonschema`
library; a few wrong files are refused by it as by filmkit. `filmkit init` points its edit.yaml
at the schema file it writes beside it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import jsonschema
import pytest

from filmkit.project.jsonschema import SCHEMA_FILE, project_schema
from filmkit.project.load import read_yaml

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted(REPO.glob("projects/*/edit.yaml"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = project_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_filmkit_schema_prints_the_schema(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("schema")
    assert result.exit_code == 0, result
    printed = json.loads(result.stdout)
    assert printed == project_schema()
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert printed["required"] == ["filmkit", "title", "cut"]


@pytest.mark.parametrize("edit", SAMPLES, ids=[path.parent.name for path in SAMPLES])
def test_the_sample_projects_meet_the_schema(validator: jsonschema.protocols.Validator, edit: Path) -> None:
    data, _ = read_yaml(edit)
    errors = [error.message for error in validator.iter_errors(data)]
    assert not errors, errors


def test_init_writes_the_schema_and_points_the_project_at_it(run_cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             validator: jsonschema.protocols.Validator) -> None:
    result = run_cli("init", str(tmp_path / "film"))
    assert result.exit_code == 0, result
    edit = tmp_path / "film" / "edit.yaml"
    assert edit.read_text(encoding="utf-8").splitlines()[0] == f"# yaml-language-server: $schema={SCHEMA_FILE}"
    assert json.loads((tmp_path / "film" / SCHEMA_FILE).read_text(encoding="utf-8")) == project_schema()
    data, _ = read_yaml(edit)
    assert not [error.message for error in validator.iter_errors(data)]
    assert run_cli("check", str(edit)).exit_code == 0


@pytest.mark.parametrize(("change", "path"), [
    ({"colour": "red"}, []),  # an unknown key
    ({"format": {"size": 1920}}, ["format", "size"]),  # a size is WIDTHxHEIGHT text
    ({"cut": []}, ["cut"]),
    ({"card": {"text": {"en": {"tagline": "x" * 201}}}}, ["card", "text", "en", "tagline"]),
    ({"music": [{"file": "a.wav", "fade_in": -1}]}, ["music", 0, "fade_in"]),
])
def test_wrong_values_are_refused_by_the_schema(validator: jsonschema.protocols.Validator, change: dict,
                                                path: list) -> None:
    data = {"filmkit": 1, "title": "x", "cut": [{"color": "black", "duration": 1}], **change}
    found = [list(error.absolute_path) for error in _leaves(validator.iter_errors(data))]
    assert any(where[: len(path)] == path for where in found), found


def _leaves(errors: Iterable[jsonschema.ValidationError]) -> Iterator[jsonschema.ValidationError]:
    """The errors themselves, and inside `anyOf` (a section that may be null) the branches' errors."""
    for error in errors:
        yield error
        yield from _leaves(error.context or [])


def test_short_forms_filmkit_reads_are_valid(validator: jsonschema.protocols.Validator) -> None:
    data = {"filmkit": 1, "title": "x", "format": {"size": "1080x1920", "fps": "30000/1001"},
            "cut": [{"color": "#000", "duration": "00:00:01:00"}],
            "card": {"fade": 0.5, "text": {"en": {"tagline": "Hi"}}}}
    assert not list(validator.iter_errors(data))
