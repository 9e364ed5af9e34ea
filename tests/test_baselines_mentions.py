"""The mentions baselines: rule logic on tiny hand-written sentences, determinism, and beating the trivial floor."""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")
pytest.importorskip("sklearn_crfsuite")

from itapol.baselines import inputs_only, registry  # noqa: E402
from itapol.baselines.mentions import (  # noqa: E402
    GazetteerRules, LexiconRules, bio_labels, bio_spans, candidates, place_gazetteer, rule_type, tokenize,
)
from itapol.baselines.run import run_one, task_rows  # noqa: E402
from itapol.scoring import records_revision  # noqa: E402

REAL = ("crf", "gazetteer-rules", "lexicon-rules")


def _spans(text: str, baseline) -> list[tuple[str, str]]:
    row = {"id": "x", "text": text, "mentions": []}
    return [(text[m["start"]:m["end"]], m["type"]) for m in baseline.predict([row])[0]["mentions"]]


def test_rules_type_places_organisations_and_persons():
    text = "Il ministro Matteo Renzi ha incontrato a Mosca i vertici del Partito Democratico e della NATO."
    assert _spans(text, GazetteerRules()) == [
        ("Matteo Renzi", "PER"), ("Mosca", "GPE"), ("Partito Democratico", "ORG"), ("NATO", "ORG")]


def test_rules_skip_sentence_initial_words_and_join_connectors():
    text = "Anche oggi la Camera dei Deputati discute. Secondo Prodi, anche l'Europa deve agire."
    toks = tokenize(text)
    names = [text[toks[i][0]:toks[j - 1][1]] for i, j in candidates(text, toks)]
    assert names == ["Camera dei Deputati", "Prodi", "Europa"]
    assert rule_type("Europa", {"Europa": "LOC"}) == "LOC"
    assert rule_type("Camera dei Deputati", {}) == "ORG"


def test_rules_widen_street_names_and_organisation_adjectives():
    text = "Il corteo parte da via Padova. Ne discute la Corte costituzionale, non il Parlamento."
    assert _spans(text, GazetteerRules()) == [
        ("via Padova", "LOC"), ("Corte costituzionale", "ORG"), ("Parlamento", "ORG")]


def test_place_gazetteer_holds_italian_exonyms_and_regions():
    gaz = place_gazetteer()
    assert [gaz.get(n) for n in ("Mosca", "Stati Uniti", "Lombardia", "Europa", "Unione europea", "Berlusconi")] == [
        "GPE", "GPE", "GPE", "LOC", None, None]


def test_lexicon_rules_learn_types_and_drops():
    pd = [{"start": 3, "end": 5, "type": "ORG"}]
    train = [{"id": "a", "text": "Il Pd vota. La Repubblica Ceca no. Governo Letta.", "mentions": pd},
             {"id": "b", "text": "Il Pd vota con Letta. Poi Letta parla.", "mentions": pd}]
    model = LexiconRules().fit(train, [])
    assert model.lexicon["Pd"] == "ORG"
    assert model.lexicon["Letta"] is None  # seen twice as a candidate, never annotated
    assert _spans("Il Pd vota, non Letta.", model) == [("Pd", "ORG")]


def test_bio_round_trip():
    text = "Sergio Mattarella visita la Corea del Nord."
    gold = [{"start": 0, "end": 17, "type": "PER"}, {"start": 28, "end": 42, "type": "GPE"}]
    toks = tokenize(text)
    labels = bio_labels(toks, gold)
    assert labels == ["B-PER", "I-PER", "O", "O", "B-GPE", "I-GPE", "I-GPE", "O"]
    assert bio_spans(toks, labels) == gold


@pytest.fixture(scope="module")
def revision(records):
    return records_revision(records)


@pytest.mark.parametrize("name", REAL)
def test_deterministic(records, name):
    entry = registry()[("mentions", name)]
    train, dev = task_rows(records, "mentions", "train"), task_rows(records, "mentions", "dev")
    inputs = [inputs_only("mentions", r) for r in dev]
    if name == "crf":  # two full CRF fits would cost most of the time budget: a smaller train set suffices
        train = train[:30]
    assert entry.make(13).fit(train, dev).predict(inputs) == entry.make(13).fit(train, dev).predict(inputs)


@pytest.mark.parametrize("name", REAL)
def test_beats_trivial_on_dev(records, revision, name, tmp_path):
    floor = run_one(registry()[("mentions", "empty")], records, revision, split="dev", workdir=tmp_path)
    real = run_one(registry()[("mentions", name)], records, revision, split="dev", workdir=tmp_path)
    assert real["main_score"] > floor["main_score"] + 0.3
