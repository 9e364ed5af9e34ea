"""Speed suite for the everyday tools: validation, loading, scoring (export and Hub loading: bench_hub.py).

Run on demand and compare with the stored baseline (see benchmarks/README.md):

    python -m pytest benchmarks/bench_speed.py benchmarks/bench_hub.py --benchmark-only \\
        --benchmark-storage=file://benchmarks/storage --benchmark-compare \\
        --benchmark-compare-fail=mean:300%

All inputs are the real corpus (the documents named in corpus/splits.json) and real texts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from itapol.configs import rows
from itapol.corpus import load_records, load_texts, read_splits
from itapol.scoring import gold_from_records, read_predictions, records_revision, score
from itapol.tasks import TASKS
from itapol.validate import check_corpus

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def texts():
    return load_texts(CORPUS)


@pytest.fixture(scope="module")
def records():
    return load_records(CORPUS)


def test_validate_corpus(benchmark, texts):
    """Schema + semantic validation of every annotated document (what `itapol validate corpus/` does)."""
    split_of = read_splits(CORPUS)
    files = sorted((CORPUS / "documents").glob("*.json"))
    docs, problems = benchmark(check_corpus, files, texts, split_of)
    assert not problems and len(docs) == len(files)
    benchmark.extra_info["documents"] = len(files)


def test_load_records(benchmark):
    """Rebuild texts (memoised build) and join them with the annotations."""
    records = benchmark(load_records, CORPUS)
    assert records
    benchmark.extra_info["documents"] = len(records)


@pytest.mark.parametrize("task", sorted(TASKS))
def test_score_task(benchmark, records, task, tmp_path):
    """Read and check a predictions file, then score it with bootstrap CIs (gold against itself, test split)."""
    spec = TASKS[task]
    gold = gold_from_records(spec, "test", records, records_revision(records))
    from itapol.baselines.run import predictions_jsonl
    path = tmp_path / "predictions.jsonl"
    path.write_text(predictions_jsonl(list(gold.rows.values())), "utf-8")

    def run():
        return score(gold, read_predictions(path, gold))

    result = benchmark(run)
    assert result["main_score"] == 1.0
    benchmark.extra_info["documents"] = len(gold.rows)
    benchmark.extra_info["items"] = sum(len(r[spec.field]) for r in rows(spec.gold_config, [r for r in records if r["split"] == "test"]))
