"""Which incident (alert) each post belongs to, for pages that show posts from the search index.

The index holds what the NLP stage read; incident membership lives with the alerts and changes as the tracker
merges incidents and staff merge alerts or move posts. Reading it from the alerts at display time keeps every
page current without rewriting indexed documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from alerting.models import Alert, AlertPost


@dataclass(frozen=True, slots=True)
class PostIncident:
    alert_id: int  # the alert the post's incident is shown as now (after any merges)
    level: str
    title: str
    post_count: int


def incidents_of_posts(db: Any, post_ids: Iterable[str]) -> dict[str, PostIncident]:
    """The incident of each post that has one (posts that raised no alert have none)."""
    ids = list(dict.fromkeys(post_ids))
    if not ids:
        return {}
    out: dict[str, PostIncident] = {}
    with db.session() as s:
        rows = list(s.execute(select(AlertPost.post_id, AlertPost.alert_id).where(AlertPost.post_id.in_(ids))))
        alerts: dict[int, Alert] = {}

        def get(aid: int) -> Alert | None:
            if aid not in alerts:
                a = s.get(Alert, aid)
                if a is None:
                    return None
                alerts[aid] = a
            return alerts[aid]

        for pid, aid in sorted(rows, key=lambda r: r[1]):
            a = get(aid)
            hops = 0
            while a is not None and a.merged_into is not None and hops < 20:  # a merged alert: where it went
                a, hops = get(a.merged_into), hops + 1
            if a is not None and pid not in out:
                out[pid] = PostIncident(a.id, a.level, a.title, a.post_count)
    return out
