"""``printkit serve --scheduler tcp://…``: a job's certificate pages made on a real Dask
cluster (a LocalCluster of worker processes on loopback), recorded and verifiable as usual."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .helpers import pdf_pages_text, qr_on_page, wait_job

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(n_workers=1, processes=True, threads_per_worker=1,
                                  host="127.0.0.1", dashboard_address=":0") as local:
        yield local


def test_certificate_pages_on_the_cluster(cluster: Any, tmp_path: Path) -> None:
    from starlette.testclient import TestClient  # noqa: PLC0415

    from printkit.web.app import create_app  # noqa: PLC0415
    from printkit.web.config import Settings  # noqa: PLC0415

    settings = Settings(data_dir=tmp_path, scheduler="threads", public_url="http://testserver",
                        cluster=cluster.scheduler_address)
    names = [f"Cluster Person {i}" for i in range(600)]
    names[1] = "<script>alert(1)</script>"
    with TestClient(create_app(settings)) as client:
        answer = client.post("/api/certificates", data={"event": "E", "names": "\n".join(names)})
        state = wait_job(client, answer.json()["id"], timeout=120)
        assert state["status"] == "done", state
        pdf = client.get(f"/api/jobs/{state['id']}/certificates.pdf").content
        pages = pdf_pages_text(pdf)
        assert len(pages) == 600 and names[599] in pages[599]
        url = qr_on_page(pdf, 1)[0]
        page = client.get(url.removeprefix("http://testserver"))
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    # the workers made the pages: the scheduler ran the engine's chunk and file tasks
    with distributed.Client(cluster, set_as_default=False) as c:
        prefixes = c.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
        assert {"printkit-chunk", "printkit-files"} <= set(prefixes)  # merged pages, split files
