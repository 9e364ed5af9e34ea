"""Score regression: every baseline's main score on the current corpus equals the recorded value.

Runs are deterministic, so the comparison is exact. To change a recorded value, rerun
'itapol baselines run' and 'itapol baselines record --reason "..."' and commit both.
"""

from __future__ import annotations

import json
from pathlib import Path

from itapol.baselines import registry
from itapol.baselines.run import check_recorded, run_one
from itapol.corpus import load_records
from itapol.scoring import records_revision

ROOT = Path(__file__).resolve().parents[1]


def test_baseline_scores_match_recorded(tmp_path):
    recorded = json.loads((ROOT / "benchmarks" / "recorded_scores.json").read_text("utf-8"))
    records = load_records(ROOT / "corpus")
    revision = records_revision(records)
    results = [run_one(entry, records, revision, workdir=tmp_path) for _, entry in sorted(registry().items())]
    problems = check_recorded(results, recorded)
    assert not problems, "\n".join(problems)
