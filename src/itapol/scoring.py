"""Predictions file -> checked records -> metrics -> results JSON.

Predictions are JSON Lines in exactly the row format of the task's gold config (``id`` plus
the task's list field; ``text`` may be omitted). Labels may be ClassLabel names or indices.
Every problem is a :class:`~itapol.problems.Problem` naming file, line and field.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np
from datasets import ClassLabel, Features, List, Value

from itapol import __version__
from itapol import metrics as M
from itapol.configs import FEATURES, rows
from itapol.problems import Problem
from itapol.geonames import city_coordinates
from itapol.schema import SCHEMA_VERSION
from itapol.tasks import Task

N_RESAMPLES = 1000
SEED = 0
DIGITS = 6


# ------------------------------------------------------------------ gold

@dataclass
class Gold:
    """Gold rows of one task and split (labels as names), plus entity aliases from `documents`."""

    task: Task
    split: str
    revision: str
    rows: dict[str, dict]
    docs: dict[str, dict]
    texts: dict[str, str] = field(default_factory=dict)


def _names(feature, value):
    """Replace ClassLabel indices by names, recursively along a Features type."""
    if value is None:
        return None
    if isinstance(feature, ClassLabel):
        return feature.names[value] if isinstance(value, int) else value
    if isinstance(feature, dict):
        return {k: _names(f, value.get(k)) for k, f in feature.items()}
    if isinstance(feature, (List, list)):
        inner = feature.feature if isinstance(feature, List) else feature[0]
        return [_names(inner, v) for v in value]
    return value


def named_row(config: str, row: dict) -> dict:
    return _names(dict(FEATURES[config]), row)


def gold_from_rows(task: Task, split: str, revision: str, task_rows: list[dict], doc_rows: list[dict]) -> Gold:
    docs = {r["id"]: named_row("documents", r) for r in doc_rows}
    gold_rows = {r["id"]: named_row(task.gold_config, r) for r in task_rows}
    return Gold(task, split, revision, gold_rows, docs, {i: r["text"] for i, r in gold_rows.items()})


def gold_from_records(task: Task, split: str, records: list[dict], revision: str) -> Gold:
    part = [r for r in records if r["split"] == split]
    return gold_from_rows(task, split, revision, rows(task.gold_config, part), rows("documents", part))


def gold_from_export(task: Task, split: str, folder: Path) -> Gold:
    """Gold from an export folder (``itapol export``); the revision is the manifest's."""
    import pyarrow.parquet as pq
    manifest = json.loads((folder / "MANIFEST.json").read_text("utf-8"))
    task_rows = pq.read_table(folder / task.gold_config / f"{split}.parquet").to_pylist()
    doc_rows = pq.read_table(folder / "documents" / f"{split}.parquet").to_pylist()
    return gold_from_rows(task, split, f"export:{manifest['revision'][:16]}", task_rows, doc_rows)


def gold_from_hub(task: Task, split: str, repo_id: str, revision: str) -> Gold:
    """Gold from the Hub at a tag (``load_dataset``)."""
    from datasets import load_dataset
    task_rows = load_dataset(repo_id, task.gold_config, split=split, revision=revision).to_list()
    doc_rows = load_dataset(repo_id, "documents", split=split, revision=revision).to_list()
    return gold_from_rows(task, split, f"hub:{repo_id}@{revision}", task_rows, doc_rows)


def records_revision(records: list[dict]) -> str:
    """An identity for a corpus scored directly (no export): sha256 over its documents."""
    digest = hashlib.sha256()
    for r in sorted(records, key=lambda r: r["id"]):
        digest.update(json.dumps({k: v for k, v in r.items() if k != "text"}, sort_keys=True).encode())
        digest.update(r["text_sha256"].encode())
    return "corpus:" + digest.hexdigest()[:16]


# ------------------------------------------------------------------ predictions

