"""The regression check fails on a deliberately worsened baseline; leaderboard building and checking."""

from __future__ import annotations

import json

from click.testing import CliRunner

from itapol.baselines import Entry, registry
from itapol.baselines.run import check_recorded, run_one
from itapol.cli import main
from itapol.scoring import records_revision


class Worsened:
    """Wraps a baseline and throws away every second predicted item: a deliberate regression."""

    def __init__(self, inner):
        self.inner, self.name, self.task, self.description = inner, inner.name, inner.task, "worsened " + inner.description

    def fit(self, train, dev):
        self.inner.fit(train, dev)
        return self

    def predict(self, rows):
        out = self.inner.predict(rows)
        field = next(k for k in out[0] if k != "id") if out else None
        return [{**p, field: p[field][::2]} if field else p for p in out]


def _best_entry():
    entries = registry()
    real = [e for e in entries.values() if e.kind == "real" and e.task in ("mentions", "quotes", "locations")]
    return real[0] if real else entries[("attribution", "preceding-name")]


def test_worsened_baseline_fails_regression(records, tmp_path):
    entry = _best_entry()
    revision = records_revision(records)
    good = run_one(entry, records, revision, workdir=tmp_path)
    recorded = {"dataset_revision": revision, "scores": {f"{entry.task}/{entry.name}": good["main_score"]}}
    assert check_recorded([good], recorded) == []
    bad_entry = Entry(entry.task, entry.name, entry.kind, lambda seed: Worsened(entry.make(seed)))
    bad = run_one(bad_entry, records, revision, workdir=tmp_path)
    problems = check_recorded([bad], recorded)
    assert len(problems) == 1 and "differs from the recorded" in problems[0] and "(worse)" in problems[0]


def test_revision_change_is_reported(records, tmp_path):
    entry = registry()[("stances", "majority")]
    res = run_one(entry, records, "corpus:other", workdir=tmp_path)
    problems = check_recorded([res], {"dataset_revision": "corpus:old", "scores": {"stances/majority": res["main_score"]}})
    assert any("dataset revision changed" in p for p in problems)


def test_leaderboard_and_check(records, tmp_path, corpus_snapshot, monkeypatch):
    monkeypatch.setenv("ITAPOL_CORPUS", str(corpus_snapshot))
    runner = CliRunner()
    out = tmp_path / "bl"
    result = runner.invoke(main, ["baselines", "run", "--task", "stances", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    res_file = out / "results" / "stances" / "majority.json"
    result = runner.invoke(main, ["leaderboard", str(out / "results"), "--out-dir", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0
    md = (tmp_path / "LEADERBOARD.md").read_text("utf-8")
    assert "## stances (v1.0.0, test)" in md and "itapol/majority" in md and "corpus:" in md
    assert "<svg" in (tmp_path / "leaderboard.html").read_text("utf-8")
    evals = tmp_path / "evals"
    result = runner.invoke(main, ["leaderboard", str(out / "results"), "--out-dir", str(tmp_path),
                                  "--eval-results", str(evals), "--dataset-id", "org/itapol"], catch_exceptions=False)
    import yaml
    entry = yaml.safe_load((evals / "itapol" / "majority" / ".eval_results" / "stances.yaml").read_text("utf-8"))[0]
    majority = json.loads(res_file.read_text("utf-8"))
    assert entry["dataset"] == {"id": "org/itapol", "task_id": "stances"}
    assert entry["value"] == round(100 * majority["main_score"], 2) and majority["dataset_revision"] in entry["notes"]
    assert runner.invoke(main, ["leaderboard", "--check", str(res_file)]).exit_code == 0
    bad = json.loads(res_file.read_text("utf-8"))
    bad["main_score"] = 1.7
    bad_file = tmp_path / "bad.json"
    bad_file.write_text(json.dumps(bad), "utf-8")
    result = runner.invoke(main, ["leaderboard", "--check", str(bad_file)])
    assert result.exit_code == 1 and "main_score: 1.7 is outside [0, 1]" in result.output


def test_different_revisions_never_ranked_together(records, tmp_path):
    from itapol.leaderboard import group
    entry = registry()[("stances", "majority")]
    a = {**run_one(entry, records, "corpus:a", workdir=tmp_path), "_file": "a.json"}
    b = {**run_one(entry, records, "corpus:b", workdir=tmp_path), "_file": "b.json"}
    groups = group([a, b])
    assert len(groups) == 2 and all(len(v) == 1 for v in groups.values())
