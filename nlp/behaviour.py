"""The behavioural suites (CheckList style, Ribeiro et al., ACL 2020): cases read from ``behaviour_suite.yaml``
(suite A, written with the frame rules), ``behaviour_suite_b.yaml`` (suite B, written independently of them, in
two halves: ``dev`` used for fixes, ``test`` only reported; session 10 read the test half's failures too) or
``behaviour_suite_c.yaml`` (suite C, written blind in session 10 from the schema and the guidelines only, one
``test`` split, never read for fixes: the held-out estimate) or ``behaviour_suite_d.yaml`` (suite D, written blind
in session 12 the same way, splits ``dev`` (read for fixes) and ``test`` (only reported)) or ``behaviour_suite_e.yaml``
(suite E, written blind in round 17 before the frame rules were read, halves ``dev`` and ``test`` split at random per
case; session 14 read its ``test`` half's failures too, so it is no longer a held-out estimate) or
``behaviour_suite_f.yaml`` (suite F, written blind in session 14 from the schema and the guidelines only, in many
platforms' voices and some dialect, halves ``dev`` and ``test`` split at random per case) or
``behaviour_suite_g.yaml`` (suite G, written blind in session 14 after the session's rules, from the schema and the
guidelines only: news headlines, short Weibo posts and 留言板 letters, indirect, third-party and question-shaped cases,
halves ``dev`` and ``test`` split at random per case) or ``behaviour_suite_h.yaml`` (suite H, written blind in
session 15 from the schema and the guidelines only: 12345 work orders, 黑猫 complaints, forum, short-video and WeChat
group voices, news leads and briefs, disputes told through their consequence, lists and some dialect, halves ``dev``
and ``test`` split at random per case) or ``behaviour_suite_i.yaml`` (suite I, written blind in session 15 from the
schema and the guidelines only: headlines in several styles, Douyin / Kuaishou captions, WeChat Moments and group
chat, 12345 call summaries, 留言板 letters, Zhihu and Xiaohongshu voices, posts on a worker's behalf, gig workers,
some dialect, halves ``dev`` and ``test`` split at random per case) or ``behaviour_suite_j.yaml`` (suite J, written
blind from the schema and the guidelines only: very short Weibo posts with slang, pinyin abbreviations and homophones,
comment replies, help questions, relatives' posts, local headlines, 12345 summaries and letters to leaders, halves
``dev`` and ``test`` split at random per case) or ``behaviour_suite_k.yaml`` (suite K, written blind from the schema
and the guidelines only: Douyin / Kuaishou captions and live-stream comments, Xiaohongshu notes, Zhihu answers, WeChat
group screenshots, construction, dispatch, night-shift, cleaning and security workers, older workers, domestic helpers,
long posts whose dispute comes late, reported speech, Shanghainese and northern words, halves ``dev`` and ``test`` split
at random per case) or ``behaviour_suite_l.yaml`` (suite L, written blind from the schema and the guidelines only:
Baidu Tieba threads, Toutiao-style comments, local headlines and one-line briefs, WeChat Moments, Bilibili comments,
legal-advice questions, 12345 summaries, relatives' posts, restaurant / hotel / retail staff, training-school
teachers, carers, drivers, warehouse pickers, salespeople's commissions, piecework and electronics lines, Chinese
mixed with English, typos and homophones, halves ``dev`` and ``test`` split at random per case) or
``behaviour_suite_m.yaml`` (suite M, written blind from the schema and the guidelines only: Douyin / Kuaishou captions
and comment replies, Xiaohongshu notes, Zhihu answers, Shanghai local-forum posts with some Shanghainese, news-app
comments, short headlines and push lines, group chats retold, lists and Q&A, outsourced cleaning and sanitation staff,
security guards, nannies, canteen, logistics, steel-structure, renovation, printing, pharmaceutical, shipyard,
call-centre, livestream, bank-outsourced and hotel workers, older re-employed workers, pinyin abbreviations,
voice-to-text transcripts, long run-on and emoji-heavy posts, halves ``dev`` and ``test`` split at random per case) or
``behaviour_suite_n.yaml`` (suite N, written blind from the schema and the guidelines only: 12333 hotline records,
short letters to leaders, 信访 replies quoting the complaint, county 融媒体 briefs, union newsletters, 微博超话 posts,
live-stream 弹幕, 脉脉 / 看准网 and 豆瓣 group posts, Northeastern, Sichuanese and Cantonese voices, elderly writers,
summer-job students and interns, dispatch workers, foreign firms, private-kindergarten teachers, hospital carers,
express and takeaway stations, miners, fishing crews, farms, film crews and esports clubs, internet dialect spelling,
full-width mixing, long diary posts and numbered lists, halves ``dev`` and ``test`` split at random per case),
run through an analyzer, pass rates per capability.

A suite file holds one set of sections (suite A) or ``splits: {name: sections}`` (suite B; every case carries its
split). Sections: ``mft`` (event type -> texts), ``contrast`` (genre -> texts), ``robust`` (group -> [text,
decision] pairs written with typos or pinyin abbreviations), ``fillers``, ``invariance``, ``direction``, ``types``.
``rewrites`` (top level, optional) names the robustness rewrites applied to every mft and contrast case (default:
the six of ``REWRITES``). Texts of ``mft`` and ``contrast`` may hold ``{slot}`` fields, filled from the fillers
(one filling per text, rotating by position).

Capabilities: ``mft`` (explicit positives caught), ``contrast`` (look-alike negatives cleared), ``robustness`` (the
same decisions after hashtags, ``//@`` reposts, @mentions, emoji, traditional characters, no punctuation),
``invariance`` (one decision for every firm/town/number filling of a template), ``direction`` (a resolved or
negated variant scores lower than its base), ``types`` (expected event types present, forbidden ones absent).
Used by ``tests/unit/nlp/test_behaviour.py``, ``bench/nlp_behaviour.py`` and ``laborwatch nlp eval --behaviour``
(:func:`run_suites`: every suite and split, reported apart).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["SUITE_FILE", "SUITE_B_FILE", "SUITE_C_FILE", "SUITE_D_FILE", "SUITE_E_FILE",
           "SUITE_F_FILE", "SUITE_G_FILE", "SUITE_H_FILE", "SUITE_I_FILE", "SUITE_J_FILE", "SUITE_K_FILE",
           "SUITE_L_FILE", "SUITE_M_FILE", "SUITE_N_FILE", "SUITE_O_FILE", "SUITE_P_FILE", "SUITE_Q_FILE", "SUITES",
           "BLIND",
           "Case", "Suite", "load_suite", "run_suite", "run_suites", "REWRITES", "EXTRA_REWRITES"]

SUITE_FILE = Path(__file__).resolve().parent / "behaviour_suite.yaml"
SUITE_B_FILE = Path(__file__).resolve().parent / "behaviour_suite_b.yaml"
SUITE_C_FILE = Path(__file__).resolve().parent / "behaviour_suite_c.yaml"
SUITE_D_FILE = Path(__file__).resolve().parent / "behaviour_suite_d.yaml"
SUITE_E_FILE = Path(__file__).resolve().parent / "behaviour_suite_e.yaml"
SUITE_F_FILE = Path(__file__).resolve().parent / "behaviour_suite_f.yaml"
SUITE_G_FILE = Path(__file__).resolve().parent / "behaviour_suite_g.yaml"
SUITE_H_FILE = Path(__file__).resolve().parent / "behaviour_suite_h.yaml"
SUITE_I_FILE = Path(__file__).resolve().parent / "behaviour_suite_i.yaml"
SUITE_J_FILE = Path(__file__).resolve().parent / "behaviour_suite_j.yaml"
SUITE_K_FILE = Path(__file__).resolve().parent / "behaviour_suite_k.yaml"
SUITE_L_FILE = Path(__file__).resolve().parent / "behaviour_suite_l.yaml"
SUITE_M_FILE = Path(__file__).resolve().parent / "behaviour_suite_m.yaml"
SUITE_N_FILE = Path(__file__).resolve().parent / "behaviour_suite_n.yaml"
SUITE_O_FILE = Path(__file__).resolve().parent / "behaviour_suite_o.yaml"
SUITE_P_FILE = Path(__file__).resolve().parent / "behaviour_suite_p.yaml"
SUITE_Q_FILE = Path(__file__).resolve().parent / "behaviour_suite_q.yaml"
#: Suites by name (``bench/nlp_behaviour.py --suite``, ``laborwatch nlp eval --behaviour``).
SUITES: dict[str, Path] = {"a": SUITE_FILE, "b": SUITE_B_FILE, "c": SUITE_C_FILE, "d": SUITE_D_FILE,
                           "e": SUITE_E_FILE, "f": SUITE_F_FILE, "g": SUITE_G_FILE, "h": SUITE_H_FILE,
                           "i": SUITE_I_FILE, "j": SUITE_J_FILE, "k": SUITE_K_FILE,
                           "l": SUITE_L_FILE, "m": SUITE_M_FILE, "n": SUITE_N_FILE,
                           "o": SUITE_O_FILE, "p": SUITE_P_FILE, "q": SUITE_Q_FILE}
#: Suites (``name``) and suite halves (``name:split``) no member trains on: the blind estimates (K's test half, kept as
#: a second one since session 17; P, written blind at the end of session 21; Q, written blind at the start of session
#: 22, both halves of both unread). Suite O (blind in session 21) was read in session 22 and joined the members' data.
#: Both short-post members hold them out (``nlp.short_member.HELD_OUT_SUITES``, ``nlp.short_encoder.HELD_OUT``).
BLIND: tuple[str, ...] = ("k:test", "p", "q")
_PUNCT = re.compile(r"[，。！？、；：,.!?;:（）()“”\"'…~]")


def _hashtag(t: str) -> str:
    return f"#打工人的心酸# {t} #求助#"


def _repost(t: str) -> str:
    return f"转发一下，太气人了//@青浦小喇叭:{t}"


def _mention(t: str) -> str:
    return f"@上海青浦发布 @青浦人社 {t}"


def _emoji(t: str) -> str:
    return f"😡{t}😭😭🙏"


def _traditional(t: str) -> str:
    import zhconv

    return str(zhconv.convert(t, "zh-hant"))


def _no_punct(t: str) -> str:
    return _PUNCT.sub(" ", t).replace("  ", " ").strip()


def _chain(t: str) -> str:
    return f"帮忙扩散//@夏阳吃瓜群众:太难了//@沪上打工人:{t}"


def _tail(t: str) -> str:
    return f"{t} ...全文 网页链接 L沪上打工人的微博视频"


_FULLWIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}


def _fullwidth(t: str) -> str:
    return t.translate(_FULLWIDTH)


#: Robustness rewrites: name -> function of the text (suite A's set).
REWRITES: dict[str, Callable[[str], str]] = {
    "hashtag": _hashtag,
    "repost": _repost,
    "mention": _mention,
    "emoji": _emoji,
    "traditional": _traditional,
    "no_punct": _no_punct,
}
#: More rewrites a suite may name: a two-level repost chain, a Weibo tail (全文, 网页链接, video card), full-width
#: ASCII (digits and Latin letters as some phones type them).
EXTRA_REWRITES: dict[str, Callable[[str], str]] = {"chain": _chain, "tail": _tail, "fullwidth": _fullwidth}


@dataclass(frozen=True, slots=True)
class Case:
    capability: str  # mft | contrast | robustness | invariance | direction | types
    group: str  # event type, genre, rewrite name, template id, pair id
    text: str
    expect: bool | None = None  # the decision expected (mft, contrast, robustness)
    base: str | None = None  # direction: the base text (the variant's score must be lower)
    types_expect: tuple[str, ...] = ()
    types_forbid: tuple[str, ...] = ()
    split: str = ""  # suite B: dev | test; suite A: ""


@dataclass
class Suite:
    cases: list[Case] = field(default_factory=list)

    def texts(self) -> list[str]:
        out = dict.fromkeys(c.text for c in self.cases)
        out.update(dict.fromkeys(c.base for c in self.cases if c.base))
        return list(out)


def load_suite(path: Path = SUITE_FILE, split: str | None = None) -> Suite:
    """Read a suite file; with ``split``, only that split's cases (suite B: ``dev`` or ``test``)."""
    import yaml

    d: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    names = d.get("rewrites") or list(REWRITES)
    known = REWRITES | EXTRA_REWRITES
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"{path}: field 'rewrites' names unknown rewrites {unknown} (known: {sorted(known)})")
    rewrites = {n: known[n] for n in names}
    parts: dict[str, dict[str, Any]] = d["splits"] if "splits" in d else {"": d}
    if split is not None and split not in parts:
        raise ValueError(f"{path}: no split {split!r} (splits: {sorted(parts)})")
    cases: list[Case] = []
    for name, part in parts.items():
        if split is None or name == split:
            cases.extend(_part_cases(part, name, rewrites))
    return Suite(cases)


