"""Rebuilding KIND articles: detokenisation, line rejoining, segmentation, ids, offsets."""

from __future__ import annotations

from itapol import kind


def tsv(*sentences: str) -> str:
    """Token-per-line TSV from space-separated sentences (tags all O), as KIND ships it."""
    return "\n\n".join("\n".join(f"{tok}\tO" for tok in s.split(" ")) for s in sentences) + "\n"


def test_italian_detokenisation():
    data = tsv("Il sindaco dell' isola ha detto : « Non c' è tempo » .",
               'Negli anni \' 80 il " governo " ( allora in carica ) cadde , poi tornò !')
    (article,) = kind.rebuild(data, "x.tsv")
    assert article.text == ("Il sindaco dell'isola ha detto: «Non c'è tempo».\n"
                            "Negli anni '80 il \"governo\" (allora in carica) cadde, poi tornò!")


def test_offsets_point_at_tokens():
    data = tsv("Titolo di prova", "Il « Ministro » ha detto : « sì » .")
    for article in kind.rebuild(data, "x.tsv"):
        for tok, s, e in zip(article.tokens, article.starts, article.ends):
            assert article.text[s:e] == tok.text


def test_lines_broken_at_colon_are_rejoined():
    data = tsv("Un titolo senza punto", "Il ministro ha dichiarato :", "« siamo pronti » .", "Fine del testo .")
    (article,) = kind.rebuild(data, "x.tsv")
    assert article.text.split("\n") == ["Un titolo senza punto", "Il ministro ha dichiarato: «siamo pronti».", "Fine del testo."]


def test_glued_headline_is_split_off():
    """Damage (1): the next article's headline glued after the previous final full stop."""
    data = tsv("Primo titolo qui", "Il governo ha deciso . Secondo titolo del giorno", "Il parlamento vota .")
    first, second = kind.rebuild(data, "x.tsv")
    assert first.text == "Primo titolo qui\nIl governo ha deciso."
    assert second.text == "Secondo titolo del giorno\nIl parlamento vota."
    assert second.text[:second.title_end] == "Secondo titolo del giorno"


def test_section_prefix_headline_is_rejoined():
    """Damage (2): "Trasporti :" then a lower-case line is one headline."""
    data = tsv("Primo titolo qui", "Il treno parte .", "Trasporti :", "sciopero dei treni in Toscana", "Oggi sciopero .")
    first, second = kind.rebuild(data, "x.tsv")
    assert second.text.split("\n")[0] == "Trasporti: sciopero dei treni in Toscana"


def test_subheading_is_not_a_new_article():
    data = tsv("Renzi incontra Merkel a Berlino", "Renzi e Merkel hanno parlato di Europa .",
               "Reazioni", "Salvini ha criticato Renzi per la visita a Berlino .")
    (article,) = kind.rebuild(data, "x.tsv")
    assert "\nReazioni\n" in article.text


def test_cohesive_title_like_line_is_a_subheading_and_disjoint_one_a_new_article():
    data = tsv("Renzi incontra Merkel a Berlino", "Il premier Renzi ha parlato con Angela Merkel .",
               "Il vertice sull' Europa", "Secondo Renzi , Merkel ha apprezzato .",
               "Scoperta una nuova specie di rana", "Alcuni biologi brasiliani hanno trovato la rana in Amazzonia .")
    articles = kind.rebuild(data, "x.tsv")
    assert [a.text.split("\n")[0] for a in articles] == ["Renzi incontra Merkel a Berlino", "Scoperta una nuova specie di rana"]


def test_ids_are_stable_and_content_derived():
    data = tsv("Un titolo", "Una frase .")
    a1, = kind.rebuild(data, "x.tsv")
    a2, = kind.rebuild(data, "y.tsv")
    assert a1.id == a2.id and a1.id.startswith("wn-") and len(a1.id) == 15
    b, = kind.rebuild(tsv("Un titolo", "Un' altra frase ."), "x.tsv")
    assert b.id != a1.id


def test_real_files_rebuild_deterministically(texts):
    kind_texts = [t for t in texts.values() if t.source == "kind-wikinews"]
    assert 900 <= len(kind_texts) <= 1300  # the README's "about 1,000 articles"
    by_file = {}
    for t in kind_texts:
        by_file.setdefault(t.file, []).append(t)
        assert t.text and t.text == t.text.strip() and "  " not in t.text
        assert t.title_end and "\n" not in t.text[:t.title_end]
    assert set(by_file) == {"WN_train.tsv", "WN_dev.tsv", "WN_test.tsv"}
    # line ranges of one file do not overlap and follow file order
    for items in by_file.values():
        items.sort(key=lambda t: t.lines)
        assert all(a.lines[1] < b.lines[0] for a, b in zip(items, items[1:]))


def test_real_offsets_and_determinism(sources_dir):
    path = sources_dir / "kind-wikinews" / "WN_dev.tsv"
    data = path.read_text("utf-8")
    one, two = kind.rebuild(data, "WN_dev.tsv"), kind.rebuild(data, "WN_dev.tsv")
    assert [a.text for a in one] == [a.text for a in two]
    for a in one:
        assert all(a.text[s:e] == t.text for t, s, e in zip(a.tokens, a.starts, a.ends))
    n_tokens = sum(1 for line in data.split("\n") if line.strip())
    assert sum(len(a.tokens) for a in one) == n_tokens  # no token lost or duplicated
