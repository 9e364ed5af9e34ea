"""Demand baselines: Italian modal / request patterns -> (claimant, action, addressee) tuples.

``modal-rules`` turns every trigger match (``deve``, ``dovrebbe``, ``chiede di``, ``invita X a``,
``è necessario``, ``auspica`` ...) into a demand: the action is the clause after the trigger; the
addressee is the name after ``al/alla/a`` (or the object of ``invitare/sollecitare/esortare``, or
the subject of a modal verb: "il Parlamento dovrebbe"). The claimant is, in order: the agent of a
passive or noun ("invitato da X a"); the reporting subject when a quoted fragment sits inside reported
speech ("X sottolinea che ... «la necessità di»"); the speaker of the enclosing quotation (« », “ ”
or straight quotes: the name after "», ha detto", else the nearest free name before it); "secondo X";
for modal and impersonal triggers, the subject of a reporting verb ("X ha detto che Y deve"); else the
subject before the trigger (coordinated subjects give one demand each). A "free" name is one that can
be a subject: not after a preposition or a past participle, not inside a quotation, not inside a
participial aside. Names are predicted as strings, which the scorer matches against the entity's
name and mention texts. Each claimant rule was kept only if it did not lower tuple F1 on the train
split (5 folds by document; the rules have no fitted parameters); dev was not used to choose.

``modal-lr`` generates the same candidates plus weaker ones (nouns such as ``richiesta``) and keeps
those a logistic regression, trained on train candidates labelled by whether they match a gold
demand, scores above a threshold; C and the threshold are chosen by 5-fold cross-validation over
train documents (dev is not used).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.lang.it.stop_words import STOP_WORDS
from threadpoolctl import threadpool_limits

from itapol.baselines import Entry

# Hand-written trigger lexicon: the modality cues of schema/GUIDELINES.md (layer 5 and the v1
# decisions), inflected by hand for the persons and tenses of news prose.
_AUX = r"(?:ha|hanno|aveva|avevano|avrebbe|avrebbero)\s+(?:(?:anche|già|ancora|poi|più volte|esplicitamente)\s+)?"
TRIGGERS = {
    "expects": ("si aspetta", "si aspettano", "si aspettava", "auspica", "auspicano", "auspicando", "auspicato",
                _AUX + "auspicato", "conta che", "vuole", "vogliono", "pretende che", "spera che", "sperano che",
                "confida che"),
    "should": ("dovrebbe", "dovrebbero", "avrebbe dovuto", "avrebbero dovuto", "andrebbe", "andrebbero", "bisogna",
               "sarebbe opportuno", "sarebbe auspicabile", "sarebbe meglio", "è opportuno", "raccomanda",
               "raccomandano", _AUX + "raccomandato", "consiglia", "consigliano", _AUX + "consigliato", "suggerisce",
               "suggeriscono", _AUX + "suggerito", "sconsiglia", "sconsigliano", _AUX + "sconsigliato"),
    "must": ("deve", "devono", "debbono", "dovrà", "dovranno", "dobbiamo", "è necessario", "è necessaria",
             "sono necessari", "sono necessarie", "si rende necessario", "si rende necessaria", "necessità", "occorre",
             "occorrono", "esige", "esigono", "esigendo", "pretende", "pretendono", "pretendendo", _AUX + "preteso",
             "ordina", "ordinano", _AUX + "ordinato", "intima", "intimano", _AUX + "intimato", "è doveroso",
             "è indispensabile", "è obbligatorio", "va", "vanno"),
    "asks": ("chiede", "chiedono", "chiedendo", "chiedeva", "chiedevano", "chiederà", "chiederanno", "chiederò",
             "chiese", "chiesero", "chiedere", _AUX + "chiesto", "richiede", "richiedono", _AUX + "richiesto",
             "invita", "invitano", "invitando", _AUX + "invitato", "stato invitato", "stata invitata", "esorta",
             "esortano", _AUX + "esortato", "esortarlo", "esortarla", "esortarli", "sollecita", "sollecitano",
             _AUX + "sollecitato", "fa appello", "fanno appello", _AUX + "fatto appello", "lancia un appello",
             "propone", "propongono", _AUX + "proposto", "invoca", "invocano", "invocando", "reclama", "reclamano",
             _AUX + "dato mandato"),
}
# Weaker cues (nouns, first persons, evaluative phrases): as often demands as not in the training
# split, so only ``modal-lr``, which learns to filter its candidates, uses them.
WEAK_TRIGGERS = {
    "expects": ("voglio che", "vogliamo"),
    "should": ("è importante", "è arrivato il momento", "è il momento"),
    "must": ("esigenza",),
    "asks": ("proposta", "richiesta", "appello"),
}
# Which modality a matched trigger has: the first table (in TRIGGERS order) one of whose forms it is.
MODALITY_OF = [(m, re.compile("(?:" + "|".join(TRIGGERS[m] + WEAK_TRIGGERS[m]) + ")", re.IGNORECASE)) for m in TRIGGERS]


def trigger_re(tables: list[dict[str, tuple[str, ...]]]) -> re.Pattern:
    """One alternation of every form of the tables, longer forms first ("pretende che" beats "pretende")."""
    forms = {f for table in tables for fs in table.values() for f in fs}
    return re.compile(r"\b(?:" + "|".join(sorted(forms, key=lambda f: (-len(f), f))) + r")\b", re.IGNORECASE)


TRIGGER = trigger_re([TRIGGERS])
ALL_TRIGGERS = trigger_re([TRIGGERS, WEAK_TRIGGERS])
# "va"/"vanno" count only before a past participle ("va abolita", "vanno affrontate").
PASSIVE_MODAL = re.compile(r"(?:va|vanno)", re.IGNORECASE)
PARTICIPLE = re.compile(r"\s+(?:\w+mente\s+)?\w+(?:at|ut|it)[oaie]\b", re.IGNORECASE)

# Verbs whose direct object is the addressee ("invita il Governo a", "sollecita Governo e Parlamento a").
OBJECT_VERBS = re.compile(r"invit|esort|solleci", re.IGNORECASE)
PREP_TO = r"(?:a|ad|al|allo|alla|ai|agli|alle|all['’])"
ARTICLE = r"(?:(?:il|lo|la|i|gli|le|l['’])\s*)?"
UPPER = "".join(chr(i) for i in range(0x41, 0x250) if chr(i).isupper())  # Latin capitals incl. Ž, Š, Č
NAME = rf"[{UPPER}][\w'’-]*(?:\s+(?:(?:di|del|della|dello|delle|dei|degli|de|da|van|von)\s+)?[{UPPER}][\w'’-]*)*"
# Lowercase collective nouns annotated as nominal mentions of actors (the scorer matches names
# case-insensitively against mention texts, so "governo" can name the entity "Governo").
COLLECTIVES = r"governo|esecutivo|parlamento|opposizione|opposizioni|maggioranza|sindacati|autorità|partito"
ADDRESSEE_AFTER = re.compile(
    rf"\s*(?:(?:anche|ancora|più|poi|inoltre|formalmente|ufficialmente)\s+)*"
    rf"(?:{PREP_TO}\s*)?{ARTICLE}(?:(?:tutte|tutti)\s+(?:le|i|gli)\s+)?(?P<n>{NAME}|{COLLECTIVES})\b")
COMPLEMENT = re.compile(r"\s*,?\s*(?:che|di|d['’]|a|ad|affinché|perché)\b\s*", re.IGNORECASE)
NAME_RE = re.compile(rf"\b(?:{NAME}|(?:{COLLECTIVES})\b)")
# A capital D' before a capital opens a surname ("D'Alema", "D'Alfonso"), not the elided preposition.
ELIDED = re.compile(r"^(?:[Lld]|D(?=['’][a-zà-ý])|[Aa]ll|[Dd]ell|[Nn]ell|[Ss]ull|[Dd]all|[Uu]n)['’](?=\w)")
CONNECTOR = frozenset("di del della dello delle dei degli de".split())
# Capitalised words that are not names: Italian stop words (spaCy's list, minus collective nouns
# that do name actors), months, weekdays and titles (titles precede names but are not names).
NOT_NAMES = (frozenset(STOP_WORDS) - frozenset(COLLECTIVES.split("|")) - {"stato", "paese"}) | frozenset(
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre "
    "lunedì martedì mercoledì giovedì venerdì sabato domenica signor signora presidente presidenti ministro "
    "ministra premier segretario segretaria sindaco portavoce capo leader monsignor don onorevole senatore "
    "deputato comunque proprio bisogna occorre deve devono serve ecco ora oggi".split())
# A modal verb right after a relative or temporal conjunction states a prediction, not a demand.
RELATIVE_BEFORE = re.compile(r"\b(?:che|quando|dove|cui)\s+(?:non\s+)?$", re.IGNORECASE)
# Fixed phrases with a request verb that ask for no political action ("chiedere scusa", "chiesto aiuto").
NOT_DEMANDED = re.compile(r"\s+(?:scusa|aiuto|perdono|conto|permesso)\b", re.IGNORECASE)
# Modal verbs whose grammatical subject is the one who must act.
MODAL_VERB = re.compile(r"dev|dovr|debb|dobb|avrebbe|avrebbero|andrebb|va\b|vanno", re.IGNORECASE)
SUBJECT_GAP = re.compile(r"\s*[«“\"]?(?:(?:non|ora|quindi|ancora|anche|però|invece|allora)\s+)*", re.IGNORECASE)
AGENT = re.compile(rf"\s*(?:da|dal|dalla|dallo|dall['’]|di|del|della|dello|dell['’])\s*(?:[a-zà-ý]+\s+){{0,3}}?"
                   rf"(?P<n>{NAME})(?=\s*,?\s*(?:di|d['’]|a|ad)\b)")
COORDINATION = re.compile(r"\s*(?:,|e|ed)\s*")
CHE_SUBJECT = re.compile(rf"\s*che\s+{ARTICLE}(?P<n>{NAME}|{COLLECTIVES})\b")
# "secondo X," / "per X," / "a parere di X": the holder of the opinion the sentence reports.
SECONDO = re.compile(rf"\b(?:secondo|per|a parere di|a detta di)\s+{ARTICLE}(?P<n>{NAME}|{COLLECTIVES})\s*,")
# Triggers with no subject of their own who asks (modal verbs, impersonal phrases): only these take
# the speaker of an enclosing "X ha detto che" (a request verb's own subject is its claimant).
IMPERSONAL = re.compile(r"bisogna|occorr|necessari|necessità|opportuno|auspicabile|meglio|doveroso|indispensabile|"
                        r"obbligatorio", re.IGNORECASE)
QUOTE_OPEN, QUOTE_CLOSE = "«“", "»”"
QUOTE_REACH = 1000  # characters: a quotation open longer than this is an unclosed mark, not speech
# A name right after a preposition is a complement, not a subject or speaker ("opposta a quella di
# Veltroni e propone": Veltroni does not propose; "intervenendo a Radio X: «...»": X does not speak).
# "per" is left out: "per X," is the holder of an opinion (SECONDO).
GOVERNED = re.compile(r"(?:\b(?:di|del|della|dello|dei|degli|delle|a|ad|al|alla|allo|ai|agli|alle|da|dal|dalla|"
                      r"dallo|dai|dagli|dalle|in|nel|nella|nello|nei|negli|nelle|con|col|su|sul|sulla|sullo|sui|"
                      r"sugli|sulle|tra|fra|verso|contro|presso)\s+|\b(?:dell|all|dall|nell|sull)['’]\s*)$",
                      re.IGNORECASE)
# A name right after a past participle (and its article) is its object: "ha accusato Visco di", "ha
# criticato il Governo" (the subject comes before the verb in news prose).
OBJECT_OF_PARTICIPLE = re.compile(r"\b[a-zà-ý]+(?:at|it|ut)[oaie]\s+(?:(?:il|lo|la|i|gli|le|l['’])\s*)?$")
# "..., che chiede": the subject of the trigger is the antecedent of the relative.
RELATIVE_SUBJECT = re.compile(r",\s*che\s+(?:[a-zà-ý]+\s+)?$")
# A participial or gerund aside between the subject and its verb ("X e Y, sostenuti dal capogruppo Z,
# hanno chiesto"): the names inside it are not the subject.
ASIDE = re.compile(r",\s*(?:[a-zà-ý]+(?:at|it|ut)[oaie]|[a-zà-ý]+[ae]ndo)\b[^«»“”]{0,200}?,\s*$")
# Indirect reported speech: "X ha detto che Y deve ...", "X dice che ... si dovranno": the demand is X's.
REPORTED = re.compile(r"\b(?:(?:ha|hanno|aveva|avevano|avrebbe|avrebbero)\s+(?:\w+\s+)?)?"
                      r"(?:detto|dice|dicono|dichiara|dichiarano|dichiarato|afferma|affermano|affermato|sostiene|"
                      r"sostengono|sostenuto|spiega|spiegato|ribadisce|ribadito|ribadendo|sottolinea|sottolineato|"
                      r"sottolineando|aggiunge|aggiunto|fa presente|fatto presente|ricorda|ricordato|ricordando|"
                      r"scrive|scritto|annuncia|annunciato|precisa|precisato)\s+(?:\w+\s+){0,2}?che\b",
                      re.IGNORECASE)
SPEECH_AFTER = re.compile(r"^[\s,]*(?:(?:ha|hanno|aveva)\s+)?(?:\w+\s+){0,2}?"
                          r"(?:in una nota\s+|in un comunicato\s+)?"
                          r"(?:detto|dice|dichiarato|affermato|aggiunto|spiegato|sottolineato|scritto|ribadito|"
                          r"commentato|afferma|dichiara|aggiunge|spiega|sottolinea|conclude|concluso)\b", re.IGNORECASE)
# Where an action clause ends: a quotation mark, sentence or clause punctuation, or a new clause.
ACTION_STOP = re.compile(r"[;«»“”\"]|\.\s|\.$|\?|!|\n|,\s+(?:ma|mentre|perché|poiché|anche se|ha detto|ha aggiunto)\b")
MAX_ACTION = 250  # characters; a longer clause is cut (demanded actions are one clause)
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)  # modal-lr keep thresholds tried by train cross-validation
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)  # modal-lr inverse regularisation strengths, tried likewise
FOLDS = 5  # train documents, sorted by id, go to fold (rank mod FOLDS): deterministic, no shuffling


@dataclass(frozen=True)
class Candidate:
    """One trigger match turned into a demand."""

    trigger: str
    modality: str
    claimant: str
    addressee: str | None
    action: tuple[int, int]
    sentence: tuple[int, int]
    in_quote: bool


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: cut at ., !, ? followed by a space and an uppercase letter or a quote, and at newlines."""
    cuts = [0]
    for m in re.finditer(r"[.!?]+[»”\"]?\s+(?=[A-ZÀ-Ý«“\"])|\n+", text):
        cuts.append(m.end())
    cuts.append(len(text))
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]


