"""``laborwatch backup DIR`` / ``laborwatch restore DIR``: everything a deployment needs to come back.

A backup folder holds:

- ``db/``: the database. SQLite through its online backup API (a consistent copy while the service writes);
  PostgreSQL through ``pg_dump -Fc`` on an exported snapshot, so the row counts in the manifest are those of the
  dump, not of a moment later.
- ``es/``: the posts indices of ``es.index_prefix``. Preferably an Elasticsearch snapshot
  (``method: snapshot``): a file-system repository registered under the node's ``path.repo``, copied into
  ``es/repo``; or, where the cluster has a shared repository of its own (``es.snapshot_repository``, e.g. on
  NFS or S3), a snapshot left in that repository (``method: snapshot-remote``). A cluster without ``path.repo``
  gets a logical export (``method: export``: mapping and NDJSON documents per index) and a warning.
- ``state/``: spools and the hand-off journal, crawl seen-stores and run stats, the outbox acceptance logs
  (the state folder minus the database, the local node's own data and the models, which are rebuilt).
- ``config/``: the active configuration files (secrets are never in them: they come from the environment).
- ``manifest.json``, written last: row counts per table, document counts per index, size and SHA-256 of every
  file. A folder without a manifest is an unfinished backup and is refused by ``restore``.

``restore`` checks every checksum first, then restores into the configured (fresh) state: the database must be
empty, the index prefix unused and the spools empty, unless ``--force``; the indices are renamed to the
configured ``es.index_prefix``. It then counts again and fails (exit 1) on any difference from the manifest.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, make_url

from lwcore.db import Database
from lwcore.errors import LaborwatchError
from lwcore.settings import SQLITE_FILE, Settings

__all__ = ["BackupError", "backup", "restore", "verify", "MANIFEST", "FORMAT"]

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
FORMAT = 1
#: state sub-folders that are not copied: the local node's own data (its indices are in the snapshot) and the
#: models (rebuilt by ``laborwatch nlp build-base`` / ``nlp train`` from the committed model and the labels)
STATE_SKIP = ("es", "models")
_DB_FILES = tuple(SQLITE_FILE + tail for tail in ("", "-wal", "-shm", "-journal"))


class BackupError(LaborwatchError):
    """A backup or restore that cannot go on; the message names the path or setting and the reason."""


# --- helpers ---------------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _files_under(root: Path) -> Iterator[Path]:
    for dirpath, _dirs, names in os.walk(root):
        for name in sorted(names):
            yield Path(dirpath) / name


def _record_files(dest: Path, sub: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    base = dest / sub
    if base.is_dir():
        for f in _files_under(base):
            out[f.relative_to(dest).as_posix()] = {"bytes": f.stat().st_size, "sha256": _sha256(f)}
    return out


def _copy_tree(src: Path, dst: Path, *, skip_top: tuple[str, ...] = ()) -> int:
    """Copy regular files of ``src`` into ``dst`` (sub-folders kept); returns the number of files."""
    n = 0
    for f in _files_under(src):
        rel = f.relative_to(src)
        if rel.parts and rel.parts[0] in skip_top:
            continue
        if rel.name.endswith(".tmp") or not f.is_file():
            continue  # half-written files of a live writer: whoever wrote them re-writes them
        target = dst / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copy2(f, target)
        except FileNotFoundError:
            continue  # consumed (drained) between the listing and the copy: nothing waits there any more
        n += 1
    return n


def _table_counts(conn: Connection) -> dict[str, int]:
    names = sorted(inspect(conn).get_table_names())
    return {name: int(conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()) for name in names}


def _sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        return None
    if not u.database or u.database == ":memory:":
        raise BackupError(f"database {url}: an in-memory SQLite database cannot be backed up")
    return Path(u.database)


def _pg_env(url: str) -> dict[str, str]:
    u = make_url(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, value in (("PGHOST", u.host), ("PGPORT", u.port), ("PGUSER", u.username),
                       ("PGPASSWORD", u.password), ("PGDATABASE", u.database)):
        if value is not None:
            env[key] = str(value)
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} not found on PATH: backing up or restoring a PostgreSQL database needs the PostgreSQL client "
            f"tools (Debian: apt-get install postgresql-client, the same major version as the server or newer)"
        )
    return found


def _run_tool(cmd: list[str], env: dict[str, str], what: str) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        raise BackupError(f"{what} failed (exit {proc.returncode}): {tail}")


def _es_client(settings: Settings) -> Any:
    from index import EsUnavailable, connect

    try:
        return connect(settings)
    except EsUnavailable as exc:
        raise BackupError(f"Elasticsearch: {exc}") from None


def _path_repos(client: Any) -> list[Path]:
    """The ``path.repo`` folders every node of the cluster has (only those can hold an fs repository)."""
    nodes = client.nodes.info(metric="settings").body.get("nodes", {})
    sets: list[set[str]] = []
    for node in nodes.values():
        repo = ((node.get("settings") or {}).get("path") or {}).get("repo")
        if isinstance(repo, str):
            repo = [repo]
        sets.append(set(repo or []))
    if not sets:
        return []
    return [Path(p) for p in sorted(set.intersection(*sets))]


def _local_path_repo(client: Any) -> Path | None:
    """A ``path.repo`` folder this process can write, i.e. the node runs on this host (the local node)."""
    for p in _path_repos(client):
        if p.is_dir() and os.access(p, os.W_OK | os.X_OK):
            return p
    return None


def _index_counts(client: Any, indices: list[str]) -> dict[str, int]:
    if not indices:
        return {}
    client.indices.refresh(index=",".join(indices))
    return {name: int(client.count(index=name).body["count"]) for name in indices}


@contextmanager
def _fs_repository(client: Any, name: str, location: Path, *, readonly: bool) -> Iterator[None]:
    from elasticsearch import ApiError

    try:
        client.snapshot.create_repository(
            name=name, repository={"type": "fs", "settings": {"location": str(location), "readonly": readonly}}
        )
    except ApiError as exc:
        raise BackupError(f"Elasticsearch refused the snapshot repository at {location}: {exc.message}") from None
    try:
        yield
    finally:
        try:
            client.snapshot.delete_repository(name=name)
        except ApiError as exc:  # the registration only; the files are ours
            logger.warning("could not unregister snapshot repository %s: %s", name, exc)


def _give_to_owner_of(root: Path, like: Path) -> None:
    """Files we (root) copied under the node's ``path.repo`` must be readable by the node's user."""
    st = like.stat()
    if os.geteuid() != 0 or st.st_uid == 0:
        return
    for dirpath, _dirs, names in os.walk(root):
        os.chown(dirpath, st.st_uid, st.st_gid)
        for n in names:
            os.chown(os.path.join(dirpath, n), st.st_uid, st.st_gid)


# --- backup ----------------------------------------------------------------------------------------------------


def _backup_db(settings: Settings, dest: Path) -> dict[str, Any]:
    url = settings.db_url
    (dest / "db").mkdir(parents=True)
    path = _sqlite_path(url)
    if path is not None:
        if not path.is_file():
            raise BackupError(f"database {path}: file not found (nothing to back up; check LW_STATE_DIR / db.url)")
        out = dest / "db" / "laborwatch.sqlite"
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
        dst = sqlite3.connect(out)
        try:
            src.backup(dst)  # the online backup API: a consistent copy while others write
        except sqlite3.Error as exc:
            raise BackupError(f"database {path}: backup failed: {exc}") from None
        finally:
            dst.close()
            src.close()
        db = Database(f"sqlite:///{out}")
        try:
            with db.engine.connect() as conn:
                counts = _table_counts(conn)
        finally:
            db.dispose()
        return {"dialect": "sqlite", "file": "db/laborwatch.sqlite", "tables": counts}
    backend = make_url(url).get_backend_name()
    if backend != "postgresql":
        raise BackupError(f"database {make_url(url).render_as_string()}: backup supports SQLite and PostgreSQL, "
                          f"not {backend}")
    pg_dump = _pg_tool("pg_dump")
    out = dest / "db" / "laborwatch.pgdump"
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                snap = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                counts = _table_counts(conn)  # the same snapshot pg_dump reads
                _run_tool([pg_dump, "-Fc", "--no-owner", f"--snapshot={snap}", "-f", str(out)], _pg_env(url),
                          "pg_dump")
    finally:
        db.dispose()
    return {"dialect": "postgresql", "file": "db/laborwatch.pgdump", "tables": counts}


def _backup_es(settings: Settings, dest: Path, method: str) -> dict[str, Any]:
    from index.templates import posts_indices

    client = _es_client(settings)
    try:
        prefix = settings.es.index_prefix
        indices = posts_indices(client, prefix)
        counts = _index_counts(client, indices)
        info: dict[str, Any] = {"prefix": prefix, "indices": counts}
        (dest / "es").mkdir(parents=True)
        remote = settings.es.snapshot_repository
        if method == "auto":
            method = "snapshot-remote" if remote else ("snapshot" if _local_path_repo(client) else "export")
            if method == "export":
                logger.warning("Elasticsearch at %s has no path.repo this host can write: the posts are exported "
                               "as documents instead of a snapshot", settings.es.url)
        info["method"] = method
        if not indices:
            return info
        snapshot = "laborwatch-" + datetime.now(UTC).strftime("%Y%m%dt%H%M%S") + "-" + os.urandom(3).hex()
        if method == "snapshot-remote":
            if not remote:
                raise BackupError("es.snapshot_repository is unset: name the cluster's registered snapshot repository")
            _snapshot(client, remote, snapshot, indices)
            info.update(repository=remote, snapshot=snapshot)
        elif method == "snapshot":
            base = _local_path_repo(client)
            if base is None:
                raise BackupError(
                    f"Elasticsearch at {settings.es.url}: no path.repo folder on this host; set path.repo in "
                    "elasticsearch.yml (the local node has it since this version: `laborwatch es down && "
                    "laborwatch es up`), or use --es-method export")
            location = base / snapshot
            with _fs_repository(client, snapshot, location, readonly=False):
                _snapshot(client, snapshot, snapshot, indices)
            shutil.copytree(location, dest / "es" / "repo")
            shutil.rmtree(location, ignore_errors=True)
            info.update(snapshot=snapshot, repository_dir="es/repo")
        elif method == "export":
            info["files"] = _export(client, indices, dest / "es")
        else:
            raise BackupError(f"--es-method {method}: use auto, snapshot or export")
        after = _index_counts(client, indices)
        if after != counts:  # a crawl indexed meanwhile: the snapshot holds at least the counted documents
            info["indices_at_end"] = after
        return info
    finally:
        client.close()


def _snapshot(client: Any, repository: str, snapshot: str, indices: list[str]) -> None:
    from elasticsearch import ApiError

    try:
        resp = client.snapshot.create(repository=repository, snapshot=snapshot, indices=",".join(indices),
                                      include_global_state=False, wait_for_completion=True).body
    except ApiError as exc:
        raise BackupError(f"snapshot {repository}/{snapshot} failed: {exc.message} {exc.info}") from None
    snap = resp.get("snapshot", {})
    if snap.get("state") != "SUCCESS":
        raise BackupError(f"snapshot {repository}/{snapshot} ended {snap.get('state')}: {snap.get('failures')}")


def _export(client: Any, indices: list[str], out: Path) -> dict[str, str]:
    from elasticsearch.helpers import scan

    files = {}
    for name in indices:
        meta = client.indices.get(index=name).body[name]
        (out / f"{name}.meta.json").write_text(json.dumps(
            {"mappings": meta["mappings"],
             "analysis": ((meta.get("settings") or {}).get("index") or {}).get("analysis")},
            ensure_ascii=False), encoding="utf-8")
        path = out / f"{name}.ndjson.gz"
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            for hit in scan(client, index=name, query={"query": {"match_all": {}}}, size=500, preserve_order=False):
                fh.write(json.dumps({"_id": hit["_id"], "_source": hit["_source"]}, ensure_ascii=False) + "\n")
        files[name] = path.name
    return files


def _backup_config(settings: Settings, dest: Path) -> dict[str, Any]:
    cfg = settings.config_path
    n = _copy_tree(cfg, dest / "config" / "dir") if cfg.is_dir() else 0
    info: dict[str, Any] = {"config_dir": str(cfg), "files": n}
    sfile = Path(settings.settings_file) if settings.settings_file else None
    if sfile is not None and sfile.is_file() and sfile.parent.resolve() != cfg.resolve():
        (dest / "config" / "settings").mkdir(parents=True, exist_ok=True)
        shutil.copy2(sfile, dest / "config" / "settings" / sfile.name)
        info["settings_file"] = str(sfile)
    return info


def backup(settings: Settings, dest: Path, *, es_method: str = "auto") -> dict[str, Any]:
    """Write a complete backup into ``dest`` (new or empty); returns the manifest."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest}: not an empty folder (a backup goes into a new or empty folder)")
    try:
        dest.mkdir(parents=True, exist_ok=True)
        probe = dest / ".write-probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise BackupError(f"{dest}: cannot write ({exc.strerror})") from None
    t0 = time.monotonic()
    try:
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "host": socket.gethostname(),
        }
        manifest["database"] = _backup_db(settings, dest)  # first: the alerts the journal and index must cover
        manifest["elasticsearch"] = _backup_es(settings, dest, es_method)
        state = settings.state_path
        db_path = _sqlite_path(settings.db_url)
        skip = STATE_SKIP + (_DB_FILES if db_path is not None and db_path.parent == state else ())
        n_state = _copy_tree(state, dest / "state", skip_top=skip) if state.is_dir() else 0
        manifest["state"] = {"state_dir": str(state), "files": n_state, "skipped": list(skip)}
        manifest["config"] = _backup_config(settings, dest)
        files: dict[str, dict[str, Any]] = {}
        for sub in ("db", "es", "state", "config"):
            files.update(_record_files(dest, sub))
        manifest["files"] = files
        manifest["seconds"] = round(time.monotonic() - t0, 2)
    except OSError as exc:
        raise BackupError(f"{exc.filename or dest}: {exc.strerror or exc}") from None
    tmp = dest / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, dest / MANIFEST)
    return manifest


