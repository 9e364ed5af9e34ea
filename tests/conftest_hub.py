"""Pytest fixture ``hub_server``: a loopback Hub server with huggingface_hub/datasets pointed at it.

Use from ``tests/conftest.py`` with ``from tests.conftest_hub import hub_server`` (or
``pytest_plugins = ["tests.conftest_hub"]``).  The fixture yields a :class:`HubHandle`
(``.endpoint``, ``.token``, ``.server``, ``.home``, ``.api()``).  While it is active:

* ``HF_ENDPOINT``/``HF_TOKEN`` point at the server, caches live in a temp ``HF_HOME``;
* module-level constants cached at import time by huggingface_hub and datasets are patched
  (endpoint, URL templates, offline flags, cache paths, Xet disabled, parquet-export and
  download-count lookups disabled);
* name resolution of any non-loopback host fails, so nothing can leave the machine.

Everything is restored, the server stopped and its port released on teardown.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

try:
    from tests.hubserver import HubServer
except ImportError:  # tests/ itself on sys.path (pytest rootdir-less import mode)
    from hubserver import HubServer

_LOOPBACK = {"127.0.0.1", "localhost", "::1", "ip6-localhost"}


@dataclass
class HubHandle:
    """What the fixture yields."""

    server: HubServer
    endpoint: str
    token: str
    home: Path

    def api(self, **kwargs):
        """An ``HfApi`` bound to the server and its token."""
        from huggingface_hub import HfApi

        return HfApi(endpoint=self.endpoint, token=self.token, **kwargs)


def _setattr(mp: pytest.MonkeyPatch, obj, name: str, value) -> None:
    """Patch ``obj.name`` only if it exists (tolerates library version drift)."""
    if hasattr(obj, name):
        mp.setattr(obj, name, value)


def _guard_dns(mp: pytest.MonkeyPatch) -> None:
    """Make name resolution fail for every non-loopback host."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        h = host.decode() if isinstance(host, bytes) else host
        if h is not None and h not in _LOOPBACK and not str(h).startswith("127."):
            raise socket.gaierror(socket.EAI_NONAME, f"hub_server fixture: non-loopback host {h!r} blocked")
        return real(host, *args, **kwargs)

    mp.setattr(socket, "getaddrinfo", getaddrinfo)


def set_offline(mp: pytest.MonkeyPatch) -> None:
    """Switch datasets and huggingface_hub to offline mode (env vars and their cached constants)."""
    import datasets.config
    import huggingface_hub.constants
    mp.setenv("HF_HUB_OFFLINE", "1")
    mp.setenv("HF_DATASETS_OFFLINE", "1")
    mp.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    mp.setattr(datasets.config, "HF_DATASETS_OFFLINE", True)
    mp.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)


def _close_hf_session() -> None:
    """Drop huggingface_hub's pooled HTTP client (keep-alive sockets) and fsspec instances."""
    try:
        from huggingface_hub import HfFileSystem
        from huggingface_hub.utils import _http

        _http.close_session()
        HfFileSystem.clear_instance_cache()
    except ImportError:  # pragma: no cover
        pass


