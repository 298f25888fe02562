"""Screenshots of a built site in headless Chromium, for review (`make site-shots`) and for the README's
picture (`make site-png`). Needs playwright (a test dependency) and Debian's chromium; downloads nothing.

    python -m peacetalks.site.shots SITE_DIR OUT_DIR
    python -m peacetalks.site.shots SITE_DIR --readme docs/site.png
"""

from __future__ import annotations

import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
PAGES = ["index.html", "timeline.html", "positions.html"]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
# The README's picture: the Positions page from its top to the end of the side matrix and its legend.
README_PAGE, README_END, README_WIDTH = "positions.html", "#by-side", 1280


def _browser(playwright):
    if not Path(CHROMIUM).exists():
        sys.exit(f"no browser at {CHROMIUM}: install Debian's chromium (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])


def shots(site: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        for width_name, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            for name in PAGES:
                page.goto((site / name).resolve().as_uri())
                target = out / f"{Path(name).stem}-{width_name}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
            page.close()
        browser.close()
    return written


def readme_picture(site: Path, target: Path) -> Path:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page(viewport={"width": README_WIDTH, "height": 900})
        page.goto((site / README_PAGE).resolve().as_uri())
        box = page.locator(README_END).bounding_box()
        page.screenshot(path=str(target), full_page=True,
                        clip={"x": 0, "y": 0, "width": README_WIDTH, "height": box["y"] + box["height"] + 16})
        browser.close()
    return target


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[1] == "--readme":
        print(f"wrote {readme_picture(Path(argv[0]), Path(argv[2]))}")
    elif len(argv) == 2:
        for path in shots(Path(argv[0]), Path(argv[1])):
            print(f"wrote {path}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
