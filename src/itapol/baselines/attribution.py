"""Rule-based speaker attribution (attribution task): the subject of the cue.

For each gold quote (content and cue given) the speaker span is chosen by position in the
cue's sentence: the source after *secondo*-like cues; the subject after an inverted cue
(``«...», ha detto il ministro Rossi``); else the subject before the cue (antecedent of a
relative *che*, first name of the clause that is not a complement, or a nominal subject
``Il ministro``); quotes without a cue take a headline ``Name:`` or the previous quote's
speaker. An outlet named in an explicit relay context (``in un'intervista al TG1``,
``riferisce l'ANSA``) is the intermediary. Nothing is learnt except the vocabulary of words
seen in lowercase (to tell sentence-initial common words from names).
"""

from __future__ import annotations

import re

from spacy.lang.it.stop_words import STOP_WORDS

from itapol.baselines import Entry
from itapol.baselines.lexicon import AGENCY_ALTERNATION, SECONDO

# A name: capitalised words, possibly joined by lowercase particles (Di Stefano, zu Guttenberg).
NAME = re.compile(r"\b[A-ZÀ-Ý][\w'’.-]*(?:\s+(?:(?:di|del|della|de|dei|da|van|von|zu|al)\s+)?[A-ZÀ-Ý][\w'’-]*)*")
# Capitalised words that are not names: sentence-initial function words (spaCy's Italian stop
# list, minus the nouns in it that name speakers) plus a few hand-picked sentence openers.
SPEAKER_NOUNS = frozenset("governo stato paese ansa ministro casa mondo uomo parte gente".split())
LEAD = frozenset("il lo la i gli le l un una uno di a da in con su per tra fra e o ma che secondo dopo inoltre intanto "
                 "invece infatti tuttavia proprio durante confermata stando the".split())
STOP = (frozenset(STOP_WORDS) - SPEAKER_NOUNS) | LEAD
# Capitalised titles that open a name chunk ("Presidente del Senato, Marcello Pera"): the person is named next.
TITLES = frozenset("presidenti ministri presidente ministro ministra ministero segretario segretaria sindaco portavoce ceo generale premier capo "
                   "leader direttore senatore senatrice deputato deputata governatore procuratore ambasciatore "
                   "cancelliere coordinatore capogruppo".split())
# Relative pronoun before a cue: the speaker is its antecedent ("Sarkozy, che ha detto").
RELATIVE = re.compile(r"\b(?:che|il\s+quale|la\s+quale|i\s+quali|le\s+quali)\s*,?\s*(?:\w+\s+){0,2}$", re.IGNORECASE)
# Words before a name that make it a complement, not the subject ("accuse di Bush", "alla CNN").
PREPOSITION = re.compile(r"(?:\b(?:di|del|dello|della|dei|degli|delle|da|dal|dallo|dalla|dai|dagli|a|al|allo|alla|ai|agli|"
                         r"in|nel|nella|su|sul|sulla|con|per|tra|fra|contro|verso|presso|come)\s+|\b(?:d|dell|all|nell|dall|sull)['’])$",
                         re.IGNORECASE)
# Words right after a cue that start the speaker phrase (``ha detto il ministro Rossi``).
ARTICLE = re.compile(r"\s*(?:(?:poi|anche|ancora|infatti|ieri|oggi|in\s+una\s+nota|in\s+un'intervista)\s+)*"
                     r"(?P<agent>(?:da|dal|dallo|dalla|dai|dagli)\s+|dall['’])?"  # passive agent: "pronunciate da Samaras"
                     r"(?P<art>(?:il|lo|la|i|gli|le|un|una|uno)\s+|l['’]|un['’])?", re.IGNORECASE)
