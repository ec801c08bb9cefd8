"""Alembic environment: migrates the connection that :func:`printkit.web.store.migrate` passes."""

from __future__ import annotations

from alembic import context

from printkit.web.models import Base


def run() -> None:
    """Run the migrations on the connection handed over in the config's attributes."""
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


# Alembic runs this file with its context set; anything else importing it (a doctest
# collector, a linter) finds no config and nothing happens.
if getattr(context, "config", None) is not None:
    run()
