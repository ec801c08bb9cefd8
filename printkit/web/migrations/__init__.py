"""Alembic migrations of the web service's database, run at start-up (see ``store.migrate``)."""
