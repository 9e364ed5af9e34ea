"""Authoring with text anchors: annotators write substrings, not character offsets.

An anchor names a span by its text. Forms (in YAML or JSON authoring files):

- ``"Zakharova"``: the first occurrence (whole words: not inside a longer word);
- ``"Zakharova@2"``: the second occurrence; ``"Zakharova@*"`` (mentions only): every one;
- ``"Perché la pace … internazionali"``: from the first occurrence of the head to the end
  of the first occurrence of the tail after it (the separator is `` … ``, U+2026 with spaces);
- ``{t: "Kiev", after: "attacco aereo russo su"}``: the first occurrence after a context;
  ``{from: "head", to: "tail", n: 2, after: "..."}`` is the explicit long form.

:func:`compile_authoring` turns an authoring file into a :class:`~itapol.schema.Document`
holding offsets only; :func:`to_authoring` goes back, for editing or adjudication.
Hand-written because this anchor language is the project's own authoring format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from itapol.schema import (SCHEMA_VERSION, Action, Channel, Demand, Document, Entity, EntityTarget,
                           Layers, Location, Mention, PropositionTarget, Provenance, Quote, Source, Span,
                           Stance, text_sha256)

ELLIPSIS = " … "


class AnchorError(ValueError):
    """An anchor that does not resolve, with the authoring path where it sits."""

    def __init__(self, where: str, message: str):
        self.where = where
        super().__init__(f"{where}: {message}")


def _occurrences(text: str, needle: str, begin: int = 0) -> list[int]:
    if not needle:
        return []
    pattern = re.escape(needle)
    if needle[0].isalnum():
        pattern = r"(?<!\w)" + pattern
    if needle[-1].isalnum():
        pattern += r"(?!\w)"
    return [m.start() for m in re.compile(pattern).finditer(text, begin)]


@dataclass(frozen=True)
class _Anchor:
    head: str
    tail: str | None
    n: int | str  # 1-based occurrence, or "*"
    after: str | None


def _parse(anchor: Any, where: str) -> _Anchor:
    if isinstance(anchor, str):
        body, n = anchor, 1
        m = re.search(r"@(\d+|\*)$", anchor)
        if m:
            body, n = anchor[:m.start()], (m.group(1) if m.group(1) == "*" else int(m.group(1)))
        head, sep, tail = body.partition(ELLIPSIS)
        return _Anchor(head, tail if sep else None, n, None)
    if isinstance(anchor, dict):
        head = anchor.get("t", anchor.get("from"))
        if not isinstance(head, str):
            raise AnchorError(where, f"anchor {anchor!r} needs 't' or 'from'")
        return _Anchor(head, anchor.get("to"), anchor.get("n", 1), anchor.get("after"))
    raise AnchorError(where, f"anchor must be a string or a mapping, not {type(anchor).__name__}")


def resolve(text: str, anchor: Any, where: str = "anchor", many: bool = False) -> list[tuple[int, int]]:
    """Character spans ``[start, end)`` an anchor names (one unless ``@*`` and ``many``)."""
    a = _parse(anchor, where)
    begin = 0
    if a.after:
        found = _occurrences(text, a.after)
        if not found:
            raise AnchorError(where, f"context {a.after!r} not found in the text")
        begin = found[0] + len(a.after)
    starts = _occurrences(text, a.head, begin)
    if not starts:
        raise AnchorError(where, f"{a.head!r} not found in the text" + (f" after {a.after!r}" if a.after else ""))
    if a.n == "*":
        if not many:
            raise AnchorError(where, "'@*' (every occurrence) is allowed for mentions only")
        chosen = starts
    else:
        if not isinstance(a.n, int) or a.n < 1 or a.n > len(starts):
            raise AnchorError(where, f"{a.head!r} occurs {len(starts)} time(s); occurrence {a.n} does not exist")
        chosen = [starts[a.n - 1]]
    spans = []
    for s in chosen:
        if a.tail is None:
            spans.append((s, s + len(a.head)))
            continue
        ends = _occurrences(text, a.tail, s + len(a.head))
        if not ends:
            raise AnchorError(where, f"tail {a.tail!r} not found after {a.head!r}")
        spans.append((s, ends[0] + len(a.tail)))
    return spans


def _span(text: str, anchor: Any, where: str) -> Span:
    (s, e), = resolve(text, anchor, where)
    return Span.of(text, s, e)


def _opt_span(text: str, anchor: Any, where: str) -> Span | None:
    return None if anchor is None else _span(text, anchor, where)


def compile_authoring(data: dict, text: str, *, doc_id: str, source: Source, licence: str,
                      title_end: int | None) -> Document:
    """Resolve every anchor of an authoring mapping against ``text`` into a Document."""
    prov_data = data.get("provenance") or {}
    layer_names = data.get("layers") or ["entities", "quotes", "locations", "stances", "demands"]
    provenance = Provenance(status=prov_data.get("status", "gold"), annotators=prov_data.get("annotators", ["unknown"]),
                            adjudicator=prov_data.get("adjudicator"), schema_version=SCHEMA_VERSION)
    entities, mentions = [], []
    for i, e in enumerate(data.get("entities") or []):
        where = f"entities[{i}]"
        entities.append(Entity(id=e["id"], type=e["type"], name=e["name"], role=e.get("role"), wikidata=e.get("wikidata")))
        for j, m in enumerate(e.get("mentions") or []):
            form = "name"
            if isinstance(m, dict) and "nominal" in m:
                form, m = "nominal", m["nominal"]
            elif isinstance(m, dict) and m.get("form") == "nominal":
                form = "nominal"
            for s, t in resolve(text, m, f"{where}.mentions[{j}]", many=True):
                mentions.append((s, t, e["id"], form, f"{where}.mentions[{j}]"))
    mentions.sort()
    seen = {}
    for s, t, ent, form, where in mentions:
        if (s, t) in seen:
            raise AnchorError(where, f"span {text[s:t]!r} at {s} is already a mention ({seen[(s, t)]})")
        seen[(s, t)] = where
    mention_objs = [Mention(id=f"m{k + 1}", span=Span.of(text, s, t), entity=ent, form=form)
                    for k, (s, t, ent, form, _) in enumerate(mentions)]
    by_span = {(m.span.start, m.span.end): m for m in mention_objs}

    quotes_raw = []
    for i, q in enumerate(data.get("quotes") or []):
        where = f"quotes[{i}]"
        content = [_span(text, c, f"{where}.content[{j}]") for j, c in enumerate(q["content"] if isinstance(q["content"], list) else [q["content"]])]
        speaker_mention = None
        if q.get("speaker_mention") is not None:
            sm = _span(text, q["speaker_mention"], f"{where}.speaker_mention")
            if (sm.start, sm.end) not in by_span:
                raise AnchorError(f"{where}.speaker_mention", f"{text[sm.start:sm.end]!r} is not an annotated mention")
            speaker_mention = by_span[(sm.start, sm.end)].id
        channel = q.get("channel")
        quotes_raw.append((content[0].start, q.get("id"), dict(
            type=q["type"], content=content, cue=_opt_span(text, q.get("cue"), f"{where}.cue"),
            speaker=q.get("speaker"), speaker_mention=speaker_mention, addressee=q.get("addressee"),
            intermediary=q.get("intermediary"),
            channel=None if channel is None else Channel(type=channel["type"], span=_opt_span(text, channel.get("span"), f"{where}.channel.span")))))
    quotes_raw.sort(key=lambda x: x[0])
    quote_ids = {}
    quotes = []
    for k, (_, local, fields) in enumerate(quotes_raw):
        qid = f"q{k + 1}"
        if local is not None:
            quote_ids[str(local)] = qid
        quotes.append(Quote(id=qid, **fields))

    def quote_ref(ref, where):
        if ref is None:
            return None
        if str(ref) not in quote_ids:
            raise AnchorError(where, f"no quote has the authoring id {ref!r}")
        return quote_ids[str(ref)]

    locs = []
    for i, loc in enumerate(data.get("locations") or []):
        where = f"locations[{i}]"
        for s, t in resolve(text, loc["span"], f"{where}.span", many=True):
            locs.append((s, t, loc))
    locs.sort(key=lambda x: (x[0], x[1]))
    locations = [Location(id=f"l{k + 1}", span=Span.of(text, s, t), type=loc["type"], geonames=loc.get("geonames"),
                          role=loc["role"], entity=loc.get("entity")) for k, (s, t, loc) in enumerate(locs)]

    stances_raw = []
    for i, st in enumerate(data.get("stances") or []):
        where = f"stances[{i}]"
        target = st["target"]
        target_obj = EntityTarget(entity=target["entity"]) if "entity" in target else PropositionTarget(proposition=target["proposition"])
        evidence = [_span(text, ev, f"{where}.evidence[{j}]") for j, ev in enumerate(st["evidence"])]
        stances_raw.append((evidence[0].start, dict(holder=st["holder"], target=target_obj, polarity=st["polarity"], evidence=evidence,
                                                     quotes=[quote_ref(r, f"{where}.quotes") for r in st.get("quotes") or []])))
    stances_raw.sort(key=lambda x: x[0])
    stances = [Stance(id=f"s{k + 1}", **f) for k, (_, f) in enumerate(stances_raw)]

    demands_raw = []
    for i, d in enumerate(data.get("demands") or []):
        where = f"demands[{i}]"
        action = Action(span=_span(text, d["action"]["span"], f"{where}.action.span"), label=d["action"]["label"])
        evidence = [_span(text, ev, f"{where}.evidence[{j}]") for j, ev in enumerate(d["evidence"])]
        demands_raw.append((action.span.start, dict(claimant=d["claimant"], addressee=d.get("addressee"), action=action,
                                                     modality=d["modality"], condition=_opt_span(text, d.get("condition"), f"{where}.condition"),
                                                     evidence=evidence, quote=quote_ref(d.get("quote"), f"{where}.quote"))))
    demands_raw.sort(key=lambda x: x[0])
    demands = [Demand(id=f"d{k + 1}", **f) for k, (_, f) in enumerate(demands_raw)]

    return Document(
        schema_version=SCHEMA_VERSION, id=doc_id, source=source, language="it", licence=licence,
        text_sha256=text_sha256(text), text_length=len(text),
        title=Span.of(text, 0, title_end) if title_end else None,
        layers=Layers(**{name: provenance for name in layer_names}),
        entities=entities, mentions=mention_objs, quotes=quotes, locations=locations, stances=stances, demands=demands)


# ------------------------------------------------------------------ back to anchors

def anchor_for(text: str, start: int, end: int) -> str:
    """The shortest anchor string that resolves back to exactly ``[start, end)``."""
    piece = text[start:end]
    words = piece.split(" ")
    candidates = [piece] if len(words) <= 8 else []
    for k in (4, 6, 8):
        if len(words) > 2 * k:
            candidates.append(" ".join(words[:k]) + ELLIPSIS + " ".join(words[-k:]))
    candidates.append(piece)
    for cand in candidates:
        head = cand.partition(ELLIPSIS)[0]
        for n, s in enumerate(_occurrences(text, head), start=1):
            if s == start:
                anchor = cand if n == 1 else f"{cand}@{n}"
                try:
                    if resolve(text, anchor) == [(start, end)]:
                        return anchor
                except AnchorError:
                    pass
                break
    return {"from": piece, "n": 1}  # pragma: no cover - every span resolves as itself


def to_authoring(doc: Document, text: str) -> dict:
    """An authoring mapping equivalent to ``doc`` (anchors instead of offsets)."""
    a = lambda s: None if s is None else anchor_for(text, s.start, s.end)  # noqa: E731
    prov = next((p for p in (doc.layers.entities, doc.layers.quotes, doc.layers.locations,
                             doc.layers.stances, doc.layers.demands) if p), None)
    out: dict = {"doc": doc.id}
    if prov:
        out["provenance"] = {"status": prov.status, "annotators": list(prov.annotators)}
    out["entities"] = []
    for e in doc.entities:
        item = {"id": e.id, "type": e.type, "name": e.name}
        if e.role:
            item["role"] = e.role
        if e.wikidata:
            item["wikidata"] = e.wikidata
        item["mentions"] = [a(m.span) if m.form == "name" else {"nominal": a(m.span)} for m in doc.mentions if m.entity == e.id]
        out["entities"].append(item)
    mention_span = {m.id: m.span for m in doc.mentions}
    out["quotes"] = [{k: v for k, v in {
        "id": q.id, "type": q.type, "content": [a(s) for s in q.content], "cue": a(q.cue), "speaker": q.speaker,
        "speaker_mention": a(mention_span[q.speaker_mention]) if q.speaker_mention else None,
        "addressee": q.addressee, "intermediary": q.intermediary,
        "channel": None if q.channel is None else {"type": q.channel.type, "span": a(q.channel.span)}}.items()
        if v is not None or k in ("cue", "speaker")} for q in doc.quotes]
    out["locations"] = [{k: v for k, v in {"span": a(loc.span), "type": loc.type, "geonames": loc.geonames, "role": loc.role,
                                           "entity": loc.entity}.items() if v is not None or k == "geonames"} for loc in doc.locations]
    out["stances"] = [{"holder": s.holder, "target": s.target.model_dump(), "polarity": s.polarity,
                       "evidence": [a(e) for e in s.evidence], **({"quotes": list(s.quotes)} if s.quotes else {})} for s in doc.stances]
    out["demands"] = [{k: v for k, v in {
        "claimant": d.claimant, "addressee": d.addressee, "action": {"span": a(d.action.span), "label": d.action.label},
        "modality": d.modality, "condition": a(d.condition), "evidence": [a(e) for e in d.evidence], "quote": d.quote}.items()
        if v is not None or k == "addressee"} for d in doc.demands]
    return out
