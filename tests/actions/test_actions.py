"""The custom actions, called as the Rasa server calls them."""

from __future__ import annotations

import pytest

from actions.answers import ActionAnswer
from actions.forms import ActionAskResidenceStatus, ValidateResidenceStatusForm, ValidateSchoolStageForm
from actions.language import ActionDetectLanguage
from actions.municipality import ActionExtractMunicipality
from bot.content import load_store
from tests.actions.conftest import make_tracker, user_event


def texts(dispatcher) -> str:
    return "\n".join(m["text"] or "" for m in dispatcher.messages)


async def test_answers_the_topic_in_the_slot_language(dispatcher):
    tracker = make_tracker("де знайти садочок", "ask_kita", slots={"language": "uk"})
    events = await ActionAnswer().run(dispatcher, tracker, {})
    assert events == []
    assert "Kita-Navigator" in texts(dispatcher)
    assert (
        "садоч" in texts(dispatcher).lower()
        or "кіта" in texts(dispatcher).lower()
        or "Kita" in texts(dispatcher)
    )
    assert any(ch in texts(dispatcher) for ch in "абвгдеєжзиіїй")


async def test_completed_status_question_answers_the_question_that_started_it(dispatcher):
    events = [
        user_event("darf ich arbeiten", "ask_work_permission"),
        {"event": "action", "name": "residence_status_form"},
        {"event": "active_loop", "name": "residence_status_form"},
        user_event("Duldung", "ask_residence_status"),
        {"event": "action", "name": "residence_status_form"},
        {"event": "slot", "name": "residence_status", "value": "duldung"},
        {"event": "active_loop", "name": None},
    ]
    tracker = make_tracker("Duldung", "ask_residence_status", slots={"residence_status": "duldung"})
    tracker.events = events
    await ActionAnswer().run(dispatcher, tracker, {})
    assert load_store().answer("work_permission_duldung", "de").messages[0] in texts(dispatcher)


async def test_interrupted_status_question_answers_the_new_question(dispatcher):
    events = [
        user_event("darf ich arbeiten", "ask_work_permission"),
        {"event": "action", "name": "residence_status_form"},
        {"event": "active_loop", "name": "residence_status_form"},
        user_event("wo ist eine kita", "ask_kita"),
        {"event": "action", "name": "action_deactivate_loop"},
        {"event": "active_loop", "name": None},
    ]
    tracker = make_tracker("wo ist eine kita", "ask_kita")
    tracker.events = events
    await ActionAnswer().run(dispatcher, tracker, {})
    assert load_store().answer("kita", "de").messages[0] in texts(dispatcher)


async def test_emergency_is_answered_even_when_the_picker_is_due(dispatcher):
    tracker = make_tracker("!!!", "report_emergency", slots={"language_picker": True})
    await ActionAnswer().run(dispatcher, tracker, {})
    assert "112" in texts(dispatcher)


async def test_picker_shows_all_four_languages(dispatcher):
    tracker = make_tracker("bonjour", "greet", slots={"language_picker": True, "language": None})
    await ActionAnswer().run(dispatcher, tracker, {})
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == [
        '/change_language{"language": "de"}',
        '/change_language{"language": "uk"}',
        '/change_language{"language": "ar"}',
        '/change_language{"language": "en"}',
    ]


@pytest.mark.parametrize(("issue", "word"), [("empty", "leer"), ("media", "Text")])
async def test_empty_and_media_messages_get_a_friendly_answer(dispatcher, issue, word):
    tracker = make_tracker("", "nlu_fallback", input_issues=[issue])
    await ActionAnswer().run(dispatcher, tracker, {})
    assert word.lower() in texts(dispatcher).lower()


async def test_too_long_message_is_answered_with_a_note(dispatcher):
    tracker = make_tracker("..." * 10, "ask_kita", input_issues=["too_long"])
    await ActionAnswer().run(dispatcher, tracker, {})
    assert "lang" in dispatcher.messages[0]["text"].lower()
    assert "Kita" in texts(dispatcher)


async def test_status_question_has_one_button_per_status_that_repeats_the_question(dispatcher):
    events = [
        user_event("wo wohnen", "ask_housing"),
        {"event": "active_loop", "name": "residence_status_form"},
    ]
    tracker = make_tracker("wo wohnen", "ask_housing", events=events, active_loop="residence_status_form")
    await ActionAskResidenceStatus().run(dispatcher, tracker, {})
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert len(payloads) == 5
    assert '/ask_housing{"residence_status": "duldung"}' in payloads


