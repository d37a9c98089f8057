"""The sample site answering conditional requests like a real web server (issue 21), for the freshness tests.

Every 200 reply of a list page, feed or API (not an article page) carries an ``ETag`` (a hash of the body) and a
``Last-Modified``; a request whose ``If-None-Match`` equals the current ETag gets ``304 Not Modified`` with no
body. ``conditional_hits[path]`` counts the 304s, ``hits[path]`` (the base class) every request.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from crawlers.sample_site import Reply, SampleSite

__all__ = ["ConditionalSite"]

LAST_MODIFIED = "Thu, 12 Sep 2024 03:00:00 GMT"


class ConditionalSite(SampleSite):
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.not_modified: Counter[str] = Counter()
        self.conditional_seen: Counter[str] = Counter()  # requests that carried If-None-Match

    @staticmethod
    def is_list(path: str) -> bool:
        return path.startswith(("/news/list_", "/api/", "/forum/list")) or path.endswith(".xml")

    def finish_reply(self, path: str, headers: Any, reply: Reply) -> Reply:
        status, out_headers, body = reply
        if status != 200 or not self.is_list(path):
            return reply
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        asked = headers.get("If-None-Match")
        if asked:
            with self._lock:
                self.conditional_seen[path] += 1
        if asked == etag:
            with self._lock:
                self.not_modified[path] += 1
            return 304, {"ETag": etag, "Last-Modified": LAST_MODIFIED}, b""
        return status, {**out_headers, "ETag": etag, "Last-Modified": LAST_MODIFIED}, body
