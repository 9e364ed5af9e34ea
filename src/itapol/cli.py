"""The ``itapol`` command line. Parsing, progress bars, messages and exit codes only.

Exit codes: 0 success, 1 problems found in the data, 2 unusable input or arguments.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path

import click
import yaml
from tqdm import tqdm

from itapol import __version__
from itapol.anchors import AnchorError, compile_authoring, to_authoring
from itapol.corpus import (default_corpus_dir, repo_root, document_paths, join, load_texts, read_splits, write_atomic,
                           write_document)
from itapol.problems import Problem, ProblemError
from itapol.schema import Source
from itapol.sources import SourceError, load_specs, sha256_file, find_sources_dir
from itapol.validate import check_corpus, check_file

EXIT_PROBLEMS, EXIT_USAGE = 1, 2


def _bar(items, desc: str):
    """A progress bar on stderr, silent when not a terminal or when the work is short."""
    return tqdm(items, desc=desc, unit="doc", leave=False, file=sys.stderr,
                disable=None if len(items) > 200 else True)


def _fail(message: str, code: int = EXIT_USAGE):
    click.echo(f"itapol: {message}", err=True)
    sys.exit(code)


def _report(problems: list[Problem], fmt: str = "text") -> None:
    if fmt == "json":
        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for p in problems:
            click.echo(str(p), err=True)


corpus_option = click.option("--corpus", "corpus_dir", type=click.Path(path_type=Path, file_okay=False),
                             default=None, help="Corpus folder (default: $ITAPOL_CORPUS, ./corpus, or the checkout's corpus/).")
sources_option = click.option("--sources", type=click.Path(path_type=Path, file_okay=False), default=None,
                              help="Folder holding upstream files (default: $ITAPOL_SOURCES, then ../shared/sources beside the checkout, then download into the cache).")


def _texts(corpus_dir: Path, sources: Path | None, only=None):
    try:
        return load_texts(corpus_dir, sources, only=only)
    except SourceError as err:
        _fail(str(err))
    except UnicodeDecodeError as err:
        _fail(f"an upstream file is not UTF-8: {err}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="itapol")
def main():
    """itapol: Italian political-news corpus and benchmark.

    \b
    Typical flow:
      itapol sources            check the upstream files (checksums)
      itapol build              rebuild texts, validate annotations, write full records
      itapol validate corpus/   check annotation files (schema, offsets, ids, splits)
      itapol show DOC_ID        read a document with its annotations marked

    \b
    Benchmark:
      itapol tasks [NAME]       the six tasks: inputs, outputs, scores, an example
      itapol score --task T --predictions P.jsonl --output R.json
      itapol compare A.json B.json          paired bootstrap between two systems
      itapol baselines run      train, tune and score every baseline (about 15 s)
      itapol leaderboard        LEADERBOARD.md and leaderboard.html from results

    \b
    Release:
      itapol export OUT/        parquet per config and split, dataset card, MANIFEST
      itapol publish OUT/ --repo ORG/NAME --tag vX.Y.Z [--dry-run]

    Texts are never stored in the repository: they are rebuilt from upstream files found
    with --sources, $ITAPOL_SOURCES or ../shared/sources beside the checkout.
    """


@main.command()
@corpus_option
@sources_option
def sources(corpus_dir, sources):
    """List the declared upstream files and verify their sha256."""
    corpus_dir = corpus_dir or default_corpus_dir()
    try:
        specs = load_specs(corpus_dir / "sources.toml")
        folder = find_sources_dir(sources, corpus_dir.resolve().parent, repo_root())
    except SourceError as err:
        _fail(str(err))
    bad = 0
    for spec in specs.values():
        click.echo(f"{spec.id}  licence {spec.licence}  {'redistributable' if spec.redistributable else 'not redistributable'}")
        for f in spec.files:
            path = folder / f.path if folder else None
            state = "missing (will download)" if not path or not path.is_file() else (
                "ok" if sha256_file(path) == f.sha256 else "SHA256 MISMATCH")
            bad += state == "SHA256 MISMATCH"
            click.echo(f"  {f.path:34} {f.bytes:>9} bytes  {state}")
    sys.exit(EXIT_PROBLEMS if bad else 0)


@main.command()
@corpus_option
@sources_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("build"), show_default=True,
              help="Where to write records.jsonl and articles.jsonl.")
def build(corpus_dir, sources, out):
    """Rebuild upstream texts, validate the corpus and write full records.

    Writes OUT/records.jsonl (each annotated document with its text, one JSON per line,
    sorted by id) and OUT/articles.jsonl (every rebuilt upstream article: id, source, file,
    lines, title, length). Fails with exit 1 if any annotation does not match its text.
    """
    corpus_dir = corpus_dir or default_corpus_dir()
    t0 = time.perf_counter()
    texts = _texts(corpus_dir, sources)
    by_source: dict[str, int] = {}
    for t in texts.values():
        key = f"{t.source}/{t.file}"
        by_source[key] = by_source.get(key, 0) + 1
    for key, n in sorted(by_source.items()):
        click.echo(f"rebuilt {n:5d} articles from {key}")
    try:
        splits = read_splits(corpus_dir)
    except ProblemError as err:
        _report(err.problems)
        sys.exit(EXIT_USAGE)
    files = document_paths([corpus_dir])
    docs, problems = check_corpus(files, texts, splits, str(corpus_dir / "splits.json"), progress=lambda x: _bar(x, "validate"))
    if problems:
        _report(problems)
        _fail(f"{len(problems)} problem(s) in {corpus_dir}; nothing written", EXIT_PROBLEMS)
    records = join(sorted(docs, key=lambda d: d.id), texts, splits)
    lines = "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in records)
    write_atomic(out / "records.jsonl", lines)
    articles = "".join(json.dumps({"id": t.id, "source": t.source, "file": t.file, "lines": list(t.lines),
                                   "title": t.text[:t.title_end] if t.title_end else None, "chars": len(t.text)},
                                  ensure_ascii=False) + "\n" for t in sorted(texts.values(), key=lambda t: (t.source, t.file, t.lines)))
    write_atomic(out / "articles.jsonl", articles)
    click.echo(f"{len(records)} annotated documents valid; wrote {out / 'records.jsonl'} and "
               f"{out / 'articles.jsonl'} ({len(texts)} articles) in {time.perf_counter() - t0:.2f} s")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@corpus_option
@sources_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json prints a list of problems (file, line, doc_id, field, message, code) for machines.")
@click.option("--no-text", is_flag=True, help="Skip the checks that need the upstream texts (offsets, span hashes).")
def validate(paths, corpus_dir, sources, fmt, no_text):
    """Check annotation files: schema, ids, references, offsets, span hashes, splits.

    PATHS are annotation files or corpus folders (default: the corpus). One line per
    problem: FILE:LINE: DOC_ID: FIELD: what is wrong. Exit 1 if any problem is found.
    """
    corpus_dir = corpus_dir or default_corpus_dir()
    paths = list(paths) or [corpus_dir]
    for p in paths:
        if not p.exists():
            _fail(f"{p}: no such file or folder")
    files = document_paths(paths)
    texts = None if no_text else _texts(corpus_dir, sources)
    splits = None
    for p in paths:
        if p.is_dir() and (p / "splits.json").is_file():
            try:
                splits = read_splits(p)
            except ProblemError as err:
                _report(err.problems, fmt)
                sys.exit(EXIT_PROBLEMS)
            splits_file = str(p / "splits.json")
    t0 = time.perf_counter()
    docs, problems = check_corpus(files, texts, splits, splits_file if splits is not None else "splits.json",
                                  progress=lambda x: _bar(x, "validate"))
    elapsed = time.perf_counter() - t0
    if fmt == "json":
        _report(problems, "json")
    else:
        _report(problems)
        click.echo(f"{len(files)} file(s), {len(docs)} valid document(s), {len(problems)} problem(s) ({elapsed:.2f} s)",
                   err=bool(problems))
    sys.exit(EXIT_PROBLEMS if problems else 0)


@main.command()
@corpus_option
@sources_option
@click.option("--file", "file_", default=None, help="Only articles from this upstream file (e.g. WN_test.tsv).")
@click.option("--grep", default=None, help="Only articles whose text contains this string (case-insensitive).")
def articles(corpus_dir, sources, file_, grep):
    """List rebuilt upstream articles: id, file, first-last line, characters, title."""
    texts = _texts(corpus_dir or default_corpus_dir(), sources)
    for t in sorted(texts.values(), key=lambda t: (t.source, t.file, t.lines)):
        if (file_ and t.file != file_) or (grep and grep.lower() not in t.text.lower()):
            continue
        title = t.text[:t.title_end] if t.title_end else "(no title)"
        click.echo(f"{t.id}\t{t.file}\t{t.lines[0]}-{t.lines[1]}\t{len(t.text)}\t{title}")


@main.command()
@click.argument("doc_id")
@corpus_option
@sources_option
@click.option("--plain", is_flag=True, help="Print the text only (what annotators read).")
def show(doc_id, corpus_dir, sources, plain):
    """Print a document's text, with its annotations marked if it has any."""
    corpus_dir = corpus_dir or default_corpus_dir()
    texts = _texts(corpus_dir, sources)
    if doc_id not in texts:
        _fail(f"unknown document id {doc_id!r} (see 'itapol articles')")
    text = texts[doc_id].text
    path = corpus_dir / "documents" / f"{doc_id}.json"
    if plain or not path.is_file():
        click.echo(text)
        return
    from itapol.schema import Document
    doc = Document.model_validate_json(path.read_text("utf-8"))
    click.echo(yaml.safe_dump(to_authoring(doc, text), allow_unicode=True, sort_keys=False, width=120))


