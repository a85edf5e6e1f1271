"""Handoff timings on this machine, over HTTP like a browser and a case manager would do it.

1. consent → case in the inbox: the user's intake turns through the web chat (real Rasa + action
   server), then from "send" until the case is listed in the responsible case manager's inbox.
2. reply → chat: the case manager's German reply is translated by the queued work (draft ready),
   sent, and arrives at the user's waiting long poll (``/api/updates``).

Translation models: the tiny random-weight test model (always), and the real OPUS-MT models where
installed (``python -m bot models fetch``; their folder in KIM_TRANSLATION_MODELS_DIR).

    .venv/bin/python benchmarks/handoff.py [--runs 10]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import secrets
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import header, table
from bot.channels.webchat import create_app
from bot.config import Settings
from bot.handoff import database
from bot.handoff.dialogue import choice
from bot.handoff.models import StaffUser
from bot.inbox.auth import hash_password
from bot.runner import start_children, stop_children, wait_until_ready
from bot.translation import TranslationEngine, TranslationSettings
from tests.bot.translation.tiny_marian import build_release, install

PASSWORD = secrets.token_urlsafe(16)
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
INTAKE = [
    "بدي احكي مع شخص حقيقي",
    choice("consent_yes"),
    "بادربورن شلوس نويهاوس",
    "وصلتني رسالة من Ausländerbehörde وفيها موعد، ما فهمت شو لازم اعمل",
    choice("contact_chat"),
    choice("skip"),
    choice("not_urgent"),
]
REPLY = "Guten Tag, bitte kommen Sie am Montag um 10 Uhr in unser Büro. Bringen Sie den Brief mit."


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tiny_models(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    plain = build_release(folder / "plain.zip")
    arabic = build_release(folder / "arabic.zip", target_script="arabic")
    models = install(folder / "models", plain, {"ar-de": None})
    return install(models, arabic, {"de-ar": ">>ara<<"})


async def _form(http: aiohttp.ClientSession, url: str) -> str:
    async with http.get(url) as response:
        match = CSRF.search(await response.text())
        assert match, f"no CSRF field on {url}"
        return match.group(1)


async def one_run(base: str, staff: aiohttp.ClientSession) -> dict[str, float]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as user:
        await (await user.get(base + "/")).read()
        start = time.perf_counter()
        for text in INTAKE:
            body = {"payload": text} if text.startswith("/") else {"text": text}
            async with user.post(base + "/api/messages", json=body) as response:
                assert response.status == 200, await response.text()
        intake_s = time.perf_counter() - start
        send_start = time.perf_counter()
        async with user.post(base + "/api/messages", json={"payload": choice("send")}) as response:
            case_id = (await response.json())["handoff"]["case"]
        while f">#{case_id}<" not in await (await staff.get(base + "/inbox/")).text():  # noqa: ASYNC110
            await asyncio.sleep(0.02)
        to_inbox_s = time.perf_counter() - send_start

        case_url = f"{base}/inbox/cases/{case_id}"
        token = await _form(staff, case_url)
        draft_start = time.perf_counter()
        await staff.post(case_url + "/reply", data={"csrf": token, "text": REPLY})
        while True:
            page = await (await staff.get(case_url)).text()
            send_form = re.search(r'action="([^"]+/send)"', page)
            if send_form and "Übersetzung wird erstellt" not in page:
                break
            await asyncio.sleep(0.02)
        translated_s = time.perf_counter() - draft_start

        poll = asyncio.create_task(user.get(base + "/api/updates?after=0&wait=25"))
        await asyncio.sleep(0.2)  # the browser is waiting, as it always is
        sent_at = time.perf_counter()
        await staff.post(base + send_form.group(1), data={"csrf": CSRF.search(page).group(1)})
        async with await poll as response:
            messages = (await response.json())["messages"]
        arrived_s = time.perf_counter() - sent_at
        assert messages, "the reply did not arrive"
        assert messages[-1]["original"] == REPLY
    return {"intake": intake_s, "inbox": to_inbox_s, "translate": translated_s, "deliver": arrived_s}


async def measure(settings: Settings, runs: int) -> list[dict[str, float]]:
    db = database(settings.db_url)
    with db.session() as session:
        session.query(StaffUser).filter_by(username="bench").delete()
        session.add(
            StaffUser(username="bench", password_hash=hash_password(PASSWORD), roster_id="cm-paderborn-nord")
        )
    runner = web.AppRunner(create_app(settings, db, worker=True), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", settings.web_port).start()
    base = settings.web_url
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as staff:  # IP host
            token = await _form(staff, base + "/inbox/login")
            await staff.post(
                base + "/inbox/login", data={"csrf": token, "username": "bench", "password": PASSWORD}
            )
            return [await one_run(base, staff) for _ in range(runs)]
    finally:
        await runner.cleanup()


def row(name: str, results: list[dict[str, float]], key: str) -> list[object]:
    values = sorted(r[key] * 1000 for r in results)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return [name, len(values), f"{statistics.median(values):.0f}", f"{p95:.0f}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="kim-bench-handoff-"))
    settings = replace(
        Settings.from_env(),
        data_dir=data_dir,
        rasa_port=_free_port(),
        action_port=_free_port(),
        web_port=_free_port(),
        rasa_token=secrets.token_urlsafe(16),
    )
    model_sets = {"tiny random-weight test model": tiny_models(data_dir / "mt")}
    real = TranslationSettings.from_env()
    if {"de-ar", "ar-de"} <= set(TranslationEngine(real).installed()):
        model_sets["real OPUS-MT (int8)"] = real.models_dir
    processes = start_children(settings)
    try:
        wait_until_ready(settings, processes)
        print(header("Handoff: consent → inbox, reply → chat (Arabic user, German case manager)"))
        for name, folder in model_sets.items():
            run_settings = replace(settings, translation=TranslationSettings(models_dir=folder, threads=2))
            results = asyncio.run(measure(run_settings, args.runs))
            print(f"\n### Translation: {name}\n")
            print(
                table(
                    ["step", "runs", "median ms", "p95 ms"],
                    [
                        row("intake: 7 assistant turns (consent … urgency)", results, "intake"),
                        row("send → case listed in the inbox", results, "inbox"),
                        row("reply → translation + back-translation ready", results, "translate"),
                        row("send → reply arrives in the waiting chat", results, "deliver"),
                    ],
                )
            )
        if len(model_sets) == 1:
            print(
                "\nReal models: not installed on this machine "
                "(`python -m bot models fetch` on a connected one)."
            )
    finally:
        stop_children(processes)


if __name__ == "__main__":
    main()
