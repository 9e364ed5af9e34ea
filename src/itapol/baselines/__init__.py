"""Baseline systems: one small class per baseline, scikit-learn shaped (``fit`` / ``predict``).

A baseline reads task-config rows with labels as names (``scoring.named_row``). ``fit``
gets the gold train and dev rows; ``predict`` gets rows whose gold outputs are removed
(:func:`inputs_only`) and returns one predictions row per input row, in the task's gold
config format. Every baseline is deterministic given its ``seed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

from itapol.tasks import TASKS


class Baseline(Protocol):
    name: str
    task: str
    description: str

    def fit(self, train: list[dict], dev: list[dict]) -> "Baseline": ...

    def predict(self, rows: list[dict]) -> list[dict]: ...


# What a system may read, per task: the other fields of each item are gold outputs.
INPUT_KEYS = {
    "mentions": (), "quotes": (), "locations": (), "demands": (),
    "attribution": ("quote_id", "content", "cue"),
    "stances": ("stance_id", "holder", "target", "target_kind", "evidence"),
}


def inputs_only(task: str, row: dict) -> dict:
    """A task row with every gold output removed (what ``predict`` receives)."""
    field = TASKS[task].field
    keep = INPUT_KEYS[task]
    items = [{k: it[k] for k in keep} for it in row[field]] if keep else []
    return {"id": row["id"], "text": row["text"], field: items}


@dataclass(frozen=True)
class Entry:
    task: str
    name: str
    kind: str  # "trivial" or "real"
    make: Callable[[int], Baseline]


def registry() -> dict[tuple[str, str], Entry]:
    """Every baseline, keyed by (task, name). Imports are local so one missing extra disables only its baselines."""
    from itapol.baselines import trivial
    entries = list(trivial.ENTRIES)
    for module in ("mentions", "locations", "quotes", "attribution", "stances", "demands"):
        try:
            mod = __import__(f"itapol.baselines.{module}", fromlist=["ENTRIES"])
        except ImportError:
            continue
        entries.extend(mod.ENTRIES)
    return {(e.task, e.name): e for e in entries}
