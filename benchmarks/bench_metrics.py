"""Benchmarks for itapol.metrics.span_scores against nervaluate 1.2.1.

Run: ``PYTHONPATH=src python -m pytest benchmarks/bench_metrics.py --benchmark-only -q``

Data: 1,000,000 gold spans (10,000 documents x 100 non-overlapping spans,
4 labels) and 1,000,000 predicted spans, seeded: 55% exact copies, 15%
boundary-shifted (+-3 chars), 10% re-typed, 5% shifted and re-typed, 15%
dropped and replaced by random spurious spans in random documents.

nervaluate runs on the full 1M input (about 30 s on the development machine;
well under the 5 minute budget, so no extrapolation is needed).  Set
``ITAPOL_BENCH_NERVALUATE_DOCS`` to a smaller document count to time it on a
prefix instead; the speed ratio is then extrapolated linearly in documents
(nervaluate's cost is per document, quadratic only within a document) and the
test says so in its extra_info.
"""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from nervaluate import Evaluator

from itapol.metrics import SCHEMES, SchemeScores, Span, SpanScores, span_scores

LABELS = ("LOC", "ORG", "PARTY", "PER")
SPANS_PER_DOC = 100
FULL_DOCS = 10_000  # 1,000,000 gold spans
SMALL_DOCS = 1_000  # 100,000 gold spans, for the memory-scaling check
MIN_SPEEDUP = 10.0
MAX_MEMORY_RATIO = 15.0
RESULT_FIELDS = (
    "correct", "incorrect", "partial", "missed", "spurious",
    "possible", "actual", "precision", "recall", "f1",
)


def make_spans(n_docs: int, seed: int = 0) -> tuple[list[Span], list[Span]]:
    """Seeded gold spans and perturbed predictions (see module docstring)."""
    rng = np.random.default_rng(seed)
    shape = (n_docs, SPANS_PER_DOC)
    lengths = rng.integers(2, 30, size=shape)
    starts = (np.cumsum(rng.integers(1, 20, size=shape) + lengths, axis=1) - lengths).ravel()
    ends = starts + lengths.ravel()
    labels = rng.integers(0, len(LABELS), size=starts.size)
    docs = np.repeat(np.arange(n_docs), SPANS_PER_DOC)
    n = starts.size
    kind = rng.choice(5, size=n, p=[0.55, 0.15, 0.10, 0.05, 0.15])  # exact/shift/type/both/drop
    shifted, retyped, kept = (kind == 1) | (kind == 3), (kind == 2) | (kind == 3), kind != 4
    p_start = np.maximum(starts + np.where(shifted, rng.integers(-3, 4, n), 0), 0)
    p_end = np.maximum(ends + np.where(shifted, rng.integers(-3, 4, n), 0), p_start + 1)
    p_label = np.where(retyped, (labels + rng.integers(1, len(LABELS), n)) % len(LABELS), labels)
    n_spurious = n - int(kept.sum())
    s_doc = rng.integers(0, n_docs, n_spurious)
    s_start = rng.integers(0, ends.reshape(shape)[:, -1][s_doc])
    s_end = s_start + rng.integers(2, 30, n_spurious)
    s_label = rng.integers(0, len(LABELS), n_spurious)
    names = [f"doc{d:05d}" for d in range(n_docs)]

    def rows(d: np.ndarray, s: np.ndarray, e: np.ndarray, lab: np.ndarray) -> list[Span]:
        return list(zip([names[i] for i in d.tolist()], s.tolist(), e.tolist(), [LABELS[i] for i in lab.tolist()]))

    gold = rows(docs, starts, ends, labels)
    pred = rows(
        np.concatenate([docs[kept], s_doc]), np.concatenate([p_start[kept], s_start]),
        np.concatenate([p_end[kept], s_end]), np.concatenate([p_label[kept], s_label]),
    )
    return gold, pred


def nervaluate_input(spans: Sequence[Span], docs: Sequence[str]) -> list[list[dict]]:
    """nervaluate dict format: per document, sorted like our default, inclusive end."""
    by_doc: dict[str, list[Span]] = {d: [] for d in docs}
    for span in spans:
        if span[0] in by_doc:
            by_doc[span[0]].append(span)
    return [
        [{"label": lab, "start": a, "end": b - 1} for _, a, b, lab in sorted(by_doc[d], key=lambda s: s[1:])]
        for d in docs
    ]


