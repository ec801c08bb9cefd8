"""Read a guide (Markdown + YAML front matter + inline HTML + placeholders) into a :class:`Guide`.

The pipeline, one module per step::

    bytes ─ decode ─► text ─ frontmatter ─► meta + body ─ placeholders.protect ─►
    repair (indentation, ** x **, < strong>) ─ markdown ─► tree ─ build ─► blocks
"""

from __future__ import annotations

import codecs
import contextlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..diagnostics import Diagnostics
from ..errors import GuideError, Location, PlaceholderError
from ..model import Block, Event, Guide, Heading, iter_blocks, plain_text
from ..resources import assets_dir
from .build import Converter, ReadReport
from .catalog import Catalog
from .frontmatter import split_front_matter
from .images import AssetFinder
from .keys import LazyKnownKeys
from .markdown import parse_markdown
from .placeholder_repair import repair_placeholders
from .placeholders import Placeholder, PlaceholderTable, Resolver
from .profile import SiteProfile, load_profile
from .repair import repair

_NO_EVENT = Event()


def read_guide(
    path: Path,
    *,
    locale: str,
    event: Event = _NO_EVENT,
    catalog: Catalog | None = None,
    profile: SiteProfile | None = None,
    values: Mapping[str, str] = {},
    asset_dirs: Sequence[Path] = (),
    allow_network: bool = False,
    strict: bool = False,
    diagnostics: Diagnostics | None = None,
    overrides: Mapping[int, tuple[Placeholder, str]] | None = None,
    report: ReadReport | None = None,
) -> Guide:
    """Read the guide file at ``path`` for ``locale`` (a tag such as ``fr-FR``).

    :param event: dates (for ``campaign_date/*``), site base URL and values.
    :param catalog: translated strings for ``{{ key }}`` and ``hoc_s(:key)``.
    :param profile: the site profile (default: the shipped one).
    :param values: user values; they win over ``event.values``, the catalog and the profile.
    :param asset_dirs: folders images may come from (the shipped assets are added).
    :param allow_network: keep remote image URLs for the renderer to fetch.
    :param strict: an unresolved placeholder raises :class:`PlaceholderError`.
    :param diagnostics: collects warnings (a private one is used when None).
    :param overrides: see :func:`parse_guide`.
    :param report: see :func:`parse_guide`.
    :raises GuideError: the file cannot be read or decoded, or its front matter is bad.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise GuideError(
            f"cannot read guide: {exc.strerror or exc}",
            Location.of(path),
            "check the path and that the file is readable",
        ) from exc
    return parse_guide(
        decode_guide(raw, path),
        source=Path(path),
        locale=locale,
        event=event,
        catalog=catalog,
        profile=profile,
        values=values,
        asset_dirs=asset_dirs,
        allow_network=allow_network,
        strict=strict,
        diagnostics=diagnostics,
        overrides=overrides,
        report=report,
    )


def decode_guide(raw: bytes, path: Path | None = None) -> str:
    """Guide bytes as text: UTF-8 (BOM allowed) or UTF-16 with a BOM.

    :raises GuideError: other encodings or binary data, naming the first bad line.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise GuideError("bad UTF-16 text", Location.of(path),
                             "save the guide as UTF-8") from exc
    if b"\x00" in raw[:8192]:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise GuideError("this is not a text file (it contains NUL bytes)",
                         Location.of(path, line), "give a Markdown guide (.md or .txt)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        guess = _guess_encoding(raw)
        hint = "save the guide as UTF-8"
        if guess:
            hint += f" (it looks like {guess}: iconv -f {guess} -t utf-8)"
        raise GuideError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", Location.of(path, line), hint
        ) from exc


def _guess_encoding(raw: bytes) -> str | None:
    from charset_normalizer import from_bytes  # noqa: PLC0415 - only for non-UTF-8 guides

    best = from_bytes(raw[:65536]).best()
    return str(best.encoding) if best is not None else None


