"""Headless Chromium for the page's tests and benchmark: Debian's browser, driven by Playwright.

Only the system browser (``/usr/bin/chromium``, from Debian's ``chromium``
package) is used, through ``executable_path``; Playwright never downloads one.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"{CHROMIUM} is not installed (Debian: apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


def launch(playwright):
    """The system Chromium, headless."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def open_page(browser, path: Path, timeout_ms: int = 60_000, viewport=(1400, 900)):
    """Open ``path`` from file:// and wait until its layout has stopped.

    Returns (page, messages, seconds): the console messages and page errors
    as (type, text), and the time from navigation to a stable layout as the
    test harness measures it (the page also records its own figure in
    ``body[data-stabilised-ms]``).
    """
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    messages: list[tuple[str, str]] = []
    page.on("console", lambda m: messages.append((m.type, m.text)))
    page.on("pageerror", lambda e: messages.append(("pageerror", str(e))))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    started = time.perf_counter()
    page.goto(Path(path).resolve().as_uri())
    page.wait_for_selector("body[data-state=stable]", state="attached", timeout=timeout_ms)
    seconds = time.perf_counter() - started
    page.requests = requests
    return page, messages, seconds
