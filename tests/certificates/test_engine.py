"""The bulk engine on real output: text per page, fonts, QR codes, fit, jobs, split, resume."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
import unicodedata
from dataclasses import replace
from pathlib import Path

import pypdfium2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from printkit.documents.certificates import certificate_id
from printkit.render.bulk.engine import Chunk, _chunk_key, _Pages, _Parts, design_key, write_merged
from printkit.render.bulk.fit import NameBox, fit_name
from printkit.render.bulk.page import Certificate
from printkit.render.bulk.shaping import Shaper
from printkit.render.bulk.split import safe_filename, write_split
from tests.pdfcheck import decode_qr, fonts, page_texts, rasterise

from .helpers import NAMES, design, noto_stack

URL = "https://example.org/verify/{id}"


def certs(names: list[str], event: str = "Hour of Code") -> list[Certificate]:
    out = []
    for row, name in enumerate(names, 2):
        ident = certificate_id(event, row, name)
        out.append(Certificate(row, name, URL.format(id=ident), ident))
    return out


def folded(text: str) -> str:
    """Whitespace folded, without the bidi embedding marks pdftotext adds around RTL runs."""
    text = "".join(c for c in text if c not in "\u202a\u202b\u202c\u202d\u202e")
    return " ".join(text.split())


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Certificate]]:
    out = tmp_path_factory.mktemp("merged") / "all.pdf"
    items = certs(list(NAMES.values()))
    result = write_merged(design(), items, out)
    assert result.pages == len(items)
    return out, items


def test_every_page_has_its_name_and_no_other(merged: tuple[Path, list[Certificate]]) -> None:
    pdf, items = merged
    pages = page_texts(pdf)
    assert len(pages) == len(items)
    for page, cert in zip(pages, items, strict=True):
        text = folded(page)
        assert cert.name in text, (cert.name, text)
        others = [c.name for c in items if c.name != cert.name and c.name not in cert.name]
        assert not [o for o in others if o in text]
        assert "Certificate of achievement" in text  # the shared background is drawn


def test_pdf_is_valid_and_fonts_embedded_once(merged: tuple[Path, list[Certificate]]) -> None:
    pdf, _ = merged
    check = subprocess.run(
        ["qpdf", "--check", str(pdf)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    found = fonts(pdf)
    assert found and all(found.values())  # every font embedded
    reader = PdfReader(pdf)
    font_dicts = {
        ref.idnum
        for page in reader.pages
        for ref in page["/Resources"]["/Font"].get_object().values()
    }
    # One font object per face, shared by all pages (not one per page), plus the
    # fixed subset that sets the certificate ids.
    assert len(font_dicts) == len(found) <= 9
    assert all("/FI" in page["/Resources"]["/Font"].get_object() for page in reader.pages)
    assert all(name.split("+")[0].isupper() and "+" in name for name in found)  # subsets
    # One shared background form.
    forms = {page["/Resources"]["/XObject"].raw_get("/BG").idnum for page in reader.pages}
    assert len(forms) == 1


def test_qr_codes_decode_to_their_url_at_150_dpi(merged: tuple[Path, list[Certificate]]) -> None:
    pdf, items = merged
    images = rasterise(pdf, dpi=150)
    for image, cert in zip(images, items, strict=True):
        assert decode_qr(image) == [cert.qr_text]


def test_ids_are_stable_and_keyed() -> None:
    a = certificate_id("Hour of Code", 7, "Ada Lovelace")
    assert a == certificate_id("Hour of Code", 7, "Ada Lovelace")
    assert a != certificate_id("Hour of Code", 8, "Ada Lovelace")
    assert a != certificate_id("Hour of Code", 7, "Ada Lovelace", key="secret")
    assert len({certificate_id("e", r, "n") for r in range(500)}) == 500


def test_output_is_reproducible(tmp_path: Path) -> None:
    items = certs(list(NAMES.values())[:4])
    write_merged(design(), items, tmp_path / "a.pdf")
    write_merged(design(), items, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_long_name_stays_inside_its_box(tmp_path: Path) -> None:
    box = NameBox(120, 230, 602, 80, min_size=18, max_size=44)
    long_name = " ".join(["Maximiliana", "Wolfeschlegelstein", "de", "la", "Concepción"] * 3)
    long_name = (long_name + " Ñandú")[:120]
    assert len(long_name) == 120
    out = tmp_path / "long.pdf"
    write_merged(design(qr=False, box=box), [Certificate(2, long_name)], out)
    assert folded(long_name) == folded(page_texts(out)[0].replace("Certificate of achievement", ""))
    doc = pypdfium2.PdfDocument(str(out))
    page = doc[0]
    height = page.get_height()
    textpage = page.get_textpage()
    boxes = []
    for i in range(textpage.count_chars()):
        left, bottom, right, top = textpage.get_charbox(i)
        if right > left and page_y(height, top) > 200:  # below the title: the name
            boxes.append((left, bottom, right, top))
    assert len(boxes) >= 100
    x0 = min(b[0] for b in boxes)
    x1 = max(b[2] for b in boxes)
    top = page_y(height, max(b[3] for b in boxes))
    bottom = page_y(height, min(b[1] for b in boxes))
    assert box.x - 0.5 <= x0 and x1 <= box.x + box.width + 0.5
    assert box.y - 0.5 <= top and bottom <= box.y + box.height + 0.5
    doc.close()


def page_y(height: float, y: float) -> float:
    """PDF y (from the bottom) to y from the top."""
    return height - y


def test_hostile_names_are_printed_as_text(tmp_path: Path) -> None:
    hostile = ["{{ 7*7 }}", "<img src=file:///etc/passwd>", "url(http://127.0.0.1)", "x" * 10000]
    out = tmp_path / "hostile.pdf"
    result = write_merged(design(qr=False), [Certificate(i, n) for i, n in enumerate(hostile)], out)
    assert result.pages == 4
    pages = [folded(p) for p in page_texts(out)]
    assert "{{ 7*7 }}" in pages[0] and "49" not in pages[0]
    assert "<img src=file:///etc/passwd>" in pages[1]
    assert "url(http://127.0.0.1)" in pages[2]
    assert ("x" * 200) in pages[3].replace(" ", "")  # printed, very small, not a crash
    assert result.notes and result.notes[0][0] == 3  # the 10,000 characters were shrunk


def test_jobs_give_identical_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("printkit.render.bulk.engine.CHUNK", 20)
    names = [f"{n} {i}" for i in range(30) for n in list(NAMES.values())[:3]]
    items = certs(names)
    write_merged(design(), items, tmp_path / "one.pdf", jobs=1)
    write_merged(design(), items, tmp_path / "two.pdf", jobs=2)
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()
    assert len(page_texts(tmp_path / "two.pdf")) == 90


def test_split_files_are_named_safely_and_resume(tmp_path: Path) -> None:
    names = [*NAMES.values(), "../../etc/passwd", "a/b\\c:d"]
    items = certs(names)
    folder = tmp_path / "split"
    files = write_split(design(), items, folder)
    assert [f.file for f in files] == [safe_filename(c.name, c.row) for c in items]
    assert len({f.file for f in files}) == len(items)
    for f, cert in zip(files, items, strict=True):
        path = folder / f.file
        assert path.parent == folder and "/" not in f.file and "\\" not in f.file
        assert cert.name in folded(page_texts(path)[0])
        assert path.stat().st_size <= 40_000
        assert decode_qr(rasterise(path, dpi=150)[0]) == [cert.qr_text]
    first = {f.file: (folder / f.file).stat().st_mtime_ns for f in files}
    (folder / files[0].file).write_bytes(b"damaged")
    again = write_split(design(), items, folder)
    assert [f.sha256 for f in again] == [f.sha256 for f in files]
    # Only the damaged file was rewritten.
    changed = [f.file for f in again if (folder / f.file).stat().st_mtime_ns != first[f.file]]
    assert changed == [files[0].file]


def test_split_rerun_with_a_shorter_list_removes_only_the_files_of_gone_rows(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "split"
    items = certs(list(NAMES.values())[:4])
    first = write_split(design(), items, folder)
    (folder / "notes.txt").write_text("mine")
    (folder / "mine.pdf").write_bytes(b"%PDF- not printkit's")
    kept = write_split(design(), items[:2], folder)
    assert [f.file for f in kept] == [f.file for f in first[:2]]
    on_disk = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    # The two gone rows' certificates are removed; files printkit did not write stay.
    assert on_disk == sorted([*(f.file for f in kept), "notes.txt", "mine.pdf"])
    # The journal now lists the kept files only, and a third run rewrites nothing.
    journal = (folder / ".printkit-journal").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["file"] for line in journal) == sorted(f.file for f in kept)
    stamps = {f.file: (folder / f.file).stat().st_mtime_ns for f in kept}
    write_split(design(), items[:2], folder)
    assert {f: (folder / f).stat().st_mtime_ns for f in stamps} == stamps


RESUME_SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from tests.certificates.helpers import design
from printkit.render.bulk.engine import write_merged
from printkit.render.bulk.page import Certificate
from printkit.render.bulk.shaping import Shaper
names = {names!r}
items = [Certificate(r + 2, names[r % len(names)] + " " + str(r)) for r in range(10000)]
write_merged(design(qr=False), items, Path(sys.argv[1]))
"""