def is_name(word: str) -> bool:
    """A capitalised name, not a stop word, title or month."""
    return word.split()[0].casefold() not in NOT_NAMES


def clean_name(words: list[str]) -> list[str]:
    """Drop leading non-names and titles before a name.

    "Presidente della Repubblica Giorgio Napolitano" -> "Giorgio Napolitano", "Capo dello Stato" -> nothing,
    "Gran Bretagna Gordon Brown" -> "Gordon Brown" (three or more capitalised words: the last two).
    """
    if words and ELIDED.match(words[0]):  # "All'Ungheria" -> "Ungheria"
        words = [ELIDED.sub("", words[0])] + words[1:]
    while words and words[0].casefold() in NOT_NAMES:
        words = words[1:]
        if words and words[0] in CONNECTOR:  # a title with its complement ("Capo dello Stato")
            words = words[2:]
    if len(words) >= 3 and not CONNECTOR & set(words):
        words = words[-2:]
    return words


def sentence_initial(text: str, start: int) -> bool:
    """Whether a word at ``start`` opens a sentence, line or quotation (so its capital says nothing)."""
    before = text[max(0, start - 3):start].rstrip(" ")
    return not before or before[-1] in ".!?\n«“\":"


def names_in(text: str, start: int, end: int, free: bool = False) -> list[tuple[int, int, str]]:
    """Name-like spans in ``text[start:end]``: capitalised word sequences or collective nouns.

    With ``free``, only names that can be a subject or speaker: not right after a preposition
    (GOVERNED) or a past participle (OBJECT_OF_PARTICIPLE), and not inside a quotation (a name someone
    else says is not who speaks).
    """
    out = []
    inside = quotations(text) if free else ()
    for m in NAME_RE.finditer(text, start, end):
        if free and (GOVERNED.search(text, max(0, m.start() - 12), m.start())
                     or OBJECT_OF_PARTICIPLE.search(text, max(0, m.start() - 30), m.start())
                     or any(a < m.start() < b for a, b in inside)):
            continue
        words = clean_name(m.group(0).split())
        if not words or len(words[0]) < 2:
            continue
        name = " ".join(words)
        s = m.end() - len(name)
        # a lone sentence-initial word is a name only if it is never written in lowercase in the text
        # and is not a gerund ("Proseguendo"), i.e. it is not an ordinary word that happens to open a sentence
        if len(words) == 1 and sentence_initial(text, s) and (
                re.search(rf"\b{re.escape(name.casefold())}\b", text) or re.search(r"[ae]ndo$", name)):
            continue
        if text[max(0, s - 1):s] == "(":  # "(FI)": a party label in parentheses, not the subject
            continue
        out.append((s, m.end(), name))
    return out


