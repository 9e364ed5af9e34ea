"""Every registered baseline: each task has a floor and a real system; real ones are deterministic and beat the floor on dev."""

from __future__ import annotations

import pytest

from itapol.baselines import registry
from itapol.baselines.run import run_one
from itapol.scoring import records_revision
from itapol.tasks import TASKS

FLOOR = {"mentions": "empty", "quotes": "empty", "locations": "empty", "demands": "empty",
         "stances": "majority", "attribution": "preceding-name"}
# determinism of the CRF is checked on a smaller training set in test_baselines_mentions.py (a full fit takes ~5 s)
COSTLY = {("mentions", "crf")}
REAL = sorted(key for key, entry in registry().items() if entry.kind == "real")


@pytest.fixture(scope="module")
def revision(records):
    return records_revision(records)


@pytest.fixture(scope="module")
def floors(records, revision, tmp_path_factory):
    out = tmp_path_factory.mktemp("floors")
    return {task: run_one(registry()[(task, name)], records, revision, split="dev", workdir=out)["main_score"]
            for task, name in FLOOR.items()}


def test_every_task_has_a_floor_and_a_real_baseline():
    entries = registry()
    for task in TASKS:
        assert entries[(task, FLOOR[task])].kind == "trivial", task
        assert any(t == task for t, _ in REAL), task
    assert all(e.make(13).description for e in entries.values())


@pytest.mark.parametrize("task,name", REAL)
def test_real_baseline_is_deterministic_and_beats_its_floor(records, revision, floors, tmp_path, task, name):
    entry = registry()[(task, name)]
    a = run_one(entry, records, revision, split="dev", workdir=tmp_path / "a")
    assert a["main_score"] > floors[task], (task, name, a["main_score"], floors[task])
    if (task, name) not in COSTLY:
        b = run_one(entry, records, revision, split="dev", workdir=tmp_path / "b")
        assert a["predictions_sha256"] == b["predictions_sha256"]