def parse_guide(
    text: str,
    *,
    source: Path | None = None,
    locale: str,
    event: Event = _NO_EVENT,
    catalog: Catalog | None = None,
    profile: SiteProfile | None = None,
    values: Mapping[str, str] = {},
    asset_dirs: Sequence[Path] = (),
    allow_network: bool = False,
    strict: bool = False,
    diagnostics: Diagnostics | None = None,
    overrides: Mapping[int, tuple[Placeholder, str]] | None = None,
    report: ReadReport | None = None,
) -> Guide:
    """Parse guide text (see :func:`read_guide`; ``source`` names it in messages).

    :param overrides: placeholders (by index) whose key the source guide restores
        (see :mod:`.align`).
    :param report: filled with every placeholder and what became of it.
    """
    diag = diagnostics if diagnostics is not None else Diagnostics(strict=strict)
    profile = profile if profile is not None else load_profile()
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    site_url = event.site_url
    if site_url == _NO_EVENT.site_url and profile.site_url:
        site_url = profile.site_url
    resolver = Resolver(
        locale=locale,
        values={**event.values, **values},
        catalog=catalog,
        profile=profile,
        site_url=site_url,
        start=event.date,
        end=event.end_date,
    )
    if resolver.babel_locale is None:
        diag.warn("locale-unknown", f"unknown locale {locale!r}: dates use English",
                  Location.of(source))
    text, fixes = repair_placeholders(text)
    for line, was, now in fixes:
        diag.warn("placeholder-repaired", f"damaged placeholder {was!r} read as {now!r}",
                  Location(str(source) if source else None, line))
    table = PlaceholderTable()
    table.avoid(text)
    front = split_front_matter(text, source=source, protect=table.protect)
    body = table.protect("\n".join(front.body_lines), 1)
    lines = repair(body.split("\n"))
    folders = [*asset_dirs]
    with contextlib.suppress(FileNotFoundError):
        folders.append(assets_dir())
    converter = Converter(
        table=table,
        resolver=resolver,
        finder=AssetFinder.create(folders, site_url, allow_network),
        diagnostics=diag,
        source=source,
        strict=strict,
        known=LazyKnownKeys(profile, catalog, resolver.values),
        overrides=overrides,
    )
    tree = parse_markdown("\n".join(lines), converter.warn)
    blocks = tuple(converter.blocks(tree))
    meta = {key: _meta_value(value, converter) for key, value in front.data.items()
            if key != "title"}
    title = _title(front.data.get("title"), blocks, converter, source)
    meta["title"] = title
    if report is not None:
        report.items = list(table.items)
        report.outcomes = dict(converter.outcomes)
    return Guide(title=title, blocks=blocks, source=source, locale=locale, meta=meta)


def _meta_value(value: object, converter: Converter) -> object:
    """Front-matter values with placeholders expanded to plain text."""
    if isinstance(value, str):
        return " ".join(_plain(value, converter).split())
    if isinstance(value, list):
        return [_meta_value(v, converter) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _meta_value(v, converter) for k, v in value.items()}
    return value


def _plain(text: str, converter: Converter) -> str:
    """Protected text with its placeholders expanded (markers as ``[key]``)."""
    parts: list[str] = []
    for part in converter.table.split(text):
        if isinstance(part, str):
            parts.append(part)
            continue
        value = converter.resolver.resolve(part) if part.form != "broken" else None
        if value is None:
            parts.append(f"[{converter.display_key(part)}]")
        else:
            items = converter.value_items(value, part, 0)
            parts.append(plain_text(tuple(converter.flat_inlines(items))))
    return "".join(parts)


def _title(raw: object, blocks: tuple[Block, ...], converter: Converter,
           source: Path | None) -> str:
    """The front-matter title, else the first level-1 heading, else the file name."""
    first_h1 = next((b for b in iter_blocks(blocks) if isinstance(b, Heading) and b.level == 1),
                    None)
    fallback = plain_text(first_h1.children).strip() if first_h1 else ""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, str) and raw.strip():
        missing = [p for p in converter.table.found(raw)
                   if p.form == "broken" or converter.resolver.resolve(p) is None]
        if not missing:
            title = " ".join(_plain(raw, converter).split())
            if title:
                return title
        else:
            first = missing[0]
            loc = Location(str(source) if source else None, first.line,
                           key=converter.display_key(first))
            message = f"no value for placeholder {' '.join(first.raw.split())} in the title"
            if converter.strict:
                raise PlaceholderError(message, loc, "pass the strings file with --strings, "
                                       "or write the title in the front matter")
            if fallback:
                converter.diag.warn("title-fallback", message + "; using the first heading", loc)
            else:
                converter.diag.warn("placeholder-unknown", message, loc)
    if fallback:
        return fallback
    return source.stem if source is not None else ""