# A nominal subject opening a clause: article + noun ("Il segretario dei democratici denuncia").
NOMINAL = re.compile(r"\b(?:(?:il|lo|la|i|gli|le)\s+|l['’])(?P<n>[a-zà-ý]{3,})", re.IGNORECASE)
# An outlet relaying the words: a relay word, then (after a preposition/article) a name:
# "in un'intervista al TG1", "ha dichiarato al New York Times", "ai microfoni di Rtl 102.5", "riferisce l'ANSA".
# Hand-written: intermediaries are rare (about 1 quote in 20), so only explicit relay contexts count.
_OUTLET = r"(?P<n>[A-Z][\w'’-]*(?:\.[a-z]+)?(?:\s+(?:\d[\d.]*\d|[A-Z][\w'’-]*))*)"
_TO = r"(?:(?:a|al|alla|ai|di|del|della|dal|dalla)\s+|all['’]|dell['’])"
_SOURCE = r"\b(?:riferisce|riporta|riportato|secondo|stando\s+a|citando)\s+(?:l['’]|il\s+|la\s+|al\s+|alla\s+)?"
RELAY = (
    re.compile(r"\b(?:intervist\w*|microfoni|citando)\s+(?:[a-zà-ý']+\s+){0,3}?" + _TO + _OUTLET),
    re.compile(r"\b(?:dichiarato|detto|riferito|spiegato|affermato|[Pp]arlando)\s+(?:(?:a|al|alla)\s+|all['’])" + _OUTLET),
    re.compile(_SOURCE + r"(?:agenzia|quotidiano|giornale|sito|emittente|tv|radio)\s+(?:[a-zà-ý']+\s+){0,2}?" + _OUTLET),
    re.compile(_SOURCE + r"(?P<n>" + AGENCY_ALTERNATION + r")\b"),
    re.compile(r"\b(?:(?:a|al|alla|ad)\s+|all['’])(?P<n>" + AGENCY_ALTERNATION + r")\b"),  # "ha detto Rossi all'ANSA"
)


