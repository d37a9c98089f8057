"""The index room: Elasticsearch node provisioning, client, versioned mappings, bulk indexing and search.

Public surface (everything else is private to the room)::

    connect(settings) -> Elasticsearch          the configured cluster, or the running local node
    LocalNode(settings)                         fetch() / up() / down() / status() / url
    Indexer(client, es_settings, segmenter=...) ensure_templates() / index() / existing_ids() / get() /
                                                update_fields() / refresh()
    SearchQuery, search(...) -> SearchResult    full text + filters + facets + highlights

Errors: IndexRoomError (a LaborwatchError) > EsUnavailable, LocalNodeError, MappingError, DocumentNotFound,
SearchQueryError (see index.errors).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lwcore.lazy import lazy_exports

if TYPE_CHECKING:
    from index.client import connect
    from index.documents import build_document, segment_text
    from index.errors import (
        DocumentNotFound,
        EsUnavailable,
        IndexRoomError,
        LocalNodeError,
        MappingError,
        SearchQueryError,
    )
    from index.indexer import Indexer
    from index.node import LocalNode
    from index.query import SearchHit, SearchQuery, SearchResult, search
    from index.templates import index_name, load_mapping, template_name

__all__ = [
    "connect",
    "LocalNode",
    "Indexer",
    "SearchQuery",
    "SearchHit",
    "SearchResult",
    "search",
    "build_document",
    "segment_text",
    "index_name",
    "template_name",
    "load_mapping",
    "IndexRoomError",
    "EsUnavailable",
    "LocalNodeError",
    "MappingError",
    "DocumentNotFound",
    "SearchQueryError",
]

# imported on first use so that ``laborwatch --help`` (which imports index.cli) does not pay for the
# Elasticsearch client
__getattr__, __dir__ = lazy_exports(
    __name__,
    globals(),
    {
        "connect": ".client",
        "LocalNode": ".node",
        "Indexer": ".indexer",
        "SearchQuery": ".query",
        "SearchHit": ".query",
        "SearchResult": ".query",
        "search": ".query",
        "build_document": ".documents",
        "segment_text": ".documents",
        "index_name": ".templates",
        "template_name": ".templates",
        "load_mapping": ".templates",
        "IndexRoomError": ".errors",
        "EsUnavailable": ".errors",
        "LocalNodeError": ".errors",
        "MappingError": ".errors",
        "DocumentNotFound": ".errors",
        "SearchQueryError": ".errors",
    },
)
