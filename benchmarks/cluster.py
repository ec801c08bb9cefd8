"""Certificates on a Dask cluster: certificates/s, client memory, and the Done-when check.

Starts a real ``dask scheduler`` and ``dask worker`` processes (``.venv/bin/dask``,
one thread each, loopback), then runs ``printkit certificates`` on a mixed-script
list (Latin, Arabic, Hebrew, Devanagari, Tamil, Thai, Khmer, CJK, Cyrillic,
Greek; a QR code per certificate) as a separate process each time:

    python benchmarks/cluster.py check [--names 20000]   # --jobs 1 = cluster = worker killed
    python benchmarks/cluster.py bench [--names 20000] [--rss 2000,20000,80000]

``bench`` prints certificates/s (end to end: reading the list, rendering the
design, every page, the file finished) for ``--jobs 1``, ``--jobs 2`` and the
cluster with 1 and 2 workers, then the client's peak RSS as N grows.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from certificates import mixed_names  # noqa: E402 - the same list as the one-machine bench

BIN = Path(sys.executable).parent
DASK = BIN / "dask"
#: Runs printkit in this interpreter and reports the process's own peak RSS (kB).
RUNNER = (
    "import resource, sys; from printkit.cli import main; code = main(sys.argv[1:]); "
    "u = resource.getrusage(resource.RUSAGE_SELF); "
    "c = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print('PEAK_RSS_KB', u.ru_maxrss, u.ru_utime + u.ru_stime, c.ru_utime + c.ru_stime, "
    "file=sys.stderr); "
    "sys.exit(code)"
)
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1765000000", "PYTHONUNBUFFERED": "1"}


def write_names(n: int, folder: Path) -> Path:
    path = folder / f"names-{n}.txt"
    if not path.exists():
        path.write_text("\n".join(mixed_names(n)) + "\n", encoding="utf-8")
    return path


def certificates(names: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-c", RUNNER, "-q", "certificates", str(names), "--event", "Robot Garden",
        "--date", "2026-12-09", "--locale", "fr-FR",
        "--verify-url", "https://example.org/verify/{id}", "-o", str(out), *extra,
    ]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Cluster:
    """A ``dask scheduler`` and its ``dask worker`` processes on 127.0.0.1."""

    def __init__(self, folder: Path, port: int = 0) -> None:
        port = port or _free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        self.folder = folder
        self.workers: list[subprocess.Popen[bytes]] = []
        self.scheduler = self._start(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
             "--no-dashboard"], "scheduler")
        self._wait(0)

    def _start(self, argv: list[str], name: str) -> subprocess.Popen[bytes]:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 - lives with the process
        return subprocess.Popen(argv, stdout=log, stderr=log, env=ENV, start_new_session=True)

    def _count(self) -> int:
        import distributed  # noqa: PLC0415

        with distributed.Client(self.address, timeout=10, set_as_default=False) as client:
            return len(client.scheduler_info()["workers"])

    def _wait(self, count: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self._count() == count:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"the cluster did not reach {count} worker(s); see {self.folder}")

    def add_worker(self) -> None:
        name = f"worker{len(self.workers)}"
        self.workers.append(self._start(
            [str(DASK), "worker", self.address, "--nthreads", "1", "--nworkers", "1",
             "--host", "127.0.0.1", "--no-dashboard", "--name", name], name))
        self._wait(sum(w.poll() is None for w in self.workers))

    def kill_worker(self) -> None:
        """SIGKILL a worker: its nanny and its worker process (the whole process group)."""
        victim = self.workers.pop()
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.workers, self.scheduler]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def cluster(folder: Path, workers: int) -> Iterator[Cluster]:
    c = Cluster(folder)
    try:
        for _ in range(workers):
            c.add_worker()
        yield c
    finally:
        c.close()


def run(argv: list[str]) -> tuple[float, int, float, float]:
    """Wall seconds, peak RSS (MB), CPU seconds of one printkit run's main process and of
    its own worker processes (``--jobs``)."""
    started = time.perf_counter()
    result = subprocess.run(argv, check=False, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv[3:])} failed:\n{result.stderr[-3000:]}")
    line = next(ln for ln in result.stderr.splitlines() if ln.startswith("PEAK_RSS_KB"))
    _, rss, cpu, children = line.split()
    return seconds, int(rss) // 1024, float(cpu), float(children)


def run_killing(argv: list[str], c: Cluster, out: Path, chunks: int) -> float:
    """Run, and SIGKILL one worker once a third of the chunks are finished."""
    parts = out.parent / f".{out.name}.parts"
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    killed_at = None
    while process.poll() is None:
        done = len(list(parts.glob("*.part"))) if parts.is_dir() else 0
        if killed_at is None and done >= chunks / 3:
            c.kill_worker()
            killed_at = done
            print(f"  killed one worker after {done}/{chunks} chunks", flush=True)
        time.sleep(0.05)
    if process.returncode != 0 or killed_at is None:
        assert process.stderr is not None
        raise SystemExit(f"killed run failed (kill at {killed_at}):\n{process.stderr.read()}")
    return time.perf_counter() - started


def check(n: int, folder: Path) -> None:
    names = write_names(n, folder)
    chunks = -(-n // 500)
    local = folder / "local.pdf"
    seconds, *_ = run(certificates(names, local, "--jobs", "1"))
    print(f"--jobs 1:              {sha256(local)}  ({n / seconds:.0f} certificates/s)")
    with cluster(folder, 2) as c:
        remote = folder / "cluster.pdf"
        seconds, *_ = run(certificates(names, remote, "--scheduler", c.address))
        print(f"--scheduler, 2 workers: {sha256(remote)}  ({n / seconds:.0f} certificates/s)")
        killed = folder / "killed.pdf"
        seconds = run_killing(certificates(names, killed, "--scheduler", c.address), c, killed,
                              chunks)
        print(f"one worker SIGKILLed:  {sha256(killed)}  ({n / seconds:.0f} certificates/s)")
    same = sha256(local) == sha256(remote) == sha256(killed)
    print("SAME SHA-256" if same else "DIFFERENT SHA-256")
    if not same:
        raise SystemExit(1)


def _row(label: str, n: int, *measured: float) -> None:
    seconds, rss, cpu, pool = (*measured, 0.0)[:4]
    extra = f" (+ {1000 * pool / n:.2f} in its --jobs processes)" if pool else ""
    print(f"{label:<26} {n / seconds:7.0f} certificates/s  {seconds:6.1f} s  client {rss:4.0f} MB, "
          f"{1000 * cpu / n:5.2f} CPU ms/certificate{extra}", flush=True)


def _cpu() -> float:
    """This worker process's CPU seconds (run on each worker)."""
    times = os.times()
    return times.user + times.system


