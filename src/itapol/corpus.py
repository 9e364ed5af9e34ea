"""The corpus on disk: annotation files, splits, upstream texts, and full records.

Layout of a corpus folder::

    corpus/
      sources.toml            upstream sources, pinned and checksummed
      documents/<id>.json     one annotation file per document (offsets only, no text)
      splits.json             document id -> split

Texts are never stored here: :func:`load_texts` rebuilds them from the upstream files and
:func:`join` checks each annotation file against its text's sha256.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from itapol import kind
from itapol.problems import Problem, ProblemError
from itapol.schema import Document, text_sha256
from itapol.sources import SourceError, SourceSpec, cache_dir, fetch, find_sources_dir, load_specs

SPLITS = ("reference", "train", "dev", "test")


@dataclass(frozen=True)
class SourceText:
    """An upstream article as rebuilt: its text and where it came from."""

    id: str
    source: str
    file: str
    commit: str | None
    lines: tuple[int, int]
    licence: str
    text: str
    title_end: int | None  # the title is text[:title_end]; None = no title line


def repo_root() -> Path | None:
    """The checkout this package runs from (editable install), if any."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "corpus" / "sources.toml").is_file() else None


def default_corpus_dir() -> Path:
    env = os.environ.get("ITAPOL_CORPUS")
    if env:
        return Path(env)
    if Path("corpus/sources.toml").is_file():
        return Path("corpus")
    root = repo_root()
    return root / "corpus" if root else Path("corpus")


# ------------------------------------------------------------------ atomic writes

