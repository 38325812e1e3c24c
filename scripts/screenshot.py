"""Screenshots of summarizer's HTML output, for people to look at, taken with Debian's headless
Chromium (the browser tests' own; nothing is downloaded, the network is blocked).

    python scripts/screenshot.py page.html            # page-800.png and page-1280.png
    python scripts/screenshot.py                      # the seed briefing and an automaker note

Make pages with `summarizer summarize A.txt -f html -o page.html` or `summarizer note ... -f html`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import browser  # noqa: E402  (the same browser set-up as the tests)


def shoot(page: Path) -> list[Path]:
    shots = []
    for width in (800, 1280):
        driver = browser.start(width=width, height=1000)
        try:
            driver.get(page.resolve().as_uri())
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(width, max(height, 600))
            target = page.with_name(f"{page.stem}-{width}.png")
            driver.save_screenshot(str(target))
            shots.append(target)
        finally:
            driver.quit()
    return shots


def _default_pages(folder: Path) -> list[Path]:
    summarizer = [sys.executable, "-m", "summarizer"]
    seed, note = folder / "seed-briefing.html", folder / "automakers-note.html"
    subprocess.run([*summarizer, "summarize", "seeds/000_7309d1c88b1de532.txt", "-f", "html",
                    "-o", str(seed)], cwd=ROOT, check=True)  # fmt: skip
    articles = sorted(str(p) for p in (ROOT / "seeds" / "wikinews").glob("200[89]-*.txt"))
    subprocess.run([*summarizer, "note", *articles, "-f", "html", "-o", str(note)], cwd=ROOT,
                   check=True)  # fmt: skip
    return [seed, note]


def main() -> int:
    if not browser.available():
        print(
            "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
        )
        return 2
    pages = [Path(a) for a in sys.argv[1:]] or _default_pages(ROOT / "screenshots")
    for page in pages:
        for shot in shoot(page):
            print(shot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
