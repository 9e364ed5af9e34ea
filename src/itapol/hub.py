"""Export the corpus as a Hub dataset folder, publish it with huggingface_hub, verify it.

The folder holds ``CONFIG/SPLIT.parquet`` for every config, a dataset card ``README.md``
whose YAML declares configs, typed features and splits, and ``MANIFEST.json`` with the
sha256 and size of every file. Exports are byte-identical for the same inputs.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from datasets import ClassLabel, DatasetInfo, List, Value

from itapol import __version__
from itapol.configs import CONFIGS, FEATURES, SPLITS, rows, task_row
from itapol.schema import SCHEMA_VERSION

MANIFEST = "MANIFEST.json"
CITATION = """@misc{itapol2026,
  title  = {itapol: an Italian political-news corpus and benchmark for quotes, speakers, locations, stances and demands},
  author = {{itapol contributors}},
  year   = {2026},
  note   = {Version %s}
}
@inproceedings{paccosi-palmero-aprosio-2022-kind,
  title     = {{KIND}: an {I}talian Multi-Domain Dataset for Named Entity Recognition},
  author    = {Paccosi, Teresa and Palmero Aprosio, Alessio},
  booktitle = {Proceedings of the Thirteenth Language Resources and Evaluation Conference},
  year      = {2022},
  pages     = {501--507}
}"""


class HubError(Exception):
    """Publishing or verification failed; the message says what and where."""


def _transport_errors() -> tuple[type[BaseException], ...]:
    """Exceptions meaning "the Hub could not be reached": OSError (requests-based huggingface_hub)
    and httpx's TransportError (huggingface_hub >= 1.0 uses httpx, which does not subclass OSError)."""
    import importlib
    errors: list[type[BaseException]] = [OSError]
    for name in ("httpx2", "httpx"):
        try:
            errors.append(importlib.import_module(name).TransportError)
        except (ImportError, AttributeError):
            pass
    return tuple(errors)


TRANSPORT_ERRORS = _transport_errors()


def _parquet_bytes(table: pa.Table) -> bytes:
    """Parquet with fixed settings and no varying metadata (no timestamps), hence reproducible."""
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd", compression_level=9, use_dictionary=True,
                   write_statistics=True, row_group_size=10_000)
    return sink.getvalue()


def _table(config: str, config_rows: list[dict]) -> pa.Table:
    features = FEATURES[config]
    return pa.Table.from_pylist(config_rows, schema=features.arrow_schema)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ExportResult:
    out_dir: Path
    files: dict[str, dict]   # path -> {sha256, bytes}
    revision: str            # sha256 over the manifest's file list: the export's identity
    counts: dict[str, dict[str, int]]


