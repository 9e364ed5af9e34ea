"""Hub loaders: exporting the dataset folder and loading each config from it with ``datasets``.

Run: ``python -m pytest benchmarks/bench_hub.py --benchmark-only -q``

Input: the real corpus (the documents named in corpus/splits.json, real texts). The export is
timed end to end (rows, parquet, card, manifest, atomic replace of the previous export). Each
config is loaded with ``load_dataset(str(folder), config)`` into a fresh ``cache_dir`` every
round, so a round is a real load (data-file resolution, parquet read, Arrow cache write), not
a cache hit. Loading runs offline (``HF_HUB_OFFLINE``). File sizes go to ``extra_info``.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from itapol.configs import CONFIGS
from itapol.corpus import load_records
from itapol.hub import MANIFEST, export, read_manifest
from tests.conftest_hub import set_offline

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def records():
    return load_records(CORPUS)


@pytest.fixture(scope="module")
def exported(records, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench_hub") / "itapol"
    export(records, out)
    return out


@pytest.fixture(scope="module")
def offline():
    """Local loads must not touch the network: the offline flags datasets and huggingface_hub read."""
    import datasets
    with pytest.MonkeyPatch.context() as mp:
        set_offline(mp)
        datasets.disable_progress_bars()
        yield
        datasets.enable_progress_bars()


def sizes(folder: Path) -> dict[str, int]:
    """Bytes per config (its parquet files), per top-level file, and in total."""
    manifest = read_manifest(folder)
    out: dict[str, int] = {}
    for path, entry in manifest["files"].items():
        key = path.split("/")[0] if "/" in path else path
        out[key] = out.get(key, 0) + entry["bytes"]
    out[MANIFEST] = (folder / MANIFEST).stat().st_size
    out["total"] = sum(out.values())
    return out


def test_export(benchmark, records, tmp_path):
    """Export of the full corpus into a folder holding the previous export (replaced atomically)."""
    out = tmp_path / "itapol"
    result = benchmark(export, records, out)
    manifest = read_manifest(out)
    assert manifest["revision"] == result.revision
    benchmark.extra_info["documents"] = sum(result.counts["documents"].values())
    benchmark.extra_info["files"] = len(manifest["files"]) + 1
    benchmark.extra_info["bytes"] = sizes(out)


@pytest.mark.parametrize("config", CONFIGS)
def test_load_config(benchmark, exported, offline, config, tmp_path):
    """``load_dataset(str(folder), config)``, every split, into an empty cache each round."""
    import datasets
    counter = itertools.count()

    def fresh_cache():
        return (), {"cache_dir": str(tmp_path / f"cache{next(counter)}")}

    def load(cache_dir):
        return datasets.load_dataset(str(exported), config, cache_dir=cache_dir)

    dsd = benchmark.pedantic(load, setup=fresh_cache, rounds=10, iterations=1, warmup_rounds=1)
    assert {s: len(d) for s, d in dsd.items()} == card_counts(exported, config)
    benchmark.extra_info["rows"] = {s: len(d) for s, d in dsd.items()}
    benchmark.extra_info["bytes"] = sizes(exported)[config]


def card_counts(folder: Path, config: str) -> dict[str, int]:
    """Rows per split as declared in the card (num_examples)."""
    import yaml
    head = (folder / "README.md").read_text("utf-8")[4:].split("\n---\n", 1)[0]
    info = next(i for i in yaml.safe_load(head)["dataset_info"] if i["config_name"] == config)
    return {s["name"]: s["num_examples"] for s in info["splits"]}
