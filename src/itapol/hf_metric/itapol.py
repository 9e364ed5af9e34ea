"""An `evaluate` metric wrapping itapol's scoring (an adapter: the core is itapol.scoring).

    import evaluate, itapol
    metric = evaluate.load(itapol.metric_path(), config_name="mentions")
    metric.compute(predictions=[row, ...], references=[gold_row, ...])

Rows are task-config rows (``{"id", "text", <task field>}``); `evaluate` is unmaintained
upstream, so nothing else in itapol depends on this module.
"""

import json
import tempfile
from pathlib import Path

import datasets
import evaluate

from itapol import scoring
from itapol.tasks import TASKS

_DESCRIPTION = "itapol benchmark scores (mentions, quotes, attribution, locations, stances, demands)."
_KWARGS = "predictions: list of task-config rows; references: the gold rows (same ids); documents: gold `documents` rows (needed for attribution and demands)."


class Itapol(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(description=_DESCRIPTION, citation="itapol (2026), see CITATION.cff", inputs_description=_KWARGS,
                                   features=datasets.Features({"predictions": datasets.Value("string"), "references": datasets.Value("string")}))

    def add_batch(self, *, predictions=None, references=None, **kwargs):
        """Add task-config rows (dicts)."""
        return super().add_batch(predictions=[json.dumps(p, ensure_ascii=False) for p in predictions],
                                 references=[json.dumps(r, ensure_ascii=False) for r in references], **kwargs)

    def compute(self, *, predictions=None, references=None, **kwargs):
        """Score task-config rows against gold rows; returns main_score and every score.

        """
        self._documents = kwargs.pop("documents", None)  # rows are JSON-encoded by add_batch
        return super().compute(predictions=predictions, references=references, **kwargs)

    def _compute(self, predictions, references):
        task = TASKS[self.config_name]
        gold_rows = [json.loads(r) for r in references]
        doc_rows = self._documents or [{"id": r["id"], "text": r["text"], "entities": [], "mentions": [], "quotes": [], "locations": [],
                                        "stances": [], "demands": []} for r in gold_rows]
        gold = scoring.gold_from_rows(task, "test", "evaluate", gold_rows, doc_rows)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "predictions.jsonl"
            path.write_text("".join(p + "\n" for p in predictions), "utf-8")
            preds = scoring.read_predictions(path, gold)
        if preds.problems:
            raise ValueError(str(preds.problems[0]))
        results = scoring.score(gold, preds)
        return {"main_score": results["main_score"], **results["scores"]}