def _patch_env(mp: pytest.MonkeyPatch, endpoint: str, token: str, home: Path) -> None:
    """Set env vars and patch constants cached by huggingface_hub / datasets."""
    paths = {"HF_HOME": home, "HF_HUB_CACHE": home / "hub", "HF_ASSETS_CACHE": home / "assets",
             "HF_XET_CACHE": home / "xet", "HF_TOKEN_PATH": home / "token", "HF_DATASETS_CACHE": home / "datasets",
             "HF_MODULES_CACHE": home / "modules"}
    env = {"HF_ENDPOINT": endpoint, "HF_TOKEN": token, "HF_HUB_OFFLINE": "0", "HF_DATASETS_OFFLINE": "0",
           "HF_HUB_DISABLE_XET": "1", "HF_UPDATE_DOWNLOAD_COUNTS": "0", "HF_HUB_DISABLE_TELEMETRY": "1",
           "HF_HUB_DISABLE_UPDATE_CHECK": "1", **{k: str(v) for k, v in paths.items()}}
    for k, v in env.items():
        mp.setenv(k, v)
    for k in ("HUGGING_FACE_HUB_TOKEN", "HF_OIDC_RESOURCE", "TRANSFORMERS_OFFLINE", "HUGGINGFACE_CO_STAGING",
              "HUGGINGFACE_HUB_CACHE", "HUGGINGFACE_ASSETS_CACHE", "HF_DATASETS_DOWNLOADED_DATASETS_PATH",
              "HF_DATASETS_EXTRACTED_DATASETS_PATH"):
        mp.delenv(k, raising=False)
    no_proxy = ",".join(filter(None, ["127.0.0.1,localhost", os.environ.get("NO_PROXY")]))
    mp.setenv("NO_PROXY", no_proxy)
    mp.setenv("no_proxy", no_proxy)

    from huggingface_hub import constants
    from huggingface_hub.utils import _detect_agent, _http

    host = urlsplit(endpoint).hostname
    for name, value in {
        "ENDPOINT": endpoint,
        "HUGGINGFACE_CO_URL_TEMPLATE": endpoint + "/{repo_id}/resolve/{revision}/{filename}",
        "HF_URL_HOSTS": frozenset(constants.HF_URL_HOSTS | {host}),
        "HF_HUB_OFFLINE": False, "HF_HUB_DISABLE_XET": True, "HF_HUB_DISABLE_TELEMETRY": True,
        "HF_HUB_DISABLE_UPDATE_CHECK": True, "HF_HOME": str(home), "HF_HUB_CACHE": str(paths["HF_HUB_CACHE"]),
        "HUGGINGFACE_HUB_CACHE": str(paths["HF_HUB_CACHE"]), "HF_ASSETS_CACHE": str(paths["HF_ASSETS_CACHE"]),
        "HUGGINGFACE_ASSETS_CACHE": str(paths["HF_ASSETS_CACHE"]), "HF_XET_CACHE": str(paths["HF_XET_CACHE"]),
        "HF_TOKEN_PATH": str(paths["HF_TOKEN_PATH"]), "HF_STORED_TOKENS_PATH": str(home / "stored_tokens"),
        "AGENT_HARNESSES_PATH": str(home / ".agent_harnesses.json"),
        "CHECK_FOR_UPDATE_DONE_PATH": str(home / ".check_for_update_done"),
        "CHECK_FOR_SKILL_UPDATE_DONE_PATH": str(home / ".check_for_skill_update_done"),
    }.items():
        _setattr(mp, constants, name, value)
    _setattr(mp, _http, "_HUB_ORIGINS", _http._HUB_ORIGINS | {_http._url_origin(endpoint)})
    # user-agent building fetches `{ENDPOINT}/api/agent-harnesses` once per process: pin it empty
    _setattr(mp, _detect_agent, "_registry", {"standardEnvVars": [], "harnesses": {}})
    with contextlib.suppress(ImportError):
        from huggingface_hub.utils import _cache_assets, _cache_manager

        _setattr(mp, _cache_assets, "HF_ASSETS_CACHE", str(paths["HF_ASSETS_CACHE"]))
        _setattr(mp, _cache_manager, "HF_HUB_CACHE", str(paths["HF_HUB_CACHE"]))

    try:
        from datasets import config
    except ImportError:  # datasets not installed: nothing more to patch
        return
    downloads = paths["HF_DATASETS_CACHE"] / "downloads"
    for name, value in {
        "HF_ENDPOINT": endpoint,
        "HUB_DATASETS_URL": endpoint + "/datasets/{repo_id}/resolve/{revision}/{path}",
        "HF_HUB_OFFLINE": False, "HF_DATASETS_OFFLINE": False,
        "USE_PARQUET_EXPORT": False,  # else datasets calls https://datasets-server.<host> for revision "main"
        "HF_UPDATE_DOWNLOAD_COUNTS": False,  # else a HEAD goes to s3.amazonaws.com on every load
        "HF_CACHE_HOME": str(home), "HF_DATASETS_CACHE": paths["HF_DATASETS_CACHE"],
        "HF_MODULES_CACHE": paths["HF_MODULES_CACHE"], "DOWNLOADED_DATASETS_PATH": downloads,
        "EXTRACTED_DATASETS_PATH": downloads / "extracted",
    }.items():
        _setattr(mp, config, name, value)


@contextlib.contextmanager
def hub_environment(tmp_dir: Path, block_network: bool = True, **server_kwargs) -> Iterator[HubHandle]:
    """Start a :class:`HubServer`, patch the environment for it, undo everything on exit."""
    home = Path(tmp_dir) / "hf_home"
    home.mkdir(parents=True, exist_ok=True)
    server = HubServer(**server_kwargs).start()
    try:
        with pytest.MonkeyPatch.context() as mp:
            _patch_env(mp, server.endpoint, server.token, home)
            if block_network:
                _guard_dns(mp)
            _close_hf_session()  # a pooled client may predate the env changes
            try:
                yield HubHandle(server, server.endpoint, server.token, home)
            finally:
                _close_hf_session()
    finally:
        server.stop()
        _close_hf_session()


@pytest.fixture
def hub_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubHandle]:
    """A fresh loopback Hub server (empty state) with HF libraries pointed at it."""
    with hub_environment(tmp_path_factory.mktemp("hub")) as handle:
        yield handle