def run_nervaluate(gold: Sequence[Span], pred: Sequence[Span]) -> tuple[dict, float]:
    """nervaluate results and the seconds spent in Evaluator + evaluate()."""
    docs = sorted({s[0] for s in gold} | {s[0] for s in pred})
    true_docs, pred_docs = nervaluate_input(gold, docs), nervaluate_input(pred, docs)
    start = time.perf_counter()
    results = Evaluator(true_docs, pred_docs, tags=list(LABELS), loader="dict").evaluate()
    return results, time.perf_counter() - start


def best_time(fn: Callable[[], object], repeats: int = 3) -> float:
    """Best wall time of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def assert_identical(ours: SpanScores, theirs: dict) -> None:
    """Every scheme and count identical, overall and per label."""
    def same(mine: SchemeScores, ref: object) -> None:
        for name in RESULT_FIELDS:
            assert getattr(mine, name) == getattr(ref, name), name

    for scheme in SCHEMES:
        same(ours.scheme(scheme), theirs["overall"][scheme])
    assert sorted(ours.per_label) == sorted(theirs["entities"])
    for label, by_scheme in ours.per_label.items():
        for scheme in SCHEMES:
            same(by_scheme[scheme], theirs["entities"][label][scheme])


@pytest.fixture(scope="module")
def full_data() -> tuple[list[Span], list[Span]]:
    return make_spans(FULL_DOCS)


@pytest.fixture(scope="module")
def small_data() -> tuple[list[Span], list[Span]]:
    return make_spans(SMALL_DOCS)


def test_span_scores_1m(benchmark, full_data) -> None:
    gold, pred = full_data
    assert len(gold) == 1_000_000 and len(pred) == 1_000_000
    result = benchmark.pedantic(span_scores, args=(gold, pred), rounds=3, iterations=1)
    assert 0.0 < result.strict.f1 < result.partial.f1 < 1.0


def test_nervaluate_identical_and_10x_slower(benchmark, full_data) -> None:
    gold, pred = full_data
    n_docs = int(os.environ.get("ITAPOL_BENCH_NERVALUATE_DOCS", FULL_DOCS))
    subset = {f"doc{d:05d}" for d in range(n_docs)}
    sub_gold = [s for s in gold if s[0] in subset] if n_docs < FULL_DOCS else gold
    sub_pred = [s for s in pred if s[0] in subset] if n_docs < FULL_DOCS else pred

    theirs, nerv_seconds = benchmark.pedantic(run_nervaluate, args=(sub_gold, sub_pred), rounds=1, iterations=1)
    assert_identical(span_scores(sub_gold, sub_pred), theirs)

    ours_seconds = best_time(lambda: span_scores(gold, pred))
    nerv_full_seconds = nerv_seconds * FULL_DOCS / n_docs  # exact when n_docs == FULL_DOCS
    speedup = nerv_full_seconds / ours_seconds
    benchmark.extra_info.update({
        "nervaluate_docs": n_docs,
        "nervaluate_seconds": round(nerv_seconds, 3),
        "nervaluate_1m_seconds": round(nerv_full_seconds, 3),
        "nervaluate_1m_extrapolated": n_docs < FULL_DOCS,
        "itapol_1m_seconds": round(ours_seconds, 3),
        "speedup": round(speedup, 1),
    })
    print(f"\nnervaluate {nerv_full_seconds:.1f}s vs itapol {ours_seconds:.2f}s on 1M spans: {speedup:.1f}x"
          + (f" (nervaluate extrapolated from {n_docs} docs)" if n_docs < FULL_DOCS else ""))
    assert speedup >= MIN_SPEEDUP


def peak_bytes(gold: Sequence[Span], pred: Sequence[Span]) -> int:
    """tracemalloc peak of one span_scores call (inputs excluded)."""
    tracemalloc.start()
    try:
        span_scores(gold, pred)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_roughly_linear(benchmark, full_data, small_data) -> None:
    small = peak_bytes(*small_data)
    large = benchmark.pedantic(peak_bytes, args=full_data, rounds=1, iterations=1)
    ratio = large / small
    benchmark.extra_info.update({"peak_100k_mb": small / 2**20, "peak_1m_mb": large / 2**20, "ratio": ratio})
    print(f"\ntracemalloc peak: 100k {small / 2**20:.1f} MiB, 1M {large / 2**20:.1f} MiB, ratio {ratio:.2f}")
    assert ratio < MAX_MEMORY_RATIO