def build_files(records: list[dict]) -> tuple[dict[str, bytes], dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """All parquet files of an export: path -> bytes, plus example and byte counts per config/split."""
    files: dict[str, bytes] = {}
    counts: dict[str, dict[str, int]] = {}
    nbytes: dict[str, dict[str, int]] = {}
    for config in CONFIGS:
        for split in SPLITS:
            part = [r for r in records if r["split"] == split]
            if not part:  # an empty parquet split cannot be loaded; such a split is left out
                continue
            table = _table(config, rows(config, part))
            data = files[f"{config}/{split}.parquet"] = _parquet_bytes(table)
            counts.setdefault(config, {})[split] = table.num_rows
            # the split's Arrow size as read from the file (what `datasets` records), not the in-memory source table
            nbytes.setdefault(config, {})[split] = pq.read_table(pa.BufferReader(data)).nbytes
    return files, counts, nbytes


def _type_name(feature) -> str:
    """A short human name of a datasets feature type (for the card's field tables)."""
    if isinstance(feature, ClassLabel):
        return "class label: " + " / ".join(feature.names)
    if isinstance(feature, Value):
        return feature.dtype
    if isinstance(feature, List):
        inner = feature.feature
        return "list of spans" if isinstance(inner, dict) and set(inner) == {"start", "end"} else (
            "list of records" if isinstance(inner, dict) else f"list of {_type_name(inner)}")
    if isinstance(feature, dict):
        return "span (start, end)" if set(feature) == {"start", "end"} else "record"
    return type(feature).__name__


def field_rows(features, prefix: str = "") -> list[tuple[str, str]]:
    """(dotted field path, type) for every field, depth first in declaration order.

    Hand-written: datasets renders features as YAML, not as the table a reader of the card wants."""
    rows = []
    for name, f in features.items():
        path = f"{prefix}{name}"
        rows.append((path, _type_name(f)))
        inner = f.feature if isinstance(f, List) else f
        if isinstance(inner, dict) and set(inner) != {"start", "end"}:
            rows.extend(field_rows(inner, path + "[]." if isinstance(f, List) else path + "."))
    return rows


def _fields_md() -> str:
    parts = []
    for c in CONFIGS:
        rows = "\n".join(f"| `{path}` | {typ} |" for path, typ in field_rows(FEATURES[c]))
        parts.append(f"### `{c}`\n\n| field | type |\n|---|---|\n{rows}\n")
    return "\n".join(parts)


def card(records: list[dict], counts: dict, nbytes: dict, files: dict[str, bytes], stats_md: str | None) -> str:
    """The dataset card: YAML front matter (configs, typed features, splits) and documentation."""
    present = [s for s in SPLITS if s in counts["documents"]]
    configs = [{"config_name": c, "data_files": [{"split": s, "path": f"{c}/{s}.parquet"} for s in present],
                **({"default": True} if c == "documents" else {})} for c in CONFIGS]
    infos = []
    for c in CONFIGS:
        info = DatasetInfo(features=FEATURES[c])._to_yaml_dict()
        infos.append({"config_name": c, "features": info["features"],
                      "splits": [{"name": s, "num_bytes": nbytes[c][s], "num_examples": counts[c][s]} for s in present],
                      "download_size": sum(len(files[f"{c}/{s}.parquet"]) for s in present),
                      "dataset_size": sum(nbytes[c].values())})
    meta = {
        "pretty_name": "itapol", "language": ["it"], "license": "cc-by-4.0",
        "annotations_creators": ["machine-generated"], "language_creators": ["found"], "multilinguality": ["monolingual"],
        "size_categories": ["n<1K"], "source_datasets": ["extended|other-kind-wikinews"],
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": ["named-entity-recognition", "sentiment-classification"],
        "tags": ["quotation-attribution", "stance-detection", "political-claims", "toponym-resolution", "news", "politics"],
        "configs": configs, "dataset_info": infos,
    }
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    example = next((r for r in sorted(records, key=lambda r: r["id"]) if r["quotes"] and r["split"] in SPLITS), None)
    ex_lines = ""
    if example:
        row = task_row("quotes", example)
        shown = {"id": row["id"], "text": "…", "quotes": row["quotes"][:2]}
        s = row["quotes"][0]["content"][0]
        excerpt = " ".join(example["text"][s["start"]:s["end"]].split())
        excerpt = excerpt if len(excerpt) <= 100 else excerpt[:100] + "…"
        ex_lines = (f"Example: a row of the `quotes` config (first two quotes; `type` is a class index, "
                    f"{', '.join(f'{i} = {n}' for i, n in enumerate(FEATURES['quotes']['quotes'].feature['type'].names))}):\n\n"
                    f"```json\n{json.dumps(shown, ensure_ascii=False)}\n```\n\n"
                    f"The first content span reads: «{excerpt}»\n")
    table = "\n".join(f"| `{c}` | " + " | ".join(str(counts[c].get(s, 0)) for s in SPLITS) + " |" for c in CONFIGS)
    return f"""---
{head}---

# itapol

Italian political news annotated with speakers and quotes (direct / indirect / mixed, cue,
speaker, intermediary source, channel), locations normalised to GeoNames, stances and
political demands. Standoff character offsets `[start, end)` into `text`.

```python
from datasets import load_dataset
docs = load_dataset("<org>/itapol", "documents", revision="v{__version__}")
quotes = load_dataset("<org>/itapol", "quotes", split="test", revision="v{__version__}")
```

## Configs

| config | {" | ".join(SPLITS)} |
|---|{"---:|" * len(SPLITS)}
{table}

- `documents`: every layer nested (entities, mentions, quotes, locations, stances, demands,
  per-layer provenance).
- `mentions`, `quotes`, `attribution`, `locations`, `stances`, `demands`: one row per
  document shaped for that task's input and gold output; predictions for `itapol score` use
  the same row format.

{ex_lines}
Schema version {SCHEMA_VERSION}; exported by itapol {__version__}. Annotation guidelines:
the itapol repository (`schema/GUIDELINES.md`).

## Fields

Spans are `{{start, end}}` character offsets into `text`; entity, quote and mention ids refer to
items of the same document.

{_fields_md()}

## Licence and attribution

- Annotations: CC BY 4.0, itapol contributors.
- Texts: Italian Wikinews (Wikinotizie contributors), CC BY 2.5, via KIND (Paccosi and
  Palmero Aprosio, LREC 2022). KIND's NER tags (CC BY-NC 4.0) are not included.
- Annotations were produced by LLM-based annotators following written guidelines, with
  double annotation and adjudication on a subset (see the datasheet and statistics below).

## Citation

```bibtex
{CITATION % __version__}
```

{stats_md or ""}
"""


def export(records: list[dict], out_dir: Path, stats_md: str | None = None) -> ExportResult:
    """Write the Hub folder atomically (a temporary sibling folder renamed into place)."""
    records = [r for r in records if r["split"] in SPLITS]
    files, counts, nbytes = build_files(records)
    files["README.md"] = card(records, counts, nbytes, files, stats_md).encode("utf-8")
    listing = {p: {"sha256": sha256_bytes(b), "bytes": len(b)} for p, b in sorted(files.items())}
    revision = sha256_bytes(json.dumps(listing, sort_keys=True).encode())
    manifest = {"itapol_version": __version__, "schema_version": SCHEMA_VERSION, "revision": revision, "files": listing}
    files[MANIFEST] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    out_dir = out_dir.resolve()
    if out_dir.exists() and (not out_dir.is_dir() or (any(out_dir.iterdir()) and not (out_dir / MANIFEST).is_file())):
        # the old folder is replaced wholesale: never do that to something that is not an earlier export
        raise HubError(f"{out_dir}: exists and is not an itapol export folder (no {MANIFEST}); refusing to replace it")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    tmp.chmod(0o755)
    old = None
    try:
        for path, data in files.items():
            (tmp / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp / path).write_bytes(data)
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
            os.replace(out_dir, old)  # an empty directory is replaced atomically
        try:
            os.replace(tmp, out_dir)
        except BaseException:
            if old is not None:
                os.replace(old, out_dir)  # put the previous export back
                old = None
            raise
    finally:
        for leftover in (tmp, old):
            if leftover is not None and leftover.exists():
                shutil.rmtree(leftover)
    return ExportResult(out_dir, listing, revision, counts)


def read_manifest(out_dir: Path) -> dict:
    path = out_dir / MANIFEST
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as err:
        raise HubError(f"{path}: not an itapol export folder ({err})") from err


# ------------------------------------------------------------------ publish and verify

def _git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def remote_files(api, repo_id: str, revision: str) -> dict[str, dict]:
    """path -> {bytes, sha256 (LFS) or git blob oid} at a revision."""
    from huggingface_hub.hf_api import RepoFile
    out = {}
    for entry in api.list_repo_tree(repo_id, revision=revision, repo_type="dataset", recursive=True):
        if isinstance(entry, RepoFile):
            out[entry.path] = {"bytes": entry.size, "sha256": entry.lfs.sha256 if entry.lfs else None, "oid": entry.blob_id}
    return out


def verify(api, repo_id: str, revision: str, out_dir: Path) -> list[str]:
    """Mismatches between the remote files at ``revision`` and the local manifest (empty = verified)."""
    manifest = read_manifest(out_dir)
    expected = dict(manifest["files"])
    expected[MANIFEST] = {"sha256": sha256_bytes((out_dir / MANIFEST).read_bytes()), "bytes": (out_dir / MANIFEST).stat().st_size}
    remote = remote_files(api, repo_id, revision)
    problems = []
    for path, want in sorted(expected.items()):
        got = remote.get(path)
        if got is None:
            problems.append(f"{repo_id}@{revision}: {path}: missing")
            continue
        if got["bytes"] != want["bytes"]:
            problems.append(f"{repo_id}@{revision}: {path}: {got['bytes']} bytes, expected {want['bytes']}")
        elif got["sha256"] is not None and got["sha256"] != want["sha256"]:
            problems.append(f"{repo_id}@{revision}: {path}: sha256 {got['sha256']}, expected {want['sha256']}")
        elif got["sha256"] is None and got["oid"] != _git_blob_sha1((out_dir / path).read_bytes()):
            problems.append(f"{repo_id}@{revision}: {path}: content differs (git blob {got['oid']})")
    for path in sorted(set(remote) - set(expected) - {".gitattributes"}):
        problems.append(f"{repo_id}@{revision}: {path}: not in the export")
    return problems


@dataclass(frozen=True)
class PublishPlan:
    add: list[str]
    change: list[str]
    delete: list[str]
    tag_exists: bool


def plan(api, repo_id: str, tag: str, out_dir: Path) -> PublishPlan:
    """What a publish would change on the remote's main branch."""
    from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError
    manifest = read_manifest(out_dir)
    local = dict(manifest["files"])
    local[MANIFEST] = {"sha256": sha256_bytes((out_dir / MANIFEST).read_bytes()), "bytes": (out_dir / MANIFEST).stat().st_size}
    try:
        remote = remote_files(api, repo_id, "main")
        tags = {t.name for t in api.list_repo_refs(repo_id, repo_type="dataset").tags}
    except (RepositoryNotFoundError, RevisionNotFoundError):
        remote, tags = {}, set()
    add = sorted(set(local) - set(remote))

    def differs(p: str) -> bool:  # LFS files compare by sha256, regular files by git blob id
        if remote[p]["bytes"] != local[p]["bytes"]:
            return True
        if remote[p]["sha256"] is not None:
            return remote[p]["sha256"] != local[p]["sha256"]
        return remote[p]["oid"] != _git_blob_sha1((out_dir / p).read_bytes())
    change = sorted(p for p in set(local) & set(remote) if differs(p))
    delete = sorted(set(remote) - set(local) - {".gitattributes"})
    return PublishPlan(add, change, delete, tag in tags)


def publish(out_dir: Path, repo_id: str, tag: str, *, token: str | None = None, endpoint: str | None = None,
            force: bool = False, private: bool = False) -> str:
    """Create the repo if missing, upload the folder in one commit, tag it, verify. Returns the commit id."""
    from huggingface_hub import HfApi
    api = HfApi(endpoint=endpoint, token=token)  # token None: HF_TOKEN or the stored login, as huggingface_hub does
    manifest = read_manifest(out_dir)
    p = plan(api, repo_id, tag, out_dir)
    if p.tag_exists and not force:
        raise HubError(f"{repo_id}: tag {tag} already exists; refusing to move it (use --force to replace it)")
    api.create_repo(repo_id, repo_type="dataset", exist_ok=True, private=private)
    info = api.upload_folder(repo_id=repo_id, repo_type="dataset", folder_path=str(out_dir),
                             commit_message=f"itapol {manifest['itapol_version']} export {manifest['revision'][:12]} ({tag})",
                             delete_patterns=["*", "**/*"])
    commit = info.oid
    if p.tag_exists:
        api.delete_tag(repo_id, tag=tag, repo_type="dataset")
    api.create_tag(repo_id, tag=tag, revision=commit, repo_type="dataset",
                   tag_message=f"itapol dataset {tag}, export revision {manifest['revision']}")
    problems = verify(api, repo_id, tag, out_dir)
    if problems:
        raise HubError("verification failed: " + "; ".join(problems))
    return commit