def _check(feature, value, path: str, text_len: int | None):
    """Validate (and normalise labels of) one value against a Features type; return (value, error)."""
    if isinstance(feature, ClassLabel):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            return None, f"{path}: expected a label ({', '.join(feature.names)}), got {type(value).__name__}"
        if isinstance(value, int):
            if not 0 <= value < len(feature.names):
                return None, f"{path}: label index {value} out of range 0..{len(feature.names) - 1}"
            return feature.names[value], None
        if value not in feature.names:
            return None, f"{path}: unknown label {value!r} (expected one of {', '.join(feature.names)})"
        return value, None
    if isinstance(feature, Value):
        if value is None:
            return None, None
        if feature.dtype == "string":
            return (value, None) if isinstance(value, str) else (None, f"{path}: expected a string, got {type(value).__name__}")
        if isinstance(value, bool) or not isinstance(value, int):
            return None, f"{path}: expected an integer, got {type(value).__name__}"
        return value, None
    if isinstance(feature, dict):
        if value is None:
            return None, None
        if not isinstance(value, dict):
            return None, f"{path}: expected an object, got {type(value).__name__}"
        unknown = sorted(set(value) - set(feature))
        if unknown:
            return None, f"{path}: unknown field {unknown[0]!r}"
        out = {}
        for k, f in feature.items():
            out[k], err = _check(f, value.get(k), f"{path}.{k}" if path else k, text_len)
            if err:
                return None, err
        if set(feature) >= {"start", "end"} and out.get("start") is not None:
            s, e = out["start"], out.get("end")
            if e is None or s < 0 or s >= e:
                return None, f"{path}: span [{s}, {e}) needs 0 <= start < end"
            if text_len is not None and e > text_len:
                return None, f"{path}: span [{s}, {e}) ends beyond the text ({text_len} characters)"
        return out, None
    inner = feature.feature if isinstance(feature, List) else feature[0]
    if not isinstance(value, list):
        return None, f"{path}: expected a list, got {type(value).__name__}"
    out_list = []
    for i, v in enumerate(value):
        item, err = _check(inner, v, f"{path}[{i}]", text_len)
        if err:
            return None, err
        out_list.append(item)
    return out_list, None


@dataclass
class Predictions:
    rows: dict[str, dict]
    sha256: str
    problems: list[Problem]
    missing: list[str]


