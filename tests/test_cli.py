"""End-to-end CLI behaviour on the real corpus: build, sources, show, compile."""

from __future__ import annotations

import json

from click.testing import CliRunner

from itapol.cli import main
from tests.conftest import SEED_ID


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_build_writes_records_and_articles(tmp_path, mini_corpus):
    out = tmp_path / "build"
    result = invoke("build", "--corpus", str(mini_corpus), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "rebuilt     1 articles from seed/000_a8df54c927ef7d33.txt" in result.output
    records = [json.loads(line) for line in (out / "records.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in records] == [SEED_ID]
    rec = records[0]
    m = rec["mentions"][0]
    assert rec["text"][m["span"]["start"]:m["span"]["end"]] == "Russia"
    articles = (out / "articles.jsonl").read_text("utf-8").splitlines()
    assert len(articles) > 900
    first = (out / "records.jsonl").read_bytes()
    invoke("build", "--corpus", str(mini_corpus), "--out", str(out))
    assert (out / "records.jsonl").read_bytes() == first  # deterministic


def test_build_refuses_broken_corpus_and_writes_nothing(tmp_path, mini_corpus, seed_doc):
    seed_doc["mentions"][0]["span"]["end"] += 1
    (mini_corpus / "documents" / f"{SEED_ID}.json").write_text(json.dumps(seed_doc), "utf-8")
    out = tmp_path / "build"
    result = invoke("build", "--corpus", str(mini_corpus), "--out", str(out))
    assert result.exit_code == 1
    assert "mentions[0].span" in result.output and "nothing written" in result.output
    assert not out.exists()


def test_sources_lists_checksums(mini_corpus):
    result = invoke("sources", "--corpus", str(mini_corpus))
    assert result.exit_code == 0
    assert result.output.count(" ok") == 4


def test_compile_writes_offsets_only(tmp_path, mini_corpus):
    authoring = tmp_path / "a.yaml"
    authoring.write_text(
        "doc: seed-2804cd46726b\nprovenance: {status: silver, annotators: [test]}\n"
        "entities:\n  - {id: lavrov, type: PER, name: Sergey Lavrov, mentions: ['Lavrov@*']}\n"
        "quotes: []\nlocations: []\nstances: []\ndemands: []\n", "utf-8")
    out = tmp_path / "out"
    result = invoke("annotate", "compile", str(authoring), "--corpus", str(mini_corpus), "--out", str(out))
    assert result.exit_code == 0, result.output
    doc = json.loads((out / f"{SEED_ID}.json").read_text("utf-8"))
    assert len(doc["mentions"]) == 4 and "Lavrov" not in json.dumps(doc["mentions"])
    assert doc["layers"]["entities"]["status"] == "silver"


def test_compile_reports_bad_anchor(tmp_path, mini_corpus):
    authoring = tmp_path / "a.yaml"
    authoring.write_text("doc: seed-2804cd46726b\nentities:\n  - {id: x, type: PER, name: X, mentions: ['Gorbaciov']}\n", "utf-8")
    result = invoke("annotate", "compile", str(authoring), "--corpus", str(mini_corpus), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert "entities[0].mentions[0]: 'Gorbaciov' not found in the text" in result.output


def test_compile_reports_broken_yaml_with_line(tmp_path, mini_corpus):
    authoring = tmp_path / "a.yaml"
    authoring.write_text("doc: seed-2804cd46726b\nentities: [\n", "utf-8")
    result = invoke("annotate", "compile", str(authoring), "--corpus", str(mini_corpus), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1 and f"{authoring}:3: not valid YAML:" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "o").exists()