# --- restore ---------------------------------------------------------------------------------------------------


def read_manifest(src: Path) -> dict[str, Any]:
    path = src / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path}: no manifest (not a backup folder, or the backup did not finish)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path}: unreadable manifest ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: format {manifest.get('format') if isinstance(manifest, dict) else '?'} "
                          f"is not {FORMAT}")
    return manifest


def verify(src: Path) -> dict[str, Any]:
    """Check presence, size and SHA-256 of every file the manifest lists; returns the manifest."""
    manifest = read_manifest(src)
    bad = []
    for rel, meta in manifest.get("files", {}).items():
        f = src / rel
        if not f.is_file():
            bad.append(f"{rel}: missing")
        elif f.stat().st_size != meta["bytes"] or _sha256(f) != meta["sha256"]:
            bad.append(f"{rel}: checksum differs")
    if bad:
        raise BackupError(f"{src}: the backup is damaged: " + "; ".join(bad[:5])
                          + (f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""))
    return manifest


def _restore_db(settings: Settings, src: Path, info: dict[str, Any], force: bool) -> dict[str, int]:
    url = settings.db_url
    target = _sqlite_path(url)
    if (target is None) != (info["dialect"] != "sqlite"):
        raise BackupError(f"the backup holds a {info['dialect']} database but db.url is "
                          f"{make_url(url).get_backend_name()} (copy across engines is not supported)")
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            present = _table_counts(conn)
        if any(present.values()) and not force:
            busy = ", ".join(f"{k}={v}" for k, v in present.items() if v)[:200]
            raise BackupError(f"database {make_url(url).render_as_string()} is not empty ({busy}); restore into a "
                              "fresh state (new LW_STATE_DIR / db.url) or pass --force to replace it")
    finally:
        db.dispose()
    if target is not None:
        source = sqlite3.connect(f"file:{src / info['file']}?mode=ro", uri=True)
        dst = sqlite3.connect(target, timeout=60)
        try:
            source.backup(dst)
        finally:
            dst.close()
            source.close()
    else:
        env = _pg_env(url)
        cmd = [_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "-d", env.get("PGDATABASE", "")]
        if force:
            cmd[1:1] = ["--clean", "--if-exists"]
        _run_tool([*cmd, str(src / info["file"])], env, "pg_restore")
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            return _table_counts(conn)
    finally:
        db.dispose()