def names(text: str, start: int, end: int, common: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Name-like spans in text[start:end], without leading stop words and sentence-initial common words
    (``common``: words seen in lowercase)."""
    out = []
    for m in NAME.finditer(text, start, end):
        # Tokens split at elisions ("L'IdV" -> "IdV"). A leading function word is dropped when lowercase or
        # sentence-initial (a capitalised particle inside a sentence is part of the name: "Di Pietro");
        # spaCy's stop list holds words like "forza" (Forza Italia), so it applies to the sentence-initial word only.
        first = next((t for t in re.finditer(r"[\w.-]+", m.group()) if not (
            t.group().lower() in LEAD and (t.group().islower() or opens_line(text, m.start() + t.start()))
            or t.group().lower() in STOP and opens_line(text, m.start() + t.start()))), None)
        if first is None or not m.group()[first.start()].isupper():
            continue
        s = m.start() + first.start()
        if opens_line(text, s) and " " not in text[s:m.end()] and text[s:m.end()].lower() in common:
            continue  # a capitalised common word opening the sentence ("Risultati", "Parlando", "L'equilibrio")
        out.append((s, m.end()))
    return out


def opens_line(text: str, pos: int) -> bool:
    """Whether ``pos`` starts a line, possibly after an elided article (``L'``)."""
    return pos == 0 or text[pos - 1] == "\n" or text[pos - 1] in "'’" and (pos < 2 or text[pos - 2] in "Ll")


def after_preposition(text: str, start: int, pos: int) -> bool:
    """Whether the name at ``pos`` follows a preposition (lowercase, or capitalised at the sentence start)."""
    m = PREPOSITION.search(text, start, pos)
    return bool(m) and (m.group()[0].islower() or opens_line(text, m.start()))


def skip_title(text: str, found: list[tuple[int, int]]) -> tuple[int, int]:
    """The first name, or the next one when the first is a title naming its holder next
    ("dal Ministro degli Interni Giuseppe Pisanu", "Il CEO della Formula 1, Chase Carey")."""
    first = found[0]
    if len(found) > 1 and text[first[0]:first[1]].split()[0].lower() in TITLES \
            and re.fullmatch(r"[\w ]{0,25}?,?\s*", text[first[1]:found[1][0]]):
        return found[1]
    return first


def line_of(text: str, pos: int) -> tuple[int, int]:
    """Bounds of the line (sentence) holding ``pos``."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end == -1 else end


def outside(spans: list[tuple[int, int]], content: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans not inside any quote content (a name inside the quote is what is said, not who says it)."""
    return [s for s in spans if not any(cs <= s[0] < ce for cs, ce in content)]


def after_cue(text: str, ce: int, line_end: int, content, common=frozenset(), bare: bool = False) -> tuple[int, int] | None:
    """The speaker phrase right after a cue: a name, or the noun after an article (``ha spiegato un poliziotto``)."""
    m = ARTICLE.match(text, ce, line_end)
    pos = m.end()
    if pos >= line_end or any(cs <= pos < ce2 for cs, ce2 in content):
        return None
    head = re.match(r"[\w'’-]+", text[pos:line_end])
    if head is None:
        return None
    found = outside(names(text, pos, min(line_end, pos + 60), common), content)
    if found:
        gap = text[pos:found[0][0]]
        if gap == "" or ((m.group("art") or m.group("agent")) and not re.search(r"[,.;:«»\"“”]", gap) and len(gap.split()) <= 6
                         and not PREPOSITION.search(gap)):
            return skip_title(text, found)  # "il Capo dello Stato", "il ministro Rossi": the name, skipping the title
    appos = re.match(r"[\w'’ ]{0,60}?,\s+", text[pos:line_end])
    named = [n for n in found if appos and n[0] == pos + appos.end()]
    if named:
        return named[0]  # "il parlamentare di Rifondazione comunista, Vladimir Luxuria"
    if (m.group("art") or bare) and head.group().lower() not in STOP:
        return pos, pos + head.end()  # a nominal speaker: "ha spiegato un poliziotto"
    return None


def segment_start(text: str, ls: int, cs: int, others: list[int]) -> int:
    """Start of the clause holding a cue: after the last other quote, colon or semicolon before it on its line."""
    start = max([ls] + [e for e in others if ls <= e <= cs])
    return max((start + m.end() for m in re.finditer(r"[:;]", text[start:cs])), default=start)


def subject_before(text: str, start: int, cs: int, content, common=frozenset()) -> tuple[int, int] | None:
    """The subject of a cue: the antecedent of a relative pronoun just before it (``Sarkozy, che ha detto``), the
    first name of its clause that is not a complement (after a preposition or in parentheses), else a nominal
    subject opening the clause (``Il ministro ha detto``)."""
    found = outside(names(text, start, cs, common), content)
    rel = RELATIVE.search(text, start, cs)
    if rel:
        last_name = max((n for n in found if n[1] <= rel.start()), default=None, key=lambda n: n[1])
        nouns = [m for m in NOMINAL.finditer(text, max(start, rel.start() - 60), rel.start())
                 if m.group("n").lower() not in STOP and outside([(m.start(), m.end())], content)]
        noun = (nouns[-1].start("n"), nouns[-1].end("n")) if nouns else None
        best = max((x for x in (last_name, noun) if x), default=None, key=lambda x: x[1])
        if best:
            return best
    # a name after a preposition is a complement ("le accuse di Bush"), unless it is a multi-word name
    # closing a title ("il ministro delle Riforme Maria Elena Boschi")
    subjects = [n for n in found if text[start:n[0]].count("(") <= text[start:n[0]].count(")")
                and (not after_preposition(text, start, n[0]) or " " in text[n[0]:n[1]] and "," not in text[start:n[0]])]
    adjacent = [n for n in subjects if re.fullmatch(r"\s*,?\s*(?:(?:\w+mente|anche|poi|infatti|però|inoltre|quindi)\s+)*",
                                                    text[n[1]:cs])]
    if adjacent:
        return adjacent[-1]  # "..., Philip Breedlove ha dichiarato": the name right before the verb is its subject
    if subjects:
        return skip_title(text, subjects)  # "Il Presidente del Senato, Marcello Pera, ha detto": the person
    m = NOMINAL.search(text, start, min(cs, start + 25))  # "Ora l'opposizione ne chiede"
    if m and m.group("n").lower() not in STOP and outside([(m.start("n"), m.end("n"))], content):
        return m.start("n"), m.end("n")
    return None


def speaker(text: str, quote: dict, previous: tuple[int, int] | None, others=(), common=frozenset()) -> tuple[int, int] | None:
    """The speaker span of one quote; ``others`` are end offsets of the document's other quotes and cues."""
    content = [(c["start"], c["end"]) for c in quote["content"]]
    cue = quote["cue"]
    anchor = cue["start"] if cue else content[0][0]
    ls, le = line_of(text, anchor)
    if cue is None:
        # speech introduced by a colon names its speaker before it: a headline "Bocchino: «...»" or a clause
        # "il Ministro ..., Barbara Pollastrini, ha partecipato: «...»"; otherwise the previous speaker goes on
        m = re.search(r"(?P<n>[A-ZÀ-Ý][\w'’ -]*):\s*[«“\"]?$", text[ls:anchor])
        head = names(text, ls + m.start("n"), ls + m.end("n"), common) if m else []
        if head:
            return head[-1]
        if re.search(r":\s*[«“\"]?$", text[ls:anchor]):
            return subject_before(text, ls, anchor, content, common) or previous
        return previous
    cs, ce = cue["start"], cue["end"]
    if SECONDO.match(text[cs:ce]):
        comma = text.find(",", ce, le)
        stop = comma if comma != -1 else le
        found = outside(names(text, ce, stop, common), content)
        # "secondo fonti russe": a bare noun after secondo is a (nominal) source
        return found[0] if found else after_cue(text, ce, stop, content, common, bare=True)
    if content[0][1] <= cs:  # quote before the cue: the subject usually follows it (inversion)
        inv = after_cue(text, ce, le, content, common)
        if inv:
            return inv
    before = subject_before(text, segment_start(text, ls, cs, list(others)), cs, content, common)
    if before:
        return before
    if content[0][1] > cs:
        inv = after_cue(text, ce, le, content, common)
        if inv:
            return inv
    return previous


def intermediary(text: str, quote: dict, speaker_span: tuple[int, int] | None) -> str | None:
    """Name of an agency or outlet relaying the quote, named in an explicit relay context of the cue's sentence."""
    anchor = (quote["cue"] or quote["content"][0])["start"]
    ls, le = line_of(text, anchor)
    skip = [(c["start"], c["end"]) for c in quote["content"]] + ([speaker_span] if speaker_span else [])
    found = sorted((m.start("n"), m.group("n").rstrip(".")) for rx in RELAY for m in rx.finditer(text, ls, le)
                   if not any(s <= m.start("n") < e for s, e in skip))
    return found[0][1] if found else None


def vocabulary(texts) -> frozenset[str]:
    """Words seen in lowercase: capitalised only at a sentence start, they are common words, not names."""
    return frozenset(w for t in texts for w in re.findall(r"\b[a-zà-ý]+\b", t))


class CueSubject:
    """Speaker = subject of the cue by position rules; previous speaker for cue-less quotes."""

    name, task = "cue-subject", "attribution"
    description = "subject of the cue by position rules (secondo X, inversion, clause subject), else previous speaker"

    def __init__(self):
        self.common: frozenset[str] = frozenset()

    def fit(self, train, dev):
        self.common = vocabulary(r["text"] for r in train)
        return self

    def predict(self, rows):
        out = []
        for r in rows:
            items, previous, common = [], None, self.common | vocabulary([r["text"]])
            quotes = sorted(r["quotes"], key=lambda q: (q["content"][0]["start"], q["quote_id"]))
            for q in quotes:
                others = sorted({c["end"] for o in quotes if o is not q for c in o["content"] + [o["cue"] or o["content"][0]]
                                 if c["end"] <= (q["cue"] or q["content"][0])["start"]})
                sp = speaker(r["text"], q, previous, others, common)
                previous = sp or previous
                items.append({"quote_id": q["quote_id"], "content": q["content"], "cue": q["cue"],
                              "speaker": None if sp is None else {"start": sp[0], "end": sp[1]},
                              "speaker_name": None if sp is None else r["text"][sp[0]:sp[1]],
                              "intermediary_name": intermediary(r["text"], q, sp)})
            out.append({"id": r["id"], "quotes": items})
        return out


ENTRIES = [Entry("attribution", "cue-subject", "real", lambda seed: CueSubject())]
