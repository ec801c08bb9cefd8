"""Box lengths resolved the quick way: the same PDF bytes as WeasyPrint's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from printkit.diagnostics import Diagnostics
from printkit.render import percentfast
from printkit.render.weasy import html_to_pdf
from tests.pdfcheck import page_texts

# Our own text, laid out by every kind of box that resolves lengths: page margins in
# percentages, blocks, floats, absolute and relative positions, inline blocks, tables
# with collapsed and separate borders, flex and grid items (which change their styles
# during layout), columns, and lengths as px, %, em, calc(), auto, min and max values
# under each box-sizing.
HTML = """<html lang="en"><head><style>
@page { size: A6; margin: 8% 6% 10% calc(4mm + 2%); }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 8pt; }
.a { width: 80%; padding: 2% 1em; margin: 1mm auto; border: 1pt solid #333; }
.b { box-sizing: border-box; width: 60%; min-height: 8mm; max-width: 40mm; padding: 3mm;
     border: 2pt solid #999; }
.c { box-sizing: padding-box; width: calc(50% - 4mm); padding: 1mm 2%; min-width: 10mm; }
.f { float: right; width: 30%; margin-left: 2%; height: 12mm; background: #eee; }
.r { position: relative; left: 5%; top: 1mm; }
.abs { position: absolute; right: 10%; bottom: 5%; width: 20%; height: 6mm; background: #ddd; }
.ib { display: inline-block; width: 25%; padding-right: 5%; border-right: 1pt solid; }
table { border-collapse: collapse; width: 90%; }
td { border: 1pt solid #666; padding: 1% 2mm; width: 30%; }
table.sep { border-collapse: separate; border-spacing: 1mm; } .sep td { border: 0.5pt dashed; }
.flex { display: flex; gap: 2mm; }
.flex > div { flex: 1 1 20%; padding: 1mm; min-width: 0; border: 0.5pt solid; }
.grid { display: grid; grid-template-columns: 30% 1fr; gap: 1mm; }
.grid > div { padding: 2%; border: 0.5pt solid; }
.cols { columns: 2; column-gap: 5%; }
.h { height: 50%; }
</style></head><body>
<div class="a">Setup starts at five; the hall needs thirty chairs.</div>
<div class="f">Snacks table by the door</div>
<div class="b">Mentors wear the green badges so that families can find them.</div>
<div class="c r">Two laptops per table and one spare charger.</div>
<p><span class="ib">Station one</span><span class="ib">Station two</span></p>
<table><tr><td>18:00</td><td>Welcome</td></tr><tr><td>18:10</td><td>Warm-up game</td></tr></table>
<table class="sep"><tr><td>18:30</td><td>Pair programming</td></tr></table>
<div class="flex"><div>Dance party</div><div>Maze</div>
<div>Flappy game with a longer label</div></div>
<div class="grid"><div>Puzzle</div><div>Write a short story with code blocks</div></div>
<div class="cols">Pack the projector, count the laptops, collect the sheets, switch off the
lights and lock the hall; the keys go back to the front desk before eight.</div>
<div class="h">Half the page, or auto when the page does not say.</div>
<div style="height: 30mm; width: 50mm">
<div style="min-height: 40%; max-height: 90%; height: 10%; background: #ccc">Quiet corner</div>
</div>
<div class="abs">Exit</div>
</body></html>"""


def _render(tmp_path: Path) -> bytes:
    return html_to_pdf(HTML, base_dir=tmp_path, diagnostics=Diagnostics()).data


def test_same_bytes_as_weasyprints_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert percentfast.install()
    originals = percentfast._state["original"]
    slow: list[object] = []
    percentage = originals["percentage"]

    def counted(value: Any, *args: Any) -> Any:
        slow.append(value)
        return percentage(value, *args)

    monkeypatch.setitem(originals, "percentage", counted)
    used: list[object] = []
    resolve = percentfast._used

    def resolving(value: Any, *args: Any) -> Any:
        used.append(value)
        return resolve(value, *args)

    monkeypatch.setattr(percentfast, "_used", resolving)
    quick = _render(tmp_path)
    monkeypatch.setattr(percentfast, "ENABLED", False)
    own = _render(tmp_path)
    pdf = tmp_path / "quick.pdf"
    pdf.write_bytes(quick)
    text = " ".join(" ".join(page_texts(pdf)).split())
    assert "Flappy game" in text and "Write a short story" in text and "Exit" in text
    assert quick == own
    # only the values the quick way does not resolve itself went to WeasyPrint (calc())
    assert 0 < len(slow) < len(used) / 10


def test_another_weasyprint_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    assert percentfast.install()
    originals = percentfast._state["original"]
    for name, modules in percentfast.USERS.items():
        for module in modules:
            monkeypatch.setattr(module, name, originals[name])
    monkeypatch.setitem(percentfast._state, "original", None)
    monkeypatch.setitem(percentfast._state, "refused", False)
    monkeypatch.setitem(percentfast.EXPECTED_SOURCES, "percentage", "0" * 32)
    assert not percentfast.install()  # a function it does not know: left alone
    assert not percentfast.install()  # and not read again
    for name, modules in percentfast.USERS.items():
        assert all(getattr(module, name) is originals[name] for module in modules)
