"""Versioned mapping files (``index/mappings/posts.v<N>.json``) and the index template built from them.

Indices are monthly, ``<prefix>-YYYY.MM`` (Asia/Shanghai month of ``published_at``, else ``fetched_at``), and
all join the read alias ``<prefix>`` through the template. The template is named ``<prefix>-template-v<N>``
and the mapping carries ``_meta.version = N``. Installing version N removes this prefix's older templates
(same index patterns) and adds the new fields to the existing monthly indices; a change that is not
additive is reported as a :class:`MappingError` naming the index.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from elasticsearch import ApiError, Elasticsearch

from index.errors import MappingError
from lwcore.domain import SHANGHAI

__all__ = [
    "MAPPINGS_DIR",
    "MappingSpec",
    "load_mapping",
    "template_name",
    "index_pattern",
    "index_name",
    "template_body",
    "install_template",
    "posts_indices",
]

logger = logging.getLogger(__name__)

MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"
_FILE_RE = re.compile(r"^posts\.v(\d+)\.json$")


@dataclass(frozen=True, slots=True)
class MappingSpec:
    version: int
    settings: dict[str, Any]
    mappings: dict[str, Any]
    file: Path


def load_mapping(version: int | None = None, *, directory: Path = MAPPINGS_DIR) -> MappingSpec:
    """The posts mapping of ``version`` (default: the newest file), validated."""
    files = {int(m.group(1)): p for p in directory.glob("posts.v*.json") if (m := _FILE_RE.match(p.name))}
    if not files:
        raise MappingError(f"no posts.v<N>.json mapping file in {directory}")
    want = max(files) if version is None else version
    path = files.get(want)
    if path is None:
        raise MappingError(f"no mapping file for version {want} in {directory} (have {sorted(files)})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise MappingError(f"invalid JSON: {exc}", file=str(path)) from None
    if not isinstance(data, dict):
        raise MappingError("top level must be an object", file=str(path))
    if data.get("version") != want:
        raise MappingError(f"'version' is {data.get('version')!r}, the file name says {want}", file=str(path))
    mappings = data.get("mappings")
    if not isinstance(mappings, dict) or not isinstance(mappings.get("properties"), dict):
        raise MappingError("'mappings.properties' must be an object", file=str(path))
    meta_version = (mappings.get("_meta") or {}).get("version")
    if meta_version != want:
        raise MappingError(f"'mappings._meta.version' is {meta_version!r}, expected {want}", file=str(path))
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        raise MappingError("'settings' must be an object", file=str(path))
    return MappingSpec(version=want, settings=settings, mappings=mappings, file=path)


def template_name(prefix: str, version: int) -> str:
    return f"{prefix}-template-v{version}"


def index_pattern(prefix: str) -> str:
    return f"{prefix}-*"


def index_name(prefix: str, when: datetime) -> str:
    """``<prefix>-YYYY.MM`` for the Asia/Shanghai month of ``when`` (aware)."""
    if when.tzinfo is None:
        raise ValueError(f"index_name needs an aware datetime, got {when!r}")
    return f"{prefix}-{when.astimezone(SHANGHAI):%Y.%m}"


def template_body(prefix: str, spec: MappingSpec) -> dict[str, Any]:
    """Composable index template for ``prefix``.

    Priority grows with the prefix length so that a longer, more specific prefix (``a-b`` vs ``a``) wins
    where patterns overlap instead of the two templates being rejected as ambiguous.
    """
    return {
        "index_patterns": [index_pattern(prefix)],
        "priority": 100 + len(prefix),
        "version": spec.version,
        "_meta": {"schema": "laborwatch-posts", "version": spec.version, "prefix": prefix},
        "template": {
            "settings": {"index": spec.settings},
            "mappings": spec.mappings,
            "aliases": {prefix: {}},
        },
    }


def posts_indices(client: Elasticsearch, prefix: str) -> list[str]:
    """Concrete monthly indices of ``prefix`` (sorted)."""
    resp = client.indices.get(
        index=index_pattern(prefix), allow_no_indices=True, ignore_unavailable=True, expand_wildcards="open"
    )
    return sorted(name for name in resp.body if _is_monthly(prefix, name))


def _is_monthly(prefix: str, name: str) -> bool:
    return re.fullmatch(re.escape(prefix) + r"-\d{4}\.\d{2}", name) is not None


def install_template(client: Elasticsearch, prefix: str, spec: MappingSpec) -> dict[str, Any]:
    """Put the template, drop this prefix's older versions, extend existing indices. Returns a summary."""
    name = template_name(prefix, spec.version)
    # an index (not alias) named exactly like the alias would make every new monthly index fail
    try:
        same = client.indices.get(index=prefix, ignore_unavailable=True, allow_no_indices=True).body
    except ApiError:
        same = {}
    if prefix in same:
        raise MappingError(
            f"an index named {prefix!r} exists where the read alias {prefix!r} must be; "
            "move its documents and delete it, or choose another es.index_prefix"
        )
    removed: list[str] = []
    try:
        existing = client.indices.get_index_template(name=f"{prefix}-template-v*").body.get("index_templates", [])
    except ApiError as exc:
        if exc.status_code != 404:
            raise
        existing = []
    for tpl in existing:
        other = tpl["name"]
        m = re.fullmatch(re.escape(prefix) + r"-template-v(\d+)", other)
        if m and int(m.group(1)) > spec.version:
            raise MappingError(
                f"template {other} is newer than this code's mapping v{spec.version}; upgrade laborwatch",
                file=str(spec.file),
            )
        if m and int(m.group(1)) < spec.version:
            client.indices.delete_index_template(name=other)
            removed.append(other)
    try:
        client.indices.put_index_template(name=name, **template_body(prefix, spec))
    except ApiError as exc:
        raise MappingError(
            f"Elasticsearch rejected template {name}: {exc.message} {exc.info}", file=str(spec.file)
        ) from None
    updated: list[str] = []
    for index in posts_indices(client, prefix):
        current = client.indices.get_mapping(index=index).body[index]["mappings"]
        cur_version = (current.get("_meta") or {}).get("version")
        if isinstance(cur_version, int) and cur_version >= spec.version:
            continue
        try:
            client.indices.put_mapping(
                index=index,
                properties=spec.mappings["properties"],
                meta=spec.mappings.get("_meta"),
            )
        except ApiError as exc:
            raise MappingError(
                f"index {index} (mapping v{cur_version}) cannot take mapping v{spec.version}: {exc.message}; "
                "a non-additive change needs a new index and a re-index from the source data",
                file=str(spec.file),
            ) from None
        updated.append(index)
    if removed or updated:
        logger.info("template %s installed; removed %s; indices updated %s", name, removed, updated)
    return {"template": name, "version": spec.version, "removed": removed, "updated_indices": updated}
