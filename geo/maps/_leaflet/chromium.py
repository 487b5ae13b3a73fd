"""Headless Chromium for the browser tests and the map benchmark (selenium + Debian's chromedriver).

Nothing here is needed to make a map. The browser runs with the network blocked: a
dead proxy, no DNS, and every http(s) request refused through the DevTools protocol;
the performance log records any request that was tried anyway.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM_FLAGS", "chromium_paths", "headless_chromium", "network_requests"]

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


def chromium_paths() -> tuple[str, str] | None:
    """(chromium, chromedriver) executables, or None when either is absent."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None
    )
    return (browser, driver) if browser and driver else None


@contextmanager
def headless_chromium(*, width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A selenium Chrome driver on a fresh profile with the network blocked.

    Raises
    ------
    RuntimeError
        When chromium, chromedriver or selenium is absent (callers skip).
    """
    paths = chromium_paths()
    if paths is None:
        raise RuntimeError(
            "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        )
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:
        raise RuntimeError("selenium is not installed (pip install selenium)") from exc
    profile = tempfile.mkdtemp(prefix="geo-chromium-")
    options = webdriver.ChromeOptions()
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.binary_location = paths[0]
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    # An explicit driver path keeps Selenium Manager from looking for one online.
    driver = webdriver.Chrome(service=Service(executable_path=paths[1]), options=options)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd(
            "Network.setBlockedURLs", {"urls": ["http://*", "https://*", "ws://*", "wss://*"]}
        )
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def network_requests(driver: Any) -> list[str]:
    """URLs of every request the page tried since the last call (from the performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return [u for u in urls if not u.startswith(("chrome://", "chrome-extension://", "devtools://"))]