@lru_cache(maxsize=8)
def quotations(text: str) -> tuple[tuple[int, int], ...]:
    """Every closed quotation of a text as (open mark, close mark) offsets: «...», “...” and "..."
    (straight quotes, which do not say whether they open or close, are paired in order of reading)."""
    out = []
    for o, c in zip(QUOTE_OPEN, QUOTE_CLOSE):
        pos = 0
        while (a := text.find(o, pos)) >= 0 and (b := text.find(c, a + 1)) >= 0:
            out.append((a, b))
            pos = b + 1
    straight = [i for i, ch in enumerate(text) if ch == '"']
    out.extend((a, b) for a, b in zip(straight[::2], straight[1::2]) if b - a <= QUOTE_REACH)
    return tuple(sorted(out))


def quote_bounds(text: str, pos: int) -> tuple[int, int] | None:
    """The quotation («...», “...” or "...") around ``pos``, if any; it may run over paragraphs
    (up to QUOTE_REACH)."""
    lo = max(0, pos - QUOTE_REACH)
    opened = max(text.rfind(c, lo, pos) for c in QUOTE_OPEN)
    closed = max(text.rfind(c, lo, pos) for c in QUOTE_CLOSE)
    if opened < 0 or closed > opened:
        # straight quotes: a closed pair around pos ("La comunità deve ...", disse X)
        return next(((a, b) for a, b in quotations(text) if text[a] == '"' and a < pos < b), None)
    ends = [e for e in (text.find(c, pos, pos + QUOTE_REACH) for c in QUOTE_CLOSE) if e >= 0]
    return opened, (min(ends) if ends else min(len(text), pos + QUOTE_REACH))


