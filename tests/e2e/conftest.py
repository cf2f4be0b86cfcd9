"""Browser tests: Playwright driving Debian's Chromium against a live server.

CI (CI=true) or REQUIRE_BROWSER=1 turns a missing browser into a failure; elsewhere the browser
tests are skipped with the apt-get line that brings Chromium.
"""

import os
import shutil
from pathlib import Path

import pytest

# Every main page with the official who opens it, for the checks that walk them all.
from tests.e2e.main_pages import main_pages

__all__ = ["main_pages"]

# Playwright's sync API keeps an event loop in the test thread; Django must still let the
# test code touch the database from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def browser_required() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true"} or os.environ.get(
        "REQUIRE_BROWSER", ""
    ) in {"1", "true"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = (
            f"Chromium not found at {CHROMIUM}: "
            "apt-get install -y --no-install-recommends chromium libatomic1"
        )
        if browser_required():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under build/screenshots/<name>.png."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)
