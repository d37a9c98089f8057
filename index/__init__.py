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

import importlib
from typing import Any

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

#: public name -> module; imported on first use so that ``laborwatch --help`` (which imports index.cli)
#: does not pay for the Elasticsearch client
_EXPORTS: dict[str, str] = {
    "connect": "index.client",
    "LocalNode": "index.node",
    "Indexer": "index.indexer",
    "SearchQuery": "index.query",
    "SearchHit": "index.query",
    "SearchResult": "index.query",
    "search": "index.query",
    "build_document": "index.documents",
    "segment_text": "index.documents",
    "index_name": "index.templates",
    "template_name": "index.templates",
    "load_mapping": "index.templates",
    "IndexRoomError": "index.errors",
    "EsUnavailable": "index.errors",
    "LocalNodeError": "index.errors",
    "MappingError": "index.errors",
    "DocumentNotFound": "index.errors",
    "SearchQueryError": "index.errors",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
