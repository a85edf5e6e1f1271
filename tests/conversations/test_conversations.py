"""Whole conversations with the real assistant (trained model, Rasa server, action server).

Each test checks what the user sees: the answer of the right topic, in the user's language.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from bot.content import load_store

pytestmark = [pytest.mark.conversation, pytest.mark.slow]


def joined(messages) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def first_bubble(key: str, language: str) -> str:
    return load_store().answer(key, language).messages[0].strip()


def payloads(messages) -> list[str]:
    return [b["payload"] for m in messages for b in m.get("buttons") or []]


def test_german_duldung_work_question_is_answered_for_duldung(conversation):
    answer = conversation.say("Ich habe eine Duldung, darf ich arbeiten?")
    assert first_bubble("work_permission_duldung", "de") in joined(answer)


def test_ukrainian_school_question_after_grundschule(conversation):
    answer = conversation.say("Мій син закінчує Grundschule, яку школу тепер?")
    assert first_bubble("school_grundschule_end", "uk") in joined(answer)


def test_arabic_kita_question(conversation):
    answer = conversation.say("وين بلاقي روضة لابني؟")
    assert first_bubble("kita", "ar") in joined(answer)


def test_english_trauma_question(conversation):
    answer = conversation.say("where can my wife get help for trauma")
    assert first_bubble("psychological_help", "en") in joined(answer)


def test_status_is_asked_with_buttons_and_the_button_answers(conversation):
    question = conversation.say("how can we move out of the camp into our own flat")
    assert '/ask_housing{"residence_status": "gestattung"}' in payloads(question)
    answer = conversation.say('/ask_housing{"residence_status": "gestattung"}')
    assert first_bubble("housing_gestattung", "en") in joined(answer)


def test_typed_status_answers_the_question(conversation):
    conversation.say("чи можу я працювати?")
    answer = conversation.say("у мене тимчасовий захист, параграф 24")
    assert first_bubble("work_permission_protection_24", "uk") in joined(answer)


def test_known_status_is_not_asked_again(conversation):
    conversation.say("Ich habe eine Duldung, darf ich arbeiten?")
    answer = conversation.say("und wie komme ich aus dem Heim raus in eine eigene Wohnung?")
    assert first_bubble("housing_duldung", "de") in joined(answer)


def test_emergency_in_the_middle_of_a_question_gets_the_numbers(conversation):
    conversation.say("may I work in Germany?")
    answer = conversation.say("help my husband is not breathing")
    assert first_bubble("emergency", "en") in joined(answer)


def test_russian_is_answered_in_ukrainian(conversation):
    answer = conversation.say("где найти детский сад для ребенка")
    assert first_bubble("kita", "uk") in joined(answer)


def test_language_sticks_for_short_replies(conversation):
    conversation.say("وين بلاقي روضة لابني؟")
    answer = conversation.say("ok")
    assert any("\u0600" <= ch <= "\u06ff" for ch in joined(answer))


def test_unknown_language_gets_the_picker(conversation):
    answer = conversation.say("bonjour, je cherche un travail pour mon mari")
    assert '/change_language{"language": "uk"}' in payloads(answer)


def test_picking_a_language_switches(conversation):
    conversation.say("bonjour, je cherche un travail pour mon mari")
    answer = conversation.say('/change_language{"language": "ar"}')
    assert load_store().ui("language_changed", "ar") in joined(answer)


@pytest.mark.parametrize(
    ("text", "metadata"),
    [
        ("", None),
        ("x" * 10_000, None),
        ("😀😀😀", None),
        ("", {"media": "photo"}),
        ("kita\x00\x1b[31m", None),
    ],
    ids=["empty", "10000-chars", "emoji-only", "photo", "control-chars"],
)
def test_bad_input_gets_a_friendly_answer(conversation, text, metadata):
    answer = conversation.say(text, metadata)
    assert answer, "the assistant must always answer"
    assert all((m.get("text") or "").strip() for m in answer)


def test_rasa_http_api_needs_the_token(rasa_server):
    request = urllib.request.Request(
        f"{rasa_server.rasa_url}/model/parse",
        data=json.dumps({"text": "hallo"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=10)
    assert error.value.code == 401


def test_place_in_arabic_is_understood_with_its_district(conversation):
    conversation.say("السلام عليكم")
    answer = conversation.say("بادربورن شلوس نويهاوس")
    assert "Paderborn (Schloß Neuhaus)" in joined(answer)
    slots = conversation.tracker()["slots"]
    assert (slots["municipality"], slots["district"]) == ("Paderborn", "Schloß Neuhaus")
