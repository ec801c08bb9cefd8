"""``printkit certificates`` end to end with the shipped certificate layout."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

import pytest
from babel import dates as babel_dates
from pypdf import PdfReader

from printkit.cli import main
from printkit.documents.certificates import certificate_id
from tests.pdfcheck import decode_qr, page_sizes_mm, page_texts, rasterise


def test_cli_writes_merged_split_zip_manifest_and_report(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "Name,Class\nAda Lovelace,5A\nمريم عبد الله,5B\n,5C\nकिरण निधि,5D\n", encoding="utf-8"
    )
    out = tmp_path / "all.pdf"
    code = main([
        "certificates", str(people), "--event", "Hour of Code 2026", "--date", "2026-12-07",
        "--locale", "fr-FR", "--organiser", "Code Club", "--id-key", "k",
        "--verify-url", "https://example.org/verify/{id}", "--split", str(tmp_path / "split"),
        "--zip", "--report", str(tmp_path / "report.csv"), "-o", str(out),
    ])
    assert code == 0
    pages = page_texts(out)
    assert len(pages) == 3
    assert "Ada Lovelace" in pages[0] and "Hour of Code 2026" in pages[0]
    # the layout's long date, as Babel writes it for fr-FR
    assert babel_dates.format_date(dt.date(2026, 12, 7), "long", locale="fr_FR") in pages[0]
    assert "Certificat" in pages[0]  # translated wording
    # Ligatures (the Naskh "الله") and reordered Indic clusters extract in logical order.
    assert "مريم عبد الله" in pages[1].replace("\u202b", "").replace("\u202c", "")
    assert "किरण निधि" in pages[2]
    width, height = page_sizes_mm(out)[0]
    assert round(width) == 297 and round(height) == 210  # landscape A4 for fr-FR
    ident = certificate_id("Hour of Code 2026", 2, "Ada Lovelace", "k")
    assert decode_qr(rasterise(out, dpi=150)[0]) == [f"https://example.org/verify/{ident}"]
    report = list(csv.DictReader((tmp_path / "report.csv").open(encoding="utf-8")))
    assert [r["status"] for r in report] == ["ok", "ok", "refused", "ok"]
    manifest = list(csv.DictReader((tmp_path / "split" / "manifest.csv").open(encoding="utf-8")))
    assert [m["row"] for m in manifest] == ["2", "3", "5"]
    assert manifest[0]["id"] == ident
    with zipfile.ZipFile(tmp_path / "split.zip") as archive:
        expected = [m["file"] for m in manifest] + ["manifest.csv"]
        assert sorted(archive.namelist()) == sorted(expected)
    merged_manifest = tmp_path / "all.manifest.csv"
    assert merged_manifest.is_file()


def test_cli_in_a_right_to_left_locale(tmp_path: Path) -> None:
    people = tmp_path / "people.txt"
    people.write_text("مريم عبد الله\nAda Lovelace\n", encoding="utf-8")
    out = tmp_path / "ar.pdf"
    code = main([
        "certificates", str(people), "--event", "حديقة الروبوت", "--locale", "ar-EG",
        "--verify-url", "https://example.org/v/{id}", "-o", str(out),
    ])
    assert code == 0
    pages = page_texts(out)
    ident = certificate_id("حديقة الروبوت", 1, "مريم عبد الله")
    assert ident in pages[0]
    assert "مريم عبد الله" in pages[0].replace("\u202b", "").replace("\u202c", "")
    assert decode_qr(rasterise(out, dpi=150)[1]) == [
        "https://example.org/v/" + certificate_id("حديقة الروبوت", 2, "Ada Lovelace")
    ]


def test_cli_encoding_flag(tmp_path: Path) -> None:
    people = tmp_path / "latin1.csv"
    people.write_bytes("name\nJosé Martínez\nZoë Ødegård\n".encode("latin-1"))
    out = tmp_path / "l.pdf"
    assert main(["certificates", str(people), "--event", "Fair", "--encoding", "latin-1",
                 "-o", str(out)]) == 0
    pages = page_texts(out)
    assert len(pages) == 2
    assert "José Martínez" in pages[0] and "Zoë Ødegård" in pages[1]
    assert main(["certificates", str(people), "--event", "Fair", "--encoding", "nope",
                 "-o", str(tmp_path / "x.pdf")]) == 1


def test_certificate_metadata_and_variant_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    people = tmp_path / "p.csv"
    people.write_text("name\nAmira Haddad\n", encoding="utf-8")
    out = tmp_path / "c.pdf"
    args = ["certificates", str(people), "--event", "Fair", "--organiser", "Town library",
            "--locale", "ar-EG", "--pdf-variant", "pdf/a-3u", "-o", str(out)]
    assert main(args) == 0
    assert "not applied to certificates" in caplog.text
    reader = PdfReader(out)
    assert reader.metadata is not None and reader.metadata.author == "Town library"
    assert reader.trailer["/Root"]["/Lang"] == "ar-EG"


def test_default_jobs_use_the_cores_only_for_long_lists() -> None:
    from printkit.documents.certificates import _jobs  # noqa: PLC0415 - the policy itself
    from printkit.executors.local import usable_cores  # noqa: PLC0415

    assert _jobs(0, 30, 500) == 1  # a class: made here, no workers started
    assert _jobs(0, 999, 500) == min(usable_cores(), 2)
    assert _jobs(0, 100_000, 500) == usable_cores()
    assert _jobs(3, 30, 500) == 3  # asked for: as asked


def test_default_jobs_write_what_one_job_writes(tmp_path: Path) -> None:
    # 1,001 names: three merged chunks and six split batches, so the default uses every core.
    people = tmp_path / "people.txt"
    given = ["Ada", "Björn", "مريم", "किरण", "花子", "Ольга", "Νίκος"]
    people.write_text(
        "".join(f"{given[i % 7]} {i}\n" for i in range(1001)), encoding="utf-8"
    )
    outputs = {}
    for jobs in ("1", "0"):
        folder = tmp_path / f"jobs{jobs}"
        extra = ["--jobs", "1"] if jobs == "1" else []  # else the default
        code = main([
            "certificates", str(people), "--event", "Hour of Code", "--date", "2026-12-07",
            "--verify-url", "https://example.org/v/{id}", "--split", str(folder / "split"),
            "-o", str(folder / "all.pdf"), *extra,
        ])
        assert code == 0
        outputs[jobs] = (
            (folder / "all.pdf").read_bytes(),
            {p.name: p.read_bytes() for p in (folder / "split").glob("*.pdf")},
        )
    assert outputs["0"][0] == outputs["1"][0]
    assert len(outputs["0"][1]) == 1001
    assert outputs["0"][1] == outputs["1"][1]
    assert "Νίκος 1000" in page_texts(tmp_path / "jobs0" / "all.pdf")[-1]
