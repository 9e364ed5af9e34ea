"""Reproducible selection of political articles among the rebuilt KIND Wikinews articles.

An article qualifies when its text hits political vocabulary from at least two of the
categories below (or one category in its title and one in its text). The criteria are
written down in ``corpus/DATASHEET.md``; every decision is kept with its reasons.
Hand-written: the lexicon is the selection criterion itself, not a reusable classifier.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

CATEGORIES: dict[str, tuple[str, ...]] = {
    "government": ("governo", "ministro", "ministra", "ministero", "premier", "presidente del consiglio",
                   "palazzo chigi", "consiglio dei ministri", "sottosegretario", "sindaco"),
    "parliament": ("parlamento", "senato", "senatore", "senatrice", "camera dei deputati", "deputato", "deputata",
                   "decreto legge", "disegno di legge", "fiducia", "mozione", "emendamento", "legislatura", "montecitorio"),
    "elections": ("elezioni", "elettorale", "voto", "votazione", "referendum", "candidato", "candidata",
                  "primarie", "ballottaggio", "urne", "campagna elettorale"),
    "parties": ("partito", "pd", "pdl", "forza italia", "lega nord", "movimento 5 stelle", "m5s", "udc", "sel",
                "fratelli d'italia", "centrodestra", "centrosinistra", "opposizione", "maggioranza", "coalizione"),
    "diplomacy": ("ambasciatore", "diplomatic", "vertice", "summit", "onu", "nazioni unite", "nato", "unione europea",
                  "commissione europea", "trattato", "sanzioni", "ministro degli esteri", "g20", "g8"),
    "conflict": ("guerra", "conflitto", "esercito", "militari", "attacco", "bombardamento", "ribelli", "truppe",
                 "cessate il fuoco", "terrorismo", "terroristi", "colpo di stato", "insurrezione"),
    "protest": ("protesta", "manifestazione", "manifestanti", "sciopero", "corteo", "sindacato", "sindacati",
                "rivolta", "contestazione", "dimissioni"),
    "institutions": ("costituzione", "corte costituzionale", "presidente della repubblica", "quirinale",
                     "consiglio di stato", "consiglio regionale", "istituzioni"),
}
MIN_CATEGORIES = 2
MIN_HITS = 5
CORE = ("government", "parliament", "elections", "parties", "diplomacy")


@dataclass(frozen=True)
class Decision:
    id: str
    political: bool
    score: int
    categories: tuple[str, ...]
    reason: str


def _pattern(term: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(term) + r"\w{0,3}(?!\w)", re.IGNORECASE)


def _compiled() -> dict[str, list[re.Pattern]]:
    return {cat: [_pattern(t) for t in terms] for cat, terms in CATEGORIES.items()}


def decide(doc_id: str, text: str, title_end: int | None, patterns: dict[str, list[re.Pattern]] | None = None) -> Decision:
    """Whether one article is political, with the categories and term counts behind it."""
    patterns = patterns or _compiled()
    title = text[:title_end] if title_end else ""
    hits: dict[str, int] = {}
    for cat, pats in patterns.items():
        n = sum(len(p.findall(text)) for p in pats) + sum(len(p.findall(title)) for p in pats)  # title counts twice
        if n:
            hits[cat] = n
    score = sum(hits.values())
    cats = tuple(sorted(hits))
    political = (len(cats) >= MIN_CATEGORIES and score >= MIN_HITS
                 and sum(hits.get(c, 0) for c in CORE) >= 3)
    reason = ", ".join(f"{c}:{hits[c]}" for c in cats) or "no political vocabulary"
    return Decision(doc_id, political, score, cats, reason)


def sample_key(doc_id: str, seed: str = "itapol-v1") -> str:
    """A deterministic pseudo-random order for sampling among qualifying articles."""
    return hashlib.sha256(f"{seed}:{doc_id}".encode()).hexdigest()
