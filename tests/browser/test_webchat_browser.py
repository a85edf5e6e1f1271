"""The web chat in real headless Chromium (Debian's), against the real assistant on localhost.

Screenshots go to test-artifacts/ for people to look at.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from aiohttp import web

from bot.channels.webchat import create_app
from bot.content import load_store

pytestmark = [pytest.mark.browser, pytest.mark.conversation, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
async def chat_url(rasa_server, tmp_path, unused_tcp_port):
    settings = replace(rasa_server, data_dir=tmp_path, web_port=unused_tcp_port)
    runner = web.AppRunner(create_app(settings))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", unused_tcp_port).start()
    yield f"http://127.0.0.1:{unused_tcp_port}/"
    await runner.cleanup()


@pytest.fixture
async def page():
    from playwright.async_api import async_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install chromium (.ci/run does it)")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": 412, "height": 860}, locale="ar")
        yield await context.new_page()
        await browser.close()


async def test_arabic_user_gets_an_arabic_answer_right_to_left(page, chat_url):
    await page.goto(chat_url)
    await page.get_by_role("button", name="العربية").click()
    await page.get_by_text(load_store().ui("language_changed", "ar")).wait_for()

    await page.get_by_role("textbox").fill("وين بلاقي روضة لابني؟")
    await page.keyboard.press("Enter")
    first_line = load_store().answer("kita", "ar").messages[0].splitlines()[0]
    answer_line = page.locator(".msg.bot .line", has_text=first_line).first
    await answer_line.wait_for(timeout=30_000)

    direction = await answer_line.evaluate("el => getComputedStyle(el).direction")
    assert direction == "rtl"
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "webchat-arabic-kita.png"), full_page=True)


async def test_status_buttons_answer_the_question(page, chat_url):
    await page.goto(chat_url)
    await page.get_by_role("textbox").fill("darf ich hier arbeiten?")
    await page.keyboard.press("Enter")
    await page.get_by_role("button", name=load_store().ui("status_duldung", "de")).click()
    first_line = load_store().answer("work_permission_duldung", "de").messages[0].splitlines()[0]
    await page.locator(".msg.bot .line", has_text=first_line).first.wait_for(timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "webchat-german-duldung.png"), full_page=True)
