"""Alembic environment: uses the engine handed over by lwcore.db.Database (no URL in any ini file)."""

from __future__ import annotations

import importlib

from alembic import context

from lwcore.db import Base

# Import every module that declares tables so autogenerate sees them.
for _mod in ("alerting.models", "ledger.models", "laborwatch.models", "laborwatch.web.models", "companies.models"):
    try:
        importlib.import_module(_mod)
    except ModuleNotFoundError as exc:
        if exc.name != _mod:
            raise

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
