"""Pure metrics core for itapol: spans, quotes, stance, demands and bootstrap.

Everything here is a plain function over plain data (no I/O, no itapol imports)
and is deterministic.  Results are frozen dataclasses whose ``as_dict()`` gives
plain ints/floats in a stable key order.

Spans are ``(doc_id, start, end, label)`` with half-open ``[start, end)``
character offsets.

Span scoring reproduces nervaluate 1.2.1 (SemEval-2013 Task 9.1 / MUC counting)
exactly.  Things a user of these numbers must know about that counting:

* nervaluate's ``end`` is *inclusive*; ours is exclusive.  Feeding nervaluate
  ``end - 1`` gives identical numbers.  Empty spans (``start >= end``) are
  rejected: nervaluate would divide by zero on them.
* Matching is greedy and order dependent.  Predictions are visited in list
  order; each one consumes at most one still-unmatched gold span, and a gold
  consumed by an INCORRECT/PARTIAL match is no longer available, so a later
  exact prediction of the same gold becomes SPURIOUS.  By default we visit the
  spans of each document sorted by ``(start, end, label)`` (gold likewise), so
  scores do not depend on input order and equal nervaluate fed sorted lists;
  ``keep_input_order=True`` reproduces nervaluate on the lists as given.
* A prediction overlapping several gold spans: in ``strict``/``exact``/
  ``partial`` an exact-boundary (plus same type for ``strict``) unmatched gold
  anywhere in the document wins, otherwise the *first* unmatched overlapping
  gold in list order is taken (INCORRECT/PARTIAL) and the others stay available
  (typically ending as MISSED).  In ``ent_type`` the unmatched same-type gold
  with the smallest ``|Δstart| + |Δend|`` wins (ties: first in list order),
  else the first overlapping gold of another type (INCORRECT).
* "Overlap" means ``overlap_chars / gold_length * 100 >= min_overlap_percentage``
  (default 1.0), relative to the *gold* length only: a prediction touching one
  character of a gold span longer than 100 characters is not an overlap.
* Each prediction is exactly one of COR/INC/PAR/SPU and each gold is matched
  or MISSED, so ``actual == #pred`` and ``possible == #gold``.  ``strict``
  precision/recall therefore equal CoNLL/seqeval exact-match scores whenever
  predictions do not overlap one another; overlapping predictions can score
  lower than seqeval (see the consumption rule above).
* ``partial`` and ``exact`` make identical matchings (PARTIAL replaces
  INCORRECT); ``partial`` and ``ent_type`` use ``(COR + 0.5 * PAR) / ACT``,
  ``ent_type`` never has PARTIAL.
* Zero denominators give 0.0, so empty gold *and* empty prediction score 0.0,
  not 1.0.
* Per-label results re-run the matching on the spans of one label only, so
  per-label counts do not sum to the overall counts (overall ``strict`` counts
  a type error as INCORRECT; per label it is a SPURIOUS plus a MISSED).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from operator import itemgetter
from typing import Literal, NamedTuple, TypeAlias, TypeVar

import numpy as np
import numpy.typing as npt

Span: TypeAlias = tuple[str, int, int, str]
CharSpan: TypeAlias = tuple[int, int]
Scheme: TypeAlias = Literal["strict", "exact", "partial", "ent_type"]
IntArray: TypeAlias = npt.NDArray[np.int64]
T = TypeVar("T")

SCHEMES: tuple[Scheme, ...] = ("strict", "exact", "partial", "ent_type")
PARTIAL_CREDIT_SCHEMES: frozenset[str] = frozenset({"partial", "ent_type"})
# Column order of every per-document span count matrix.
SPAN_COUNT_COLUMNS: tuple[str, ...] = ("correct", "incorrect", "partial", "missed", "spurious")
# Column order of the per-document token-overlap matrix.
OVERLAP_COUNT_COLUMNS: tuple[str, ...] = ("precision_sum", "n_pred", "recall_sum", "n_gold")
STANCE_LABELS: tuple[str, ...] = ("favour", "against", "neutral")
TOKEN_PATTERN: re.Pattern[str] = re.compile(r"\w+|[^\w\s]")
DEFAULT_MIN_OVERLAP_PERCENTAGE: float = 1.0

# Per-prediction outcome codes (the missed column comes from gold).
_COR, _INC, _PAR, _SPU = 0, 1, 2, 3
_KEY_LIMIT = 2**62


# --------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------


def _prf(hits: float, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1 with nervaluate's expressions and 0.0 on zero division."""
    precision = hits / n_pred if n_pred > 0 else 0.0
    recall = hits / n_gold if n_gold > 0 else 0.0
    total = precision + recall
    f1 = 2 * (precision * recall) / total if total > 0 else 0.0
    return float(precision), float(recall), float(f1)


@dataclass(frozen=True)
class SchemeScores:
    """MUC/SemEval-2013 counts and scores of one scheme (nervaluate's EvaluationResult)."""

    correct: int
    incorrect: int
    partial: int
    missed: int
    spurious: int
    possible: int
    actual: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def from_counts(cls, counts: Sequence[int], partial_credit: bool) -> SchemeScores:
        """Build from ``[COR, INC, PAR, MIS, SPU]``; ``partial_credit`` adds 0.5 per PAR."""
        cor, inc, par, mis, spu = (int(c) for c in counts)
        actual = cor + inc + par + spu
        possible = cor + inc + par + mis
        hits = cor + 0.5 * par if partial_credit else cor
        precision, recall, f1 = _prf(hits, actual, possible)
        return cls(cor, inc, par, mis, spu, possible, actual, precision, recall, f1)

    def as_dict(self) -> dict[str, int | float]:
        """Plain dict in field order."""
        return asdict(self)


