"""Constants and types shared by the web integration tests (imported by module name)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lwcore.settings import Settings

PASSWORD = "correct-horse-9"
ROLES = ("admin", "duty", "verifier", "readonly")

#: (title, content, labour dispute?, event types, severity, town, company name)
POSTS: tuple[tuple[str, str, bool, tuple[str, ...], str | None, str | None, str | None], ...] = (
    ("青浦某物流公司拖欠30名快递员工资",
     "赵巷镇某物流有限公司拖欠30多名快递员三个月工资，共计约30万元，工人到公司门口讨薪。",
     True, ("wage_arrears", "group_action"), "II", "赵巷镇", "上海青浦某物流有限公司"),
    ("华新镇电子厂突然停产 老板失联", "华新镇一家电子厂突然停产，老板跑路，两百多名工人的工资和社保没有着落。",
     True, ("closure_relocation", "wage_arrears", "social_insurance_arrears"), "I", "华新镇", "上海某电子有限公司"),
    ("朱家角镇某工地农民工讨薪", "朱家角镇一处工地的农民工反映，包工头拖欠工资半年，约二十人。",
     True, ("wage_arrears",), "III", "朱家角镇", None),
    ("青浦区举办春季招聘会", "青浦区人社局举办春季招聘会，提供岗位三千余个，现场求职者众多。",
     False, (), None, None, None),
    ("某公司裁员未支付经济补偿", "徐泾镇某科技公司裁员五十人，员工称公司未按规定支付经济补偿金。",
     True, ("dismissal_layoff",), "III", "徐泾镇", "上海某科技有限公司"),
)


@dataclass
class SeededIndex:
    settings: Settings
    client: Any
    segmenter: Any
    post_ids: list[str]


def seed_alert_for_posts(db: Any, post_ids: list[str], *, level: str = "II",
                         title: str = "赵巷镇某物流公司拖欠快递员工资") -> int:
    """An open alert whose evidence is the given (indexed) posts, written into the alerting tables."""
    from datetime import timedelta

    from alerting.models import Alert, AlertEvent, AlertPost
    from lwcore.db import utcnow

    now = utcnow()
    with db.session() as s:
        alert = Alert(
            cluster_key=f"ev-webtest-{now.timestamp()}", level=level, status="open", silenced=False, title=title,
            company_id="91310118TEST00000X", company_name="上海青浦某物流有限公司", company_registered=True,
            key_supervision=False, town="赵巷镇", industry="物流", event_types=["wage_arrears", "group_action"],
            rules=["match"], reasons=["关键词：拖欠工资", "涉及30人"], post_count=len(post_ids), workers=30,
            amount_yuan=300000.0, max_severity=level, unit="劳动监察大队", first_seen=now, last_seen=now,
            created_at=now, updated_at=now, notified_level=level, notified_at=now, notified_post_count=len(post_ids),
            ack_deadline=now + timedelta(minutes=30), escalation_step=0,
        )
        s.add(alert)
        s.flush()
        for pid in post_ids:
            s.add(AlertPost(alert_id=alert.id, post_id=pid, url=f"https://news.example.com/{pid}", title=title,
                            snippet="赵巷镇某物流有限公司拖欠30多名快递员三个月工资。", source_id="qingpu-news",
                            platform="news", published_at=now, severity=level, score=0.95,
                            event_types=["wage_arrears"], workers=30, amount_yuan=300000.0, severity_factors=[],
                            added_at=now))
        s.add(AlertEvent(alert_id=alert.id, at=now, kind="created", actor=None, detail={}))
        return int(alert.id)