@pytest.mark.slow
def test_interrupted_run_resumes_to_identical_bytes(tmp_path: Path) -> None:
    root = str(Path(__file__).resolve().parent.parent.parent)
    script = tmp_path / "run.py"
    script.write_text(RESUME_SCRIPT.format(root=root, names=list(NAMES.values())))
    whole = tmp_path / "whole.pdf"
    subprocess.run([sys.executable, str(script), str(whole)], check=True)
    cut = tmp_path / "cut.pdf"
    proc = subprocess.Popen([sys.executable, str(script), str(cut)])
    parts = tmp_path / ".cut.pdf.parts"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(parts.glob("*.part"))) < 5:
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    assert not cut.exists()  # no half-written output
    done = len(list(parts.glob("*.part")))
    assert 0 < done < 20
    subprocess.run([sys.executable, str(script), str(cut)], check=True)
    assert cut.read_bytes() == whole.read_bytes()
    assert not parts.exists()


def test_words_from_the_cache_match_whole_line_shaping() -> None:
    shaper = Shaper(noto_stack())
    for name in [*NAMES.values(), "O'Brien-Smith Jr.", "ישראל ישראלי"]:
        cached, whole = shaper.shape(name), shaper.shape_whole(name)
        glyphs = [(r.face, g) for r in cached.runs for g in r.gids]
        assert glyphs == [(r.face, g) for r in whole.runs for g in r.gids], name
        xs = [x for r in cached.runs for x in r.xs]
        assert max(abs(a - b) for a, b in zip(xs, [x for r in whole.runs for x in r.xs],
                                              strict=True)) < 0.02, name
        assert abs(cached.advance - whole.advance) < 0.02


