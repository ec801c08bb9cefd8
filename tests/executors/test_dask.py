"""Certificates and kits on a real Dask cluster (LocalCluster, worker processes, loopback).

One cluster of two single-threaded worker processes serves the module. Every
test compares with the same run on one process: the bytes must be the same.
Each test is bounded in time (faulthandler ends a stuck one).
"""

from __future__ import annotations

import faulthandler
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

distributed = pytest.importorskip("distributed")

from printkit.cli import main  # noqa: E402
from printkit.documents.certificates import CertificateOptions, write_certificates  # noqa: E402
from printkit.executors import connect  # noqa: E402
from printkit.executors.certificates import CertificateCluster  # noqa: E402
from printkit.kit.build import BuildOptions, build_kit  # noqa: E402
from printkit.kit.config import load_kit  # noqa: E402
from printkit.model import Event  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DASK = Path(sys.executable).with_name("dask")
CJK_DIR = Path("/usr/share/fonts/opentype")

#: Own example names in many scripts; combined into a long list.
GIVEN = ["Ada", "José", "Søren", "مريم", "דוד", "किरण", "கொடி", "สมชาย", "សុខ", "太郎", "지민",
         "Иван", "Νίκος"]
FAMILY = ["Lovelace", "Núñez", "بن أحمد", "כהן", "शर्मा", "கோபால்", "ใจดี", "山田", "김", "Петрова"]


def names(count: int) -> str:
    rows = [f"{GIVEN[i % len(GIVEN)]} {FAMILY[(i * 7) % len(FAMILY)]} {i}" for i in range(count)]
    return "\n".join(rows) + "\n"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def bounded() -> Iterator[None]:
    """No test of this module may hang: dump the stacks and stop after 60 s."""
    faulthandler.dump_traceback_later(60, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster: Any) -> Iterator[Any]:
    with distributed.Client(cluster, set_as_default=False) as c:
        yield c


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("people") / "people.txt"
    path.write_text(names(3200), encoding="utf-8")  # 7 chunks of 500 pages
    return path


def options(people: Path, **kw: Any) -> CertificateOptions:
    return CertificateOptions(
        people=people,
        event=Event(name="Robot Garden", organiser="Friends of the Library"),
        verify_url="https://example.org/verify/{id}",
        locale="fr-FR",
        **kw,
    )


