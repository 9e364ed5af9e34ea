"""Scoring: gold = 1.0, empty = recall 0, every task; determinism; bad input; compare; evaluate adapter."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from itapol import scoring
from itapol.cli import main
from itapol.tasks import TASKS

RECALL = {"mentions": "strict_recall", "quotes": "overlap_recall", "attribution": "accuracy", "locations": "span_id_f1",
          "stances": "accuracy", "demands": "tuple_recall"}


@pytest.fixture(scope="module")
def golds(records):
    return {name: scoring.gold_from_records(task, "test", records, scoring.records_revision(records)) for name, task in TASKS.items()}


def write_rows(path, gold, transform=lambda items: items):
    path.write_text("".join(json.dumps({"id": i, gold.task.field: transform(r[gold.task.field])}, ensure_ascii=False) + "\n"
                            for i, r in gold.rows.items()), "utf-8")
    return path


@pytest.mark.parametrize("task", sorted(TASKS))
def test_gold_scores_one_on_every_score(task, golds, tmp_path):
    gold = golds[task]
    assert sum(len(r[gold.task.field]) for r in gold.rows.values()) > 0, "the test split has items for every task"
    res = scoring.score(gold, scoring.read_predictions(write_rows(tmp_path / "p.jsonl", gold), gold))
    assert res["main_score"] == 1.0
    assert all(v == 1.0 for v in res["scores"].values()), res["scores"]
    assert res["confidence_interval"]["main_score"] == [1.0, 1.0]


@pytest.mark.parametrize("task", sorted(TASKS))
def test_empty_predictions_score_zero_recall(task, golds, tmp_path):
    gold = golds[task]
    res = scoring.score(gold, scoring.read_predictions(write_rows(tmp_path / "p.jsonl", gold, lambda items: []), gold))
    assert res["main_score"] == 0.0 and res["scores"][RECALL[task]] == 0.0


def test_partial_predictions_score_between(golds, tmp_path):
    gold = golds["mentions"]
    res = scoring.score(gold, scoring.read_predictions(write_rows(tmp_path / "p.jsonl", gold, lambda items: items[::2]), gold))
    assert 0.4 < res["main_score"] < 0.9
    assert res["scores"]["strict_precision"] == 1.0
    lo, hi = res["confidence_interval"]["main_score"]
    assert lo <= res["main_score"] <= hi and hi - lo > 0


@pytest.fixture(autouse=True)
def _consistent_corpus(corpus_snapshot, monkeypatch):
    monkeypatch.setenv("ITAPOL_CORPUS", str(corpus_snapshot))


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else "")


def test_cli_score_writes_deterministic_results(golds, tmp_path):
    pred = write_rows(tmp_path / "p.jsonl", golds["quotes"], lambda items: items[:1])
    out1, out2 = tmp_path / "r1.json", tmp_path / "r2.json"
    code, out = run("score", "--task", "quotes", "--predictions", str(pred), "--output", str(out1), "--system", "first-quote")
    assert code == 0, out
    run("score", "--task", "quotes", "--predictions", str(pred), "--output", str(out2), "--system", "first-quote")
    assert out1.read_bytes() == out2.read_bytes()
    res = json.loads(out1.read_text("utf-8"))
    assert isinstance(res["main_score"], float) and res["task"] == "quotes" and res["task_version"] == "1.0.0"
    assert res["dataset_revision"].startswith("corpus:") and res["split"] == "test"
    assert set(res["per_document"]) == set(golds["quotes"].rows)
    assert "overlap_f1" in out and "95% CI" in out


def test_compare_paired_bootstrap(golds, tmp_path):
    gold = golds["mentions"]
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    run("score", "--task", "mentions", "--predictions", str(write_rows(tmp_path / "pa.jsonl", gold)), "--output", str(a))
    run("score", "--task", "mentions", "--predictions", str(write_rows(tmp_path / "pb.jsonl", gold, lambda i: i[::3])), "--output", str(b))
    code, out = run("compare", str(a), str(b))
    assert code == 0
    report = json.loads(out)
    assert report["better"] == "a" and report["p_value"] < 0.01
    code, out = run("compare", str(a), str(a))
    assert json.loads(out)["p_value"] == 1.0
    broken = tmp_path / "broken.json"
    broken.write_text('{"task": \n', "utf-8")
    code, out = run("compare", str(broken), str(a))
    assert code == 2 and f"{broken}:2: not JSON:" in out and "Traceback" not in out
    (tmp_path / "other.json").write_text("{}", "utf-8")
    code, out = run("compare", str(tmp_path / "other.json"), str(a))
    assert code == 2 and "missing field 'task'" in out


def _bad(tmp_path, golds, content: bytes, task="mentions"):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    return run("score", "--task", task, "--predictions", str(path))


def _first(golds, task="mentions"):
    return sorted(golds[task].rows)[0]


BAD_CASES = {
    "not json": (lambda g: b'{"id": "x",\n', r"bad\.jsonl:1: not JSON: "),
    "not utf8": (lambda g: b'{"id": "caf\xe9"}\n', r"bad\.jsonl:1: not UTF-8 \(byte 0xe9"),
    "empty file": (lambda g: b"", r"bad\.jsonl: empty predictions file"),
    "unknown id": (lambda g: b'{"id": "wn-000000000000", "mentions": []}\n', r"bad\.jsonl:1: wn-000000000000: id: unknown document id"),
    "duplicate": (lambda g: (json.dumps({"id": _first(g), "mentions": []}) + "\n").encode() * 2, r"bad\.jsonl:2: wn-[0-9a-f]{12}: id: duplicate record \(first on line 1\)"),
    "wrong type": (lambda g: (json.dumps({"id": _first(g), "mentions": [{"start": "0", "end": 5, "type": "PER"}]}) + "\n").encode(), r"mentions\[0\]\.start: expected an integer, got str"),
    "reversed span": (lambda g: (json.dumps({"id": _first(g), "mentions": [{"start": 9, "end": 3, "type": "PER"}]}) + "\n").encode(), r"mentions\[0\]: span \[9, 3\) needs 0 <= start < end"),
    "out of range": (lambda g: (json.dumps({"id": _first(g), "mentions": [{"start": 0, "end": 10**7, "type": "PER"}]}) + "\n").encode(), r"ends beyond the text"),
    "wrong label": (lambda g: (json.dumps({"id": _first(g), "mentions": [{"start": 0, "end": 3, "type": "MISC"}]}) + "\n").encode(), r"mentions\[0\]\.type: unknown label 'MISC' \(expected one of PER, ORG, GPE, LOC\)"),
    "missing field": (lambda g: (json.dumps({"id": _first(g)}) + "\n").encode(), r"wn-[0-9a-f]{12}: mentions: missing field"),
    "unknown field": (lambda g: (json.dumps({"id": _first(g), "mentions": [], "entities": []}) + "\n").encode(), r": entities: unknown field"),
    "not an object": (lambda g: b"[1, 2]\n", r"bad\.jsonl:1: expected a JSON object per line"),
}


@pytest.mark.parametrize("kind", sorted(BAD_CASES))
def test_bad_predictions_one_clear_line(kind, golds, tmp_path):
    make, pattern = BAD_CASES[kind]
    code, out = _bad(tmp_path, golds, make(golds))
    assert code == 2, out
    assert re.search(pattern, out), out
    assert "Traceback" not in out and "nothing scored" in out


def test_unknown_stance_id(golds, tmp_path):
    doc = next(i for i, r in golds["stances"].rows.items() if r["stances"])
    line = json.dumps({"id": doc, "stances": [{"stance_id": "s999", "holder": "x", "target": "y", "target_kind": "entity", "evidence": [], "polarity": "favour"}]})
    code, out = _bad(tmp_path, golds, (line + "\n").encode(), task="stances")
    assert code == 2 and "stances.stance_id: unknown stance_id 's999'" in out


def test_missing_documents_warn_or_fail_with_strict(golds, tmp_path):
    doc = _first(golds)
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"id": doc, "mentions": []}) + "\n", "utf-8")
    code, out = run("score", "--task", "mentions", "--predictions", str(path))
    assert code == 0 and "have no prediction" in out and "counted as empty" in out
    code, out = run("score", "--task", "mentions", "--predictions", str(path), "--strict")
    assert code == 2 and "--strict" in out


def test_labels_as_indices_are_accepted(golds, tmp_path):
    gold = golds["stances"]
    index = {"favour": 0, "against": 1, "neutral": 2}
    path = write_rows(tmp_path / "p.jsonl", gold, lambda items: [{**s, "polarity": index[s["polarity"]]} for s in items])
    res = scoring.score(gold, scoring.read_predictions(path, gold))
    assert res["main_score"] == 1.0


def test_tasks_listing():
    code, out = run("tasks")
    assert code == 0 and all(name in out for name in TASKS)


def test_evaluate_adapter_gives_same_numbers(records):
    import evaluate

    import itapol
    from itapol.configs import rows
    test = [r for r in records if r["split"] == "test"]
    gold = rows("mentions", test)
    metric = evaluate.load(itapol.metric_path(), config_name="mentions")
    half = [{**g, "mentions": g["mentions"][::2]} for g in gold]
    direct = scoring.score(scoring.gold_from_rows(TASKS["mentions"], "test", "x", gold, rows("documents", test)),
                           scoring.Predictions({g["id"]: scoring.named_row("mentions", g) for g in half}, "", [], []))
    assert metric.compute(predictions=half, references=gold)["main_score"] == direct["main_score"]
