"""The handoff in whole conversations: consent, intake, overview, the case in the database, deletion.

Real Rasa server and action server; the action server writes cases into the test's database
(``rasa_server.db_url``), which the tests read back.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.content import load_store
from bot.handoff import database
from bot.handoff.dialogue import choice
from bot.handoff.models import Case, Message

pytestmark = [pytest.mark.conversation, pytest.mark.slow]
WEB = {"channel": "webchat"}


def joined(messages) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def payloads(messages) -> list[str]:
    return [b["payload"] for m in messages for b in m.get("buttons") or []]


def ui(key: str, language: str, **values: str) -> str:
    return load_store().ui(key, language, **values)


def cases_of(conversation) -> list[Case]:
    db = database(conversation.settings.db_url)
    with db.session() as session:
        cases = session.execute(select(Case).where(Case.channel_user == conversation.sender)).scalars().all()
        for case in cases:
            _ = case.messages  # load the thread before the session closes
        return cases


def say(conversation, text: str) -> list[dict]:
    return conversation.say(text, WEB)


def start_and_consent(conversation, request: str) -> list[dict]:
    asked = say(conversation, request)
    assert choice("consent_yes") in payloads(asked), joined(asked)
    return say(conversation, choice("consent_yes"))


def test_refused_consent_stores_nothing_and_gives_the_public_contact(conversation):
    asked = say(conversation, "I want to talk to a real person please")
    language = "en"
    assert ui("handoff_consent_question", language) in joined(asked)
    assert "{retention_days}" not in joined(asked) and "90" in joined(asked)
    answer = say(conversation, choice("consent_no"))
    assert ui("handoff_declined", language) in joined(answer)
    assert "05251 308-4610" in joined(answer)
    assert cases_of(conversation) == []


def test_arabic_user_in_schloss_neuhaus_reaches_the_north_paderborn_case_manager(conversation):
    say(conversation, "مرحبا")
    asked = start_and_consent(conversation, "بدي احكي مع موظف من KIM")
    assert ui("handoff_ask_place", "ar") in joined(asked)
    asked = say(conversation, "بادربورن شلوس نويهاوس")
    assert ui("handoff_ask_description", "ar") in joined(asked)
    say(conversation, "عندي رسالة من Ausländerbehörde وما فهمت شو لازم اعمل")
    say(conversation, choice("contact_chat"))
    say(conversation, choice("skip"))
    overview = say(conversation, choice("not_urgent"))
    assert "Paderborn (Schloß Neuhaus)" in joined(overview)
    assert "Ausländerbehörde" in joined(overview)
    assert choice("send") in payloads(overview)
    sent = say(conversation, choice("send"))
    [case] = cases_of(conversation)
    assert ui("handoff_sent", "ar", municipality="Paderborn", case_number=str(case.id), days="3",
              contact_phrase=ui("contact_phrase_chat", "ar")) in joined(sent)  # fmt: skip
    assert (case.municipality, case.district, case.assignee) == (
        "Paderborn",
        "Schloß Neuhaus",
        "cm-paderborn-nord",
    )
    assert case.language == "ar" and case.channel == "webchat" and case.contact_kind == "chat"
    assert "Gemeinde: Paderborn, Ortsteil Schloß Neuhaus" in case.summary_de
    assert "Sprache der Person: Arabisch" in case.summary_de
    [words] = case.messages
    assert words.text.startswith("عندي رسالة") and words.translation_state == "pending"


def test_bad_answers_are_asked_again_and_corrections_are_kept(conversation):
    start_and_consent(conversation, "ich möchte mit meiner Fallmanagerin sprechen")
    asked = say(conversation, "salzkoten")
    assert ui("handoff_ask_description", "de") in joined(asked)
    too_long = say(conversation, "Wir suchen seit Monaten eine Wohnung in Salzkotten. " * 30)
    assert ui("handoff_text_too_long", "de", max_chars="1000") in joined(too_long)
    assert ui("handoff_ask_description", "de") in joined(too_long)
    say(conversation, "Wir suchen eine Wohnung und brauchen Hilfe beim Antrag")
    wrong = say(conversation, "meine nummer ist 123")
    assert ui("handoff_contact_invalid", "de") in joined(wrong)
    say(conversation, "0151 23456789")
    wrong_name = say(conversation, "12345")
    assert ui("handoff_name_invalid", "de") in joined(wrong_name)
    say(conversation, "Amira Haddad")
    overview = say(conversation, choice("urgent"))
    assert "+4915123456789" in joined(overview) and "Amira Haddad" in joined(overview)
    asked = say(conversation, choice("edit_contact"))
    assert ui("handoff_ask_contact", "de") in joined(asked)
    overview = say(conversation, "amira@example.de")
    assert "amira@example.de" in joined(overview) and "+4915123456789" not in joined(overview)
    say(conversation, choice("send"))
    [case] = cases_of(conversation)
    assert (case.municipality, case.assignee, case.urgency) == ("Salzkotten", "cm-salzkotten", "urgent")
    assert (case.contact_kind, case.contact_value, case.name) == ("email", "amira@example.de", "Amira Haddad")
    assert case.messages[0].translation_state == "not_needed"


def test_unknown_place_goes_to_the_biz_queue_and_a_second_request_finds_the_open_case(conversation):
    start_and_consent(conversation, "можна поговорити з людиною?")
    say(conversation, choice("place_unknown"))
    say(conversation, choice("skip"))
    say(conversation, choice("contact_chat"))
    say(conversation, choice("skip"))
    say(conversation, choice("not_urgent"))
    sent = say(conversation, choice("send"))
    [case] = cases_of(conversation)
    assert case.municipality is None and case.assignee is None and case.messages == []
    assert str(case.id) in joined(sent)
    again = say(conversation, "хочу поговорити з людиною")
    assert ui("handoff_already_open", "uk", case_number=str(case.id)) in joined(again)
    assert len(cases_of(conversation)) == 1


def test_health_information_is_shared_only_with_explicit_consent(conversation):
    say(conversation, "my wife needs a psychologist, she cannot sleep since the war")
    start_and_consent(conversation, "can I talk to my case manager")
    say(conversation, "Delbrück")
    asked = say(conversation, "She has nightmares every night")
    assert ui("handoff_ask_health_consent", "en") in joined(asked)
    say(conversation, choice("health_no"))
    say(conversation, choice("contact_chat"))
    say(conversation, choice("skip"))
    overview = say(conversation, choice("not_urgent"))
    assert "nightmares" not in joined(overview)
    assert ui("value_health_withheld", "en") in joined(overview)
    say(conversation, choice("send"))
    [case] = cases_of(conversation)
    assert "ask_psychological_help" not in case.topics and case.messages == []
    assert case.health_consent is None and "Gesundheit" not in case.summary_de


def test_an_emergency_during_the_intake_is_answered_at_once_and_the_intake_goes_on(conversation):
    start_and_consent(conversation, "I need to speak to a person")
    say(conversation, "Paderborn")
    story = say(conversation, "my husband is beating me, i am afraid, we need another flat")
    assert "112" in joined(story)  # answered at once, and the story is kept for the person
    assert ui("handoff_ask_contact", "en") in joined(story)
    answer = say(conversation, "i want to kill myself")
    assert "112" in joined(answer)
    assert ui("handoff_ask_contact", "en") in joined(answer)  # the same question again, nothing else
    assert ui("handoff_ask_health_consent", "en") not in joined(answer)
    say(conversation, choice("contact_chat"))
    say(conversation, choice("skip"))
    say(conversation, choice("urgent"))
    say(conversation, choice("send"))
    [case] = cases_of(conversation)
    assert case.flag_emergency and "NOTFALL" in case.summary_de
    assert case.messages[0].text == "my husband is beating me, i am afraid, we need another flat"


def test_cancel_under_any_question_ends_the_intake(conversation):
    start_and_consent(conversation, "I need to speak to a person")
    asked = say(conversation, "Hövelhof")
    assert choice("cancel") in payloads(asked)
    cancelled = say(conversation, choice("cancel"))
    assert ui("handoff_cancelled", "en") in joined(cancelled)
    assert cases_of(conversation) == []
    assert "Hövelhof" not in joined(say(conversation, "where can I find a kita"))


def test_cancel_sends_nothing_and_deletion_removes_the_case(conversation):
    start_and_consent(conversation, "I need to speak to a person")
    for step in ("Büren", choice("skip"), choice("contact_chat"), choice("skip"), choice("not_urgent")):
        say(conversation, step)
    cancelled = say(conversation, choice("cancel"))
    assert ui("handoff_cancelled", "en") in joined(cancelled)
    assert cases_of(conversation) == []

    start_and_consent(conversation, "I need to speak to a person")
    for step in (
        "Büren",
        "We need a Kita place",
        choice("contact_chat"),
        choice("skip"),
        choice("not_urgent"),
    ):
        say(conversation, step)
    say(conversation, choice("send"))
    [case] = cases_of(conversation)
    asked = say(conversation, "please delete all my data")
    assert choice("delete_yes", "request_data_deletion") in payloads(asked)
    done = say(conversation, choice("delete_yes", "request_data_deletion"))
    assert ui("delete_done", "en") in joined(done)
    assert {"privacy": "deleted"} in [m.get("custom") for m in done]
    assert cases_of(conversation) == []
    db = database(conversation.settings.db_url)
    with db.session() as session:
        assert session.execute(select(Message).where(Message.case_id == case.id)).scalars().all() == []