def test_long_name_breaks_into_two_lines_and_missing_glyphs_are_reported(
    tmp_path: Path,
) -> None:
    box = NameBox(120, 230, 400, 80, min_size=24, max_size=44)
    names = ["Maria Anna Sophia Josepha von Habsburg-Lothringen", "Ada 🦄 Lovelace"]
    out = tmp_path / "two.pdf"
    result = write_merged(design(qr=False, box=box), [Certificate(2 + i, n) for i, n in
                                                      enumerate(names)], out)
    first = page_texts(out)[0].replace("Certificate of achievement", "").strip()
    assert len([line for line in first.splitlines() if line.strip()]) == 2
    assert folded(first) == names[0]
    assert [row for row, note in result.notes if "U+1F984" in note] == [3]


def test_split_with_two_jobs_writes_the_same_files(tmp_path: Path) -> None:
    items = certs([f"{n} {i}" for i in range(3) for n in NAMES.values()])
    one = write_split(design(), items, tmp_path / "one", batch_size=5)
    two = write_split(design(), items, tmp_path / "two", jobs=2, batch_size=5)
    assert [(f.file, f.sha256) for f in one] == [(f.file, f.sha256) for f in two]
    # Large fonts are subset in stages that grow from batch to batch; a file's bytes must
    # not depend on which names came before it: one file per batch gives the same files.
    alone = write_split(design(), items, tmp_path / "alone", batch_size=1)
    assert [(f.file, f.sha256) for f in one] == [(f.file, f.sha256) for f in alone]


