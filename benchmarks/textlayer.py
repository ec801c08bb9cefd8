"""Text layer: how much of each guide pdftotext reads back from its handout.

Renders a handout for every corpus guide (../shared/corpus: hourofcode/*/*.md and
the seeds) and the examples, extracts its text with pdftotext (poppler) and prints
the share of the guide's letter trigrams inside words that the extracted text
contains (target: >= 99 % for every guide), per guide and per script:

- ``read back``: the trigrams, counted with repeats, found in pdftotext's text where
  a line break between two letters of Thai, Lao, Khmer, Myanmar, Chinese, Japanese or
  Hangul (these wrap inside words) or after a hyphen is joined: the wrap, not the text;
- ``raw``: the same on pdftotext's lines as they are;
- ``distinct``: the share of distinct trigrams found.

``--overhead N`` renders every guide N times with the hook on and off, round robin,
and prints the median CPU time per guide and the total size for both.

    python benchmarks/textlayer.py [--off] [--overhead 3]
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.handout import guides  # noqa: E402
from printkit.documents.common import guide_lines  # noqa: E402
from printkit.documents.handout import build_handout  # noqa: E402
from printkit.locale import LocaleContext  # noqa: E402
from printkit.options import HandoutOptions  # noqa: E402
from printkit.render import textlayer  # noqa: E402
from tests.render.scripts import MORE, SAMPLES  # noqa: E402

_NO_SPACES = re.compile(
    r"([\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff])\n"
    r"(?=[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff])"
)
_HYPHEN = re.compile(r"(\w)[-\u2010]\n(?=\w)")


def words(text: str) -> list[str]:
    """The words of ``text`` (NFC): runs of letters and marks."""
    found: list[str] = []
    current: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if unicodedata.category(ch)[0] in "LM":
            current.append(ch)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found


def trigrams(text: str) -> collections.Counter[str]:
    """Letter trigrams inside the words of ``text``, with their counts."""
    counts: collections.Counter[str] = collections.Counter()
    for word in words(text):
        for i in range(len(word) - 2):
            counts[word[i : i + 3]] += 1
    return counts


def read_back(source: str, extracted: str) -> tuple[float, float]:
    """(counted, distinct) share of ``source``'s trigrams found in ``extracted``."""
    want, got = trigrams(source), trigrams(extracted)
    total = sum(want.values()) or 1
    found = sum(min(n, got[k]) for k, n in want.items())
    distinct = sum(1 for k in want if k in got) / (len(want) or 1)
    return found / total, distinct


def joined(text: str) -> str:
    """pdftotext's text with the wraps inside words of spaceless scripts and hyphens joined."""
    return _HYPHEN.sub(r"\1", _NO_SPACES.sub(r"\1", text))


def script_of(locale: str) -> str:
    """The locale's script (ISO 15924, from CLDR likely subtags: ``hi-IN`` → ``Deva``)."""
    return LocaleContext.parse(locale).script or "-"


def pdftotext(pdf: bytes, folder: Path) -> str:
    path = folder / "handout.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")


def measure(folder: Path) -> None:
    per_script: dict[str, list[float]] = collections.defaultdict(list)
    worst = (2.0, "")
    print(f"{'locale':>6} {'guide':<26} {'script':<11} {'read back':>9} {'raw':>8} {'distinct':>8}")
    for guide, locale, strings in guides():
        result = build_handout(HandoutOptions(guide=guide, locale=locale, strings=strings))
        source = " ".join(text for text, _ in guide_lines(result.guide))
        extracted = pdftotext(result.pdf, folder)
        share, distinct = read_back(source, joined(extracted))
        raw, _ = read_back(source, extracted)
        script = script_of(locale)
        per_script[script].append(share)
        worst = min(worst, (share, f"{locale} {guide.name}"))
        print(f"{locale:>6} {guide.name:<26} {script:<11} {share:9.2%} {raw:8.2%} {distinct:8.2%}")
    print("\nper script (worst guide):")
    for script, shares in sorted(per_script.items()):
        print(f"  {script:<11} {min(shares):.2%} over {len(shares)} guides")
    print(f"worst guide: {worst[1]} {worst[0]:.2%} (target: >= 99 %)")