async def test_status_is_read_from_the_question_itself(dispatcher):
    tracker = make_tracker("Ich habe eine Duldung, darf ich arbeiten?", "ask_work_permission")
    result = await ValidateResidenceStatusForm().extract_residence_status(dispatcher, tracker, {})
    assert result == {"residence_status": "duldung"}


async def test_status_from_a_button(dispatcher):
    entities = [{"entity": "residence_status", "value": "protection_24"}]
    tracker = make_tracker(
        "/ask_housing",
        "ask_housing",
        entities=entities,
        slots={"requested_slot": "residence_status"},
        active_loop="residence_status_form",
    )
    result = await ValidateResidenceStatusForm().extract_residence_status(dispatcher, tracker, {})
    assert result == {"residence_status": "protection_24"}


async def test_school_stage_from_text(dispatcher):
    tracker = make_tracker("Мій син закінчує Grundschule, яку школу тепер?", "ask_school")
    result = await ValidateSchoolStageForm().extract_school_stage(dispatcher, tracker, {})
    assert result == {"school_stage": "grundschule_end"}


async def test_language_slot_follows_a_clear_switch(dispatcher):
    tracker = make_tracker("where can I find a German course for my wife", "ask_language_course")
    events = await ActionDetectLanguage().run(dispatcher, tracker, {})
    assert {"event": "slot", "name": "language", "value": "en"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


async def test_language_button_sets_the_language(dispatcher):
    tracker = make_tracker(
        "/change_language", "change_language", entities=[{"entity": "language", "value": "ar"}]
    )
    events = await ActionDetectLanguage().run(dispatcher, tracker, {})
    assert events[0]["value"] == "ar"


async def test_place_in_arabic_script_is_acknowledged_with_its_district(dispatcher):
    tracker = make_tracker("بادربورن شلوس نويهاوس", "inform_municipality", slots={"language": "ar"})
    await ActionAnswer().run(dispatcher, tracker, {})
    assert "Paderborn (Schloß Neuhaus)" in texts(dispatcher)


async def test_place_outside_the_kreis_gets_a_kind_answer(dispatcher):
    tracker = make_tracker("ich wohne in Bielefeld", "inform_municipality")
    await ActionAnswer().run(dispatcher, tracker, {})
    assert "Bielefeld" in texts(dispatcher)
    assert "nicht zum Kreis Paderborn" in texts(dispatcher)


async def test_contradicting_place_asks_back_with_buttons(dispatcher):
    tracker = make_tracker("33104 Delbrück", "inform_municipality", slots={"language": "en"})
    await ActionAnswer().run(dispatcher, tracker, {})
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == [
        '/inform_municipality{"municipality": "Paderborn"}',
        '/inform_municipality{"municipality": "Delbrück"}',
    ]


async def test_unknown_place_asks_for_town_or_postal_code(dispatcher):
    tracker = make_tracker("Musterhausen", "inform_municipality", slots={"language": "en"})
    await ActionAnswer().run(dispatcher, tracker, {})
    assert "postal code" in texts(dispatcher)


async def test_municipality_slot_is_filled_from_any_message(dispatcher):
    tracker = make_tracker("wir wohnen in salzkotten und suchen eine kita", "ask_kita")
    events = await ActionExtractMunicipality().run(dispatcher, tracker, {})
    assert [(e["name"], e["value"]) for e in events] == [("municipality", "Salzkotten"), ("district", None)]


async def test_municipality_button_sets_the_slot(dispatcher):
    entities = [{"entity": "municipality", "value": "Delbrück"}]
    tracker = make_tracker(
        '/inform_municipality{"municipality": "Delbrück"}', "inform_municipality", entities=entities
    )
    events = await ActionExtractMunicipality().run(dispatcher, tracker, {})
    assert events[0]["value"] == "Delbrück"


async def test_no_municipality_from_a_message_without_place(dispatcher):
    tracker = make_tracker("darf ich mit duldung arbeiten", "ask_work_permission")
    assert await ActionExtractMunicipality().run(dispatcher, tracker, {}) == []


async def test_button_payload_does_not_change_the_language(dispatcher):
    tracker = make_tracker("/greet", "greet", slots={"language": "uk"})
    events = await ActionDetectLanguage().run(dispatcher, tracker, {})
    assert [e["name"] for e in events] == ["language_picker"]


async def test_greeting_before_any_language_offers_all_four(dispatcher):
    tracker = make_tracker("/greet", "greet", slots={"language": None})
    await ActionAnswer().run(dispatcher, tracker, {})
    assert "Hallo" in dispatcher.messages[0]["text"]
    assert len(dispatcher.messages[-1]["buttons"]) == 4
