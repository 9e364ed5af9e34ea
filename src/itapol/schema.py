"""The typed model of an annotated document, mirroring the JSON Schema files in ``schema/v1``.

The JSON Schema files are the language-neutral contract; these pydantic models are the
Python view of the same contract (a test proves the two accept and reject the same
documents). Neither knows about files on disk beyond locating the schema folder.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

SCHEMA_VERSION = "1.0.0"
KNOWN_VERSIONS = ("1.0.0",)
LAYERS = ("entities", "quotes", "locations", "stances", "demands")
ENTITY_TYPES = ("PER", "ORG", "GPE", "LOC")
QUOTE_TYPES = ("direct", "indirect", "mixed")
LOCATION_TYPES = ("country", "region", "city", "supranational", "other")
LOCATION_ROLES = ("event", "mentioned", "actor")
POLARITIES = ("favour", "against", "neutral")
MODALITIES = ("must", "should", "expects", "asks")
CHANNEL_TYPES = ("interview", "social_media", "statement", "press_conference", "website",
                 "broadcast", "document", "other")
STATUSES = ("gold", "double_annotated", "silver")

Id = Annotated[StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")]
Label = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]{2,63}$")]
Version = Literal["1.0.0"]


def span_hash(text: str) -> str:
    """First 8 hex digits of the SHA-256 of a span's UTF-8 text (the span's check hash)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Span(_Model):
    start: Annotated[StrictInt, Field(ge=0)]
    end: Annotated[StrictInt, Field(ge=1)]
    hash: Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{8}$")]

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start=start, end=end, hash=span_hash(text[start:end]))


class Provenance(_Model):
    status: Literal["gold", "double_annotated", "silver"]
    annotators: Annotated[list[Annotated[StrictStr, Field(min_length=1)]], Field(min_length=1)]
    adjudicator: Annotated[StrictStr, Field(min_length=1)] | None = None
    schema_version: Version


class Entity(_Model):
    id: Id
    type: Literal["PER", "ORG", "GPE", "LOC"]
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    role: Annotated[StrictStr, Field(min_length=1, max_length=200)] | None = None
    wikidata: Annotated[StrictStr, Field(pattern=r"^Q[1-9][0-9]*$")] | None = None


class Mention(_Model):
    id: Id
    span: Span
    entity: Id
    form: Literal["name", "nominal"]


class Channel(_Model):
    type: Literal["interview", "social_media", "statement", "press_conference", "website",
                  "broadcast", "document", "other"]
    span: Span | None


class Quote(_Model):
    id: Id
    type: Literal["direct", "indirect", "mixed"]
    content: Annotated[list[Span], Field(min_length=1)]
    cue: Span | None
    speaker: Id | None
    speaker_mention: Id | None = None
    addressee: Id | None = None
    intermediary: Id | None = None
    channel: Channel | None = None


class Location(_Model):
    id: Id
    span: Span
    type: Literal["country", "region", "city", "supranational", "other"]
    geonames: Annotated[StrictInt, Field(ge=1)] | None
    role: Literal["event", "mentioned", "actor"]
    entity: Id | None = None


class EntityTarget(_Model):
    entity: Id


class PropositionTarget(_Model):
    proposition: Label


class Stance(_Model):
    id: Id
    holder: Id
    target: Union[EntityTarget, PropositionTarget]
    polarity: Literal["favour", "against", "neutral"]
    evidence: Annotated[list[Span], Field(min_length=1)]
    quotes: list[Id] = Field(default_factory=list)


class Action(_Model):
    span: Span
    label: Label


class Demand(_Model):
    id: Id
    claimant: Id
    addressee: Id | None
    action: Action
    modality: Literal["must", "should", "expects", "asks"]
    condition: Span | None = None
    evidence: Annotated[list[Span], Field(min_length=1)]
    quote: Id | None = None


class Source(_Model):
    id: Literal["seed", "kind-wikinews"]
    file: Annotated[StrictStr, Field(min_length=1)]
    commit: Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{40}$")] | None
    lines: Annotated[list[Annotated[StrictInt, Field(ge=1)]], Field(min_length=2, max_length=2)]


class Layers(_Model):
    """Provenance per annotated layer. A key may be absent (layer not annotated) but not null,
    as in the JSON Schema; hence a ``None`` default on a non-optional type."""

    entities: Provenance = Field(default=None)  # type: ignore[assignment]
    quotes: Provenance = Field(default=None)  # type: ignore[assignment]
    locations: Provenance = Field(default=None)  # type: ignore[assignment]
    stances: Provenance = Field(default=None)  # type: ignore[assignment]
    demands: Provenance = Field(default=None)  # type: ignore[assignment]


class Document(_Model):
    """One article's annotations (the text is rebuilt from its source, never stored)."""

    schema_version: Version
    id: Annotated[StrictStr, Field(pattern=r"^[a-z]+-[0-9a-f]{12}$")]
    source: Source
    language: Literal["it"]
    licence: Annotated[StrictStr, Field(min_length=1)]
    text_sha256: Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")]
    text_length: Annotated[StrictInt, Field(ge=1)]
    title: Span | None
    layers: Layers
    entities: list[Entity]
    mentions: list[Mention]
    quotes: list[Quote]
    locations: list[Location]
    stances: list[Stance]
    demands: list[Demand]

    def to_json(self) -> str:
        """Stable, pretty, diff-friendly JSON (key order as in the schema, LF, final newline)."""
        data = self.model_dump(mode="json", exclude_none=False)
        if data["layers"]:
            data["layers"] = {k: v for k, v in data["layers"].items() if v is not None}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- JSON Schema files

def schema_dir() -> Path:
    """The folder holding the JSON Schema files: bundled in the wheel, or the repo's schema/v1."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_schema" / "v1", here.parents[1] / "schema" / "v1"):
        if (candidate / "document.schema.json").is_file():
            return candidate
    raise FileNotFoundError("itapol JSON Schema files not found (expected schema/v1/document.schema.json)")


@lru_cache(maxsize=1)
def json_validator():
    """A draft 2020-12 validator for documents, with every schema file registered by its $id."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    folder = schema_dir()
    resources = []
    for path in sorted(folder.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    registry = Registry().with_resources(resources)
    document = json.loads((folder / "document.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(document)
    return Draft202012Validator(document, registry=registry)


@lru_cache(maxsize=1)
def stance_vocabulary() -> dict[str, dict[str, str]]:
    """The controlled vocabulary of stance-target propositions: id -> {it, en}."""
    data = json.loads((schema_dir() / "stance_targets.json").read_text(encoding="utf-8"))
    return {item["id"]: item for item in data["propositions"]}