def read_predictions(path: Path, gold: Gold) -> Predictions:
    """Parse and check a predictions JSONL file against the task's gold config and split."""
    task = gold.task
    name = str(path)
    problems: list[Problem] = []
    try:
        raw = path.read_bytes()
    except OSError as err:
        return Predictions({}, "", [Problem(name, None, None, None, f"cannot read: {err.strerror}", "io")], [])
    sha = hashlib.sha256(raw).hexdigest()
    try:
        data = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        return Predictions({}, sha, [Problem(name, line, None, None, f"not UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start})", "encoding")], [])
    if not data.strip():
        return Predictions({}, sha, [Problem(name, None, None, None, "empty predictions file (no JSON lines)", "empty")], [])
    feature = dict(FEATURES[task.gold_config])
    fld = task.field
    out: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    for number, line in enumerate(data.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(Problem(name, number, None, None, f"not JSON: {err.msg} (column {err.colno})", "json"))
            continue
        if not isinstance(rec, dict):
            problems.append(Problem(name, number, None, None, "expected a JSON object per line", "json"))
            continue
        doc_id = rec.get("id")
        if not isinstance(doc_id, str):
            problems.append(Problem(name, number, None, "id", "missing or non-string document id", "schema"))
            continue
        if doc_id not in gold.rows:
            problems.append(Problem(name, number, doc_id, "id", f"unknown document id (not in the gold {gold.split} split)", "unknown-id"))
            continue
        if doc_id in first_line:
            problems.append(Problem(name, number, doc_id, "id", f"duplicate record (first on line {first_line[doc_id]})", "duplicate"))
            continue
        first_line[doc_id] = number
        unknown = sorted(set(rec) - {"id", "text", fld})
        if unknown:
            problems.append(Problem(name, number, doc_id, unknown[0], f"unknown field (expected id, text, {fld})", "schema"))
            continue
        if fld not in rec:
            problems.append(Problem(name, number, doc_id, fld, "missing field", "schema"))
            continue
        items, err = _check(feature[fld], rec[fld], fld, len(gold.texts[doc_id]))
        if err:
            problems.append(Problem(name, number, doc_id, err.split(":", 1)[0], err.split(": ", 1)[1], "schema"))
            continue
        if task.matched_by:
            keys = [it[task.matched_by] for it in items]
            gold_keys = {it[task.matched_by] for it in gold.rows[doc_id][fld]}
            bad = next((k for k in keys if k not in gold_keys), None)
            if bad is not None or len(set(keys)) != len(keys):
                what = f"unknown {task.matched_by} {bad!r}" if bad is not None else f"duplicate {task.matched_by}"
                problems.append(Problem(name, number, doc_id, f"{fld}.{task.matched_by}", what, "unknown-id"))
                continue
        out[doc_id] = {"id": doc_id, fld: items}
    missing = sorted(set(gold.rows) - set(out) - {p.doc_id for p in problems if p.doc_id})
    return Predictions(out, sha, problems, missing)


# ------------------------------------------------------------------ per-task scoring

def _aliases(doc: dict, entity_id: str | None) -> tuple[set[str], list[tuple[int, int]]]:
    """Names (casefolded) and mention spans of an entity in a gold document."""
    if entity_id is None:
        return set(), []
    ent = next((e for e in doc["entities"] if e["id"] == entity_id), None)
    names = {ent["name"].casefold()} if ent else set()
    spans = [(m["start"], m["end"]) for m in doc["mentions"] if m["entity"] == entity_id]
    names |= {doc["text"][s:e].casefold() for s, e in spans}
    return names, spans


def _entity_of_name(doc: dict, name: str | None) -> str | None:
    """The gold entity a predicted name refers to (canonical name or any mention text), or a marker."""
    if name is None:
        return None
    key = name.casefold().strip()
    for e in sorted(doc["entities"], key=lambda e: e["id"]):
        names, _ = _aliases(doc, e["id"])
        if key in names:
            return e["id"]
    return "?" + key


def _prf_dict(tp: float, n_pred: float, n_gold: float, prefix: str) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {f"{prefix}precision": p, f"{prefix}recall": r, f"{prefix}f1": f}


def _f1_of(counts) -> float:
    tp, n_pred, n_gold = counts[0], counts[1], counts[2]
    return 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0


def _acc_of(counts) -> float:
    return counts[0] / counts[1] if counts[1] else 0.0


def _f_avg_of(counts) -> float:
    """Mean F1 of favour and against; a class absent from gold and predictions scores 1.0 (as sklearn's zero_division=1)."""
    f = []
    for k in (0, 3):
        tp, fp, fn = counts[k], counts[k + 1], counts[k + 2]
        f.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0)
    return (f[0] + f[1]) / 2


STATISTICS: dict[str, Callable] = {
    "mentions": M.span_f1_statistic("strict"),
    "quotes": M.token_overlap_f1_from_counts,
    "attribution": _acc_of,
    "locations": _f1_of,
    "stances": _f_avg_of,
    "demands": _f1_of,
}


def _pred_items(gold: Gold, preds: dict[str, dict], doc_id: str) -> list[dict]:
    return preds.get(doc_id, {}).get(gold.task.field, [])


