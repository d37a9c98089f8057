"""Subscribed saved searches (订阅检索) by e-mail: each subscription whose search found posts published since it
last notified (or since it was last opened) sends its owner one e-mail through the alerting outbox (so a dead
SMTP server loses nothing). Run by ``laborwatch subscriptions notify`` (e.g. every 30 minutes from cron or the
scheduler)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from starlette.datastructures import QueryParams

from laborwatch.web.labels import fmt_time, post_title
from laborwatch.web.models import SavedSearch, User
from lwcore.db import Database, utcnow
from lwcore.settings import Settings

__all__ = ["notify_subscriptions"]

logger = logging.getLogger(__name__)

LISTED = 5


def notify_subscriptions(settings: Settings, db: Database, es_client: Any, *, segmenter: Any | None = None,
                         now: datetime | None = None) -> int:
    """Queue one e-mail per subscription with new posts; returns how many were queued."""
    import index
    from alerting.outbox import enqueue
    from laborwatch.web.routes.search import SearchForm

    now = now or utcnow()
    if segmenter is None:
        from nlp.segment import Segmenter

        segmenter = Segmenter.from_settings(settings).cut
    with db.session() as s:
        pairs = list(s.execute(
            select(SavedSearch, User).join(User, User.id == SavedSearch.user_id)
            .where(SavedSearch.subscribed.is_(True), User.active.is_(True), User.email.is_not(None))
        ).all())
    base = settings.alerting.base_url.rstrip("/")
    queued = 0
    for saved, user in pairs:
        since = max(t for t in (saved.notified_at, saved.seen_at, saved.created_at) if t is not None)
        form = SearchForm.parse(QueryParams(saved.query))
        try:
            query = form.query(page=1, size=LISTED)
            query = replace(query, since=max(query.since, since) if query.since else since, sort="time")
            result = index.search(es_client, settings.es, query, segmenter=segmenter)
        except Exception as exc:  # noqa: BLE001 - isolation boundary: one broken search must not stop the others
            logger.warning("subscription %d (%s): search failed: %s", saved.id, saved.name, exc)
            continue
        if not result.total:
            continue
        link = f"{base}/searches/{saved.id}/open"
        subject = f"【订阅检索】{saved.name}：新增{result.total}条信息"
        lines = [f"{user.display_name or user.username}：", "",
                 f"您订阅的检索「{saved.name}」自{fmt_time(since)}以来新发布{result.total}条信息"
                 + (f"，最新{LISTED}条：" if result.total > LISTED else "：")]
        for h in result.hits:
            lines.append(f"· {post_title(h.title, h.snippet)}（{fmt_time(h.post_time or h.published_at)}）")
        lines += ["", f"查看全部：{link}", "", f"{settings.bureau}舆情监测系统自动发送；在「常用检索」中可取消订阅。"]
        text = "\n".join(lines)
        html = "<br>".join(_escape(line) for line in lines[:-3]) + \
            f'<br><br><a href="{_escape(link)}">查看全部</a><br><br>{_escape(lines[-1])}'
        with db.session() as s:
            row = enqueue(s, dedup_key=f"saved:{saved.id}:{now:%Y%m%d%H%M}", channel="email",
                          recipient=str(user.email), kind="digest", subject=subject,
                          payload={"text": text, "html": html}, sender=settings.smtp.sender, now=now)
            stored = s.get(SavedSearch, saved.id)
            if stored is not None:
                stored.notified_at = now
        queued += int(row is not None)
    logger.info("subscriptions: %d e-mails queued for %d subscriptions", queued, len(pairs))
    return queued


def _escape(text: str) -> str:
    import html

    return html.escape(text)
