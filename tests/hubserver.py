"""A small Hugging Face Hub-compatible HTTP server for offline tests (stdlib only).

It speaks enough of the Hub protocol for real ``huggingface_hub`` / ``datasets`` code:
repo creation, NDJSON commits with regular and LFS files (preupload, LFS batch, PUT,
verify), branches, tags, refs, repo info, tree/paths-info listings and ``resolve``
downloads (with HEAD and Range).  State lives in memory: git-like commits (sha ids,
first-parent history) whose trees map paths to content-addressed blobs.

Usage::

    with HubServer() as hub:
        HfApi(endpoint=hub.endpoint, token=hub.token).create_repo("me/x", repo_type="dataset")
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import threading
import time
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

REPO_TYPES = {"models": "model", "datasets": "dataset", "spaces": "space", "kernels": "kernel"}
URL_PREFIX = {"model": "", "dataset": "datasets/", "space": "spaces/", "kernel": "kernels/"}
LFS_SUFFIXES = (
    ".parquet", ".arrow", ".bin", ".safetensors", ".pt", ".pth", ".ckpt", ".h5", ".onnx", ".msgpack",
    ".npy", ".npz", ".pkl", ".pickle", ".zip", ".gz", ".tgz", ".tar", ".zst", ".xz", ".bz2", ".7z",
    ".lz4", ".model", ".tflite", ".jpg", ".jpeg", ".png", ".webp", ".mp3", ".wav", ".flac", ".ogg", ".mp4",
)
LFS_SIZE_THRESHOLD = 10 * 1024 * 1024
GITATTRIBUTES = "".join(f"*{s} filter=lfs diff=lfs merge=lfs -text\n" for s in LFS_SUFFIXES).encode()


class HubError(Exception):
    """An HTTP error answered the way the Hub does (``X-Error-Code`` / ``X-Error-Message``)."""

    def __init__(self, status: int, message: str, code: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.code, self.headers = status, message, code, headers or {}


def git_blob_oid(data: bytes) -> str:
    """Git object id of a blob with this content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def lfs_pointer(sha256: str, size: int) -> bytes:
    """Content of the git-lfs pointer file committed in place of an LFS file."""
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n".encode()


def now_iso() -> str:
    """Current UTC time in the Hub's ISO format."""
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1000):03d}Z"


@dataclass(frozen=True)
class Entry:
    """A file in a commit tree: content hash, size, LFS flag and git blob id."""

    sha256: str
    size: int
    lfs: bool
    oid: str

    def info(self, path: str) -> dict:
        """Tree / paths-info JSON for this file."""
        out: dict = {"type": "file", "oid": self.oid, "size": self.size, "path": path}
        if self.lfs:
            ptr = len(lfs_pointer(self.sha256, self.size))
            out["lfs"] = {"oid": self.sha256, "size": self.size, "pointerSize": ptr}
        return out


@dataclass
class Commit:
    """An immutable snapshot: parent ids and a path -> Entry mapping."""

    oid: str
    parents: tuple
    files: dict
    title: str
    message: str
    date: str


@dataclass
class Repo:
    """A repository: commits plus mutable branch and tag refs."""

    repo_type: str
    repo_id: str
    private: bool
    created: str
    commits: dict = field(default_factory=dict)
    branches: dict = field(default_factory=dict)
    tags: dict = field(default_factory=dict)
    next_pr: int = 1

    def resolve(self, rev: str) -> Commit:
        """Commit for a branch, tag, ``refs/...`` name or (abbreviated) commit sha."""
        for prefix, refs in (("refs/heads/", self.branches), ("refs/tags/", self.tags)):
            if rev.startswith(prefix) and rev[len(prefix):] in refs:
                return self.commits[refs[rev[len(prefix):]]]
        for refs in (self.branches, self.tags):
            if rev in refs:
                return self.commits[refs[rev]]
        if rev in self.commits:
            return self.commits[rev]
        if len(rev) >= 7 and all(c in "0123456789abcdef" for c in rev):
            hits = [c for oid, c in self.commits.items() if oid.startswith(rev)]
            if len(hits) == 1:
                return hits[0]
        raise HubError(404, f"Invalid rev id: {rev}", "RevisionNotFound")

    def history(self, commit: Commit):
        """Yield ``commit`` and its first-parent ancestors, newest first."""
        while True:
            yield commit
            if not commit.parents:
                return
            commit = self.commits[commit.parents[0]]