def speaker_of_quote(text: str, quote: tuple[int, int], exclude: str | None) -> str | None:
    """The speaker of a quotation: a name after the closing mark ("», ha detto X"), else the nearest before it."""
    after = text[quote[1] + 1:min(len(text), quote[1] + 80)]
    if SPEECH_AFTER.match(after):
        found = [n for n in names_in(text, quote[1] + 1, min(len(text), quote[1] + 80), free=True) if n[2] != exclude]
        if found:
            return found[0][2]
    before = ([n for n in names_in(text, max(0, quote[0] - 300), quote[0], free=True) if n[2] != exclude]
              or [n for n in names_in(text, max(0, quote[0] - 300), quote[0]) if n[2] != exclude])
    return before[-1][2] if before else None


def action_span(text: str, start: int, sent_end: int) -> tuple[int, int] | None:
    """The clause from ``start`` to the first clause stop (or ``MAX_ACTION`` characters), trimmed."""
    m = ACTION_STOP.search(text, start, sent_end)
    end = min(m.start() if m else sent_end, start + MAX_ACTION)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ")'’"):
        end -= 1
    return (start, end) if end - start >= 3 else None


def claimant_before(text: str, sent: tuple[int, int], pos: int, exclude: str | None) -> list[str]:
    """The subject: the nearest name before ``pos`` in its sentence (else in the preceding text), with the
    names coordinated with it ("Elio Vito e Renato Schifani hanno chiesto": one demand per claimant).
    Names after a preposition, inside a quotation or inside a participial aside are skipped."""
    aside = ASIDE.search(text[sent[0]:pos])
    if aside:
        pos = sent[0] + aside.start()
    # free names first; any name only when the sentence has none (better a guess than no demand). After a
    # relative "che" the antecedent asks, even after a preposition ("approvata dall'UE, che richiede").
    tries = ((sent[0], True), (sent[0], False), (max(0, sent[0] - 400), True))
    if RELATIVE_SUBJECT.search(text, max(sent[0], pos - 30), pos):
        tries = ((sent[0], False),) + tries
    for lo, free in tries:
        found = [n for n in names_in(text, lo, pos, free) if n[2] != exclude]
        if found:
            group = [found[-1]]
            for prev in reversed(found[:-1]):
                if not COORDINATION.fullmatch(text, prev[1], group[-1][0]):
                    break
                group.append(prev)
            return sorted({n[2] for n in group})
    return []