def fixtures(folder: Path) -> None:
    """Our own text in every script (tests/render/scripts.py), three paragraphs a guide."""
    texts = {locale: " ".join(paragraphs) for locale, (_s, paragraphs, _w) in SAMPLES.items()}
    for locale, text in MORE.items():
        texts[f"{locale} "] = text  # a second text for the same locale
    print(f"\nown text per script:\n{'locale':>6} {'script':<6} {'read back':>9} {'raw':>8}")
    worst = (2.0, "")
    for key, text in texts.items():
        locale = key.strip()
        guide = folder / "guide.md"
        guide.write_text("# " + text.split()[0] + "\n\n" + "\n\n".join([text] * 3) + "\n")
        result = build_handout(HandoutOptions(guide=guide, locale=locale))
        extracted = pdftotext(result.pdf, folder)
        share, _ = read_back(text, joined(extracted))
        raw, _ = read_back(text, extracted)
        worst = min(worst, (share, locale))
        print(f"{locale:>6} {script_of(locale):<6} {share:9.2%} {raw:8.2%}")
    print(f"worst: {worst[1]} {worst[0]:.2%}")


def hook_share(items: list[tuple[Path, str, Path | None]]) -> float:
    """The share of render CPU spent in the hook (planning and writing spans), one round."""
    spent = [0.0]
    original = textlayer._LineWriter.show_text

    def timed(writer: textlayer._LineWriter, text: str) -> None:
        start = time.process_time()
        original(writer, text)
        spent[0] += time.process_time() - start

    textlayer._LineWriter.show_text = timed  # type: ignore[method-assign,assignment]
    try:
        start = time.process_time()
        for guide, locale, strings in items:
            build_handout(HandoutOptions(guide=guide, locale=locale, strings=strings))
        total = time.process_time() - start
    finally:
        textlayer._LineWriter.show_text = original  # type: ignore[method-assign]
    return spent[0] / total


def overhead(rounds: int) -> None:
    items = guides()
    build_handout(HandoutOptions(guide=items[-1][0], locale=items[-1][1], strings=items[-1][2]))
    cpu: dict[bool, list[float]] = {False: [], True: []}
    size: dict[bool, int] = {False: 0, True: 0}
    for round_number in range(rounds):
        for guide, locale, strings in items:
            # Off first in even rounds, on first in odd ones: the order's warm-up cancels.
            for enabled in (False, True) if round_number % 2 == 0 else (True, False):
                textlayer.set_enabled(enabled)
                start = time.process_time()
                result = build_handout(HandoutOptions(guide=guide, locale=locale, strings=strings))
                cpu[enabled].append(time.process_time() - start)
                size[enabled] += len(result.pdf)
    textlayer.set_enabled(True)
    off, on = statistics.median(cpu[False]), statistics.median(cpu[True])
    print(f"guides: {len(items)} x {rounds} rounds, CPU median per guide:")
    share = hook_share(items)
    print(f"  hook off {off * 1000:.1f} ms, on {on * 1000:.1f} ms ({on / off - 1:+.1%})")
    total_off, total_on = size[False] // rounds, size[True] // rounds
    print(f"  size: off {total_off:,} B, on {total_on:,} B ({total_on / total_off - 1:+.2%})")
    print(f"  the hook's own time, timed inside it over one round: {share:.1%} of render CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--off", action="store_true", help="measure with the hook off")
    parser.add_argument("--overhead", type=int, metavar="N", help="compare hook off and on")
    args = parser.parse_args()
    if shutil.which("pdftotext") is None:
        sys.exit("pdftotext (poppler-utils) is needed: scripts/setup.sh installs it as root")
    textlayer.install()
    if args.overhead:
        overhead(args.overhead)
        return
    textlayer.set_enabled(not args.off)
    with tempfile.TemporaryDirectory() as folder:
        measure(Path(folder))
        fixtures(Path(folder))


if __name__ == "__main__":
    main()