@main.command("select")
@corpus_option
@sources_option
@click.option("--min-chars", default=400, show_default=True, help="Shortest article to annotate.")
@click.option("--max-chars", default=6000, show_default=True, help="Longest article to annotate.")
def select_cmd(corpus_dir, sources, min_chars, max_chars):
    """Decide which rebuilt KIND articles are political; write corpus/selection.json.

    Each article gets the categories of political vocabulary it hits (see itapol.select)
    and a place in a fixed pseudo-random annotation queue. Annotators confirm or reject
    each queued article against the criteria in corpus/DATASHEET.md.
    """
    from itapol.select import decide, sample_key
    corpus_dir = corpus_dir or default_corpus_dir()
    texts = _texts(corpus_dir, sources, only=["kind-wikinews"])
    rows = []
    for t in sorted(texts.values(), key=lambda t: t.id):
        d = decide(t.id, t.text, t.title_end)
        in_range = min_chars <= len(t.text) <= max_chars
        rows.append({"id": t.id, "file": t.file, "lines": list(t.lines), "chars": len(t.text), "political": d.political,
                     "queued": d.political and in_range, "score": d.score, "reason": d.reason})
    queue = sorted((r for r in rows if r["queued"]), key=lambda r: sample_key(r["id"]))
    for rank, r in enumerate(queue, start=1):
        r["queue_rank"] = rank
    out = {"criteria": {"min_categories": 2, "min_hits": 5, "min_core_hits": 3, "min_chars": min_chars, "max_chars": max_chars},
           "articles": len(rows), "political": sum(r["political"] for r in rows), "queued": len(queue), "decisions": rows}
    write_atomic(corpus_dir / "selection.json", json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    click.echo(f"{out['articles']} articles, {out['political']} political, {out['queued']} queued for annotation -> {corpus_dir / 'selection.json'}")


@main.command()
@click.argument("first", type=click.Path(exists=True, path_type=Path))
@click.argument("second", type=click.Path(exists=True, path_type=Path))
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Also write the report as JSON here.")
def agreement(first, second, output):
    """Inter-annotator agreement between two annotations of the same documents.

    FIRST and SECOND are folders (or files) of annotation files; documents present in
    both are compared. Reports span F1 (exact and overlap) for mentions, quotes, cues,
    locations and demand actions, speaker attribution agreement on matched quotes, and
    Cohen's kappa for stance polarity on matched holder-target pairs.
    """
    from itapol.agreement import aggregate, compare
    from itapol.schema import Document

    def load(path: Path) -> dict[str, Document]:
        out = {}
        for f in document_paths([path]):
            doc, problems = check_file(f, None)
            if problems or doc is None:
                _report(problems)
                _fail(f"{f}: not a valid annotation file", EXIT_USAGE)
            out[doc.id] = doc
        return out

    a, b = load(first), load(second)
    common = sorted(set(a) & set(b))
    if not common:
        _fail(f"no document is annotated in both {first} and {second}")
    report = aggregate([compare(a[i], b[i]) for i in common])
    report["document_ids"] = common
    for key, value in report.items():
        if isinstance(value, dict):
            click.echo(f"{key:20} " + "  ".join(f"{k}={v}" for k, v in value.items()))
    click.echo(f"{'documents':20} {len(common)}")
    if output:
        write_atomic(output, json.dumps(report, indent=2) + "\n")


def _load_corpus_docs(corpus_dir: Path, texts) -> list:
    docs, problems = check_corpus(document_paths([corpus_dir]), texts, None)
    if problems:
        _report(problems)
        _fail(f"{len(problems)} problem(s) in {corpus_dir}; run 'itapol validate'", EXIT_PROBLEMS)
    return docs


@main.command()
@corpus_option
@sources_option
@click.option("--reassign", is_flag=True, help="Recompute every assignment instead of keeping splits.json's.")
def splits(corpus_dir, sources, reassign):
    """Assign every annotated document to a split; write corpus/splits.json.

    Documents already in splits.json keep their split (a released test set never moves);
    new documents join the split of their story group (documents sharing named people) or,
    in new groups, are dealt deterministically so that test has >= 50 documents and every
    layer has examples in every split. The seed article is the 'reference' split.
    --reassign recomputes every assignment from scratch (a new major corpus version).
    """
    from itapol.corpus import write_splits
    from itapol.splits import assign, coverage, story_groups
    corpus_dir = corpus_dir or default_corpus_dir()
    docs = _load_corpus_docs(corpus_dir, _texts(corpus_dir, sources))
    frozen = {} if reassign or not (corpus_dir / "splits.json").is_file() else read_splits(corpus_dir)
    assignment, torn = assign(docs, frozen=frozen)
    for ids in torn:
        click.echo(f"warning: story group {', '.join(ids)} spans several frozen splits (kept as released)", err=True)
    groups = story_groups([d for d in docs if d.source.id != "seed"])
    multi = {g: sorted(i for i, x in groups.items() if x == g) for g in set(groups.values())}
    multi = {g: ids for g, ids in sorted(multi.items()) if len(ids) > 1}
    write_splits(corpus_dir, assignment, {"method": "itapol splits (story groups by shared PER names, dealt by sha256 order)",
                                          "story_groups": multi})
    table = coverage(docs, assignment)
    for split in ("reference", "train", "dev", "test"):
        n = sum(1 for v in assignment.values() if v == split)
        row = table.get(split, {})
        click.echo(f"{split:10} {n:4d} documents  " + "  ".join(f"{k}={v}" for k, v in row.items()))
    empty = [(s, "documents") for s in ("train", "dev", "test") if s not in table]
    empty += [(s, k) for s, row in table.items() if s != "reference" for k, v in row.items() if v == 0]
    if empty:
        _fail(f"layers without examples in a split: {empty}", EXIT_PROBLEMS)


@main.command()
@corpus_option
@sources_option
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Write the report as JSON here.")
def kindcheck(corpus_dir, sources, output):
    """Compare our named mentions with KIND's own NER tags (counts only; tags never published)."""
    from itapol.kindcheck import compare, kind_spans
    corpus_dir = corpus_dir or default_corpus_dir()
    docs = [d for d in _load_corpus_docs(corpus_dir, _texts(corpus_dir, sources)) if d.source.id == "kind-wikinews"]
    spec = load_specs(corpus_dir / "sources.toml")["kind-wikinews"]
    report = compare(docs, kind_spans(spec, find_sources_dir(sources, corpus_dir.resolve().parent, repo_root()), {d.id for d in docs}))
    click.echo(json.dumps(report, indent=2))
    if output:
        write_atomic(output, json.dumps(report, indent=2) + "\n")


@main.command()
@corpus_option
@sources_option
def stats(corpus_dir, sources):
    """Write corpus/STATS.md, corpus/stats.json and corpus/DATASHEET.md from the data.

    Reads the annotations, splits, selection record, corpus/agreement.json (from
    'itapol agreement ... --output') and corpus/kindcheck.json (from 'itapol kindcheck
    --output'); every number in the two documents is computed here.
    """
    from itapol.datasheet import datasheet_markdown
    from itapol.schema import SCHEMA_VERSION
    from itapol.stats import corpus_stats, stats_markdown
    corpus_dir = corpus_dir or default_corpus_dir()
    texts = _texts(corpus_dir, sources)
    docs = _load_corpus_docs(corpus_dir, texts)
    split_of = read_splits(corpus_dir)
    table = corpus_stats(docs, {i: t.text for i, t in texts.items()}, split_of)

    def optional_json(name):
        path = corpus_dir / name
        return json.loads(path.read_text("utf-8")) if path.is_file() else None

    agreement_report, kind_report = optional_json("agreement.json"), optional_json("kindcheck.json")
    selection = optional_json("selection.json") or {}
    skipped = {}
    if (corpus_dir / "skipped.tsv").is_file():
        for line in (corpus_dir / "skipped.tsv").read_text("utf-8").splitlines():
            if line.strip():
                doc_id, _, reason = line.partition("\t")
                skipped[doc_id] = reason
    annotators = sorted({a for d in docs for p in (d.layers.entities,) if p for a in p.annotators})
    write_atomic(corpus_dir / "stats.json", json.dumps({"schema_version": SCHEMA_VERSION, "splits": table,
                                                        "agreement": agreement_report, "kindcheck": kind_report}, indent=2) + "\n")
    write_atomic(corpus_dir / "STATS.md", stats_markdown(table, agreement_report, kind_report, SCHEMA_VERSION))
    write_atomic(corpus_dir / "DATASHEET.md", datasheet_markdown(table, agreement_report, kind_report, selection, skipped,
                                                                 annotators, SCHEMA_VERSION,
                                                                 optional_json("segmentation_sample.json")))
    click.echo(f"{len(docs)} documents; wrote {corpus_dir / 'STATS.md'}, {corpus_dir / 'stats.json'}, {corpus_dir / 'DATASHEET.md'}")


def _records(corpus_dir: Path, sources: Path | None) -> list[dict]:
    """Validated full records of the corpus (the input of export, tasks, scoring and baselines)."""
    from itapol.corpus import load_records
    try:
        return load_records(corpus_dir, sources)
    except SourceError as err:
        _fail(str(err))
    except ProblemError as err:
        _report(err.problems)
        _fail(f"{len(err.problems)} problem(s) in {corpus_dir}; run 'itapol validate'", EXIT_PROBLEMS)


@main.command()
@click.argument("out_dir", type=click.Path(path_type=Path, file_okay=False))
@corpus_option
@sources_option
def export(out_dir, corpus_dir, sources):
    """Write a Hub-ready dataset folder: CONFIG/SPLIT.parquet, README.md card, MANIFEST.json.

    Configs: 'documents' (every layer nested) and one per task (mentions, quotes,
    attribution, locations, stances, demands). Byte-identical for the same corpus; the
    manifest's 'revision' (a sha256 over every file) identifies the export. Documents whose
    text may not be redistributed (the seed) are left out.
    """
    from itapol.hub import HubError
    from itapol.hub import export as do_export
    corpus_dir = corpus_dir or default_corpus_dir()
    t0 = time.perf_counter()
    records = _records(corpus_dir, sources)
    stats_md = (corpus_dir / "STATS.md").read_text("utf-8").split("\n", 3)[-1] if (corpus_dir / "STATS.md").is_file() else None
    try:
        result = do_export(records, out_dir, stats_md)
    except HubError as err:
        _fail(str(err))
    for config, counts in result.counts.items():
        click.echo(f"{config:12} " + "  ".join(f"{s}={n}" for s, n in counts.items()))
    size = sum(f["bytes"] for f in result.files.values())
    click.echo(f"wrote {len(result.files) + 1} files ({size / 1024:.0f} KiB) to {out_dir}, revision {result.revision[:12]} "
               f"in {time.perf_counter() - t0:.2f} s")


@contextlib.contextmanager
def _hub_errors(repo_id: str, tag: str | None = None):
    """Turn Hub failures into one clear line: refused (exit 1) or unreachable (exit 2)."""
    from huggingface_hub.errors import HfHubHTTPError

    from itapol.hub import TRANSPORT_ERRORS, HubError
    try:
        yield
    except HubError as err:
        _fail(str(err), EXIT_PROBLEMS)
    except HfHubHTTPError as err:
        _fail(f"{repo_id}{'@' + tag if tag else ''}: the Hub refused: {str(err).splitlines()[0]}", EXIT_PROBLEMS)
    except TRANSPORT_ERRORS as err:
        _fail(f"{repo_id}: cannot reach the Hub: {err}", EXIT_USAGE)


@main.command()
@click.argument("out_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--repo", "repo_id", required=True, help="Dataset repository, ORG/NAME.")
@click.option("--tag", required=True, help="Version tag to create, e.g. v1.0.0.")
@click.option("--force", is_flag=True, help="Replace an existing tag (otherwise an existing tag is an error).")
@click.option("--dry-run", is_flag=True, help="Only list what would be added, changed and deleted.")
@click.option("--private", is_flag=True, help="Create the repository as private if it does not exist.")
@click.option("--endpoint", default=None, help="Hub endpoint (default: $HF_ENDPOINT or huggingface.co).")
def publish(out_dir, repo_id, tag, force, dry_run, private, endpoint):
    """Upload an export folder to the Hub in one commit, tag it, and verify the files.

    The token is read the standard way (HF_TOKEN or 'hf auth login') and never printed.
    After the upload the files at the tag are listed and compared with MANIFEST.json
    (size and sha256); any mismatch exits 1.
    """
    from huggingface_hub import HfApi

    from itapol.hub import plan
    from itapol.hub import publish as do_publish
    with _hub_errors(repo_id):
        if dry_run:
            p = plan(HfApi(endpoint=endpoint), repo_id, tag, out_dir)
            for label, paths in (("add", p.add), ("change", p.change), ("delete", p.delete)):
                for path in paths:
                    click.echo(f"{label:7} {path}")
            click.echo(f"tag {tag}: {'exists (publish would refuse without --force)' if p.tag_exists else 'would be created'}")
            return
        commit = do_publish(out_dir, repo_id, tag, endpoint=endpoint, force=force, private=private)
    click.echo(f"published {out_dir} to {repo_id} at commit {commit[:12]}, tagged {tag}, verified")


@main.command("verify")
@click.argument("out_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--repo", "repo_id", required=True, help="Dataset repository, ORG/NAME.")
@click.option("--tag", required=True, help="Tag (or commit) to check, e.g. v1.0.0.")
@click.option("--endpoint", default=None, help="Hub endpoint (default: $HF_ENDPOINT or huggingface.co).")
def verify_cmd(out_dir, repo_id, tag, endpoint):
    """Check the files of a published version against an export's MANIFEST.json.

    Lists the remote files at the tag and compares size and sha256 (git blob id for small
    files); prints one line per mismatch (missing, extra, different) and exits 1 on any.
    """
    from huggingface_hub import HfApi

    from itapol.hub import verify
    with _hub_errors(repo_id, tag):
        problems = verify(HfApi(endpoint=endpoint), repo_id, tag, out_dir)
    for line in problems:
        click.echo(line, err=True)
    if problems:
        _fail(f"{repo_id}@{tag}: {len(problems)} file(s) differ from {out_dir / 'MANIFEST.json'}", EXIT_PROBLEMS)
    click.echo(f"{repo_id}@{tag}: every file matches {out_dir / 'MANIFEST.json'}")


@main.command("tasks")
@click.argument("name", required=False)
@corpus_option
@sources_option
def tasks_cmd(name, corpus_dir, sources):
    """List the benchmark tasks, or show one with an example input and output."""
    from itapol.tasks import TASKS
    if not name:
        for t in TASKS.values():
            click.echo(f"{t.name:12} v{t.version}  main: {t.main_score:12} {t.description}")
        return
    if name not in TASKS:
        _fail(f"unknown task {name!r} (known: {', '.join(TASKS)})")
    t = TASKS[name]
    click.echo(f"{t.name} (version {t.version})\n{t.description}\n")
    click.echo(f"gold config: {t.gold_config}   splits: {', '.join(t.splits)} (default {t.splits[0]})")
    click.echo(f"input: id, {', '.join(t.inputs)}   output per item in '{t.field}': {', '.join(t.outputs)}")
    click.echo(f"main score: {t.main_score}; also: {', '.join(s for s in t.scores if s != t.main_score)}")
    click.echo(f"counting: {t.reference}\nlicence: {t.licence}")
    from itapol.configs import rows as config_rows
    from itapol.scoring import named_row
    records = _records(corpus_dir or default_corpus_dir(), sources)
    example = next((r for r in sorted(records, key=lambda r: r["id"]) if r["split"] == "dev" and config_rows(t.gold_config, [r])[0][t.field]), None)
    if example:
        row = named_row(t.gold_config, config_rows(t.gold_config, [example])[0])
        row = {"id": row["id"], t.field: row[t.field][:2]}
        click.echo("\nexample prediction line (the gold of a dev document, first two items):")
        click.echo(json.dumps(row, ensure_ascii=False))


@main.command("score")
@click.option("--task", "task_name", required=True, help="Task name (see 'itapol tasks').")
@click.option("--predictions", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="JSON Lines, one row per document in the task's gold-config format.")
@click.option("--split", default="test", show_default=True, type=click.Choice(["test", "dev", "train"]))
@click.option("--gold", "gold_path", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None,
              help="An export folder ('itapol export') to score against (default: the corpus itself).")
@click.option("--revision", default=None, help="Score against the Hub dataset at this tag (needs --repo).")
@click.option("--repo", default=None, help="Hub dataset repository for --revision, ORG/NAME.")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Write the results JSON here.")
@click.option("--system", default=None, help="A name for the system, recorded in the results.")
@click.option("--strict", is_flag=True, help="Fail (exit 2) if a gold document has no prediction line.")
@corpus_option
@sources_option
def score_cmd(task_name, predictions, split, gold_path, revision, repo, output, system, strict, corpus_dir, sources):
    """Score predictions for one task; print the scores and write a results JSON.

    \b
    The results JSON holds main_score, task and version, split, dataset revision,
    itapol and schema versions, every score, a 95% bootstrap confidence interval
    (1000 resamples of documents, seed 0), counts and per-document statistics.
    Documents without predictions count as empty (a warning), or fail with --strict.
    Exit 0 scored, 2 unusable predictions or arguments.
    """
    from itapol import scoring
    from itapol.tasks import TASKS
    if task_name not in TASKS:
        _fail(f"unknown task {task_name!r} (known: {', '.join(TASKS)})")
    task = TASKS[task_name]
    if revision and not repo:
        _fail("--revision needs --repo ORG/NAME")
    if gold_path:
        gold = scoring.gold_from_export(task, split, gold_path)
    elif revision:
        gold = scoring.gold_from_hub(task, split, repo, revision)
    else:
        records = _records(corpus_dir or default_corpus_dir(), sources)
        gold = scoring.gold_from_records(task, split, records, scoring.records_revision(records))
    preds = scoring.read_predictions(predictions, gold)
    if preds.problems:
        _report(preds.problems)
        _fail(f"{predictions}: {len(preds.problems)} problem(s); nothing scored", EXIT_USAGE)
    if preds.missing:
        message = f"{predictions}: {len(preds.missing)} of {len(gold.rows)} {split} documents have no prediction (first: {preds.missing[0]})"
        if strict:
            _fail(message + "; --strict", EXIT_USAGE)
        click.echo(f"warning: {message}; counted as empty", err=True)
    results = scoring.score(gold, preds, system)
    lo, hi = results["confidence_interval"]["main_score"]
    click.echo(f"{task.name} v{task.version} on {split} ({results['counts']['documents']} documents, revision {gold.revision})")
    click.echo(f"  {task.main_score:26} {results['main_score']:.4f}  [95% CI {lo:.4f}, {hi:.4f}]")
    for k, v in results["scores"].items():
        if k != task.main_score:
            click.echo(f"  {k:26} {v:.4f}")
    if output:
        write_atomic(output, scoring.results_json(results))
        click.echo(f"wrote {output}")


@main.command("compare")
@click.argument("results_a", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("results_b", type=click.Path(path_type=Path, dir_okay=False, exists=True))
def compare_cmd(results_a, results_b):
    """Paired bootstrap significance test between two results files of the same task and data."""
    from itapol.scoring import compare
    loaded = []
    for path in (results_a, results_b):
        try:
            loaded.append(json.loads(path.read_text("utf-8")))
        except UnicodeDecodeError as err:
            _fail(f"{path}: not UTF-8 (byte offset {err.start})", EXIT_USAGE)
        except json.JSONDecodeError as err:
            _fail(f"{path}:{err.lineno}: not JSON: {err.msg} (column {err.colno})", EXIT_USAGE)
    try:
        out = compare(*loaded)
    except KeyError as err:
        _fail(f"cannot compare {results_a} and {results_b}: missing field {err} (not itapol results files?)", EXIT_USAGE)
    except ValueError as err:
        _fail(f"cannot compare {results_a} and {results_b}: {err}", EXIT_USAGE)
    click.echo(json.dumps(out, indent=2))


@main.group()
def baselines():
    """Run the baseline systems and record their scores."""


@baselines.command("list")
def baselines_list():
    """List every baseline (task, name, kind, description)."""
    from itapol.baselines import registry
    for (task, name), entry in sorted(registry().items()):
        click.echo(f"{task:12} {name:18} {entry.kind:8} {entry.make(0).description}")


@baselines.command("run")
@click.option("--task", default=None, help="Only this task.")
@click.option("--baseline", "name", default=None, help="Only this baseline name.")
@click.option("--split", default="test", show_default=True, type=click.Choice(["test", "dev"]))
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("baselines"), show_default=True,
              help="Writes OUT/results/TASK/NAME.json (and predictions under OUT/predictions).")
@corpus_option
@sources_option
def baselines_run(task, name, split, out_dir, corpus_dir, sources):
    """Train each baseline on train, tune on dev, score on the split, write one results file each.

    Results are scored by the same code as 'itapol score' and are byte-identical across runs
    (seeded; timings are printed, not stored).
    """
    from itapol.baselines.run import run_all
    from itapol.scoring import records_revision
    records = _records(corpus_dir or default_corpus_dir(), sources)
    t0 = time.perf_counter()
    results = run_all(records, records_revision(records), out_dir, task=task, name=name, split=split,
                      progress=lambda xs: tqdm(xs, desc="baselines", unit="baseline", file=sys.stderr, disable=None))
    if not results:
        _fail("no baseline matches --task/--baseline (see 'itapol baselines list')")
    for r in results:
        lo, hi = r["confidence_interval"]["main_score"]
        click.echo(f"{r['task']:12} {r['baseline']['name']:18} {r['main_score_name']:11} {r['main_score']:.4f} "
                   f"[{lo:.4f}, {hi:.4f}]  {r['baseline']['fit_predict_seconds']:6.1f} s")
    click.echo(f"{len(results)} baselines in {time.perf_counter() - t0:.1f} s; results in {out_dir / 'results'}")


@baselines.command("record")
@click.option("--results", "results_dir", type=click.Path(path_type=Path, file_okay=False, exists=True), default=Path("baselines/results"), show_default=True)
@click.option("--reason", required=True, help="Why the recorded scores change (kept in the file).")
@click.option("--to", "target", type=click.Path(path_type=Path, dir_okay=False), default=Path("benchmarks/recorded_scores.json"), show_default=True)
def baselines_record(results_dir, reason, target):
    """Record the current baseline main scores as the regression reference (with a reason)."""
    from itapol.leaderboard import load
    results, problems = load([results_dir])
    if problems:
        _report(problems)
        _fail("results files have problems", EXIT_PROBLEMS)
    revisions = sorted({r["dataset_revision"] for r in results})
    if len(revisions) != 1:
        _fail(f"results from several dataset revisions: {revisions}")
    scores = {f"{r['task']}/{r['baseline']['name']}": r["main_score"] for r in sorted(results, key=lambda r: (r["task"], r["baseline"]["name"]))}
    try:
        old = json.loads(target.read_text("utf-8")) if target.is_file() else {}
    except ValueError as err:
        _fail(f"{target}: not JSON ({err}); fix or remove it", EXIT_PROBLEMS)
    # every update is kept with its reason and what it changed, so a score never moves silently
    before = old.get("scores", {})
    changed = {k: [before.get(k), v] for k, v in scores.items() if before.get(k) != v}
    changed.update({k: [v, None] for k, v in before.items() if k not in scores})
    entry = {"reason": reason, "dataset_revision": revisions[0], "previous_revision": old.get("dataset_revision"), "changed": changed}
    data = {"dataset_revision": revisions[0], "reason": reason, "scores": scores,
            "history": [*old.get("history", []), entry]}
    write_atomic(target, json.dumps(data, indent=2) + "\n")
    click.echo(f"recorded {len(scores)} scores to {target} ({len(changed)} changed)")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@click.option("--check", "check_file", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="Only validate one submitted results file (exit 1 on problems).")
@click.option("--out-dir", type=click.Path(path_type=Path, file_okay=False), default=Path("."), show_default=True,
              help="Where LEADERBOARD.md and leaderboard.html go.")
@click.option("--eval-results", "eval_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Also write SYSTEM/.eval_results/TASK.yaml (the Hub's model-side eval-results format) here.")
@click.option("--dataset-id", default="itapol/itapol", show_default=True, help="Hub dataset id named in --eval-results files.")
def leaderboard(paths, check_file, out_dir, eval_dir, dataset_id):
    """Build LEADERBOARD.md and leaderboard.html from results files (default: baselines/results, leaderboard/submissions).

    Rows carry dataset revision, task version and itapol version; results of different
    revisions are never ranked together. Also refreshes the table in README.md between
    the leaderboard markers. To submit, add your 'itapol score --output' file to
    leaderboard/submissions/ and check it with --check.
    """
    from itapol.leaderboard import check, html_page, load, markdown, readme_table
    if check_file:
        try:
            data = json.loads(check_file.read_text("utf-8"))
        except (OSError, ValueError) as err:
            _fail(f"{check_file}: not a readable JSON results file: {err}", EXIT_PROBLEMS)
        problems = check(check_file, data)
        _report(problems)
        if problems:
            sys.exit(EXIT_PROBLEMS)
        click.echo(f"{check_file}: valid results file for {data['task']} v{data['task_version']} ({data['split']}, {data['dataset_revision']})")
        return
    paths = list(paths) or [p for p in (Path("baselines/results"), Path("leaderboard/submissions")) if p.exists()]
    results, problems = load(paths)
    if problems:
        _report(problems)
        _fail(f"{len(problems)} problem(s) in results files; nothing written", EXIT_PROBLEMS)
    if eval_dir is not None:
        from itapol.leaderboard import eval_results
        for rel, text in eval_results(results, dataset_id).items():
            write_atomic(eval_dir / rel, text)
    write_atomic(out_dir / "LEADERBOARD.md", markdown(results))
    write_atomic(out_dir / "leaderboard.html", html_page(results))
    readme = out_dir / "README.md"
    start, end = "<!-- leaderboard:start -->", "<!-- leaderboard:end -->"
    if readme.is_file() and start in readme.read_text("utf-8"):
        text = readme.read_text("utf-8")
        head, rest = text.split(start, 1)
        tail = rest.split(end, 1)[1]
        write_atomic(readme, f"{head}{start}\n{readme_table(results)}\n{end}{tail}")
    click.echo(f"{len(results)} results -> {out_dir / 'LEADERBOARD.md'}, {out_dir / 'leaderboard.html'}")


@main.group()
def annotate():
    """Author annotations with text anchors instead of offsets."""


@annotate.command("compile")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path, dir_okay=False))
@corpus_option
@sources_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Write DOC_ID.json files here instead of CORPUS/documents (e.g. for a second annotator).")
@click.option("--force", is_flag=True, help="Overwrite a document whose layers are already double_annotated (adjudicated).")
def annotate_compile(files, corpus_dir, sources, out_dir, force):
    """Compile authoring files (YAML/JSON with anchors) into corpus/documents/<id>.json.

    \b
    An authoring file names its document ('doc: wn-...'), the provenance
    ('provenance: {status: gold, annotators: [a1]}') and the layers, whose spans are
    anchors: "Zakharova", "Zakharova@2", "Zakharova@*" (mentions), "head … tail",
    or {t: "Kiev", after: "attacco aereo russo su"}. See schema/GUIDELINES.md.
    """
    corpus_dir = corpus_dir or default_corpus_dir()
    texts = _texts(corpus_dir, sources)
    failed = 0
    for f in files:
        try:
            data = yaml.safe_load(f.read_text("utf-8"))
            text = texts[data["doc"]]
            doc = compile_authoring(
                data, text.text, doc_id=text.id, licence=text.licence, title_end=text.title_end,
                source=Source(id=text.source, file=text.file, commit=text.commit, lines=list(text.lines)))
        except yaml.MarkedYAMLError as err:
            failed += 1
            mark = err.problem_mark or err.context_mark
            where = f":{mark.line + 1}" if mark else ""
            click.echo(f"{f}{where}: not valid YAML: {err.problem or err.context}", err=True)
            continue
        except (AnchorError, KeyError, TypeError, ValueError, UnicodeDecodeError, yaml.YAMLError) as err:
            failed += 1
            msg = f"unknown document id {err}" if isinstance(err, KeyError) else str(err).splitlines()[0]
            click.echo(f"{f}: {msg}", err=True)
            continue
        target = out_dir / f"{doc.id}.json" if out_dir else None
        existing = target or corpus_dir / "documents" / f"{doc.id}.json"
        if existing.is_file() and not force and '"double_annotated"' in existing.read_text("utf-8") \
                and (doc.layers.entities is None or doc.layers.entities.status != "double_annotated"):
            failed += 1
            click.echo(f"{f}: {existing} holds an adjudicated (double_annotated) annotation; not overwritten (use --force)", err=True)
            continue
        if target:
            write_atomic(target, doc.to_json())
        click.echo(f"{f} -> {target or write_document(corpus_dir, doc)}")
    sys.exit(EXIT_PROBLEMS if failed else 0)


@annotate.command("decompile")
@click.argument("doc_id")
@corpus_option
@sources_option
def annotate_decompile(doc_id, corpus_dir, sources):
    """Print a document's annotations as an authoring file (anchors), for editing."""
    corpus_dir = corpus_dir or default_corpus_dir()
    path = corpus_dir / "documents" / f"{doc_id}.json"
    if not path.is_file():
        _fail(f"{path}: no such annotation file")
    from itapol.schema import Document
    texts = _texts(corpus_dir, sources)
    doc = Document.model_validate_json(path.read_text("utf-8"))
    click.echo(yaml.safe_dump(to_authoring(doc, texts[doc_id].text), allow_unicode=True, sort_keys=False, width=120))


if __name__ == "__main__":  # pragma: no cover
    main()
