"""Delivery by e-mail: each participant's certificate, the guide, to every address.

See :func:`printkit.deliver.run.mail`. Modules: :mod:`.recipients` (who, checked
addresses, which PDF), :mod:`.message` (rendering), :mod:`.outbox` (``.eml``
files and the journal), :mod:`.send` (SMTP with TLS, rate limit and retries).
"""

from __future__ import annotations

from .run import MailOptions, MailResult, RowResult, mail

__all__ = ["MailOptions", "MailResult", "RowResult", "mail"]
