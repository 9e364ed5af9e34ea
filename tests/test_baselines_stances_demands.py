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


def claimants(text):
    return [(c.claimant, c.addressee) for c in candidates(text)]


def test_reported_speech_gives_the_modal_to_the_reporting_subject():
    # "X ha detto che Y deve": Y must act (addressee), X demands it (claimant)
    assert claimants("Il sindaco Luca Verdi ha detto che la Regione deve stanziare nuovi fondi.") == [
        ("Luca Verdi", "Regione")]


def test_names_after_a_preposition_or_inside_a_quotation_are_not_the_subject():
    assert claimants("Dopo l'incontro con Giulia Neri, Paolo Gialli chiede al Comune di riaprire la scuola.") == [
        ("Paolo Gialli", "Comune")]
    text = "Il senatore Carlo Neri ha ripetuto lo slogan «Forza Italia unita» e ha chiesto al Governo di cambiare la legge."
    assert claimants(text) == [("Carlo Neri", "Governo")]


def test_object_of_a_participle_is_not_the_subject():
    assert claimants("Marco Sali ha accusato Franco Deri di mentire e ne ha chiesto le dimissioni.") == [
        ("Marco Sali", None)]


def test_straight_quotes_are_speech_of_the_name_before_them():
    text = 'La senatrice Elena Conti ha dichiarato: "Il Comune deve pubblicare il bilancio".'
    [c] = candidates(text)
    assert (c.claimant, c.addressee, c.in_quote) == ("Elena Conti", "Comune", True)


def test_participial_aside_and_relative_antecedent():
    text = "Luigi Ferri e Marta Galli, sostenuti dal segretario Piero Sala, hanno chiesto al Governo di riferire in aula."
    assert claimants(text) == [("Luigi Ferri", "Governo"), ("Marta Galli", "Governo")]
    # after ", che" the antecedent asks, even when it follows a preposition
    assert claimants("Il piano è stato criticato dall'Unione Europea, che chiede di ridurre il deficit.") == [
        ("Unione Europea", None)]


def test_capital_d_apostrophe_opens_a_surname():
    assert clean_name(["D'Alema"]) == ["D'Alema"]
    assert claimants("Massimo D'Alema chiede al Governo di votare la riforma.") == [("Massimo D'Alema", "Governo")]