def test_ids_without_a_latin_font_still_make_a_valid_file(tmp_path: Path) -> None:
    arabic_only = replace(design(), fonts=(noto_stack()[1],))
    out = tmp_path / "arabic-only.pdf"
    items = certs(["مريم عبد الله"])
    result = write_merged(arabic_only, items, out)
    assert result.pages == 1
    assert decode_qr(rasterise(out, dpi=150)[0]) == [items[0].qr_text]
    check = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, check=False)
    assert check.returncode == 0


def test_a_long_cjk_name_without_spaces_breaks_into_two_lines(tmp_path: Path) -> None:
    box = NameBox(120, 230, 602, 80, min_size=16, max_size=44)  # 30 characters a line at 20 pt
    name = "李" * 60
    fitted = fit_name(Shaper(noto_stack()), name, box, page_height=595)
    assert len(fitted.lines) == 2 and not fitted.shrunk
    assert fitted.size >= box.min_size
    assert "".join(line.line.text for line in fitted.lines) == name  # nothing lost at the break


def test_names_with_vowel_marks_extract_their_own_letters(tmp_path: Path) -> None:
    """Each mark has its own glyph and maps to its own character, so no page borrows another
    name's letters through the font's one ToUnicode map. (Around marks, poppler may still
    list characters out of order: the letters are asserted as a multiset, names without
    marks exactly, elsewhere.)"""
    names = ["مُحَمَّد عَلِيّ", "شَهْد", "عَلِيّ شَهْد", "יִצְחָק", "דָּוִד", "דוד"]
    out = tmp_path / "marks.pdf"
    write_merged(design(qr=False), [Certificate(2 + i, n) for i, n in enumerate(names)], out)

    def letters(text: str) -> str:
        return "".join(c for c in folded(text) if not unicodedata.combining(c) and c != " ")

    for name, page in zip(names, page_texts(out), strict=True):
        body = page.replace("Certificate of achievement", "")
        assert sorted(letters(body)) == sorted(letters(name)), name
        assert sorted(c for c in folded(body) if unicodedata.combining(c)) == sorted(
            c for c in name if unicodedata.combining(c)
        ), name


@given(st.text(max_size=40), st.integers(0, 10**7), st.text(max_size=40),
       st.one_of(st.none(), st.text(min_size=1, max_size=20)))
@settings(max_examples=200, deadline=None)
def test_certificate_id_is_base32_of_the_hmac(event: str, row: int, name: str,
                                               key: str | None) -> None:
    import base64  # noqa: PLC0415
    import hashlib  # noqa: PLC0415
    import hmac  # noqa: PLC0415

    secret = (key or "printkit-certificate").encode()
    message = f"{event}\x1f{row}\x1f{name}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()[:10]
    assert certificate_id(event, row, name, key) == base64.b32encode(digest).decode()


def test_a_part_of_another_format_or_cut_short_is_made_again(tmp_path: Path) -> None:
    people = certs(list(NAMES.values())[:6])
    chunk = _Pages(design()).chunk(0, people)
    again = Chunk.load(chunk.dump())
    assert again is not None
    assert (again.block, again.offsets, again.usage) == (chunk.block, chunk.offsets, chunk.usage)
    # A checksum-valid part whose head is of the earlier (all-JSON) format, and one cut short.
    head = json.dumps({"offsets": chunk.offsets, "usage": {}, "notes": []}).encode()
    body = len(head).to_bytes(8, "big") + head + chunk.block
    assert Chunk.load(hashlib.sha256(body).digest() + body) is None
    cut = chunk.dump()[:-10]
    assert Chunk.load(cut) is None
    # In a run, such a part is replaced and the file is the same as an uninterrupted run's.
    out = tmp_path / "all.pdf"
    write_merged(design(), people, out)
    whole = out.read_bytes()
    out.unlink()
    parts = tmp_path / ".all.pdf.parts"
    store = _Parts(out, design_key(design()))
    path = store.path(0, _chunk_key(design_key(design()), people))
    path.write_bytes(hashlib.sha256(body).digest() + body)
    write_merged(design(), people, out)
    assert out.read_bytes() == whole
    assert not parts.exists()