def score_mentions(gold: Gold, preds: dict[str, dict], ids: list[str]):
    g = [(d, m["start"], m["end"], m["type"]) for d in ids for m in gold.rows[d]["mentions"]]
    p = [(d, m["start"], m["end"], m["type"]) for d in ids for m in _pred_items(gold, preds, d)]
    s = M.span_scores(g, p)
    scores = {"strict_f1": s.strict.f1, "strict_precision": s.strict.precision, "strict_recall": s.strict.recall,
              "exact_f1": s.exact.f1, "partial_f1": s.partial.f1, "ent_type_f1": s.ent_type.f1}
    for label in ("PER", "ORG", "GPE", "LOC"):
        scores[f"f1_{label}"] = s.per_label[label]["strict"].f1 if label in s.per_label else 0.0
    _, per_doc = M.span_counts_by_doc(g, p, "strict", doc_ids=ids)
    counts = {scheme: {k: getattr(getattr(s, scheme), k) for k in ("correct", "incorrect", "partial", "missed", "spurious")}
              for scheme in ("strict", "exact", "partial", "ent_type")}
    return scores["strict_f1"], scores, per_doc, counts


def _quote_items(gold: Gold, preds, ids, side: str):
    out = []
    for d in ids:
        items = gold.rows[d]["quotes"] if side == "gold" else _pred_items(gold, preds, d)
        for i, q in enumerate(items):
            spans = tuple((c["start"], c["end"]) for c in q["content"])
            if spans:
                out.append(M.QuoteItem(d, spans, q["type"], f"{side}{i}"))
    return out


def score_quotes(gold: Gold, preds, ids):
    g, p = _quote_items(gold, preds, ids, "gold"), _quote_items(gold, preds, ids, "pred")
    texts = {d: gold.texts[d] for d in ids}
    overlap = M.token_overlap_f1(g, p, texts)
    strict = M.quote_strict_f1(g, p)
    types = M.type_accuracy_on_matched(g, p, M.match_quotes(g, p, texts))
    _, per_doc = M.token_overlap_counts_by_doc(g, p, texts, doc_ids=ids)
    scores = {"overlap_f1": overlap.f1, "overlap_precision": overlap.precision, "overlap_recall": overlap.recall,
              "strict_f1": strict.f1, "type_accuracy": types.accuracy}
    return overlap.f1, scores, per_doc, {"gold_quotes": len(g), "predicted_quotes": len(p), "matched": overlap.n_matched}


def score_attribution(gold: Gold, preds, ids):
    per_doc = np.zeros((len(ids), 4))
    for row, d in enumerate(ids):
        doc = gold.docs[d]
        speaker_of = {q["id"]: q for q in doc["quotes"]}
        predicted = {q["quote_id"]: q for q in _pred_items(gold, preds, d)}
        for q in gold.rows[d]["quotes"]:
            gq = speaker_of[q["quote_id"]]
            pq = predicted.get(q["quote_id"])
            if pq is None:  # no prediction for this quote: wrong, whatever the gold says
                per_doc[row] += (0, 1, 0, 0)
                continue
            names, spans = _aliases(doc, gq["speaker"])
            sp = pq.get("speaker")
            if gq["speaker"] is None:
                ok = sp is None and not pq.get("speaker_name")
            else:
                ok = bool((sp and any(sp["start"] < e and s < sp["end"] for s, e in spans))
                          or (pq.get("speaker_name") and pq["speaker_name"].casefold().strip() in names))
            inter_names, _ = _aliases(doc, gq["intermediary"])
            pin = pq.get("intermediary_name")
            inter_ok = (pin is None and gq["intermediary"] is None) or (pin is not None and pin.casefold().strip() in inter_names)
            per_doc[row] += (ok, 1, ok and inter_ok, inter_ok)
    total = per_doc.sum(axis=0)
    n = total[1]
    scores = {"accuracy": total[0] / n if n else 0.0, "accuracy_with_intermediary": total[2] / n if n else 0.0,
              "intermediary_accuracy": total[3] / n if n else 0.0}
    return scores["accuracy"], scores, per_doc[:, :2], {"quotes": int(n), "correct": int(total[0])}


