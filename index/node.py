"""The project's own single Elasticsearch node, for machines with no cluster (``laborwatch es ...``).

``fetch()`` downloads the server zip from Maven Central with Maven
(``org.elasticsearch.distribution.integ-test-zip:elasticsearch:<version>:zip``, cached in
``~/.cache/laborwatch/es`` and ``~/.m2``) and unpacks it; ``up()`` starts one node on 127.0.0.1 with a small
heap and data under ``<state>/es``; ``down()`` stops it; ``status()`` reports what runs.

Elasticsearch refuses to run as root. When the CLI runs as root (CI does) the node runs as
``settings.es.local.run_as_user``: the user is created with ``useradd`` (home ``/var/lib/<user>``) and the
unpacked distribution lives in its home, owned by it, because the cache under ``/root`` is not reachable for
other users. Started by a normal user, the node runs as that user and unpacks into the cache.

That distribution has no analysis plugins and no ingest/painless/reindex modules, and no ``GET /`` info
endpoint: the mappings and queries of this room only use what a bare node has, and health checks go to
``/_cluster/health``.

Layout of ``<state>/es``: ``config/`` (a copy of the distribution's config plus our ``elasticsearch.yml``),
``data/``, ``logs/``, ``tmp/``, ``run/es.pid`` and ``node.json`` (url, pid, version, ports, java home).
"""

from __future__ import annotations

import json
import logging
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index.errors import LocalNodeError
from lwcore.settings import Settings

__all__ = [
    "ARTIFACT",
    "JVM_ROOT",
    "Jdk",
    "LocalNode",
    "find_jdks",
    "java_range",
    "pick_jdk",
    "pick_port",
    "port_is_free",
    "read_node_state",
    "render_elasticsearch_yml",
    "state_file",
]

logger = logging.getLogger(__name__)

ARTIFACT = "org.elasticsearch.distribution.integ-test-zip:elasticsearch:{version}:zip"
JVM_ROOT = Path("/usr/lib/jvm")
HOST = "127.0.0.1"
_UNPACKED_MARK = ".laborwatch-unpacked"

Runner = Callable[..., subprocess.CompletedProcess]


# --- JDK choice --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Jdk:
    home: Path
    major: int


def _es_major(version: str) -> int:
    m = re.match(r"^(\d+)\.\d+\.\d+", version)
    if not m:
        raise LocalNodeError(f"es.local.version {version!r} is not a version like 9.5.0")
    return int(m.group(1))


def java_range(es_version: str) -> tuple[int, int | None]:
    """(lowest, highest or None) Java major a distribution without bundled JDK runs on.

    ES 9 needs Java 21+. ES 8 needs 17+ and still installs a SecurityManager, which Java 24 removed.
    """
    major = _es_major(es_version)
    if major >= 9:
        return 21, None
    if major == 8:
        return 17, 23
    if major == 7:
        return 11, 17
    raise LocalNodeError(f"es.local.version {es_version}: Elasticsearch {major}.x is not supported (use 8.x or 9.x)")


def _java_major(home: Path) -> int | None:
    release = home / "release"
    try:
        text = release.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    m = re.search(r'^JAVA_VERSION="(\d+)(?:\.(\d+))?', text, re.MULTILINE)
    if m:
        first = int(m.group(1))
        return int(m.group(2)) if first == 1 and m.group(2) else first
    m = re.search(r"(?:jdk|java)-?(?:1\.)?(\d+)", home.name)
    return int(m.group(1)) if m else None


def find_jdks(root: Path = JVM_ROOT) -> list[Jdk]:
    """JDKs under ``root`` (one per real directory), newest first."""
    found: dict[Path, Jdk] = {}
    if not root.is_dir():
        return []
    for entry in sorted(root.iterdir()):
        real = entry.resolve()
        if real in found or not (real / "bin" / "java").is_file():
            continue
        major = _java_major(real)
        if major is not None:
            found[real] = Jdk(real, major)
    return sorted(found.values(), key=lambda j: (-j.major, str(j.home)))


