"""Run by test_handoff.py in a child process: push one batch through the real pipeline (real Elasticsearch,
real SQLite alert store) and die by SIGKILL at a chosen point.

argv: CONFIG_FILE MODE   (MODE: before_alert_commit: killed after indexing, inside the alert transaction)
Environment: LW_SECRET_KEY, LW_ES_URL as for the CLI.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Sequence

import alerting
import index
from laborwatch.pipeline import Pipeline, Spool
from laborwatch.wiring import enqueue_only
from lwcore.db import Database
from lwcore.domain import Analysis, Post
from lwcore.settings import load_settings


class FixedAnalyzer:
    """The analyses the test wrote beside the posts (the NLP room is not under test here)."""

    def __init__(self, analyses: dict[str, Analysis]) -> None:
        self.analyses = analyses

    def analyze(self, posts: Sequence[Post]) -> list[Analysis]:
        return [self.analyses[p.id] for p in posts]


def main() -> None:
    config, mode, batch_file = sys.argv[1:4]
    settings = load_settings(config)
    records = [json.loads(line) for line in open(batch_file, encoding="utf-8")]
    posts = [Post.from_dict(r["post"]) for r in records]
    analyses = {r["post"]["id"]: Analysis.from_dict(r["analysis"]) for r in records}
    db = Database.from_settings(settings)
    db.upgrade()
    engine = alerting.AlertEngine.from_settings(enqueue_only(settings), db)
    if mode == "before_alert_commit":

        def die(*_args, **_kwargs):  # type: ignore[no-untyped-def]
            os.kill(os.getpid(), signal.SIGKILL)  # the posts are in the index; the alert commit never happens

        engine._process_tx = die  # type: ignore[method-assign]
    client = index.connect(settings)
    indexer = index.Indexer(client, settings.es, segmenter=lambda text: text.split())
    indexer.ensure_templates()
    pipe = Pipeline(analyzer=FixedAnalyzer(analyses), indexer=indexer, alerts=engine,
                    spool=Spool(settings.state_path / "spool"))
    report = pipe.process(posts)
    print(json.dumps(report.as_dict()))


if __name__ == "__main__":
    main()
