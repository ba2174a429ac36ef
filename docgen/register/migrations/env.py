"""Alembic environment for the register: the engine comes from docgen, not alembic.ini.

``docgen db upgrade`` (and the app at start, unless ``DOCGEN_DATABASE_UPGRADE=off``)
run these migrations through :func:`docgen.register.db.upgrade`.
"""

from __future__ import annotations

from alembic import context

from docgen.register.models import Base
from docgen.rounds import models as _rounds_models  # noqa: F401  (their tables, on Base)
from docgen.store import models as _store_models  # noqa: F401  (the template store's, on Base)

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` run by hand: use the settings
    from docgen.config import Settings
    from docgen.register.db import database_url, make_engine

    engine = make_engine(database_url(Settings.from_env()))

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