def pick_jdk(es_version: str, *, configured: str | None = None, root: Path = JVM_ROOT) -> Jdk:
    """The JDK to run ``es_version``: ``configured`` (checked) or the newest supported one under ``root``."""
    lo, hi = java_range(es_version)
    wanted = f"Java {lo}+" if hi is None else f"Java {lo}..{hi}"
    if configured:
        home = Path(configured)
        if not (home / "bin" / "java").is_file():
            raise LocalNodeError(f"es.local.java_home {configured}: no bin/java there")
        major = _java_major(home)
        if major is not None and (major < lo or (hi is not None and major > hi)):
            raise LocalNodeError(
                f"es.local.java_home {configured} is Java {major}; Elasticsearch {es_version} needs {wanted}"
            )
        return Jdk(home, major or 0)
    jdks = find_jdks(root)
    for jdk in jdks:
        if jdk.major >= lo and (hi is None or jdk.major <= hi):
            return jdk
    have = ", ".join(f"{j.home} (Java {j.major})" for j in jdks) or "none"
    raise LocalNodeError(
        f"no JDK under {root} can run Elasticsearch {es_version} (needs {wanted}; found: {have}); "
        "install one (e.g. apt-get install openjdk-21-jdk-headless) or set es.local.java_home"
    )


# --- ports and config ----------------------------------------------------------------------------------------


def port_is_free(port: int, host: str = HOST) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Elasticsearch binds
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _ephemeral_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def pick_port(preferred: int, *, avoid: Sequence[int] = (), host: str = HOST) -> tuple[int, str | None]:
    """``(port, None)`` when ``preferred`` is free, else ``(another free port, why it moved)``."""
    if preferred not in avoid and port_is_free(preferred, host):
        return preferred, None
    for _ in range(20):
        port = _ephemeral_port(host)
        if port not in avoid and port != preferred:
            return port, f"port {preferred} on {host} is taken; using free port {port}"
    raise LocalNodeError(f"port {preferred} on {host} is taken and no free port could be found")


def render_elasticsearch_yml(
    *, http_port: int, transport_port: int, data: Path, logs: Path, repo: Path | None = None
) -> str:
    """``elasticsearch.yml`` of the local node: loopback, single node, no security, relaxed disk watermarks.

    ``repo`` is the node's ``path.repo``: file-system snapshot repositories (``laborwatch backup``) must live
    under it, or Elasticsearch refuses to register them.
    """
    lines = [
        "# written by `laborwatch es up`; edits are overwritten at the next start",
        "cluster.name: laborwatch-local",
        "node.name: laborwatch-local-1",
        f"network.host: {HOST}",
        f"http.port: {http_port}",
        f"transport.port: {transport_port}",
        "discovery.type: single-node",
        f"path.data: {json.dumps(str(data))}",
        f"path.logs: {json.dumps(str(logs))}",
        *([f"path.repo: {json.dumps(str(repo))}"] if repo is not None else []),
        "xpack.security.enabled: false",
        "bootstrap.memory_lock: false",
        "action.auto_create_index: true",
        # a developer disk is often fuller than a server's: watermarks as free space, not percentages
        "cluster.routing.allocation.disk.watermark.low: 1gb",
        "cluster.routing.allocation.disk.watermark.high: 500mb",
        "cluster.routing.allocation.disk.watermark.flood_stage: 200mb",
        "",
    ]
    return "\n".join(lines)


# --- state file --------------------------------------------------------------------------------------------


def state_file(settings: Settings) -> Path:
    return settings.state_path / "es" / "node.json"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, owned by another user
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc: trust the signal check
    return b"elasticsearch" in cmdline.lower()


def _read_raw_state(settings: Settings) -> dict[str, Any] | None:
    path = state_file(settings)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        logger.warning("ignoring unreadable local node state %s: %s", path, exc)
        return None
    return data if isinstance(data, dict) else None


def read_node_state(settings: Settings) -> dict[str, Any] | None:
    """The recorded state of the local node when its process is alive, else None."""
    data = _read_raw_state(settings)
    if not data or not isinstance(data.get("pid"), int) or not data.get("url"):
        return None
    return data if _pid_alive(int(data["pid"])) else None