@pytest.fixture(scope="module")
def reference(people: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The merged file made on one process."""
    out = tmp_path_factory.mktemp("local") / "all.pdf"
    write_certificates(options(people), out)
    return out


def test_merged_is_byte_identical_to_one_process(
    cluster: Any, people: Path, reference: Path, tmp_path: Path
) -> None:
    out = tmp_path / "all.pdf"
    result = write_certificates(options(people, scheduler=cluster.scheduler_address), out)
    assert result.pages == 3200
    assert sha(out) == sha(reference)
    manifest = out.with_name("all.manifest.csv")
    assert manifest.read_bytes() == reference.with_name("all.manifest.csv").read_bytes()
    assert not (tmp_path / ".all.pdf.parts").exists()  # finished: parts removed


def test_split_manifest_and_zip_identical(cluster: Any, tmp_path: Path) -> None:
    few = tmp_path / "few.txt"
    few.write_text(names(260), encoding="utf-8")  # two batches of files
    local = options(few, split=tmp_path / "local", zip=True)
    write_certificates(local, None)
    remote = replace(local, split=tmp_path / "remote", scheduler=cluster.scheduler_address)
    write_certificates(remote, None)
    a, b = (tmp_path / "local" / "manifest.csv"), (tmp_path / "remote" / "manifest.csv")
    assert a.read_bytes() == b.read_bytes()
    assert len(a.read_text(encoding="utf-8").splitlines()) == 261
    assert sha(tmp_path / "local.zip") == sha(tmp_path / "remote.zip")
    journal = (tmp_path / "remote" / ".printkit-journal").read_text(encoding="utf-8")
    assert len(journal.splitlines()) == 260


def test_a_worker_with_several_threads_same_bytes(tmp_path: Path) -> None:
    """Batches of split files made at once by threads of one worker (``dask worker``
    defaults to a thread per core): each thread needs its own page maker."""
    few = tmp_path / "few.txt"
    few.write_text(names(400), encoding="utf-8")  # two batches of 200
    local = options(few, split=tmp_path / "local")
    write_certificates(local, None)
    with distributed.LocalCluster(
        n_workers=1, processes=False, threads_per_worker=2, host="127.0.0.1", protocol="tcp",
        dashboard_address=None,
    ) as threaded:
        remote = replace(local, split=tmp_path / "remote", scheduler=threaded.scheduler_address)
        write_certificates(remote, None)
    a, b = (tmp_path / "local" / "manifest.csv"), (tmp_path / "remote" / "manifest.csv")
    assert a.read_bytes() == b.read_bytes()


def test_interrupted_client_resumes_from_its_chunks(
    cluster: Any, people: Path, reference: Path, tmp_path: Path
) -> None:
    out = tmp_path / "all.pdf"
    opts = options(people, scheduler=cluster.scheduler_address)

    class Stop:
        done = 0

        def start(self, total: int) -> None:
            pass

        def advance(self, count: int) -> None:
            self.done += count
            if self.done >= 1500:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_certificates(opts, out, progress=Stop())
    assert not out.exists()
    parts = sorted((tmp_path / ".all.pdf.parts").glob("*.part"))
    assert len(parts) >= 3
    # Resumed here, on one process: the parts are the same, whoever made them.
    with connect(cluster.scheduler_address) as executor:
        cluster_run = CertificateCluster(executor)
        from printkit.documents.certificates import _write  # noqa: PLC0415

        result = _write(opts, out, None, None, cluster_run)
    assert result.pages == 3200
    assert sha(out) == sha(reference)


def test_worker_killed_mid_run_same_bytes(
    cluster: Any, client: Any, people: Path, reference: Path, tmp_path: Path
) -> None:
    pids = client.run(os.getpid)
    assert len(pids) == 2
    victim = sorted(pids.values())[0]
    killed: list[int] = []

    class KillOnFirstChunk:
        def start(self, total: int) -> None:
            pass

        def advance(self, count: int) -> None:
            if not killed:
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

    out = tmp_path / "all.pdf"
    write_certificates(
        options(people, scheduler=cluster.scheduler_address), out, progress=KillOnFirstChunk()
    )
    assert killed == [victim]
    assert sha(out) == sha(reference)
    client.wait_for_workers(2, timeout=30)  # the nanny restarts it, for the next tests
    assert victim not in client.run(os.getpid).values()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_unreachable_scheduler_is_a_clear_error(
    people: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PRINTKIT_SCHEDULER_TIMEOUT", "1")
    address = f"tcp://127.0.0.1:{_free_port()}"
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", address)  # the variable works too
    started = time.monotonic()
    code = main(["certificates", str(people), "--event", "X", "-o", str(tmp_path / "a.pdf")])
    assert code == 1
    assert time.monotonic() - started < 8
    err = capsys.readouterr().err
    assert f"cannot reach the Dask scheduler at {address}" in err
    assert not (tmp_path / "a.pdf").exists()


def test_silent_server_is_not_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    """Something listens, but never answers Dask's handshake."""
    monkeypatch.setenv("PRINTKIT_SCHEDULER_TIMEOUT", "1")
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(ConnectionError, match=f"scheduler at {address} did not answer"):
            connect(address)
        assert time.monotonic() - started < 6


@pytest.mark.skipif(not CJK_DIR.is_dir(), reason="needs the Noto CJK fonts")
def test_worker_without_a_needed_font_is_refused(
    cluster: Any, client: Any, people: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real worker process whose fontconfig does not see the CJK fonts."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><fontconfig><dir>/usr/share/fonts/truetype</dir>'
        f"<cachedir>{tmp_path / 'fc'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    client.wait_for_workers(2, timeout=30)  # a worker killed by an earlier test is back
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    worker = subprocess.Popen(
        [str(DASK), "worker", cluster.scheduler_address, "--nthreads", "1", "--no-nanny",
         "--host", "127.0.0.1", "--no-dashboard"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        client.wait_for_workers(3, timeout=30)
        # The new worker by its process id (addresses of restarted workers change).
        pids = client.run(os.getpid)
        (bad,) = [address for address, pid in pids.items() if pid == worker.pid]
        before = set(pids) - {bad}
        code = main(["certificates", str(people), "--event", "X", "-o", str(tmp_path / "a.pdf"),
                     "--scheduler", cluster.scheduler_address])
        err = capsys.readouterr().err
        assert code == 1
        assert f"worker {bad}" in err
        assert "CJK" in err and "is not installed" in err
        assert not (tmp_path / "a.pdf").exists()
        # Only the bad worker is named; and names that need no CJK face run on all three.
        assert all(f"worker {w} " not in err for w in before)
        latin = tmp_path / "latin.txt"
        latin.write_text("Ada Lovelace\nJosé Núñez\nSøren Kierkegaard\n", encoding="utf-8")
        opts = options(latin, scheduler=cluster.scheduler_address)
        assert write_certificates(opts, tmp_path / "latin.pdf").pages == 3
        write_certificates(replace(opts, scheduler=None), tmp_path / "latin-local.pdf")
        assert sha(tmp_path / "latin.pdf") == sha(tmp_path / "latin-local.pdf")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    deadline = time.monotonic() + 20
    while len(client.scheduler_info()["workers"]) > 2 and time.monotonic() < deadline:
        time.sleep(0.2)


def _state(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "kit.json").read_text(encoding="utf-8"))
    for document in data["documents"]:
        document["seconds"] = 0
    return data


def test_kit_build_same_kit_json_and_files(cluster: Any, tmp_path: Path) -> None:
    kit = load_kit(ROOT / "examples" / "kit.toml")
    wanted = BuildOptions(only=("handout", "agenda", "poster"), locales=("ar-EG",))
    local = build_kit(kit, replace(wanted, output=tmp_path / "local"))
    remote = build_kit(
        kit, replace(wanted, output=tmp_path / "remote", scheduler=cluster.scheduler_address)
    )
    assert local.ok and remote.ok
    assert sum(o.status == "built" for o in remote.outcomes) >= 4
    assert _state(tmp_path / "local") == _state(tmp_path / "remote")
    files = [f.path for o in local.outcomes for f in o.files]
    assert any(p.endswith(".pdf") for p in files)
    for path in files:
        assert sha(tmp_path / "local" / path) == sha(tmp_path / "remote" / path)
    # A re-run on the cluster finds everything up to date.
    again = build_kit(
        kit, replace(wanted, output=tmp_path / "remote", scheduler=cluster.scheduler_address)
    )
    assert all(o.status == "up-to-date" for o in again.outcomes)
