"""The kit: the example builds every document in every locale, incrementally, and bad kits
fail with messages naming the file and key (or row) while the rest is still built."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_skeleton
from pypdf import PdfReader

from printkit.cli import main
from printkit.digits import digit_table
from printkit.kit.build import BuildOptions, BuildReport, build_kit
from printkit.kit.config import load_kit
from tests.conftest import ROOT
from tests.pdfcheck import decode_qr, rasterise, text

LOCALES = ("en-US", "ar-EG", "fr-FR")
EXPECTED = (
    "handout.pdf",
    "agenda.pdf",
    "poster-a3.pdf",
    "poster-tabloid.pdf",
    "poster-bold-a3.pdf",
    "poster-bold-tabloid.pdf",
    "certificates.pdf",
)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The example kit, copied (so tests may touch its inputs) and built once."""
    root = tmp_path_factory.mktemp("kit")
    shutil.copytree(ROOT / "examples", root / "examples", ignore=shutil.ignore_patterns("out"))
    shutil.copytree(ROOT / "assets", root / "assets")
    kit = load_kit(root / "examples" / "kit.toml")
    report = build_kit(kit, BuildOptions(output=root / "out", jobs=2, previews=True))
    return root, report


def _statuses(report: BuildReport) -> dict[str, str]:
    return {o.key: o.status for o in report.outcomes}


def test_example_kit_builds_every_document_in_every_locale(
    example: tuple[Path, BuildReport],
) -> None:
    root, report = example
    out = root / "out"
    assert report.ok, [o.error for o in report.failed]
    manifest = json.loads((out / "kit.json").read_text(encoding="utf-8"))
    listed = {(d["locale"], f["path"]): f for d in manifest["documents"] for f in d["files"]}
    for locale in LOCALES:
        for name in EXPECTED:
            pdf = out / locale / name
            assert pdf.is_file(), pdf
            record = listed[(locale, f"{locale}/{name}")]
            assert record["pages"] == len(PdfReader(pdf).pages) >= 1
            assert record["bytes"] == pdf.stat().st_size
            assert pdf.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        with zipfile.ZipFile(out / f"robot-garden-{locale}.zip") as archive:
            assert set(EXPECTED) <= set(archive.namelist())
    certificates = [d for d in manifest["documents"] if d["document"] == "certificates"]
    assert {d["pages"] for d in certificates} == {30}  # one page per participant
    assert all(d["inputs"] for d in manifest["documents"])


def test_every_pdf_passes_qpdf_check(example: tuple[Path, BuildReport]) -> None:
    root, _ = example
    pdfs = sorted((root / "out").rglob("*.pdf"))
    assert len(pdfs) == len(LOCALES) * len(EXPECTED)
    for pdf in pdfs:
        check = subprocess.run(["qpdf", "--check", str(pdf)], check=False, capture_output=True)
        assert check.returncode == 0, (pdf, check.stdout[-500:])


def test_example_content(example: tuple[Path, BuildReport]) -> None:
    root, _ = example
    out = root / "out"
    ar_poster = text(out / "ar-EG" / "poster-a3.pdf").replace("\u202b", "").replace("\u202c", "")
    assert "حديقة الروبوت" in ar_poster and "مكتبة البلدية" in ar_poster  # per-locale event
    assert "Jardin des robots" in text(out / "fr-FR" / "poster-bold-a3.pdf")
    arabic = text(out / "ar-EG" / "handout.pdf").replace("\u202b", "").replace("\u202c", "")
    assert "خطوات صغيرة" in arabic and "أفكار كبيرة" in arabic
    assert "Petits pas, grandes idées." in text(out / "fr-FR" / "handout.pdf")
    (page,) = rasterise(out / "fr-FR" / "poster-bold-a3.pdf", dpi=72)
    assert decode_qr(page) == ["https://example.org/robot-garden/signup"]
    metadata = PdfReader(out / "en-US" / "poster-a3.pdf").metadata
    assert metadata is not None and metadata.author == "Friends of the Town Library"


