"""Finding and downloading upstream files: checksums, cache, atomic writes, loopback server."""

from __future__ import annotations

import hashlib
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from itapol.sources import SourceError, SourceFile, SourceSpec, fetch, find_sources_dir, load_specs
from tests.conftest import CORPUS


@pytest.fixture()
def file_server(tmp_path):
    """A static file server on 127.0.0.1 serving tmp_path/www, stopped after the test."""
    root = tmp_path / "www"
    root.mkdir()
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


def _spec(content: bytes, sha: str | None = None) -> tuple[SourceSpec, SourceFile]:
    f = SourceFile(path="demo/WN_demo.tsv", sha256=sha or hashlib.sha256(content).hexdigest(), bytes=len(content), remote="WN_demo.tsv")
    return SourceSpec(id="demo", description="", licence="CC-BY-2.5", redistributable=True, attribution="",
                      commit="0" * 40, base_url="http://invalid.invalid/", files=(f,)), f


def test_download_verifies_and_caches(file_server, tmp_path):
    root, url = file_server
    content = "Roma\tB-LOC\n".encode()
    (root / "WN_demo.tsv").write_bytes(content)
    spec, f = _spec(content)
    cache = tmp_path / "cache"
    path = fetch(spec, f, None, base_url=url, cache=cache)
    assert path == cache / "demo" / "WN_demo.tsv" and path.read_bytes() == content
    (root / "WN_demo.tsv").unlink()  # second call is served from the cache
    assert fetch(spec, f, None, base_url=url, cache=cache).read_bytes() == content


def test_checksum_mismatch_is_clear_and_leaves_nothing(file_server, tmp_path):
    root, url = file_server
    (root / "WN_demo.tsv").write_bytes(b"tampered\n")
    spec, f = _spec(b"original\n")
    cache = tmp_path / "cache"
    with pytest.raises(SourceError, match=r"sha256 [0-9a-f]{64} differs from the recorded"):
        fetch(spec, f, None, base_url=url, cache=cache)
    assert not list(cache.rglob("*")) or all(p.is_dir() for p in cache.rglob("*"))


def test_missing_remote_file_is_clear(file_server, tmp_path):
    _, url = file_server
    spec, f = _spec(b"x")
    with pytest.raises(SourceError, match=r"download failed: HTTP Error 404"):
        fetch(spec, f, None, base_url=url, cache=tmp_path / "cache")


def test_local_folder_wins_and_is_checked(tmp_path):
    spec, f = _spec(b"local\n")
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "WN_demo.tsv").write_bytes(b"local\n")
    assert fetch(spec, f, tmp_path, cache=tmp_path / "cache").read_bytes() == b"local\n"
    (tmp_path / "demo" / "WN_demo.tsv").write_bytes(b"changed\n")
    with pytest.raises(SourceError, match="differs from the recorded"):
        fetch(spec, f, tmp_path, cache=tmp_path / "cache")


def test_seed_has_no_download(tmp_path):
    specs = load_specs(CORPUS / "sources.toml")
    seed = specs["seed"]
    with pytest.raises(SourceError, match="has no public download; pass --sources"):
        fetch(seed, seed.files[0], tmp_path, cache=tmp_path / "cache")


def test_sources_dir_resolution(tmp_path, monkeypatch):
    monkeypatch.delenv("ITAPOL_SOURCES", raising=False)
    assert find_sources_dir(tmp_path) == tmp_path
    monkeypatch.setenv("ITAPOL_SOURCES", str(tmp_path))
    assert find_sources_dir(None) == tmp_path
    monkeypatch.setenv("ITAPOL_SOURCES", str(tmp_path / "nope"))
    with pytest.raises(SourceError, match="no such folder"):
        find_sources_dir(None)


def test_declared_checksums_match_shared_sources(sources_dir):
    specs = load_specs(CORPUS / "sources.toml")
    shared = sources_dir
    for spec in specs.values():
        for f in spec.files:
            assert fetch(spec, f, shared).stat().st_size == f.bytes