def _fill_one(text: str, fill: dict[str, list[str]], k: int) -> str:
    slots = {s: fill[s][k % len(fill[s])] for s in fill if "{" + s + "}" in text}
    return text.format(**slots) if slots else text


def _part_cases(d: dict[str, Any], split: str, rewrites: dict[str, Callable[[str], str]]) -> list[Case]:
    fill: dict[str, list[str]] = d.get("fillers") or {}
    cases: list[Case] = []
    for etype, texts in d["mft"].items():
        for k, t in enumerate(texts):
            cases.append(Case("mft", etype, _fill_one(t, fill, k), True, types_expect=(etype,), split=split))
    for genre, texts in d["contrast"].items():
        for k, t in enumerate(texts):
            cases.append(Case("contrast", genre, _fill_one(t, fill, k), False, split=split))
    for name, fn in rewrites.items():
        for c in [c for c in cases if c.capability in ("mft", "contrast")]:
            cases.append(Case("robustness", f"{name}:{'pos' if c.expect else 'neg'}", fn(c.text), c.expect,
                              split=split))
    for group, rows in (d.get("robust") or {}).items():
        for text, expect in rows:
            cases.append(Case("robustness", f"{group}:{'pos' if expect else 'neg'}", text, bool(expect),
                              split=split))
    for polarity, templates in d["invariance"].items():
        for k, tpl in enumerate(templates):
            slots = [s for s in fill if "{" + s + "}" in tpl]
            # a bounded grid: every value of each slot with the others at their first value
            seen: set[str] = set()
            for s in slots:
                for v in fill[s]:
                    vals = {x: fill[x][0] for x in slots}
                    vals[s] = v
                    t = tpl.format(**vals)
                    if t not in seen:
                        seen.add(t)
                        cases.append(Case("invariance", f"{polarity}{k}", t, polarity == "positive", split=split))
    for k, (base, variant) in enumerate(d["direction"]):
        cases.append(Case("direction", f"pair{k}", variant, base=base, split=split))
    for k, row in enumerate(d["types"]):
        cases.append(Case("types", f"type{k}", row["text"], True, types_expect=tuple(row.get("expect") or ()),
                          types_forbid=tuple(row.get("forbid") or ()), split=split))
    return cases


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    passed: bool
    score: float
    decision: bool
    types: tuple[str, ...]


