"""An alert is rendered once per notification, yet every e-mail recipient gets their own signed ack link."""

from __future__ import annotations

import re

from alerting import AlertEngine
from alerting.ack import verify_token
from alerting.engine import _ACK_PLACEHOLDER
from alerting.testing import make_item


def test_each_recipient_gets_their_own_link_and_no_placeholder_leaks(settings, db, clock, notifier):
    eng = AlertEngine.from_settings(settings, db, clock=clock, notifier_factory=notifier.factory)
    [a] = eng.process([make_item(event_id="links", event_types=("group_action",), workers=50)])
    mails = [m for m in notifier.sent if "@" in m.recipient]
    assert len({m.recipient for m in mails}) >= 2  # several e-mail recipients
    for m in mails:
        for part in (m.payload["text"], m.payload["html"]):
            assert _ACK_PLACEHOLDER not in part
            tokens = set(re.findall(r"/ack/([A-Za-z0-9_.\-]+)", part))
            assert len(tokens) == 1, part
            assert verify_token(settings, tokens.pop(), now=clock.now) == (a.id, m.recipient)
    for m in notifier.sent:
        assert all(_ACK_PLACEHOLDER not in str(v) for v in m.payload.values())


def test_alert_email_names_the_industry_in_chinese(settings, db, clock, notifier):
    eng = AlertEngine.from_settings(settings, db, clock=clock, notifier_factory=notifier.factory)
    eng.process([make_item(event_id="industry", event_types=("group_action",), workers=50)])
    mail = next(m for m in notifier.sent if "@" in m.recipient)
    assert "行业：物流快递" in mail.payload["text"] and "logistics" not in mail.payload["text"]
    assert "logistics" not in mail.payload["html"]
    # the source is named (test-source is not in sources.yaml: the platform's Chinese name stands in)
    assert "来源：微博（微博）" in mail.payload["text"] and "test-source" not in mail.payload["text"]
    assert "weibo" not in mail.payload["html"].split("<body", 1)[-1].replace("weibo.com", "")


def test_source_names_come_from_sources_yaml(tmp_path):
    from alerting.texts import platform_label, source_names
    from lwcore.settings import REPO_ROOT

    names = source_names(REPO_ROOT / "configs" / "sources.yaml")
    assert names["weibo-search"].startswith("微博搜索") and names["people-liuyan-shanghai"].startswith("人民网")
    assert source_names(tmp_path / "missing.yaml") == {}
    assert platform_label("tieba") == "百度贴吧" and platform_label("new-site") == "其他平台"
