"""The outbox: every message as a ``.eml`` file, and a journal of what the server accepted.

Layout of ``OUTBOX/``:

- ``messages/<row>-<id>.eml``: each message exactly as it is sent (atomic writes);
- ``outbox.json``: one entry per input row (status, reason, Message-ID, file,
  size, attachments) and the SHA-256 of every input (list, body, attachments,
  certificates manifest, settings), written atomically once all are rendered;
- ``journal.jsonl``: one line per message the server accepted, appended and
  fsync'd before the next message is sent. A line cut by a crash is ignored.

A re-run with the same inputs reuses the files and sends only what the journal
lacks; a re-run whose inputs changed after something was sent is refused,
naming what changed, so two versions are never mixed in one run.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError, Location
from ..output import atomic_write

FORMAT = 1
STATE = "outbox.json"
JOURNAL = "journal.jsonl"
MESSAGES = "messages"

EntryStatus = Literal["ready", "refused"]


@dataclass
class Entry:
    """One input row in the outbox."""

    row: int
    name: str
    address: str
    status: EntryStatus
    reason: str = ""
    message_id: str = ""
    file: str = ""
    size: int = 0
    smtputf8: bool = False
    attachments: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Entry:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class Accepted:
    """One journal line: a message the server accepted."""

    message_id: str
    row: int
    address: str
    at: str
    name: str = ""

    @property
    def person(self) -> tuple[str, str]:
        """Who received it: the address (any case) and the name."""
        return self.address.casefold(), self.name


class Outbox:
    """An outbox folder (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    @property
    def state_path(self) -> Path:
        return self.folder / STATE

    @property
    def journal_path(self) -> Path:
        return self.folder / JOURNAL

    def message_path(self, entry: Entry) -> Path:
        return self.folder / MESSAGES / entry.file

    # ------------------------------------------------------------------ state

    def load(self) -> tuple[dict[str, str], list[Entry], dict[str, Any]] | None:
        """The inputs' hashes, entries and sender settings of the last preparation, or None."""
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
            entries = [Entry.from_json(e) for e in data["entries"]]
            return dict(data["inputs"]), entries, dict(data.get("settings", {}))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(
                f"unreadable outbox state: {exc}", Location.of(self.state_path),
                "remove the outbox folder to prepare the messages again",
            ) from None

    def save(
        self, inputs: Mapping[str, str], entries: Iterable[Entry], settings: Mapping[str, Any]
    ) -> None:
        data = {
            "format": FORMAT,
            "inputs": dict(inputs),
            "settings": dict(settings),
            "entries": [asdict(e) for e in entries],
        }
        atomic_write(self.state_path, (json.dumps(data, indent=1, ensure_ascii=False) + "\n")
                     .encode())

    def write_message(self, entry: Entry, data: bytes) -> None:
        atomic_write(self.message_path(entry), data)

    def read_message(self, entry: Entry) -> bytes:
        try:
            return self.message_path(entry).read_bytes()
        except OSError as exc:
            raise InputError(
                f"message file missing: {exc.strerror}", Location.of(self.message_path(entry)),
                "run the same command without --send to prepare the outbox again",
            ) from None

    def remove_stale(self, keep: set[str]) -> None:
        """Delete ``.eml`` files no entry names (from an earlier, different preparation)."""
        folder = self.folder / MESSAGES
        if folder.is_dir():
            for path in folder.glob("*.eml"):
                if path.name not in keep:
                    path.unlink(missing_ok=True)

    # ---------------------------------------------------------------- journal

    def accepted(self) -> dict[str, Accepted]:
        """Message-ID -> journal line, for every message the server accepted so far."""
        out: dict[str, Accepted] = {}
        try:
            lines = self.journal_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return out
        for line in lines:
            try:
                item = Accepted(**json.loads(line))
            except (ValueError, TypeError):
                continue  # a line cut by a crash: that message counts as not accepted
            out[item.message_id] = item
        return out

    def open_journal(self) -> Journal:
        return Journal(self.journal_path)


class Journal:
    """The append-only journal, fsync'd after every line, locked while open: two runs
    sending from one outbox at once would send twice. The lock dies with its process."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        new = not path.exists()
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self._fd)
            raise InputError(
                "another printkit mail is sending from this outbox", Location.of(path.parent),
                "wait for it to finish (or stop it); a re-run then sends only what is left",
            ) from None
        if os.fstat(self._fd).st_size:
            # A crash may have cut the last line: start ours on a fresh one.
            with open(path, "rb") as handle:
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    os.write(self._fd, b"\n")
        if new:
            _fsync_dir(path.parent)

    def record(self, item: Accepted) -> None:
        line = json.dumps(asdict(item), ensure_ascii=False) + "\n"
        os.write(self._fd, line.encode())
        os.fsync(self._fd)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def changed_inputs(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    """The inputs whose hash differs (or that appeared or went away).

    >>> changed_inputs({"list": "a", "body": "b"}, {"list": "a", "body": "c", "x": "d"})
    ['body', 'x']
    """
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
