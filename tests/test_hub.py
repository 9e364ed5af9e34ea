"""Hub loaders: export the real corpus, publish it to the loopback Hub, load it back with ``datasets``.

Everything runs offline: the Hub is ``tests/hubserver.py`` on 127.0.0.1 (fixture ``hub_server``),
non-loopback name resolution is blocked while it is active, and the local folder is loaded with
the offline flags set and sockets unable to connect.
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import socket
from pathlib import Path

import datasets
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner
from datasets import ClassLabel, Features, List
from huggingface_hub import hf_hub_download

from itapol import hub
from itapol.cli import main
from itapol.configs import CONFIGS, FEATURES, LABELS, SPLITS, rows
from itapol.hub import MANIFEST, HubError, export, publish, read_manifest, verify
from tests.conftest_hub import hub_environment, set_offline

REPO = "org/itapol"
TAG = "v1.0.0"


# ------------------------------------------------------------------ helpers

def cli(*args, env: dict | None = None):
    """Run the itapol CLI in-process; stdout and stderr are kept apart (click >= 8.2)."""
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def digests(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative posix path) -> sha256."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def present_splits(records: list[dict]) -> list[str]:
    return [s for s in SPLITS if any(r["split"] == s for r in records)]


def expected_rows(config: str, records: list[dict], split: str) -> list[dict]:
    return rows(config, [r for r in records if r["split"] == split])


def front_matter(folder: Path) -> tuple[dict, str]:
    text = (folder / "README.md").read_text("utf-8")
    assert text.startswith("---\n")
    head, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(head), body


def load_local(folder: Path, config: str, cache_dir: Path):
    """``load_dataset(str(folder), config)`` with every network path shut: offline flags and no connect()."""
    def no_network(*_args, **_kwargs):
        raise OSError("test_hub: network access while loading a local export")

    with pytest.MonkeyPatch.context() as mp:
        set_offline(mp)
        mp.setattr(socket.socket, "connect", no_network)
        mp.setattr(socket.socket, "connect_ex", no_network)
        return datasets.load_dataset(str(folder), config, cache_dir=str(cache_dir))


def repo_state(server, repo_id: str = REPO):
    """A comparable snapshot of a repository on the loopback server (None if absent)."""
    with server.lock:
        repo = server.repos.get(("dataset", repo_id))
        if repo is None:
            return None
        return (sorted(repo.commits), dict(repo.branches), dict(repo.tags),
                {oid: dict(c.files) for oid, c in repo.commits.items()}, len(server.blobs))


def tagged_commit(server, repo_id: str = REPO, tag: str = TAG):
    repo = server.repos[("dataset", repo_id)]
    return repo.commits[repo.tags[tag]]


def class_label_names(feature) -> list[list[str]]:
    """Every ClassLabel's names in a (nested) feature, in declaration order."""
    if isinstance(feature, ClassLabel):
        return [feature.names]
    if isinstance(feature, (dict, Features)):
        return [n for v in feature.values() for n in class_label_names(v)]
    if isinstance(feature, List):
        return class_label_names(feature.feature)
    return []


@pytest.fixture(autouse=True)
def quiet_progress_bars():
    """No tqdm bars on stderr, so the CLI's stderr is exactly its messages."""
    from huggingface_hub.utils import are_progress_bars_disabled, disable_progress_bars, enable_progress_bars
    hub_was, datasets_was = are_progress_bars_disabled(), datasets.is_progress_bar_enabled()
    disable_progress_bars()
    datasets.disable_progress_bars()
    yield
    if not hub_was:
        enable_progress_bars()
    if datasets_was:
        datasets.enable_progress_bars()


@pytest.fixture(scope="module")
def exported(records, tmp_path_factory) -> Path:
    """One export of the real corpus, shared by the read-only tests (copy it before changing it)."""
    out = tmp_path_factory.mktemp("exported") / "itapol"
    export(records, out)
    return out


# ------------------------------------------------------------------ 1. end to end

