"""Screenshots of summarizer's HTML output, for people to look at, taken with Debian's headless
Chromium (the browser tests' own set-up: nothing is downloaded, the network is blocked). Each
page is shot whole, at 800 and at 1280 pixels wide, beside the page as NAME-800.png and
NAME-1280.png.

    .venv/bin/python scripts/screenshot.py page.html [more.html ...]
    .venv/bin/python scripts/screenshot.py      # the seed briefing, the seed's week as a note
                                                # (with a disagreement) and the automakers' note,
                                                # made offline into a new temporary folder

Make pages with `summarizer summarize A.txt -f html -o page.html` or
`summarizer note A.txt B.txt -f html -o note.html`. Needs `apt-get install chromium
chromium-driver` and selenium (`pip install -e '.[test]'`).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import browser  # noqa: E402  (the same browser set-up as the tests)

WIDTHS = (800, 1280)


def shoot(page: Path) -> list[Path]:
    """Whole-page PNGs of ``page``, one per width."""
    shots = []
    driver = browser.start(width=WIDTHS[0], height=1000)
    try:
        for width in WIDTHS:
            driver.set_window_size(width, 1000)
            driver.get(page.resolve().as_uri())
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(width, max(height, 600))
            target = page.with_name(f"{page.stem}-{width}.png")
            driver.save_screenshot(str(target))
            shots.append(target)
    finally:
        driver.quit()
    return shots


def _summarizer(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "summarizer", *args], cwd=ROOT, check=True)


def default_pages(folder: Path) -> list[Path]:
    """The seed's briefing and two notes, replayed offline from the stored answers."""
    seed, week, automakers = (folder / f"{n}.html" for n in ("seed", "seed-week", "automakers"))
    _summarizer("summarize", "seeds/000_7309d1c88b1de532.txt", "-f", "html", "-o", str(seed))
    written = sorted(str(p) for p in (ROOT / "tests" / "data" / "notes").glob("*.txt"))
    _summarizer(
        "note", "seeds/000_7309d1c88b1de532.txt", *written,
        "--fixtures", "tests/fixtures/notes-week", "-f", "html", "-o", str(week),
    )  # fmt: skip
    articles = sorted(str(p) for p in (ROOT / "seeds" / "wikinews").glob("200[89]-*.txt"))
    _summarizer("note", *articles, "-f", "html", "-o", str(automakers))
    return [seed, week, automakers]


def main() -> int:
    if not browser.available():
        print(
            "needs Debian's chromium and chromium-driver (apt-get install chromium "
            "chromium-driver) and selenium (pip install -e '.[test]')",
            file=sys.stderr,
        )
        return 2
    pages = [Path(a) for a in sys.argv[1:]]
    missing = [p for p in pages if not p.is_file()]
    if missing:
        print(f"no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    if not pages:
        pages = default_pages(Path(tempfile.mkdtemp(prefix="summarizer-screenshots-")))
    for page in pages:
        for shot in shoot(page):
            print(shot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
