"""The behavioural suites side by side: the shipped behaviour before the event-frame layer (the same bundle with
``use_frames=False``) and the analyzer as it runs now, pass rates per capability (and per split for suites B and C).

    python bench/nlp_behaviour.py [--suite a|b|c|d|e|f|g|h|i|all] [--split dev|test] [--model-dir DIR] [--json OUT]
                                  [--show-failures]

Suite ``a`` is ``nlp/behaviour_suite.yaml`` (written with the frame rules), ``b`` is ``nlp/behaviour_suite_b.yaml``
(written independently of them; its ``dev`` half was used for fixes; session 10 read its ``test`` half's failures
too), ``c`` is ``nlp/behaviour_suite_c.yaml`` (written blind in session 10, one ``test`` split, never read for
fixes: the held-out estimate; run it without ``--show-failures``), ``d`` is ``nlp/behaviour_suite_d.yaml`` (written
blind in session 12; ``--split dev`` may be read for fixes, ``test`` only reported: never ``--show-failures`` on it),
``e`` is ``nlp/behaviour_suite_e.yaml`` (written blind in round 17 before the frame rules were read; halves split at
random per case; like D, ``--split dev --show-failures`` for fixes; session 14 read its ``test`` half's failures
too), ``f`` is
``nlp/behaviour_suite_f.yaml`` (written blind in session 14 in many platforms' voices; halves split at random per
case: ``dev`` read for fixes in session 14, ``test`` only reported), ``g`` is ``nlp/behaviour_suite_g.yaml`` (written
blind in session 14 after the session's rules: headlines, Weibo posts and 留言板 letters; halves split at random per
case: ``dev`` may be read for fixes, ``test`` only reported: never ``--show-failures`` on it), ``h`` is
``nlp/behaviour_suite_h.yaml`` (written blind in session 15: 12345 work orders, 黑猫 complaints, forum, short-video and
WeChat voices, news leads, indirect cases; halves split at random per case; neither half read: never
``--show-failures`` on ``test``), ``i`` is ``nlp/behaviour_suite_i.yaml`` (written blind in session 15: headlines
in several styles, short-video captions, WeChat Moments and group chat, 12345 summaries, 留言板 letters, Zhihu and
Xiaohongshu voices, posts on a worker's behalf, gig workers, some dialect; halves split at random per case; neither
half read: never ``--show-failures`` on ``test``).
Target (issue 14): mft >= 0.97, contrast >= 0.95, no invariance flips.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from lwcore.settings import load_settings
from nlp.analyzer import Analyzer, TextInput
from nlp.behaviour import SUITES, load_suite, run_suite


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", help="bundle directory (default: the settings' / the committed bundle)")
    ap.add_argument("--json", help="write both summaries and the failures here")
    ap.add_argument("--show-failures", action="store_true")
    ap.add_argument("--suite", choices=[*SUITES, "all"], default="a", help="which suite (default a)")
    ap.add_argument("--split", help="suites B to I only: one split (dev or test); default every split")
    a = ap.parse_args()
    settings = load_settings(environ={})
    if a.model_dir:
        settings = settings.model_copy(update={"nlp": settings.nlp.model_copy(update={"model_dir": a.model_dir})})
    analyzers = {}
    for label, frames in (("before", False), ("after", True)):
        an = Analyzer.from_settings(settings)
        an.use_frames = frames
        analyzers[label] = an
    report: dict = {}
    for name in (list(SUITES) if a.suite == "all" else [a.suite]):
        full = load_suite(SUITES[name])
        splits = sorted({c.split for c in full.cases if not a.split or name == "a" or c.split == a.split})
        for split in splits:
            key = f"{name}:{split}" if split else name
            report[key] = _run(full, split, analyzers, a.show_failures, key)
    if a.json:
        Path(a.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def _run(full, split: str, analyzers: dict, show_failures: bool, key: str) -> dict:  # noqa: ANN001
    suite = type(full)([c for c in full.cases if c.split == split])
    out: dict = {"cases": len(suite.cases)}
    for label, an in analyzers.items():
        t0 = time.time()
        outcomes, summary = run_suite(
            suite, lambda texts, an=an: an.analyze_inputs([TextInput(str(i), t) for i, t in enumerate(texts)]))
        out[label] = {"model_version": an.model_version, "members": list(an.members), "summary": summary,
                      "seconds": round(time.time() - t0, 1),
                      "failures": [{"capability": o.case.capability, "group": o.case.group, "text": o.case.text,
                                    "score": round(o.score, 3), "types": list(o.types)}
                                   for o in outcomes if not o.passed]}
    caps = list(out["after"]["summary"])
    print(f"== suite {key}: {out['cases']} cases")
    print(f"{'capability':<12} {'before':>16} {'after':>16}")
    for cap in caps:
        b, f = out["before"]["summary"][cap], out["after"]["summary"][cap]
        extra = f"  flips {b['flips']} -> {f['flips']}" if "flips" in f else ""
        print(f"{cap:<12} {b['passed']:>4}/{b['total']:<4} {b['rate']:.3f} {f['passed']:>4}/{f['total']:<4} "
              f"{f['rate']:.3f}{extra}")
    print(f"model {out['after']['model_version']}; members before {out['before']['members']}, "
          f"after {out['after']['members']}")
    if show_failures:
        for fl in out["after"]["failures"]:
            print(f"FAIL {fl['capability']:<10} {fl['group']:<22} {fl['score']:.3f} {fl['types']} {fl['text']}")
    return out

if __name__ == "__main__":
    sys.exit(main())
