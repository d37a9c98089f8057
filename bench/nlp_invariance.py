"""Name and place invariance under stress: the read suites' invariance templates (and, with ``--cases``, their explicit
posts and look-alikes written with slots) filled from pools far larger than the suites' own fillers.

A suite's invariance check fills each template with six firms, six towns and six counts of its own. An officer's
stream names hundreds of firms and every town of the district, so a decision that moves with one name in a hundred
is a flip the suites cannot see. Here the pools are built from outside the suites:

- firms: the registry (``configs/companies.csv``, names and aliases) and names composed from generic brand syllables,
  trades and legal forms (上海 + 鑫达 + 物流 + 有限公司, 恒泰餐饮, 华远建筑劳务有限公司, ...), seeded;
- towns: the district's towns, streets and their aliases (``configs/regions.yaml``) and towns of other districts;
- counts: digits, Chinese numerals and vague counts (8, 十几, 三十多, 上百, 近两百...).

Each template is filled with every value of one slot while the others keep the suite's first value (the suites'
own grid, wider). A template *flips* when its fillings do not all get one decision; a filler value is *odd* in a
template when it gets the minority decision there. Printed: flipping templates per suite, the odd values that recur
across templates (a name the analyzer reads as something else), and the worst templates with their odd fillings.

Blind suites and halves (``nlp.behaviour.BLIND``) are never read.

    PYTHONPATH=. python bench/nlp_invariance.py [--cases] [--firms 60] [--towns 40] [--seed 7] [--show 20]
"""

from __future__ import annotations

import argparse
import collections
import csv
import random
import string
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from lwcore.settings import REPO_ROOT, load_settings
from nlp.analyzer import Analyzer, TextInput
from nlp.behaviour import BLIND, SUITES

_BRANDS = tuple((
    "鑫达 恒泰 华远 永盛 金桥 瑞丰 宏图 德昌 佳美 顺发 天润 博文 新亚 嘉禾 东方 明辉 汇通 "
    "中联 安达 锦程 诚信 立新 海天 百川 长江 青松 福星 万家 润泽 高远 星河 骏马 春晖 泰和 "
    "晨光 宇航 兴旺 惠民 凯旋 盛世"
).split())
_TRADES = tuple((
    "物流 科技 电子 服装 建筑劳务 餐饮管理 物业管理 汽车配件 食品 机械 纺织 教育科技 文化传媒 "
    "酒店管理 医疗器械 塑料制品 包装材料 商贸 供应链管理 装饰工程 保洁服务 快递 家政服务 印刷 "
    "五金 化工 光电 生物科技 网络科技 人力资源"
).split())
_FORMS = ("有限公司", "有限公司", "股份有限公司", "集团", "厂", "")
_OTHER_TOWNS = tuple((
    "七宝镇 莘庄镇 梅陇镇 颛桥镇 华漕镇 泗泾镇 九亭镇 洞泾镇 车墩镇 新桥镇 佘山镇 南翔镇 "
    "江桥镇 安亭镇 马陆镇 罗店镇 月浦镇 顾村镇 高桥镇 川沙新镇 周浦镇 惠南镇 祝桥镇 枫泾镇 "
    "朱泾镇 亭林镇 金山卫镇 奉城镇 庄行镇 南桥镇 柘林镇 城桥镇 堡镇 陈家镇 漕河泾街道 "
    "长风新村街道 江浦路街道 曹家渡街道"
).split())
_COUNTS = tuple((
    "8 12 35 140 1200 十几 二十多 三十多 五十余 上百 近两百 几十 数百 两三百 "
    "十来"
).split())