class HubServer:
    """Threaded loopback Hub server; ``start()``/``stop()`` or use as a context manager."""

    def __init__(self, token: str | None = None, user: str = "itapol-tester", host: str = "127.0.0.1",
                 port: int = 0, page_size: int = 1000, gitattributes: bool = False):
        self.token = token or "hf_test_" + secrets.token_hex(16)
        self.user, self.host, self.port = user, host, port
        self.page_size = page_size  # tree pagination (``Link: <...>; rel="next"``)
        self.gitattributes = gitattributes  # seed new repos with a .gitattributes like the real Hub
        self.repos: dict[tuple, Repo] = {}
        self.blobs: dict[str, bytes] = {}
        self.uploads: dict[str, tuple] = {}
        self.request_log: list[tuple] = []  # (method, path, authenticated)
        self.lock = threading.RLock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._conns: set = set()
        self._counter = 0

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def endpoint(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321``."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> HubServer:
        """Bind (port 0 = random free port) and serve in a daemon thread."""
        self._httpd = _HTTPServer((self.host, self.port), _Handler)
        self._httpd.hub = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"hubserver-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close keep-alive connections and the listening socket."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        with self.lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._httpd.server_close()
        self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> HubServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- helpers ---------------------------------------------------------------------------
    def repo_url(self, repo: Repo) -> str:
        """Web URL of a repo (what ``create_repo`` returns)."""
        return f"{self.endpoint}/{URL_PREFIX[repo.repo_type]}{repo.repo_id}"

    def get_repo(self, repo_type: str, repo_id: str, authed: bool) -> Repo:
        """Look a repo up; private repos are invisible without a valid token."""
        repo = self.repos.get((repo_type, repo_id))
        if repo is None or (repo.private and not authed):
            raise HubError(404, "Repository not found", "RepoNotFound")
        return repo

    def put_blob(self, data: bytes) -> str:
        """Store content, return its sha256."""
        sha = hashlib.sha256(data).hexdigest()
        self.blobs.setdefault(sha, data)
        return sha

    def make_entry(self, data: bytes, lfs: bool) -> Entry:
        """Store content and build the tree entry for it."""
        sha = self.put_blob(data)
        oid = git_blob_oid(lfs_pointer(sha, len(data)) if lfs else data)
        return Entry(sha, len(data), lfs, oid)

    def new_commit(self, repo: Repo, parent: Commit | None, files: dict, title: str, message: str = "") -> Commit:
        """Create and register a commit (does not move any ref)."""
        self._counter += 1
        seed = f"{repo.repo_id}\0{parent.oid if parent else ''}\0{title}\0{time.time_ns()}\0{self._counter}"
        commit = Commit(hashlib.sha1(seed.encode()).hexdigest(), (parent.oid,) if parent else (), files,
                        title, message, now_iso())
        repo.commits[commit.oid] = commit
        return commit

    @staticmethod
    def wants_lfs(path: str, size: int, sample: bytes) -> bool:
        """Hub-like upload-mode decision: big, binary-looking or LFS-extension files go to LFS."""
        return size >= LFS_SIZE_THRESHOLD or path.lower().endswith(LFS_SUFFIXES) or b"\0" in sample

    @staticmethod
    def dir_info(commit: Commit, path: str) -> dict:
        """Tree JSON for a directory (oid derived from its content)."""
        items = sorted((p, e.oid) for p, e in commit.files.items() if p.startswith(path + "/"))
        return {"type": "directory", "oid": hashlib.sha1(repr(items).encode()).hexdigest(), "size": 0, "path": path}

    def last_commit(self, repo: Repo, commit: Commit, path: str, is_dir: bool) -> dict:
        """``lastCommit`` of a path: newest ancestor whose parent has a different version of it."""
        def sig(c: Commit):
            if is_dir:
                return sorted((p, e) for p, e in c.files.items() if p.startswith(path + "/"))
            return c.files.get(path)
        found = commit
        for c in repo.history(commit):
            if sig(c) != sig(commit):
                break
            found = c
        return {"id": found.oid, "title": found.title, "date": found.date}

    def path_info(self, repo: Repo, commit: Commit, path: str, expand: bool) -> dict | None:
        """Tree JSON of a file or directory, or None if absent."""
        if path in commit.files:
            out = commit.files[path].info(path)
        elif any(p.startswith(path + "/") for p in commit.files):
            out = self.dir_info(commit, path)
        else:
            return None
        if expand:
            out["lastCommit"] = self.last_commit(repo, commit, path, out["type"] == "directory")
        return out

    # -- API handlers (called with the lock held) -----------------------------------------
    def create_repo(self, body: dict) -> dict:
        """``POST /api/repos/create``."""
        repo_type = body.get("type") or "model"
        name, org = body.get("name"), body.get("organization") or self.user
        if repo_type not in URL_PREFIX or not name or "/" in name:
            raise HubError(400, "Invalid repo name or type")
        repo_id = f"{org}/{name}"
        private = body.get("private") is True or body.get("visibility") == "private"
        if (repo_type, repo_id) in self.repos:
            url = self.repo_url(self.repos[(repo_type, repo_id)])
            raise HubError(409, f"You already created this {repo_type} repo", headers={"_json": {"url": url}})
        repo = self.repos[(repo_type, repo_id)] = Repo(repo_type, repo_id, private, now_iso())
        files = {".gitattributes": self.make_entry(GITATTRIBUTES, False)} if self.gitattributes else {}
        repo.branches["main"] = self.new_commit(repo, None, files, "initial commit").oid
        return {"url": self.repo_url(repo), "name": repo_id, "id": repo_id}

    def repo_info(self, repo: Repo, rev: str) -> dict:
        """``GET /api/{type}s/{id}[/revision/{rev}]``."""
        commit = repo.resolve(rev)
        siblings = []
        for path, e in sorted(commit.files.items()):
            sib = {"rfilename": path, "size": e.size, "blobId": e.oid}
            if e.lfs:
                sib["lfs"] = {"sha256": e.sha256, "size": e.size, "pointerSize": len(lfs_pointer(e.sha256, e.size))}
            siblings.append(sib)
        ns = repo.repo_id.split("/")[0]
        return {"_id": hashlib.md5(repo.repo_id.encode()).hexdigest()[:24], "id": repo.repo_id, "author": ns,
                "sha": commit.oid, "lastModified": commit.date, "createdAt": repo.created, "private": repo.private,
                "gated": False, "disabled": False, "downloads": 0, "likes": 0, "tags": [], "siblings": siblings,
                "usedStorage": sum(e.size for e in commit.files.values())}

    def tree(self, repo: Repo, rev: str, path: str, query: dict) -> tuple[list, str | None]:
        """``GET /api/{type}s/{id}/tree/{rev}[/{path}]``: one page of entries and the next-page query."""
        commit = repo.resolve(rev)
        path = path.strip("/")
        recursive = _flag(query, "recursive")
        expand = _flag(query, "expand")
        if path and (path in commit.files or not any(p.startswith(path + "/") for p in commit.files)):
            raise HubError(404, f"Entry not found: {path}", "EntryNotFound", {"X-Repo-Commit": commit.oid})
        prefix = path + "/" if path else ""
        names: set[str] = set()
        for p in commit.files:
            if not p.startswith(prefix):
                continue
            parts = p[len(prefix):].split("/")
            depth = len(parts) if recursive else 1
            names.update(prefix + "/".join(parts[:i]) for i in range(1, min(depth, len(parts)) + 1))
        ordered = sorted(names, key=lambda n: (n in commit.files, n))  # directories first
        size = max(1, self.page_size // 20 if expand else self.page_size)
        start = int(query.get("cursor", ["0"])[0])
        page = [self.path_info(repo, commit, n, expand) for n in ordered[start:start + size]]
        nxt = None
        if start + size < len(ordered):
            nxt = urlencode({"recursive": str(recursive).lower(), "expand": str(expand).lower(),
                             "cursor": start + size})
        return page, nxt

    def commit(self, repo: Repo, rev: str, body: bytes, query: dict) -> dict:
        """``POST /api/{type}s/{id}/commit/{rev}`` with an NDJSON body (header/file/lfsFile/deleted*)."""
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        header = next((item["value"] for item in lines if item.get("key") == "header"), {})
        if _flag(query, "create_pr"):
            base = repo.resolve(rev)
            branch = f"refs/pr/{repo.next_pr}"
            repo.next_pr += 1
            repo.branches[branch] = base.oid
        elif rev in repo.branches:
            branch = rev
        else:
            repo.resolve(rev)  # 404 RevisionNotFound if unknown
            raise HubError(400, f"Invalid rev id: {rev} is not a branch")
        head = repo.commits[repo.branches[branch]]
        if header.get("parentCommit") and header["parentCommit"] != head.oid:
            raise HubError(412, "A commit has happened since. Please refresh and try again.")
        files = dict(head.files)
        for item in lines:
            key, value = item.get("key"), item.get("value", {})
            path = value.get("path", "")
            if key != "header" and (not path or path.startswith("/") or ".." in path.split("/")):
                raise HubError(400, f"Invalid path: {path!r}")
            if key == "file":
                raw = value.get("content", "")
                data = base64.b64decode(raw) if value.get("encoding") == "base64" else raw.encode()
                files[path] = self.make_entry(data, False)
            elif key == "lfsFile":
                data = self.blobs.get(value.get("oid", ""))
                if data is None or ("size" in value and value["size"] != len(data)):
                    raise HubError(422, f"LFS object {value.get('oid')} for {path} was not uploaded")
                files[path] = self.make_entry(data, True)
            elif key == "deletedFile":
                if files.pop(path, None) is None:
                    raise HubError(404, f"A file with this name doesn't exist: {path}", "EntryNotFound")
            elif key == "deletedFolder":
                gone = [p for p in files if p.startswith(path.rstrip("/") + "/")]
                if not gone:
                    raise HubError(404, f"A folder with this name doesn't exist: {path}", "EntryNotFound")
                for p in gone:
                    del files[p]
            elif key != "header":
                raise HubError(400, f"Unknown commit operation {key!r}")
        title = header.get("summary") or "Commit"
        commit = self.new_commit(repo, head, files, title, header.get("description", ""))
        repo.branches[branch] = commit.oid
        base_url = self.repo_url(repo)
        pr_url = f"{base_url}/discussions/{branch.rsplit('/', 1)[1]}" if branch.startswith("refs/pr/") else None
        return {"success": True, "commitOid": commit.oid, "commitUrl": f"{base_url}/commit/{commit.oid}",
                "pullRequestUrl": pr_url}

    def refs(self, repo: Repo, query: dict) -> dict:
        """``GET /api/{type}s/{id}/refs``."""
        def ref(name, kind, oid):
            return {"name": name, "ref": name if name.startswith("refs/") else f"refs/{kind}/{name}",
                    "targetCommit": oid}
        out = {"branches": [ref(n, "heads", o) for n, o in repo.branches.items() if not n.startswith("refs/")],
               "converts": [], "tags": [ref(n, "tags", o) for n, o in repo.tags.items()]}
        if _flag(query, "include_prs"):
            out["pullRequests"] = [ref(n, "", o) for n, o in repo.branches.items() if n.startswith("refs/pr/")]
        return out

    def lfs_batch(self, repo: Repo, body: dict) -> dict:
        """Git LFS batch API: answer upload (PUT) + verify hrefs for objects not stored yet."""
        if body.get("operation") != "upload":
            raise HubError(400, "Only the 'upload' LFS operation is supported")
        objects = []
        for obj in body.get("objects", []):
            oid, size = obj.get("oid"), obj.get("size")
            out = {"oid": oid, "size": size}
            if not (isinstance(oid, str) and isinstance(size, int)):
                raise HubError(422, "Malformed LFS object")
            if oid not in self.blobs:
                nonce = secrets.token_hex(16)
                self.uploads[nonce] = (oid, size)
                out["authenticated"] = True
                out["actions"] = {
                    "upload": {"href": f"{self.endpoint}/_lfs/upload/{nonce}", "expires_in": 3600},
                    "verify": {"href": f"{self.endpoint}/_lfs/verify/{URL_PREFIX[repo.repo_type]}{repo.repo_id}"},
                }
            objects.append(out)
        return {"transfer": "basic", "objects": objects, "hash_algo": "sha256"}


def _flag(query: dict, name: str) -> bool:
    """Boolean query parameter (``true``/``1``)."""
    return query.get(name, ["false"])[0].lower() in ("1", "true", "yes")


class _HTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that tracks open connections so ``stop()`` can close keep-alives."""

    daemon_threads = True
    block_on_close = False
    hub: HubServer

    def process_request(self, request, client_address):
        with self.hub.lock:
            self.hub._conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self.hub.lock:
            self.hub._conns.discard(request)
        super().shutdown_request(request)


class _Handler(BaseHTTPRequestHandler):
    """Routes Hub URLs to :class:`HubServer` methods."""

    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def log_message(self, format, *args):  # noqa: A002 - silence stderr logging
        pass

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = lambda self: self._dispatch()

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _dispatch(self) -> None:
        hub = self.server.hub
        try:
            body = self._read_body()
            url = urlsplit(self.path)
            segs = [unquote(s) for s in url.path.split("/")[1:]]
            query = parse_qs(url.query)
            auth = self.headers.get("Authorization")
            authed = auth == f"Bearer {hub.token}"
            with hub.lock:
                hub.request_log.append((self.command, self.path, authed))
            if auth and not authed:
                raise HubError(401, "Invalid credentials in Authorization header")
            with hub.lock:
                result = self._route(hub, segs, query, body, authed)
            if isinstance(result, tuple):
                self._send(*result)
            else:
                self._send(200, {}, result)
        except HubError as e:
            headers = {k: v for k, v in e.headers.items() if not k.startswith("_")}
            headers["X-Error-Message"] = e.message
            if e.code:
                headers["X-Error-Code"] = e.code
            self._send(e.status, headers, {"error": e.message, **e.headers.get("_json", {})})
        except Exception as e:  # pragma: no cover - surfaced to the client as a 500
            self.close_connection = True
            self._send(500, {"X-Error-Message": f"{type(e).__name__}: {e}"},
                       {"error": f"{type(e).__name__}: {e}", "traceback": traceback.format_exc()})

    def _send(self, status: int, headers: dict, payload) -> None:
        if isinstance(payload, (dict, list)):
            payload = json.dumps(payload).encode()
            headers.setdefault("Content-Type", "application/json; charset=utf-8")
        payload = payload or b""
        self.send_response(status)
        for k, v in headers.items():  # header values must be latin-1 and single-line
            self.send_header(k, " ".join(str(v).encode("latin-1", "replace").decode("latin-1").split()))
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    @staticmethod
    def _need_auth(authed: bool) -> None:
        if not authed:
            raise HubError(401, "Unauthorized: a valid token is required for this operation")

    def _route(self, hub: HubServer, segs: list, query: dict, body: bytes, authed: bool):
        method = self.command
        if segs[:1] == ["_lfs"]:
            return self._lfs(hub, segs[1:], body, authed)
        if segs[:1] == ["api"]:
            return self._api(hub, method, segs[1:], query, body, authed)
        rtype = REPO_TYPES.get(segs[0], "model") if segs else "model"
        rest = segs[1:] if rtype != "model" or segs[:1] == ["models"] else segs
        if len(rest) >= 2 and rest[1].endswith(".git") and rest[2:] == ["info", "lfs", "objects", "batch"]:
            self._need_auth(authed)
            repo = hub.get_repo(rtype, f"{rest[0]}/{rest[1][:-4]}", authed)
            return 200, {"Content-Type": "application/vnd.git-lfs+json"}, hub.lfs_batch(repo, _json(body))
        if len(rest) >= 5 and rest[2] == "resolve" and method in ("GET", "HEAD"):
            repo = hub.get_repo(rtype, f"{rest[0]}/{rest[1]}", authed)
            return self._resolve(hub, repo, rest[3], "/".join(rest[4:]))
        raise HubError(404, f"Not found: {self.path}")

    def _resolve(self, hub: HubServer, repo: Repo, rev: str, path: str):
        commit = repo.resolve(rev)
        entry = commit.files.get(path)
        if entry is None:
            raise HubError(404, f"Entry not found: {path}", "EntryNotFound", {"X-Repo-Commit": commit.oid})
        data = hub.blobs[entry.sha256]
        headers = {"X-Repo-Commit": commit.oid, "Accept-Ranges": "bytes", "Content-Type": "application/octet-stream",
                   "ETag": f'"{entry.sha256 if entry.lfs else entry.oid}"'}
        if entry.lfs:
            headers.update({"X-Linked-Etag": f'"{entry.sha256}"', "X-Linked-Size": entry.size})
        rng = self.headers.get("Range")
        if not rng or self.command == "HEAD":
            return 200, headers, data  # HEAD: same headers (Content-Length too), body not written
        start_s, _, end_s = rng.strip().removeprefix("bytes=").partition("-")
        try:  # single range only: "a-b", "a-" or "-suffix"
            start, end = (int(start_s), int(end_s) if end_s else len(data) - 1) if start_s else (
                max(0, len(data) - int(end_s)), len(data) - 1)
        except ValueError:
            start, end = 1, 0
        end = min(end, len(data) - 1)
        if start > end:
            raise HubError(416, "Range not satisfiable", headers={"Content-Range": f"bytes */{len(data)}"})
        headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
        return 206, headers, data[start:end + 1]

    def _lfs(self, hub: HubServer, segs: list, body: bytes, authed: bool):
        if segs[:1] == ["upload"] and len(segs) == 2 and self.command == "PUT":
            oid, size = hub.uploads.get(segs[1], (None, None))
            if oid is None:
                raise HubError(404, "Unknown or expired upload URL")
            if len(body) != size or hashlib.sha256(body).hexdigest() != oid:
                raise HubError(400, "Uploaded content does not match the announced oid/size")
            hub.put_blob(body)
            del hub.uploads[segs[1]]
            return 200, {"ETag": f'"{oid}"'}, b""
        if segs[:1] == ["verify"] and self.command == "POST":
            self._need_auth(authed)
            obj = _json(body)
            data = hub.blobs.get(obj.get("oid", ""))
            if data is None or len(data) != obj.get("size"):
                raise HubError(404, "LFS object not found")
            return {"success": True}
        raise HubError(404, f"Not found: {self.path}")

    def _api(self, hub: HubServer, method: str, segs: list, query: dict, body: bytes, authed: bool):
        if segs == ["whoami-v2"] and method == "GET":
            self._need_auth(authed)
            return {"type": "user", "id": hashlib.md5(hub.user.encode()).hexdigest()[:24], "name": hub.user,
                    "fullname": hub.user, "email": None, "orgs": [], "isPro": False,
                    "auth": {"type": "access_token", "accessToken": {"displayName": "test", "role": "write"}}}
        if segs == ["agent-harnesses"]:
            return {"standardEnvVars": [], "harnesses": {}}
        if segs == ["validate-yaml"] and method == "POST":
            return {"errors": [], "warnings": []}
        if segs == ["repos", "create"] and method == "POST":
            self._need_auth(authed)
            return hub.create_repo(_json(body))
        if segs == ["repos", "delete"] and method == "DELETE":
            self._need_auth(authed)
            b = _json(body)
            repo = hub.get_repo(b.get("type") or "model", f"{b.get('organization') or hub.user}/{b.get('name')}", True)
            del hub.repos[(repo.repo_type, repo.repo_id)]
            return {}
        if len(segs) < 3 or segs[0] not in REPO_TYPES:
            raise HubError(404, f"Not found: {self.path}")
        repo = hub.get_repo(REPO_TYPES[segs[0]], f"{segs[1]}/{segs[2]}", authed)
        op, args = (segs[3], segs[4:]) if len(segs) > 3 else ("", [])
        rev = args[0] if args else "main"
        if method in ("POST", "PUT", "DELETE") and op not in ("paths-info",):
            self._need_auth(authed)
        if op == "" and method == "GET" or op == "revision" and method == "GET":
            return hub.repo_info(repo, rev)
        if op == "tree" and method == "GET":
            page, nxt = hub.tree(repo, rev, "/".join(args[1:]), query)
            headers = {}
            if nxt:
                headers["Link"] = f'<{hub.endpoint}{urlsplit(self.path).path}?{nxt}>; rel="next"'
            return 200, headers, page
        if op == "paths-info" and method == "POST":
            commit = repo.resolve(rev)
            form = _json(body) if body.lstrip().startswith(b"{") else parse_qs(body.decode())
            paths = form.get("paths", [])
            paths = [paths] if isinstance(paths, str) else paths
            expand = str(form.get("expand", ["false"])[0] if isinstance(form.get("expand"), list)
                         else form.get("expand", False)).lower() in ("1", "true")
            infos = [hub.path_info(repo, commit, p.strip("/"), expand) for p in paths]
            return [i for i in infos if i is not None]
        if op == "refs" and method == "GET":
            return hub.refs(repo, query)
        if op == "commits" and method == "GET":
            return [{"id": c.oid, "title": c.title, "message": c.message, "date": c.date,
                     "authors": [{"user": hub.user}]} for c in repo.history(repo.resolve(rev))]
        if op == "preupload" and method == "POST":
            commit = repo.resolve(rev)
            files = []
            for f in _json(body).get("files", []):
                sample = base64.b64decode(f.get("sample", ""))
                old = commit.files.get(f["path"])
                files.append({"path": f["path"], "shouldIgnore": False,
                              "uploadMode": "lfs" if hub.wants_lfs(f["path"], f.get("size", 0), sample) else "regular",
                              "oid": (old.sha256 if old.lfs else old.oid) if old else None})
            return {"files": files, "commitOid": commit.oid}
        if op == "commit" and method == "POST":
            return hub.commit(repo, rev, body, query)
        if op == "tag" and method == "POST":
            tag = _json(body).get("tag")
            if not tag:
                raise HubError(400, "Missing tag name")
            commit = repo.resolve(rev)
            if tag in repo.tags:
                raise HubError(409, f"Tag {tag} already exists")
            repo.tags[tag] = commit.oid
            return {}
        if op == "tag" and method == "DELETE":
            if repo.tags.pop(rev, None) is None:
                raise HubError(404, f"Tag {rev} not found", "RevisionNotFound")
            return {}
        if op == "branch" and method == "POST":
            start = repo.resolve(_json(body).get("startingPoint") or "main")
            if rev in repo.branches:
                raise HubError(409, f"Branch {rev} already exists")
            repo.branches[rev] = start.oid
            return {}
        if op == "branch" and method == "DELETE":
            if rev == "main" or repo.branches.pop(rev, None) is None:
                raise HubError(404 if rev != "main" else 403, f"Cannot delete branch {rev}",
                               "RevisionNotFound" if rev != "main" else None)
            return {}
        raise HubError(404, f"Not found: {self.path}")


def _json(body: bytes) -> dict:
    """Parse a JSON request body (400 on malformed input)."""
    try:
        return json.loads(body or b"{}")
    except ValueError as e:
        raise HubError(400, f"Malformed JSON body: {e}") from None