def _restore_es(settings: Settings, src: Path, info: dict[str, Any], force: bool) -> dict[str, int]:
    from elasticsearch import ApiError
    from elasticsearch.helpers import bulk

    import index

    old, new = info["prefix"], settings.es.index_prefix
    names = {name: new + name[len(old):] for name in info.get("indices", {})}
    client = _es_client(settings)
    try:
        from index.templates import posts_indices

        taken = set(posts_indices(client, new)) & set(names.values())
        if taken and not force:
            raise BackupError(f"index prefix {new}: {', '.join(sorted(taken))} already exist; restore under a new "
                              "es.index_prefix or pass --force to replace them")
        for name in taken:
            client.indices.delete(index=name)
        indexer = index.Indexer(client, settings.es, segmenter=lambda t: t.split())
        indexer.ensure_templates()  # the alias <prefix> and the mapping for new monthly indices
        if not names:
            return {}
        method = info["method"]
        try:
            if method in ("snapshot", "snapshot-remote"):
                rename = {"rename_pattern": "^" + re.escape(old) + r"-(.*)$", "rename_replacement": new + "-$1"}
                body = {"indices": ",".join(names), "include_aliases": False, "include_global_state": False,
                        **rename}
                if method == "snapshot-remote":
                    resp = client.snapshot.restore(repository=info["repository"], snapshot=info["snapshot"],
                                                   wait_for_completion=True, **body)
                else:
                    base = _local_path_repo(client)
                    if base is None:
                        raise BackupError(
                            f"Elasticsearch at {settings.es.url}: no path.repo folder on this host to restore the "
                            "snapshot from; set path.repo in elasticsearch.yml (the local node: `laborwatch es "
                            "down && laborwatch es up`)")
                    repo_name = "restore-" + info["snapshot"]
                    location = base / repo_name
                    shutil.rmtree(location, ignore_errors=True)
                    shutil.copytree(src / info["repository_dir"], location)
                    _give_to_owner_of(location, base)
                    try:
                        with _fs_repository(client, repo_name, location, readonly=True):
                            resp = client.snapshot.restore(repository=repo_name, snapshot=info["snapshot"],
                                                           wait_for_completion=True, **body)
                    finally:
                        shutil.rmtree(location, ignore_errors=True)
                shards = resp.body.get("snapshot", {}).get("shards", {})
                if shards.get("failed"):
                    raise BackupError(f"snapshot restore: {shards['failed']} shard(s) failed")
                client.indices.update_aliases(actions=[{"add": {"index": n, "alias": new}} for n in names.values()])
            elif method == "export":
                for old_name, new_name in names.items():
                    meta = json.loads((src / "es" / f"{old_name}.meta.json").read_text(encoding="utf-8"))
                    body = {"mappings": meta["mappings"], "aliases": {new: {}}}
                    if meta.get("analysis"):
                        body["settings"] = {"analysis": meta["analysis"]}
                    client.indices.create(index=new_name, **body)
                    path = src / "es" / info["files"][old_name]
                    with gzip.open(path, "rt", encoding="utf-8") as fh:
                        actions = ({"_index": new_name, "_id": d["_id"], "_source": d["_source"]}
                                   for d in map(json.loads, fh))
                        bulk(client, actions, chunk_size=500)
            else:
                raise BackupError(f"manifest: unknown Elasticsearch method {method!r}")
        except ApiError as exc:
            raise BackupError(f"Elasticsearch refused the restore: {exc.message} {exc.info}") from None
        return {old_name: c for old_name, c in zip(names, _index_counts(client, list(names.values())).values(),
                                                   strict=True)}
    finally:
        client.close()


