"""Images come only from the asset folders; missing ones become placeholders."""

from __future__ import annotations

from pathlib import Path

from printkit.diagnostics import Diagnostics
from printkit.model import Figure, InlineImage
from printkit.sources import parse_guide


def parse(text: str, dirs: list[Path], **kw: object):  # type: ignore[no-untyped-def]
    diag = Diagnostics()
    guide = parse_guide(text, source=Path("i.md"), locale="en-US", asset_dirs=dirs,
                        diagnostics=diag, **kw)  # type: ignore[arg-type]
    return guide, diag


def assets(tmp_path: Path) -> Path:
    root = tmp_path / "assets"
    (root / "photos").mkdir(parents=True)
    (root / "photos" / "garden.png").write_bytes(b"\x89PNG fake")
    (root / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / "secret.png").write_bytes(b"\x89PNG secret")
    return root


def test_site_paths_are_found_by_file_name(tmp_path: Path) -> None:
    root = assets(tmp_path)
    guide, diag = parse('[<img src="/images/fit-600/x/garden.png\n" alt="Beds">](/learn)\n',
                        [root])
    (figure,) = guide.blocks
    assert isinstance(figure, Figure)
    assert figure.image.path == (root / "photos" / "garden.png").resolve()
    assert figure.image.alt == "Beds" and figure.link and figure.link.url.endswith("/learn")
    assert len(diag) == 0


def test_relative_paths_resolve_inside_the_folder(tmp_path: Path) -> None:
    root = assets(tmp_path)
    guide, _ = parse("![logo](logo.svg)\n\n![g](photos/garden.png)", [root])
    assert [b.image.path.name for b in guide.blocks] == ["logo.svg", "garden.png"]  # type: ignore[union-attr]


def test_no_escape_from_the_asset_folders(tmp_path: Path) -> None:
    root = assets(tmp_path)
    text = "![a](../secret.png)\n\n![b](/etc/passwd)\n\n![c](file:///etc/passwd)\n"
    guide, diag = parse(text, [root])
    assert [b.image.path for b in guide.blocks] == [None, None, None]  # type: ignore[union-attr]
    assert diag.codes() == ["image-outside-assets", "image-missing", "image-scheme"]
    assert [d.location.line for d in diag] == [1, 3, 5]


def test_missing_image_is_a_placeholder_with_warning(tmp_path: Path) -> None:
    guide, diag = parse("\n\n![A hall](https://example.org/hall.jpg)", [assets(tmp_path)])
    (figure,) = guide.blocks
    assert isinstance(figure, Figure) and figure.image.path is None
    assert figure.image.alt == "A hall" and figure.image.src == "https://example.org/hall.jpg"
    (warning,) = diag
    assert warning.code == "image-missing" and warning.location.line == 3
    assert warning.location.file == "i.md" and "hall.jpg" in warning.message


def test_network_allowed_keeps_the_url_without_warning(tmp_path: Path) -> None:
    guide, diag = parse("![x](/img/far.png)", [assets(tmp_path)], allow_network=True)
    (figure,) = guide.blocks
    assert figure.image.src == "https://hourofcode.com/img/far.png"  # type: ignore[union-attr]
    assert figure.image.path is None and len(diag) == 0  # type: ignore[union-attr]


def test_image_inside_text_stays_inline(tmp_path: Path) -> None:
    guide, _ = parse("Look ![logo](logo.svg) here", [assets(tmp_path)])
    assert any(isinstance(i, InlineImage) for i in guide.blocks[0].children)  # type: ignore[union-attr]
