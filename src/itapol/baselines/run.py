"""Run baselines: train on train, tune on dev, predict test, score with itapol.scoring, write results."""

from __future__ import annotations

import json
import time
from pathlib import Path

from itapol import scoring
from itapol.baselines import Entry, inputs_only, registry
from itapol.configs import rows
from itapol.corpus import write_atomic
from itapol.tasks import TASKS

SEED = 13


def task_rows(records: list[dict], task: str, split: str) -> list[dict]:
    """Gold rows of a task and split with labels as names (what baselines read)."""
    cfg = TASKS[task].gold_config
    return [scoring.named_row(cfg, r) for r in rows(cfg, [r for r in records if r["split"] == split])]


def predictions_jsonl(predictions: list[dict]) -> str:
    return "".join(json.dumps(p, ensure_ascii=False, sort_keys=True) + "\n" for p in sorted(predictions, key=lambda p: p["id"]))


def run_one(entry: Entry, records: list[dict], revision: str, split: str = "test", seed: int = SEED,
            workdir: Path | None = None) -> dict:
    """Fit, predict and score one baseline; returns the results record (as `itapol score` writes it)."""
    task = TASKS[entry.task]
    train, dev = task_rows(records, entry.task, "train"), task_rows(records, entry.task, "dev")
    target = task_rows(records, entry.task, split)
    t0 = time.perf_counter()
    model = entry.make(seed).fit(train, dev)
    predictions = model.predict([inputs_only(entry.task, r) for r in target])
    elapsed = time.perf_counter() - t0
    gold = scoring.gold_from_records(task, split, records, revision)
    path = (workdir or Path(".")) / f"{entry.task}.{entry.name}.predictions.jsonl"
    write_atomic(path, predictions_jsonl(predictions))
    preds = scoring.read_predictions(path, gold)
    if preds.problems:
        raise ValueError(f"baseline {entry.task}/{entry.name} wrote invalid predictions: {preds.problems[0]}")
    results = scoring.score(gold, preds, system=f"itapol/{entry.name}")
    results["baseline"] = {"name": entry.name, "kind": entry.kind, "seed": seed, "description": model.description,
                           "fit_predict_seconds": round(elapsed, 1)}
    return results


def run_all(records: list[dict], revision: str, out_dir: Path, *, task: str | None = None, name: str | None = None,
            split: str = "test", progress=lambda x: x) -> list[dict]:
    """Run the selected baselines; write baselines/results/<task>/<name>.json for each."""
    entries = [e for (t, n), e in sorted(registry().items()) if (task is None or t == task) and (name is None or n == name)]
    results = []
    for entry in progress(entries):
        res = run_one(entry, records, revision, split, workdir=out_dir / "predictions")
        timing = res["baseline"].pop("fit_predict_seconds")
        write_atomic(out_dir / "results" / entry.task / f"{entry.name}.json", scoring.results_json(res))
        res["baseline"]["fit_predict_seconds"] = timing
        results.append(res)
    return results


def recorded_key(result: dict) -> str:
    return f"{result['task']}/{result['baseline']['name']}"


def check_recorded(results: list[dict], recorded: dict) -> list[str]:
    """Differences between fresh baseline scores and the recorded ones (exact: runs are deterministic).

    ``recorded`` is {"dataset_revision": ..., "scores": {"task/name": main_score}}; a baseline whose score
    moved, that is missing, or that is new must be re-recorded explicitly with a reason.
    """
    problems = []
    fresh = {recorded_key(r): r["main_score"] for r in results}
    revisions = {r["dataset_revision"] for r in results}
    if revisions and revisions != {recorded["dataset_revision"]}:
        problems.append(f"dataset revision changed: recorded {recorded['dataset_revision']}, now {sorted(revisions)}; "
                        "re-record with 'itapol baselines record --reason ...'")
    for key, want in sorted(recorded["scores"].items()):
        got = fresh.get(key)
        if got is None:
            problems.append(f"{key}: recorded {want}, not run")
        elif got != want:
            problems.append(f"{key}: main score {got} differs from the recorded {want} ({'worse' if got < want else 'better'})")
    for key in sorted(set(fresh) - set(recorded["scores"])):
        problems.append(f"{key}: {fresh[key]} has no recorded value")
    return problems
