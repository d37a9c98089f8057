"""Labelled incident streams for ``bench/incidents.py``: posts over days, each with its gold incident.

Written for this project from its own templates (no third-party text). A stream is a few weeks in one district:
incidents at registry firms (``configs/companies.csv``), each reported by several posts across a Weibo-like feed,
a news portal and a message board, over days that cross week boundaries. The posts name the firm in the ways
people do: the full registered name, a short name, a place-and-kind description ("赵巷一工地"), the general
contractor on one post and the labour subcontractor on the next, or no name at all in a repost. Incidents grow:
arrears, then a gathering or a stoppage, more workers, a larger sum. Around them: single disputes at other firms
(a firm with a similar name among them), government meetings and notices on wage arrears, job adverts and
unrelated news, which must not join an incident or raise an alert.

``make_stream(seed)`` returns :class:`StreamPost` items in time order; ``gold`` is the incident id (None for posts
that are not a labour dispute). Deterministic for a seed.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from lwcore.domain import SHANGHAI, Post, PostKind

__all__ = ["StreamPost", "make_stream", "load_registry"]

ROOT = Path(__file__).resolve().parent.parent
BASE = datetime(2026, 11, 4, 9, 0, tzinfo=SHANGHAI)  # a Wednesday: incidents cross the Sunday after it


@dataclass(frozen=True)
class Firm:
    name: str
    aliases: tuple[str, ...]
    town: str
    industry: str


@dataclass(frozen=True)
class StreamPost:
    post: Post
    gold: str | None  # incident id; None: not a labour dispute
    stage: str  # first | grow | follow | repost | single | notice | advert | other
    naming: str  # full | short | described | contractor | subcontractor | both | none


def load_registry(path: Path = ROOT / "configs" / "companies.csv") -> list[Firm]:
    with path.open(encoding="utf-8") as f:
        return [
            Firm(r["name"], tuple(a for a in r["aliases"].split("|") if a), r["town"], r["industry"])
            for r in csv.DictReader(f)
        ]


def _short_town(t: str) -> str:
    return t[:-2] if t.endswith("街道") else t[:-1] if t.endswith("镇") else t


KIND_WORDS = {
    "construction": ("工地", "建筑工地", "在建工地"),
    "garment": ("服装厂", "制衣厂", "针织厂"),
    "logistics": ("快递网点", "物流公司", "物流仓库"),
    "manufacturing": ("工厂", "厂子", "零件厂"),
    "catering": ("饭店", "餐饮公司"),
    "retail": ("超市", "商场"),
    "food_processing": ("食品厂",),
    "labour_dispatch": ("劳务公司",),
}
PROJECTS = ("滨河花园", "新城广场", "云湖苑", "科创园区", "西岑雅苑", "湖畔花园", "澄湖大厦", "蟠龙中心")

# {who}: how the firm is named; {w}: workers; {m}: months; {amt}: sum in 万元; {place}: town short name
FIRST = {
    "weibo": [
        "{who}拖欠我们{m}个月工资了，{w}多个工友天天问老板要，老板就是不给，求扩散 #青浦欠薪#",
        "在{who}干了大半年，工资一分没拿到，{w}多人被拖欠{m}个月，快过年了怎么办",
        "{who}欠薪{m}个月，找老板就说没钱，我们{w}个人的血汗钱谁来管？@青浦人社",
        "实名举报{who}，拖欠{w}名工人工资共计{amt}万元，已经{m}个月了",
    ],
    "news": [
        "{place}{who}被指拖欠工资 {w}余名工人讨薪无果|记者近日接到反映，{who}拖欠{w}余名工人{m}个月工资，"
        "涉及金额约{amt}万元。工人们多次与企业沟通未果，目前{place}镇劳动保障部门已介入。",
        "{w}名工人反映被欠薪{m}个月 {who}回应称资金周转困难|{who}的{w}名工人反映，企业已连续{m}个月未发工资，"
        "累计约{amt}万元。企业负责人称因资金周转困难，正在筹款。",
    ],
    "board": [
        "关于{who}拖欠工资的问题|领导您好，我是{who}的员工，公司已经{m}个月没有发工资了，涉及{w}多名职工，"
        "多次找公司都说再等等。请政府帮我们讨回工资，谢谢！",
        "反映{who}欠薪|我们是在{who}上班的{w}名外地务工人员，老板拖欠工资{m}个月约{amt}万元，至今不给，"
        "希望有关部门尽快处理。",
    ],
}
GROW = {
    "weibo": [
        "今天{who}门口聚集了{w}多个讨薪的工人，拉着横幅，要求老板出来给说法 #讨薪#",
        "{who}的工人集体停工了，{w}多人坐在厂门口，说不发工资就不开工",
        "现场直击：{who}{w}余名农民工围堵大门讨要{m}个月工资，警察都来了",
    ],
    "news": [
        "{w}余名工人聚集讨薪 {who}欠薪事件升级|今日上午，{w}余名工人在{who}门口聚集，要求支付被拖欠的{m}个月工资"
        "约{amt}万元。{place}镇相关部门到场劝导，并组织劳资双方协商。",
        "{who}{w}名工人集体停工讨薪|因企业拖欠工资{m}个月，{who}{w}名工人今日集体停工，涉及金额约{amt}万元。",
    ],
    "board": [
        "紧急反映：{who}工人聚集讨薪|{who}拖欠的工资还是没有给，今天{w}多名工人聚集在门口，情绪激动，"
        "请领导重视，尽快派人协调。",
    ],
}
FOLLOW = {
    "weibo": [
        "{who}的欠薪事情还没解决，说好的这周发，又拖了，工友们都很着急",
        "还在等{who}发工资，劳动监察说在处理，希望快一点",
    ],
    "news": [
        "{who}欠薪问题追踪：部分工资已发放|记者从{place}镇获悉，{who}拖欠工人工资一事有新进展，"
        "企业已先行支付部分工资，剩余款项承诺月底前结清，劳动保障监察部门将持续跟进。",
    ],
    "board": [
        "再次反映{who}拖欠工资|上次反映的{who}欠薪问题，到现在还没有解决，工人们还在等，请领导继续督促。",
    ],
}
CHAIN_FIRST = [
    "{project}项目的农民工反映，总包{contractor}把工程款拨给了分包{sub}，{sub}却拖欠{w}名工人工资{m}个月",
    "{place}{project}工地{w}多名农民工讨薪，劳务分包{sub}说总包{contractor}没给钱，工资拖了{m}个月",
]
REPOST = [
    "//@{user}: 转发，希望有关部门重视 //@{user2}:{text}",
    "转发微博 帮扩散，太难了//@{user}:{text}",
]
SINGLE = [
    "{who}拖欠我{m}个月工资，找了几次都不给，真的没办法了",
    "{who}突然通知裁员，说不给补偿就让走人，{w}多个同事都被辞退了",
    "{who}两年没给我们交社保，去问人事说公司困难",
]
NOTICE = [
    "{place}镇召开根治欠薪工作推进会|会议部署了冬季根治欠薪专项行动，要求各村居、各部门加强对在建工程项目"
    "和重点企业的排查，确保农民工工资按时足额支付。",
    "青浦区部署根治拖欠农民工工资专项行动|区人社局、区建管委等部门召开联席会议，部署年底前根治欠薪各项工作，"
    "畅通欠薪投诉渠道，对恶意欠薪行为依法严厉打击。",
    "青浦区人社局提醒：遇到欠薪可拨打12333|区人社局提醒广大劳动者，遇到拖欠工资等问题，可通过12333热线、"
    "劳动监察大队窗口等渠道反映，依法维护自身权益。",
]
ADVERT = [
    "{who}招聘普工{w}名，包吃住，工资按月发放从不拖欠，缴纳五险，欢迎来{place}面试",
    "急招快递分拣员，{place}{who}，月薪6000-8000，按时发工资，不拖欠，缴纳社保",
]
OTHER = [
    "{place}镇新开了一家{kind}，周末去逛了一下，人很多",
    "{who}今年产值增长15%，{place}镇经济形势稳中向好",
]
ROADS = ("盈港东路", "华徐公路", "嘉松中路", "外青松公路", "沪青平公路", "崧泽大道", "淀山湖大道", "赵重公路",
         "华志路", "新府中路", "北青公路", "练西公路", "金泽大道", "白鹤大道", "徐泾北路", "诸光路")
BOSSES = ("王", "李", "张", "陈", "刘", "周", "吴", "徐", "孙", "朱", "马", "胡", "郭", "何", "高", "林")
WORK = {
    "construction": ("钢筋工", "木工", "泥瓦工", "架子工"),
    "garment": ("缝纫工", "车位工", "熨烫工"),
    "logistics": ("分拣员", "快递员", "装卸工"),
    "manufacturing": ("普工", "操作工", "质检员"),
    "catering": ("服务员", "厨师", "洗碗工"),
    "retail": ("收银员", "理货员"),
    "food_processing": ("包装工", "流水线工人"),
    "labour_dispatch": ("派遣工",),
}
CONTEXT = (
    "厂在{road}那边，",
    "就是{road}上那家，",
    "老板姓{boss}，电话一直打不通。",
    "我们都是做{work}的，",
    "{boss}老板说下个月一定给，说了好几次了。",
    "地址在{place}{road}附近。",
)
USERS = ("青浦小王", "打工人阿强", "路过的网友", "淀山湖边", "热心市民李女士", "华新老张")


def _post(pid: str, kind: PostKind, platform: str, text: str, at: datetime) -> Post:
    title, _, body = text.partition("|") if "|" in text else ("", "", text)
    return Post(
        id=pid,
        url=f"https://{platform}.example.cn/p/{pid}",
        source_id=f"stream-{platform}",
        platform=platform,
        kind=kind,
        title=title,
        content=body,
        published_at=at,
        fetched_at=at + timedelta(minutes=20),
    )


_GENRE = {"weibo": (PostKind.SOCIAL, "weibo"), "news": (PostKind.NEWS, "news"), "board": (PostKind.BOARD, "liuyan")}


def make_stream(
    seed: int, *, incidents: int = 12, singles: int = 14, noise: int = 16, days: int = 18
) -> list[StreamPost]:
    """One labelled stream (time order)."""
    rnd = random.Random(seed)
    firms = load_registry()
    by_ind: dict[str, list[Firm]] = {}
    for f in firms:
        by_ind.setdefault(f.industry, []).append(f)
    out: list[StreamPost] = []
    n = 0

    def pid() -> str:
        nonlocal n
        n += 1
        return f"s{seed}-{n:04d}"

    used: set[str] = set()
    pool = [f for f in firms if f.industry in KIND_WORDS]
    for k in range(incidents):
        gold = f"s{seed}-inc{k:02d}"
        # a firm is in one incident per stream (two concurrent disputes at one firm are one incident to anyone)
        free_cons = [f for f in by_ind["construction"] if f.name not in used]
        free_subs = [f for f in firms if f.industry in ("labour_dispatch", "construction") and f.name not in used]
        chain = rnd.random() < 0.35 and len(free_cons) >= 1 and len(free_subs) >= 2
        if chain:
            contractor = rnd.choice(free_cons)
            sub = rnd.choice([f for f in free_subs if f.name != contractor.name])
            firm = contractor
            used |= {contractor.name, sub.name}
        else:
            firm = rnd.choice([f for f in pool if f.name not in used] or pool)
            sub = None
            used.add(firm.name)
        start = BASE + timedelta(days=rnd.randint(0, days - 8), hours=rnd.randint(0, 10))
        w0, m, amt0 = rnd.choice((12, 20, 30, 45)), rnd.randint(2, 6), rnd.choice((18, 36, 60, 85))
        place = _short_town(firm.town)
        project = rnd.choice(PROJECTS)
        ctx = {"road": rnd.choice(ROADS), "boss": rnd.choice(BOSSES), "place": place,
               "work": rnd.choice(WORK.get(firm.industry, ("工人",)))}
        n_posts = rnd.randint(5, 10)
        t = start
        prev_texts: list[str] = []
        grown = False
        for j in range(n_posts):
            genre = rnd.choice(("weibo", "weibo", "news", "board"))
            if j == 0:
                stage = "first"
            elif not grown and j >= 2 and rnd.random() < 0.5:
                stage, grown = "grow", True
            elif prev_texts and genre == "weibo" and rnd.random() < 0.35:
                stage = "repost"
            else:
                stage = "follow"
            w = w0 * (3 if grown else 1)
            amt = amt0 * (2 if grown else 1)
            naming = rnd.choice(("full", "short", "short", "described", "none") if j else ("full", "short"))
            if chain:
                naming = rnd.choice(("contractor", "subcontractor", "both", "described")) if j else "both"
            who = _name(rnd, naming, firm, sub)
            if stage == "repost":
                text = rnd.choice(REPOST).format(user=rnd.choice(USERS), user2=rnd.choice(USERS),
                                                 text=rnd.choice(prev_texts))
                naming = "repost"
            elif chain and naming == "both" and genre == "weibo":
                text = rnd.choice(CHAIN_FIRST).format(project=project, contractor=firm.name,
                                                      sub=sub.name if sub else "", w=w, m=m, place=place)
            else:
                table = {"first": FIRST, "grow": GROW, "follow": FOLLOW}[stage]
                text = rnd.choice(table[genre]).format(who=who, w=w, m=m, amt=amt, place=place)
                if chain and rnd.random() < 0.5:
                    text = text.replace("|", f"|{project}项目", 1) if "|" in text else f"{project}项目：{text}"
            if stage != "repost" and (naming in ("none", "described") or rnd.random() < 0.4):
                # people add what they know: the road, the boss's surname, their trade
                extra = "".join(rnd.sample(CONTEXT, 2 if naming == "none" else 1)).format(**ctx).rstrip("，") + "。"
                text = text + extra if "|" in text else text.rstrip("#").rstrip() + "，" + extra
            kind, platform = _GENRE[genre]
            out.append(StreamPost(_post(pid(), kind, platform, text, t), gold, stage, naming))
            if genre == "weibo" and stage != "repost":
                prev_texts.append(text.split("|")[-1][:80])
            t += timedelta(hours=rnd.randint(3, 40))
    singles_pool = [f for f in firms if f.name not in used]
    for k in range(singles):
        f = rnd.choice(singles_pool)
        at = BASE + timedelta(days=rnd.randint(0, days), hours=rnd.randint(0, 12))
        who = rnd.choice((f.name, *f.aliases)) if k % 4 else "华腾针织厂"  # a name like a registry firm's
        text = rnd.choice(SINGLE).format(who=who, w=rnd.randint(3, 20), m=rnd.randint(1, 5))
        # complaints about the same firm are one dispute to the bureau (the tracker is meant to join them), so the
        # gold groups single posts by the firm they name
        out.append(StreamPost(_post(pid(), PostKind.SOCIAL, "weibo", text, at),
                              f"s{seed}-single-{f.name if k % 4 else who}", "single", "full"))
    for _ in range(noise):
        f = rnd.choice(firms)
        at = BASE + timedelta(days=rnd.randint(0, days), hours=rnd.randint(0, 12))
        kind_name = rnd.choice(("notice", "notice", "advert", "other"))
        table = {"notice": NOTICE, "advert": ADVERT, "other": OTHER}[kind_name]
        text = rnd.choice(table).format(who=f.name, w=rnd.randint(5, 50), place=_short_town(f.town),
                                        kind=rnd.choice(KIND_WORDS.get(f.industry, ("公司",))))
        genre = "news" if "|" in text else "weibo"
        kind, platform = _GENRE[genre]
        out.append(StreamPost(_post(pid(), kind, platform, text, at), None, kind_name, "none"))
    out.sort(key=lambda x: (x.post.published_at, x.post.id))
    return out


def _name(rnd: random.Random, naming: str, firm: Firm, sub: Firm | None) -> str:
    place = _short_town(firm.town)
    if naming == "full":
        return firm.name
    if naming == "short":
        return rnd.choice(firm.aliases or (firm.name,))
    if naming == "described":
        return f"{place}{rnd.choice(('一', '一家', '某'))}{rnd.choice(KIND_WORDS.get(firm.industry, ('企业',)))}"
    if naming == "contractor":
        return f"总包{firm.name}"
    if naming == "subcontractor" and sub is not None:
        return f"劳务分包{rnd.choice((sub.name, *sub.aliases))}"
    if naming == "both" and sub is not None:
        return f"总包{firm.name}和分包{sub.name}"
    return rnd.choice(("这家公司", "我们公司", "老板"))
