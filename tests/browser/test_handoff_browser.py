"""End to end in real Chromium: an Arabic user asks for a person, the case manager answers in German.

Real Rasa + action server, the web chat with the inbox and the queued work, and tiny random-weight
translation models of the real architecture (the de→ar one favours Arabic pieces, as a trained
model writes Arabic): the user must see exactly what the engine made of the German reply.
Screenshots of the chat and the inbox go to test-artifacts/.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from aiohttp import web

from bot.channels.webchat import create_app
from bot.content import load_store
from bot.handoff import database
from bot.handoff.models import StaffUser
from bot.inbox.auth import hash_password
from bot.translation import TranslationEngine, TranslationSettings
from tests.bot.translation.tiny_marian import build_release, install
from tests.browser.test_webchat_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.conversation, pytest.mark.slow]

PASSWORD = "ein-langes-test-passwort"
REPLY_DE = "Guten Tag, bitte kommen Sie am Montag um 10 Uhr in unser Büro."
ARABIC = re.compile(r"[\u0600-\u06ff]")


@pytest.fixture(scope="module")
def translation_settings(tmp_path_factory) -> TranslationSettings:
    folder = tmp_path_factory.mktemp("mt")
    plain = build_release(folder / "plain.zip")
    arabic = build_release(folder / "arabic.zip", target_script="arabic")
    models = install(folder / "models", plain, {"ar-de": None})
    install(models, arabic, {"de-ar": ">>ara<<"})
    return TranslationSettings(models_dir=models, threads=1, beam_size=1)


@pytest.fixture
async def site(rasa_server, translation_settings, unused_tcp_port):
    settings = replace(rasa_server, web_port=unused_tcp_port, translation=translation_settings)
    db = database(settings.db_url)
    with db.session() as session:
        if not session.query(StaffUser).filter_by(username="j.beispielmann").first():
            session.add(
                StaffUser(
                    username="j.beispielmann",
                    password_hash=hash_password(PASSWORD),
                    roster_id="cm-paderborn-nord",
                )
            )
    runner = web.AppRunner(create_app(settings, db, worker=True))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", unused_tcp_port).start()
    yield f"http://127.0.0.1:{unused_tcp_port}"
    await runner.cleanup()


@pytest.fixture
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


def ui(key: str, **values: str) -> str:
    return load_store().ui(key, "ar", **values)


async def tap(page, key: str) -> None:
    await page.get_by_role("button", name=ui(key)).last.click()


async def write(page, text: str) -> None:
    await page.get_by_role("textbox").fill(text)
    await page.keyboard.press("Enter")


async def test_arabic_user_gets_the_german_case_managers_reply_in_arabic(site, browser, translation_settings):
    ARTIFACTS.mkdir(exist_ok=True)
    phone = await (await browser.new_context(viewport={"width": 412, "height": 860}, locale="ar")).new_page()
    await phone.goto(site + "/")
    await phone.get_by_role("button", name="العربية").click()
    await phone.get_by_text(load_store().ui("language_changed", "ar")).wait_for()

    await write(phone, "بدي احكي مع شخص حقيقي")
    await tap(phone, "btn_consent_yes")
    await phone.get_by_text(ui("handoff_ask_place")).last.wait_for()
    await write(phone, "بادربورن شلوس نويهاوس")
    await phone.get_by_text(ui("handoff_ask_description")).last.wait_for()
    await write(phone, "وصلتني رسالة من Ausländerbehörde وفيها موعد، ما فهمت شو لازم اعمل")
    await tap(phone, "btn_contact_chat")
    await tap(phone, "btn_skip")
    await tap(phone, "btn_not_urgent")
    await phone.get_by_text("Paderborn (Schloß Neuhaus)").wait_for()
    await tap(phone, "btn_send")
    await phone.locator("#modes").wait_for(state="visible", timeout=15_000)
    await phone.screenshot(path=str(ARTIFACTS / "handoff-chat-sent.png"), full_page=True)

    desk = await (await browser.new_context(viewport={"width": 1280, "height": 900}, locale="de")).new_page()
    await desk.goto(site + "/inbox/login")
    await desk.fill("#username", "j.beispielmann")
    await desk.fill("#password", PASSWORD)
    await desk.get_by_role("button", name="Anmelden").click()
    row = desk.locator("table.cases tr", has_text="Schloß Neuhaus")
    await row.first.wait_for()
    await row.first.get_by_role("link").click()
    await desk.get_by_text("Gemeinde: Paderborn, Ortsteil Schloß Neuhaus", exact=False).wait_for()
    for _ in range(30):  # the user's words are translated by the queued work
        if await desk.get_by_text("Maschinelle Übersetzung — ohne Gewähr").count():
            break
        await desk.wait_for_timeout(500)
        await desk.reload()
    assert await desk.get_by_text("Maschinelle Übersetzung — ohne Gewähr").count() == 1
    await desk.fill("textarea[name=text]", REPLY_DE)
    await desk.get_by_role("button", name="Übersetzen und prüfen").click()
    await desk.get_by_text("Rückübersetzung ins Deutsche, zur Kontrolle").wait_for(timeout=20_000)
    await desk.screenshot(path=str(ARTIFACTS / "handoff-inbox-case.png"), full_page=True)
    await desk.get_by_role("button", name="Senden").click()

    expected = TranslationEngine(translation_settings).translate(REPLY_DE, "de", "ar").text
    reply = phone.locator(".msg.person").last
    await reply.wait_for(timeout=30_000)
    assert ARABIC.search(expected)
    assert (await reply.locator("div[lang=ar]").inner_text()).strip() == expected
    assert ui("chat_label_person") in await reply.inner_text()
    await reply.locator("summary").click()
    assert REPLY_DE in await reply.locator(".original").inner_text()
    await phone.screenshot(path=str(ARTIFACTS / "handoff-chat-reply.png"), full_page=True)