def test_cli_export_publish_and_load_every_config(hub_server, records, corpus_snapshot, exported, tmp_path):
    out = tmp_path / "hub-export"
    result = cli("export", out, "--corpus", corpus_snapshot)
    assert result.exit_code == 0, result.output
    manifest = read_manifest(out)
    assert f"revision {manifest['revision'][:12]}" in result.stdout
    assert digests(out) == digests(exported)  # the CLI (load_records) and the function agree byte for byte

    result = cli("publish", out, "--repo", REPO, "--tag", TAG, "--endpoint", hub_server.endpoint)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith(f"tagged {TAG}, verified")
    assert hub_server.api().list_repo_refs(REPO, repo_type="dataset").tags[0].name == TAG

    splits = present_splits(records)
    assert splits == ["train", "dev", "test"]  # the seed ("reference") is never exported
    card_splits = {(i["config_name"], s["name"]): s for i in front_matter(out)[0]["dataset_info"] for s in i["splits"]}
    for config in CONFIGS:
        requests_before = len(hub_server.server.request_log)
        local = load_local(out, config, tmp_path / "cache-local")
        assert len(hub_server.server.request_log) == requests_before  # the folder loads without the Hub
        remote = datasets.load_dataset(REPO, config, revision=TAG, cache_dir=str(tmp_path / "cache-hub"))
        assert list(local) == list(remote) == splits, config
        for split in splits:
            want = expected_rows(config, records, split)
            assert local[split].features == FEATURES[config], (config, split)
            assert remote[split].features == FEATURES[config], (config, split)
            # Features equality covers ClassLabel names; say it explicitly for the nested labels too
            assert class_label_names(remote[split].features) == class_label_names(FEATURES[config])
            got = remote[split].to_list()
            assert got == local[split].to_list(), (config, split)
            assert got == want, (config, split)
            assert [r["id"] for r in got] == sorted(r["id"] for r in records if r["split"] == split)
            for ds in (local[split], remote[split]):  # the card's split sizes are what datasets measures
                measured = ds.info.splits[split]
                declared = card_splits[config, split]
                assert (measured.num_examples, measured.num_bytes) == (declared["num_examples"], declared["num_bytes"])
    docs = datasets.load_dataset(REPO, "documents", split="test", revision=TAG, cache_dir=str(tmp_path / "cache-hub"))
    quote_type = docs.features["quotes"].feature["type"]
    assert quote_type.names == LABELS["quote_type"]
    assert {quote_type.int2str(q["type"]) for d in docs for q in d["quotes"]} <= set(LABELS["quote_type"])
    # researchers score against the published version: gold from the Hub at the tag, 1.0 for the gold itself
    gold_quotes = tmp_path / "quotes.gold.jsonl"
    gold_quotes.write_text("".join(json.dumps(r) + "\n" for r in expected_rows("quotes", records, "test")), "utf-8")
    result = cli("score", "--task", "quotes", "--predictions", gold_quotes, "--repo", REPO, "--revision", TAG,
                 "--output", tmp_path / "hub-results.json", env={"HF_DATASETS_CACHE": str(tmp_path / "cache-score")})
    assert result.exit_code == 0, result.output
    scored = json.loads((tmp_path / "hub-results.json").read_text("utf-8"))
    assert scored["main_score"] == 1.0 and scored["dataset_revision"] == f"hub:{REPO}@{TAG}"
    # everything fetched from the Hub came from the tagged commit or the tag itself
    commit = tagged_commit(hub_server.server).oid
    resolves = [path for method, path, _ in hub_server.server.request_log if "/resolve/" in path]
    assert resolves and all(f"/resolve/{TAG}/" in p or f"/resolve/{commit}/" in p for p in resolves)


# ------------------------------------------------------------------ 2. republish, --force, --dry-run

