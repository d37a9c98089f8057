from __future__ import annotations

from datetime import datetime

import pytest

from crawlers.dates import find_datetime, parse_datetime
from lwcore.domain import SHANGHAI

NOW = datetime(2023, 9, 14, 10, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3分钟前", datetime(2023, 9, 14, 9, 57, tzinfo=SHANGHAI)),
        ("2小时前", datetime(2023, 9, 14, 8, 0, tzinfo=SHANGHAI)),
        ("三天前", datetime(2023, 9, 11, 10, 0, tzinfo=SHANGHAI)),
        ("刚刚", NOW),
        ("昨天 14:20", datetime(2023, 9, 13, 14, 20, tzinfo=SHANGHAI)),
        ("前天", datetime(2023, 9, 12, tzinfo=SHANGHAI)),
        ("2023年9月14日", datetime(2023, 9, 14, tzinfo=SHANGHAI)),
        ("２０２３年０９月１４日 ０８：３０", datetime(2023, 9, 14, 8, 30, tzinfo=SHANGHAI)),
        ("09-14 08:30", datetime(2023, 9, 14, 8, 30, tzinfo=SHANGHAI)),
        ("12-20 08:30", datetime(2022, 12, 20, 8, 30, tzinfo=SHANGHAI)),  # would be in the future: last year
        ("2023-09-14T00:30:00Z", datetime(2023, 9, 14, 8, 30, tzinfo=SHANGHAI)),
        ("Thu, 14 Sep 2023 08:30:00 +0800", datetime(2023, 9, 14, 8, 30, tzinfo=SHANGHAI)),
        ("Thu Sep 14 08:30:00 +0800 2023", datetime(2023, 9, 14, 8, 30, tzinfo=SHANGHAI)),
        ("1694651400", datetime(2023, 9, 14, 8, 30, tzinfo=SHANGHAI)),
        ("2005-5-7 21:23:57", datetime(2005, 5, 7, 21, 23, 57, tzinfo=SHANGHAI)),
    ],
)
def test_parse_datetime(text: str, expected: datetime) -> None:
    got = parse_datetime(text, NOW)
    assert got == expected
    assert got is not None and got.utcoffset() == expected.utcoffset()


def test_unparseable_is_none() -> None:
    assert parse_datetime("没有日期的文字", NOW) is None
    assert parse_datetime("", NOW) is None
    assert parse_datetime("2023-13-45", NOW) is None


def test_find_datetime_in_info_line() -> None:
    found = find_datetime("来源：青浦报道 记者 王晓敏 发布时间：2024-09-12 10:30 浏览 120", NOW)
    assert found is not None
    assert found[0] == datetime(2024, 9, 12, 10, 30, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("来源：新华网 2019年08月12日", datetime(2019, 8, 12, tzinfo=SHANGHAI)),
        ("发布时间：2019-08-12 10:30", datetime(2019, 8, 12, 10, 30, tzinfo=SHANGHAI)),
        ("2019/8/12 9:05:07 浏览次数", datetime(2019, 8, 12, 9, 5, 7, tzinfo=SHANGHAI)),
        ("20190812 1030", datetime(2019, 8, 12, 10, 30, tzinfo=SHANGHAI)),
        ("9月12日 10:30 来源：某网", datetime(2023, 9, 12, 10, 30, tzinfo=SHANGHAI)),
        ("发布于 昨天 08:15", datetime(2023, 9, 13, 8, 15, tzinfo=SHANGHAI)),
        ("两小时前 发布", datetime(2023, 9, 14, 8, 0, tzinfo=SHANGHAI)),
    ],
)
def test_find_datetime_forms(text: str, expected: datetime) -> None:
    found = find_datetime(text, NOW)
    assert found is not None
    assert found[0] == expected


def test_find_datetime_takes_the_earliest_absolute_date() -> None:
    found = find_datetime("2019年08月10日 首发 转载于 2019-08-12", NOW)
    assert found is not None
    assert found[0].date().isoformat() == "2019-08-10"
    assert found[1] == 0


def test_epoch_milliseconds_and_utc_offset() -> None:
    assert parse_datetime("1694651400000", NOW) == datetime(2023, 9, 14, 8, 30, tzinfo=SHANGHAI)
    assert parse_datetime("2023-09-14T08:30:00+09:00", NOW) == datetime(2023, 9, 14, 7, 30, tzinfo=SHANGHAI)