def firm_pool(n: int, rng: random.Random) -> list[str]:
    """``n`` firm names: the registry's names and aliases first (a fair share), then composed ones."""
    reg: list[str] = []
    with (REPO_ROOT / "configs/companies.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            reg.append(row["name"])
            aliases = (row.get("aliases") or "").split("|")
            reg.extend(a for a in aliases if a and not set(a) <= set(string.ascii_letters))
    rng.shuffle(reg)
    out = reg[: n // 3]
    while len(out) < n:
        brand, trade, form = rng.choice(_BRANDS), rng.choice(_TRADES), rng.choice(_FORMS)
        name = ("上海" if rng.random() < 0.4 and form.endswith("公司") else "") + brand + trade + form
        if name not in out:
            out.append(name)
    return out


def town_pool(n: int, rng: random.Random) -> list[str]:
    """``n`` towns: the district's towns, streets and aliases (``configs/regions.yaml``), then other districts'."""
    d = yaml.safe_load((REPO_ROOT / "configs/regions.yaml").read_text(encoding="utf-8"))
    own = [t["name"] for t in d["towns"]] + [a for t in d["towns"] for a in (t.get("aliases") or [])]
    rng.shuffle(own)
    others = list(_OTHER_TOWNS)
    rng.shuffle(others)
    return (own[: n // 2] + others)[:n]


@dataclass(frozen=True)
class Template:
    suite: str  # name:split
    kind: str  # invariance polarity, or mft / contrast
    text: str
    first: dict[str, str]  # the suite's first value of each slot
    expect: bool


def read_templates(with_cases: bool) -> list[Template]:
    """The slot templates of every read suite half (none of ``BLIND``)."""
    out: list[Template] = []
    for name, path in SUITES.items():
        if name in BLIND:
            continue
        d = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        parts = d["splits"] if "splits" in d else {"": d}
        for split, part in parts.items():
            if f"{name}:{split}" in BLIND:
                continue
            fill = part.get("fillers") or {}
            first = {s: str(v[0]) for s, v in fill.items() if v}
            rows = [(pol, t, pol == "positive") for pol, ts in (part.get("invariance") or {}).items() for t in ts]
            if with_cases:
                rows += [("mft", t, True) for ts in part["mft"].values() for t in ts]
                rows += [("contrast", t, False) for ts in part["contrast"].values() for t in ts]
            for kind, t, expect in rows:
                if any("{" + s + "}" in t for s in first):
                    out.append(Template(f"{name}:{split}" if split else name, kind, t, first, expect))
    return out


def fillings(tpl: Template, pools: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """``(slot, value, text)`` for every value of each slot of ``tpl``, the other slots at the suite's first value."""
    slots = [s for s in tpl.first if "{" + s + "}" in tpl.text]
    out = []
    for s in slots:
        for v in pools.get(s, []):
            vals = {x: tpl.first[x] for x in slots}
            vals[s] = v
            out.append((s, v, tpl.text.format(**vals)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", action="store_true", help="also the explicit posts and look-alikes written with slots")
    ap.add_argument("--firms", type=int, default=60)
    ap.add_argument("--towns", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--show", type=int, default=20, help="how many odd values and worst templates to print")
    a = ap.parse_args(argv)
    rng = random.Random(a.seed)
    pools = {"firm": firm_pool(a.firms, rng), "town": town_pool(a.towns, rng), "n": list(_COUNTS)}
    templates = read_templates(a.cases)
    jobs = [(i, s, v, t) for i, tpl in enumerate(templates) for s, v, t in fillings(tpl, pools)]
    texts = list(dict.fromkeys(t for *_, t in jobs))
    print(f"{len(templates)} templates of the read suites, {len(texts)} distinct fillings "
          f"(firms {len(pools['firm'])}, towns {len(pools['town'])}, counts {len(pools['n'])})", flush=True)
    an = Analyzer.from_settings(load_settings(environ={}))
    t0 = time.perf_counter()
    decided: dict[str, bool] = {}
    for k in range(0, len(texts), 512):
        chunk = texts[k:k + 512]
        for t, r in zip(chunk, an.analyze_inputs([TextInput(str(j), t) for j, t in enumerate(chunk)]), strict=True):
            decided[t] = bool(r.labor_dispute)
    print(f"analysed in {time.perf_counter() - t0:.0f} s", flush=True)
    by_tpl: dict[int, list[tuple[str, str, bool]]] = collections.defaultdict(list)
    for i, s, v, t in jobs:
        by_tpl[i].append((s, v, decided[t]))
    odd: collections.Counter[tuple[str, str]] = collections.Counter()
    flips: collections.Counter[str] = collections.Counter()
    wrong_majority: collections.Counter[str] = collections.Counter()
    worst: list[tuple[int, int, list[str]]] = []  # (odd fillings, template, their values)
    for i, rows in by_tpl.items():
        decisions = [d for *_, d in rows]
        yes = sum(decisions)
        if 0 < yes < len(decisions):
            flips[templates[i].suite] += 1
            minority = yes < len(decisions) - yes
            odd_rows = [(s, v) for s, v, d in rows if d == minority]
            odd.update(odd_rows)
            worst.append((len(odd_rows), i, [v for _, v in odd_rows]))
        if (yes * 2 >= len(decisions)) != templates[i].expect:
            wrong_majority[templates[i].suite] += 1
    total = collections.Counter(t.suite for t in templates)
    print("\nflipping templates per suite half (of its slot templates); majority decision wrong:")
    for suite in total:
        print(f"  {suite:8s} {flips[suite]:3d} of {total[suite]:3d}   wrong {wrong_majority[suite]}")
    print(f"  all      {sum(flips.values())} of {len(templates)} templates flip; "
          f"{sum(wrong_majority.values())} get the wrong decision for most fillings")
    print("\nodd filler values that recur (slot, value: templates where it takes the minority decision):")
    for (s, v), c in odd.most_common(a.show):
        print(f"  {s:5s} {v}: {c}")
    print("\nworst templates (odd fillings / all):")
    for c, i, oddv in sorted(worst, reverse=True)[: a.show]:
        tpl = templates[i]
        print(f"  {tpl.suite} {tpl.kind} {c}/{len(by_tpl[i])}: {tpl.text[:90]}  odd: {'、'.join(oddv[:8])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
