"""Deterministic document splits: story groups kept together, every layer in every split.

Documents about the same news story share named people; two documents
sharing at least ``MIN_SHARED`` such names (with Jaccard >= ``MIN_JACCARD``) are linked, and
connected documents form a story group that goes to one split. Groups are then dealt, in a
fixed pseudo-random order, to the split furthest below its target share.
"""

from __future__ import annotations

import hashlib
from itertools import combinations

from itapol.schema import Document

TARGETS = {"test": 0.34, "dev": 0.16, "train": 0.50}
MIN_TEST = 50
MIN_SHARED = 2
MIN_JACCARD = 0.25
LAYER_KEYS = ("mentions", "quotes", "locations", "stances", "demands")


def _names(doc: Document) -> set[str]:
    # People only: organisations (parties, the EU, parliaments) recur across unrelated
    # stories and chained most of the corpus into one group.
    return {e.name.lower() for e in doc.entities if e.type == "PER"}


def story_groups(docs: list[Document]) -> dict[str, str]:
    """Document id -> group id (the smallest document id of its connected component)."""
    parent = {d.id: d.id for d in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    names = {d.id: _names(d) for d in docs}
    for a, b in combinations(sorted(names), 2):
        shared = names[a] & names[b]
        union = names[a] | names[b]
        if len(shared) >= MIN_SHARED and len(shared) / len(union) >= MIN_JACCARD:
            ra, rb = find(a), find(b)
            parent[max(ra, rb)] = min(ra, rb)
    return {d: find(d) for d in sorted(parent)}


def assign(docs: list[Document], seed: str = "itapol-splits-v1",
           frozen: dict[str, str] | None = None) -> tuple[dict[str, str], list[list[str]]]:
    """Document id -> split, and the story groups that the frozen assignment leaves split apart.

    Seed documents go to 'reference'. Documents in ``frozen`` (a released splits.json) keep
    their split, so a published test set never moves; a new document joins the split of the
    frozen documents of its story group, and new groups are dealt, in sha256 order, to the
    split furthest below its target share."""
    out = {d.id: "reference" for d in docs if d.source.id == "seed"}
    pool = [d for d in docs if d.source.id != "seed"]
    frozen = {k: v for k, v in (frozen or {}).items() if k in {d.id for d in pool} and v in TARGETS}
    groups = story_groups(pool)
    members: dict[str, list[str]] = {}
    for doc_id, g in groups.items():
        members.setdefault(g, []).append(doc_id)
    order = sorted(members, key=lambda g: hashlib.sha256(f"{seed}:{g}".encode()).hexdigest())
    total = len(pool)
    targets = dict(TARGETS)
    if total and targets["test"] * total < MIN_TEST <= total // 2:  # small corpora keep the ratio
        targets["test"] = MIN_TEST / total
    counts = {name: 0 for name in targets}
    torn = []
    for g in order:  # groups holding frozen documents first: they fix the counts the others are dealt against
        kept = sorted(d for d in members[g] if d in frozen)
        if not kept:
            continue
        if len({frozen[d] for d in kept}) > 1:
            torn.append(sorted(members[g]))
        for doc_id in members[g]:
            out[doc_id] = frozen.get(doc_id, frozen[kept[0]])
            counts[out[doc_id]] += 1
    for g in order:
        if any(d in frozen for d in members[g]):
            continue
        split = max(targets, key=lambda s: (targets[s] * total - counts[s], s))
        counts[split] += len(members[g])
        for doc_id in members[g]:
            out[doc_id] = split
    return out, torn


def coverage(docs: list[Document], splits: dict[str, str]) -> dict[str, dict[str, int]]:
    """Split -> layer -> number of items (to check every layer has examples in every split)."""
    table: dict[str, dict[str, int]] = {}
    for d in docs:
        row = table.setdefault(splits[d.id], {k: 0 for k in LAYER_KEYS})
        for k in LAYER_KEYS:
            row[k] += len(getattr(d, k))
    return table
