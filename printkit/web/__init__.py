"""``printkit serve``: the web pages, the JSON API and the verification pages.

An ASGI application (:func:`printkit.web.app.create_app`, Starlette) over the
same public API the command line uses (:mod:`printkit.documents`). Jobs run
off the request path in a worker pool (:mod:`printkit.web.jobs`); records live
in a SQLAlchemy database (:mod:`printkit.web.store`, SQLite in the data folder
by default, PostgreSQL for several instances), migrated by Alembic at start-up.

Needs the ``web`` extra: ``pip install 'printkit[web]'``.
"""

from __future__ import annotations
