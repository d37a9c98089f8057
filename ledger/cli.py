"""Sub-commands of the ledger room (filled in by the ledger work)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this room's sub-commands to the ``laborwatch`` parser."""
