"""itapol: Italian political-news NLP dataset and benchmark."""

from pathlib import Path

__version__ = "0.1.0"


def metric_path() -> str:
    """Path of the `evaluate` metric script (``evaluate.load(itapol.metric_path(), config_name=TASK)``)."""
    return str(Path(__file__).resolve().parent / "hf_metric" / "itapol.py")