def run_suite(suite: Suite, analyze: Callable[[Sequence[str]], Sequence[Any]]) -> tuple[list[Outcome],
                                                                                       dict[str, dict[str, Any]]]:
    """Run every case through ``analyze`` (texts -> analyses with ``labor_dispute``, ``score``, ``event_types``);
    return the outcomes and, per capability, ``{"passed", "total", "rate"}`` (invariance: per template, a template
    passes when every filling gets the expected decision, so no decision flips; ``flips`` counts templates whose
    fillings disagree)."""
    texts = suite.texts()
    res = dict(zip(texts, analyze(texts), strict=True))
    outcomes: list[Outcome] = []
    for c in suite.cases:
        a = res[c.text]
        if c.capability == "direction":
            ok = a.score < res[c.base].score if c.base else False
        elif c.capability == "types":
            ok = a.labor_dispute and set(c.types_expect) <= set(a.event_types) and not (
                set(c.types_forbid) & set(a.event_types))
        else:
            ok = a.labor_dispute == c.expect
        outcomes.append(Outcome(c, bool(ok), float(a.score), bool(a.labor_dispute), tuple(a.event_types)))
    summary: dict[str, dict[str, Any]] = {}
    for cap, group in itertools.groupby(sorted(outcomes, key=lambda o: o.case.capability),
                                        key=lambda o: o.case.capability):
        items = list(group)
        if cap == "invariance":
            by_tpl: dict[tuple[str, str], list[Outcome]] = {}
            for o in items:
                by_tpl.setdefault((o.case.split, o.case.group), []).append(o)
            passed = sum(all(o.passed for o in v) for v in by_tpl.values())
            flips = sum(len({o.decision for o in v}) > 1 for v in by_tpl.values())
            summary[cap] = {"passed": passed, "total": len(by_tpl), "rate": round(passed / len(by_tpl), 4),
                            "flips": flips, "cases": len(items)}
        else:
            passed = sum(o.passed for o in items)
            summary[cap] = {"passed": passed, "total": len(items), "rate": round(passed / len(items), 4)}
    # mft recall of event types (the expected type among the predicted ones)
    mft = [o for o in outcomes if o.case.capability == "mft"]
    hit = sum(o.decision and set(o.case.types_expect) <= set(o.types) for o in mft)
    summary["mft_type"] = {"passed": hit, "total": len(mft), "rate": round(hit / len(mft), 4)}
    return outcomes, summary


def run_suites(analyze: Callable[[Sequence[str]], Sequence[Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Every suite of :data:`SUITES` and each of its splits, run apart: ``{"a": summary, "b:dev": ..., "b:test":
    ..., "c:test": ...}`` (summaries as :func:`run_suite` returns them)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for name, path in SUITES.items():
        full = load_suite(path)
        for split in sorted({c.split for c in full.cases}):
            part = Suite([c for c in full.cases if c.split == split])
            out[f"{name}:{split}" if split else name] = run_suite(part, analyze)[1]
    return out
