"""Merging alerts and moving a post by hand in the web UI: roles, CSRF, the alerts' state, history and audit."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from webui_support import csrf_of, seed_alert

from laborwatch.web.models import AuditEntry
from lwcore.db import Database


def test_duty_merges_two_alerts_and_readonly_cannot(client_as: Callable[..., TestClient], web_db: Database) -> None:
    from alerting.models import Alert, AlertPost

    a = seed_alert(web_db, title="赵巷工地欠薪", level="II")
    b = seed_alert(web_db, title="赵巷某工地农民工讨薪", level="I", n_posts=3)
    ro = client_as("readonly")
    page = ro.get(f"/alerts/{a}")
    assert 'id="merge-form"' not in page.text
    assert ro.post(f"/alerts/{a}/merge", data={"csrf_token": csrf_of(page.text), "other": str(b),
                                               "reason": "x"}).status_code == 403
    duty = client_as("duty")
    page = duty.get(f"/alerts/{a}")
    assert 'id="merge-form"' in page.text
    assert duty.post(f"/alerts/{a}/merge", data={"other": str(b), "reason": "同一工地"}).status_code == 403  # CSRF
    r = duty.post(f"/alerts/{a}/merge", data={"csrf_token": csrf_of(page.text), "other": f"#{b}",
                                              "reason": "同一工地，总包与分包"})
    assert r.status_code == 200 and "已将预警" in r.text and "并入其他预警" in r.text
    with web_db.session() as s:
        into, other = s.get(Alert, a), s.get(Alert, b)
        assert into.post_count == 5 and into.level == "I"  # the more severe level of the two
        assert other.status == "closed" and other.merged_into == a
        assert len(list(s.scalars(select(AlertPost).where(AlertPost.alert_id == a)))) == 5
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "alert.merge")).one()
        assert entry.username == "u_duty" and entry.target_id == str(a)
    merged_page = duty.get(f"/alerts/{b}").text
    assert 'id="merged-notice"' in merged_page and f"/alerts/{a}" in merged_page
    # merging into itself, an unknown or an already merged alert is refused with a reason in Chinese
    for other_id, why in ((str(a), "自己"), ("99999", "不存在"), ("abc", "数字")):
        page = duty.get(f"/alerts/{a}")
        r = duty.post(f"/alerts/{a}/merge", data={"csrf_token": csrf_of(page.text), "other": other_id,
                                                  "reason": "试"})
        assert why in r.text


def test_moving_a_post_out_splits_it_into_a_new_alert_and_records_a_label(
    client_as: Callable[..., TestClient], web_db: Database
) -> None:
    from alerting.models import Alert, AlertEvent, AlertPost
    from alerting.regroup import tracking_labels

    a = seed_alert(web_db, title="两起事件被混在一起", n_posts=3)
    duty = client_as("duty")
    page = duty.get(f"/alerts/{a}")
    assert 'id="move-form"' in page.text
    post = f"p-test-{a}-2"
    r = duty.post(f"/alerts/{a}/move-post", data={"csrf_token": csrf_of(page.text), "post_id": post, "to": "",
                                                  "reason": "另一家企业的事"})
    assert r.status_code == 200 and "新预警" in r.text
    with web_db.session() as s:
        row = s.scalars(select(AlertPost).where(AlertPost.post_id == post)).one()
        assert row.alert_id != a
        assert s.get(Alert, a).post_count == 2 and s.get(Alert, row.alert_id).post_count == 1
        kinds = set(s.scalars(select(AlertEvent.kind).where(AlertEvent.alert_id.in_([a, row.alert_id]))))
        assert {"post_moved_out", "post_moved_in"} <= kinds
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "alert.move_post")).one().username == "u_duty"
        new_id = row.alert_id
    labels = list(tracking_labels(web_db))
    assert {"post_id": post, "alert_id": a, "same": False} in [
        {k: x[k] for k in ("post_id", "alert_id", "same")} for x in labels]
    assert any(x["alert_id"] == new_id and x["same"] for x in labels)


def test_the_merged_alerts_ledger_case_follows_it(client_as: Callable[..., TestClient], web_db: Database) -> None:
    from alerting import alert_snapshot
    from alerting.models import Alert, AlertPost
    from ledger import Ledger

    a = seed_alert(web_db, title="总包欠薪")
    b = seed_alert(web_db, title="分包欠薪")
    with web_db.session() as s:
        snap = alert_snapshot(s.get(Alert, b), list(s.scalars(select(AlertPost).where(AlertPost.alert_id == b))))
    case = Ledger(web_db).create_from_alert(snap, by="u_verifier")
    duty = client_as("duty")
    page = duty.get(f"/alerts/{a}")
    r = duty.post(f"/alerts/{a}/merge", data={"csrf_token": csrf_of(page.text), "other": str(b), "reason": "同一项目"})
    assert case.number in r.text
    linked = Ledger(web_db).case_for_alert(str(a))
    assert linked is not None and linked.id == case.id
