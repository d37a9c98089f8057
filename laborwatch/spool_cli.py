"""``laborwatch spool status|requeue``: what waits in the pipeline spool, and giving dead letters another try.

Posts that Elasticsearch refused for good (a mapping conflict, a document that cannot be built) are kept in the
dead-letter spool (``dead-index``), logged at ERROR and counted in ``laborwatch_spool_backlog{stage="dead-index"}``.
Once the cause is fixed (the mapping, or the analysis bug that produced the bad field), ``requeue`` hands them back
to the ``index`` stage; the next crawl batch (or ``laborwatch service``) indexes them.
"""

from __future__ import annotations

import argparse
import json

from laborwatch.pipeline import DEAD_INDEX, Spool
from lwcore.settings import Settings

STAGES = ("index", "alert", DEAD_INDEX)


def _spool(settings: Settings) -> Spool:
    return Spool(settings.state_path / "spool")


def _cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    spool = _spool(settings)
    print(json.dumps({stage: spool.count(stage) for stage in STAGES}))
    return 0


def _cmd_requeue(args: argparse.Namespace, settings: Settings) -> int:
    moved = _spool(settings).requeue(DEAD_INDEX, "index")
    print(json.dumps({"requeued": moved, "from": DEAD_INDEX, "to": "index"}))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("spool", help="posts waiting for a failed stage; dead letters")
    ssub = p.add_subparsers(dest="spool_command", metavar="SUBCOMMAND", required=True)
    ssub.add_parser("status", help="items waiting per stage (index, alert, dead-index)").set_defaults(
        handler=_cmd_status)
    ssub.add_parser("requeue", help="give the dead letters back to the index stage").set_defaults(
        handler=_cmd_requeue)
