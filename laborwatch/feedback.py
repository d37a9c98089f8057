"""Staff decisions -> training labels: ``laborwatch nlp export-labels``.

Every verification decision taken in the web UI is stored as a :class:`laborwatch.web.models.FeedbackLabel`.
This module writes them in the format of the training set (``labeled/train.jsonl``)::

    {"id", "source", "text", "labor_dispute", "event_types", "employers", "workers", "amount_yuan", "confidence"}

One line per post: the newest decision on a post wins (a later correction overrides an earlier confirm).
Decisions that say nothing about the text itself are left out: ``duplicate`` (the staff judged the post a
repeat of another, not its content). ``outside_district`` is written as a labour dispute: the guidelines count
a dispute anywhere, and staff pick "not a dispute" when it is not one.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from lwcore.db import Database
from lwcore.domain import EVENT_TYPES, SHANGHAI
from lwcore.errors import LaborwatchError
from lwcore.settings import Settings

__all__ = [
    "FeedbackError",
    "ExportReport",
    "iter_training_labels",
    "export_labels",
    "add_export_arguments",
    "cmd_export_labels",
]

logger = logging.getLogger(__name__)

#: Decisions that carry no judgement of the text (left out of the training export).
NO_CONTENT_DECISIONS = frozenset({"duplicate"})


class FeedbackError(LaborwatchError):
    """The labels cannot be exported (bad option, unwritable output)."""


@dataclass
class ExportReport:
    written: int = 0
    positives: int = 0
    skipped_no_content: int = 0
    superseded: int = 0
    output: str = ""


def _to_training(row: Any) -> dict[str, Any]:
    dispute = bool(row.labor_dispute)
    event_types = [t for t in (row.event_types or []) if t in EVENT_TYPES] if dispute else []
    return {
        "id": row.post_id,
        "source": row.source,
        "text": row.text,
        "labor_dispute": dispute,
        "event_types": event_types,
        "employers": list(row.employers or []) if dispute else [],
        "workers": row.workers if dispute else None,
        "amount_yuan": row.amount_yuan if dispute else None,
        "confidence": row.confidence if row.confidence in ("high", "low") else "high",
    }


def iter_training_labels(
    db: Database, *, since: datetime | None = None, report: ExportReport | None = None
) -> Iterator[dict[str, Any]]:
    """Yield one training record per post (newest decision wins), oldest post decision first."""
    from laborwatch.web.models import FeedbackLabel

    report = report if report is not None else ExportReport()
    newest: dict[str, Any] = {}
    stmt = select(FeedbackLabel).order_by(FeedbackLabel.created_at, FeedbackLabel.id)
    if since is not None:
        stmt = stmt.where(FeedbackLabel.created_at >= since)
    with db.session() as s:
        for row in s.scalars(stmt):
            if row.post_id in newest:
                report.superseded += 1
            newest[row.post_id] = row
    for row in sorted(newest.values(), key=lambda r: (r.created_at, r.id)):
        if row.decision in NO_CONTENT_DECISIONS:
            report.skipped_no_content += 1
            continue
        if not row.text.strip():
            report.skipped_no_content += 1
            continue
        record = _to_training(row)
        report.written += 1
        report.positives += int(record["labor_dispute"])
        yield record


def export_labels(db: Database, output: Path | None, *, since: datetime | None = None) -> ExportReport:
    """Write the labels as JSON lines to ``output`` (atomically), or to stdout when ``output`` is None."""
    report = ExportReport(output=str(output) if output else "-")
    if output is None:
        for record in iter_training_labels(db, since=since, report=report):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return report
    tmp = output.with_name(output.name + ".tmp")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("w", encoding="utf-8") as fh:
            for record in iter_training_labels(db, since=since, report=report):
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        os.replace(tmp, output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FeedbackError(f"cannot write labels to {output}: {exc.strerror or exc}") from None
    return report


def _parse_since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(0), tzinfo=SHANGHAI).astimezone(UTC)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise FeedbackError(f"--since {value!r}: expected a date YYYY-MM-DD or an ISO time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``laborwatch nlp export-labels`` (for the nlp room's parser)."""
    parser.add_argument("--output", "-o", help="JSONL file to write (default: stdout)")
    parser.add_argument("--since", help="only decisions taken from this date (YYYY-MM-DD, Shanghai) or ISO time")


def cmd_export_labels(args: argparse.Namespace, settings: Settings) -> int:
    """Handler of ``laborwatch nlp export-labels``: staff decisions in the training-set format."""
    output = getattr(args, "output", None)
    since = _parse_since(getattr(args, "since", None))
    db = Database.from_settings(settings)
    try:
        db.upgrade()
        report = export_labels(db, Path(output) if output and output != "-" else None, since=since)
    finally:
        db.dispose()
    print(
        f"已导出 {report.written} 条标注（其中劳动争议 {report.positives} 条；"
        f"跳过重复信息 {report.skipped_no_content} 条，旧决定被覆盖 {report.superseded} 条） -> {report.output}",
        file=sys.stderr,
    )
    return 0