def subject_of_modal(text: str, sent: tuple[int, int], pos: int) -> tuple[int, str] | None:
    """The name right before a modal verb ("Gli USA debbono", "il partito avrebbe dovuto"): who must act."""
    found = names_in(text, max(sent[0], pos - 80), pos)
    if found and SUBJECT_GAP.fullmatch(text, found[-1][1], pos):
        return found[-1][0], found[-1][2]
    return None


def addressee_after(text: str, trigger: str, pos: int, sent_end: int) -> tuple[str, int] | None:
    """The addressee of a request ("chiede al Governo di", "invita il Senato a") and where its complement ends."""
    rest = text[pos:sent_end]
    am = ADDRESSEE_AFTER.match(rest)
    if not am or not is_name(am.group("n")):
        return None
    has_prep = re.search(rf"\b{PREP_TO}(?:\s|$)|all['’]", rest[:am.start("n")], re.IGNORECASE) is not None
    follow = COMPLEMENT.match(rest, am.end())
    if (has_prep or OBJECT_VERBS.search(trigger)) and follow:
        return am.group("n"), pos + follow.end()
    if has_prep and re.match(r"(?:ri)?chie", trigger.split()[-1]):  # "chiede al Congresso un aumento"
        return am.group("n"), pos + am.end()
    return None


