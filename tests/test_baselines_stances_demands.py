"""Stances and demands baselines: features and rule logic on hand-written sentences (determinism and dev scores: test_baselines.py)."""

from __future__ import annotations

from itapol.baselines.demands import candidates, clean_name
from itapol.baselines.stances import context_text, cue_counts


def test_polarity_cues():
    counts = cue_counts("Il Pd non appoggia la riforma e condanna la scelta del governo.", "ev")
    assert counts["ev:neg"] == 1 and counts["ev:favour"] == 1 and counts["ev:against"] == 1
    assert cue_counts("I deputati si sono astenuti.", "ev")["ev:neutral"] == 1


def test_context_window_excludes_the_evidence():
    text = "Il Pd ha votato a favore della legge, mentre la Lega ha votato contro."
    start = text.index("a favore")
    stance = {"evidence": [{"start": start, "end": start + len("a favore della legge")}]}
    assert context_text({"text": text}, stance, width=10) == "ha votato  || , mentre l"


def test_demand_with_addressee_and_modality():
    text = "Il ministro Mario Rossi ha chiesto al Governo di ritirare il decreto."
    [c] = candidates(text)
    assert (c.claimant, c.addressee, c.modality) == ("Mario Rossi", "Governo", "asks")
    assert text[c.action[0]:c.action[1]] == "ritirare il decreto"


def test_coordinated_claimants_get_one_demand_each():
    text = "Elio Vito e Renato Schifani hanno chiesto al Governo di riferire in Parlamento."
    found = [(c.claimant, c.addressee) for c in candidates(text)]
    assert found == [("Elio Vito", "Governo"), ("Renato Schifani", "Governo")]


def test_demand_inside_a_quote_goes_to_the_speaker():
    text = "«Le tasse devono essere abbassate subito», ha detto Bianchi."
    [c] = candidates(text)
    assert (c.claimant, c.addressee, c.modality) == ("Bianchi", None, "must")
    assert text[c.action[0]:c.action[1]] == "essere abbassate subito"


def test_modal_subject_is_the_addressee_and_titles_are_dropped():
    text = "Secondo il Presidente della Repubblica Giorgio Napolitano il Parlamento dovrebbe approvare la legge."
    [c] = candidates(text)
    assert (c.claimant, c.addressee, c.modality) == ("Giorgio Napolitano", "Parlamento", "should")
    assert clean_name("Presidente della Repubblica Giorgio Napolitano".split()) == ["Giorgio", "Napolitano"]
    assert clean_name("Capo dello Stato".split()) == []


def test_predictions_and_fixed_phrases_are_not_demands():
    assert candidates("Il vertice, che dovrebbe durare due giorni, si apre oggi a Roma.") == []
    assert candidates("Il ministro Rossi ha chiesto scusa ai cittadini.") == []
    assert clean_name(["All'Ungheria"]) == ["Ungheria"]
