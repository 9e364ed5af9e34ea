"""External check: our named mentions against KIND's own PER/LOC/ORG tags.

KIND's tags are CC BY-NC: they are read from the upstream files at run time, used only for
this comparison, and the report holds counts only (no tagged strings), so nothing of them is
published. Our GPE and LOC both map to KIND's LOC.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from itapol import kind
from itapol.metrics import span_scores
from itapol.schema import Document
from itapol.sources import SourceSpec, fetch

TYPE_MAP = {"PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}


def bio_spans(article: kind.Article) -> list[tuple[int, int, str]]:
    """Character spans of KIND's BIO tags in the rebuilt text (an I- without B- starts a span)."""
    spans: list[tuple[int, int, str]] = []
    current: list | None = None
    for tok, s, e in zip(article.tokens, article.starts, article.ends):
        prefix, _, label = tok.tag.partition("-")
        if prefix == "B" or (prefix == "I" and (current is None or current[2] != label)):
            if current:
                spans.append(tuple(current))
            current = [s, e, label]
        elif prefix == "I":
            current[1] = e
        else:
            if current:
                spans.append(tuple(current))
            current = None
    if current:
        spans.append(tuple(current))
    return spans


def kind_spans(spec: SourceSpec, sources_dir: Path | None, ids: set[str]) -> dict[str, list[tuple[int, int, str]]]:
    out = {}
    for f in spec.files:
        data = fetch(spec, f, sources_dir).read_bytes().decode("utf-8")
        for art in kind.rebuild(data, f.path.split("/", 1)[-1]):
            if art.id in ids:
                out[art.id] = bio_spans(art)
    return out


def our_spans(doc: Document) -> list[tuple[int, int, str]]:
    types = {e.id: TYPE_MAP[e.type] for e in doc.entities}
    return sorted((m.span.start, m.span.end, types[m.entity]) for m in doc.mentions if m.form == "name")


def compare(docs: list[Document], theirs: dict[str, list[tuple[int, int, str]]]) -> dict:
    """Scores (KIND as gold, ours as prediction) and a count-only analysis of disagreements."""
    gold = [(d.id, s, e, t) for d in docs for s, e, t in theirs.get(d.id, [])]
    pred = [(d.id, s, e, t) for d in docs for s, e, t in our_spans(d)]
    scores = span_scores(gold, pred)
    analysis: Counter = Counter()
    by_doc_g: dict[str, list] = {}
    for doc_id, s, e, t in gold:
        by_doc_g.setdefault(doc_id, []).append((s, e, t))
    by_doc_p: dict[str, list] = {}
    for doc_id, s, e, t in pred:
        by_doc_p.setdefault(doc_id, []).append((s, e, t))
    for doc_id in sorted(set(by_doc_g) | set(by_doc_p)):
        g, p = by_doc_g.get(doc_id, []), by_doc_p.get(doc_id, [])
        exact = {(s, e): t for s, e, t in g}
        for s, e, t in p:
            if (s, e) in exact:
                analysis["same span, same type" if exact[(s, e)] == t else f"same span, type KIND {exact[(s, e)]} vs ours {t}"] += 1
            elif any(s < ge and gs < e for gs, ge, _ in g):
                gs, ge, _ = next(x for x in g if s < x[1] and x[0] < e)
                analysis["overlap, ours longer" if (e - s) > (ge - gs) else "overlap, ours shorter or shifted"] += 1
            else:
                analysis[f"only ours ({t})"] += 1
        for s, e, t in g:
            if not any(s < pe and ps < e for ps, pe, _ in p):
                analysis[f"only KIND ({t})"] += 1
    per_label = {label: round(sch["strict"].f1, 4) for label, sch in scores.per_label.items()}
    return {"documents": len(docs), "kind_mentions": len(gold), "our_named_mentions": len(pred),
            "strict_f1": round(scores.strict.f1, 4), "exact_boundary_f1": round(scores.exact.f1, 4),
            "partial_f1": round(scores.partial.f1, 4), "type_f1": round(scores.ent_type.f1, 4),
            "strict_f1_per_type": per_label, "disagreements": dict(sorted(analysis.items(), key=lambda kv: -kv[1]))}