def test_republish_refused_force_moves_dry_run_uploads_nothing(hub_server, records, exported, tmp_path):
    server = hub_server.server
    first = publish(exported, REPO, TAG, endpoint=hub_server.endpoint, token=hub_server.token)
    before = repo_state(server)

    result = cli("publish", exported, "--repo", REPO, "--tag", TAG, "--endpoint", hub_server.endpoint)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), result.stderr
    assert result.stderr == (f"itapol: {REPO}: tag {TAG} already exists; refusing to move it "
                             "(use --force to replace it)\n")
    assert repo_state(server) == before

    # a new export: one training document fewer, so every train file, the card and the manifest change
    dropped = max(r["id"] for r in records if r["split"] == "train")
    out2 = tmp_path / "v1-fixed"
    export([r for r in records if r["id"] != dropped], out2)
    old, new = read_manifest(exported), read_manifest(out2)
    assert set(old["files"]) == set(new["files"])
    want_change = sorted([p for p in new["files"] if new["files"][p]["sha256"] != old["files"][p]["sha256"]] + [MANIFEST])
    assert {p.split("/")[-1] for p in want_change} == {"train.parquet", "README.md", MANIFEST}

    n_requests = len(server.request_log)
    result = cli("publish", out2, "--repo", REPO, "--tag", TAG, "--dry-run", "--endpoint", hub_server.endpoint)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:-1] == [f"change  {p}" for p in want_change]
    assert lines[-1] == f"tag {TAG}: exists (publish would refuse without --force)"
    assert repo_state(server) == before
    assert {m for m, *_ in server.request_log[n_requests:]} <= {"GET", "HEAD"}  # nothing written

    # same-size edits are changes too (a manifest whose sizes keep their digit count, a retouched card)
    card = (out2 / "README.md").read_text("utf-8")
    (out2 / "README.md").write_text(card.replace("# itapol\n", "# ITAPOL\n", 1), "utf-8")
    assert (out2 / "README.md").stat().st_size == len(card.encode())
    result = cli("publish", exported, "--repo", REPO, "--tag", TAG, "--dry-run", "--endpoint", hub_server.endpoint)
    assert result.exit_code == 0 and result.stdout.splitlines()[:-1] == [], result.output  # nothing to change
    result = cli("publish", out2, "--repo", REPO, "--tag", TAG, "--dry-run", "--endpoint", hub_server.endpoint)
    assert "change  README.md" in result.stdout.splitlines()
    (out2 / "README.md").write_text(card, "utf-8")

    # a repository that does not exist yet: every file would be added, nothing is created
    result = cli("publish", out2, "--repo", "org/elsewhere", "--tag", TAG, "--dry-run", "--endpoint", hub_server.endpoint)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"add     {p}" for p in sorted([*new["files"], MANIFEST])] + [
        f"tag {TAG}: would be created"]
    assert repo_state(server, "org/elsewhere") is None

    result = cli("publish", out2, "--repo", REPO, "--tag", TAG, "--force", "--endpoint", hub_server.endpoint)
    assert result.exit_code == 0, result.output
    moved = tagged_commit(server)
    assert moved.oid != first and server.repos[("dataset", REPO)].branches["main"] == moved.oid
    assert first in server.repos[("dataset", REPO)].commits  # the old release stays in the history
    assert verify(hub_server.api(), REPO, TAG, out2) == []
    assert verify(hub_server.api(), REPO, first, exported) == []
    assert Path(hf_hub_download(REPO, MANIFEST, repo_type="dataset", revision=TAG)).read_bytes() == \
        (out2 / MANIFEST).read_bytes()
    train = datasets.load_dataset(REPO, "documents", split="train", revision=TAG, cache_dir=str(tmp_path / "cache"))
    assert dropped not in train["id"] and len(train) == sum(r["split"] == "train" for r in records) - 1


# ------------------------------------------------------------------ 3. verification

