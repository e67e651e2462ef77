"""Fixtures of the end-to-end tests that drive a real browser (the serve tests): one headless
Chromium per module, a fresh page per test. A module may define its own instead."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from support.browser import chromium_available, chromium_browser, new_page


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not chromium_available():
        pytest.skip("chromium is not installed")
    with chromium_browser() as b:
        yield b


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with new_page(browser) as p:
        yield p
