"""Finding, downloading and checking upstream source files (never annotations, never the Hub).

A source folder is found, in order, from ``--sources DIR``, the ``ITAPOL_SOURCES``
environment variable, or the ``../shared/sources`` layout beside the checkout. A file missing
there is downloaded from the source's pinned ``base_url`` into a cache and verified; a
sha256 mismatch anywhere is a :class:`SourceError`.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ENV_SOURCES = "ITAPOL_SOURCES"
ENV_CACHE = "ITAPOL_CACHE"


class SourceError(Exception):
    """An upstream file is missing, unreachable or differs from its recorded checksum."""


@dataclass(frozen=True)
class SourceFile:
    path: str          # relative path inside a source folder, e.g. "kind-wikinews/WN_dev.tsv"
    sha256: str
    bytes: int
    remote: str = ""   # path relative to the source's base_url ("" = not downloadable)


@dataclass(frozen=True)
class SourceSpec:
    id: str
    description: str
    licence: str
    redistributable: bool
    attribution: str
    commit: str
    base_url: str
    files: tuple[SourceFile, ...]

    def file(self, name: str) -> SourceFile:
        """The declared file whose path ends with ``name``."""
        for f in self.files:
            if f.path == name or f.path.endswith("/" + name):
                return f
        raise SourceError(f"source {self.id!r} declares no file {name!r}")


def load_specs(path: Path) -> dict[str, SourceSpec]:
    """Read ``sources.toml``: one :class:`SourceSpec` per ``[sources.ID]`` table."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise SourceError(f"{path}: cannot read source declarations: {err}") from err
    specs = {}
    for sid, table in sorted(data.get("sources", {}).items()):
        files = tuple(SourceFile(path=f["path"], sha256=f["sha256"], bytes=int(f["bytes"]),
                                 remote=f.get("remote", "")) for f in table.get("files", []))
        specs[sid] = SourceSpec(id=sid, description=table.get("description", ""),
                                licence=table["licence"], redistributable=bool(table.get("redistributable")),
                                attribution=table.get("attribution", ""), commit=table.get("commit", ""),
                                base_url=table.get("base_url", ""), files=files)
    return specs


def find_sources_dir(explicit: Path | None, *roots: Path | None) -> Path | None:
    """The local source folder to read, or None when there is none (then files are downloaded)."""
    if explicit is not None:
        if not explicit.is_dir():
            raise SourceError(f"--sources {explicit}: no such folder")
        return explicit
    env = os.environ.get(ENV_SOURCES)
    if env:
        if not Path(env).is_dir():
            raise SourceError(f"{ENV_SOURCES}={env}: no such folder")
        return Path(env)
    for root in roots:  # the corpus's checkout first, then the package's own checkout
        if root is not None:
            beside = root.resolve().parent / "shared" / "sources"
            if beside.is_dir():
                return beside
    return None


def cache_dir() -> Path:
    base = os.environ.get(ENV_CACHE) or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "itapol")
    return Path(base) / "sources"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check(path: Path, f: SourceFile) -> Path:
    actual = sha256_file(path)
    if actual != f.sha256:
        raise SourceError(f"{path}: sha256 {actual} differs from the recorded {f.sha256} "
                          f"(wrong or changed upstream file for {f.path})")
    return path


def _download(url: str, dest: Path, f: SourceFile, timeout: float) -> Path:
    """Download to a temporary file beside ``dest``, verify, then rename (atomic)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=dest.name + ".", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as resp:
            while block := resp.read(1 << 20):
                out.write(block)
        _check(Path(tmp), f)
        os.replace(tmp, dest)
    except (urllib.error.URLError, OSError) as err:
        raise SourceError(f"{url}: download failed: {err}") from err
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest


def fetch(spec: SourceSpec, f: SourceFile, sources_dir: Path | None, *,
          base_url: str | None = None, cache: Path | None = None, timeout: float = 60.0) -> Path:
    """Path to a verified copy of ``f``: from the source folder, the cache, or a download."""
    if sources_dir is not None and (sources_dir / f.path).is_file():
        return _check(sources_dir / f.path, f)
    cached = (cache or cache_dir()) / f.path
    if cached.is_file():
        return _check(cached, f)
    url_base = base_url if base_url is not None else spec.base_url
    if not url_base or not f.remote:
        where = sources_dir or f"${ENV_SOURCES}"
        raise SourceError(f"{f.path}: not found in {where} and source {spec.id!r} has no public "
                          "download; pass --sources DIR pointing at a folder that holds it")
    return _download(url_base.rstrip("/") + "/" + f.remote, cached, f, timeout)
