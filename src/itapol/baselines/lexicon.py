"""Italian reporting-cue lexicon shared by the quotes and attribution baselines.

Hand-written (no model): reporting verbs as lemma -> inflected forms, a regex matching a cue
with its auxiliary and adverbs (``ha poi dichiarato``), multi-word cues (``ha fatto sapere``,
``secondo``) and news-agency / outlet names used as intermediaries.
"""

from __future__ import annotations

import re

# Endings of regular verbs, by conjugation; enough for news prose (present, past participle,
# gerund, imperfect, passato remoto, infinitive). Hand-picked: rarer tenses barely occur in news.
_ARE = ("a", "ano", "ato", "ata", "ati", "ate", "ando", "ava", "avano", "ò", "arono", "are", "erà", "eranno")
_IRE = ("isce", "iscono", "ito", "ita", "iti", "ite", "endo", "iva", "ivano", "ì", "irono", "ire")
_ERE = ("e", "ono", "endo", "eva", "evano", "ere")

# Regular verbs: lemma -> (stem, endings). The lemmas are the speech/writing verbs of
# schema/GUIDELINES.md (layer 2) plus the ones annotated as cues in the training split.
_REGULAR = {
    "dichiarare": ("dichiar", _ARE), "affermare": ("afferm", _ARE), "annunciare": ("annunci", _ARE),
    "sottolineare": ("sottoline", _ARE), "precisare": ("precis", _ARE), "commentare": ("comment", _ARE),
    "denunciare": ("denunci", _ARE), "ribadire": ("ribad", _IRE), "riferire": ("rifer", _IRE),
    "spiegare": ("spieg", _ARE), "ricordare": ("ricord", _ARE), "confermare": ("conferm", _ARE),
    "replicare": ("replic", _ARE), "assicurare": ("assicur", _ARE), "avvertire": ("avvert", _IRE + ("e", "ono")),
    "twittare": ("twitt", _ARE), "osservare": ("osserv", _ARE), "rilevare": ("rilev", _ARE),
    "evidenziare": ("evidenzi", _ARE), "accusare": ("accus", _ARE), "definire": ("defin", _IRE),
    "comunicare": ("comunic", _ARE), "ammettere": ("ammett", _ERE), "insistere": ("insist", _ERE),
    "dichiararsi": ("dichiar", ("atosi", "atasi", "atisi")), "annotare": ("annot", _ARE),
    "lamentare": ("lament", _ARE), "criticare": ("critic", _ARE), "rivelare": ("rivel", _ARE),
    "ripetere": ("ripet", _ERE + ("uto",)), "proseguire": ("prosegu", ("e", "ono", "ito", "endo", "iva")),
    "esordire": ("esord", _IRE), "minacciare": ("minacci", _ARE), "garantire": ("garant", _IRE),
    "chiarire": ("chiar", _IRE), "ipotizzare": ("ipotizz", _ARE), "rassicurare": ("rassicur", _ARE),
    "segnalare": ("segnal", _ARE), "sostenere": ("sosten", ("ere", "uto", "uta", "uti", "ute", "endo", "eva", "evano")),
    "raccontare": ("raccont", _ARE), "parlare": ("parl", _ARE), "negare": ("neg", _ARE),
    "invitare": ("invit", _ARE), "esortare": ("esort", _ARE), "sollecitare": ("sollecit", _ARE),
    "smentire": ("sment", _IRE), "sconsigliare": ("sconsigli", _ARE), "invocare": ("invoc", _ARE), "proporre": ("propo", ("ne", "ngono", "sto", "sta", "nendo", "neva", "se")),
}