def _http_json(url: str, timeout: float = 5.0) -> dict[str, Any]:
    req = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - loopback URL we built
        return dict(json.loads(resp.read().decode("utf-8")))


def _tail(path: Path, n: int = 15) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-n:])


# --- the node ----------------------------------------------------------------------------------------------


class LocalNode:
    """Provision, start and stop the single local node of ``settings.es.local``."""

    def __init__(
        self,
        settings: Settings,
        *,
        cache_dir: Path | None = None,
        jvm_root: Path = JVM_ROOT,
        runner: Runner = subprocess.run,
    ) -> None:
        self.settings = settings
        self.local = settings.es.local
        self.version = self.local.version
        _es_major(self.version)  # validate early
        self.cache_dir = cache_dir or Path.home() / ".cache" / "laborwatch" / "es"
        self.jvm_root = jvm_root
        self._run = runner
        self.as_root = os.geteuid() == 0
        self.node_dir = settings.state_path / "es"

    # paths
    @property
    def zip_path(self) -> Path:
        return self.cache_dir / f"elasticsearch-{self.version}.zip"

    @property
    def pid_file(self) -> Path:
        return self.node_dir / "run" / "es.pid"

    @property
    def url(self) -> str | None:
        """The URL of the running local node, or None when none runs for this state directory."""
        state = read_node_state(self.settings)
        return str(state["url"]) if state else None

    def _dist_root(self) -> Path:
        if self.as_root:
            return Path(self._user().pw_dir) / "dist"
        return self.cache_dir / "dist"

    def dist_dir(self) -> Path:
        return self._dist_root() / f"elasticsearch-{self.version}"

    # user
    def _user(self) -> pwd.struct_passwd:
        name = self.local.run_as_user
        try:
            return pwd.getpwnam(name)
        except KeyError:
            raise LocalNodeError(
                f"user {name!r} (es.local.run_as_user) does not exist; run `laborwatch es fetch` as root"
            ) from None

    def ensure_user(self) -> pwd.struct_passwd | None:
        """As root: create the unprivileged user and its home when missing. Otherwise None (run as self)."""
        if not self.as_root:
            return None
        name = self.local.run_as_user
        if name == "root":
            raise LocalNodeError("es.local.run_as_user must not be root: Elasticsearch refuses to run as root")
        try:
            pw = pwd.getpwnam(name)
        except KeyError:
            home = f"/var/lib/{name}"
            logger.info("creating system user %s (home %s) for Elasticsearch", name, home)
            self._check(
                ["useradd", "--system", "--create-home", "--home-dir", home, "--shell", "/usr/sbin/nologin", name],
                what=f"create user {name} with useradd",
            )
            pw = pwd.getpwnam(name)
        home_path = Path(pw.pw_dir)
        if not home_path.is_dir() or home_path.stat().st_uid != pw.pw_uid:
            if str(home_path) in ("/", "/nonexistent") or not home_path.is_absolute():
                raise LocalNodeError(f"user {name} has no usable home ({pw.pw_dir}); give it one with usermod -d")
            home_path.mkdir(parents=True, exist_ok=True)
            os.chown(home_path, pw.pw_uid, pw.pw_gid)
        return pw

    def _check(self, cmd: list[str], *, what: str, timeout: float = 120, **kw: Any) -> str:
        try:
            proc = self._run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
        except FileNotFoundError:
            raise LocalNodeError(f"cannot {what}: {cmd[0]} is not installed") from None
        except subprocess.TimeoutExpired:
            raise LocalNodeError(f"cannot {what}: {cmd[0]} did not finish in {timeout:.0f}s") from None
        if proc.returncode != 0:
            out = ((proc.stdout or "") + (proc.stderr or "")).strip().splitlines()[-10:]
            raise LocalNodeError(f"cannot {what} (exit {proc.returncode}): " + " | ".join(out))
        return str(proc.stdout or "")

    # fetch
    def download(self) -> Path:
        """The cached server zip, downloaded from Maven Central with ``mvn dependency:copy`` when missing."""
        if self.zip_path.is_file() and zipfile.is_zipfile(self.zip_path):
            return self.zip_path
        if shutil.which("mvn") is None:
            raise LocalNodeError(
                "Maven (mvn) is not installed, so the Elasticsearch zip cannot be fetched; "
                "apt-get install maven, or set LW_ES_URL to an existing cluster"
            )
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        artifact = ARTIFACT.format(version=self.version)
        with tempfile.TemporaryDirectory(dir=self.cache_dir, prefix=".fetch-") as tmp:
            logger.info("fetching %s from Maven Central", artifact)
            self._check(
                ["mvn", "-B", "-q", "dependency:copy", f"-Dartifact={artifact}", f"-DoutputDirectory={tmp}"],
                what=f"download {artifact} with Maven (check the network/proxy or set LW_ES_URL)",
                timeout=1800,
                cwd=tmp,
            )
            got = Path(tmp) / self.zip_path.name
            if not got.is_file() or not zipfile.is_zipfile(got):
                raise LocalNodeError(f"Maven reported success but {got.name} is missing or not a zip")
            os.replace(got, self.zip_path)
        return self.zip_path

    def fetch(self) -> Path:
        """Download (cached) and unpack the distribution; create the service user as root. Returns ES home."""
        pw = self.ensure_user()
        zip_path = self.download()
        dist = self.dist_dir()
        if (dist / _UNPACKED_MARK).is_file() and (dist / "bin" / "elasticsearch").is_file():
            return dist
        dist.parent.mkdir(parents=True, exist_ok=True)
        if pw is not None:
            os.chown(dist.parent, pw.pw_uid, pw.pw_gid)
        if dist.exists():
            shutil.rmtree(dist)  # an earlier unpack was interrupted
        with tempfile.TemporaryDirectory(dir=dist.parent, prefix=".unpack-") as tmp:
            top = _unzip(zip_path, Path(tmp))
            os.replace(top, dist)
        (dist / _UNPACKED_MARK).write_text(f"{zip_path}\n", encoding="utf-8")
        if pw is not None:
            _chown_tree(dist, pw.pw_uid, pw.pw_gid)
        logger.info("Elasticsearch %s unpacked in %s", self.version, dist)
        return dist

    # up
    def up(self) -> str:
        """Start the node (a no-op returning the URL when it already runs); returns its URL."""
        state = _read_raw_state(self.settings)
        if state and isinstance(state.get("pid"), int) and _pid_alive(state["pid"]):
            url = str(state["url"])
            if self._wait_ready(url, self.local.startup_timeout_s, pid=state["pid"]):
                logger.info("local Elasticsearch already running at %s", url)
                return url
            raise LocalNodeError(
                f"a local node (pid {state['pid']}) is recorded in {state_file(self.settings)} but does not "
                f"answer at {url}; run `laborwatch es down` and retry"
            )
        dist = self.fetch()
        jdk = pick_jdk(self.version, configured=self.local.java_home, root=self.jvm_root)
        pw = self._user() if self.as_root else None
        http_port, moved = pick_port(self.local.port)
        if moved:
            logger.warning("%s", moved)
        transport_port, _ = pick_port(_ephemeral_port(), avoid=(http_port,))
        conf = self._prepare_dirs(dist, http_port=http_port, transport_port=transport_port, pw=pw)
        url = f"http://{HOST}:{http_port}"
        self.pid_file.unlink(missing_ok=True)
        env = {
            "ES_JAVA_HOME": str(jdk.home),
            "ES_PATH_CONF": str(conf),
            "ES_TMPDIR": str(self.node_dir / "tmp"),
            "ES_JAVA_OPTS": "",
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG": "C.UTF-8",
        }
        cmd = [str(dist / "bin" / "elasticsearch"), "-d", "-p", str(self.pid_file)]
        if pw is not None:
            cmd = [_runuser(), "-u", pw.pw_name, "--", "env", *(f"{k}={v}" for k, v in env.items()), *cmd]
            run_env = {"PATH": env["PATH"], "LANG": env["LANG"]}
        else:
            run_env = {**env, "HOME": str(Path.home())}
        launcher_log = self.node_dir / "logs" / "launcher.log"
        logger.info("starting Elasticsearch %s on %s (Java %d at %s)", self.version, url, jdk.major, jdk.home)
        t0 = time.monotonic()
        with launcher_log.open("w", encoding="utf-8") as log:
            try:
                proc = self._run(
                    cmd,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=run_env,
                    cwd=str(self.node_dir / "logs"),
                    timeout=self.local.startup_timeout_s,
                )
            except subprocess.TimeoutExpired:
                proc = None
            except OSError as exc:
                raise LocalNodeError(f"cannot start Elasticsearch: {cmd[0]}: {exc}") from None
        if proc is not None and proc.returncode != 0:
            raise LocalNodeError(self._start_failure(f"the launcher exited with {proc.returncode}", launcher_log))
        pid = self._read_pid(timeout=10)
        if pid is None:
            raise LocalNodeError(self._start_failure("no pid file was written", launcher_log))
        left = max(5.0, self.local.startup_timeout_s - (time.monotonic() - t0))
        if not self._wait_ready(url, left, pid=pid):
            self._stop_pid(pid)
            raise LocalNodeError(self._start_failure(f"it did not answer at {url} in time", launcher_log))
        state = {
            "url": url,
            "pid": pid,
            "version": self.version,
            "http_port": http_port,
            "transport_port": transport_port,
            "port_moved": moved,
            "es_home": str(dist),
            "java_home": str(jdk.home),
            "java_major": jdk.major,
            "run_as_user": pw.pw_name if pw is not None else None,
            "data_dir": str(self.node_dir / "data"),
            "started_at": datetime.now(UTC).isoformat(),
        }
        tmp_state = state_file(self.settings).with_suffix(".tmp")
        tmp_state.write_text(json.dumps(state, indent=2), encoding="utf-8")
        os.replace(tmp_state, state_file(self.settings))
        logger.info("local Elasticsearch up at %s (pid %d) in %.1fs", url, pid, time.monotonic() - t0)
        return url

    def _prepare_dirs(self, dist: Path, *, http_port: int, transport_port: int, pw: pwd.struct_passwd | None) -> Path:
        conf = self.node_dir / "config"
        for sub in ("config", "data", "logs", "tmp", "run", "snapshots"):
            (self.node_dir / sub).mkdir(parents=True, exist_ok=True)
        for src in (dist / "config").rglob("*"):
            dst = conf / src.relative_to(dist / "config")
            if src.is_dir():
                dst.mkdir(parents=True, exist_ok=True)
            elif not dst.exists():
                shutil.copy2(src, dst)
        (conf / "elasticsearch.yml").write_text(
            render_elasticsearch_yml(
                http_port=http_port,
                transport_port=transport_port,
                data=self.node_dir / "data",
                logs=self.node_dir / "logs",
                repo=self.node_dir / "snapshots",
            ),
            encoding="utf-8",
        )
        (conf / "jvm.options.d").mkdir(exist_ok=True)
        heap = self.local.heap
        (conf / "jvm.options.d" / "laborwatch-heap.options").write_text(f"-Xms{heap}\n-Xmx{heap}\n", encoding="utf-8")
        if pw is not None:
            _chown_tree(self.node_dir, pw.pw_uid, pw.pw_gid)
            probe = self._run(
                [_runuser(), "-u", pw.pw_name, "--", "test", "-w", str(self.node_dir / "data")],
                capture_output=True,
                timeout=30,
            )
            if probe.returncode != 0:
                raise LocalNodeError(
                    f"user {pw.pw_name} cannot write {self.node_dir / 'data'}: a parent folder of the state "
                    "directory is not reachable for it (e.g. /root is mode 0700); set LW_STATE_DIR to a "
                    "folder other users can traverse (e.g. under /tmp or /var/lib)"
                )
        return conf

    def _read_pid(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                return int(self.pid_file.read_text(encoding="utf-8").strip())
            except (OSError, ValueError):
                time.sleep(0.2)
        return None

    def _wait_ready(self, url: str, timeout: float, *, pid: int | None = None) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            try:
                health = _http_json(f"{url}/_cluster/health", timeout=5)
                if health.get("status") in ("green", "yellow"):
                    return True
            except (OSError, ValueError):
                pass
            if pid is not None and not _pid_alive(pid):
                return False
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.5)

    def _start_failure(self, what: str, launcher_log: Path) -> str:
        text = _tail(launcher_log, 40)
        es_log = self.node_dir / "logs" / "laborwatch-local.log"
        hint = ""
        if "BindException" in text or "Address already in use" in text:
            hint = " (a port was taken between the check and the start; run `laborwatch es up` again)"
        lines = [ln for ln in text.splitlines() if ln.strip()][-6:]
        return (
            f"local Elasticsearch {self.version} did not start: {what}{hint}. "
            f"Launcher output in {launcher_log}, server log {es_log}. Last lines: " + " | ".join(lines)
        )

    # down
    def down(self) -> bool:
        """Stop the node cleanly (SIGTERM, then SIGKILL after 60 s). Returns False when none was running."""
        state = _read_raw_state(self.settings) or {}
        pid = state.get("pid") if isinstance(state.get("pid"), int) else self._read_pid(timeout=0.01)
        stopped = False
        if pid is not None and _pid_alive(pid):
            self._stop_pid(pid)
            stopped = True
        state_file(self.settings).unlink(missing_ok=True)
        self.pid_file.unlink(missing_ok=True)
        return stopped

    def _stop_pid(self, pid: int, grace_s: float = 60.0) -> None:
        logger.info("stopping local Elasticsearch (pid %d)", pid)
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline:
            if not _pid_alive(pid):
                return
            time.sleep(0.3)
        logger.warning("Elasticsearch pid %d ignored SIGTERM for %.0fs; killing it", pid, grace_s)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return

    # status
    def status(self) -> dict[str, Any]:
        """What runs: ``running``, ``url``, ``pid``, ``version``, ``health``, ``nodes``, paths and ports."""
        raw = _read_raw_state(self.settings)
        state = read_node_state(self.settings)
        out: dict[str, Any] = {
            "running": False,
            "url": None,
            "version": self.version,
            "state_file": str(state_file(self.settings)),
            "zip_cached": self.zip_path.is_file(),
        }
        if raw and not state:
            out["stale_state"] = True
        if not state:
            return out
        out.update({k: state.get(k) for k in ("url", "pid", "http_port", "data_dir", "java_home", "run_as_user")})
        out["running"] = True
        try:
            health = _http_json(f"{state['url']}/_cluster/health")
            out["health"] = health.get("status")
            out["nodes"] = health.get("number_of_nodes")
            nodes = _http_json(f"{state['url']}/_nodes/_local?filter_path=nodes.*.version")
            versions = [n.get("version") for n in (nodes.get("nodes") or {}).values()]
            out["version"] = versions[0] if versions else state.get("version")
        except (OSError, ValueError) as exc:
            out["health"] = None
            out["error"] = f"not answering at {state['url']}: {exc}"
        return out


