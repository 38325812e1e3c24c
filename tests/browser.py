"""Headless Chromium for the browser tests and scripts/screenshot.py: Debian's chromium and
chromedriver only (Selenium Manager never runs, nothing is downloaded), network blocked.

The network is blocked below the page: every host name fails to resolve and every connection
goes to a proxy on a closed local port (IP literals and loopback included). DevTools'
``Network.setBlockedURLs`` is not used: it blocks a request before the Content-Security-Policy
sees it and logs nothing, so a page that tried to load something would pass the tests'
"no console errors" check. This way a forbidden load still shows as a SEVERE console entry."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def available() -> bool:
    return (
        CHROMIUM.is_file()
        and CHROMEDRIVER.is_file()
        and importlib.util.find_spec("selenium") is not None
    )


def start(width: int = 800, height: int = 1000) -> Any:
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch a driver or browser
    os.environ["SE_AVOID_STATS"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        f"--window-size={width},{height}",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=http://127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
