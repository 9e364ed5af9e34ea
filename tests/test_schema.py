"""The JSON Schema files and the pydantic models accept and reject the same documents."""

from __future__ import annotations

import copy
import json

import pytest
from pydantic import ValidationError

from itapol.schema import SCHEMA_VERSION, Document, json_validator, schema_dir, stance_vocabulary


def json_ok(data) -> bool:
    return not list(json_validator().iter_errors(data))


def model_ok(data) -> bool:
    try:
        Document.model_validate(data)
        return True
    except ValidationError:
        return False


def leaves(data, path=()):
    """Every (path, value) in a JSON value, containers included."""
    yield path, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from leaves(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from leaves(v, path + (i,))


def mutate(data, path, fn):
    out = copy.deepcopy(data)
    parent = out
    for p in path[:-1]:
        parent = parent[p]
    fn(parent, path[-1])
    return out


MUTATIONS = {
    "null": lambda parent, key: parent.__setitem__(key, None),
    "string": lambda parent, key: parent.__setitem__(key, "x"),
    "negative": lambda parent, key: parent.__setitem__(key, -1),
    "float": lambda parent, key: parent.__setitem__(key, 1.5),
    "bool": lambda parent, key: parent.__setitem__(key, True),
    "empty_list": lambda parent, key: parent.__setitem__(key, []),
    "object": lambda parent, key: parent.__setitem__(key, {"unexpected": 1}),
    "delete": lambda parent, key: parent.pop(key) if isinstance(parent, dict) else parent.pop(key),
}


def test_seed_is_valid_for_both(seed_doc):
    assert json_ok(seed_doc) and model_ok(seed_doc)


def test_schema_files_are_valid_2020_12():
    from jsonschema import Draft202012Validator
    for path in sorted(schema_dir().glob("*.schema.json")):
        Draft202012Validator.check_schema(json.loads(path.read_text("utf-8")))


def test_models_and_json_schema_agree_on_every_mutation(seed_doc):
    """Mutate every node of the seed document in eight ways; both validators must agree each time."""
    checked = disagreements = 0
    rejected = 0
    shapes = {}  # one real path per shape (list indices folded): the same rule applies to every item
    for path, _ in leaves(seed_doc):
        shapes.setdefault(tuple(0 if isinstance(p, int) else p for p in path), path)
    for path in shapes.values():
        if not path:
            continue
        for name, fn in MUTATIONS.items():
            doc = mutate(seed_doc, path, fn)
            a, b = json_ok(doc), model_ok(doc)
            checked += 1
            rejected += not a
            if a != b:
                disagreements += 1
                print("disagree", name, path, "json" if a else "model")
    assert checked > 500
    assert rejected > checked // 2  # most mutations are invalid: the test has teeth
    assert disagreements == 0


@pytest.mark.parametrize("extra_at", [(), ("quotes", 0), ("mentions", 0, "span"), ("layers", "quotes")])
def test_unknown_fields_rejected_by_both(seed_doc, extra_at):
    doc = copy.deepcopy(seed_doc)
    node = doc
    for p in extra_at:
        node = node[p]
    node["surprise"] = 1
    assert not json_ok(doc) and not model_ok(doc)


def test_version_enum_matches_code():
    enum = json.loads((schema_dir() / "document.schema.json").read_text("utf-8"))["$defs"]["version"]["enum"]
    assert SCHEMA_VERSION in enum


def test_changelog_names_current_version():
    changelog = (schema_dir().parent / "CHANGELOG.md").read_text("utf-8")
    assert f"## {SCHEMA_VERSION}" in changelog


def test_stance_vocabulary_ids_are_valid_labels():
    import re
    vocab = stance_vocabulary()
    assert len(vocab) >= 40
    assert all(re.fullmatch(r"[a-z][a-z0-9_]{2,63}", k) for k in vocab)


def test_to_json_is_stable(seed_doc):
    doc = Document.model_validate(seed_doc)
    again = Document.model_validate(json.loads(doc.to_json()))
    assert again.to_json() == doc.to_json()
