"""Tests for itapol.metrics: hand-computed golden cases and cross-checks.

Cross-checks: nervaluate 1.2.1 (span schemes, every count), seqeval strict
IOB2 (strict span F1), scikit-learn (classification).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator
from seqeval.metrics import f1_score as seqeval_f1
from seqeval.scheme import IOB2
from sklearn.metrics import accuracy_score
from sklearn.metrics import f1_score as sk_f1

from itapol.metrics import (
    SCHEMES,
    SPAN_COUNT_COLUMNS,
    QuoteItem,
    QuoteMatch,
    SchemeScores,
    Span,
    accuracy,
    bootstrap_ci,
    macro_f1,
    match_quotes,
    paired_bootstrap,
    per_label_f1,
    quote_strict_f1,
    span_counts_by_doc,
    span_counts_f1,
    span_f1_statistic,
    span_scores,
    stance_f_avg,
    stance_scores,
    strict_micro_f1,
    token_offsets,
    token_overlap_counts_by_doc,
    token_overlap_f1,
    token_overlap_f1_from_counts,
    tuple_f1,
    type_accuracy_on_matched,
)

RESULT_FIELDS = (*SPAN_COUNT_COLUMNS, "possible", "actual", "precision", "recall", "f1")


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def counts(scores: SchemeScores) -> tuple[int, int, int, int, int]:
    """(COR, INC, PAR, MIS, SPU)."""
    return (scores.correct, scores.incorrect, scores.partial, scores.missed, scores.spurious)


def run_nervaluate(
    gold: Sequence[Span],
    pred: Sequence[Span],
    keep_input_order: bool = False,
    tags: Sequence[str] | None = None,
    min_overlap_percentage: float = 1.0,
) -> dict:
    """nervaluate on the same data: one document per doc id, inclusive end offsets."""
    docs = sorted({s[0] for s in gold} | {s[0] for s in pred})

    def as_docs(spans: Sequence[Span]) -> list[list[dict]]:
        out = []
        for doc in docs:
            items = [s for s in spans if s[0] == doc]
            if not keep_input_order:
                items.sort(key=lambda s: (s[1], s[2], s[3]))
            out.append([{"label": lab, "start": a, "end": b - 1} for _, a, b, lab in items])
        return out

    if tags is None:
        tags = sorted({s[3] for s in gold} | {s[3] for s in pred})
    evaluator = Evaluator(
        as_docs(gold), as_docs(pred), tags=list(tags), loader="dict",
        min_overlap_percentage=min_overlap_percentage,
    )
    return evaluator.evaluate()


def assert_same_as_nervaluate(gold: Sequence[Span], pred: Sequence[Span], **options: object) -> None:
    """Every scheme, every count and score, overall and per label, identical."""
    keep = bool(options.get("keep_input_order", False))
    ours = span_scores(gold, pred, **options)  # type: ignore[arg-type]
    theirs = run_nervaluate(
        gold, pred, keep_input_order=keep, tags=options.get("labels"),  # type: ignore[arg-type]
        min_overlap_percentage=float(options.get("min_overlap_percentage", 1.0)),  # type: ignore[arg-type]
    )
    for scheme in SCHEMES:
        mine, ref = ours.scheme(scheme), theirs["overall"][scheme]
        for name in RESULT_FIELDS:
            assert getattr(mine, name) == getattr(ref, name), (scheme, name, gold, pred)
    assert sorted(ours.per_label) == sorted(theirs["entities"])
    for label, by_scheme in ours.per_label.items():
        for scheme in SCHEMES:
            ref = theirs["entities"][label][scheme]
            for name in RESULT_FIELDS:
                assert getattr(by_scheme[scheme], name) == getattr(ref, name), (label, scheme, name)


def random_spans(rng: random.Random, n: int, n_docs: int, length: int, max_len: int) -> list[Span]:
    """Random, freely overlapping spans."""
    out = []
    for _ in range(n):
        start = rng.randint(0, length)
        out.append((f"d{rng.randrange(n_docs)}", start, start + rng.randint(1, max_len), rng.choice("ABC")))
    return out


# --------------------------------------------------------------------------
# span_scores: golden cases (numbers computed by hand)
# --------------------------------------------------------------------------

# Gold: d1 PER[0,5) ORG[10,15) LOC[20,25); d2 ORG[0,4).
# Pred: d1 PER[0,5) exact; LOC[10,15) right boundaries, wrong type;
#       LOC[21,25) shifted start, right type; PER[30,35) spurious.  d2: nothing.
GOLD_A: list[Span] = [("d1", 0, 5, "PER"), ("d1", 10, 15, "ORG"), ("d1", 20, 25, "LOC"), ("d2", 0, 4, "ORG")]
PRED_A: list[Span] = [("d1", 0, 5, "PER"), ("d1", 10, 15, "LOC"), ("d1", 21, 25, "LOC"), ("d1", 30, 35, "PER")]


def test_golden_four_schemes() -> None:
    scores = span_scores(GOLD_A, PRED_A)
    # strict: COR=1 (PER), INC=2 (type, boundary), MIS=1 (d2), SPU=1; P=R=1/4
    assert counts(scores.strict) == (1, 2, 0, 1, 1)
    assert (scores.strict.possible, scores.strict.actual) == (4, 4)
    assert (scores.strict.precision, scores.strict.recall, scores.strict.f1) == (0.25, 0.25, 0.25)
    # exact: boundaries only -> COR=2, INC=1 (shifted); P=R=F=2/4
    assert counts(scores.exact) == (2, 1, 0, 1, 1)
    assert scores.exact.f1 == 0.5
    # partial: shifted span is PARTIAL -> P=R=(2+0.5)/4=0.625
    assert counts(scores.partial) == (2, 0, 1, 1, 1)
    assert (scores.partial.precision, scores.partial.recall) == (0.625, 0.625)
    assert scores.partial.f1 == pytest.approx(0.625)
    # ent_type: type with overlap -> COR=2 (PER, shifted LOC), INC=1 (ORG as LOC)
    assert counts(scores.ent_type) == (2, 1, 0, 1, 1)
    assert scores.ent_type.f1 == 0.5


def test_golden_per_label() -> None:
    per = span_scores(GOLD_A, PRED_A).per_label
    assert list(per) == ["LOC", "ORG", "PER"]
    # PER: gold [0,5); preds [0,5) COR, [30,35) SPU -> P=1/2, R=1, F=2/3
    assert counts(per["PER"]["strict"]) == (1, 0, 0, 0, 1)
    assert per["PER"]["strict"].f1 == pytest.approx(2 / 3)
    # ORG: two golds, no ORG prediction -> MIS=2, all zero
    assert counts(per["ORG"]["strict"]) == (0, 0, 0, 2, 0)
    assert per["ORG"]["strict"].f1 == 0.0
    # LOC: gold [20,25); preds [10,15) SPU (no LOC gold there), [21,25) INC
    assert counts(per["LOC"]["strict"]) == (0, 1, 0, 0, 1)
    # partial LOC: P=0.5/2=0.25, R=0.5/1=0.5, F=2*0.125/0.75=1/3
    assert counts(per["LOC"]["partial"]) == (0, 0, 1, 0, 1)
    assert per["LOC"]["partial"].f1 == pytest.approx(1 / 3)
    # per-label counts need not sum to overall: overall strict INC=2, per-label INC=1
    assert sum(per[lab]["strict"].incorrect for lab in per) == 1
    assert per_label_f1(GOLD_A, PRED_A, "partial") == {
        lab: per[lab]["partial"].f1 for lab in ("LOC", "ORG", "PER")
    }


def test_golden_order_quirk_and_keep_input_order() -> None:
    # Gold A[0,10); preds A[0,8) and A[0,10).  Sorted, [0,8) comes first, takes
    # the gold as INCORRECT, and the exact [0,10) is left SPURIOUS.
    gold = [("d", 0, 10, "A")]
    pred = [("d", 0, 10, "A"), ("d", 0, 8, "A")]
    sorted_scores = span_scores(gold, pred)
    assert counts(sorted_scores.strict) == (0, 1, 0, 0, 1)  # P=0, R=0
    assert sorted_scores.strict.f1 == 0.0
    # ent_type: [0,8) is COR (same type), [0,10) SPU -> P=1/2, R=1, F=2/3
    assert counts(sorted_scores.ent_type) == (1, 0, 0, 0, 1)
    assert sorted_scores.ent_type.f1 == pytest.approx(2 / 3)
    # In the given order the exact span comes first: COR=1, SPU=1 -> F=2/3
    given = span_scores(gold, pred, keep_input_order=True)
    assert counts(given.strict) == (1, 0, 0, 0, 1)
    assert given.strict.f1 == pytest.approx(2 / 3)
    assert_same_as_nervaluate(gold, pred)
    assert_same_as_nervaluate(gold, pred, keep_input_order=True)


def test_golden_pred_overlapping_two_golds() -> None:
    # Gold A[0,5) B[6,10); pred B[3,8) overlaps both.
    gold = [("d", 0, 5, "A"), ("d", 6, 10, "B")]
    pred = [("d", 3, 8, "B")]
    scores = span_scores(gold, pred)
    # strict/exact: first overlapping gold in list order (A) -> INC; B missed
    assert counts(scores.strict) == (0, 1, 0, 1, 0)
    assert counts(scores.exact) == (0, 1, 0, 1, 0)
    # partial: PAR=1, MIS=1 -> P=0.5/1, R=0.5/2, F=2*0.125/0.75=1/3
    assert counts(scores.partial) == (0, 0, 1, 1, 0)
    assert (scores.partial.precision, scores.partial.recall) == (0.5, 0.25)
    assert scores.partial.f1 == pytest.approx(1 / 3)
    # ent_type prefers the same-type gold B: COR=1, A missed -> P=1, R=1/2, F=2/3
    assert counts(scores.ent_type) == (1, 0, 0, 1, 0)
    assert scores.ent_type.f1 == pytest.approx(2 / 3)
    assert_same_as_nervaluate(gold, pred)


def test_golden_ent_type_closest_boundaries() -> None:
    # Pred A[2,9) overlaps A[0,4) (distance 2+5=7) and A[3,9) (distance 1+0=1).
    gold = [("d", 0, 4, "A"), ("d", 3, 9, "A")]
    pred = [("d", 2, 9, "A")]
    scores = span_scores(gold, pred)
    assert counts(scores.ent_type) == (1, 0, 0, 1, 0)
    assert counts(scores.strict) == (0, 1, 0, 1, 0)  # first in list order, [0,4)
    assert_same_as_nervaluate(gold, pred)


def test_golden_overlap_threshold_relative_to_gold_length() -> None:
    # 1 shared char of a 200-char gold = 0.5% < 1% -> no overlap: SPU + MIS.
    far = span_scores([("d", 0, 200, "A")], [("d", 199, 205, "A")])
    for scheme in SCHEMES:
        assert counts(far.scheme(scheme)) == (0, 0, 0, 1, 1)
    # 1 of 100 chars = exactly 1% -> overlap: strict INC, ent_type COR.
    near = span_scores([("d", 0, 100, "A")], [("d", 99, 105, "A")])
    assert counts(near.strict) == (0, 1, 0, 0, 0)
    assert counts(near.ent_type) == (1, 0, 0, 0, 0)
    # Raising the threshold to 50% turns it back into SPU + MIS.
    high = span_scores([("d", 0, 100, "A")], [("d", 99, 105, "A")], min_overlap_percentage=50.0)
    assert counts(high.strict) == (0, 0, 0, 1, 1)
    for gold, pred in (([("d", 0, 200, "A")], [("d", 199, 205, "A")]), ([("d", 0, 100, "A")], [("d", 99, 105, "A")])):
        assert_same_as_nervaluate(gold, pred)
    assert_same_as_nervaluate([("d", 0, 100, "A")], [("d", 99, 105, "A")], min_overlap_percentage=50.0)


def test_gold_vs_gold_is_perfect() -> None:
    scores = span_scores(GOLD_A, GOLD_A)
    for scheme in SCHEMES:
        assert scores.scheme(scheme).f1 == 1.0
    assert strict_micro_f1(GOLD_A, list(reversed(GOLD_A))) == 1.0


def test_empty_pred_has_zero_recall() -> None:
    scores = span_scores(GOLD_A, [])
    for scheme in SCHEMES:
        assert scores.scheme(scheme).recall == 0.0
        assert scores.scheme(scheme).precision == 0.0
        assert counts(scores.scheme(scheme)) == (0, 0, 0, 4, 0)
    assert set(scores.per_label) == {"LOC", "ORG", "PER"}
    assert_same_as_nervaluate(GOLD_A, [])


def test_empty_gold_all_spurious() -> None:
    scores = span_scores([], PRED_A)
    assert counts(scores.strict) == (0, 0, 0, 0, 4)
    assert scores.strict.f1 == 0.0
    assert_same_as_nervaluate([], PRED_A)


def test_nothing_at_all_scores_zero() -> None:
    # nervaluate convention: zero denominators give 0, not 1.
    scores = span_scores([], [])
    assert scores.strict.as_dict() == {name: 0 for name in RESULT_FIELDS}
    assert scores.per_label == {}


def test_labels_filter_like_nervaluate_tags() -> None:
    scores = span_scores(GOLD_A, PRED_A, labels=["PER", "LOC"])
    # ORG gold spans are ignored entirely; the LOC pred at ORG's place is spurious.
    assert list(scores.per_label) == ["LOC", "PER"]
    assert counts(scores.strict) == (1, 1, 0, 0, 2)
    assert_same_as_nervaluate(GOLD_A, PRED_A, labels=["PER", "LOC"])


def test_as_dict_key_order_and_types() -> None:
    d = span_scores(GOLD_A, PRED_A).as_dict()
    assert list(d) == [*SCHEMES, "per_label"]
    assert list(d["strict"]) == list(RESULT_FIELDS)
    assert all(type(d["strict"][k]) is int for k in SPAN_COUNT_COLUMNS)
    assert all(type(d["strict"][k]) is float for k in ("precision", "recall", "f1"))
    assert list(d["per_label"]["PER"]) == list(SCHEMES)


def test_invalid_spans_rejected() -> None:
    with pytest.raises(ValueError):
        span_scores([("d", 5, 5, "A")], [])
    with pytest.raises(ValueError):
        span_scores([], [("d", 6, 5, "A")])
    with pytest.raises(TypeError):
        span_scores([("d", 0.0, 5.0, "A")], [])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        span_scores([], [], min_overlap_percentage=0.5)
    with pytest.raises(ValueError):
        span_counts_by_doc(GOLD_A, PRED_A, "fuzzy")  # type: ignore[arg-type]


def test_sorted_mode_is_order_invariant() -> None:
    rng = random.Random(7)
    gold = random_spans(rng, 40, 3, 60, 10)
    pred = random_spans(rng, 40, 3, 60, 10)
    base = span_scores(gold, pred).as_dict()
    for _ in range(5):
        rng.shuffle(gold)
        rng.shuffle(pred)
        assert span_scores(gold, pred).as_dict() == base


# --------------------------------------------------------------------------
# span_scores vs nervaluate: edge cases, seeded random, hypothesis
# --------------------------------------------------------------------------

EDGE_CASES: list[tuple[list[Span], list[Span]]] = [
    # nested predictions inside one gold
    ([("d", 0, 20, "A")], [("d", 0, 20, "A"), ("d", 2, 5, "A"), ("d", 6, 9, "B")]),
    # nested gold spans
    ([("d", 0, 20, "A"), ("d", 5, 10, "B")], [("d", 5, 10, "B"), ("d", 0, 19, "A")]),
    # one pred covering three golds
    ([("d", 0, 3, "A"), ("d", 4, 7, "B"), ("d", 8, 11, "A")], [("d", 0, 11, "A")]),
    # chain: each pred overlaps two golds
    ([("d", 0, 4, "A"), ("d", 4, 8, "A"), ("d", 8, 12, "B")], [("d", 2, 6, "A"), ("d", 6, 10, "B")]),
    # duplicates on both sides
    ([("d", 0, 4, "A"), ("d", 0, 4, "A")], [("d", 0, 4, "A"), ("d", 0, 4, "A"), ("d", 0, 4, "B")]),
    # wrong type on exact boundaries, plus adjacency (touching is not overlap)
    ([("d", 0, 4, "A"), ("d", 4, 8, "B")], [("d", 0, 4, "B"), ("d", 8, 9, "B")]),
    # several documents, one without gold, one without predictions
    ([("x", 0, 4, "A"), ("y", 1, 3, "B")], [("x", 0, 4, "A"), ("z", 0, 2, "B")]),
    # ent_type tie on boundary distance -> first in list order
    ([("d", 0, 4, "A"), ("d", 6, 10, "A")], [("d", 2, 8, "A")]),
]


@pytest.mark.parametrize("keep_input_order", [False, True])
@pytest.mark.parametrize("case", range(len(EDGE_CASES)))
def test_edge_cases_match_nervaluate(case: int, keep_input_order: bool) -> None:
    gold, pred = EDGE_CASES[case]
    assert_same_as_nervaluate(gold, pred, keep_input_order=keep_input_order)


@pytest.mark.parametrize("seed", range(4))
def test_seeded_random_matches_nervaluate(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(150):
        length, max_len = rng.choice([(15, 4), (40, 10), (300, 220)])
        n_docs = rng.randint(1, 4)
        gold = random_spans(rng, rng.randint(0, 12), n_docs, length, max_len)
        pred = random_spans(rng, rng.randint(0, 12), n_docs, length, max_len)
        if not gold and not pred:
            continue  # nervaluate reports nothing at all for zero documents
        options = {"keep_input_order": rng.random() < 0.5}
        if rng.random() < 0.3:
            options["min_overlap_percentage"] = rng.choice([1.0, 10.0, 33.3, 50.0, 100.0])
        if rng.random() < 0.2:
            options["labels"] = rng.sample(["A", "B", "C"], 2)
        assert_same_as_nervaluate(gold, pred, **options)


def test_huge_offsets_take_the_overflow_paths() -> None:
    # Offsets near 2**61 force rank-compressed join keys and the lexsort fallback.
    rng = random.Random(5)
    gold = random_spans(rng, 60, 3, 80, 10)
    pred = random_spans(rng, 60, 3, 80, 10)
    base = 2**61

    def lift(spans: list[Span]) -> list[Span]:
        return [(d, a + base, b + base, lab) if d != "d0" else (d, a, b, lab) for d, a, b, lab in spans]

    assert span_scores(lift(gold), lift(pred)).as_dict() == span_scores(gold, pred).as_dict()
    assert_same_as_nervaluate(lift(gold), lift(pred))


span_strategy = st.builds(
    lambda doc, start, length, label: (doc, start, start + length, label),
    st.sampled_from(["d0", "d1"]),
    st.integers(0, 30),
    st.integers(1, 12),
    st.sampled_from(["A", "B", "C"]),
)


@settings(max_examples=300, deadline=None)
@given(
    gold=st.lists(span_strategy, max_size=10),
    pred=st.lists(span_strategy, max_size=10),
    keep=st.booleans(),
)
def test_hypothesis_matches_nervaluate(gold: list[Span], pred: list[Span], keep: bool) -> None:
    if gold or pred:
        assert_same_as_nervaluate(gold, pred, keep_input_order=keep)


def test_dense_documents_match_nervaluate() -> None:
    # Larger documents exercise the vectorised and the replayed paths together.
    rng = random.Random(11)
    gold = random_spans(rng, 400, 5, 500, 15)
    pred = []
    for d, a, b, lab in gold:
        if rng.random() < 0.9:
            start = max(0, a + rng.choice([0, 0, -2, 1]))
            end = max(start + 1, b + rng.choice([0, 0, 2, -1]))
            pred.append((d, start, end, rng.choice([lab, lab, "C"])))
    pred += random_spans(rng, 60, 5, 500, 15)
    assert_same_as_nervaluate(gold, pred)


# --------------------------------------------------------------------------
# strict span F1 vs seqeval (strict IOB2) on non-overlapping spans
# --------------------------------------------------------------------------


def random_tiling(rng: random.Random, doc: str, n_tokens: int) -> list[Span]:
    """Random non-overlapping token spans (adjacent same-type spans allowed)."""
    spans, pos = [], 0
    while pos < n_tokens:
        pos += rng.randint(0, 3)
        length = rng.randint(1, 4)
        if pos + length > n_tokens:
            break
        spans.append((doc, pos, pos + length, rng.choice(["PER", "ORG", "LOC"])))
        pos += length
    return spans


def to_iob2(spans: Sequence[Span], n_tokens: int) -> list[str]:
    tags = ["O"] * n_tokens
    for _, start, end, label in spans:
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


@pytest.mark.parametrize("seed", range(5))
def test_strict_f1_matches_seqeval(seed: int) -> None:
    rng = random.Random(seed)
    gold, pred, y_true, y_pred = [], [], [], []
    for i in range(30):
        n_tokens = rng.randint(1, 40)
        g, p = random_tiling(rng, f"s{i}", n_tokens), random_tiling(rng, f"s{i}", n_tokens)
        if rng.random() < 0.5:  # make many predictions exact
            p = [s for s in g if rng.random() < 0.7]
        gold += g
        pred += p
        y_true.append(to_iob2(g, n_tokens))
        y_pred.append(to_iob2(p, n_tokens))
    expected = seqeval_f1(y_true, y_pred, mode="strict", scheme=IOB2, zero_division=0)
    assert strict_micro_f1(gold, pred) == pytest.approx(expected, abs=1e-12)


# --------------------------------------------------------------------------
# per-document counts and bootstrap
# --------------------------------------------------------------------------


def test_span_counts_by_doc_rows() -> None:
    docs, rows = span_counts_by_doc(GOLD_A, PRED_A, "strict")
    assert docs == ("d1", "d2")
    # d1: COR1 INC2 SPU1; d2: MIS1
    assert rows.tolist() == [[1, 2, 0, 0, 1], [0, 0, 0, 1, 0]]
    assert span_counts_f1(rows.sum(axis=0), "strict") == span_scores(GOLD_A, PRED_A).strict.f1
    docs, rows = span_counts_by_doc(GOLD_A, PRED_A, "partial", doc_ids=["d2", "d0", "d1"])
    assert docs == ("d2", "d0", "d1")
    # partial, d1: PER and the wrong-type [10,15) are COR, shifted LOC is PAR
    assert rows.tolist() == [[0, 0, 0, 1, 0], [0, 0, 0, 0, 0], [2, 0, 1, 0, 1]]
    with pytest.raises(ValueError):
        span_counts_by_doc(GOLD_A, PRED_A, doc_ids=["d1"])


def test_per_doc_counts_sum_to_overall() -> None:
    rng = random.Random(3)
    gold = random_spans(rng, 200, 10, 100, 8)
    pred = random_spans(rng, 200, 10, 100, 8)
    scores = span_scores(gold, pred)
    for scheme in SCHEMES:
        _, rows = span_counts_by_doc(gold, pred, scheme)
        assert tuple(rows.sum(axis=0).tolist()) == counts(scores.scheme(scheme))


def make_system(rng: np.random.Generator, n_docs: int, hit_rate: float) -> list[Span]:
    """Gold copy where each span survives (exactly) with probability hit_rate, else shifted."""
    out = []
    for d in range(n_docs):
        for k in range(10):
            start = 10 * k
            shift = 0 if rng.random() < hit_rate else 1
            out.append((f"doc{d:03d}", start + shift, start + 5, "A"))
    return out


@pytest.fixture(scope="module")
def bootstrap_data() -> tuple[np.ndarray, np.ndarray, float]:
    rng = np.random.default_rng(1)
    gold = [(f"doc{d:03d}", 10 * k, 10 * k + 5, "A") for d in range(80) for k in range(10)]
    good, bad = make_system(rng, 80, 0.8), make_system(rng, 80, 0.5)
    docs = sorted({s[0] for s in gold})
    _, rows_good = span_counts_by_doc(gold, good, doc_ids=docs)
    _, rows_bad = span_counts_by_doc(gold, bad, doc_ids=docs)
    return rows_good, rows_bad, strict_micro_f1(gold, good)


def test_bootstrap_deterministic_and_contains_estimate(bootstrap_data) -> None:
    rows, _, point = bootstrap_data
    stat = span_f1_statistic("strict")
    first = bootstrap_ci(rows, stat, n_resamples=500, seed=0)
    assert first == bootstrap_ci(rows, stat, n_resamples=500, seed=0)
    assert first != bootstrap_ci(rows, stat, n_resamples=500, seed=1)
    low, high = first
    assert low < point < high
    assert 0.0 < high - low < 0.2


def test_bootstrap_resamples_documents_and_sums_counts() -> None:
    # Replays the documented draw: resample b sums rows rng.integers(0, n, n).
    rows = np.array([[3, 4], [0, 5], [7, 7], [1, 9]], dtype=float)
    ratio = lambda c: float(c[0] / c[1])  # noqa: E731  (micro ratio of sums)
    rng = np.random.default_rng(5)
    expected = [ratio(rows[rng.integers(0, 4, 4)].sum(axis=0)) for _ in range(50)]
    low, high = bootstrap_ci(rows, ratio, n_resamples=50, seed=5, alpha=0.1)
    assert (low, high) == tuple(np.quantile(expected, [0.05, 0.95]).tolist())
    # A single document always resamples to itself.
    assert bootstrap_ci([[2, 4]], ratio) == (0.5, 0.5)


def test_paired_bootstrap(bootstrap_data) -> None:
    good, bad, _ = bootstrap_data
    stat = span_f1_statistic("strict")
    assert paired_bootstrap(good, good, stat, n_resamples=200) == 1.0
    p_better = paired_bootstrap(good, bad, stat, n_resamples=500, seed=0)
    assert p_better < 0.01
    assert p_better == paired_bootstrap(good, bad, stat, n_resamples=500, seed=0)
    # Direction-agnostic: the observed sign is what must survive resampling.
    assert paired_bootstrap(bad, good, stat, n_resamples=500, seed=0) == p_better
    assert paired_bootstrap(good, bad, stat, n_resamples=500, two_sided=True) == min(1.0, 2 * p_better)
    with pytest.raises(ValueError):
        paired_bootstrap(good, bad[:-1], stat)


def test_paired_bootstrap_close_systems_not_significant() -> None:
    rng = np.random.default_rng(0)
    a = rng.integers(0, 10, size=(50, 3)).astype(float)
    b = a.copy()
    b[0, 0] += 1  # a tiny difference on one document
    ratio = lambda c: float(c[0] / max(c[1] + c[2], 1))  # noqa: E731
    assert paired_bootstrap(a, b, ratio, n_resamples=300) > 0.05


# --------------------------------------------------------------------------
# quotes
# --------------------------------------------------------------------------

# "a b c d e f g h i j": token i sits at [2i, 2i + 1).
LETTERS = "a b c d e f g h i j"
TEXTS = {"q": LETTERS}


def test_token_offsets() -> None:
    assert token_offsets("Disse: «No!»") == ((0, 5), (5, 6), (7, 8), (8, 10), (10, 11), (11, 12))
    assert token_offsets(LETTERS)[3] == (6, 7)


def test_token_overlap_golden() -> None:
    gold = [
        QuoteItem("q", ((0, 7),), "direct", "g1"),  # a b c d -> 4 tokens
        QuoteItem("q", ((10, 13), (16, 19)), "indirect", "g2"),  # f g + i j -> 4 tokens
    ]
    pred = [
        QuoteItem("q", ((2, 7),), "direct", "p1"),  # b c d: 3 shared with g1
        QuoteItem("q", ((12, 17),), "direct", "p2"),  # g h i: 2 shared with g2
        QuoteItem("q", ((8, 9),), "direct", "p3"),  # e: matches nothing
    ]
    # P = (3/3 + 2/3 + 0) / 3 = 5/9;  R = (3/4 + 2/4) / 2 = 5/8;  F = 50/85 = 10/17
    scores = token_overlap_f1(gold, pred, TEXTS)
    assert scores.precision == pytest.approx(5 / 9)
    assert scores.recall == pytest.approx(5 / 8)
    assert scores.f1 == pytest.approx(10 / 17)
    assert (scores.n_gold, scores.n_pred, scores.n_matched) == (2, 3, 2)
    matches = match_quotes(gold, pred, TEXTS)
    assert matches == (QuoteMatch("q", "g1", "p1", 3, 4, 3), QuoteMatch("q", "g2", "p2", 2, 4, 3))
    # one of two matched pairs keeps its label
    acc = type_accuracy_on_matched(gold, pred, matches)
    assert (acc.accuracy, acc.n_matched, acc.n_same) == (0.5, 2, 1)
    docs, rows = token_overlap_counts_by_doc(gold, pred, TEXTS)
    assert docs == ("q",)
    assert token_overlap_f1_from_counts(rows.sum(axis=0)) == pytest.approx(10 / 17)


def test_token_overlap_matching_is_optimal_not_greedy() -> None:
    # Overlap matrix (gold x pred) = [[3, 2], [2, 0]]: greedy takes the 3 and
    # strands the rest (total 3); the optimal assignment pairs g0-p1 and g1-p0 (total 4).
    gold = [QuoteItem("q", ((0, 9),), "x", "g0"), QuoteItem("q", ((0, 3),), "x", "g1")]  # a-e, a-b
    pred = [QuoteItem("q", ((0, 5),), "x", "p0"), QuoteItem("q", ((6, 9),), "x", "p1")]  # a-c, d-e
    pairs = {(m.gold_key, m.pred_key) for m in match_quotes(gold, pred, TEXTS)}
    assert pairs == {("g0", "p1"), ("g1", "p0")}
    # P = (2/2 + 2/3) / 2 = 5/6;  R = (2/5 + 2/2) / 2 = 7/10
    scores = token_overlap_f1(gold, pred, TEXTS)
    assert (scores.precision, scores.recall) == pytest.approx((5 / 6, 7 / 10))


def test_token_overlap_perfect_and_empty() -> None:
    gold = [QuoteItem("q", ((0, 7),), "x", "g1"), QuoteItem("q", ((10, 19),), "x", "g2")]
    assert token_overlap_f1(gold, gold, TEXTS).f1 == 1.0
    empty = token_overlap_f1(gold, [], TEXTS)
    assert (empty.precision, empty.recall, empty.f1) == (0.0, 0.0, 0.0)
    assert type_accuracy_on_matched(gold, [], ()).accuracy == 0.0
    with pytest.raises(ValueError):
        token_overlap_f1(gold, gold, {})  # no text for the document
    with pytest.raises(ValueError):
        QuoteItem("q", ((3, 3),), "x", "bad")


def test_quote_strict_f1() -> None:
    gold = [QuoteItem("q", ((0, 7),), "direct", "g1"), QuoteItem("q", ((10, 13), (16, 19)), "mixed", "g2")]
    pred = [
        QuoteItem("q", ((3, 7), (0, 3)), "direct", "p1"),  # same characters as g1, split and unsorted
        QuoteItem("q", ((10, 13), (16, 19)), "direct", "p2"),  # g2's characters, wrong label
        QuoteItem("q", ((10, 13),), "mixed", "p3"),  # part of g2 only
    ]
    # spans only: 2 exact of 3 pred, 2 gold -> P=2/3, R=1, F=0.8
    loose = quote_strict_f1(gold, pred)
    assert (loose.n_matched, loose.precision, loose.recall) == (2, pytest.approx(2 / 3), 1.0)
    assert loose.f1 == pytest.approx(0.8)
    # with labels: only p1 -> P=1/3, R=1/2, F=0.4
    assert quote_strict_f1(gold, pred, match_label=True).f1 == pytest.approx(0.4)
    # one-to-one: a duplicated prediction counts once
    assert quote_strict_f1(gold[:1], [pred[0], pred[0]]).n_matched == 1


# --------------------------------------------------------------------------
# demand tuples
# --------------------------------------------------------------------------


def test_tuple_f1_golden() -> None:
    gold = [
        ("d1", "Salvini", "governo", ((0, 10),), "g1"),
        ("d1", "CGIL", None, ((20, 30),), "g2"),
    ]
    pred = [
        ("d1", "Salvini", "governo", ((5, 12),), "p1"),  # full match with g1
        ("d1", "CGIL", "governo", ((20, 30),), "p2"),  # addressee differs from g2
        ("d2", "Meloni", None, ((0, 5),), "p3"),  # document without gold
    ]
    scores = tuple_f1(gold, pred)
    # full: TP=1 -> P=1/3, R=1/2, F=0.4
    assert (scores.precision, scores.recall) == (pytest.approx(1 / 3), 0.5)
    assert scores.f1 == pytest.approx(0.4)
    # claimant: Salvini, CGIL -> 2: P=2/3, R=1, F=0.8
    assert scores.claimant.f1 == pytest.approx(0.8)
    # addressee: only "governo" pairs, one-to-one -> 1: F=0.4
    assert scores.addressee.n_matched == 1
    assert scores.addressee.f1 == pytest.approx(0.4)
    # action: [0,10)~[5,12), [20,30)~[20,30) -> 2: F=0.8
    assert scores.action.f1 == pytest.approx(0.8)
    assert list(scores.as_dict()) == ["overall", "claimant", "addressee", "action"]


def test_tuple_f1_one_to_one_and_limits() -> None:
    gold = [("d", "A", None, ((0, 5),), "g")]
    twice = [("d", "A", None, ((0, 5),), "p1"), ("d", "A", None, ((1, 3),), "p2")]
    scores = tuple_f1(gold, twice)
    assert (scores.overall.n_matched, scores.precision, scores.recall) == (1, 0.5, 1.0)
    assert tuple_f1(gold, gold).f1 == 1.0
    assert tuple_f1(gold, []).recall == 0.0
    # touching action spans do not overlap; empty action spans never do
    assert tuple_f1(gold, [("d", "A", None, ((5, 9),), "p")]).f1 == 0.0
    assert tuple_f1([("d", "A", None, (), "g")], [("d", "A", None, (), "p")]).f1 == 0.0


# --------------------------------------------------------------------------
# classification
# --------------------------------------------------------------------------


def test_stance_golden() -> None:
    gold = ["favour", "favour", "against", "against", "neutral"]
    pred = ["favour", "against", "against", "neutral", "neutral"]
    # favour: P=1/1, R=1/2 -> 2/3; against: P=1/2, R=1/2 -> 1/2; neutral: P=1/2, R=1 -> 2/3
    scores = stance_scores(gold, pred)
    assert scores.f_avg == pytest.approx((2 / 3 + 1 / 2) / 2)  # 7/12
    assert scores.macro_f1 == pytest.approx(11 / 18)
    assert scores.accuracy == 0.6
    assert stance_f_avg(gold, pred) == scores.f_avg
    assert stance_f_avg(gold, gold) == 1.0
    assert list(scores.as_dict()) == ["f_avg", "f1_favour", "f1_against", "macro_f1", "accuracy"]
    with pytest.raises(ValueError):
        stance_f_avg(["favor"], ["favour"])
    with pytest.raises(ValueError):
        accuracy(["a"], [])


@pytest.mark.parametrize("seed", range(5))
def test_classification_matches_sklearn(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 200)
    gold = [rng.choice(["favour", "against", "neutral"]) for _ in range(n)]
    pred = [rng.choice(["favour", "against", "neutral"]) for _ in range(n)]
    expected = sk_f1(gold, pred, labels=["favour", "against"], average="macro", zero_division=0)
    assert stance_f_avg(gold, pred) == pytest.approx(expected, abs=1e-12)
    assert macro_f1(gold, pred) == pytest.approx(sk_f1(gold, pred, average="macro", zero_division=0), abs=1e-12)
    assert accuracy(gold, pred) == pytest.approx(accuracy_score(gold, pred), abs=1e-12)