@lru_cache(maxsize=1)
def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def score_locations(gold: Gold, preds, ids):
    coords = city_coordinates()
    per_doc = np.zeros((len(ids), 3))
    span_tp = id_same = near = with_coords = 0
    n_pred = n_gold = 0
    for row, d in enumerate(ids):
        g = {(x["start"], x["end"]): x["geonames"] for x in gold.rows[d]["locations"]}
        p = {(x["start"], x["end"]): x["geonames"] for x in _pred_items(gold, preds, d)}
        tp = sum(1 for k, v in p.items() if k in g and g[k] == v)
        per_doc[row] = (tp, len(p), len(g))
        n_pred += len(p)
        n_gold += len(g)
        for k in set(g) & set(p):
            span_tp += 1
            id_same += g[k] == p[k]
            if g[k] in coords and p[k] in coords:
                with_coords += 1
                near += _km(coords[g[k]], coords[p[k]]) <= 161
    tp = per_doc[:, 0].sum()
    scores = {"span_id_f1": _f1_of((tp, n_pred, n_gold)), "span_f1": _f1_of((span_tp, n_pred, n_gold)),
              "id_accuracy": id_same / span_tp if span_tp else 0.0, "accuracy_161km": near / with_coords if with_coords else 0.0}
    return scores["span_id_f1"], scores, per_doc, {"gold": n_gold, "predicted": n_pred, "span_matches": span_tp,
                                                    "matches_with_coordinates": with_coords}


def score_stances(gold: Gold, preds, ids):
    per_doc = np.zeros((len(ids), 6))
    all_g, all_p = [], []
    for row, d in enumerate(ids):
        predicted = {s["stance_id"]: s["polarity"] for s in _pred_items(gold, preds, d)}
        for s in gold.rows[d]["stances"]:
            g, p = s["polarity"], predicted.get(s["stance_id"])
            all_g.append(g)
            all_p.append(p or "missing")
            for k, label in ((0, "favour"), (3, "against")):
                per_doc[row, k] += g == label and p == label
                per_doc[row, k + 1] += g != label and p == label
                per_doc[row, k + 2] += g == label and p != label
    from sklearn.metrics import accuracy_score, f1_score
    labels = ["favour", "against", "neutral"]
    # zero_division=1: a class absent from both gold and predictions does not count as an error
    per_class = f1_score(all_g, all_p, labels=labels, average=None, zero_division=1.0) if all_g else [0.0] * 3
    scores = {"f_avg": (per_class[0] + per_class[1]) / 2,
              "macro_f1": float(np.mean(per_class)),
              "accuracy": accuracy_score(all_g, all_p) if all_g else 0.0,
              **{f"f1_{lab}": float(v) for lab, v in zip(labels, per_class)}}
    return scores["f_avg"], scores, per_doc, {"stances": len(all_g), "predicted": sum(p != "missing" for p in all_p)}


def score_demands(gold: Gold, preds, ids):
    g_items, p_items = [], []
    for d in ids:
        doc = gold.docs[d]
        for i, x in enumerate(gold.rows[d]["demands"]):
            g_items.append((d, _entity_of_name(doc, x["claimant"]), _entity_of_name(doc, x["addressee"]),
                            ((x["action"]["start"], x["action"]["end"]),), f"g{i}"))
        for i, x in enumerate(_pred_items(gold, preds, d)):
            action = ((x["action"]["start"], x["action"]["end"]),) if x.get("action") else ()
            p_items.append((d, _entity_of_name(doc, x["claimant"]), _entity_of_name(doc, x["addressee"]), action, f"p{i}"))
    t = M.tuple_f1(g_items, p_items)
    per_doc = np.zeros((len(ids), 3))
    index = {d: k for k, d in enumerate(ids)}
    for d in ids:
        dt = M.tuple_f1([x for x in g_items if x[0] == d], [x for x in p_items if x[0] == d])
        per_doc[index[d]] = (dt.overall.n_matched, dt.overall.n_pred, dt.overall.n_gold)
    scores = {"tuple_f1": t.overall.f1, "tuple_precision": t.overall.precision, "tuple_recall": t.overall.recall,
              "claimant_f1": t.claimant.f1, "addressee_f1": t.addressee.f1, "action_f1": t.action.f1}
    return t.overall.f1, scores, per_doc, {"gold": len(g_items), "predicted": len(p_items), "matched": t.overall.n_matched}


