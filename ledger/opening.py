"""Opening the ledger for a command: the database from settings, migrated, as a :class:`Ledger` and
:class:`Incidents` pair (shared by ``ledger/cli.py`` and ``ledger/casework_cli.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import LedgerError

if TYPE_CHECKING:
    from lwcore.settings import Settings

    from .cases import Ledger
    from .incidents import Incidents

__all__ = ["open_ledger"]


def open_ledger(settings: Settings) -> tuple[Ledger, Incidents]:
    """The ledger and incident records on the settings' database, migrated to the current schema."""
    from alembic.util import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    from lwcore.db import Database

    from .cases import Ledger
    from .incidents import Incidents

    db = Database.from_settings(settings)
    try:
        db.upgrade()
    except (CommandError, SQLAlchemyError) as exc:
        raise LedgerError(f"database {db.engine.url.render_as_string(hide_password=True)}: {exc}") from exc
    return Ledger(db), Incidents(db)
