"""Where the work of a run happens: this process, forked processes, or a Dask cluster.

An :class:`~printkit.executors.base.Executor` maps one function over keyed
items and yields the results in order. :mod:`.local` runs them here,
:mod:`.dask` on the workers of a ``dask.distributed`` scheduler (the optional
extra ``printkit[cluster]``); :mod:`.checks` makes sure a worker would make
the same bytes (same printkit, same fonts). :mod:`.certificates` and
:mod:`.kit` are the hooks of ``printkit certificates --scheduler`` and
``printkit build --scheduler``.

For a program (the web service, a script), the entry points take a scheduler
address: ``CertificateOptions(..., scheduler="tcp://host:8786")`` for
:func:`printkit.documents.certificates.write_certificates`, and
``BuildOptions(scheduler=...)`` for :func:`printkit.kit.build.build_kit`; or
:func:`connect` for an executor of one's own.
"""

from __future__ import annotations

import os

from .base import Executor
from .local import InProcess, Processes

#: The environment variable Dask itself reads for the scheduler's address.
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"


def scheduler_address(value: str | None) -> str | None:
    """``--scheduler``'s value, else ``$DASK_SCHEDULER_ADDRESS``, else None (run here)."""
    return value or os.environ.get(SCHEDULER_ENV) or None


def connect(address: str, *, timeout: float | None = None, retries: int = 3) -> Executor:
    """An executor on the Dask scheduler at ``address``; a
    :class:`~printkit.errors.ClusterError` naming it within ``timeout`` seconds
    (default 10, or ``$PRINTKIT_SCHEDULER_TIMEOUT``) when it does not answer or has no
    worker."""
    from .dask import DaskExecutor  # noqa: PLC0415 - optional extra

    return DaskExecutor(address, timeout=timeout, retries=retries)


def local(jobs: int = 1) -> Executor:
    """An executor on this machine: this process, or ``jobs`` forked processes."""
    return InProcess() if jobs <= 1 else Processes(jobs)


__all__ = ["SCHEDULER_ENV", "Executor", "InProcess", "Processes", "connect", "local",
           "scheduler_address"]
