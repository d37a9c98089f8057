"""``connect(settings)``: an Elasticsearch client for the configured cluster or the running local node.

The URL is ``settings.es.url`` (``LW_ES_URL``) when set, else the URL the local node recorded in its state
file when ``laborwatch es up`` started it. Credentials (basic or API key) and a CA file come from
``settings.es``; secrets are never logged.
"""

from __future__ import annotations

import logging
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch

from index.errors import EsUnavailable
from index.node import read_node_state, state_file
from lwcore.settings import EsSettings, Settings

__all__ = ["connect", "resolve_url", "client_for", "client_kwargs"]

logger = logging.getLogger(__name__)


def resolve_url(settings: Settings) -> str:
    """The cluster URL: ``settings.es.url`` or the running local node's; :class:`EsUnavailable` otherwise."""
    if settings.es.url:
        return settings.es.url
    state = read_node_state(settings)
    if state is None:
        raise EsUnavailable(
            None,
            f"LW_ES_URL is unset and no local node is recorded in {state_file(settings)}",
        )
    return str(state["url"])


def client_kwargs(es: EsSettings) -> dict[str, Any]:
    """Keyword arguments for :class:`elasticsearch.Elasticsearch` from the ES settings (auth, CA, timeouts)."""
    kwargs: dict[str, Any] = {
        "request_timeout": es.request_timeout_s,
        # transport-level retries for a node that blips; the Indexer adds its own backoff on top
        "max_retries": 1,
        "retry_on_timeout": True,
    }
    if es.api_key is not None:
        kwargs["api_key"] = es.api_key.get_secret_value()
    elif es.username:
        password = es.password.get_secret_value() if es.password is not None else ""
        kwargs["basic_auth"] = (es.username, password)
    if es.ca_file:
        kwargs["ca_certs"] = es.ca_file
    if not es.verify_certs:
        kwargs["verify_certs"] = False
        kwargs["ssl_show_warn"] = False
    return kwargs


def client_for(url: str, es: EsSettings, *, check: bool = True) -> Elasticsearch:
    """A client for ``url`` with the auth/TLS options of ``es``; with ``check`` it must answer a health call.

    ``url`` may list several nodes of one cluster, comma-separated (``https://es1:9200,https://es2:9200``): the
    client spreads requests over them and retries on another node when one is down."""
    hosts = [u.strip() for u in url.split(",") if u.strip()]
    client = Elasticsearch(hosts if len(hosts) > 1 else url, **client_kwargs(es))
    if check:
        ping(client, url)
    return client


def ping(client: Elasticsearch, url: str) -> dict[str, Any]:
    """Cluster health, or :class:`EsUnavailable` naming ``url``.

    Uses ``_cluster/health`` rather than ``GET /``: the integ-test distribution the local node runs has no
    root info endpoint.
    """
    try:
        return dict(client.options(request_timeout=10).cluster.health().body)
    except ApiError as exc:
        if exc.status_code in (401, 403):
            raise EsUnavailable(
                url,
                f"authentication refused (HTTP {exc.status_code}); check LW_ES_USERNAME/LW_ES_PASSWORD "
                "or LW_ES_API_KEY",
            ) from None
        raise EsUnavailable(url, f"HTTP {exc.status_code}: {exc.message}") from None
    except TransportError as exc:
        raise EsUnavailable(url, f"{type(exc).__name__}: {exc.message}") from None


def connect(settings: Settings, *, check: bool = True) -> Elasticsearch:
    """A client for the cluster of ``settings``; raises :class:`EsUnavailable` when it does not answer."""
    url = resolve_url(settings)
    logger.debug("connecting to Elasticsearch at %s", url)
    return client_for(url, settings.es, check=check)