# --- helpers -----------------------------------------------------------------------------------------------


def _unzip(zip_path: Path, dest: Path) -> Path:
    """Extract ``zip_path`` into ``dest`` keeping Unix modes; return its single top-level folder."""
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            target = (dest / info.filename).resolve()
            if not str(target).startswith(str(dest.resolve()) + os.sep):
                raise LocalNodeError(f"{zip_path}: refusing entry outside the target folder: {info.filename}")
            mode = info.external_attr >> 16
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if stat.S_ISLNK(mode):
                os.symlink(zf.read(info).decode("utf-8"), target)
                continue
            with zf.open(info) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
            if mode & 0o777:
                os.chmod(target, mode & 0o777)
    tops = [p for p in dest.iterdir()]
    if len(tops) != 1 or not tops[0].is_dir():
        raise LocalNodeError(f"{zip_path}: expected one top-level folder, found {[p.name for p in tops]}")
    return tops[0]


def _runuser() -> str:
    found = shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin:/usr/bin:/bin")
    if not found:
        raise LocalNodeError("runuser (util-linux) is needed to start Elasticsearch as an unprivileged user")
    return found


def _chown_tree(root: Path, uid: int, gid: int) -> None:
    os.chown(root, uid, gid, follow_symlinks=False)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            os.chown(os.path.join(dirpath, name), uid, gid, follow_symlinks=False)
