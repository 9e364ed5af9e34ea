"""Dataset configs: features declared once, and full records turned into rows per config.

``documents`` holds every layer nested; each task config holds one row per document shaped
as that task's input and gold output. Predictions use exactly the task config's row format,
so the gold export scored against itself gives 1.0.
"""

from __future__ import annotations

from datasets import ClassLabel, Features, List, Value

from itapol.schema import ENTITY_TYPES, LOCATION_ROLES, LOCATION_TYPES, MODALITIES, POLARITIES, QUOTE_TYPES

SPAN = {"start": Value("int32"), "end": Value("int32")}
SPLITS = ("train", "dev", "test")
LABELS = {
    "entity_type": list(ENTITY_TYPES), "quote_type": list(QUOTE_TYPES), "location_type": list(LOCATION_TYPES),
    "location_role": list(LOCATION_ROLES), "polarity": list(POLARITIES), "modality": list(MODALITIES),
    "mention_form": ["name", "nominal"], "target_kind": ["entity", "proposition"],
}


def _cl(name: str) -> ClassLabel:
    return ClassLabel(names=LABELS[name])


PROVENANCE = {"status": Value("string"), "annotators": List(Value("string")), "adjudicator": Value("string"),
              "schema_version": Value("string")}

FEATURES: dict[str, Features] = {
    "documents": Features({
        "id": Value("string"), "title": Value("string"), "text": Value("string"), "licence": Value("string"),
        "schema_version": Value("string"), "text_sha256": Value("string"),
        "source": {"id": Value("string"), "file": Value("string"), "commit": Value("string"),
                   "line_start": Value("int32"), "line_end": Value("int32")},
        "layers": {k: PROVENANCE for k in ("entities", "quotes", "locations", "stances", "demands")},
        "entities": List({"id": Value("string"), "type": _cl("entity_type"), "name": Value("string"),
                          "role": Value("string"), "wikidata": Value("string")}),
        "mentions": List({"id": Value("string"), "start": Value("int32"), "end": Value("int32"),
                          "entity": Value("string"), "form": _cl("mention_form")}),
        "quotes": List({"id": Value("string"), "type": _cl("quote_type"), "content": List(SPAN), "cue": SPAN,
                        "speaker": Value("string"), "speaker_mention": Value("string"), "addressee": Value("string"),
                        "intermediary": Value("string"), "channel_type": Value("string"), "channel": SPAN}),
        "locations": List({"id": Value("string"), "start": Value("int32"), "end": Value("int32"),
                           "type": _cl("location_type"), "geonames": Value("int64"), "role": _cl("location_role"),
                           "entity": Value("string")}),
        "stances": List({"id": Value("string"), "holder": Value("string"), "target_entity": Value("string"),
                         "target_proposition": Value("string"), "polarity": _cl("polarity"), "evidence": List(SPAN),
                         "quotes": List(Value("string"))}),
        "demands": List({"id": Value("string"), "claimant": Value("string"), "addressee": Value("string"),
                         "action": SPAN, "label": Value("string"), "modality": _cl("modality"), "condition": SPAN,
                         "evidence": List(SPAN), "quote": Value("string")}),
    }),
    "mentions": Features({"id": Value("string"), "text": Value("string"),
                          "mentions": List({"start": Value("int32"), "end": Value("int32"), "type": _cl("entity_type")})}),
    "quotes": Features({"id": Value("string"), "text": Value("string"),
                        "quotes": List({"content": List(SPAN), "type": _cl("quote_type")})}),
    "attribution": Features({"id": Value("string"), "text": Value("string"),
                             "quotes": List({"quote_id": Value("string"), "content": List(SPAN), "cue": SPAN,
                                             "speaker": SPAN, "speaker_name": Value("string"),
                                             "intermediary_name": Value("string")})}),
    "locations": Features({"id": Value("string"), "text": Value("string"),
                           "locations": List({"start": Value("int32"), "end": Value("int32"), "geonames": Value("int64")})}),
    "stances": Features({"id": Value("string"), "text": Value("string"),
                         "stances": List({"stance_id": Value("string"), "holder": Value("string"), "target": Value("string"),
                                          "target_kind": _cl("target_kind"), "evidence": List(SPAN), "polarity": _cl("polarity")})}),
    "demands": Features({"id": Value("string"), "text": Value("string"),
                         "demands": List({"claimant": Value("string"), "addressee": Value("string"), "action": SPAN,
                                          "label": Value("string"), "modality": _cl("modality")})}),
}
CONFIGS = tuple(FEATURES)
TASK_FIELD = {"mentions": "mentions", "quotes": "quotes", "attribution": "quotes", "locations": "locations",
              "stances": "stances", "demands": "demands"}


def _span(s: dict | None) -> dict | None:
    return None if s is None else {"start": s["start"], "end": s["end"]}


def _ix(name: str, value: str) -> int:
    return LABELS[name].index(value)


