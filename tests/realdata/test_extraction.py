"""Extraction on real saved Chinese pages (../shared/data/html), with floors pinned below measured figures.

Measured with ``python bench/extract_bench.py`` (see the bench's docstring for the metrics): the GNE silver
reference (GNE's own outputs), the Gerapy expected output, and the cwced gold set (its HTML under
``cwced/original/``), where the date gate compares with htmldate.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from lwcore.settings import REPO_ROOT

pytestmark = pytest.mark.realdata

#: floors (raise deliberately): measured ours 0.912 body F1 (0.900 before issue 15) / 1.000 title / 0.947 date (18/19) on gne-silver.
#: The one date "miss" left is qq/qq.html, where the silver value ("2019-9-5 9:38:01") is a video player's version
#: string that GNE picked up; the page's own window.DATA pubtime (2019-09-07 19:02:26, article id 20190907A081B0)
#: is what we return.
FLOOR_BODY_F1 = 0.85
FLOOR_TITLE = 0.95
FLOOR_DATE = 0.90


def _bench():
    spec = importlib.util.spec_from_file_location("extract_bench", REPO_ROOT / "bench" / "extract_bench.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("extract_bench", mod)  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_extraction_meets_floors_and_beats_trafilatura_defaults(shared_data: Path) -> None:
    bench = _bench()
    cases, _missing = bench.load_cases(shared_data / "html")
    cases = [c for c in cases if c.set in ("gne-silver", "gerapy")]
    if not cases:
        pytest.skip("no GNE/Gerapy pages with a reference under ../shared/data/html")
    ours = bench.score(cases, bench.run_ours)["gne-silver"].summary()
    theirs = bench.score(cases, bench.run_trafilatura)["gne-silver"].summary()
    assert ours["body_f1"] >= FLOOR_BODY_F1, ours
    assert ours["title_accuracy"] >= FLOOR_TITLE, ours
    assert ours["date_accuracy"] >= FLOOR_DATE, ours
    assert ours["body_f1"] > theirs["body_f1"], (ours, theirs)


#: cwced (issue 15): the right day on 25 of the 27 pages whose gold names a day (htmldate alone: 20, trafilatura:
#: 18); the misses: a page whose JSON-LD datePublished (2011) differs from the gold (2020), and a 2005 page whose
#: info line starts with a month-day time of another post (resolved against today, as there is no fetch time).
FLOOR_CWCED_DATED_DAY = 0.90


def test_cwced_dates_at_least_as_good_as_htmldate(shared_data: Path) -> None:
    bench = _bench()
    cases, _missing = bench.load_cases(shared_data / "html")
    cases = [c for c in cases if c.set == "cwced"]
    if not cases:
        pytest.skip("no cwced pages with their HTML under ../shared/data/html/cwced/original")
    ours = bench.score(cases, bench.run_ours)["cwced"].summary()
    htmldate = bench.score(cases, bench.run_htmldate)["cwced"].summary()
    assert ours["dated_day_accuracy"] >= FLOOR_CWCED_DATED_DAY, ours
    assert ours["dated_day_accuracy"] >= htmldate["dated_day_accuracy"], (ours, htmldate)
    assert ours["undated_no_date"] >= htmldate["undated_no_date"], (ours, htmldate)


def test_gerapy_expected_detail(shared_data: Path) -> None:
    from crawlers.extract import extract_article

    exp_path = shared_data / "html" / "gerapy" / "derived" / "readme_expected_detail_netease_news1.json"
    page = shared_data / "html" / "gerapy" / "samples" / "detail" / "netease_news1.html"
    if not exp_path.exists() or not page.exists():
        pytest.skip("gerapy sample absent")
    exp = json.loads(exp_path.read_text(encoding="utf-8"))["extract_detail_output_in_readme"]
    art = extract_article(page.read_bytes())
    assert art.title == exp["title"]
    assert art.published_at is not None and art.published_at.isoformat() == "2020-07-04T01:55:04+08:00"
    assert _bench().char_f1(art.content, exp["content"]) >= 0.95


def test_every_saved_page_extracts_without_error(shared_data: Path) -> None:
    from crawlers.extract import extract_article

    pages = sorted((shared_data / "html").rglob("*.html"))
    if not pages:
        pytest.skip("no saved pages")
    empty = []
    for p in pages:
        art = extract_article(p.read_bytes())
        if not art.content:
            empty.append(p.name)
    assert len(empty) <= len(pages) // 10, empty
