"""Reading intake answers: contact, name, description, topics (bot.handoff.intake)."""

from __future__ import annotations

import pytest

from bot.handoff.intake import (
    MAX_DESCRIPTION,
    Contact,
    check_description,
    clean_name,
    conversation_topics,
    parse_contact,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0151 23456789", Contact("phone", "+4915123456789")),
        ("+49 5251 308 4610", Contact("phone", "+4952513084610")),
        ("meine Nummer ist 05251-3084610", Contact("phone", "+4952513084610")),
        ("0049 1512 3456789", Contact("phone", "+4915123456789")),
        ("+380 67 123 4567", Contact("phone", "+380671234567")),
        ("name@example.de", Contact("email", "name@example.de")),
        ("my mail: Olena.K@example.org", Contact("email", "Olena.K@example.org")),
    ],
)
def test_phone_numbers_and_email_addresses_are_understood(text, expected):
    assert parse_contact(text) == expected


@pytest.mark.parametrize(
    "text", ["", "123", "ali@@example", "kein telefon", "0000000000000000000000", "x" * 300, "@", "12 34"]
)
def test_anything_else_is_not_a_contact(text):
    assert parse_contact(text) is None


def test_contact_round_trips_through_its_slot_value():
    for contact in (Contact("chat"), Contact("phone", "+4915123456789"), Contact("email", "a@example.de")):
        assert Contact.from_slot(contact.as_slot()) == contact
    assert Contact.from_slot(None) == Contact("chat")


@pytest.mark.parametrize("name", ["Ali", "Олена Петренко", "محمد علي", "O'Neil", "Anna-Lena Meier"])
def test_names_in_any_script_are_kept(name):
    assert clean_name(name) == name


@pytest.mark.parametrize("text", ["", "x", "12345", "Ali 123", "<script>", "a" * 81])
def test_what_is_not_a_name_is_refused(text):
    assert clean_name(text) is None


def test_description_limits():
    assert check_description("Wir brauchen eine Wohnung") is None
    assert check_description("?!") == "handoff_text_too_short"
    assert check_description("a" * (MAX_DESCRIPTION + 1)) == "handoff_text_too_long"


def test_topics_are_the_questions_asked_in_order_without_greetings_or_repeats():
    intents = ["greet", "ask_kita", None, "ask_housing", "ask_kita", "request_case_manager"]
    intents.append("report_emergency")
    assert conversation_topics(intents) == ("ask_kita", "ask_housing", "report_emergency")