def document_row(rec: dict) -> dict:
    """The `documents` row of a full record (labels as ClassLabel indices)."""
    layers = {k: (None if rec["layers"].get(k) is None else {**rec["layers"][k], "adjudicator": rec["layers"][k].get("adjudicator")})
              for k in ("entities", "quotes", "locations", "stances", "demands")}
    return {
        "id": rec["id"], "title": rec["title"], "text": rec["text"], "licence": rec["licence"],
        "schema_version": rec["schema_version"], "text_sha256": rec["text_sha256"],
        "source": {"id": rec["source"]["id"], "file": rec["source"]["file"], "commit": rec["source"]["commit"],
                   "line_start": rec["source"]["lines"][0], "line_end": rec["source"]["lines"][1]},
        "layers": layers,
        "entities": [{"id": e["id"], "type": _ix("entity_type", e["type"]), "name": e["name"], "role": e.get("role"),
                      "wikidata": e.get("wikidata")} for e in rec["entities"]],
        "mentions": [{"id": m["id"], "start": m["span"]["start"], "end": m["span"]["end"], "entity": m["entity"],
                      "form": _ix("mention_form", m["form"])} for m in rec["mentions"]],
        "quotes": [{"id": q["id"], "type": _ix("quote_type", q["type"]), "content": [_span(s) for s in q["content"]],
                    "cue": _span(q["cue"]), "speaker": q["speaker"], "speaker_mention": q.get("speaker_mention"),
                    "addressee": q.get("addressee"), "intermediary": q.get("intermediary"),
                    "channel_type": (q.get("channel") or {}).get("type"), "channel": _span((q.get("channel") or {}).get("span"))}
                   for q in rec["quotes"]],
        "locations": [{"id": x["id"], "start": x["span"]["start"], "end": x["span"]["end"], "type": _ix("location_type", x["type"]),
                       "geonames": x["geonames"], "role": _ix("location_role", x["role"]), "entity": x.get("entity")}
                      for x in rec["locations"]],
        "stances": [{"id": s["id"], "holder": s["holder"], "target_entity": s["target"].get("entity"),
                     "target_proposition": s["target"].get("proposition"), "polarity": _ix("polarity", s["polarity"]),
                     "evidence": [_span(e) for e in s["evidence"]], "quotes": list(s.get("quotes") or [])}
                    for s in rec["stances"]],
        "demands": [{"id": d["id"], "claimant": d["claimant"], "addressee": d["addressee"], "action": _span(d["action"]["span"]),
                     "label": d["action"]["label"], "modality": _ix("modality", d["modality"]), "condition": _span(d.get("condition")),
                     "evidence": [_span(e) for e in d["evidence"]], "quote": d.get("quote")} for d in rec["demands"]],
    }


def speaker_span(rec: dict, quote: dict) -> dict | None:
    """The gold speaker span: the annotated speaker mention, else the speaker's mention nearest before the cue/quote."""
    if quote["speaker"] is None:
        return None
    by_id = {m["id"]: m for m in rec["mentions"]}
    if quote.get("speaker_mention"):
        return _span(by_id[quote["speaker_mention"]]["span"])
    anchor = (quote["cue"] or quote["content"][0])["start"]
    own = [m for m in rec["mentions"] if m["entity"] == quote["speaker"]]
    before = [m for m in own if m["span"]["start"] <= anchor]
    pick = max(before, key=lambda m: m["span"]["start"]) if before else min(own, key=lambda m: m["span"]["start"])
    return _span(pick["span"])


def task_row(config: str, rec: dict) -> dict:
    """One row of a task config, from a full record."""
    names = {e["id"]: e["name"] for e in rec["entities"]}
    types = {e["id"]: e["type"] for e in rec["entities"]}
    base = {"id": rec["id"], "text": rec["text"]}
    if config == "mentions":
        items = sorted(({"start": m["span"]["start"], "end": m["span"]["end"], "type": _ix("entity_type", types[m["entity"]])}
                        for m in rec["mentions"] if m["form"] == "name"), key=lambda x: (x["start"], x["end"]))
    elif config == "quotes":
        items = [{"content": [_span(s) for s in q["content"]], "type": _ix("quote_type", q["type"])} for q in rec["quotes"]]
    elif config == "attribution":
        items = [{"quote_id": q["id"], "content": [_span(s) for s in q["content"]], "cue": _span(q["cue"]),
                  "speaker": speaker_span(rec, q), "speaker_name": names.get(q["speaker"]),
                  "intermediary_name": names.get(q.get("intermediary"))} for q in rec["quotes"]]
    elif config == "locations":
        items = [{"start": x["span"]["start"], "end": x["span"]["end"], "geonames": x["geonames"]} for x in rec["locations"]]
    elif config == "stances":
        items = [{"stance_id": s["id"], "holder": names[s["holder"]],
                  "target": names[s["target"]["entity"]] if "entity" in s["target"] else s["target"]["proposition"],
                  "target_kind": _ix("target_kind", "entity" if "entity" in s["target"] else "proposition"),
                  "evidence": [_span(e) for e in s["evidence"]], "polarity": _ix("polarity", s["polarity"])} for s in rec["stances"]]
    elif config == "demands":
        items = [{"claimant": names[d["claimant"]], "addressee": names.get(d["addressee"]), "action": _span(d["action"]["span"]),
                  "label": d["action"]["label"], "modality": _ix("modality", d["modality"])} for d in rec["demands"]]
    else:
        raise KeyError(config)
    return {**base, TASK_FIELD[config]: items}


def rows(config: str, records: list[dict]) -> list[dict]:
    """Rows of one config for the given records, sorted by document id."""
    make = document_row if config == "documents" else (lambda r: task_row(config, r))
    return [make(r) for r in sorted(records, key=lambda r: r["id"])]
