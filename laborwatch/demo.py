"""Sub-commands of the app shell: demo."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add sub-commands to the ``laborwatch`` parser."""
