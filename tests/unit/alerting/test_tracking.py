"""Incident tracking: each cause that split one incident into several alerts under the fixed key, and the
cases that must stay apart. Analyses are built by hand (the tracker reads only what the NLP stage gives it)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from alerting import AlertEngine
from alerting.engine import merge_alerts
from alerting.models import Alert, AlertEvent, AlertPost, OutboxMessage
from alerting.testing import T0, CapturingNotifier, FakeClock, company
from alerting.testing import make_item as _make_item
from alerting.tracking import IncidentProfile, IncidentTracker, PostSignal, core_name, non_report_genre, signal_of
from lwcore.db import Database
from lwcore.domain import CompanyLink, Severity
from lwcore.settings import Settings

SITE = company("上海赵巷新城建设发展有限公司", "TEST-ZX-1", town="赵巷镇", industry="construction")
SUB = company("上海众诚劳务派遣有限公司", "TEST-ZC-2", town="华新镇", industry="labour_dispatch")
KNIT = company("上海华新针织有限公司", "TEST-HX-3", town="华新镇", industry="garment")


def _engine(settings: Settings, db: Database, clock: FakeClock, notifier: CapturingNotifier) -> AlertEngine:
    return AlertEngine.from_settings(settings, db, clock=clock, notifier_factory=notifier.factory)


def _alert_of(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {p: a for a, p in s.execute(select(AlertPost.alert_id, AlertPost.post_id))}


def make_item(**kw):  # noqa: ANN003, ANN201
    """alerting.testing.make_item without its default logistics title (the tracker reads the title too)."""
    kw.setdefault("title", "")
    return _make_item(**kw)


def _feed(eng: AlertEngine, clock: FakeClock, items: list) -> None:  # noqa: ANN001
    for it in items:  # one crawl per post, a little after it was published
        clock.now = it.post.published_at + timedelta(minutes=10)
        eng.process([it])


def test_an_incident_crossing_a_sunday_stays_one_alert(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    saturday = T0 + timedelta(days=5)  # T0 is a Monday
    items = [
        make_item(post_id="sat", event_id="week-1", companies=(SITE,), towns=("赵巷镇",), at=saturday,
                  content="上海赵巷新城建设发展有限公司拖欠工人三个月工资"),
        make_item(post_id="mon", event_id="week-2", companies=(SITE,), towns=("赵巷镇",), at=saturday + timedelta(days=2),
                  content="赵巷新城建设的工人还在讨薪，工资没发"),
    ]
    _feed(eng, clock, items)
    got = _alert_of(db)
    assert got["sat"] == got["mon"]


def test_types_accumulate_and_the_grown_incident_raises_its_own_alert(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    first = make_item(post_id="a1", event_id="arrears", companies=(SITE,), towns=("赵巷镇",), severity=Severity.III,
                      workers=12, content="赵巷新城建设拖欠12名工人工资")
    grow = make_item(post_id="a2", event_id="gathering", companies=(SITE,), towns=("赵巷镇",),
                     event_types=("group_action", "wage_arrears"), severity=Severity.I, workers=60,
                     at=T0 + timedelta(days=1), content="赵巷新城建设门口60多名工人聚集讨薪")
    _feed(eng, clock, [first, grow])
    got = _alert_of(db)
    assert got["a1"] == got["a2"]
    with db.session() as s:
        alert = s.get(Alert, got["a1"])
        assert alert.level == "I" and {"group_action", "wage_arrears"} <= set(alert.event_types)
        kinds = [e.kind for e in s.scalars(select(AlertEvent).where(AlertEvent.alert_id == alert.id))]
        assert "level_raised" in kinds
        subjects = [m.subject for m in s.scalars(select(OutboxMessage).where(OutboxMessage.alert_id == alert.id))]
    assert any(sub.startswith("【升级为") for sub in subjects)


def test_a_grown_incident_already_at_level_one_gets_a_follow_up_on_the_same_alert(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    first = make_item(post_id="b1", companies=(SITE,), towns=("赵巷镇",), severity=Severity.I, workers=40,
                      event_types=("wage_arrears",), content="赵巷新城建设拖欠40名工人工资")
    grow = make_item(post_id="b2", companies=(SITE,), towns=("赵巷镇",), severity=Severity.I, workers=120,
                     event_types=("wage_arrears", "group_action"), at=T0 + timedelta(hours=20),
                     content="赵巷新城建设120名工人聚集讨薪")
    _feed(eng, clock, [first, grow])
    got = _alert_of(db)
    assert got["b1"] == got["b2"]
    subjects = [m.subject for m in notifier.sent]
    assert any("续报" in x for x in subjects), subjects
    # the 续报 answers the first e-mail each recipient got: one thread in the mail client
    first = {m.recipient: m.message_id for m in notifier.sent if "续报" not in m.subject}
    follow = [m for m in notifier.sent if "续报" in m.subject]
    # (the shift changed in between: the new officer gets it as a first message, those told before as a reply)
    replies = [m for m in follow if m.recipient in first]
    assert replies and all(m.payload["headers"]["In-Reply-To"] == first[m.recipient] for m in replies)
    assert all("In-Reply-To" not in m.payload["headers"] for m in follow if m.recipient not in first)


def test_contractor_and_subcontractor_named_apart_join_through_a_post_naming_both(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    items = [
        make_item(post_id="c1", companies=(SITE, SUB), towns=("赵巷镇", "华新镇"),
                  content="总包赵巷新城建设把钱给了分包众诚劳务，众诚劳务拖欠工人工资"),
        make_item(post_id="c2", companies=(SUB,), towns=("华新镇",), at=T0 + timedelta(hours=5),
                  content="众诚劳务派遣欠薪，工人讨薪无门"),
        make_item(post_id="c3", companies=(SITE,), towns=("赵巷镇",), at=T0 + timedelta(hours=9),
                  content="赵巷新城建设的工地停工了，工资还是没有"),
    ]
    _feed(eng, clock, items)
    got = _alert_of(db)
    assert got["c1"] == got["c2"] == got["c3"]


def test_two_incidents_merge_when_a_later_post_names_both_firms(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    items = [
        make_item(post_id="d1", companies=(SITE,), towns=("赵巷镇",), content="赵巷新城建设拖欠工资"),
        make_item(post_id="d2", companies=(SUB,), towns=("华新镇",), at=T0 + timedelta(hours=2),
                  content="众诚劳务拖欠农民工工资"),
        make_item(post_id="d3", companies=(SITE, SUB), towns=("赵巷镇",), at=T0 + timedelta(hours=6),
                  content="总包赵巷新城建设和分包众诚劳务互相推诿，工人工资没人给"),
    ]
    _feed(eng, clock, items)
    got = _alert_of(db)
    assert got["d1"] == got["d2"] == got["d3"]
    with db.session() as s:
        merged = list(s.scalars(select(Alert).where(Alert.merged_into.is_not(None))))
    assert len(merged) == 1 and merged[0].status == "closed" and merged[0].merged_into == got["d1"]


def test_a_description_joins_the_firm_in_that_town_and_industry(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    items = [
        make_item(post_id="e1", companies=(SITE,), towns=("赵巷镇",), content="赵巷新城建设拖欠农民工工资三个月"),
        make_item(post_id="e2", companies=(), towns=("赵巷镇",), at=T0 + timedelta(hours=7),
                  content="赵巷一工地几十个农民工还在讨薪"),
    ]
    _feed(eng, clock, items)
    got = _alert_of(db)
    assert got["e1"] == got["e2"]
    with db.session() as s:
        ap = s.scalar(select(AlertPost).where(AlertPost.post_id == "e2"))
        assert ap.signal["description"] == "赵巷一工地"
        link = ap.signal["decision"]["description_link"]
        assert link.startswith("赵巷一工地 -> 上海赵巷新城建设发展有限公司（") and 0.5 < float(link[-5:-1]) < 1.0


def test_a_description_seen_before_the_named_post_is_merged_into_its_incident(settings, db, clock, notifier):
    """Issue 16 (chaos bench): arrival order must not split an incident. The description alone, then the firm's
    post: the firm's incident would have taken the description the other way round, so it takes it now."""
    eng = _engine(settings, db, clock, notifier)
    items = [
        make_item(post_id="r2", companies=(), towns=("赵巷镇",), content="赵巷一工地几十个农民工还在讨薪"),
        make_item(post_id="r1", companies=(SITE,), towns=("赵巷镇",), at=T0 + timedelta(hours=7),
                  content="赵巷新城建设拖欠农民工工资三个月"),
    ]
    _feed(eng, clock, items)
    got = _alert_of(db)
    assert got["r1"] == got["r2"]
    with db.session() as s:
        live = list(s.scalars(select(Alert).where(Alert.merged_into.is_(None))))
    assert len(live) == 1 and live[0].post_count == 2


