"""Hand-checked segmentation sample of WN_train.tsv and WN_dev.tsv, used as a regression test.

WN_test.tsv has known article boundaries; WN_train and WN_dev do not, so 40 of their rebuilt
articles were read by hand on 2026-11-24 and judged (corpus/segmentation_sample.json).

Sampling rule: for each file, sort the ids of its rebuilt articles as strings, let n be the
number drawn (30 from WN_train.tsv, 745 articles then; 10 from WN_dev.tsv, 199 articles then),
k = len(ids) // n (24 and 19), and take ids[7 + k*i] for i = 0..n-1. The ids are content
derived, so a segmenter change re-draws a different sample: the recorded ids are the sample.

Judgements (read, not computed): ``correct`` = title and body belong together, the article
starts at its own headline and ends where the next one's headline starts; ``merged`` = it
contains the start of another article; ``split`` = part of the article is in a neighbour;
``title-wrong`` = the headline is attached to the wrong article or missing.

What is checked:
(a) every article judged correct still rebuilds with the same id and the same text sha256;
(b) every article judged wrong still rebuilds as it did; if it no longer does, the segmenter
    changed it (perhaps fixed it) and the sample must be re-checked by reading and updated;
(c) the measured accuracy (articles judged correct that still rebuild identically, / 40) is
    at least the recorded figure.
The data file stores only ids, hashes and short notes, never article text.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "segmentation_sample.json"
JUDGEMENTS = {"correct", "merged", "split", "title-wrong"}
UPDATE = ("re-check these articles by reading them (text, neighbours, raw TSV lines) and update "
          "corpus/segmentation_sample.json (ids, text_sha256, judgements, accuracy)")


@pytest.fixture(scope="module")
def sample() -> dict:
    return json.loads(SAMPLE.read_text("utf-8"))


def _state(article: dict, texts) -> str | None:
    """None when the article rebuilds exactly as recorded, else what differs."""
    t = texts.get(article["id"])
    if t is None:
        return f"{article['id']} ({article['file']}, judged {article['judgement']}): id no longer rebuilt"
    if t.file != article["file"]:
        return f"{article['id']}: now in {t.file}, recorded in {article['file']}"
    if hashlib.sha256(t.text.encode("utf-8")).hexdigest() != article["text_sha256"]:
        return f"{article['id']} ({article['file']}, judged {article['judgement']}): text changed"
    return None


def test_sample_is_well_formed(sample):
    arts = sample["articles"]
    assert sample["checked_on"] and sample["rule"]
    assert len(arts) == 40 and len({a["id"] for a in arts}) == 40
    assert sum(a["file"] == "WN_train.tsv" for a in arts) == 30
    assert sum(a["file"] == "WN_dev.tsv" for a in arts) == 10
    for a in arts:
        assert set(a) == {"id", "file", "text_sha256", "judgement", "note"}, a["id"]
        assert a["judgement"] in JUDGEMENTS, a["id"]
        assert re.fullmatch(r"wn-[0-9a-f]{12}", a["id"]) and re.fullmatch(r"[0-9a-f]{64}", a["text_sha256"])
        assert a["note"].strip(), a["id"]
    correct = sum(a["judgement"] == "correct" for a in arts)
    assert sample["accuracy"] == pytest.approx(correct / len(arts))


def test_notes_do_not_copy_article_text(sample, texts):
    """A note may not repeat more than 5 consecutive words of its article."""
    for a in sample["articles"]:
        t = texts.get(a["id"])
        if t is None:
            continue
        words = re.findall(r"\w+", t.text.lower())
        grams = {tuple(words[i:i + 6]) for i in range(len(words) - 5)}
        note = re.findall(r"\w+", a["note"].lower())
        copied = [" ".join(note[i:i + 6]) for i in range(len(note) - 5) if tuple(note[i:i + 6]) in grams]
        assert not copied, f"{a['id']}: note copies article text: {copied[0]!r}"


def test_correct_articles_still_rebuild_identically(sample, texts):
    """(a) Regression guard: a segmenter change must not alter an article judged correct."""
    changed = [s for a in sample["articles"] if a["judgement"] == "correct" and (s := _state(a, texts))]
    assert not changed, ("articles judged correct now rebuild differently (a segmentation regression, "
                         "or a deliberate change: then " + UPDATE + "):\n" + "\n".join(changed))


def test_wrong_articles_are_reported_and_unchanged(sample, texts):
    """(b) The known errors; one that rebuilds differently may have been fixed and must be re-judged."""
    wrong = [a for a in sample["articles"] if a["judgement"] != "correct"]
    changed = [s for a in wrong if (s := _state(a, texts))]
    assert not changed, ("articles judged wrong now rebuild differently (the segmenter changed them, "
                         "perhaps fixed them); " + UPDATE + ":\n" + "\n".join(changed))


def test_accuracy_not_below_recorded(sample, texts):
    """(c) Measured accuracy on the sample is at least the recorded figure."""
    arts = sample["articles"]
    still_correct = sum(1 for a in arts if a["judgement"] == "correct" and _state(a, texts) is None)
    measured = still_correct / len(arts)
    assert measured >= sample["accuracy"], f"sample accuracy {measured:.3f} < recorded {sample['accuracy']:.3f}"
