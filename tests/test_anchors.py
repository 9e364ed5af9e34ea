"""Authoring anchors resolve to the right spans, and compile/decompile round-trips."""

from __future__ import annotations

import pytest

from itapol.anchors import AnchorError, compile_authoring, resolve, to_authoring
from itapol.schema import Document, Source
from tests.conftest import SEED_ID

TEXT = "Renzi ha detto che Renzi-bis non esiste. Il governo Renzi cade, ha detto Grillo."


def test_forms():
    assert resolve(TEXT, "Renzi") == [(0, 5)]
    assert resolve(TEXT, "Renzi@2") == [(19, 24)]  # '-' is not a word character: 'Renzi-bis' holds a whole 'Renzi'
    assert resolve(TEXT, "Renzi@*", many=True) == [(0, 5), (19, 24), (52, 57)]


def test_whole_words_and_occurrences():
    assert resolve("Lega e Legambiente", "Lega@*", many=True) == [(0, 4)]
    assert resolve(TEXT, {"t": "ha detto", "after": "cade"}) == [(64, 72)]
    assert resolve(TEXT, "Il governo … cade") == [(41, 62)]


@pytest.mark.parametrize("anchor, message", [
    ("Prodi", "'Prodi' not found"),
    ("Renzi@7", r"occurs 3 time\(s\); occurrence 7 does not exist"),
    ("Renzi@*", "allowed for mentions only"),
    ({"t": "detto", "after": "Berlusconi"}, "context 'Berlusconi' not found"),
    ("Il governo … Prodi", "tail 'Prodi' not found"),
])
def test_errors_are_clear(anchor, message):
    with pytest.raises(AnchorError, match=message):
        resolve(TEXT, anchor, "quotes[0].cue")


def test_seed_round_trip(texts, seed_doc):
    doc = Document.model_validate(seed_doc)
    text = texts[SEED_ID]
    authoring = to_authoring(doc, text.text)
    again = compile_authoring(authoring, text.text, doc_id=doc.id, source=doc.source, licence=doc.licence,
                              title_end=text.title_end)
    assert [m.span for m in again.mentions] == [m.span for m in doc.mentions]
    assert [(q.content, q.cue, q.speaker) for q in again.quotes] == [(q.content, q.cue, q.speaker) for q in doc.quotes]
    assert again.locations == doc.locations and again.demands == doc.demands
    assert again.stances == doc.stances
