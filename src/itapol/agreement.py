"""Inter-annotator agreement between two annotations of the same documents.

Per layer: span F1 with exact and overlap matching (mentions, quote contents, cues,
locations, demand actions); attribution agreement (same speaker on matched quotes); Cohen's
kappa for stance polarity on matched holder-target pairs. Entity ids are local to an
annotator, so entities are aligned through their mentions first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sklearn.metrics import cohen_kappa_score

from itapol.schema import Document

Span = tuple[int, int]


@dataclass(frozen=True)
class PairCounts:
    matched: int
    a: int
    b: int

    @property
    def f1(self) -> float:
        return 2 * self.matched / (self.a + self.b) if self.a + self.b else 1.0

    def __add__(self, other: "PairCounts") -> "PairCounts":
        return PairCounts(self.matched + other.matched, self.a + other.a, self.b + other.b)


ZERO = PairCounts(0, 0, 0)


def overlaps(x: Span, y: Span) -> bool:
    return x[0] < y[1] and y[0] < x[1]


def match(a: list, b: list, same) -> list[tuple[int, int]]:
    """Greedy one-to-one matching in order: each item of ``a`` takes the first free ``b`` it matches."""
    used: set[int] = set()
    pairs = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if j not in used and same(x, y):
                used.add(j)
                pairs.append((i, j))
                break
    return pairs


def span_counts(a: list, b: list, key, mode: str) -> PairCounts:
    same = (lambda x, y: key(x) == key(y)) if mode == "exact" else (lambda x, y: overlaps(key(x), key(y)))
    return PairCounts(len(match(a, b, same)), len(a), len(b))


def align_entities(a: Document, b: Document) -> dict[str, str]:
    """Map each entity of ``a`` to the entity of ``b`` sharing most (overlapping) mentions."""
    votes: Counter = Counter()
    for ma in a.mentions:
        for mb in b.mentions:
            if overlaps((ma.span.start, ma.span.end), (mb.span.start, mb.span.end)):
                votes[(ma.entity, mb.entity)] += 1
    out: dict[str, str] = {}
    taken: set[str] = set()
    for (ea, eb), _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
        if ea not in out and eb not in taken:
            out[ea] = eb
            taken.add(eb)
    return out


def _sp(s) -> Span:
    return (s.start, s.end)


def _content(q) -> Span:
    return (min(s.start for s in q.content), max(s.end for s in q.content))


def compare(a: Document, b: Document) -> dict:
    """All agreement counts for one document annotated twice."""
    ent = align_entities(a, b)
    out: dict = {}
    names_a = [m for m in a.mentions if m.form == "name"]
    names_b = [m for m in b.mentions if m.form == "name"]
    for mode in ("exact", "overlap"):
        out[f"mentions_{mode}"] = span_counts(names_a, names_b, lambda m: _sp(m.span), mode)
        out[f"quotes_{mode}"] = span_counts(a.quotes, b.quotes, _content, mode)
        out[f"cues_{mode}"] = span_counts([q for q in a.quotes if q.cue], [q for q in b.quotes if q.cue], lambda q: _sp(q.cue), mode)
        out[f"locations_{mode}"] = span_counts(a.locations, b.locations, lambda x: _sp(x.span), mode)
        out[f"demands_{mode}"] = span_counts(a.demands, b.demands, lambda d: _sp(d.action.span), mode)
    type_a = {m.entity: e.type for e in a.entities for m in a.mentions if m.entity == e.id}
    type_b = {e.id: e.type for e in b.entities}
    typed = match(names_a, names_b, lambda x, y: _sp(x.span) == _sp(y.span) and type_a.get(x.entity) == type_b.get(y.entity))
    out["mentions_typed"] = PairCounts(len(typed), len(names_a), len(names_b))
    qpairs = match(a.quotes, b.quotes, lambda x, y: overlaps(_content(x), _content(y)))
    same_speaker = sum(1 for i, j in qpairs if a.quotes[i].speaker is not None and ent.get(a.quotes[i].speaker) == b.quotes[j].speaker
                       or (a.quotes[i].speaker is None and b.quotes[j].speaker is None))
    same_type = sum(1 for i, j in qpairs if a.quotes[i].type == b.quotes[j].type)
    same_inter = sum(1 for i, j in qpairs if (ent.get(a.quotes[i].intermediary) if a.quotes[i].intermediary else None) == b.quotes[j].intermediary)
    out["attribution"] = (same_speaker, len(qpairs))
    out["quote_type"] = (same_type, len(qpairs))
    out["intermediary"] = (same_inter, len(qpairs))
    lpairs = match(a.locations, b.locations, lambda x, y: _sp(x.span) == _sp(y.span))
    out["geonames"] = (sum(1 for i, j in lpairs if a.locations[i].geonames == b.locations[j].geonames), len(lpairs))

    def target(s, mapping):
        t = s.target
        return ("p", t.proposition) if hasattr(t, "proposition") else ("e", mapping.get(t.entity) if mapping is not None else t.entity)

    st_pairs = match(a.stances, b.stances, lambda x, y: ent.get(x.holder) == y.holder and target(x, ent) == target(y, None))
    out["stance_pairs"] = [(a.stances[i].polarity, b.stances[j].polarity) for i, j in st_pairs]
    out["stances_matched"] = PairCounts(len(st_pairs), len(a.stances), len(b.stances))
    return out


def aggregate(per_doc: list[dict]) -> dict:
    """Sum counts over documents and turn them into the reported figures."""
    report: dict = {"documents": len(per_doc)}
    keys = [k for k, v in per_doc[0].items() if isinstance(v, PairCounts)] if per_doc else []
    for k in keys:
        total = sum((d[k] for d in per_doc), ZERO)
        report[k] = {"f1": round(total.f1, 4), "agreed": total.matched, "a": total.a, "b": total.b}
    for k in ("attribution", "quote_type", "intermediary", "geonames"):
        agree = sum(d[k][0] for d in per_doc)
        n = sum(d[k][1] for d in per_doc)
        report[k] = {"accuracy": round(agree / n, 4) if n else None, "agreed": agree, "pairs": n}
    pairs = [p for d in per_doc for p in d["stance_pairs"]]
    la, lb = [p[0] for p in pairs], [p[1] for p in pairs]
    kappa = cohen_kappa_score(la, lb, labels=["favour", "against", "neutral"]) if len(set(la) | set(lb)) > 1 else (1.0 if pairs else None)
    report["stance_polarity"] = {"kappa": None if kappa is None else round(float(kappa), 4), "pairs": len(pairs),
                                 "observed_agreement": round(sum(x == y for x, y in pairs) / len(pairs), 4) if pairs else None}
    return report
