"""Exceptions of the index room.

LaborwatchError
└── IndexRoomError                 anything the index room raises on purpose
    ├── EsUnavailable              the cluster cannot be reached (message names the URL and what to run)
    ├── LocalNodeError             the project's local node could not be fetched, started or stopped
    ├── MappingError               a mapping/template file is invalid or conflicts with an existing index
    ├── DocumentNotFound           an update/get for a post id that is not in the index
    └── SearchQueryError           a search request is invalid (bad page, size, sort, dates)
"""

from __future__ import annotations

from lwcore.errors import LaborwatchError

__all__ = [
    "IndexRoomError",
    "EsUnavailable",
    "LocalNodeError",
    "MappingError",
    "DocumentNotFound",
    "SearchQueryError",
]


class IndexRoomError(LaborwatchError):
    """Root of the index room's errors."""


class EsUnavailable(IndexRoomError):
    """Elasticsearch cannot be reached. ``url`` is the address tried (None when there was none to try)."""

    def __init__(self, url: str | None, reason: str) -> None:
        self.url = url
        self.reason = reason
        where = f"Elasticsearch at {url}" if url else "Elasticsearch"
        super().__init__(
            f"{where} is unavailable: {reason}; start the local node with `laborwatch es up` "
            f"or point LW_ES_URL at a running cluster"
        )


class LocalNodeError(IndexRoomError):
    """The local node (``laborwatch es fetch/up/down``) failed; the message says why and what to do."""


class MappingError(IndexRoomError):
    """A mapping file is invalid, or Elasticsearch rejected a template/mapping (``file`` when known)."""

    def __init__(self, message: str, *, file: str | None = None) -> None:
        self.file = file
        super().__init__(f"{file}: {message}" if file else message)


class DocumentNotFound(IndexRoomError):
    def __init__(self, post_id: str, alias: str) -> None:
        self.post_id = post_id
        self.alias = alias
        super().__init__(f"post {post_id} is not in index {alias}")


class SearchQueryError(IndexRoomError):
    """A search request cannot be run as given (which field, why)."""
