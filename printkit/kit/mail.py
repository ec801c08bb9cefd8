"""``[documents.mail]`` of a kit: each locale's outbox, ready to send.

``printkit build`` renders, for every locale, ``<locale>/mail/outbox/`` (one
``.eml`` per participant, see :mod:`printkit.deliver`) with what the table
asks to attach: ``"certificates"`` (each participant's own, made here with
the kit's ``[documents.certificates]`` settings), ``"handout"`` or
``"agenda"`` (rendered here for the locale) and files (relative to the kit).
Nothing is sent: that stays an explicit
``printkit mail --outbox OUT/<locale>/mail/outbox --send``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..documents.certificates import CertificateOptions, write_certificates
from ..errors import KitError
from .config import DocumentConfig, Kit, pick

if TYPE_CHECKING:
    from ..diagnostics import Diagnostics
    from .registry import Built, Job, Variant

#: Documents of the kit a message can carry, rendered for the locale.
DOCUMENTS = ("handout", "agenda")


def _items(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value or ()]


def _per_locale(value: Any, locale: str) -> str:
    if isinstance(value, dict):
        found = pick(value, locale)
        return str(found[1]) if found else ""
    return str(value or "")


def _file(kit: Kit, value: str, key: str) -> Path:
    path = Path(value).expanduser()
    path = path if path.is_absolute() else kit.path.parent / path
    return kit.existing(path, "", key)


def mail_variants(kit: Kit, doc: DocumentConfig, locale: str) -> list[Variant]:
    """One outbox per locale; its inputs are the list, the body and the attached files."""
    from .registry import Variant, participants_path  # noqa: PLC0415 - registry imports us

    s = doc.settings
    people = participants_path(kit)
    if not s.get("from"):
        raise KitError("documents.mail needs from", kit.where("documents.mail.from"),
                       "e.g. from = 'Robot Garden <hello@example.org>'")
    subject = _per_locale(s.get("subject"), locale)
    if not subject:
        raise KitError(f"documents.mail has no subject for {locale}",
                       kit.where("documents.mail.subject"),
                       "e.g. subject = { en-US = 'Your certificate', fr-FR = 'Votre certificat' }")
    body = _per_locale(s.get("body"), locale)
    inputs = [people]
    if body:
        inputs.append(_file(kit, body, "documents.mail.body"))
    attach = _items(s.get("attach", ["certificates"]))
    layouts: list[str] = []
    for item in attach:
        if item == "certificates":
            layouts.append(str(_table(kit, "certificates").get("layout", "certificate")))
        elif item in DOCUMENTS:
            layouts.append(str(_table(kit, item).get("layout", item)))
        else:
            inputs.append(_file(kit, item, "documents.mail.attach"))
    settings = {**s, "subject": subject, "body": str(inputs[1]) if body else "",
                "attach": attach, "certificates": _table(kit, "certificates")}
    return [Variant("mail", "mail/outbox/outbox.json", tuple(inputs), tuple(layouts), settings)]


def _table(kit: Kit, kind: str) -> dict[str, Any]:
    return next((dict(d.settings) for d in kit.documents if d.kind == kind), {})


def render_mail(job: Job, diagnostics: Diagnostics) -> Built:
    """Write the locale's certificates, documents and outbox (nothing is sent)."""
    from ..deliver.run import MailOptions, prepare  # noqa: PLC0415
    from .registry import REGISTRY, Built, Job, participants_path  # noqa: PLC0415

    s = job.variant.settings
    kit = job.kit
    folder = job.output.parent.parent
    people = participants_path(kit)
    event = kit.event_for(job.locale)
    certificates: Path | None = None
    files: list[Path] = []
    for item in s["attach"]:
        if item == "certificates":
            c = s["certificates"]
            certificates = folder / "certificates"
            write_certificates(CertificateOptions(
                locale=job.locale, event=event, asset_dirs=kit.assets, layout_dirs=kit.layouts,
                strict=job.strict, people=people, layout=str(c.get("layout", "certificate")),
                verify_url=c.get("verify_url"), name_column=c.get("name_column"),
                sheet=c.get("sheet"), signatory=str(c.get("signatory", "")), split=certificates,
            ), None, diagnostics)
        elif item in DOCUMENTS:
            doc = DocumentConfig(item, _table(kit, item))
            variant = REGISTRY[item].variants(kit, doc, job.locale)[0]
            sub = Job(kit, doc, job.locale, variant, folder / "attachments", job.strict)
            files += [p for p in REGISTRY[item].render(sub, diagnostics).files
                      if p.suffix == ".pdf"]
        else:
            files.append(Path(item) if Path(item).is_absolute() else kit.path.parent / item)
    limit = float(s.get("size_limit", 10))
    entries = prepare(MailOptions(
        people=people, sender=str(s["from"]), subject=str(s["subject"]),
        body=Path(s["body"]) if s["body"] else None, certificates=certificates,
        attach=tuple(files), locale=job.locale, event=event, outbox=job.output.parent,
        email_column=s.get("email_column"), name_column=s["certificates"].get("name_column"),
        sheet=s["certificates"].get("sheet"), size_limit=int(limit * 1e6),
    ))
    for e in entries:
        if e.status == "refused":
            diagnostics.warn("mail-refused", f"row {e.row} ({e.name[:40]!r}): {e.reason}")
    outbox = job.output.parent / "messages"
    messages = tuple(outbox / e.file for e in entries if e.status == "ready")
    return Built(len(messages), (job.output, *messages))