SCORERS = {"mentions": score_mentions, "quotes": score_quotes, "attribution": score_attribution,
           "locations": score_locations, "stances": score_stances, "demands": score_demands}


def _round(x):
    if isinstance(x, float):
        return round(x, DIGITS)
    if isinstance(x, dict):
        return {k: _round(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_round(v) for v in x]
    if isinstance(x, np.generic):
        return _round(x.item())
    return x


def score(gold: Gold, predictions: Predictions, system: str | None = None) -> dict:
    """The results record: main score, all scores, bootstrap CI, counts and per-document statistics."""
    task = gold.task
    ids = sorted(gold.rows)
    main, scores, per_doc, counts = SCORERS[task.name](gold, predictions.rows, ids)
    per_doc = np.asarray(per_doc, dtype=float)
    low, high = M.bootstrap_ci(per_doc, STATISTICS[task.name], n_resamples=N_RESAMPLES, seed=SEED) if len(ids) else (0.0, 0.0)
    return _round({
        "main_score": float(main),
        "task": task.name, "task_version": task.version, "main_score_name": task.main_score,
        "split": gold.split, "dataset_revision": gold.revision,
        "itapol_version": __version__, "schema_version": SCHEMA_VERSION,
        "system": system,
        "scores": {k: float(v) for k, v in scores.items()},
        "confidence_interval": {"main_score": [float(low), float(high)], "level": 0.95, "method": "percentile bootstrap over documents",
                                "resamples": N_RESAMPLES, "seed": SEED},
        "counts": {**counts, "documents": len(ids), "documents_without_predictions": len(predictions.missing)},
        "predictions_sha256": predictions.sha256,
        "per_document": {d: {"statistics": per_doc[k].tolist(), "score": float(STATISTICS[task.name](per_doc[k]))} for k, d in enumerate(ids)},
    })


def results_json(results: dict) -> str:
    return json.dumps(results, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def compare(a: dict, b: dict) -> dict:
    """Paired bootstrap (Koehn 2004, one-sided) between two results files of one task, split and revision."""
    for key in ("task", "task_version", "split", "dataset_revision"):
        if a[key] != b[key]:
            raise ValueError(f"results differ in {key}: {a[key]!r} vs {b[key]!r}; they cannot be compared")
    ids = sorted(a["per_document"])
    if ids != sorted(b["per_document"]):
        raise ValueError("results cover different documents")
    pa_ = np.array([a["per_document"][d]["statistics"] for d in ids])
    pb_ = np.array([b["per_document"][d]["statistics"] for d in ids])
    stat = STATISTICS[a["task"]]
    better_a = a["main_score"] >= b["main_score"]
    p = M.paired_bootstrap(pa_, pb_, stat, n_resamples=N_RESAMPLES, seed=SEED) if better_a else M.paired_bootstrap(pb_, pa_, stat, n_resamples=N_RESAMPLES, seed=SEED)
    return _round({"task": a["task"], "split": a["split"], "dataset_revision": a["dataset_revision"],
                   "a": {"system": a.get("system"), "main_score": a["main_score"]},
                   "b": {"system": b.get("system"), "main_score": b["main_score"]},
                   "difference": a["main_score"] - b["main_score"], "better": "a" if better_a else "b",
                   "p_value": float(p), "method": "paired bootstrap over documents (Koehn 2004), one-sided",
                   "resamples": N_RESAMPLES, "seed": SEED})