def candidate(text: str, m: re.Match, sent: tuple[int, int]) -> list[Candidate]:
    """The demands of one trigger match, one per claimant (none when no action clause follows)."""
    trigger = re.sub(r"\s+", " ", m.group(0).casefold())
    modality = next(mod for mod, rx in MODALITY_OF if rx.fullmatch(trigger))
    if PASSIVE_MODAL.fullmatch(trigger) and not PARTICIPLE.match(text, m.end()):
        return []
    if MODAL_VERB.match(trigger) and RELATIVE_BEFORE.search(text, max(sent[0], m.start() - 12), m.start()):
        return []  # "che dovrebbe rilasciare", "quando dovrebbe": predictions and relatives, not demands
    if NOT_DEMANDED.match(text, m.end()):
        return []
    pos, addressee, anchor = m.end(), None, m.start()
    if not MODAL_VERB.match(trigger):
        found = addressee_after(text, trigger, pos, sent[1])
        if found:
            addressee, pos = found
        elif modality == "asks":  # "chiede che il governo ...": the subject of the requested clause
            found = CHE_SUBJECT.match(text, pos)
            words = clean_name(found.group("n").split()) if found else []
            addressee = " ".join(words) or None
    else:
        # "X deve/dovrebbe ...": X is who must act (the addressee); the claimant is whoever says so
        subject = subject_of_modal(text, sent, m.start())
        if subject:
            anchor, addressee = subject
    agent = AGENT.match(text, pos)  # "la proposta del sindaco Marino di", "invitato da Ciampi a": who asks
    if agent:
        pos = agent.end()
    cm = COMPLEMENT.match(text, pos)
    if cm:
        pos = cm.end()
    span = action_span(text, pos, sent[1])
    if span is None:
        return []
    quote = quote_bounds(text, m.start())
    according = SECONDO.search(text, sent[0], m.start())
    # a quoted fragment inside reported speech ("X sottolinea che ... è stata ribadita «la necessità di»"):
    # the reporting subject speaks, not the name nearest the quotation mark
    reported_quote = REPORTED.search(text, sent[0], quote[0]) if quote and quote[0] > sent[0] else None
    if agent:
        claimants = [" ".join(clean_name(agent.group("n").split()))]
    elif reported_quote:
        claimants = claimant_before(text, sent, reported_quote.start(), addressee)
    elif quote:
        claimants = [speaker_of_quote(text, quote, addressee)]
    elif according:
        claimants = [according.group("n")]
    elif (MODAL_VERB.match(trigger) or IMPERSONAL.search(trigger)) and (
            reported := REPORTED.search(text, sent[0], anchor)):  # "X ha detto che il partito dovrebbe"
        claimants = claimant_before(text, sent, reported.start(), addressee)
    else:
        claimants = claimant_before(text, sent, anchor, addressee)
    return [Candidate(trigger, modality, c, addressee, span, sent, quote is not None) for c in claimants if c]