def test_event_date_fills_the_guides_dates_per_locale(example: tuple[Path, BuildReport]) -> None:
    """``{{ campaign_date/* }}`` in each handout is the kit's event date, the locale's way
    (words and digits), never one language's text for every locale."""
    root, _ = example
    day = load_kit(root / "examples" / "kit.toml").event.date
    assert day is not None
    for tag in LOCALES:
        loc = Locale.parse(tag.replace("-", "_"))
        expected = format_skeleton("MMMMd", day, locale=loc).translate(digit_table(loc))
        printed = " ".join(text(root / "out" / tag / "handout.pdf").split())
        printed = printed.replace("\u202b", "").replace("\u202c", "").replace("\u202a", "")
        month = loc.months["format"]["wide"][day.month]
        assert month in printed and all(d in printed for d in expected if d.isdigit()), tag
        if tag != "en-US":
            assert "December" not in printed, tag


def test_rebuilds_only_what_changed(example: tuple[Path, BuildReport]) -> None:
    root, first = example
    kit_path = root / "examples" / "kit.toml"
    options = BuildOptions(output=root / "out", jobs=2, previews=True)
    stamps = {p: p.stat().st_mtime_ns for p in (root / "out").rglob("*.pdf")}

    again = build_kit(load_kit(kit_path), options)
    assert set(_statuses(again).values()) == {"up-to-date"}
    assert len(again.outcomes) == len(first.outcomes)
    assert stamps == {p: p.stat().st_mtime_ns for p in (root / "out").rglob("*.pdf")}

    strings = root / "examples" / "strings" / "fr.yml"
    strings.write_text(strings.read_text(encoding="utf-8").replace("Petits pas", "Pas à pas"))
    changed = build_kit(load_kit(kit_path), options)
    built = {k for k, s in _statuses(changed).items() if s == "built"}
    assert built == {"handout/fr-FR/handout", "agenda/fr-FR/agenda"}
    assert "Pas à pas, grandes idées." in text(root / "out" / "fr-FR" / "handout.pdf")

    people = root / "examples" / "participants.csv"
    people.write_text(people.read_text(encoding="utf-8") + "Ada Newcomer,Peas,ada@example.org\n")
    kit_text = kit_path.read_text(encoding="utf-8")
    kit_path.write_text(kit_text.replace("Un après-midi de code en famille", "Venez coder"))
    changed = build_kit(load_kit(kit_path), options)
    built = {k for k, s in _statuses(changed).items() if s == "built"}
    posters = {
        f"poster/fr-FR/{d}-{s}" for d in ("poster", "poster-bold") for s in ("A3", "Tabloid")
    }
    assert built == {f"certificates/{loc}/certificates" for loc in LOCALES} | posters
    assert len(PdfReader(root / "out" / "en-US" / "certificates.pdf").pages) == 31
    assert "Venez coder" in text(root / "out" / "fr-FR" / "poster-a3.pdf")


# --------------------------------------------------------------------------
# Bad kits: small, so they build fast


def _kit(tmp_path: Path, body: str, locales: str = '["en-US"]') -> Path:
    shutil.copy(ROOT / "examples" / "guides" / "en.md", tmp_path / "en.md")
    path = tmp_path / "kit.toml"
    path.write_text(
        f"locales = {locales}\n"
        '[event]\nname = "Robot Garden"\ndate = 2026-12-09\nstart = "14:00"\n'
        '[sources]\nguides = { en-US = "en.md" }\n' + body,
        encoding="utf-8",
    )
    return path


