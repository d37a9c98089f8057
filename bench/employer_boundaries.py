"""Employer-name boundaries on text the labour labels never saw: the company spans of CLUENER2020 (news and
social sentences with hand-marked ``company`` spans; ``../shared/data/ner``) that end in an organisation suffix
(有限公司, 集团, 厂, 银行...), and whether the employer rules propose exactly that span.

The sentences are mostly not about labour disputes, so this measures the name finder alone (the suffix walk, the
name rules), not the choice of the employer: for each gold span, the candidate of the rules that ends where the
gold span ends (after :class:`nlp.employer_names.EmployerNameRules`) is ``exact``, ``too_long`` (it holds the
gold span and more on the left), ``too_short`` (a cut name) or ``missing``. Split: CLUENER's own ``train`` file is
the one looked at while writing rules (``--file train``); its ``dev`` file is held out (the default).
``--file weibo``: the named organisations of the Weibo NER corpus (golden-horse; short social posts), held out too.

    python bench/employer_boundaries.py [--file dev|train|weibo] [--errors N] [--json OUT] [--compare-before REF]

``--compare-before REF``: the same figures for the code of git revision REF (this bench file run on a temporary
worktree of it), before and after side by side in one run.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling bench module nlp_entities

from lwcore.settings import REPO_ROOT, load_settings  # noqa: E402
from nlp.entities import EntityExtractor  # noqa: E402
from nlp.normalize import normalize  # noqa: E402

NER_DIR = REPO_ROOT.parent / "shared" / "data" / "ner"
WEIBO_NER = REPO_ROOT.parent / "shared" / "data" / "corpora" / "weibo" / "weibo_ner.jsonl"  # (--file weibo)
# the gold spans measured: fixed here (not the extractor's own suffix list, which changes between revisions)
_GOLD_END = re.compile(r"(?:有限公司|有限责任公司|公司|集团|厂|银行|分行|支行|店|超市|商场|酒店|饭店|餐厅|工作室|"
                       r"事务所|研究院|研究所|俱乐部|会所|中心|医院|学校|学院)$")


def gold_spans(path: Path) -> list[tuple[str, str]]:
    """(sentence, company span) for every company span that ends in an organisation suffix (CLUENER
    ``company`` labels; in the Weibo NER file, named organisations ``ORG.NAM``)."""
    out: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            names = list(row.get("label", {}).get("company", {})) + [
                e["text"] for e in row.get("entities", []) if e.get("type") == "ORG.NAM"]
            for name in names:
                if _GOLD_END.search(name) and len(name) >= 4:
                    out.append((row["text"], name))
    return out


def judge(ex: EntityExtractor, text: str, gold: str) -> tuple[str, str | None]:
    t = normalize(text)
    g = normalize(gold)
    cands = [n for n, _ in ex.employer_candidates(t)]
    if ex.name_rules is not None:
        cands = [c for c in (ex.name_rules.clean(n, t) for n in cands) if c]
    if g in cands:
        return "exact", g
    same_end = [c for c in cands if c.endswith(g) or g.endswith(c)]
    for c in same_end:
        if c.endswith(g):
            return "too_long", c
    for c in same_end:
        return "too_short", c
    return "missing", None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", choices=("dev", "train", "weibo"), default="dev")
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--json", default=None)
    ap.add_argument("--compare-before", default=None, metavar="REF")
    a = ap.parse_args()
    path = WEIBO_NER if a.file == "weibo" else NER_DIR / f"cluener2020_{a.file}.jsonl"
    if not path.is_file():
        print(f"{path} absent: the shared NER data is needed", file=sys.stderr)
        return 2
    if a.compare_before:
        from nlp_entities import _figures_at  # the same temporary-worktree runner as the entity bench

        before = _figures_at(a.compare_before, ["--file", a.file], script=Path(__file__).resolve())
        after = measure(path, a.file, 0)
        out = {"before_ref": a.compare_before, "before": before, "after": after}
        print(json.dumps(out, ensure_ascii=False, indent=1))
        if a.json:
            Path(a.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
        return 0
    out = measure(path, a.file, a.errors)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if a.json:
        Path(a.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def measure(path: Path, file: str, errors: int) -> dict[str, Any]:
    ex = EntityExtractor.from_settings(load_settings(environ={}), model_path=None)
    spans = gold_spans(path)
    counts: Counter[str] = Counter()
    shown = 0
    for text, gold in spans:
        verdict, got = judge(ex, text, gold)
        counts[verdict] += 1
        if verdict != "exact" and shown < errors:
            print(f"{verdict}: gold={gold} got={got}\n    {text}")
            shown += 1
    n = len(spans)
    return {"file": file, "spans": n,
            **{k: round(counts[k] / n, 4) if n else 0.0 for k in ("exact", "too_long", "too_short", "missing")}}


if __name__ == "__main__":
    sys.exit(main())