def workers_state(address: str) -> tuple[float, list[int]]:
    """The workers' CPU seconds so far (summed) and each one's memory (MB)."""
    import distributed  # noqa: PLC0415

    with distributed.Client(address, timeout=10, set_as_default=False) as client:
        cpu = sum(client.run(_cpu).values())
        info = client.scheduler_info()["workers"].values()
        return cpu, [int(w["metrics"]["memory"] / 2**20) for w in info]


def cluster_row(label: str, names: Path, out: Path, address: str, n: int) -> None:
    before, _ = workers_state(address)
    seconds, rss, cpu, _ = run(certificates(names, out, "--scheduler", address))
    after, memory = workers_state(address)
    _row(label, n, seconds, rss, cpu)
    print(f"{'':26} workers: {1000 * (after - before) / n:5.2f} CPU ms/certificate, "
          f"memory {memory} MB", flush=True)


def bench(n: int, sizes: list[int], folder: Path) -> None:
    names = write_names(n, folder)
    print(f"{n} mixed-script certificates with a QR code each, end to end "
          f"(list, design, pages, file finished); {os.cpu_count()} cores here")
    for jobs in (1, 2):
        _row(f"--jobs {jobs}", n, *run(certificates(names, folder / "local.pdf", "--jobs",
                                                    str(jobs))))
    with cluster(folder, 1) as c:
        for workers in (1, 2):
            if workers == 2:
                c.add_worker()
            run(certificates(write_names(1000, folder), folder / "warm.pdf", "--scheduler",
                             c.address))  # workers import printkit and load fonts once
            out = folder / "cluster.pdf"
            cluster_row(f"--scheduler, {workers} worker(s)", names, out, c.address, n)
        print(f"bytes per certificate: {out.stat().st_size / n:.0f}")
        print("client with --scheduler (2 workers) as N grows:")
        for size in sizes:
            cluster_row(f"  N = {size}", write_names(size, folder), folder / "n.pdf", c.address,
                        size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", nargs="?", default="bench", choices=("check", "bench"))
    parser.add_argument("--names", type=int, default=20000)
    parser.add_argument("--rss", default="2000,20000,80000", help="sizes for the RSS series")
    parser.add_argument("--keep", type=Path, help="work folder to keep (default: temporary)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="printkit-cluster-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if args.mode == "check":
            check(args.names, folder)
        else:
            bench(args.names, [int(s) for s in args.rss.split(",")], folder)


if __name__ == "__main__":
    main()
