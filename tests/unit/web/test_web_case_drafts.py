"""Cases drafted from what was published, titles for title-less posts."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from webui_support import csrf_of, seed_alert

from laborwatch.web.labels import post_title
from lwcore.db import Database


def test_title_less_posts_get_their_first_sentence() -> None:
    assert post_title("", "青浦某厂拖欠工资三个月，工人聚集讨薪。老板失联") == "青浦某厂拖欠工资三个月，工人聚集讨薪"
    assert post_title(None, "#青浦欠薪# 三个月没发工资了!!后续") == "#青浦欠薪# 三个月没发工资了"
    assert post_title("  ", "") == "（无标题）" and post_title("有标题", "正文") == "有标题"
    assert post_title(None, "字" * 60).endswith("…") and len(post_title(None, "字" * 60)) == 41


def test_case_from_alert_summary_is_drafted_from_the_evidence(client_as: Callable[..., TestClient],
                                                              web_db: Database) -> None:
    from alerting.models import AlertPost

    alert_id = seed_alert(web_db, n_posts=1)
    with web_db.session() as s:
        post = s.query(AlertPost).filter_by(alert_id=alert_id).one()
        post.title = ""  # a Weibo post
    duty = client_as("duty")
    page = duty.get(f"/alerts/{alert_id}").text
    assert "三十多名工人聚集讨薪，公司拖欠三个月工资约30万元" in page.split('id="evidence"')[1]  # no （无标题）
    r = duty.post(f"/alerts/{alert_id}/case", data={"csrf_token": csrf_of(page)})
    summary = r.text.split("简要情况</dt><dd>")[1].split("</dd>")[0]
    assert "网络上出现1条相关信息，反映上海青浦某物流有限公司（赵巷镇）拖欠工资问题" in summary
    assert "涉及约30人" in summary and "三十多名工人聚集讨薪" in summary
    assert "关键词：欠薪" not in summary and "规则" not in summary  # not the rule texts


def test_cases_and_incidents_opened_by_hand(client_as: Callable[..., TestClient], web_db: Database) -> None:
    from ledger import Incidents, Ledger

    duty = client_as("duty")
    page = duty.get("/cases/new")
    assert page.status_code == 200 and "练塘镇" in page.text  # the district's towns to choose from
    token = csrf_of(page.text)
    r = duty.post("/cases/new", data={"title": "", "csrf_token": token})
    assert r.status_code == 400 and "未登记：案件名称不能为空" in r.text
    r = duty.post("/cases/new", data={"title": "来访反映某餐饮公司欠薪", "town": "练塘镇", "workers": "十二",
                                      "csrf_token": token})
    assert r.status_code == 400 and "涉及人数须为人数" in r.text and 'value="来访反映某餐饮公司欠薪"' in r.text
    r = duty.post("/cases/new", data={"title": "来访反映某餐饮公司欠薪", "town": "练塘镇", "workers": "12",
                                      "dispute_type": ["wage_arrears"], "summary": "12名服务员来访", "csrf_token": token})
    assert r.status_code == 200 and "已登记台账" in r.text
    [case] = Ledger(web_db).list_cases()[0]
    assert (case.title, case.town, case.workers, list(case.dispute_types)) == \
        ("来访反映某餐饮公司欠薪", "练塘镇", 12, ["wage_arrears"])
    r = duty.post("/incidents/new", data={"title": "白鹤镇某厂工人聚集", "level": "II", "town": "白鹤镇",
                                          "workers": "40", "csrf_token": token})
    assert r.status_code == 200 and "已登记突发事件" in r.text and "白鹤镇某厂工人聚集" in r.text
    [incident] = Incidents(web_db).list()[0]
    assert incident.level.value == "II" and incident.workers == 40
    verifier = client_as("verifier")
    assert verifier.get("/incidents/new").status_code == 403  # stepping incidents is the duty's job
