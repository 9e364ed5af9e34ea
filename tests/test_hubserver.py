"""Tests for the loopback Hub server: real huggingface_hub / datasets code against it."""

from __future__ import annotations

import socket
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

try:
    from tests.conftest_hub import hub_environment, hub_server  # noqa: F401 - fixture import
except ImportError:
    from conftest_hub import hub_environment, hub_server  # noqa: F401

datasets = pytest.importorskip("datasets")
from huggingface_hub import hf_hub_download  # noqa: E402
from huggingface_hub.errors import (  # noqa: E402
    EntryNotFoundError,
    HfHubHTTPError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

REPO = "itapol/hubserver-test"
TAG = "v1.0.0"
SCHEMA = pa.schema([
    ("id", pa.string()),
    ("text", pa.string()),
    ("stance", pa.int64()),
    ("quotes", pa.list_(pa.struct([("speaker", pa.string()), ("start", pa.int32()), ("end", pa.int32())]))),
])
ROWS = {
    ("alpha", "train"): [
        {"id": "a1", "text": "Il ministro ha detto «basta».", "stance": 0,
         "quotes": [{"speaker": "ministro", "start": 22, "end": 27}]},
        {"id": "a2", "text": "Nessuna citazione.", "stance": 1, "quotes": []},
        {"id": "a3", "text": "«Sì» e «no».", "stance": 2,
         "quotes": [{"speaker": "A", "start": 1, "end": 3}, {"speaker": "B", "start": 9, "end": 11}]},
    ],
    ("alpha", "test"): [
        {"id": "a4", "text": "Test uno.", "stance": 2, "quotes": []},
        {"id": "a5", "text": "«Test» due.", "stance": 0, "quotes": [{"speaker": "C", "start": 1, "end": 5}]},
    ],
    ("beta", "train"): [
        {"id": "b1", "text": "Beta.", "stance": 1, "quotes": [{"speaker": "D", "start": 0, "end": 4}]},
        {"id": "b2", "text": "Beta due.", "stance": 1, "quotes": []},
    ],
    ("beta", "test"): [{"id": "b3", "text": "Beta test.", "stance": 0, "quotes": []}],
}
FEATURES_YAML = """\
  features:
  - name: id
    dtype: string
  - name: text
    dtype: string
  - name: stance
    dtype:
      class_label:
        names:
          '0': against
          '1': neutral
          '2': favor
  - name: quotes
    list:
    - name: speaker
      dtype: string
    - name: start
      dtype: int32
    - name: end
      dtype: int32
"""


def expected_features():
    """Features declared in the card (``stance`` is a ClassLabel, unlike the parquet's int64)."""
    from datasets import ClassLabel, Features, List, Value

    return Features({
        "id": Value("string"), "text": Value("string"),
        "stance": ClassLabel(names=["against", "neutral", "favor"]),
        "quotes": List({"speaker": Value("string"), "start": Value("int32"), "end": Value("int32")}),
    })


def make_dataset(root: Path) -> dict:
    """Write two configs x two splits of parquet plus a README card; return {(config, split): Table}."""
    tables = {}
    for (config, split), rows in ROWS.items():
        (root / config).mkdir(parents=True, exist_ok=True)
        tables[config, split] = pa.Table.from_pylist(rows, schema=SCHEMA)
        pq.write_table(tables[config, split], root / config / f"{split}.parquet")
    configs = "".join(
        f"- config_name: {c}\n  data_files:\n"
        + "".join(f"  - split: {s}\n    path: {c}/{s}.parquet\n" for s in ("train", "test"))
        for c in ("alpha", "beta"))
    infos = "".join(f"- config_name: {c}\n{FEATURES_YAML}" for c in ("alpha", "beta"))
    (root / "README.md").write_text(f"---\nconfigs:\n{configs}dataset_info:\n{infos}---\n\n# Test card\n",
                                    encoding="utf-8")
    return tables


def local_files(root: Path) -> list[str]:
    """Repo-relative paths of all files under ``root``."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def publish(hub, folder: Path) -> str:
    """create_repo + upload_folder (one commit) + create_tag; return the tagged commit sha."""
    api = hub.api()
    api.create_repo(REPO, repo_type="dataset")
    info = api.upload_folder(repo_id=REPO, repo_type="dataset", folder_path=folder, commit_message="v1 data")
    api.create_tag(REPO, repo_type="dataset", tag=TAG, tag_message="release")
    return info.oid


def test_publish_tag_list_and_download(hub_server, tmp_path):
    folder = tmp_path / "ds"
    make_dataset(folder)
    sha = publish(hub_server, folder)
    api = hub_server.api()

    assert api.list_repo_files(REPO, repo_type="dataset", revision=TAG) == local_files(folder)
    refs = api.list_repo_refs(REPO, repo_type="dataset")
    assert [(t.name, t.ref, t.target_commit) for t in refs.tags] == [(TAG, f"refs/tags/{TAG}", sha)]
    assert api.dataset_info(REPO, revision=TAG).sha == sha
    info = {p.path: p for p in api.get_paths_info(REPO, ["alpha/train.parquet", "README.md"], repo_type="dataset",
                                                  revision=TAG)}
    assert info["alpha/train.parquet"].lfs.sha256 and info["README.md"].lfs is None  # parquet went through LFS

    path = hf_hub_download(REPO, "alpha/train.parquet", repo_type="dataset", revision=TAG)
    assert Path(path).read_bytes() == (folder / "alpha" / "train.parquet").read_bytes()
    assert f"/snapshots/{sha}/" in Path(path).as_posix()
    from huggingface_hub import HfFileSystem  # default endpoint = patched constant; reads use Range requests

    with HfFileSystem().open(f"datasets/{REPO}@{TAG}/alpha/train.parquet", "rb", block_size=16) as f:
        f.seek(4)
        assert f.read(8) == (folder / "alpha" / "train.parquet").read_bytes()[4:12]

    with pytest.raises(HfHubHTTPError) as err:
        api.create_tag(REPO, repo_type="dataset", tag=TAG)
    assert err.value.response.status_code == 409
    with pytest.raises(HfHubHTTPError) as err:
        api.create_repo(REPO, repo_type="dataset")
    assert err.value.response.status_code == 409
    assert api.create_repo(REPO, repo_type="dataset", exist_ok=True).repo_id == REPO


def test_load_dataset_at_tag(hub_server, tmp_path):
    folder = tmp_path / "ds"
    tables = make_dataset(folder)
    publish(hub_server, folder)
    for config in ("alpha", "beta"):
        dsd = datasets.load_dataset(REPO, config, revision=TAG)
        assert set(dsd) == {"train", "test"}
        for split, ds in dsd.items():
            assert ds.features == expected_features()
            assert ds.to_list() == pq.read_table(folder / config / f"{split}.parquet").to_pylist()
            assert ds.to_list() == tables[config, split].to_pylist()
    streamed = datasets.load_dataset(REPO, "beta", revision=TAG, split="test", streaming=True)
    assert list(streamed) == tables["beta", "test"].to_pylist()


def test_tag_is_an_immutable_snapshot(hub_server, tmp_path):
    folder = tmp_path / "ds"
    make_dataset(folder)
    old_files = local_files(folder)
    old_bytes = (folder / "alpha" / "train.parquet").read_bytes()
    sha = publish(hub_server, folder)
    api = hub_server.api()

    new_rows = ROWS["alpha", "train"] + [{"id": "a9", "text": "Nuova.", "stance": 1, "quotes": []}]
    pq.write_table(pa.Table.from_pylist(new_rows, schema=SCHEMA), folder / "alpha" / "train.parquet")
    (folder / "NOTES.txt").write_text("later commit\n")
    new_sha = api.upload_folder(repo_id=REPO, repo_type="dataset", folder_path=folder).oid
    assert new_sha != sha

    assert api.list_repo_files(REPO, repo_type="dataset", revision=TAG) == old_files
    assert "NOTES.txt" in api.list_repo_files(REPO, repo_type="dataset")
    at_tag = hf_hub_download(REPO, "alpha/train.parquet", repo_type="dataset", revision=TAG)
    at_main = hf_hub_download(REPO, "alpha/train.parquet", repo_type="dataset", revision="main")
    assert Path(at_tag).read_bytes() == old_bytes != Path(at_main).read_bytes()
    refs = api.list_repo_refs(REPO, repo_type="dataset")
    assert {t.name: t.target_commit for t in refs.tags} == {TAG: sha}
    assert {b.name: b.target_commit for b in refs.branches} == {"main": new_sha}
    assert [c.commit_id for c in api.list_repo_commits(REPO, repo_type="dataset")][:2] == [new_sha, sha]

    assert datasets.load_dataset(REPO, "alpha", revision=TAG, split="train").to_list() == ROWS["alpha", "train"]
    assert datasets.load_dataset(REPO, "alpha", revision="main", split="train").to_list() == new_rows
    with pytest.raises(HfHubHTTPError) as err:  # the tag cannot be moved onto the new commit
        api.create_tag(REPO, repo_type="dataset", tag=TAG)
    assert err.value.response.status_code == 409
    assert api.dataset_info(REPO, revision=TAG).sha == sha


def test_missing_file_repo_and_revision(hub_server, tmp_path):
    folder = tmp_path / "ds"
    make_dataset(folder)
    publish(hub_server, folder)
    api = hub_server.api()

    with pytest.raises(EntryNotFoundError):
        hf_hub_download(REPO, "alpha/nope.parquet", repo_type="dataset", revision=TAG)
    assert api.get_paths_info(REPO, ["nope.txt"], repo_type="dataset", revision=TAG) == []
    with pytest.raises(RepositoryNotFoundError):
        hf_hub_download("itapol/missing", "README.md", repo_type="dataset")
    with pytest.raises(RepositoryNotFoundError):
        api.dataset_info("itapol/missing")
    with pytest.raises(RevisionNotFoundError):
        hf_hub_download(REPO, "README.md", repo_type="dataset", revision="v9.9.9")
    with pytest.raises(RevisionNotFoundError):
        api.delete_tag(REPO, repo_type="dataset", tag="v9.9.9")
    with pytest.raises(datasets.exceptions.DatasetNotFoundError):
        datasets.load_dataset("itapol/missing", "alpha")


def test_token_is_required_and_sent(hub_server):
    from huggingface_hub import HfApi

    anonymous = HfApi(endpoint=hub_server.endpoint, token=False)
    with pytest.raises(HfHubHTTPError) as err:
        anonymous.create_repo("itapol/anon", repo_type="dataset")
    assert err.value.response.status_code == 401
    with pytest.raises(HfHubHTTPError) as err:
        HfApi(endpoint=hub_server.endpoint, token="hf_wrong").whoami()
    assert err.value.response.status_code == 401

    assert hub_server.api().whoami()["name"] == hub_server.server.user
    HfApi().create_repo("itapol/env-token", repo_type="dataset")  # endpoint + token from the patched env
    writes = [r for r in hub_server.server.request_log if r[0] == "POST" and r[1] == "/api/repos/create"]
    assert [authed for *_, authed in writes] == [False, True]


def test_tree_pagination_branches_and_tags(hub_server, tmp_path):
    hub_server.server.page_size = 3  # force several pages (Link: rel="next")
    folder = tmp_path / "many"
    for i in range(4):
        (folder / f"d{i}").mkdir(parents=True)
        (folder / f"d{i}" / "f.txt").write_text(str(i))
    api = hub_server.api()
    api.create_repo("itapol/many", repo_type="dataset")
    api.upload_folder(repo_id="itapol/many", repo_type="dataset", folder_path=folder)
    entries = list(api.list_repo_tree("itapol/many", repo_type="dataset", recursive=True))
    assert sorted(e.path for e in entries) == sorted([f"d{i}" for i in range(4)] + [f"d{i}/f.txt" for i in range(4)])
    assert sum("cursor=" in r[1] for r in hub_server.server.request_log) >= 2

    api.create_branch("itapol/many", repo_type="dataset", branch="dev")
    api.upload_file(path_or_fileobj=b"dev only", path_in_repo="dev.txt", repo_id="itapol/many",
                    repo_type="dataset", revision="dev")
    assert "dev.txt" in api.list_repo_files("itapol/many", repo_type="dataset", revision="dev")
    assert "dev.txt" not in api.list_repo_files("itapol/many", repo_type="dataset")
    api.create_tag("itapol/many", repo_type="dataset", tag="t", revision="dev")
    api.delete_tag("itapol/many", repo_type="dataset", tag="t")
    assert api.list_repo_refs("itapol/many", repo_type="dataset").tags == []


def test_environment_restored_and_port_freed(tmp_path, monkeypatch):
    import datasets.config
    from huggingface_hub import constants

    monkeypatch.setenv("HF_ENDPOINT", "https://example.invalid")
    before = (constants.ENDPOINT, datasets.config.HF_ENDPOINT, datasets.config.USE_PARQUET_EXPORT, socket.getaddrinfo)
    with hub_environment(tmp_path) as hub:
        port = hub.server.port
        assert constants.ENDPOINT == datasets.config.HF_ENDPOINT == hub.endpoint
        assert hub.api().whoami()["name"]
        with pytest.raises(OSError):
            socket.getaddrinfo("huggingface.co", 443)  # non-loopback name resolution is blocked
    assert (constants.ENDPOINT, datasets.config.HF_ENDPOINT, datasets.config.USE_PARQUET_EXPORT,
            socket.getaddrinfo) == before
    import os

    assert os.environ["HF_ENDPOINT"] == "https://example.invalid"
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2)
    with socket.socket() as s:  # the port can be bound again
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