def write_atomic(path: Path, data: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def dumps(data) -> str:
    """The corpus's JSON style: UTF-8, 2-space indent, key order as given, final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------ texts

def seed_id(text: str) -> str:
    return "seed-" + text_sha256(text)[:12]


def _seed_texts(spec: SourceSpec, sources_dir: Path | None) -> list[SourceText]:
    out = []
    for f in spec.files:
        path = fetch(spec, f, sources_dir)
        text = path.read_bytes().decode("utf-8")
        lines = text.count("\n") + (0 if text.endswith("\n") else 1)
        out.append(SourceText(id=seed_id(text), source=spec.id, file=f.path.split("/", 1)[-1],
                              commit=None, lines=(1, lines), licence=spec.licence, text=text, title_end=None))
    return out


def _adapter_fingerprint() -> str:
    return hashlib.sha256(Path(kind.__file__).read_bytes()).hexdigest()[:12]


def _kind_texts(spec: SourceSpec, sources_dir: Path | None, cache: Path | None) -> list[SourceText]:
    """Rebuild every KIND Wikinews article, memoised on disk by input checksums and adapter code."""
    key = hashlib.sha256(("|".join(f.sha256 for f in spec.files) + _adapter_fingerprint()).encode()).hexdigest()[:16]
    memo = (cache or cache_dir()).parent / "texts" / f"kind-wikinews-{key}.json"
    if memo.is_file():
        try:
            return [SourceText(**{**d, "lines": tuple(d["lines"])}) for d in json.loads(memo.read_text("utf-8"))]
        except (ValueError, TypeError, KeyError):
            pass  # a damaged memo is rebuilt below
    out = []
    for f in spec.files:
        data = fetch(spec, f, sources_dir).read_bytes().decode("utf-8")
        name = f.path.split("/", 1)[-1]
        for art in kind.rebuild(data, name):
            out.append(SourceText(id=art.id, source=spec.id, file=name, commit=spec.commit or None,
                                  lines=(art.first_line, art.last_line), licence=spec.licence,
                                  text=art.text, title_end=art.title_end))
    write_atomic(memo, json.dumps([{**t.__dict__, "lines": list(t.lines)} for t in out], ensure_ascii=False))
    return out


def load_texts(corpus_dir: Path, sources: Path | None = None, *, cache: Path | None = None,
               only: Iterable[str] | None = None) -> dict[str, SourceText]:
    """All upstream texts by document id (``only`` restricts to some source ids)."""
    specs = load_specs(corpus_dir / "sources.toml")
    sources_dir = find_sources_dir(sources, corpus_dir.resolve().parent, repo_root())
    wanted = set(only) if only is not None else set(specs)
    texts: dict[str, SourceText] = {}
    for sid, spec in specs.items():
        if sid not in wanted:
            continue
        batch = _seed_texts(spec, sources_dir) if sid == "seed" else _kind_texts(spec, sources_dir, cache)
        for t in batch:
            if t.id in texts:
                raise SourceError(f"{t.file}:{t.lines[0]}: document id {t.id} occurs twice")
            texts[t.id] = t
    return texts


# ------------------------------------------------------------------ annotation files

def document_paths(paths: Iterable[Path]) -> list[Path]:
    """Expand folders (a corpus folder or its documents/) into sorted annotation files."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            folder = p / "documents" if (p / "documents").is_dir() else p
            out.extend(sorted(folder.glob("*.json")))
        else:
            out.append(p)
    return out


def read_json(path: Path) -> tuple[object | None, str | None, list[Problem]]:
    """Parse a JSON file; return (data, text, problems) with a line for each problem."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        return None, None, [Problem(str(path), None, None, None, f"cannot read: {err.strerror}", "io")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        return None, None, [Problem(str(path), line, None, None,
                                    f"not UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start})", "encoding")]
    try:
        return json.loads(text), text, []
    except json.JSONDecodeError as err:
        return None, text, [Problem(str(path), err.lineno, None, None, f"malformed JSON: {err.msg} (column {err.colno})", "json")]


def write_document(corpus_dir: Path, doc: Document) -> Path:
    path = corpus_dir / "documents" / f"{doc.id}.json"
    write_atomic(path, doc.to_json())
    return path


def read_splits(corpus_dir: Path) -> dict[str, str]:
    """Document id -> split name, from splits.json ({"split": [ids...]})."""
    path = corpus_dir / "splits.json"
    data, _, problems = read_json(path)
    if problems:
        raise ProblemError(problems)
    if not isinstance(data, dict) or not isinstance(data.get("splits"), dict):
        raise ProblemError([Problem(str(path), 1, None, "splits", "expected an object {\"splits\": {name: [ids]}}")])
    out: dict[str, str] = {}
    for name, ids in data["splits"].items():
        for doc_id in ids:
            out[doc_id] = name
    return out


def write_splits(corpus_dir: Path, assignment: dict[str, str], extra: dict | None = None) -> None:
    grouped = {name: sorted(i for i, s in assignment.items() if s == name) for name in SPLITS}
    grouped = {k: v for k, v in grouped.items() if v}
    write_atomic(corpus_dir / "splits.json", dumps({**(extra or {}), "splits": grouped}))


# ------------------------------------------------------------------ full records

def record(doc: Document, text: SourceText, split: str | None) -> dict:
    """A full record: the annotation joined with its text (what exports and tasks read)."""
    data = json.loads(doc.to_json())
    title = text.text[doc.title.start:doc.title.end] if doc.title else None
    rest = {k: v for k, v in data.items() if k not in ("id", "title")}
    return {"id": doc.id, "split": split, "title": title, "title_span": data["title"], "text": text.text, **rest}


def join(docs: list[Document], texts: dict[str, SourceText], splits: dict[str, str],
         progress: Callable[[Iterable], Iterable] = lambda x: x) -> list[dict]:
    """Join annotations with texts; a missing text or a sha256 mismatch is a ProblemError."""
    problems, records = [], []
    for doc in progress(docs):
        text = texts.get(doc.id)
        where = f"documents/{doc.id}.json"
        if text is None:
            problems.append(Problem(where, None, doc.id, "id", "no upstream text with this id (was the source or its segmentation changed?)", "unknown-id"))
        elif text_sha256(text.text) != doc.text_sha256:
            problems.append(Problem(where, None, doc.id, "text_sha256",
                                    f"rebuilt text has sha256 {text_sha256(text.text)[:16]}..., annotation expects {doc.text_sha256[:16]}...: the text changed, offsets cannot be trusted", "text-hash"))
        else:
            records.append(record(doc, text, splits.get(doc.id)))
    if problems:
        raise ProblemError(problems)
    return records


def load_records(corpus_dir: Path, sources: Path | None = None) -> list[dict]:
    """Validated full records of a corpus: every annotation file, checked and joined with its text.

    Raises :class:`ProblemError` with every problem found (validation included).
    """
    from itapol.validate import check_corpus
    texts = load_texts(corpus_dir, sources)
    split_of = read_splits(corpus_dir)
    docs, problems = check_corpus(document_paths([corpus_dir]), texts, split_of, str(corpus_dir / "splits.json"))
    if problems:
        raise ProblemError(problems)
    return join(sorted(docs, key=lambda d: d.id), texts, split_of)
