"""The worker translates queued user messages and reply drafts with the local model (tiny test model)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.config import Settings
from bot.handoff import service
from bot.handoff.db import Database
from bot.handoff.models import Message, ReplyDraft
from bot.handoff.roster import Roster
from bot.handoff.worker import Worker
from bot.translation import TranslationEngine, TranslationSettings, api
from tests.handoff.factories import DESCRIPTION, DESCRIPTION_AR, DESCRIPTION_UK, NAME, intake, our_log, rows

REPLY = "Bitte bringen Sie Ihre Duldung zum Jobcenter mit."
NOTHING = {"messages": 0, "drafts": 0, "mails": 0}


def _translated(counts: dict[str, int]) -> tuple[int, int]:
    """Messages and drafts a round finished (the mails are disabled here: no SMTP server)."""
    return counts["messages"], counts["drafts"]


@pytest.fixture
def worker(db: Database, engine: TranslationEngine) -> Worker:
    return Worker(db, Settings(), translator=engine)


def _reference(translation_settings: TranslationSettings) -> TranslationEngine:
    """A second engine on the same model: what the worker stored must be exactly what it gives."""
    return TranslationEngine(translation_settings)


async def test_arabic_message_gets_the_model_translation(
    db: Database, roster: Roster, worker: Worker, translation_settings: TranslationSettings
) -> None:
    service.create_case(db, roster, intake(language="ar", description=DESCRIPTION_AR))

    assert _translated(await worker.run_once()) == (1, 0)

    [message] = rows(db, Message)
    expected = _reference(translation_settings).translate(DESCRIPTION_AR, "ar", "de")
    assert message.translation_state == "done"
    assert message.translated_text == expected.text
    assert message.translated_text and message.translated_text != DESCRIPTION_AR
    assert message.machine_translated is True
    assert message.text == DESCRIPTION_AR  # the original stays
    assert _translated(await worker.run_once()) == (0, 0)


async def test_later_user_messages_are_translated_too(db: Database, roster: Roster, worker: Worker) -> None:
    service.create_case(db, roster, intake(language="uk", description=DESCRIPTION_UK))
    service.add_user_message(db, "webchat", "conv-oksana", "Коли можна прийти?", "uk")

    assert (await worker.run_once())["messages"] == 2

    assert [(m.translation_state, m.machine_translated) for m in rows(db, Message)] == [("done", True)] * 2


async def test_german_message_is_left_as_it_is(db: Database, roster: Roster, worker: Worker) -> None:
    service.create_case(db, roster, intake(language="de", description=DESCRIPTION))

    assert _translated(await worker.run_once()) == (0, 0)

    [message] = rows(db, Message)
    assert (message.translation_state, message.translated_text, message.machine_translated) == (
        "not_needed",
        None,
        False,
    )


async def test_reply_draft_gets_translation_and_back_translation(
    db: Database, roster: Roster, worker: Worker, translation_settings: TranslationSettings
) -> None:
    case_id = service.create_case(db, roster, intake(language="ar", description="")).case_id
    draft_id = service.create_draft(db, case_id, "k.musterfrau", REPLY)

    assert _translated(await worker.run_once()) == (0, 1)

    [draft] = rows(db, ReplyDraft)
    reference = _reference(translation_settings)
    forward = reference.translate(REPLY, "de", "ar")
    assert draft.state == "ready"
    assert draft.translated_text == forward.text
    assert draft.back_translation == reference.translate(forward.text, "ar", "de").text
    assert draft.machine_translated is True
    # Ready drafts can be sent: the user gets the translation.
    service.send_draft(db, draft_id, "k.musterfrau")
    [reply] = service.messages_for_user(db, "webchat", "conv-oksana")
    assert (reply.text, reply.translated_text, reply.translation_state) == (REPLY, forward.text, "done")


async def test_english_is_not_installed_so_translation_is_unavailable(
    db: Database, roster: Roster, worker: Worker
) -> None:
    case_id = service.create_case(db, roster, intake(language="en", description="We must move out")).case_id
    draft_id = service.create_draft(db, case_id, "k.musterfrau", REPLY)

    assert _translated(await worker.run_once()) == (1, 1)

    [message] = rows(db, Message)
    assert (message.translation_state, message.translated_text) == ("unavailable", None)
    [draft] = rows(db, ReplyDraft)
    assert (draft.state, draft.translated_text, draft.back_translation) == ("unavailable", None, None)
    service.send_draft(db, draft_id, "k.musterfrau")  # goes out in German, marked as untranslated
    [reply] = service.messages_for_user(db, "webchat", "conv-oksana")
    assert (reply.translated_text, reply.translation_state) == (None, "unavailable")


async def test_too_long_text_fails_and_leaves_the_queue(db: Database, roster: Roster, models_dir) -> None:
    short = TranslationEngine(
        TranslationSettings(models_dir=models_dir, threads=1, beam_size=1, max_chars=20)
    )
    case_id = service.create_case(db, roster, intake(language="uk")).case_id
    service.create_draft(db, case_id, "k.musterfrau", REPLY)

    counts = await Worker(db, Settings(), translator=short).run_once()

    assert (counts["messages"], counts["drafts"]) == (1, 1)
    assert rows(db, Message)[0].translation_state == "failed"
    assert rows(db, ReplyDraft)[0].state == "failed"


class Broken:
    """A translator that crashes (a bug, a damaged model): the row must not stay in the queue."""

    def translate(self, text: str, src: str, tgt: str):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"crashed on {text}")

    def back_translate(self, text: str, src: str, tgt: str):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"crashed on {text}")


async def test_crashing_translator_marks_failed_and_logs_no_text(
    db: Database, roster: Roster, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    case_id = service.create_case(db, roster, intake(language="uk")).case_id
    service.create_draft(db, case_id, "k.musterfrau", REPLY)
    worker = Worker(db, Settings(), translator=Broken())

    assert await worker.run_once() == {"messages": 1, "drafts": 1, "mails": 1}
    assert await worker.run_once() == NOTHING

    assert rows(db, Message)[0].translation_state == "failed"
    assert rows(db, ReplyDraft)[0].state == "failed"
    logged = our_log(caplog.records)
    assert "RuntimeError" in logged
    for secret in (DESCRIPTION_UK, REPLY, NAME, "crashed on", "example.org"):
        assert secret not in logged


async def test_default_translator_is_the_shared_engine(
    db: Database, roster: Roster, translation_settings: TranslationSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api, "_engine", None)  # restored after the test
    api.configure(translation_settings)
    service.create_case(db, roster, intake(language="ar", description=DESCRIPTION_AR))

    await Worker(db, Settings()).run_once()

    expected = _reference(translation_settings).translate(DESCRIPTION_AR, "ar", "de").text
    assert rows(db, Message)[0].translated_text == expected


async def test_two_workers_translate_every_message_once(
    db: Database, roster: Roster, engine: TranslationEngine, translation_settings: TranslationSettings
) -> None:
    texts = [f"{DESCRIPTION_AR} {n}" for n in range(6)]
    for n, text in enumerate(texts):
        service.create_case(db, roster, intake(language="ar", description=text, channel_user=f"conv-{n}"))
    workers = [Worker(db, Settings(), translator=engine), Worker(db, Settings(), translator=engine)]

    counts = await asyncio.gather(*(w.run_once() for w in workers))

    assert sum(c["messages"] for c in counts) == len(texts)  # each message written by one worker
    reference = _reference(translation_settings)
    assert [(m.translation_state, m.translated_text) for m in rows(db, Message)] == [
        ("done", reference.translate(text, "ar", "de").text) for text in texts
    ]


async def test_run_forever_works_until_stopped(db: Database, roster: Roster, worker: Worker) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_forever(stop, interval=0.02))
    service.create_case(db, roster, intake(language="uk"))

    for _ in range(250):
        if rows(db, Message)[0].translation_state != "pending":
            break
        await asyncio.sleep(0.02)
    stop.set()
    await asyncio.wait_for(task, timeout=5)

    assert rows(db, Message)[0].translation_state == "done"