def test_verify_reports_tampered_files(hub_server, exported, tmp_path):
    server, api = hub_server.server, hub_server.api()
    publish(exported, REPO, TAG, endpoint=hub_server.endpoint, token=hub_server.token)
    assert verify(api, REPO, TAG, exported) == []

    commit = tagged_commit(server)
    pristine = dict(commit.files)
    lfs_data = (exported / "quotes/test.parquet").read_bytes()
    flipped = lfs_data[:100] + bytes([lfs_data[100] ^ 0xFF]) + lfs_data[101:]
    manifest_data = (exported / MANIFEST).read_bytes()
    cases = {
        "lfs content": ({"quotes/test.parquet": server.make_entry(flipped, True)},
                        f"{REPO}@{TAG}: quotes/test.parquet: sha256 {hashlib.sha256(flipped).hexdigest()}, "
                        f"expected {hashlib.sha256(lfs_data).hexdigest()}"),
        "lfs size": ({"quotes/test.parquet": server.make_entry(lfs_data[:-1], True)},
                     f"{REPO}@{TAG}: quotes/test.parquet: {len(lfs_data) - 1} bytes, expected {len(lfs_data)}"),
        "manifest content": ({MANIFEST: server.make_entry(manifest_data.replace(b'"bytes"', b'"BYTES"', 1), False)},
                             f"{REPO}@{TAG}: {MANIFEST}: content differs (git blob "),
        "missing": ({"documents/dev.parquet": None}, f"{REPO}@{TAG}: documents/dev.parquet: missing"),
        "extra": ({"extra/notes.txt": server.make_entry(b"not ours\n", False)},
                  f"{REPO}@{TAG}: extra/notes.txt: not in the export"),
    }
    for name, (change, message) in cases.items():
        with server.lock:
            for path, entry in change.items():
                if entry is None:
                    del commit.files[path]
                else:
                    commit.files[path] = entry
        problems = verify(api, REPO, TAG, exported)
        assert len(problems) == 1 and problems[0].startswith(message), (name, problems)
        with server.lock:
            commit.files.clear()
            commit.files.update(pristine)
    assert verify(api, REPO, TAG, exported) == []
    # the same check through the CLI: exit 0 when clean, 1 with the file named when tampered
    from click.testing import CliRunner
    from itapol.cli import main as cli_main
    args = ["verify", str(exported), "--repo", REPO, "--tag", TAG, "--endpoint", hub_server.endpoint]
    assert CliRunner().invoke(cli_main, args).exit_code == 0
    with server.lock:
        del commit.files["documents/dev.parquet"]
    result = CliRunner().invoke(cli_main, args)
    assert result.exit_code == 1 and f"{REPO}@{TAG}: documents/dev.parquet: missing" in result.output
    with server.lock:
        commit.files.update(pristine)

    # a manifest that disagrees with the files (tampered locally): the file and the manifest itself are named
    local = tmp_path / "tampered"
    local.mkdir()
    for path in exported.rglob("*"):
        if path.is_file():
            (local / path.relative_to(exported)).parent.mkdir(parents=True, exist_ok=True)
            (local / path.relative_to(exported)).write_bytes(path.read_bytes())
    manifest = json.loads((local / MANIFEST).read_text("utf-8"))
    real = manifest["files"]["locations/dev.parquet"]["sha256"]
    manifest["files"]["locations/dev.parquet"]["sha256"] = "0" * 64
    (local / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
    problems = verify(api, REPO, TAG, local)
    assert len(problems) == 2, problems
    assert f"{REPO}@{TAG}: locations/dev.parquet: sha256 {real}, expected {'0' * 64}" in problems
    assert any(p.startswith(f"{REPO}@{TAG}: {MANIFEST}: content differs") for p in problems), problems


def test_publish_whose_upload_is_corrupted_fails_verification(hub_server, exported, monkeypatch):
    """The Hub stores something else than what was sent: publish verifies, names the file and exits 1."""
    server = hub_server.server
    real_commit = server.commit

    def corrupting_commit(repo, rev, body, query):
        answer = real_commit(repo, rev, body, query)
        repo.commits[answer["commitOid"]].files["documents/dev.parquet"] = server.make_entry(b"garbage", True)
        return answer

    monkeypatch.setattr(server, "commit", corrupting_commit)
    result = cli("publish", exported, "--repo", REPO, "--tag", TAG, "--endpoint", hub_server.endpoint)
    assert result.exit_code == 1
    size = (exported / "documents/dev.parquet").stat().st_size
    assert result.stderr == (f"itapol: verification failed: {REPO}@{TAG}: documents/dev.parquet: 7 bytes, "
                             f"expected {size}\n")
    assert "verified" not in result.stdout


# ------------------------------------------------------------------ 4. determinism and manifest

def test_exports_are_byte_identical_and_manifest_lists_every_file(records, exported, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    first = export(records, a)
    second = export(list(reversed(records)), b)  # input order does not matter
    assert digests(a) == digests(b) == digests(exported)
    for path in digests(a):
        assert (a / path).read_bytes() == (b / path).read_bytes(), path
    assert first.revision == second.revision
    export(records, a)  # an earlier export is replaced by an identical one
    assert digests(a) == digests(b)

    manifest = read_manifest(a)
    files = {p.relative_to(a).as_posix(): p for p in a.rglob("*") if p.is_file()}
    assert set(manifest["files"]) == set(files) - {MANIFEST}
    assert set(files) == {"README.md", MANIFEST} | {f"{c}/{s}.parquet" for c in CONFIGS for s in SPLITS}
    for path, entry in manifest["files"].items():
        data = files[path].read_bytes()
        assert entry == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}, path
    assert manifest["revision"] == hashlib.sha256(json.dumps(manifest["files"], sort_keys=True).encode()).hexdigest()
    assert manifest["revision"] == first.revision and manifest["files"] == first.files
    from itapol import __version__
    from itapol.schema import SCHEMA_VERSION
    assert (manifest["itapol_version"], manifest["schema_version"]) == (__version__, SCHEMA_VERSION)


# ------------------------------------------------------------------ 5. atomic export

def _fail_parquet(monkeypatch, out: Path):
    real, calls = hub._parquet_bytes, []

    def parquet_bytes(table):
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("parquet writer failed")
        return real(table)
    monkeypatch.setattr(hub, "_parquet_bytes", parquet_bytes)


def _fail_write(monkeypatch, out: Path):
    real, calls = pathlib.Path.write_bytes, []

    def write_bytes(self, data):
        if self.suffix == ".parquet":
            calls.append(self)
            if len(calls) > 1:
                raise OSError(28, "No space left on device")
        return real(self, data)
    monkeypatch.setattr(pathlib.Path, "write_bytes", write_bytes)


def _fail_rename(monkeypatch, out: Path):
    real = os.replace

    def replace(src, dst):
        name = Path(src).name
        if name.startswith(".") and ".old-" not in name:  # moving the new folder into place
            raise OSError(18, "Invalid cross-device link")
        return real(src, dst)
    monkeypatch.setattr(hub.os, "replace", replace)


@pytest.mark.parametrize("fail", [_fail_parquet, _fail_write, _fail_rename], ids=["parquet", "write", "rename"])
def test_failed_export_keeps_previous_export_and_leaves_no_temp(records, tmp_path, monkeypatch, fail):
    parent = tmp_path / "exports"
    out = parent / "itapol"
    export(records, out)
    before = digests(out)
    fail(monkeypatch, out)
    changed = [r for r in records if r["split"] != "dev"]
    with pytest.raises((RuntimeError, OSError)):
        export(changed, out)
    assert digests(out) == before
    assert sorted(p.name for p in parent.iterdir()) == ["itapol"]

    fresh = parent / "fresh"
    with pytest.raises((RuntimeError, OSError)):
        export(changed, fresh)
    assert not fresh.exists()
    assert sorted(p.name for p in parent.iterdir()) == ["itapol"]
    monkeypatch.undo()
    export(changed, out)
    assert digests(out) != before and not list(out.rglob("dev.parquet"))


def test_export_refuses_a_folder_that_is_not_an_export(records, corpus_snapshot, tmp_path):
    folder = tmp_path / "work"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.txt").write_text("mine\n")
    (folder / "sub" / "data.parquet").write_bytes(b"PAR1")
    before = digests(folder)
    with pytest.raises(HubError, match="not an itapol export folder"):
        export(records, folder)
    assert digests(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]

    result = cli("export", folder, "--corpus", corpus_snapshot)
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.stderr.count("\n") == 1 and "not an itapol export folder" in result.stderr, result.output
    assert digests(folder) == before

    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(HubError):
        export(records, a_file)
    assert a_file.read_text() == "x"

    empty = tmp_path / "empty"
    empty.mkdir()
    export(records, empty)  # an empty folder is fine
    assert (empty / MANIFEST).is_file()


# ------------------------------------------------------------------ 6. the dataset card

def _walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def test_card_front_matter(records, exported):
    meta, body = front_matter(exported)
    splits = present_splits(records)
    parquet = {p.relative_to(exported).as_posix() for p in exported.rglob("*.parquet")}

    assert meta["license"] == "cc-by-4.0"
    assert meta["language"] == ["it"]
    assert meta["pretty_name"] == "itapol"

    configs = {c["config_name"]: c for c in meta["configs"]}
    assert list(configs) == list(CONFIGS)
    assert [c for c, v in configs.items() if v.get("default")] == ["documents"]
    declared = set()
    for name, entry in configs.items():
        assert entry["data_files"] == [{"split": s, "path": f"{name}/{s}.parquet"} for s in splits]
        declared |= {f["path"] for f in entry["data_files"]}
    assert declared == parquet

    infos = {i["config_name"]: i for i in meta["dataset_info"]}
    assert list(infos) == list(CONFIGS)
    for name, info in infos.items():
        nodes = list(_walk(info["features"]))
        assert not any("sequence" in n for n in nodes), name
        assert Features._from_yaml_list(info["features"]) == FEATURES[name], name
        assert [s["name"] for s in info["splits"]] == splits
        total_bytes = 0
        for split in info["splits"]:
            path = exported / name / f"{split['name']}.parquet"
            table = pq.read_table(path)
            assert split["num_examples"] == pq.ParquetFile(path).metadata.num_rows == table.num_rows
            assert split["num_examples"] == sum(r["split"] == split["name"] for r in records)
            assert split["num_bytes"] == table.nbytes, (name, split)  # what datasets records for the split
            total_bytes += split["num_bytes"]
        assert info["dataset_size"] == total_bytes
        assert info["download_size"] == sum((exported / name / f"{s}.parquet").stat().st_size for s in splits)

    # span lists are `list:` of a struct, never `sequence:`
    def field(name, config="documents"):
        return next(f for f in infos[config]["features"] if f["name"] == name)
    span_list = [{"name": "start", "dtype": "int32"}, {"name": "end", "dtype": "int32"}]
    quotes = {f["name"]: f for f in field("quotes")["list"]}
    assert quotes["content"] == {"name": "content", "list": span_list}
    assert quotes["cue"] == {"name": "cue", "struct": span_list}
    assert {f["name"]: f for f in field("stances")["list"]}["evidence"]["list"] == span_list
    assert {f["name"]: f for f in field("demands")["list"]}["evidence"]["list"] == span_list
    assert {f["name"]: f for f in field("quotes", "quotes")["list"]}["content"]["list"] == span_list
    assert {f["name"]: f for f in field("quotes", "attribution")["list"]}["content"]["list"] == span_list
    assert {f["name"]: f for f in field("stances", "stances")["list"]}["evidence"]["list"] == span_list
    assert field("mentions", "mentions")["list"][:2] == span_list
    polarity = {f["name"]: f for f in field("stances", "stances")["list"]}["polarity"]
    assert polarity["dtype"]["class_label"]["names"] == {str(i): n for i, n in enumerate(LABELS["polarity"])}

    # licence and attribution of the texts
    licence = next(p for p in body.split("\n\n") if "CC BY 2.5" in p)
    for needle in ("Wikinews", "Wikinotizie", "KIND", "CC BY 2.5"):
        assert needle in licence, needle
    assert "## Licence and attribution" in body and "CC BY 4.0" in body


# ------------------------------------------------------------------ 7. the token

def test_token_is_never_printed(exported, tmp_path, capfd):
    secret = "hf_itapolSECRETtoken0123456789abcdefXYZ"
    wrong = "hf_itapolWRONGtoken9876543210fedcbaQRS"
    outputs = []
    with hub_environment(tmp_path, token=secret) as hub_env:
        assert os.environ["HF_TOKEN"] == secret
        args = ("publish", exported, "--repo", REPO, "--tag", TAG, "--endpoint", hub_env.endpoint)
        for extra, env, code in (((), {"HF_TOKEN": wrong}, 1),  # refused by the Hub: 401
                                 (("--dry-run",), None, 0),
                                 ((), None, 0),
                                 ((), None, 1),  # tag exists
                                 (("--force",), None, 0)):
            result = cli(*args, *extra, env=env)
            assert result.exit_code == code, (extra, env, result.output)
            outputs += [result.stdout, result.stderr, repr(result.exception)]
        assert "the Hub refused" in outputs[1]
        assert any(authed for *_, authed in hub_env.server.request_log)  # the secret was used
    captured = capfd.readouterr()
    outputs += [captured.out, captured.err]
    for text in outputs:
        assert secret not in text and wrong not in text
        assert secret[3:20] not in text and wrong[3:20] not in text
