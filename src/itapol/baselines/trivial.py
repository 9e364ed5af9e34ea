"""Trivial baselines: the floor every real system must beat."""

from __future__ import annotations

import re
from collections import Counter

from itapol.baselines import Entry

CAPITALISED = re.compile(r"\b[A-ZÀ-Ý][\w'’-]+(?: (?:di |del |della |de )?[A-ZÀ-Ý][\w'’-]+)*")


class Empty:
    """Predicts nothing (recall 0): the floor for extraction tasks."""

    description = "predicts no items"

    def __init__(self, task: str, field: str):
        self.task, self.field, self.name = task, field, "empty"

    def fit(self, train, dev):
        return self

    def predict(self, rows):
        return [{"id": r["id"], self.field: []} for r in rows]


class MajorityStance:
    """Predicts the most frequent polarity of the training set for every stance."""

    name, task, description = "majority", "stances", "most frequent training polarity"

    def __init__(self):
        self.label = "favour"

    def fit(self, train, dev):
        counts = Counter(s["polarity"] for r in train for s in r["stances"])
        self.label = max(sorted(counts), key=counts.get) if counts else "favour"
        return self

    def predict(self, rows):
        return [{"id": r["id"], "stances": [{**s, "polarity": self.label} for s in r["stances"]]} for r in rows]


class PrecedingName:
    """Attributes each quote to the nearest capitalised name before its cue (or its content)."""

    name, task, description = "preceding-name", "attribution", "nearest capitalised name before the cue"

    def fit(self, train, dev):
        return self

    def predict(self, rows):
        out = []
        for r in rows:
            items = []
            for q in r["quotes"]:
                anchor = (q["cue"] or q["content"][0])["start"]
                before = [m for m in CAPITALISED.finditer(r["text"][:anchor])]
                m = before[-1] if before else None
                items.append({**q, "speaker": None if m is None else {"start": m.start(), "end": m.end()},
                              "speaker_name": None, "intermediary_name": None})
            out.append({"id": r["id"], "quotes": items})
        return out


ENTRIES = [
    Entry("mentions", "empty", "trivial", lambda seed: Empty("mentions", "mentions")),
    Entry("quotes", "empty", "trivial", lambda seed: Empty("quotes", "quotes")),
    Entry("locations", "empty", "trivial", lambda seed: Empty("locations", "locations")),
    Entry("demands", "empty", "trivial", lambda seed: Empty("demands", "demands")),
    Entry("stances", "majority", "trivial", lambda seed: MajorityStance()),
    Entry("attribution", "preceding-name", "trivial", lambda seed: PrecedingName()),
]