def candidates(text: str, weak: bool = False) -> list[Candidate]:
    """Every trigger match of every sentence, as demands (with ``weak``: the weak triggers too)."""
    out = []
    for sent in sentences(text):
        for m in (ALL_TRIGGERS if weak else TRIGGER).finditer(text, sent[0], sent[1]):
            out.extend(candidate(text, m, sent))
    return out


def slug(text: str, n: int = 4) -> str:
    """A snake_case label from the first words of the action (not normalised to English)."""
    words = re.findall(r"\w+", text.casefold())
    return "_".join(words[:n]) or "demand"


def as_item(text: str, c: Candidate) -> dict:
    """A candidate as a predictions item of the demands config."""
    return {"claimant": c.claimant, "addressee": c.addressee, "action": {"start": c.action[0], "end": c.action[1]},
            "label": slug(text[c.action[0]:c.action[1]]), "modality": c.modality}


class ModalRules:
    """Every modal/request trigger with a claimant and an action clause is a demand."""

    name, task = "modal-rules", "demands"
    description = ("Italian modal and request patterns; quote speaker or subject as claimant, "
                   "clause after the trigger as action")

    def fit(self, train, dev):
        return self

    def predict(self, rows):
        return [{"id": r["id"], "demands": [as_item(r["text"], c) for c in candidates(r["text"])]} for r in rows]


def same_name(pred: str | None, gold: str | None) -> bool:
    """Approximate entity match for training labels: equal, or the predicted name's words all in the gold name."""
    if pred is None or gold is None:
        return pred is None and gold is None
    p, g = pred.casefold().split(), gold.casefold().split()
    return p == g or (bool(p) and set(p) <= set(g))


def matches(c: Candidate, gold: dict) -> bool:
    """Whether a candidate would match a gold demand (approximate names, overlapping action)."""
    a = gold["action"]
    return (same_name(c.claimant, gold["claimant"]) and same_name(c.addressee, gold["addressee"])
            and c.action[0] < a["end"] and a["start"] < c.action[1])


def features(text: str, c: Candidate, n_claimants: int) -> dict[str, float]:
    """Trigger, modality and context features of one candidate."""
    before = re.findall(r"\w+", text[max(c.sentence[0], c.action[0] - 80):c.action[0]].casefold())
    action = re.findall(r"\w+", text[c.action[0]:c.action[1]].casefold())
    sentence = text[c.sentence[0]:c.sentence[1]]
    return {
        f"trigger={c.trigger}": 1.0, f"modality={c.modality}": 1.0, "in_quote": float(c.in_quote),
        "addressee": float(c.addressee is not None), "coordinated": float(n_claimants > 1),
        "claimant_words": float(len(c.claimant.split())), "claimant_lower": float(c.claimant.islower()),
        "negated": float("non" in before[-4:]), "question": float("?" in sentence),
        "conditional": float(bool(re.search(r"\bse\b", text[c.sentence[0]:c.action[0]], re.IGNORECASE))),
        "action_words": float(min(len(action), 40)) / 40, f"action_first={action[0] if action else ''}": 1.0,
        **{f"before={w}": 1.0 for w in before[-3:]},
    }