@dataclass(frozen=True)
class SpanScores:
    """All four schemes overall plus ``per_label[label][scheme]`` (labels sorted)."""

    strict: SchemeScores
    exact: SchemeScores
    partial: SchemeScores
    ent_type: SchemeScores
    per_label: Mapping[str, Mapping[str, SchemeScores]] = field(default_factory=dict)

    def scheme(self, name: Scheme) -> SchemeScores:
        """Overall scores of scheme ``name``."""
        return getattr(self, _check_scheme(name))

    def as_dict(self) -> dict[str, object]:
        """``{scheme: {...}, ..., "per_label": {label: {scheme: {...}}}}``."""
        out: dict[str, object] = {s: self.scheme(s).as_dict() for s in SCHEMES}
        out["per_label"] = {
            label: {s: by_scheme[s].as_dict() for s in SCHEMES}
            for label, by_scheme in self.per_label.items()
        }
        return out


@dataclass(frozen=True)
class PRF:
    """Precision/recall/F1 with the item counts they came from."""

    precision: float
    recall: float
    f1: float
    n_gold: int
    n_pred: int
    n_matched: int

    @classmethod
    def from_hits(cls, hits: int, n_pred: int, n_gold: int) -> PRF:
        """Micro P/R/F1 from a true-positive count."""
        return cls(*_prf(hits, n_pred, n_gold), n_gold=n_gold, n_pred=n_pred, n_matched=hits)

    def as_dict(self) -> dict[str, int | float]:
        """Plain dict in field order."""
        return asdict(self)


@dataclass(frozen=True)
class StanceScores:
    """SemEval-2016 Task 6 / SardiStance scores."""

    f_avg: float
    f1_favour: float
    f1_against: float
    macro_f1: float
    accuracy: float

    def as_dict(self) -> dict[str, float]:
        """Plain dict in field order."""
        return asdict(self)


@dataclass(frozen=True)
class TypeAccuracy:
    """Label agreement over matched pairs (0.0 when nothing matched)."""

    accuracy: float
    n_matched: int
    n_same: int

    def as_dict(self) -> dict[str, int | float]:
        """Plain dict in field order."""
        return asdict(self)


@dataclass(frozen=True)
class TupleScores:
    """Full-tuple matching plus claimant-, addressee- and action-only matching."""

    overall: PRF
    claimant: PRF
    addressee: PRF
    action: PRF

    @property
    def precision(self) -> float:
        """Full-tuple precision."""
        return self.overall.precision

    @property
    def recall(self) -> float:
        """Full-tuple recall."""
        return self.overall.recall

    @property
    def f1(self) -> float:
        """Full-tuple F1."""
        return self.overall.f1

    def as_dict(self) -> dict[str, dict[str, int | float]]:
        """``{"overall": {...}, "claimant": {...}, "addressee": {...}, "action": {...}}``."""
        return {f.name: getattr(self, f.name).as_dict() for f in fields(self)}


@dataclass(frozen=True)
class QuoteItem:
    """A (possibly discontinuous) quote: half-open character spans in one document."""

    doc_id: str
    spans: tuple[CharSpan, ...]
    label: str
    key: str

    def __post_init__(self) -> None:
        spans = tuple((int(s), int(e)) for s, e in self.spans)
        if any(s >= e for s, e in spans):
            raise ValueError(f"quote {self.key!r}: every span needs start < end, got {spans}")
        object.__setattr__(self, "spans", spans)


@dataclass(frozen=True)
class QuoteMatch:
    """One gold/pred quote pair of the one-to-one matching, with token counts."""

    doc_id: str
    gold_key: str
    pred_key: str
    overlap: int
    gold_tokens: int
    pred_tokens: int

    def as_dict(self) -> dict[str, str | int]:
        """Plain dict in field order."""
        return asdict(self)


class DemandItem(NamedTuple):
    """A demand tuple; any 5-tuple in this field order is accepted."""

    doc_id: str
    claimant: str
    addressee: str | None
    action_spans: tuple[CharSpan, ...]
    key: str


# --------------------------------------------------------------------------
# Span scoring (nervaluate-compatible)
#
# Hand-written on purpose: nervaluate compares every prediction with every gold
# span of its document, four times, and again per label, in pure Python.  At
# benchmark scale (1M gold x 1M predicted spans, 100 per document) it needs
# ~30 s, and much more with longer documents (quadratic per document), while
# its counting is exactly what we must report.  We therefore reproduce the
# counting with a sort-and-search join in numpy: the overlapping
# (pred, gold) pairs are found with two binary-search "stabbing" queries, the
# very common case of a prediction and a gold that overlap only each other is
# decided vectorised, and only predictions that compete for gold spans are
# replayed with nervaluate's greedy loop (restricted to their overlap lists).
# Time is O(n log n + overlapping pairs) and memory linear.
# --------------------------------------------------------------------------


class _SpanArrays(NamedTuple):
    """Column arrays of spans; ``group`` is a dense group id (doc, or doc x label)."""

    group: IntArray
    start: IntArray
    end: IntArray
    label: IntArray


class _Encoded(NamedTuple):
    """Spans as integer arrays in processing order, with the code tables."""

    docs: tuple[str, ...]
    labels: tuple[str, ...]
    gold: _SpanArrays
    pred: _SpanArrays


def _check_scheme(name: str) -> Scheme:
    """Validate a scheme name."""
    if name not in SCHEMES:
        raise ValueError(f"unknown scheme {name!r}; expected one of {SCHEMES}")
    return name  # type: ignore[return-value]


def _check_min_overlap(value: float) -> float:
    """Validate ``min_overlap_percentage`` as nervaluate does."""
    if not 1.0 <= value <= 100.0:
        raise ValueError("min_overlap_percentage must be between 1.0 and 100.0")
    return float(value)


def _int_column(values: Sequence[int], what: str) -> IntArray:
    """Integer column as int64, refusing floats/bools/objects."""
    arr = np.asarray(values)
    if arr.size and arr.dtype.kind not in "iu":
        raise TypeError(f"span {what} offsets must be integers, got dtype {arr.dtype}")
    return arr.astype(np.int64, copy=False).reshape(-1)