# Irregular forms written out.
_IRREGULAR = {
    "dire": ("dire", "detto", "detta", "detti", "dette", "dice", "dicono", "dicendo", "diceva", "dicevano", "disse", "dissero", "dirà"),
    "sostenere": ("sostiene", "sostengono", "sostenne"),
    "scrivere": ("scrivere", "scritto", "scritta", "scrive", "scrivono", "scrivendo", "scriveva", "scrisse"),
    "aggiungere": ("aggiungere", "aggiunto", "aggiunge", "aggiungono", "aggiungendo", "aggiunse"),
    "chiedere": ("chiedere", "chiesto", "chiede", "chiedono", "chiedendo", "chiedeva", "chiese"),
    "rispondere": ("rispondere", "risposto", "risponde", "rispondono", "rispondendo", "rispose"),
    "concludere": ("concluso", "conclude", "concludendo", "concluse"),
    "ammettere": ("ammesso", "ammise"),
    "promettere": ("promesso", "promette", "promettendo"),
    "ribattere": ("ribattuto", "ribatte", "ribattendo"),
    "riconoscere": ("riconosciuto", "riconosce", "riconoscendo"),
}

LEMMAS: tuple[str, ...] = tuple(sorted(set(_REGULAR) | set(_IRREGULAR)))


def verb_forms() -> tuple[str, ...]:
    """Every inflected reporting-verb form of the lexicon, longest first (regex alternation order)."""
    forms = {stem + end for stem, ends in _REGULAR.values() for end in ends}
    forms |= {f for fs in _IRREGULAR.values() for f in fs}
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


# Auxiliaries and the adverbs journalists put between auxiliary and participle.
_AUX = (r"(?:ha|hanno|aveva|avevano|avrebbe|avrebbero|avere|aver|avendo|è|sono|era|erano|si è|si sono|viene|vengono"
        r"|è stato|è stata|sono stati|sono state)")
_ADV = (r"(?:poi|anche|già|inoltre|infatti|subito|ufficialmente|quindi|più volte|invece|però|ancora|ieri|oggi|pure"
        r"|apertamente|chiaramente|esplicitamente|nuovamente|successivamente)")

VERB_RE = "|".join(re.escape(f) for f in verb_forms())

# Cue: optional auxiliary and up to two adverbs, then a verb form; or a multi-word cue.
# Hand-written multi-word cues follow the GUIDELINES ("a detta di", "per bocca di", "secondo").
CUE = re.compile(
    rf"\b(?:{_AUX}\s+(?:{_ADV}\s+){{0,2}})?(?:{VERB_RE})\b"
    r"|\b(?:ha|hanno)\s+fatto\s+sapere\b|\bfa(?:nno)?\s+sapere\b|\bsi\s+legge\b",
    re.IGNORECASE,
)
SECONDO = re.compile(r"\b(?:secondo|a detta di|per bocca di|stando a)\b", re.IGNORECASE)

# News agencies and outlets relaying words (intermediaries); canonical name -> regex of surface forms.
AGENCIES = {
    "ANSA": r"ANSA|Ansa", "Reuters": r"Reuters", "Agence France Press": r"Agence France[- ]Press[e]?|AFP",
    "Associated Press": r"Associated Press|AP", "RIA Novosti": r"RIA Novosti|RIA", "Interfax": r"Interfax",
    "TASS": r"TASS|Tass|ITAR-TASS", "Adnkronos": r"Adnkronos|AdnKronos", "AGI": r"AGI", "Xinhua": r"Xinhua",
    "Kyodo": r"Kyodo", "Yonhap": r"Yonhap", "EFE": r"EFE", "DPA": r"DPA", "Bloomberg": r"Bloomberg",
    "CNN": r"CNN", "BBC": r"BBC", "Al Jazeera": r"Al Jazeera|Al-Jazeera", "KCNA": r"KCNA",
    "Corriere della Sera": r"Corriere della [Ss]era", "La Repubblica": r"[Ll]a Repubblica",
    "La Stampa": r"[Ll]a Stampa", "New York Times": r"New York Times", "Washington Post": r"Washington Post",
    "TG1": r"TG1|Tg1", "Russia Today": r"Russia Today|RT", "The Independent": r"The Independent",
    "The Guardian": r"The Guardian", "Il Giornale": r"Il Giornale", "Il Fatto Quotidiano": r"Il Fatto Quotidiano",
    "Sky TG24": r"Sky TG24|SkyTG24", "Le Monde": r"Le Monde", "Kompas": r"Kompas",
}
AGENCY_ALTERNATION = "|".join(AGENCIES.values())
AGENCY = re.compile(rf"\b(?:{AGENCY_ALTERNATION})\b")
