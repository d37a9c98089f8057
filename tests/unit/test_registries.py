"""The registries that must agree with each other, checked in one place.

- source kinds (``crawlers.kinds``) vs the spider registry, the spider modules, the sources.yaml schema and the
  operators' guide;
- the event types (``lwcore.domain``) vs the e-mail vocabulary (``alerting.texts``): a type missing from
  ``EVENT_PRIORITY`` would silently name its e-mails after ``other_labor``;
- the notifier registry (``alerting.notifiers``) vs the roster (``alerting.roster``), the staff vocabulary and
  the modules of the package; and no channel spelled out in the alerting code outside its notifier.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import typing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_source_kinds_match_the_spider_registry_schema_and_guide():
    pytest.importorskip("scrapy", reason="the spider registry imports Scrapy")
    import crawlers.spiders as spiders_pkg
    from crawlers.kinds import KIND_SPIDERS, SOURCE_KINDS
    from crawlers.sources import sources_json_schema
    from crawlers.spiders import SPIDERS, SourceSpider

    assert list(SOURCE_KINDS) == list(SPIDERS) == list(KIND_SPIDERS)
    assert len(set(SPIDERS.values())) == len(SPIDERS), "two kinds share one spider class"
    for kind, cls in SPIDERS.items():
        assert issubclass(cls, SourceSpider) and cls is not SourceSpider, kind
    defined = set()
    for m in pkgutil.iter_modules(spiders_pkg.__path__):
        mod = importlib.import_module(f"crawlers.spiders.{m.name}")
        defined |= {
            c
            for _, c in inspect.getmembers(mod, inspect.isclass)
            if issubclass(c, SourceSpider) and c is not SourceSpider and c.__module__ == mod.__name__
        }
    assert defined == set(SPIDERS.values()), f"spider classes not registered in crawlers/kinds.py: {defined}"
    schema = str(sources_json_schema())
    guide = (ROOT / "docs" / "SOURCES.md").read_text(encoding="utf-8")
    for kind in SOURCE_KINDS:
        assert f"'{kind}'" in schema, f"kind {kind!r} missing from the sources.yaml JSON schema"
        assert f"`{kind}`" in guide, f"kind {kind!r} not described in docs/SOURCES.md"


def test_every_event_type_names_its_own_emails():
    from alerting.texts import EVENT_LABELS, EVENT_PRIORITY, event_label, main_event
    from lwcore.domain import EVENT_TYPE_LABELS_ZH, EVENT_TYPES

    assert sorted(EVENT_PRIORITY) == sorted(EVENT_TYPES) and len(set(EVENT_PRIORITY)) == len(EVENT_PRIORITY)
    assert list(EVENT_TYPE_LABELS_ZH) == list(EVENT_TYPES) and list(EVENT_LABELS) == list(EVENT_TYPES)
    for t in EVENT_TYPES:
        assert main_event([t]) == t  # not the other_labor fallback
        assert event_label(t) == "疑似" + EVENT_TYPE_LABELS_ZH[t]
    assert EVENT_PRIORITY[-1] == "other_labor"  # the catch-all names a subject only when nothing else does


def _has_cjk(s: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", s))


def test_notifier_registry_agrees_with_the_roster_and_the_vocabulary():
    import alerting.notifiers as pkg
    from alerting.notifiers import NOTIFIERS, channel_label
    from alerting.roster import Person, Role, RoutingConfig, Unit
    from alerting.texts import ROLE_LABELS

    modules = [m.name for m in pkgutil.iter_modules(pkg.__path__) if m.name != "base" and not m.name.startswith("_")]
    registered_by = {cls.__module__.rsplit(".", 1)[1] for cls in NOTIFIERS.values()}
    assert registered_by == set(modules), "every notifier module registers one channel (and only those do)"
    assert "email" in NOTIFIERS  # digests, admin notices and fallbacks go by e-mail
    sections = []
    for channel, cls in NOTIFIERS.items():
        assert cls.channel == channel
        assert _has_cjk(cls.display_name) and channel_label(channel) == cls.display_name
        if cls.audience == "person":
            assert cls.address_field in Person.model_fields, f"{channel}: Person has no {cls.address_field}"
            assert cls.address_field in Unit.model_fields or f"{cls.address_field}s" in Unit.model_fields
            assert cls.address_label and _has_cjk(cls.address_label)
        else:
            assert cls.Target is not None and cls.section
        if cls.section:
            sections.append(cls.section)
    assert len(sections) == len(set(sections)), "two notifiers claim one routing.yaml section"
    assert not set(sections) & set(RoutingConfig.model_fields), "a notifier section shadows a routing.yaml key"
    assert set(typing.get_args(Role)) | {"group", "extra"} <= set(ROLE_LABELS)


def test_no_channel_is_spelled_out_in_the_alerting_code_outside_its_notifier():
    from alerting.notifiers import NOTIFIERS

    names = [c for c in NOTIFIERS if c != "email"]  # email: the address type of admin_emails / fallback_emails
    offenders = []
    for path in sorted((ROOT / "alerting").rglob("*.py")):
        if "notifiers" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for c in names:
            if re.search(rf"""["']{c}["']""", text):
                offenders.append(f"{path.relative_to(ROOT)}: {c!r}")
    assert offenders == []


def test_the_shipped_routing_file_uses_only_registered_channels(tmp_path):
    from alerting.notifiers import NOTIFIERS
    from alerting.roster import load_routing
    from lwcore.settings import load_settings

    router = load_routing(load_settings(environ={}, overrides={"state_dir": str(tmp_path)}))
    used = {ch for lr in router.config.levels.values() for ch in lr.channels}
    assert used <= set(NOTIFIERS)
    assert set(router.groups.values()) <= set(NOTIFIERS)


def test_every_rule_module_registers_its_type():
    import alerting.rules as pkg
    from alerting.rules import RULE_TYPES

    modules = {m.name for m in pkgutil.iter_modules(pkg.__path__)} - {"base", "loader"}
    assert {cls.__module__.rsplit(".", 1)[1] for cls in RULE_TYPES.values()} == modules
    for name, cls in RULE_TYPES.items():
        assert cls.type_name == name and "type" in cls.Options.model_fields