def _columns(spans: Iterable[Span]) -> tuple[list[str], IntArray, IntArray, list[str]]:
    """Split spans into doc, start, end, label columns and validate offsets."""
    rows = spans if isinstance(spans, Sequence) else tuple(spans)
    docs, starts, ends, labels = (list(map(itemgetter(k), rows)) for k in range(4))
    start, end = _int_column(starts, "start"), _int_column(ends, "end")
    if np.any(start >= end):
        bad = int(np.flatnonzero(start >= end)[0])
        raise ValueError(f"span {rows[bad]!r} is empty or reversed; need start < end")
    return docs, start, end, labels


def _codes(values: Sequence[str], table: Mapping[str, int], what: str) -> IntArray:
    """Map strings to codes through ``table``."""
    try:
        return np.fromiter(map(table.__getitem__, values), dtype=np.int64, count=len(values))
    except KeyError as err:
        raise ValueError(f"{what} {err.args[0]!r} is not in the given {what}s") from None


def _processing_order(arr: _SpanArrays, keep_input_order: bool) -> IntArray:
    """Permutation making groups contiguous, each in nervaluate list order.

    Sorted mode orders by (group, start, end, label), packed into one int64
    key when it fits (a stable sort is fast on nearly sorted input).
    """
    if keep_input_order or len(arr.start) == 0:
        return np.argsort(arr.group, kind="stable")
    low = int(arr.start.min())
    width = int(arr.start.max()) - low + 1
    longest = int((arr.end - arr.start).max())
    n_labels = int(arr.label.max()) + 1
    if (int(arr.group.max()) + 1) * width * longest * n_labels >= _KEY_LIMIT:
        return np.lexsort((arr.label, arr.end, arr.start, arr.group))
    key = ((arr.group * width + (arr.start - low)) * longest + (arr.end - arr.start - 1)) * n_labels + arr.label
    return np.argsort(key, kind="stable")


def _permute(arr: _SpanArrays, order: IntArray) -> _SpanArrays:
    """Apply a permutation to every column."""
    return _SpanArrays(*(col[order] for col in arr))


def _encode(
    gold: Iterable[Span],
    pred: Iterable[Span],
    labels: Collection[str] | None,
    doc_ids: Sequence[str] | None,
    keep_input_order: bool,
) -> _Encoded:
    """Encode both span lists with shared doc/label tables; group = doc."""
    g_docs, g_start, g_end, g_labels = _columns(gold)
    p_docs, p_start, p_end, p_labels = _columns(pred)
    if doc_ids is None:
        docs = tuple(sorted(set(g_docs).union(p_docs)))
    else:
        docs = tuple(doc_ids)
        if len(set(docs)) != len(docs):
            raise ValueError("doc_ids contains duplicates")
    doc_table = {d: i for i, d in enumerate(docs)}
    seen = set(g_labels).union(p_labels)
    names = tuple(sorted(seen if labels is None else seen.intersection(labels)))
    label_table = {name: i for i, name in enumerate(names)}
    dropped = {name: -1 for name in seen.difference(names)}
    full_table = {**label_table, **dropped}
    arrays = []
    for d, s, e, lab in ((g_docs, g_start, g_end, g_labels), (p_docs, p_start, p_end, p_labels)):
        arr = _SpanArrays(_codes(d, doc_table, "doc_id"), s, e, _codes(lab, full_table, "label"))
        arr = _permute(arr, np.flatnonzero(arr.label >= 0))
        arrays.append(_permute(arr, _processing_order(arr, keep_input_order)))
    return _Encoded(docs, names, arrays[0], arrays[1])


def _by_doc_and_label(enc: _Encoded) -> tuple[_SpanArrays, _SpanArrays, IntArray]:
    """Regroup by (doc, label), keeping within-group order; returns label of each group."""
    n_labels = max(len(enc.labels), 1)
    g_key = enc.gold.group * n_labels + enc.gold.label
    p_key = enc.pred.group * n_labels + enc.pred.label
    uniq, inverse = np.unique(np.concatenate([g_key, p_key]), return_inverse=True)
    inverse = inverse.reshape(-1)
    n_gold = len(g_key)
    regrouped = []
    for arr, group in ((enc.gold, inverse[:n_gold]), (enc.pred, inverse[n_gold:])):
        arr = arr._replace(group=group.astype(np.int64))
        regrouped.append(_permute(arr, np.argsort(arr.group, kind="stable")))
    return regrouped[0], regrouped[1], (uniq % n_labels).astype(np.int64)