def featurised(rows: list[dict]) -> tuple[list[tuple[str, Candidate]], list[dict], list[int]]:
    """Candidates of every row with their features and labels (1: matches a gold demand)."""
    pairs, feats, labels = [], [], []
    for r in rows:
        cands = candidates(r["text"], weak=True)
        groups = {}
        for c in cands:
            groups[(c.trigger, c.action)] = groups.get((c.trigger, c.action), 0) + 1
        for c in cands:
            pairs.append((r["id"], c))
            feats.append(features(r["text"], c, groups[(c.trigger, c.action)]))
            labels.append(int(any(matches(c, g) for g in r.get("demands", []))))
    return pairs, feats, labels


def approx_f1(rows: list[dict], pairs: list[tuple[str, Candidate]], keep: np.ndarray) -> float:
    """Tuple F1 of the kept candidates against gold rows (approximate names, one-to-one greedy)."""
    gold = {r["id"]: list(r["demands"]) for r in rows}
    n_gold = sum(len(g) for g in gold.values())
    tp = 0
    for (doc, c), k in zip(pairs, keep):
        if not k:
            continue
        hit = next((g for g in gold[doc] if matches(c, g)), None)
        if hit is not None:
            gold[doc].remove(hit)
            tp += 1
    n_pred = int(np.sum(keep))
    return 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0


class ModalLR:
    """The modal-rules candidates, kept when a logistic regression trained on train candidates says so."""

    name, task = "modal-lr", "demands"
    description = ("modal-rules candidates (and weaker ones) filtered by logistic regression on trigger and "
                   "context features; C and threshold chosen by 5-fold cross-validation on train")

    def __init__(self, seed: int):
        self.seed = seed
        self.vec = DictVectorizer(sort=True)
        self.model = self.classifier(1.0)
        self.threshold, self.cv_f1 = 0.5, None
        self.keep_all: bool | None = None  # set when train has a single class (no model to fit)

    def classifier(self, c: float) -> LogisticRegression:
        return LogisticRegression(C=c, class_weight="balanced", solver="lbfgs", max_iter=2000, random_state=self.seed)

    @threadpool_limits.wrap(limits=1)  # one BLAS thread: threaded BLAS is slower on 2 busy cores
    def fit(self, train, dev):
        """Choose C and the threshold by cross-validation on train documents, then refit on all of train.

        ``dev`` is not used: it is too small to tune on (it is left for a final sanity check)."""
        pairs, feats, labels = featurised(train)
        x, y = self.vec.fit_transform(feats), np.array(labels)  # the vocabulary uses no labels
        rank = {d: i for i, d in enumerate(sorted({r["id"] for r in train}))}
        fold = np.array([rank[doc] % FOLDS for doc, _ in pairs])
        best = (-1.0, 0.0, 0.0)
        for c in C_GRID:
            proba = np.zeros(len(y))
            for k in range(FOLDS):
                held = fold == k
                if held.any() and len(set(y[~held])) == 2:
                    proba[held] = self.classifier(c).fit(x[~held], y[~held]).predict_proba(x[held])[:, 1]
            for t in THRESHOLDS:
                # ties keep the smaller C (more regularised) and the lower threshold (more recall)
                best = max(best, (approx_f1(train, pairs, proba >= t), -c, -t))
        if len(set(labels)) == 2:
            self.model = self.classifier(-best[1]).fit(x, y)
            self.threshold, self.cv_f1 = -best[2], best[0]
        else:  # nothing to learn from (a tiny train split): keep every candidate or none, as train says
            self.keep_all = bool(labels and labels[0])
        return self

    @threadpool_limits.wrap(limits=1)
    def predict(self, rows):
        out = []
        for r in rows:
            pairs, feats, _ = featurised([r])
            if not pairs:
                keep = []
            elif self.keep_all is not None:
                keep = [self.keep_all] * len(pairs)
            else:
                keep = self.model.predict_proba(self.vec.transform(feats))[:, 1] >= self.threshold
            out.append({"id": r["id"], "demands": [as_item(r["text"], c) for (_, c), k in zip(pairs, keep) if k]})
        return out


ENTRIES = [Entry("demands", "modal-rules", "real", lambda seed: ModalRules()),
           Entry("demands", "modal-lr", "real", lambda seed: ModalLR(seed))]
