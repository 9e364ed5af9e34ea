"""itapol: Italian political-news NLP dataset and benchmark."""

__version__ = "0.1.0"