def restore(settings: Settings, src: Path, *, force: bool = False, config_to: Path | None = None) -> dict[str, Any]:
    """Restore the backup in ``src`` into the configured state, database and index prefix; returns a report
    with the counts before (manifest) and after. Raises :class:`BackupError` on any difference."""
    manifest = verify(src)
    state = settings.state_path
    state_src = src / "state"
    if state_src.is_dir() and state.is_dir() and not force:
        clash = [rel for rel in (p.relative_to(state_src) for p in _files_under(state_src)) if (state / rel).exists()]
        if clash:
            raise BackupError(f"state folder {state} already holds {clash[0]} (and {len(clash) - 1} more); restore "
                              "into a fresh LW_STATE_DIR or pass --force")
    if config_to is not None and config_to.exists() and any(config_to.iterdir()) and not force:
        raise BackupError(f"--config-to {config_to}: not an empty folder")
    try:
        state.mkdir(parents=True, exist_ok=True)
        tables = _restore_db(settings, src, manifest["database"], force)
        Database.from_settings(settings).upgrade()  # a backup of an older version migrates to this one
        indices = _restore_es(settings, src, manifest["elasticsearch"], force)
        n_state = _copy_tree(state_src, state) if state_src.is_dir() else 0
        n_config = 0
        if config_to is not None:
            for sub in ("dir", "settings"):
                if (src / "config" / sub).is_dir():
                    n_config += _copy_tree(src / "config" / sub, config_to)
    except OSError as exc:
        raise BackupError(f"{exc.filename or state}: {exc.strerror or exc}") from None
    want_tables = manifest["database"]["tables"]
    want_indices = manifest["elasticsearch"].get("indices", {})
    diffs = [f"table {k}: backup {v}, restored {tables.get(k)}" for k, v in want_tables.items()
             if k != "alembic_version" and tables.get(k) != v]
    diffs += [f"index {k}: backup {v}, restored {indices.get(k)}" for k, v in want_indices.items()
              if indices.get(k) != v]
    report = {"tables": tables, "indices": indices, "state_files": n_state, "config_files": n_config,
              "expected_tables": want_tables, "expected_indices": want_indices, "differences": diffs}
    if diffs:
        raise BackupError("restored counts differ from the backup: " + "; ".join(diffs))
    return report

