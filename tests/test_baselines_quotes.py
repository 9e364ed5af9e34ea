"""Quotes and attribution baselines: rule logic on hand-written sentences (determinism and dev scores: test_baselines.py)."""

from __future__ import annotations

import pytest

from itapol.baselines.attribution import intermediary, speaker
from itapol.baselines.quotes import extract, mark_pairs


def spans_text(text, quote):
    return [text[s:e] for s, e in quote.spans]


def test_direct_interrupted_and_indirect():
    text = ("«Siamo pronti», ha detto Rossi, «a votare la legge».\n"
            "Il ministro Bianchi ha dichiarato che il governo non cadrà.\n"
            "Secondo il sindaco, la città è sicura.")
    quotes = extract(text)
    assert [(q.type, spans_text(text, q)) for q in quotes] == [
        ("direct", ["Siamo pronti", "a votare la legge"]),
        ("indirect", ["il governo non cadrà"]),
        ("indirect", ["la città è sicura"]),
    ]


def test_mixed_and_direct_after_che():
    text = ('Lavrov ha dichiarato che "all\'Ucraina serve la neutralità".\n'
            'Il ministro ha detto che le "nuove realtà" vanno riconosciute.')
    quotes = extract(text)
    assert [(q.type, spans_text(text, q)) for q in quotes] == [
        ("direct", ["all'Ucraina serve la neutralità"]),
        ("mixed", ['le "nuove realtà" vanno riconosciute']),
    ]


def test_scare_quotes_titles_and_relatives_are_not_quotes():
    text = "Il programma «Satyricon» è andato in onda ieri."
    assert mark_pairs(text) == [(14, 23)]
    assert extract(text) == []
    title = 'Ha scritto un libro dal titolo "La nostra politica non sarà mai questa".'
    assert extract(title) == []
    relative = "«Basta con i tagli alla scuola», ha aggiunto il sindaco, che ha poi lasciato la sala."
    assert [(q.type, spans_text(relative, q)) for q in extract(relative)] == [("direct", ["Basta con i tagli alla scuola"])]


def test_di_needs_an_infinitive_and_secondo_without_comma():
    text = ("Il ministro ha ribadito l'intenzione di Rossi.\n"
            "Il sindaco ha detto di non voler lasciare.\n"
            "Secondo il giudice la situazione è normale.")
    assert [(q.type, spans_text(text, q)) for q in extract(text)] == [
        ("indirect", ["non voler lasciare"]),
        ("indirect", ["la situazione è normale"]),
    ]


def test_speaker_rules():
    text = "«Non ci saranno tagli», ha detto il ministro Mario Rossi all'ANSA.\nSecondo Bianchi, il piano fallirà."
    first = {"content": [{"start": 1, "end": 21}], "cue": {"start": 24, "end": 32}}
    sp = speaker(text, first, None)
    assert text[slice(*sp)] == "Mario Rossi"
    assert intermediary(text, first, sp) == "ANSA"
    cue = text.index("Secondo")
    second = {"content": [{"start": cue + 17, "end": len(text) - 1}], "cue": {"start": cue, "end": cue + 7}}
    sp = speaker(text, second, None)
    assert text[slice(*sp)] == "Bianchi"
    assert intermediary(text, second, sp) is None


def quote_at(text, content, cue):
    """A gold-like attribution input item from a content and a cue substring."""
    c, k = text.index(content), text.index(cue)
    return {"content": [{"start": c, "end": c + len(content)}], "cue": {"start": k, "end": k + len(cue)}}


@pytest.mark.parametrize("text,content,cue,want", [
    ("Il coordinatore del partito, Sandro Bondi, ha detto che il voto è vicino.", "il voto è vicino",
     "ha detto", "Sandro Bondi"),
    ("Parole del presidente Nicolas Sarkozy, che ha detto: «L'Europa è unita».",
     "L'Europa è unita", "ha detto", "Nicolas Sarkozy"),
    ("Il ministro ha precisato che il piano è pronto.", "il piano è pronto", "ha precisato", "ministro"),
    ("«La legge passerà», ha spiegato un deputato.", "La legge passerà", "ha spiegato", "deputato"),
])
def test_subject_of_the_cue(text, content, cue, want):
    assert text[slice(*speaker(text, quote_at(text, content, cue), None))] == want
