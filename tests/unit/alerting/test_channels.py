"""Channels come from the notifier registry: routing by person and group channel, config errors, payloads."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from tests_alerting_support import config_copy  # type: ignore[import-not-found]

from alerting import AlertEngine
from alerting.models import OutboxMessage
from alerting.roster import check_config, load_routing
from alerting.rules import load_rules
from alerting.testing import CapturingNotifier, FakeClock, company, make_item
from lwcore.domain import SHANGHAI, Severity
from lwcore.errors import ConfigError
from lwcore.settings import load_settings

MONDAY_10 = datetime(2025, 6, 2, 10, 0, tzinfo=SHANGHAI)
LEVEL_II = "  II:\n    notify: [duty_officer, unit]\n    channels: [email]\n"
SECTIONS = (
    "wecom_robots:\n  duty_group: {key_env: LW_UNIT_TEST_WECOM_KEY}\n"
    "dingtalk_robots:\n  leaders_group: {token_env: LW_UNIT_TEST_DT_TOKEN, secret_env: LW_UNIT_TEST_DT_SECRET}\n"
    "sms_gateway: {url: 'http://127.0.0.1:9/sms', key_id: lw, secret_env: LW_UNIT_TEST_SMS_SECRET}\n"
)


def _settings(tmp_path, level_ii: str = LEVEL_II, extra: str = SECTIONS, **alerting: object):
    cfg = config_copy(tmp_path)
    p = cfg / "routing.yaml"
    text = p.read_text(encoding="utf-8")
    assert LEVEL_II in text
    p.write_text(text.replace(LEVEL_II, level_ii) + extra, encoding="utf-8")
    (cfg / "settings.yaml").write_text("{}\n", encoding="utf-8")
    return load_settings(
        cfg / "settings.yaml",
        environ={},
        overrides={
            "state_dir": str(tmp_path / "state"),
            "alerting": {"secret_key": "unit-test-secret", "admin_emails": ["admin@example.org"], **alerting},
            "smtp": {"host": "127.0.0.1", "port": 2, "sender": "yuqing@example.org"},
        },
    )


ALL_CHANNELS = (
    "  II:\n    notify: [duty_officer, unit]\n    channels: [email, sms, wecom, dingtalk]\n"
    "    groups: [duty_group, leaders_group]\n"
)


def test_person_and_group_channels_route_to_phones_and_robots(tmp_path):
    router = load_routing(_settings(tmp_path, ALL_CHANNELS))
    route = router.route(Severity.II, town="华新镇", industry=None, at=MONDAY_10)
    got = [(r.role, r.channel, r.address) for r in route.recipients]
    assert got == [
        ("duty_officer", "email", "zhangwei@qingpu.example.gov.cn"),
        ("duty_officer", "sms", "021-0000-0001"),
        ("unit", "email", "huaxin@qingpu.example.gov.cn"),
        ("group", "wecom", "duty_group"),
        ("group", "dingtalk", "leaders_group"),
    ]
    assert route.problems == []  # the unit has no phone: nothing to send, nothing wrong
    assert router.groups == {"duty_group": "wecom", "leaders_group": "dingtalk", "ops_endpoint": "webhook"}


def test_a_person_without_the_channels_address_is_a_routing_problem(tmp_path):
    s = _settings(tmp_path, ALL_CHANNELS)
    roster = (tmp_path / "configs" / "duty_roster.yaml")
    roster.write_text(roster.read_text(encoding="utf-8").replace(', phone: "021-0000-0001"', ""), encoding="utf-8")
    route = load_routing(s).route(Severity.II, town="华新镇", industry=None, at=MONDAY_10)
    assert "张伟（duty_officer）没有手机号码" in route.problems
    assert ("duty_officer", "email") in {(r.role, r.channel) for r in route.recipients}


def test_the_old_webhooks_key_of_a_level_still_lists_group_targets(tmp_path):
    level = "  II:\n    notify: [duty_officer]\n    channels: [email, wecom]\n    webhooks: [duty_group]\n"
    router = load_routing(_settings(tmp_path, level))
    assert router.config.levels["II"].groups == ("duty_group",)


@pytest.mark.parametrize(
    ("level", "extra", "key", "reason"),
    [
        ("  II:\n    channels: [email, pager]\n", SECTIONS, "levels.II.channels", "unknown channel(s) ['pager']"),
        ("  II:\n    channels: [email, wecom]\n    groups: [nosuch]\n", SECTIONS, "levels.II.groups",
         "unknown group target 'nosuch'"),
        ("  II:\n    channels: [email]\n    groups: [duty_group]\n", SECTIONS, "levels.II.groups",
         "'duty_group' is a wecom target but 'wecom' is not in this level's channels"),
        ("  II:\n    channels: [email, sms]\n", "", "levels.II.channels", "needs its settings under sms_gateway:"),
        (LEVEL_II, SECTIONS.replace("leaders_group", "duty_group"), "wecom_robots.duty_group",
         "also used under dingtalk_robots:"),
        (LEVEL_II, "wecom_robots:\n  g: {key_env: lowercase}\n", "wecom_robots.g.key_env", "String should match"),
        (LEVEL_II, "wecom_robots:\n  g: {key_env: LW_K, key: in-the-file}\n", "wecom_robots.g.key", "unknown key"),
    ],
)
def test_channel_config_errors_name_the_key_and_the_reason(tmp_path, level, extra, key, reason):
    with pytest.raises(ConfigError) as ei:
        load_routing(_settings(tmp_path, level, extra))
    assert ei.value.key == key and reason in ei.value.reason


def test_config_check_warns_about_secrets_not_in_the_environment(tmp_path):
    warnings = check_config(_settings(tmp_path, ALL_CHANNELS), now=MONDAY_10)
    text = "\n".join(warnings)
    for var in ("LW_UNIT_TEST_WECOM_KEY", "LW_UNIT_TEST_DT_TOKEN", "LW_UNIT_TEST_DT_SECRET", "LW_UNIT_TEST_SMS_SECRET"):
        assert f"environment variable {var} is not set" in text


def test_each_channel_stores_its_own_payload(tmp_path):
    s = _settings(tmp_path, ALL_CHANNELS, dispatch_inline=False)
    from lwcore.db import Database

    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    db.upgrade()
    try:
        clock = FakeClock(MONDAY_10)
        eng = AlertEngine.from_settings(s, db, clock=clock, notifier_factory=CapturingNotifier().factory)
        c = company("上海某物流有限公司", "TEST-CH-1", town="华新镇", industry="logistics")
        [alert] = eng.process(
            [make_item(event_id="ch", companies=(c,), workers=35, amount_yuan=420000, score=0.85, post_id=f"ch-{i}")
             for i in range(3)]
        )
        assert alert.level == "II"
        with db.session() as sess:
            rows = {r.channel: r for r in sess.scalars(select(OutboxMessage).where(OutboxMessage.alert_id == alert.id))}
        assert set(rows) == {"email", "sms", "wecom", "dingtalk"}
        assert set(rows["email"].payload) == {"text", "html", "headers"}
        assert "确认收到" in rows["email"].payload["text"]  # e-mail: a personal acknowledgement link
        assert rows["email"].payload["headers"]["X-Laborwatch-Level"] == "II"
        for ch in ("wecom", "dingtalk"):
            assert set(rows[ch].payload) == {"text", "markdown", "data"}
            assert rows[ch].payload["data"]["alert_id"] == alert.id
            assert "确认收到" not in rows[ch].payload["markdown"]  # a group shares no personal link
        assert rows["sms"].payload == {
            "text": f"{rows['sms'].subject}，详情请查看预警邮件或登录系统（预警编号{alert.id}）。"
        }
    finally:
        db.dispose()


def test_rules_declare_their_look_back_and_the_engine_takes_the_longest(settings):
    rs = load_rules(settings)
    spans = {r.name: r.lookback() for r in rs.rules}
    spike = [r for r in rs.rules if r.type_name == "spike"]
    assert spike, "the shipped rules have a spike rule"
    for r in spike:
        assert spans[r.name] == timedelta(minutes=r.options.window_min, days=r.options.baseline_days)
    assert all(v == timedelta(0) for n, v in spans.items() if n not in {r.name for r in spike})
    eng = AlertEngine.from_settings(settings, None, notifier_factory=CapturingNotifier().factory)  # type: ignore[arg-type]
    assert eng._lookback == max(spans.values()) + timedelta(minutes=1)