def test_typo_in_a_document_table_disables_only_that_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _kit(tmp_path, '[documents.handout]\n[documents.poster]\nsizez = ["A4"]\n')
    report = build_kit(load_kit(path), BuildOptions(output=tmp_path / "out"))
    (problem,) = report.problems
    assert problem.location is not None and problem.location.key == "documents.poster.sizez"
    message = problem.describe()
    assert str(path) in message and "did you mean 'sizes'?" in message
    assert _statuses(report) == {"handout/en-US/handout": "built"}
    assert (tmp_path / "out" / "en-US" / "handout.pdf").is_file()
    assert main(["-q", "build", str(path), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "documents.poster.sizez" in err and "kit.toml" in err


def test_typo_elsewhere_is_reported_and_the_documents_still_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _kit(tmp_path, "[documents.handout]\n[documents.poster]\n")
    path.write_text(path.read_text().replace("[event]\n", '[event]\norganizer = "Library"\n'))
    kit = load_kit(path)
    (problem,) = kit.problems
    assert problem.location is not None and problem.location.key == "event.organizer"
    assert "did you mean 'organiser'?" in problem.describe()
    report = build_kit(kit, BuildOptions(output=tmp_path / "out"))
    assert report.problems == [problem]
    assert set(_statuses(report).values()) == {"built"} and len(_statuses(report)) >= 2
    assert main(["-q", "build", str(path), "-o", str(tmp_path / "out")]) == 1
    assert "event.organizer" in capsys.readouterr().err
    table = _kit(tmp_path, "[documents.handout]\n[documents.postr]\n")
    report = build_kit(load_kit(table), BuildOptions(output=tmp_path / "o3", only=("handout",)))
    assert any("postr" in p.describe() for p in report.problems)  # reported despite --only
    bad_type = _kit(tmp_path, "[documents.poster]\nprint_shop = 'yes'\n")
    report = build_kit(load_kit(bad_type), BuildOptions(output=tmp_path / "out2"))
    assert "documents.poster.print_shop" in report.problems[0].describe()


def test_missing_guide_fails_that_locale_only(tmp_path: Path) -> None:
    path = _kit(
        tmp_path, '[documents.handout]\n[documents.poster]\nsizes = "A4"\n', '["en-US", "fr-FR"]'
    )
    path.write_text(
        path.read_text().replace('{ en-US = "en.md" }', '{ en-US = "en.md", fr-FR = "fr.md" }')
    )
    report = build_kit(load_kit(path), BuildOptions(output=tmp_path / "out"))
    statuses = _statuses(report)
    assert statuses["handout/en-US/handout"] == "built"
    assert statuses["poster/fr-FR/poster-A4"] == "built"
    (failed,) = report.failed
    assert failed.key == "handout/fr-FR"
    assert failed.error is not None
    assert str(path) in failed.error and "sources.guides.fr-FR" in failed.error
    assert "fr.md" in failed.error
    manifest = json.loads((tmp_path / "out" / "kit.json").read_text(encoding="utf-8"))
    assert [d["status"] for d in manifest["documents"] if d["key"] == "handout/fr-FR"] == ["failed"]


def test_unknown_locale_is_named_and_the_others_build(tmp_path: Path) -> None:
    path = _kit(tmp_path, '[documents.poster]\nsizes = "A4"\n', '["en-US", "xx-QQ"]')
    report = build_kit(load_kit(path), BuildOptions(output=tmp_path / "out"))
    (problem,) = report.problems
    assert problem.location is not None and problem.location.key == "locales[1]"
    assert "xx-QQ" in problem.describe() and str(path) in problem.describe()
    assert _statuses(report) == {"poster/en-US/poster-A4": "built"}
    assert not report.ok


def test_participants_with_bad_rows_are_named(tmp_path: Path) -> None:
    pytest.importorskip("printkit.documents.certificates")
    people = tmp_path / "people.csv"
    people.write_text("name,team\nAmira Haddad,Beans\n,Peas\nLéo\x07Martin,Carrots\nZoë Ng,Peas\n")
    path = _kit(
        tmp_path,
        'participants = "people.csv"\n[documents.poster]\nsizes = "A4"\n[documents.certificates]\n',
    )
    report = build_kit(load_kit(path), BuildOptions(output=tmp_path / "out"))
    outcome = {o.document: o for o in report.outcomes}
    assert outcome["poster"].status == "built"
    certificates = outcome["certificates"]
    assert certificates.status == "built" and certificates.pages == 2
    joined = "\n".join(certificates.warnings)
    assert "people.csv, row 3" in joined and "people.csv, row 4" in joined
    missing = _kit(tmp_path, "[documents.certificates]\n[documents.poster]\nsizes = 'A4'\n")
    report = build_kit(load_kit(missing), BuildOptions(output=tmp_path / "out3"))
    (failed,) = report.failed
    assert "sources.participants" in (failed.error or "")
    assert _statuses(report)["poster/en-US/poster-A4"] == "built"


def test_email_limit_pdf_variant_and_strict(tmp_path: Path) -> None:
    path = _kit(tmp_path, '[documents.poster]\nsizes = "A4"\nscan_distance = "5m"\n')
    options = BuildOptions(output=tmp_path / "out", email_limit=1000, pdf_variant="pdf/a-3u")
    report = build_kit(load_kit(path), options)
    (poster,) = report.outcomes
    assert poster.status == "built"
    assert "file-size" in poster.codes and "qr-distance" in poster.codes
    assert any("poster-a4.pdf" in w and "e-mail" in w for w in poster.warnings)
    catalog = PdfReader(tmp_path / "out" / "en-US" / "poster-a4.pdf").trailer["/Root"]
    assert "/OutputIntents" in catalog  # PDF/A: the colour profile is declared
    strict = build_kit(load_kit(path), BuildOptions(output=tmp_path / "strict", strict=True))
    (failed,) = strict.failed
    assert "--strict" in (failed.error or "") and "scans from about" in (failed.error or "")
    assert not (tmp_path / "strict" / "en-US" / "poster-a4.pdf").exists()


def test_corpus_kit_rtl_and_cjk_without_missing_glyphs(corpus: Path, tmp_path: Path) -> None:
    guides = {tag: corpus / "hourofcode" / tag / "events.md" for tag in ("ar-SA", "ja-JP", "fr-FR")}
    table = ", ".join(f'{tag} = "{path}"' for tag, path in guides.items())
    path = tmp_path / "kit.toml"
    path.write_text(
        'locales = ["ar-SA", "ja-JP", "fr-FR"]\n'
        '[event]\nname = "Hour of Code"\ndate = 2026-12-09\nstart = "10:00"\n'
        f"[sources]\nguides = {{ {table} }}\n"
        '[documents.handout]\n[documents.poster]\nsizes = "A4"\n'
        'tagline = { ar-SA = "ساعة البرمجة", ja-JP = "アワー・オブ・コード" }\n',
        encoding="utf-8",
    )
    report = build_kit(load_kit(path), BuildOptions(output=tmp_path / "out", jobs=2))
    assert report.ok, [o.error for o in report.failed]
    assert len(report.outcomes) == 6
    for outcome in report.outcomes:
        assert "missing-glyph" not in outcome.codes, outcome.key
    assert "アワー・オブ・コード" in text(tmp_path / "out" / "ja-JP" / "poster-a4.pdf")


def test_cli_only_and_locale_filters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _kit(
        tmp_path, '[documents.handout]\n[documents.poster]\nsizes = "A4"\n', '["en-US", "fr"]'
    )
    out = tmp_path / "out"
    assert main(["build", str(path), "-o", str(out), "--only", "poster", "--locale", "fr"]) == 0
    err = capsys.readouterr().err
    assert "poster/fr-FR/poster-A4" in err and "1 built" in err
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf")) == [
        "fr-FR/poster-a4.pdf"
    ]
    assert main(["build", str(path), "-o", str(out), "--only", "postr"]) == 2
    assert "did you mean 'poster'?" in capsys.readouterr().err
    assert main(["build", str(path), "-o", str(out), "--locale", "de-DE"]) == 2
