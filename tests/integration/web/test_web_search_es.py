"""Search, verification and export against a real Elasticsearch node (through the FastAPI test client)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from webint_support import PASSWORD, SeededIndex

from laborwatch.web.models import FeedbackLabel
from lwcore.db import Database

pytestmark = pytest.mark.integration


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m
    return m.group(1)


@pytest.fixture
def client_for(seeded_index: SeededIndex, web_db: Database) -> Iterator:  # type: ignore[type-arg]
    from laborwatch.web import create_app

    app = create_app(seeded_index.settings, web_db, es_client=seeded_index.client, segmenter=seeded_index.segmenter)
    clients: list[TestClient] = []

    def login(role: str) -> TestClient:
        c = TestClient(app)
        clients.append(c)
        page = c.get("/login")
        r = c.post("/login", data={"username": f"u_{role}", "password": PASSWORD, "csrf_token": _csrf(page.text)},
                   follow_redirects=False)
        assert r.status_code == 303
        return c

    yield login
    for c in clients:
        c.close()


def test_chinese_query_highlights_facets_histogram(client_for) -> None:  # type: ignore[no-untyped-def]
    c = client_for("readonly")
    r = c.get("/search", params={"q": "拖欠 工资"})  # two terms, both must occur
    assert r.status_code == 200
    html = r.text
    assert "共找到 <b>2</b> 条" in html, re.search(r"共找到.{0,20}", html)
    assert "<em>拖欠</em>" in html and "<em>工资</em>" in html
    assert 'data-facet="event_type"' in html and "拖欠工资</a>" in html and 'data-facet="town"' in html
    assert 'id="histogram"' in html
    r = c.get("/search", params={"q": "拖欠 工资", "town": "赵巷镇"})
    assert "共找到 <b>1</b> 条" in r.text and "快递员" in r.text and "✔ 赵巷镇" in r.text
    r = c.get("/search", params={"q": "拖欠 工資"})  # traditional characters find the simplified posts
    assert "共找到 <b>2</b> 条" in r.text and "已按简体字检索：拖欠 工资" in r.text
    r = c.get("/search", params={"q": "招聘会", "scope": "all"})
    assert "共找到 <b>1</b> 条" in r.text
    r = c.get("/search", params={"q": "招聘会"})
    assert "共找到 <b>0</b> 条" in r.text
    r = c.get("/search", params={"sort": "severity"})
    first = re.search(r'class="hit-title">([^<]+)<', r.text)
    assert first and "华新镇电子厂" in first.group(1)  # level I first
    assert c.get("/search", params={"since": "2026-13-01"}).status_code == 400


def test_verify_post_writes_label_and_index(client_for, seeded_index: SeededIndex, web_db: Database) -> None:  # type: ignore[no-untyped-def]
    import index

    post_id = seeded_index.post_ids[0]
    v = client_for("verifier")
    page = v.get(f"/posts/{post_id}")
    assert page.status_code == 200 and "拖欠30名快递员工资" in page.text
    form = {"decision": "correct", "event_type": ["wage_arrears"], "employer": "上海青浦某物流有限公司",
            "company_id": "91310118TEST00000X", "note": "实为欠薪，未聚集", "csrf_token": _csrf(page.text)}
    r = v.post(f"/posts/{post_id}/verify", data=form)
    assert r.status_code == 200 and "已记录核实结论：更正，共 1 条" in r.text and "暂未写入" not in r.text
    doc = index.Indexer(seeded_index.client, seeded_index.settings.es, segmenter=seeded_index.segmenter).get(post_id)
    assert doc is not None
    assert doc["verification"]["state"] == "confirmed" and doc["verification"]["event_types"] == ["wage_arrears"]
    assert doc["verification"]["by"] == "u_verifier"
    with web_db.session() as s:
        label = s.scalars(select(FeedbackLabel)).one()
    assert label.decision == "correct" and label.model_event_types == ["wage_arrears", "group_action"]
    r = v.get("/search", params={"verification": "confirmed"})  # visible at once: the web refreshes after a decision
    assert "共找到 <b>1</b> 条" in r.text
    # dismiss another post as outside the district
    other = seeded_index.post_ids[4]
    r = v.post(f"/posts/{other}/verify", data={"decision": "not_dispute", "csrf_token": _csrf(page.text)})
    assert "排除（非劳动争议）" in r.text
    r = v.get("/search", params={"verification": "dismissed"})
    assert "共找到 <b>1</b> 条" in r.text and "裁员" in r.text


def test_open_case_from_post(client_for, seeded_index: SeededIndex, web_db: Database) -> None:  # type: ignore[no-untyped-def]
    from webint_support import seed_alert_for_posts

    post_id = seeded_index.post_ids[1]
    alert_id = seed_alert_for_posts(web_db, [post_id], title="华新镇电子厂停产预警")
    d = client_for("duty")
    page = d.get(f"/posts/{post_id}")
    r = d.post(f"/posts/{post_id}/case", data={"csrf_token": _csrf(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    case_page = d.get(r.headers["location"]).text
    assert "华新镇电子厂突然停产" in case_page and "华新镇" in case_page
    facts = case_page.split('id="case-facts"')[1].split("</dl>")[0]
    assert f'href="/alerts/{alert_id}"' in facts  # linked to the alert that cites the post
    summary = facts.split("简要情况</dt><dd>")[1].split("</dd>")[0]
    assert "老板跑路" in summary and "刊发信息《华新镇电子厂突然停产 老板失联》" in summary  # drafted from the text
    evidence = facts.split('id="case-evidence">')[1].split("</dd>")[0]
    assert f'href="/posts/{post_id}">华新镇电子厂停产预警<' in evidence  # the title the alert stored, not the id
    assert f">{post_id}<" not in evidence


def test_search_export_xlsx(client_for) -> None:  # type: ignore[no-untyped-def]
    r = client_for("readonly").get("/search/export.xlsx", params={"q": "工资", "scope": "all"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("发布时间", "标题")
    titles = {row[1] for row in rows[1:]}
    assert "青浦某物流公司拖欠30名快递员工资" in titles and "青浦区举办春季招聘会" not in titles


def test_search_export_keeps_a_crawled_formula_as_text(client_for, seeded_index: SeededIndex) -> None:  # type: ignore[no-untyped-def]
    """A post titled =HYPERLINK(...) (as a crawl can bring) is exported as text, never as a live formula."""
    import zipfile

    import index
    from lwcore.db import utcnow
    from lwcore.domain import Analysis, AnalyzedPost, Post, PostKind

    formula = '=HYPERLINK("http://evil.example/x","青浦欠薪名单")'
    now = utcnow()
    post = Post(id="p-webtest-formula", url="https://news.example.com/qingpu/formula.html", source_id="qingpu-news",
                platform="news", kind=PostKind.NEWS, title=formula, content="某公司拖欠工资，工人讨薪。",
                published_at=now, fetched_at=now)
    indexer = index.Indexer(seeded_index.client, seeded_index.settings.es, segmenter=seeded_index.segmenter)
    analysis = Analysis(post_id=post.id, labor_dispute=True, score=0.9, event_types=("wage_arrears",),
                        model_version="test")
    assert not indexer.index([AnalyzedPost(post, analysis)]).failed
    indexer.refresh()
    r = client_for("verifier").get("/search/export.xlsx", params={"q": "讨薪", "scope": "all"})
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"HYPERLINK" in sheet
    titles = [row[1] for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True)]
    assert formula in titles


def test_reposts_fold_under_one_story(client_for, seeded_index: SeededIndex) -> None:  # type: ignore[no-untyped-def]
    import index
    from lwcore.db import utcnow
    from lwcore.domain import Analysis, AnalyzedPost, Post, PostKind

    now = utcnow()
    items = []
    for i, source in enumerate(("weibo-search", "tieba-qingpu", "xinmin-qingpu")):
        post = Post(id=f"p-webtest-repost-{i}", url=f"https://example.com/repost/{i}", source_id=source,
                    platform="weibo", kind=PostKind.SOCIAL, title="" if i < 2 else "转载：练塘镇某服装厂欠薪",
                    content=f"练塘镇某服装厂拖欠八十名工人工资两个月。转发{i}", published_at=now, fetched_at=now)
        analysis = Analysis(post_id=post.id, labor_dispute=True, score=0.9, event_types=("wage_arrears",),
                            event_id="ev-liantang-garment", model_version="test")
        items.append(AnalyzedPost(post, analysis))
    indexer = index.Indexer(seeded_index.client, seeded_index.settings.es, segmenter=seeded_index.segmenter)
    assert not indexer.index(items).failed
    indexer.refresh()
    html = client_for("readonly").get("/search", params={"q": "服装厂"}).text
    assert "共找到 <b>3</b> 条" in html
    assert html.count('<article class="hit">') == 1 and "同一事件另有 2 条转载或相似报道" in html
    assert "练塘镇某服装厂拖欠八十名工人工资两个月" in html  # a title-less post titled by its first sentence


def test_hits_of_one_incident_fold_and_link_to_its_alert_after_a_merge(  # type: ignore[no-untyped-def]
        client_for, seeded_index: SeededIndex, web_db: Database) -> None:
    """Two posts the NLP put in different event clusters, whose alerts a duty officer merged: the search page
    shows them as one story under the alert they are in now."""
    import index
    from alerting.models import Alert, AlertPost
    from lwcore.db import utcnow
    from lwcore.domain import Analysis, AnalyzedPost, Post, PostKind

    now = utcnow()
    texts = ("华新镇锦绣针织厂拖欠四十名工人工资三个月", "针织厂门口今天聚集了四十多名讨薪的工人")
    items = []
    for i, text in enumerate(texts):
        post = Post(id=f"p-webtest-incident-{i}", url=f"https://example.com/incident/{i}", source_id="weibo-search",
                    platform="weibo", kind=PostKind.SOCIAL, title="", content=text, published_at=now,
                    fetched_at=now)
        items.append(AnalyzedPost(post, Analysis(post_id=post.id, labor_dispute=True, score=0.9,
                                                 event_types=("wage_arrears",), event_id=f"ev-knit-{i}",
                                                 model_version="test")))
    indexer = index.Indexer(seeded_index.client, seeded_index.settings.es, segmenter=seeded_index.segmenter)
    assert not indexer.index(items).failed
    indexer.refresh()
    html = client_for("readonly").get("/search", params={"q": "针织厂"}).text
    assert html.count('<article class="hit">') == 2 and "所属事件" not in html  # no alert yet: two stories
    ids = []
    with web_db.session() as s:
        for it in items:
            a = Alert(cluster_key=f"inc-{it.post.id}", level="II", status="open", silenced=False,
                      title="锦绣针织厂拖欠工资", event_types=["wage_arrears"], rules=["match"], reasons=[],
                      post_count=1, first_seen=now, last_seen=now, created_at=now, updated_at=now)
            s.add(a)
            s.flush()
            s.add(AlertPost(alert_id=a.id, post_id=it.post.id, url=it.post.url, title="", snippet=it.post.content,
                            source_id="weibo-search", platform="weibo", published_at=now, severity="II", score=0.9,
                            event_types=["wage_arrears"], severity_factors=[], added_at=now))
            ids.append(a.id)
        s.get(Alert, ids[0]).merged_into = ids[1]  # merged by hand into the second
        s.get(Alert, ids[1]).post_count = 2
    html = client_for("readonly").get("/search", params={"q": "针织厂"}).text
    assert html.count('<article class="hit">') == 1 and "同一事件另有 1 条转载或相似报道" in html
    assert f'href="/alerts/{ids[1]}"' in html and f"预警 #{ids[1]}（II级，2 条帖子）" in html


def test_subscribed_search_counts_what_is_new(client_for, seeded_index: SeededIndex) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    import index
    from lwcore.db import utcnow
    from lwcore.domain import Analysis, AnalyzedPost, Post, PostKind

    c = client_for("duty")
    page = c.get("/search", params={"q": "讨薪"})
    assert 'id="save-search"' in page.text
    c.post("/search/save", data={"name": "讨薪订阅", "query": "q=讨薪&scope=all", "subscribed": "1",
                                 "csrf_token": _csrf(page.text)})
    assert re.search(r"讨薪订阅.*?0 条", c.get("/searches").text, re.S)
    now = utcnow() + timedelta(seconds=5)
    post = Post(id="p-webtest-new", url="https://example.com/new", source_id="weibo-search", platform="weibo",
                kind=PostKind.SOCIAL, title="", content="重固镇某厂工人集体讨薪。", published_at=now, fetched_at=now)
    analysis = Analysis(post_id=post.id, labor_dispute=True, score=0.9, event_types=("wage_arrears",),
                        model_version="test")
    indexer = index.Indexer(seeded_index.client, seeded_index.settings.es, segmenter=seeded_index.segmenter)
    assert not indexer.index([AnalyzedPost(post, analysis)]).failed
    indexer.refresh()
    listing = c.get("/searches").text
    assert re.search(r"讨薪订阅.*?<b class=\"badge-overdue\">1 条</b>", listing, re.S)
    assert "新增 1 条" in c.get("/").text
    opened = c.get(re.search(r'href="(/searches/\d+/open)"', listing).group(1))  # type: ignore[union-attr]
    assert opened.status_code == 200 and "共找到" in opened.text


def test_subscriptions_send_one_mail_per_search_with_new_posts(seeded_index: SeededIndex, web_db: Database) -> None:
    from datetime import timedelta

    import index
    from alerting.models import OutboxMessage
    from laborwatch.web.accounts import Accounts
    from laborwatch.web.models import SavedSearch
    from laborwatch.web.subscriptions import notify_subscriptions
    from lwcore.db import utcnow
    from lwcore.domain import Analysis, AnalyzedPost, Post, PostKind

    user = Accounts(web_db).add_user("sub_user", PASSWORD, "duty", display_name="孙订阅", email="sun@example.gov.cn")
    start = utcnow() - timedelta(minutes=1)
    with web_db.session() as s:
        s.add(SavedSearch(user_id=user.id, name="白鹤镇讨薪", query="q=白鹤镇&scope=all", subscribed=True,
                          created_at=start, seen_at=start))
        s.add(SavedSearch(user_id=user.id, name="不订阅", query="q=白鹤镇&scope=all", subscribed=False,
                          created_at=start, seen_at=start))
    args = (seeded_index.settings, web_db, seeded_index.client)
    assert notify_subscriptions(*args, segmenter=seeded_index.segmenter) == 0  # nothing new yet
    now = utcnow()
    post = Post(id="p-webtest-sub", url="https://example.com/sub", source_id="weibo-search", platform="weibo",
                kind=PostKind.SOCIAL, title="白鹤镇某厂工人讨薪", content="白鹤镇某厂三十名工人讨薪。",
                published_at=now, fetched_at=now)
    indexer = index.Indexer(seeded_index.client, seeded_index.settings.es, segmenter=seeded_index.segmenter)
    analysis = Analysis(post_id=post.id, labor_dispute=True, score=0.9, event_types=("wage_arrears",),
                        model_version="test")
    assert not indexer.index([AnalyzedPost(post, analysis)]).failed
    indexer.refresh()
    assert notify_subscriptions(*args, segmenter=seeded_index.segmenter, now=now + timedelta(minutes=1)) == 1
    with web_db.session() as s:
        [mail] = list(s.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "sun@example.gov.cn")))
    assert mail.subject == "【订阅检索】白鹤镇讨薪：新增1条信息"
    assert "· 白鹤镇某厂工人讨薪" in mail.payload["text"] and "/searches/" in mail.payload["text"]
    # told once: the next run finds nothing newer
    assert notify_subscriptions(*args, segmenter=seeded_index.segmenter, now=now + timedelta(minutes=31)) == 0


def test_search_without_index_says_so(web_settings, web_db: Database) -> None:  # type: ignore[no-untyped-def]
    from laborwatch.web import create_app

    c = TestClient(create_app(web_settings, web_db))
    page = c.get("/login")
    c.post("/login", data={"username": "u_readonly", "password": PASSWORD, "csrf_token": _csrf(page.text)})
    r = c.get("/search", params={"q": "欠薪"})
    assert r.status_code == 200 and "暂不可用" in r.text