def _join_keys(gold: _SpanArrays, pred: _SpanArrays) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Monotone int64 keys ``group * width + offset`` for gold starts/ends and pred starts/ends."""
    groups = (gold.group, gold.group, pred.group, pred.group)
    coords = (gold.start, gold.end, pred.start, pred.end)
    n_groups = max(int(gold.group.max()), int(pred.group.max())) + 1
    low = min(int(c.min()) for c in coords)
    width = max(int(c.max()) for c in coords) - low + 1
    if n_groups * width >= _KEY_LIMIT:  # huge offsets: rank-compress them
        points = np.unique(np.concatenate(coords))
        coords = tuple(np.searchsorted(points, c) for c in coords)
        low, width = 0, len(points)
        if n_groups * width >= _KEY_LIMIT:
            raise OverflowError("too many documents x distinct offsets to index")
    g_lo, g_hi, p_lo, p_hi = (g * width + (c - low) for g, c in zip(groups, coords))
    return g_lo, g_hi, p_lo, p_hi


def _expand_ranges(lo: IntArray, hi: IntArray) -> tuple[IntArray, IntArray]:
    """All pairs ``(i, j)`` with ``lo[i] <= j < hi[i]``, grouped by ``i``."""
    counts = np.maximum(hi - lo, 0)
    owner = np.repeat(np.arange(len(lo), dtype=np.int64), counts)
    shift = np.repeat(np.cumsum(counts) - counts - lo, counts)
    return owner, np.arange(int(counts.sum()), dtype=np.int64) - shift


def _intersecting_pairs(gold: _SpanArrays, pred: _SpanArrays) -> tuple[IntArray, IntArray]:
    """Every same-group (pred, gold) index pair whose ranges intersect, each exactly once.

    An intersecting pair either has the gold starting strictly inside the
    prediction, or the prediction starting inside ``[gold.start, gold.end)``;
    both are contiguous ranges of a start-sorted array.
    """
    g_lo, g_hi, p_lo, p_hi = _join_keys(gold, pred)
    g_order = np.argsort(g_lo, kind="stable")
    p_order = np.argsort(p_lo, kind="stable")
    g_sorted, p_sorted = g_lo[g_order], p_lo[p_order]
    pred_a, pos_a = _expand_ranges(
        np.searchsorted(g_sorted, p_lo, "right"), np.searchsorted(g_sorted, p_hi, "left"))
    gold_b, pos_b = _expand_ranges(
        np.searchsorted(p_sorted, g_lo, "left"), np.searchsorted(p_sorted, g_hi, "left"))
    return np.concatenate([pred_a, p_order[pos_b]]), np.concatenate([g_order[pos_a], gold_b])


def _sufficient_overlap_pairs(
    gold: _SpanArrays, pred: _SpanArrays, min_pct: float
) -> tuple[IntArray, IntArray]:
    """Pairs whose overlap nervaluate accepts: ``(overlap / gold_len) * 100.0 >= min_pct``."""
    p_idx, g_idx = _intersecting_pairs(gold, pred)
    overlap = np.minimum(pred.end[p_idx], gold.end[g_idx]) - np.maximum(pred.start[p_idx], gold.start[g_idx])
    gold_len = gold.end[g_idx] - gold.start[g_idx]
    keep = (overlap / gold_len) * 100.0 >= min_pct  # same float expression as nervaluate
    return p_idx[keep], g_idx[keep]


def _replay_greedy(
    runs: Sequence[tuple[int, int]],
    golds: Sequence[int],
    typed_exact: Sequence[bool],
    exact: Sequence[bool],
    same: Sequence[bool],
    dist: Sequence[int],
) -> tuple[tuple[list[int], set[int]], ...]:
    """Replay nervaluate's greedy loops for strict, exact and ent_type in one pass.

    ``runs[i]`` is the slice of the edge lists for the i-th prediction (in
    processing order); ``golds`` are its candidate golds in list order.
    strict/exact take a free gold with an exact match (typed for strict) if
    any, else the first free candidate; ent_type takes the free same-type
    candidate with the smallest boundary distance (first on ties), else the
    first free other-type candidate.  Returns (outcomes, taken golds) per scheme.
    """
    results = tuple(([], set()) for _ in range(3))
    (out_s, taken_s), (out_e, taken_e), (out_t, taken_t) = results
    for a, b in runs:
        pick_s = first_s = pick_e = first_e = best_t = other_t = -1
        best_dist = 0
        for k in range(a, b):
            g = golds[k]
            if pick_s < 0 and g not in taken_s:
                if typed_exact[k]:
                    pick_s = g
                elif first_s < 0:
                    first_s = g
            if pick_e < 0 and g not in taken_e:
                if exact[k]:
                    pick_e = g
                elif first_e < 0:
                    first_e = g
            if g not in taken_t:
                if same[k]:
                    if best_t < 0 or dist[k] < best_dist:
                        best_t, best_dist = g, dist[k]
                elif other_t < 0:
                    other_t = g
        for pick, fallback, out, taken in (
            (pick_s, first_s, out_s, taken_s),
            (pick_e, first_e, out_e, taken_e),
            (best_t, other_t, out_t, taken_t),
        ):
            if pick >= 0:
                out.append(_COR)
                taken.add(pick)
            elif fallback >= 0:
                out.append(_INC)
                taken.add(fallback)
            else:
                out.append(_SPU)
    return results


def _match_outcomes(
    gold: _SpanArrays, pred: _SpanArrays, min_pct: float
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.bool_]]:
    """Per-scheme outcome of every prediction and matched flag of every gold.

    Arrays must be in processing order within each group.  Returns
    ``pred_outcome[4, n_pred]`` (COR/INC/PAR/SPU codes) and
    ``gold_matched[4, n_gold]``, schemes in ``SCHEMES`` order.
    """
    n_pred, n_gold = len(pred.start), len(gold.start)
    outcome = np.full((len(SCHEMES), n_pred), _SPU, dtype=np.int8)
    matched = np.zeros((len(SCHEMES), n_gold), dtype=np.bool_)
    if n_pred == 0 or n_gold == 0:
        return outcome, matched
    p_idx, g_idx = _sufficient_overlap_pairs(gold, pred, min_pct)
    exact = (pred.start[p_idx] == gold.start[g_idx]) & (pred.end[p_idx] == gold.end[g_idx])
    same = pred.label[p_idx] == gold.label[g_idx]
    lone = (np.bincount(p_idx, minlength=n_pred)[p_idx] == 1) & (np.bincount(g_idx, minlength=n_gold)[g_idx] == 1)

    # A prediction and a gold overlapping only each other: decide in bulk.
    lp, lg, lx, ls = p_idx[lone], g_idx[lone], exact[lone], same[lone]
    outcome[0, lp] = np.where(lx & ls, _COR, _INC)
    outcome[1, lp] = np.where(lx, _COR, _INC)
    outcome[3, lp] = np.where(ls, _COR, _INC)
    matched[:, lg] = True

    # Predictions competing for golds: replay the greedy loop in processing order.
    order = np.argsort(p_idx[~lone] * n_gold + g_idx[~lone], kind="stable")
    cp, cg = p_idx[~lone][order], g_idx[~lone][order]
    if len(cp):
        cx, cs = exact[~lone][order], same[~lone][order]
        dist = np.abs(pred.start[cp] - gold.start[cg]) + np.abs(pred.end[cp] - gold.end[cg])
        heads = np.flatnonzero(np.r_[True, cp[1:] != cp[:-1]])
        runs = list(zip(heads.tolist(), np.r_[heads[1:], len(cp)].tolist()))
        preds, golds = cp[heads], cg.tolist()
        replays = _replay_greedy(runs, golds, (cx & cs).tolist(), cx.tolist(), cs.tolist(), dist.tolist())
        for row, (outs, taken) in zip((0, 1, 3), replays):
            outcome[row, preds] = outs
            matched[row, list(taken)] = True
    # `partial` visits golds exactly like `exact`; only INCORRECT becomes PARTIAL.
    outcome[2] = np.where(outcome[1] == _INC, _PAR, outcome[1])
    matched[2] = matched[1]
    return outcome, matched


def _group_counts(gold: _SpanArrays, pred: _SpanArrays, n_groups: int, min_pct: float) -> IntArray:
    """Counts ``[scheme, group, (COR, INC, PAR, MIS, SPU)]`` as int64."""
    outcome, matched = _match_outcomes(gold, pred, min_pct)
    counts = np.zeros((len(SCHEMES), n_groups, len(SPAN_COUNT_COLUMNS)), dtype=np.int64)
    for s in range(len(SCHEMES)):
        by_code = np.bincount(pred.group * 4 + outcome[s], minlength=n_groups * 4).reshape(n_groups, 4)
        counts[s][:, [0, 1, 2, 4]] = by_code
        counts[s, :, 3] = np.bincount(gold.group[~matched[s]], minlength=n_groups)
    return counts


def _scheme_scores(counts: IntArray) -> dict[str, SchemeScores]:
    """``{scheme: SchemeScores}`` from a ``[scheme, 5]`` count matrix."""
    return {
        name: SchemeScores.from_counts(counts[s].tolist(), name in PARTIAL_CREDIT_SCHEMES)
        for s, name in enumerate(SCHEMES)
    }


def _overall_counts(enc: _Encoded, min_pct: float) -> IntArray:
    """Counts ``[scheme, doc, 5]`` grouped by document."""
    return _group_counts(enc.gold, enc.pred, len(enc.docs), min_pct)


def _label_counts(enc: _Encoded, min_pct: float) -> IntArray:
    """Counts ``[label, scheme, 5]`` with matching restricted to one label at a time."""
    gold, pred, group_label = _by_doc_and_label(enc)
    counts = _group_counts(gold, pred, len(group_label), min_pct)
    out = np.zeros((len(enc.labels), len(SCHEMES), len(SPAN_COUNT_COLUMNS)), dtype=np.int64)
    np.add.at(out, group_label, counts.transpose(1, 0, 2))
    return out


def span_scores(
    gold: Iterable[Span],
    pred: Iterable[Span],
    *,
    labels: Collection[str] | None = None,
    min_overlap_percentage: float = DEFAULT_MIN_OVERLAP_PERCENTAGE,
    keep_input_order: bool = False,
) -> SpanScores:
    """nervaluate-identical strict/exact/partial/ent_type scores, overall and per label.

    ``labels`` restricts scoring to those labels (nervaluate's ``tags``); by
    default every label seen is used.  See the module docstring for the
    counting rules and ``keep_input_order``.
    """
    min_pct = _check_min_overlap(min_overlap_percentage)
    enc = _encode(gold, pred, labels, None, keep_input_order)
    overall = _scheme_scores(_overall_counts(enc, min_pct).sum(axis=1))
    per_label = _label_counts(enc, min_pct)
    return SpanScores(
        **overall,
        per_label={name: _scheme_scores(per_label[i]) for i, name in enumerate(enc.labels)},
    )


def strict_micro_f1(
    gold: Iterable[Span],
    pred: Iterable[Span],
    *,
    labels: Collection[str] | None = None,
    min_overlap_percentage: float = DEFAULT_MIN_OVERLAP_PERCENTAGE,
    keep_input_order: bool = False,
) -> float:
    """Overall strict (exact boundary and type) micro F1, as ``span_scores(...).strict.f1``."""
    _, counts = span_counts_by_doc(
        gold, pred, "strict", labels=labels,
        min_overlap_percentage=min_overlap_percentage, keep_input_order=keep_input_order,
    )
    return span_counts_f1(counts.sum(axis=0), "strict")


def per_label_f1(
    gold: Iterable[Span],
    pred: Iterable[Span],
    scheme: Scheme = "strict",
    *,
    labels: Collection[str] | None = None,
    min_overlap_percentage: float = DEFAULT_MIN_OVERLAP_PERCENTAGE,
    keep_input_order: bool = False,
) -> dict[str, float]:
    """``{label: F1}`` (labels sorted) for one scheme, matching within each label."""
    s = SCHEMES.index(_check_scheme(scheme))
    min_pct = _check_min_overlap(min_overlap_percentage)
    enc = _encode(gold, pred, labels, None, keep_input_order)
    counts = _label_counts(enc, min_pct)
    return {name: span_counts_f1(counts[i, s], scheme) for i, name in enumerate(enc.labels)}


def span_counts_by_doc(
    gold: Iterable[Span],
    pred: Iterable[Span],
    scheme: Scheme = "strict",
    *,
    doc_ids: Sequence[str] | None = None,
    labels: Collection[str] | None = None,
    min_overlap_percentage: float = DEFAULT_MIN_OVERLAP_PERCENTAGE,
    keep_input_order: bool = False,
) -> tuple[tuple[str, ...], IntArray]:
    """Per-document ``[COR, INC, PAR, MIS, SPU]`` counts for bootstrapping.

    Rows follow ``doc_ids`` when given (pass the same list for the systems you
    compare; documents without spans get zero rows, spans of other documents
    raise), else the sorted union of documents seen.  Reduce summed rows with
    ``span_counts_f1``.
    """
    s = SCHEMES.index(_check_scheme(scheme))
    min_pct = _check_min_overlap(min_overlap_percentage)
    enc = _encode(gold, pred, labels, doc_ids, keep_input_order)
    return enc.docs, _overall_counts(enc, min_pct)[s]


def span_counts_f1(counts: npt.ArrayLike, scheme: Scheme = "strict") -> float:
    """F1 of summed ``[COR, INC, PAR, MIS, SPU]`` counts under ``scheme``."""
    row = np.asarray(counts).reshape(-1).tolist()
    return SchemeScores.from_counts(row, _check_scheme(scheme) in PARTIAL_CREDIT_SCHEMES).f1


def span_f1_statistic(scheme: Scheme = "strict") -> Callable[[npt.NDArray[np.float64]], float]:
    """Statistic function for the bootstrap over ``span_counts_by_doc`` rows."""
    _check_scheme(scheme)

    def statistic(counts: npt.NDArray[np.float64]) -> float:
        return span_counts_f1(counts, scheme)

    return statistic


# --------------------------------------------------------------------------
# Quotes (GermEval-2023 SpkAtt-style proportional token overlap)
# --------------------------------------------------------------------------


def token_offsets(text: str) -> tuple[CharSpan, ...]:
    """Half-open character offsets of the ``\\w+|[^\\w\\s]`` tokens of ``text``."""
    return tuple(m.span() for m in TOKEN_PATTERN.finditer(text))


def _quote_tokens(spans: Sequence[CharSpan], starts: Sequence[int], ends: Sequence[int]) -> frozenset[int]:
    """Indices of tokens sharing at least one character with any of ``spans``."""
    out: set[int] = set()
    for s, e in spans:
        out.update(range(bisect.bisect_right(ends, s), bisect.bisect_left(starts, e)))
    return frozenset(out)


def _group_by_doc(items: Iterable[T], doc_of: Callable[[T], str]) -> dict[str, list[T]]:
    """Items per document, keeping input order."""
    out: dict[str, list[T]] = defaultdict(list)
    for item in items:
        out[doc_of(item)].append(item)
    return out


def _assign(weights: npt.NDArray[np.float64]) -> list[tuple[int, int]]:
    """One-to-one (row, col) pairs maximising total weight; zero-weight pairs dropped."""
    if weights.size == 0 or not weights.any():
        return []
    from scipy.optimize import linear_sum_assignment  # lazy: keeps `import itapol.metrics` light

    rows, cols = linear_sum_assignment(weights, maximize=True)
    return [(r, c) for r, c in zip(rows.tolist(), cols.tolist()) if weights[r, c] > 0]


def _check_unique_keys(items: Sequence[QuoteItem], side: str) -> None:
    """Quote keys must be unique within a document."""
    keys = Counter((q.doc_id, q.key) for q in items)
    dupes = [k for k, n in keys.items() if n > 1]
    if dupes:
        raise ValueError(f"duplicate {side} quote keys (doc_id, key): {dupes[:3]}")


def match_quotes(
    gold: Sequence[QuoteItem], pred: Sequence[QuoteItem], texts: Mapping[str, str]
) -> tuple[QuoteMatch, ...]:
    """One-to-one gold/pred quote matching per document maximising total shared tokens.

    Uses an optimal assignment (scipy ``linear_sum_assignment``), not greedy;
    pairs sharing no token are not matched.  A token belongs to a quote when
    it shares at least one character with one of the quote's spans.  Output is
    sorted by document then assignment row (gold order).
    """
    _check_unique_keys(gold, "gold")
    _check_unique_keys(pred, "pred")
    gold_by_doc = _group_by_doc(gold, lambda q: q.doc_id)
    pred_by_doc = _group_by_doc(pred, lambda q: q.doc_id)
    matches: list[QuoteMatch] = []
    for doc in sorted(set(gold_by_doc) & set(pred_by_doc)):
        if doc not in texts:
            raise ValueError(f"no text for document {doc!r}")
        offsets = token_offsets(texts[doc])
        starts, ends = [s for s, _ in offsets], [e for _, e in offsets]
        g_items, p_items = gold_by_doc[doc], pred_by_doc[doc]
        g_tok = [_quote_tokens(q.spans, starts, ends) for q in g_items]
        p_tok = [_quote_tokens(q.spans, starts, ends) for q in p_items]
        weights = np.array([[len(g & p) for p in p_tok] for g in g_tok], dtype=np.float64)
        for r, c in _assign(weights):
            matches.append(QuoteMatch(
                doc, g_items[r].key, p_items[c].key, int(weights[r, c]), len(g_tok[r]), len(p_tok[c])))
    return tuple(matches)


def _overlap_counts(
    gold: Sequence[QuoteItem],
    pred: Sequence[QuoteItem],
    matches: Iterable[QuoteMatch],
    docs: Sequence[str],
) -> npt.NDArray[np.float64]:
    """Rows ``[precision_sum, n_pred, recall_sum, n_gold]`` for ``docs``."""
    row = {d: i for i, d in enumerate(docs)}
    counts = np.zeros((len(docs), len(OVERLAP_COUNT_COLUMNS)), dtype=np.float64)
    try:
        for q in pred:
            counts[row[q.doc_id], 1] += 1
        for q in gold:
            counts[row[q.doc_id], 3] += 1
        for m in matches:
            counts[row[m.doc_id], 0] += m.overlap / m.pred_tokens
            counts[row[m.doc_id], 2] += m.overlap / m.gold_tokens
    except KeyError as err:
        raise ValueError(f"doc_id {err.args[0]!r} is not in doc_ids") from None
    return counts


def token_overlap_counts_by_doc(
    gold: Sequence[QuoteItem],
    pred: Sequence[QuoteItem],
    texts: Mapping[str, str],
    *,
    doc_ids: Sequence[str] | None = None,
) -> tuple[tuple[str, ...], npt.NDArray[np.float64]]:
    """Per-document ``[precision_sum, n_pred, recall_sum, n_gold]`` for bootstrapping.

    ``precision_sum`` adds ``overlap / pred_tokens`` and ``recall_sum`` adds
    ``overlap / gold_tokens`` over matched pairs.  Rows follow ``doc_ids``
    when given, else the sorted documents seen.  Reduce summed rows with
    ``token_overlap_f1_from_counts``.
    """
    docs = tuple(doc_ids) if doc_ids is not None else tuple(sorted({q.doc_id for q in (*gold, *pred)}))
    return docs, _overlap_counts(gold, pred, match_quotes(gold, pred, texts), docs)


def _overlap_prf(counts: Sequence[float]) -> tuple[float, float, float]:
    """Precision, recall, F1 from summed ``[precision_sum, n_pred, recall_sum, n_gold]``."""
    p_sum, n_pred, r_sum, n_gold = counts
    precision = p_sum / n_pred if n_pred > 0 else 0.0
    recall = r_sum / n_gold if n_gold > 0 else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return float(precision), float(recall), float(f1)


def token_overlap_f1_from_counts(counts: npt.ArrayLike) -> float:
    """Proportional-overlap F1 from summed ``[precision_sum, n_pred, recall_sum, n_gold]``."""
    return _overlap_prf(np.asarray(counts, dtype=np.float64).reshape(-1).tolist())[2]


def token_overlap_f1(
    gold: Sequence[QuoteItem], pred: Sequence[QuoteItem], texts: Mapping[str, str]
) -> PRF:
    """Proportional token-overlap P/R/F1 of quote content (GermEval-2023 SpkAtt style).

    P = sum over matched pairs of |shared tokens| / |pred tokens|, divided by
    the number of predicted quotes; R likewise with gold tokens and gold
    quotes.  Matching as in ``match_quotes``; ``n_matched`` counts pairs.
    """
    matches = match_quotes(gold, pred, texts)
    docs = tuple(sorted({q.doc_id for q in (*gold, *pred)}))
    totals = _overlap_counts(gold, pred, matches, docs).sum(axis=0).tolist()
    precision, recall, f1 = _overlap_prf(totals)
    return PRF(precision, recall, f1, n_gold=len(gold), n_pred=len(pred), n_matched=len(matches))


def _canonical_spans(spans: Iterable[CharSpan]) -> tuple[CharSpan, ...]:
    """Sorted spans with overlapping or touching spans merged."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return tuple((s, e) for s, e in merged)


def quote_strict_f1(
    gold: Sequence[QuoteItem], pred: Sequence[QuoteItem], *, match_label: bool = False
) -> PRF:
    """Exact span-set match F1: same document and same (merged, sorted) character set.

    One-to-one (multiset) counting; labels must also agree when ``match_label``.
    """
    def key(q: QuoteItem) -> tuple[object, ...]:
        return (q.doc_id, _canonical_spans(q.spans), q.label if match_label else None)

    hits = sum((Counter(map(key, gold)) & Counter(map(key, pred))).values())
    return PRF.from_hits(hits, len(pred), len(gold))


def type_accuracy_on_matched(
    gold: Sequence[QuoteItem], pred: Sequence[QuoteItem], matches: Iterable[QuoteMatch]
) -> TypeAccuracy:
    """Fraction of matched pairs whose gold and predicted labels agree (0.0 if none)."""
    gold_label = {(q.doc_id, q.key): q.label for q in gold}
    pred_label = {(q.doc_id, q.key): q.label for q in pred}
    pairs = [(gold_label[(m.doc_id, m.gold_key)], pred_label[(m.doc_id, m.pred_key)]) for m in matches]
    same = sum(g == p for g, p in pairs)
    return TypeAccuracy(same / len(pairs) if pairs else 0.0, len(pairs), same)


# --------------------------------------------------------------------------
# Demand tuples
# --------------------------------------------------------------------------


def _spans_overlap(a: Iterable[CharSpan], b: Sequence[CharSpan]) -> bool:
    """Whether any span of ``a`` shares a character with any span of ``b``."""
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _matched_count(
    gold: Sequence[DemandItem],
    pred: Sequence[DemandItem],
    compatible: Callable[[DemandItem, DemandItem], bool],
) -> int:
    """Size of a maximum one-to-one matching of compatible pairs within documents."""
    gold_by_doc = _group_by_doc(gold, lambda t: t.doc_id)
    pred_by_doc = _group_by_doc(pred, lambda t: t.doc_id)
    total = 0
    for doc in sorted(set(gold_by_doc) & set(pred_by_doc)):
        weights = np.array(
            [[float(compatible(g, p)) for p in pred_by_doc[doc]] for g in gold_by_doc[doc]],
            dtype=np.float64,
        )
        total += len(_assign(weights))
    return total


def _same_claimant(gold: DemandItem, pred: DemandItem) -> bool:
    """Claimants equal."""
    return gold.claimant == pred.claimant


def _same_addressee(gold: DemandItem, pred: DemandItem) -> bool:
    """Addressees equal (``None == None``)."""
    return gold.addressee == pred.addressee


def _action_overlaps(gold: DemandItem, pred: DemandItem) -> bool:
    """Action spans share at least one character."""
    return _spans_overlap(gold.action_spans, pred.action_spans)


def _same_demand(gold: DemandItem, pred: DemandItem) -> bool:
    """Claimant, addressee and action all match."""
    return _same_claimant(gold, pred) and _same_addressee(gold, pred) and _action_overlaps(gold, pred)


def tuple_f1(gold: Iterable[Sequence[object]], pred: Iterable[Sequence[object]]) -> TupleScores:
    """Demand-tuple P/R/F1 with maximum one-to-one matching inside each document.

    Items are ``(doc_id, claimant, addressee, action_spans, key)``.  A full
    match needs equal claimant, equal addressee (``None == None``) and action
    spans sharing at least one character; the per-element scores match on one
    of these conditions alone.  Empty ``action_spans`` never overlap.
    """
    g = [DemandItem(*item) for item in gold]  # type: ignore[arg-type]
    p = [DemandItem(*item) for item in pred]  # type: ignore[arg-type]
    rules = (_same_demand, _same_claimant, _same_addressee, _action_overlaps)
    return TupleScores(*(PRF.from_hits(_matched_count(g, p, rule), len(p), len(g)) for rule in rules))


# --------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------


def _check_pair(gold: Sequence[str], pred: Sequence[str]) -> tuple[list[str], list[str]]:
    """Same-length label lists."""
    g, p = list(gold), list(pred)
    if len(g) != len(p):
        raise ValueError(f"gold has {len(g)} labels but pred has {len(p)}")
    return g, p


def _class_f1(gold: list[str], pred: list[str], labels: Sequence[str]) -> list[float]:
    """Per-class F1 from scikit-learn, 0.0 on zero division."""
    from sklearn.metrics import f1_score

    scores = f1_score(gold, pred, labels=list(labels), average=None, zero_division=0.0)
    return [float(x) for x in scores]


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Fraction of equal labels (0.0 for empty input)."""
    g, p = _check_pair(gold, pred)
    return sum(a == b for a, b in zip(g, p)) / len(g) if g else 0.0


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] | None = None) -> float:
    """Unweighted mean per-class F1 over ``labels`` (default: sorted labels seen)."""
    g, p = _check_pair(gold, pred)
    classes = sorted(set(g) | set(p)) if labels is None else list(labels)
    if not g or not classes:
        return 0.0
    scores = _class_f1(g, p, classes)
    return sum(scores) / len(scores)


def _check_stance(gold: Sequence[str], pred: Sequence[str]) -> tuple[list[str], list[str]]:
    """Same-length lists drawn from ``STANCE_LABELS``."""
    g, p = _check_pair(gold, pred)
    unknown = (set(g) | set(p)) - set(STANCE_LABELS)
    if unknown:
        raise ValueError(f"unknown stance labels {sorted(unknown)}; expected {STANCE_LABELS}")
    return g, p


def stance_f_avg(gold: Sequence[str], pred: Sequence[str]) -> float:
    """SemEval-2016 Task 6 / SardiStance F_avg: mean of F1(favour) and F1(against)."""
    return stance_scores(gold, pred).f_avg


def stance_scores(gold: Sequence[str], pred: Sequence[str]) -> StanceScores:
    """F_avg, its two class F1s, macro F1 over the three classes, and accuracy."""
    g, p = _check_stance(gold, pred)
    if not g:
        return StanceScores(0.0, 0.0, 0.0, 0.0, 0.0)
    favour, against, neutral = _class_f1(g, p, STANCE_LABELS)
    return StanceScores(
        f_avg=(favour + against) / 2,
        f1_favour=favour,
        f1_against=against,
        macro_f1=(favour + against + neutral) / 3,
        accuracy=accuracy(g, p),
    )


# --------------------------------------------------------------------------
# Bootstrap over documents
# --------------------------------------------------------------------------


def _doc_matrix(per_doc_stats: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Per-document statistics as a non-empty ``(n_docs, k)`` float array."""
    stats = np.asarray(per_doc_stats, dtype=np.float64)
    stats = stats.reshape(len(stats), -1) if stats.ndim != 2 else stats
    if len(stats) == 0:
        raise ValueError("need at least one document to bootstrap")
    return stats


def _resampled_sums(
    matrices: Sequence[npt.NDArray[np.float64]], n_resamples: int, seed: int
) -> Iterable[list[npt.NDArray[np.float64]]]:
    """Column sums of each matrix over the same documents drawn with replacement.

    Resample ``b`` uses ``default_rng(seed).integers(0, n_docs, n_docs)``, the
    ``b``-th draw, so results are reproducible.
    """
    if n_resamples < 1:
        raise ValueError("n_resamples must be >= 1")
    rng = np.random.default_rng(seed)
    n_docs = len(matrices[0])
    for _ in range(n_resamples):
        weights = np.bincount(rng.integers(0, n_docs, n_docs), minlength=n_docs).astype(np.float64)
        yield [weights @ m for m in matrices]


def bootstrap_ci(
    per_doc_stats: npt.ArrayLike,
    statistic_fn: Callable[[npt.NDArray[np.float64]], float],
    n_resamples: int = 1000,
    seed: int = 0,
    alpha: float = 0.05,
) -> tuple[float, float]:
    """Percentile ``1 - alpha`` CI of ``statistic_fn(summed counts)`` resampling documents.

    ``per_doc_stats`` is ``(n_docs, k)`` additive counts (e.g. from
    ``span_counts_by_doc``); the statistic is recomputed from the column sums
    of each resample, so micro-averaged scores get correct intervals.
    """
    if not 0.0 < alpha < 1.0:
        raise ValueError("alpha must be in (0, 1)")
    stats = _doc_matrix(per_doc_stats)
    values = [statistic_fn(sums) for (sums,) in _resampled_sums([stats], n_resamples, seed)]
    low, high = np.quantile(np.asarray(values, dtype=np.float64), [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)


def paired_bootstrap(
    per_doc_a: npt.ArrayLike,
    per_doc_b: npt.ArrayLike,
    statistic_fn: Callable[[npt.NDArray[np.float64]], float],
    n_resamples: int = 1000,
    seed: int = 0,
    two_sided: bool = False,
) -> float:
    """Paired bootstrap p-value (Koehn 2004) for the difference ``stat(A) - stat(B)``.

    Rows of A and B must describe the same documents in the same order.  The
    one-sided p-value is the fraction of resamples whose difference does not
    keep the sign of the observed one (``delta_b * sign(delta) <= 0``), i.e.
    how often the better-looking system fails to win; it is 1.0 when the
    observed difference is 0 (e.g. a system against itself).  ``two_sided``
    doubles it (capped at 1.0).
    """
    a, b = _doc_matrix(per_doc_a), _doc_matrix(per_doc_b)
    if len(a) != len(b):
        raise ValueError("per_doc_a and per_doc_b must have the same documents")
    observed = statistic_fn(a.sum(axis=0)) - statistic_fn(b.sum(axis=0))
    if observed == 0:
        return 1.0
    sign = 1.0 if observed > 0 else -1.0
    flips = sum(
        (statistic_fn(sa) - statistic_fn(sb)) * sign <= 0
        for sa, sb in _resampled_sums([a, b], n_resamples, seed)
    )
    p_value = flips / n_resamples
    return min(1.0, 2 * p_value) if two_sided else p_value
