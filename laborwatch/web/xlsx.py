"""Excel rows that no spreadsheet evaluates: every text cell is written as text, so a crawled title such as
``=HYPERLINK("http://…")`` stays a string in the search, incident and briefing exports (as in the ledger's)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["append_row"]


def append_row(ws: Any, values: Iterable[Any]) -> None:
    """``ws.append(values)``, then mark the row's text cells as text (openpyxl treats a leading '=' as a formula)."""
    values = list(values)
    ws.append(values)
    row = ws.max_row
    for col, value in enumerate(values, start=1):
        if isinstance(value, str):
            cell = ws.cell(row=row, column=col)
            cell.value = value
            cell.data_type = "s"
