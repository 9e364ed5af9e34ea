"""Shared fixtures: the repository's corpus, the real upstream texts, the seed annotation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from itapol.corpus import load_texts

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEED_ID = "seed-2804cd46726b"

from tests.conftest_hub import hub_server  # noqa: E402,F401  (loopback Hub for publishing tests)


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """The upstream source folder, found as the package finds it ($ITAPOL_SOURCES, ../shared/sources)."""
    from itapol.sources import find_sources_dir
    found = find_sources_dir(None, ROOT)
    assert found is not None, "no upstream sources: set ITAPOL_SOURCES or put ../shared/sources beside the checkout"
    return found


@pytest.fixture(scope="session")
def texts():
    return load_texts(CORPUS)


@pytest.fixture()
def seed_doc() -> dict:
    return json.loads((CORPUS / "documents" / f"{SEED_ID}.json").read_text("utf-8"))


@pytest.fixture()
def mini_corpus(tmp_path) -> Path:
    """A corpus folder holding only the seed annotation (sources.toml copied, texts read from ../shared)."""
    root = tmp_path / "corpus"
    (root / "documents").mkdir(parents=True)
    shutil.copy(CORPUS / "sources.toml", root / "sources.toml")
    shutil.copy(CORPUS / "documents" / f"{SEED_ID}.json", root / "documents")
    (root / "splits.json").write_text(json.dumps({"splits": {"reference": [SEED_ID]}}), "utf-8")
    return root


@pytest.fixture(scope="session")
def records(texts):
    """Full records of the repository corpus: the documents named in splits.json, validated and joined."""
    from itapol.corpus import join, read_splits
    from itapol.validate import check_corpus
    split_of = read_splits(CORPUS)
    files = [CORPUS / "documents" / f"{doc_id}.json" for doc_id in sorted(split_of)]
    docs, problems = check_corpus(files, texts, split_of)
    assert not problems, problems[:3]
    return join(docs, texts, split_of)


@pytest.fixture(scope="session")
def corpus_snapshot(tmp_path_factory) -> Path:
    """A copy of the corpus holding exactly the documents named in splits.json (a consistent state)."""
    from itapol.corpus import read_splits
    root = tmp_path_factory.mktemp("snapshot") / "corpus"
    (root / "documents").mkdir(parents=True)
    for name in ("sources.toml", "splits.json"):
        shutil.copy(CORPUS / name, root / name)
    for doc_id in read_splits(CORPUS):
        shutil.copy(CORPUS / "documents" / f"{doc_id}.json", root / "documents")
    return root
