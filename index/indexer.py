"""``Indexer``: idempotent bulk indexing of analysed posts, every failed action counted and reported.

- ``_id`` is the post id. Each post goes to the monthly index of its ``post_time``, unless it already lives in
  another monthly index (a re-crawl whose date changed): then it is updated where it lives, so the alias never
  holds two copies. Writes are bulk ``update`` actions with ``doc_as_upsert`` so a re-index refreshes the
  crawled and analysed fields but keeps ``verification`` (set by staff through :meth:`Indexer.update_fields`).
- Bulk goes through ``elasticsearch.helpers.streaming_bulk`` with explicit ``chunk_size``, ``max_retries``
  and backoff for rejected actions (429/502/503/504), ``raise_on_error=False``: each failed action becomes an
  ``(id, reason)`` in :class:`lwcore.domain.IndexOutcome`, the other documents of the chunk are kept.
- Cluster unreachable: the chunk is retried ``bulk_max_retries`` times with exponential backoff; then it and
  every remaining chunk are reported failed (nothing is raised, nothing dropped: the pipeline spools them).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from elastic_transport import ConnectionError as EsConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import ApiError, Elasticsearch
from elasticsearch.helpers import streaming_bulk

from index.documents import Segmenter, build_document, post_time
from index.errors import DocumentNotFound, IndexRoomError
from index.templates import MappingSpec, index_name, install_template, load_mapping
from lwcore.domain import AnalyzedPost, IndexOutcome
from lwcore.settings import EsSettings

__all__ = ["Indexer", "RETRY_STATUSES"]

logger = logging.getLogger(__name__)

#: bulk item statuses retried with backoff by streaming_bulk before an action counts as failed
RETRY_STATUSES: tuple[int, ...] = (429, 502, 503, 504)
_LOOKUP_CHUNK = 1000
_MAX_BACKOFF_S = 60.0


def _permanent(info: dict[str, Any]) -> bool:
    """A bulk item refused for good: a 4xx other than 408/409/429 (a mapping conflict, a field that cannot be
    parsed, a document too large). Retrying it unchanged would fail again."""
    status = info.get("status")
    return isinstance(status, int) and 400 <= status < 500 and status not in (408, 409, 429)


def _reason(info: dict[str, Any]) -> str:
    """One line from a bulk item error: status, type, reason (and the first cause)."""
    status = info.get("status")
    err = info.get("error")
    if isinstance(err, dict):
        text = f"{err.get('type')}: {err.get('reason')}"
        cause = err.get("caused_by")
        if isinstance(cause, dict) and cause.get("reason"):
            text += f" (caused by {cause.get('type')}: {cause.get('reason')})"
    else:
        text = str(err)
    return f"HTTP {status} {text}" if status else text


class Indexer:
    """Bulk writes, lookups and partial updates of posts behind the alias ``es_settings.index_prefix``."""

    def __init__(
        self,
        client: Elasticsearch,
        es_settings: EsSettings,
        *,
        segmenter: Segmenter,
        mapping: MappingSpec | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.es = es_settings
        self.alias = es_settings.index_prefix
        self.segmenter = segmenter
        self.mapping = mapping or load_mapping()
        self._sleep = sleep
        self._templates_ready = False
        self._serializer = client.transport.serializers.get_serializer("application/json")

    # --- templates ---------------------------------------------------------------------------------------

    def ensure_templates(self) -> dict[str, Any]:
        """Install the versioned index template (idempotent); returns what was done."""
        summary = install_template(self.client, self.alias, self.mapping)
        self._templates_ready = True
        return summary

    # --- bulk --------------------------------------------------------------------------------------------

    def index(self, items: Sequence[AnalyzedPost]) -> IndexOutcome:
        outcome = IndexOutcome()
        if not items:
            return outcome
        now = datetime.now(UTC)
        docs: dict[str, tuple[str, dict[str, Any]]] = {}  # id -> (month index, doc); last occurrence wins
        for item in items:
            pid = item.post.id
            try:
                doc = build_document(item, segmenter=self.segmenter, indexed_at=now)
                if doc.get("extra"):
                    self._serializer.dumps(doc["extra"])  # the one free-form part: fail this post, not the chunk
                target = index_name(self.alias, post_time(item.post))
            except Exception as exc:  # isolation boundary: a bad item (or segmenter bug) must not sink the batch
                logger.warning("post %s cannot be turned into a document: %s", pid, exc)
                outcome.rejected.append((pid, f"document build failed: {type(exc).__name__}: {exc}"))
                continue
            docs.pop(pid, None)
            docs[pid] = (target, doc)
        ids = list(docs)
        size = self.es.bulk_chunk_size
        down_reason: str | None = None
        if not self._templates_ready:
            down_reason = self._with_retries("install the index template", self.ensure_templates)
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            if down_reason is not None:
                outcome.failed.extend((pid, down_reason) for pid in chunk)
                continue
            down_reason = self._index_chunk(chunk, docs, outcome)
        if outcome.failed:
            logger.warning(
                "indexed %d post(s), %d failed (first: %s)",
                len(outcome.indexed),
                len(outcome.failed),
                outcome.failed[0],
            )
        else:
            logger.info("indexed %d post(s) into %s", len(outcome.indexed), self.alias)
        return outcome

    def _with_retries(self, what: str, fn: Callable[[], Any]) -> str | None:
        """Run ``fn``; on connection problems retry with backoff. None on success, else the failure reason."""
        attempts = self.es.bulk_max_retries + 1
        for attempt in range(attempts):
            if attempt:
                self._sleep(min(_MAX_BACKOFF_S, self.es.bulk_initial_backoff_s * 2 ** (attempt - 1)))
            try:
                fn()
                return None
            except (EsConnectionError, ConnectionTimeout) as exc:
                why = f"{type(exc).__name__}: {exc.message}"
            except ApiError as exc:
                if exc.status_code not in RETRY_STATUSES:
                    raise
                why = f"HTTP {exc.status_code}: {exc.message}"
            logger.warning("cannot %s (attempt %d/%d): %s", what, attempt + 1, attempts, why)
        return f"Elasticsearch unavailable after {attempts} attempt(s) to {what}: {why}"

    def _index_chunk(
        self, chunk: list[str], docs: dict[str, tuple[str, dict[str, Any]]], outcome: IndexOutcome
    ) -> str | None:
        """Index one chunk; returns a reason when the cluster is unreachable (the rest is then skipped)."""
        done: set[str] = set()

        def attempt() -> None:
            todo = [pid for pid in chunk if pid not in done]
            if not todo:
                return
            where = self.locate(todo)
            actions = []
            for pid in todo:
                target, doc = docs[pid]
                actual = where.get(pid, target)
                if actual != target:
                    logger.info("post %s lives in %s (its date now says %s); updating it there", pid, actual, target)
                actions.append(
                    {
                        "_op_type": "update",
                        "_index": actual,
                        "_id": pid,
                        "retry_on_conflict": 3,
                        "doc": doc,
                        "doc_as_upsert": True,
                    }
                )
            for ok, info in streaming_bulk(
                self.client,
                actions,
                chunk_size=len(actions),
                max_retries=self.es.bulk_max_retries,
                initial_backoff=self.es.bulk_initial_backoff_s,
                max_backoff=_MAX_BACKOFF_S,
                raise_on_error=False,
                raise_on_exception=False,
                retry_on_status=RETRY_STATUSES,
            ):
                res = next(iter(info.values()))
                pid = str(res.get("_id"))
                done.add(pid)
                if ok:
                    outcome.indexed.append(pid)
                elif _permanent(res):
                    outcome.rejected.append((pid, _reason(res)))
                else:
                    outcome.failed.append((pid, _reason(res)))

        reason = self._with_retries(f"bulk-index {len(chunk)} post(s)", attempt)
        if reason is not None:
            outcome.failed.extend((pid, reason) for pid in chunk if pid not in done)
        return reason

    # --- lookups -----------------------------------------------------------------------------------------

    def locate(self, ids: Iterable[str]) -> dict[str, str]:
        """``{post id: concrete index}`` for the ids already indexed (as of the last refresh)."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, str] = {}
        for start in range(0, len(wanted), _LOOKUP_CHUNK):
            part = wanted[start : start + _LOOKUP_CHUNK]
            resp = self.client.search(
                index=self.alias,
                query={"ids": {"values": part}},
                size=len(part),
                source=False,
                ignore_unavailable=True,
                allow_no_indices=True,
                track_total_hits=False,
            )
            for hit in resp["hits"]["hits"]:
                pid, idx = hit["_id"], hit["_index"]
                if pid in found and found[pid] != idx:
                    logger.warning("post %s exists in both %s and %s", pid, found[pid], idx)
                    idx = min(found[pid], idx)
                found[pid] = idx
        return found

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already in the index (the crawlers' incremental check)."""
        return set(self.locate(ids))

    def get(self, post_id: str) -> dict[str, Any] | None:
        """The stored document of ``post_id`` (its ``_source``), or None."""
        resp = self.client.search(
            index=self.alias,
            query={"ids": {"values": [post_id]}},
            size=1,
            ignore_unavailable=True,
            allow_no_indices=True,
        )
        hits = resp["hits"]["hits"]
        return dict(hits[0]["_source"]) if hits else None

    def update_fields(self, post_id: str, fields: dict[str, Any], *, refresh: bool = False) -> None:
        """Merge ``fields`` into the stored document (e.g. ``{"verification": {...}}``).

        Objects merge key by key, lists and scalars are replaced. Raises :class:`DocumentNotFound`.
        """
        if not isinstance(fields, dict) or not fields:
            raise IndexRoomError(f"update_fields({post_id}): fields must be a non-empty dict, got {fields!r}")
        if "id" in fields and fields["id"] != post_id:
            raise IndexRoomError(f"update_fields({post_id}): the id field cannot be changed")
        where = self.locate([post_id])
        if post_id not in where:
            self.refresh()  # it may have been indexed since the last refresh
            where = self.locate([post_id])
        if post_id not in where:
            raise DocumentNotFound(post_id, self.alias)
        try:
            self.client.update(
                index=where[post_id],
                id=post_id,
                doc=fields,
                retry_on_conflict=5,
                refresh="wait_for" if refresh else None,
            )
        except ApiError as exc:
            raise IndexRoomError(
                f"update of post {post_id} in {where[post_id]} rejected: HTTP {exc.status_code} {exc.message}"
            ) from None

    def refresh(self) -> None:
        """Make everything written so far visible to search."""
        self.client.indices.refresh(index=self.alias, ignore_unavailable=True, allow_no_indices=True)