def test_a_description_of_another_industry_or_town_does_not_join(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    items = [
        make_item(post_id="f1", companies=(SITE,), towns=("赵巷镇",), content="赵巷新城建设拖欠农民工工资三个月"),
        make_item(post_id="f2", companies=(), towns=("赵巷镇",), at=T0 + timedelta(hours=3),
                  content="赵巷一家服装厂的车位工说工资拖了两个月"),
        make_item(post_id="f3", companies=(), towns=("练塘镇",), at=T0 + timedelta(hours=4),
                  content="练塘一工地的泥瓦工讨薪"),
    ]
    _feed(eng, clock, items)
    got = _alert_of(db)
    assert got["f2"] != got["f1"] and got["f3"] != got["f1"]


def test_descriptions_of_another_industry_or_town_seen_first_stay_apart(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    items = [
        make_item(post_id="g2", companies=(), towns=("赵巷镇",), content="赵巷一家服装厂的车位工说工资拖了两个月"),
        make_item(post_id="g3", companies=(), towns=("练塘镇",), at=T0 + timedelta(hours=1),
                  content="练塘一工地的泥瓦工讨薪"),
        make_item(post_id="g1", companies=(SITE,), towns=("赵巷镇",), at=T0 + timedelta(hours=4),
                  content="赵巷新城建设拖欠农民工工资三个月"),
    ]
    _feed(eng, clock, items)
    got = _alert_of(db)
    assert got["g2"] != got["g1"] and got["g3"] != got["g1"] and got["g2"] != got["g3"]


def test_a_repost_without_any_name_joins_what_it_reposts(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    text = "在赵巷新城建设干了大半年工资一分没拿到，20多个工友被拖欠4个月，老板姓周，电话打不通"
    items = [
        make_item(post_id="g1", companies=(SITE,), towns=("赵巷镇",), content=text),
        make_item(post_id="g2", companies=(), towns=(), at=T0 + timedelta(hours=12),
                  content="转发微博 帮扩散//@打工人阿强:" + text.replace("赵巷新城建设", "这家公司")),
    ]
    _feed(eng, clock, items)
    got = _alert_of(db)
    assert got["g1"] == got["g2"]


def test_a_mislinked_similar_name_follows_its_mention_and_similar_firms_stay_apart(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    # the NLP linked the mention 华新针织厂 to a similar registry firm 华腾针织 (a fuzzy link, low confidence)
    wrong = CompanyLink(mention="华新针织厂", company_id="TEST-HT-4", name="上海华腾针织有限公司", confidence=0.7,
                        method="fuzzy", town="华新镇", industry="garment")
    other = company("上海华腾针织有限公司", "TEST-HT-4", town="华新镇", industry="garment")
    items = [
        make_item(post_id="h1", companies=(KNIT,), towns=("华新镇",), content="华新针织拖欠工人工资两个月"),
        make_item(post_id="h2", companies=(wrong,), towns=("华新镇",), at=T0 + timedelta(hours=6),
                  content="华新针织厂的工人还在等工资"),
        make_item(post_id="h3", companies=(other,), towns=("华新镇",), at=T0 + timedelta(hours=8),
                  content="上海华腾针织有限公司裁员不给补偿", event_types=("dismissal_layoff",)),
    ]
    _feed(eng, clock, items)
    got = _alert_of(db)
    assert got["h1"] == got["h2"]
    assert got["h3"] != got["h1"]


def test_incidents_close_after_the_idle_window(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    items = [
        make_item(post_id="i1", companies=(SITE,), towns=("赵巷镇",), content="赵巷新城建设拖欠工资"),
        make_item(post_id="i2", companies=(SITE,), towns=("赵巷镇",), at=T0 + timedelta(days=30),
                  content="赵巷新城建设又欠薪了"),
    ]
    _feed(eng, clock, items)
    got = _alert_of(db)
    assert got["i1"] != got["i2"]


def test_reprocessing_changes_nothing_and_a_second_engine_sees_the_same_incidents(settings, db, clock, notifier):
    first = make_item(post_id="j1", companies=(SITE,), towns=("赵巷镇",), content="赵巷新城建设拖欠工资")
    _feed(_engine(settings, db, clock, notifier), clock, [first])
    sent = len(notifier.sent)
    other = _engine(settings, db, clock, notifier)  # another process: state comes from the database
    later = make_item(post_id="j2", companies=(SITE,), towns=("赵巷镇",), at=T0 + timedelta(hours=3),
                      content="赵巷新城建设的工人讨薪")
    _feed(other, clock, [first, later])
    got = _alert_of(db)
    assert got["j1"] == got["j2"]
    with db.session() as s:
        assert s.scalar(select(AlertPost).where(AlertPost.post_id == "j1")) is not None
        assert len(list(s.scalars(select(AlertPost).where(AlertPost.post_id == "j1")))) == 1
    assert len(notifier.sent) == sent  # same level, nothing new to tell


def test_meetings_notices_and_adverts_raise_no_alert(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    meeting = make_item(post_id="k1", companies=(), towns=("华新镇",), title="华新镇召开根治欠薪工作推进会",
                        content="会议部署了冬季根治欠薪专项行动，要求确保农民工工资按时足额支付。")
    advert = make_item(post_id="k2", companies=(KNIT,), title="",
                       content="上海华新针织有限公司招聘普工20名，包吃住，工资按月发放从不拖欠，缴纳五险")
    assert eng.process([meeting, advert]) == []
    complaint = make_item(post_id="k3", companies=(KNIT,), title="",
                          content="华新针织一边招聘一边拖欠我们工资，三个月没发了")
    assert len(eng.process([complaint])) == 1


def test_hand_merge_moves_the_evidence_and_keeps_the_more_severe_level(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    _feed(eng, clock, [
        make_item(post_id="m1", companies=(SITE,), towns=("赵巷镇",), severity=Severity.III, content="赵巷新城建设欠薪"),
        make_item(post_id="m2", companies=(KNIT,), towns=("华新镇",), severity=Severity.II,
                  at=T0 + timedelta(hours=1), content="华新针织欠薪"),
    ])
    got = _alert_of(db)
    with db.session() as s:
        a, b = s.get(Alert, got["m1"]), s.get(Alert, got["m2"])
        moved = merge_alerts(s, into=a, other=b, now=clock.now, actor="zhangsan", reason="同一事件")
        assert moved == ["m2"]
        assert a.post_count == 2 and b.merged_into == a.id and b.status == "closed"
        assert Severity(a.level).rank <= Severity(b.level).rank
    assert _alert_of(db)["m2"] == got["m1"]


def test_core_names_and_signals():
    assert core_name("赵巷上海锐拓汽车配件有限公司", ["赵巷镇"]) == core_name("上海锐拓汽车配件有限公司")
    assert core_name("总包上海浦盈建设集团有限公司") == "浦盈建设"
    assert core_name("上海华新针织有限公司", ["华新镇"]) == "华新针织"  # a firm named after its town keeps it
    sig = signal_of(make_item(companies=(), towns=("赵巷镇",), content="赵巷一工地几十个农民工讨薪"))
    assert sig.description == "赵巷一工地" and not sig.firms
    assert "construction" in sig.industries
    assert non_report_genre("青浦区人社局提醒：遇到欠薪可拨打12333") == "official"
    assert non_report_genre("老板拖欠我们工资，打了12333也没用") is None


def test_profiles_round_trip_and_rebuild_from_signals():
    tr = IncidentTracker()
    sigs = [signal_of(make_item(post_id=f"p{i}", companies=(SITE,), towns=("赵巷镇",),
                                at=T0 + timedelta(hours=i))) for i in range(3)]
    keys = {tr.assign(s).key for s in sigs}
    assert len(keys) == 1
    prof = tr.incidents[keys.pop()]
    again = IncidentProfile.from_json(prof.key, prof.to_json())
    assert again.firms == prof.firms and again.last_seen == prof.last_seen and again.posts == 3
    rebuilt = IncidentProfile.of_signals(prof.key, [PostSignal.from_json(s.to_json()) for s in sigs])
    assert rebuilt is not None and rebuilt.firms == prof.firms and rebuilt.posts == 3


def test_addresses_and_named_bosses_are_read_only_next_to_their_cue_words():
    from alerting.tracking import people_of, roads_of

    assert roads_of("厂在新府中路那边，位于华志路88号") == {"新府中路", "华志路"}
    assert roads_of("就是崧泽大道上那家") == {"崧泽大道"}
    assert roads_of("真是走投无路了，上班路上想了很久，马路上都是人") == set()
    assert people_of("胡老板说下个月给，包工头姓陈，陈经理不接电话") == {"胡", "陈"}
    assert people_of("黑心老板跑了，找总经理也没用，大老板不露面") == set()


def test_an_anonymous_post_joins_the_incident_at_its_address_and_not_a_neighbour_in_the_same_town():
    tr = IncidentTracker()
    a = signal_of(make_item(post_id="a", companies=(KNIT,), towns=("华新镇",), at=T0,
                            content="上海华新针织有限公司拖欠工资三个月，老板姓胡，厂在新府中路那边"))
    b = signal_of(make_item(post_id="b", companies=(SUB,), towns=("华新镇",), at=T0 + timedelta(hours=2),
                            content="上海众诚劳务派遣有限公司欠薪，地址在华腾路附近"))
    ka, kb = tr.assign(a).key, tr.assign(b).key
    assert ka != kb
    anon = signal_of(make_item(post_id="c", companies=(), towns=("华新镇",), at=T0 + timedelta(days=1),
                               content="还在等这家公司发工资，胡老板电话一直打不通，就是新府中路上那家"))
    d = tr.assign(anon)
    assert d.joined and d.key == ka
    assert any(e.startswith("place:新府中路") for e in d.evidence) and any(e.startswith("person:") for e in d.evidence)


def test_a_firm_name_the_analyzer_missed_is_found_in_the_text_of_a_post_naming_no_firm():
    tr = IncidentTracker()
    first = signal_of(make_item(post_id="a", companies=(SITE,), towns=("赵巷镇",), at=T0,
                                content="上海赵巷新城建设发展有限公司拖欠工人三个月工资"))
    other = signal_of(make_item(post_id="b", companies=(KNIT,), towns=("华新镇",), at=T0,
                                content="上海华新针织有限公司拖欠工资"))
    key = tr.assign(first).key
    tr.assign(other)
    # the analyzer read no employer in this sentence; the name of the open incident's firm is in it
    grown = signal_of(make_item(post_id="c", companies=(), towns=(), at=T0 + timedelta(days=2),
                                content="今天赵巷新城建设门口聚集了90多个讨薪的工人，拉着横幅"))
    d = tr.assign(grown)
    assert d.joined and d.key == key and any(e.startswith("firm:") for e in d.evidence)
    # and the other way round: an incident whose posts named no firm the analyzer read takes a post naming one
    # whose name its text holds
    tr2 = IncidentTracker()
    anon = signal_of(make_item(post_id="x", companies=(), towns=("华新镇",), at=T0,
                               content="反映上海华新针织有限公司欠薪，我们二十多个人两个月没拿到工资"))
    k2 = tr2.assign(anon).key
    named = signal_of(make_item(post_id="y", companies=(KNIT,), towns=("华新镇",), at=T0 + timedelta(hours=5),
                                content="华新针织的欠薪还没解决"))
    d2 = tr2.assign(named)
    assert d2.joined and d2.key == k2 and any(e.startswith("firm~") for e in d2.evidence)


def test_a_merge_that_brings_a_gathering_sends_the_surviving_alert_its_follow_up(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    items = [
        make_item(post_id="m1", companies=(SITE,), towns=("赵巷镇",), severity=Severity.II,
                  content="赵巷新城建设拖欠工资三个月"),
        make_item(post_id="m2", companies=(SUB,), towns=("华新镇",), at=T0 + timedelta(hours=2), severity=Severity.II,
                  event_types=("wage_arrears", "group_action"), workers=60,
                  content="众诚劳务六十多名农民工在门口聚集讨薪"),
        make_item(post_id="m3", companies=(SITE, SUB), towns=("赵巷镇",), at=T0 + timedelta(hours=6),
                  severity=Severity.II, content="总包赵巷新城建设和分包众诚劳务互相推诿，工人工资没人给"),
    ]
    _feed(eng, clock, items)
    got = _alert_of(db)
    assert got["m1"] == got["m2"] == got["m3"]
    with db.session() as s:
        follow_ups = [e for e in s.scalars(select(AlertEvent).where(AlertEvent.alert_id == got["m1"]))
                      if e.kind == "notified" and e.detail.get("kind") == "grown"]
    assert len(follow_ups) == 1  # the survivor's recipients are told the incident grew (a gathering), once


def test_a_town_written_before_a_road_is_not_part_of_the_address():
    from alerting.tracking import roads_of

    assert roads_of("地址在华新练西公路附近", ["华新镇"]) == {"练西公路"}
    assert roads_of("地址在重固徐泾北路附近", ["重固镇"]) == {"徐泾北路"}
    assert roads_of("就是华新镇北青公路上那家", ["华新镇"]) == {"北青公路"}
    assert roads_of("地址在朱家角外青松公路附近", ["朱家角镇"]) == {"外青松公路"}  # not cut at the 家 of 朱家角
    assert roads_of("厂在新府中路那边", ["华新镇"]) == {"新府中路"}  # no town at its head: unchanged


def test_a_different_address_or_boss_keeps_a_generic_follow_up_out_of_a_look_alike_incident():
    tr = IncidentTracker()
    a = signal_of(make_item(post_id="a", companies=(), towns=("华新镇",), at=T0,
                            content="华新一家物流公司拖欠工资两个月，老板姓胡，厂在新府中路那边"))
    ka = tr.assign(a).key
    # the same town and the same template, but another road and another boss: not the same incident
    other = signal_of(make_item(post_id="b", companies=(), towns=("华新镇",), at=T0 + timedelta(hours=5),
                                content="华新一家物流公司拖欠工资两个月，王老板电话打不通，就是北青公路上那家"))
    d = tr.assign(other)
    assert not d.joined and d.key != ka
    _, ev = tr.score(other, tr.incidents[ka])
    assert "place_conflict" in ev and "person_conflict" in ev


def test_an_anonymous_follow_up_naming_another_boss_does_not_join_on_its_wording_alone():
    tr = IncidentTracker()
    first = "这家公司的欠薪事情还没解决，说好的这周发，又拖了，工友们都很着急，郭老板说下个月一定给"
    ka = tr.assign(signal_of(make_item(post_id="a", companies=(), towns=(), at=T0, content=first))).key
    same_words = signal_of(make_item(post_id="b", companies=(), towns=(), at=T0 + timedelta(hours=3),
                                     content=first.replace("郭老板", "王老板")))
    score, ev = tr.score(same_words, tr.incidents[ka])
    assert score >= tr.w.join_threshold and "person_conflict" in ev  # the wording alone would have joined it
    d = tr.assign(same_words)
    assert not d.joined and d.key != ka
    # the same boss: it joins
    again = signal_of(make_item(post_id="c", companies=(), towns=(), at=T0 + timedelta(hours=4), content=first))
    assert tr.assign(again).key == ka


def test_a_post_naming_the_contractor_joins_the_incident_whose_posts_named_it_beside_the_subcontractor():
    tr = IncidentTracker()
    for i, town in enumerate(("华新镇", "徐泾镇", "白鹤镇", "重固镇", "香花桥街道", "金泽镇")):  # everyday wording
        tr.assign(signal_of(make_item(post_id=f"bg{i}", companies=(), towns=(town,), at=T0 - timedelta(days=1),
                                      content=f"{town[:2]}一家公司的工人集体停工了，说不发工资就不开工，农民工在门口讨薪")))
    main = company("上海华淀建筑安装工程有限公司", "TEST-HD-4", town="朱家角镇", industry="construction")
    sub = company("上海浦盈建设集团有限公司", "TEST-PY-5", town="盈浦街道", industry="construction")
    # the analyzer read only the subcontractor in the first post, although the text names both
    first = signal_of(make_item(
        post_id="a", companies=(sub,), towns=("盈浦街道",), at=T0,
        content="云湖苑项目的农民工反映，总包上海华淀建筑安装工程有限公司把工程款拨给了分包上海浦盈建设集团有限公司，工资还没发"))
    ka = tr.assign(first).key
    later = signal_of(make_item(post_id="b", companies=(main,), towns=("朱家角镇",), at=T0 + timedelta(days=2),
                                content="云湖苑项目：总包上海华淀建筑安装工程有限公司的工人集体停工了，90多人坐在门口讨薪"))
    d = tr.assign(later)
    assert d.joined and d.key == ka
    assert any(e.startswith("chain:") for e in d.evidence)
    # a third registered firm never named in the incident stays apart
    other = company("上海青浦城建工程有限公司", "TEST-CJ-6", town="朱家角镇", industry="construction")
    d3 = tr.assign(signal_of(make_item(post_id="c", companies=(other,), towns=("朱家角镇",),
                                       at=T0 + timedelta(days=2, hours=1),
                                       content="上海青浦城建工程有限公司的工人集体停工了，90多人坐在门口讨薪")))
    assert d3.key != ka


def test_a_firm_named_in_another_incident_without_a_contracting_chain_is_still_a_conflict():
    tr = IncidentTracker()
    a = company("中通快递股份有限公司", "TEST-ZT-7", town="华新镇", industry="logistics")
    b = company("上海某某物流有限公司", "TEST-MM-8", town="华新镇", industry="logistics")
    text = "多名快递员反映，上海某某物流有限公司近三个月一直没发工资，公司负责人联系不上。"
    ka = tr.assign(signal_of(make_item(post_id="a", companies=(a,), towns=("华新镇",), at=T0, content=text))).key
    sig = signal_of(make_item(post_id="b", companies=(b,), towns=("华新镇",), at=T0 + timedelta(hours=1),
                              content=text))
    _, ev = tr.score(sig, tr.incidents[ka])
    assert "firm_conflict" in ev and not any(e.startswith("chain:") for e in ev)
    assert tr.assign(sig).key != ka
