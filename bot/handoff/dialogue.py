"""What the assistant says during the handoff, in the user's language (texts in translations/*/ui.yml).

Buttons send ``/request_case_manager{"handoff": "<choice>"}``: the form reads the choice from the
``handoff`` entity, so a tap never depends on the NLU.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.content import ContentStore, Reply
from bot.content.reply import Button, answer_replies, intent_payload
from bot.handoff.intake import SKIPPED, Contact
from bot.handoff.summary import HEALTH_TOPICS

TRIGGER = "request_case_manager"
DELETE_TRIGGER = "request_data_deletion"

# ui.yml label of each topic, as the user sees it in the overview.
TOPIC_LABELS = {
    "ask_work_permission": "topic_work",
    "ask_job_search": "topic_job",
    "ask_qualification_recognition": "topic_recognition",
    "ask_housing": "topic_housing",
    "ask_school": "topic_school",
    "ask_kita": "topic_kita",
    "ask_health_care": "topic_health",
    "ask_psychological_help": "topic_psych",
    "ask_language_course": "topic_language_course",
    "ask_financial_support": "topic_money",
    "ask_residence_status": "topic_papers",
    "ask_family_reunification": "topic_family",
    "report_emergency": "topic_emergency",
}


def choice(value: str, trigger: str = TRIGGER) -> str:
    return intent_payload(trigger, handoff=value)


def _button(store: ContentStore, language: str, label: str, value: str, trigger: str = TRIGGER) -> Button:
    return Button(store.ui(label, language), choice(value, trigger))


def consent_question(store: ContentStore, language: str, retention_days: int) -> list[Reply]:
    return [
        Reply(store.ui("handoff_consent_info", language, retention_days=str(retention_days))),
        Reply(
            store.ui("handoff_consent_question", language),
            (
                _button(store, language, "btn_consent_yes", "consent_yes"),
                _button(store, language, "btn_consent_no", "consent_no"),
            ),
        ),
    ]


def public_contact(store: ContentStore, language: str) -> list[Reply]:
    """The public KIM/BIZ contact (the sourced ``case_manager`` answer)."""
    return answer_replies(store, "case_manager", language)


def question(store: ContentStore, language: str, slot: str, **values: str) -> Reply:
    """The question for one intake slot, with its buttons and a way out ("Cancel")."""
    reply = _question(store, language, slot)
    return Reply(reply.text, (*reply.buttons, _button(store, language, "btn_cancel", "cancel")))


def _question(store: ContentStore, language: str, slot: str) -> Reply:
    button = lambda label, value: _button(store, language, label, value)  # noqa: E731
    if slot == "handoff_place":
        return Reply(store.ui("handoff_ask_place", language), (button("btn_place_unknown", "place_unknown"),))
    if slot == "handoff_description":
        return Reply(store.ui("handoff_ask_description", language), (button("btn_skip", "skip"),))
    if slot == "handoff_health_consent":
        buttons = (button("btn_yes", "health_yes"), button("btn_no", "health_no"))
        return Reply(store.ui("handoff_ask_health_consent", language), buttons)
    if slot == "handoff_contact":
        return Reply(store.ui("handoff_ask_contact", language), (button("btn_contact_chat", "contact_chat"),))
    if slot == "handoff_name":
        return Reply(store.ui("handoff_ask_name", language), (button("btn_skip", "skip"),))
    if slot == "handoff_urgency":
        return Reply(
            store.ui("handoff_ask_urgency", language),
            (button("btn_urgent", "urgent"), button("btn_not_urgent", "not_urgent")),
        )
    raise ValueError(f"no question for {slot}")


def _topic_names(store: ContentStore, language: str, topics: tuple[str, ...]) -> str:
    names = [store.ui(TOPIC_LABELS[t], language) for t in topics if t in TOPIC_LABELS]
    return ", ".join(names) or store.ui("topic_other", language)


def overview(
    store: ContentStore, language: str, slots: Mapping[str, str | None], topics: tuple[str, ...]
) -> Reply:
    """What will be sent, in the user's language, with send / change / cancel buttons."""
    ui = lambda key, **v: store.ui(key, language, **v)  # noqa: E731
    place = slots.get("handoff_place")
    district = slots.get("district")
    place_text = ui("value_place_unknown") if place in (None, "unknown") else str(place)
    if district and place not in (None, "unknown") and district != place:
        place_text += f" ({district})"
    health_withheld = (
        bool(HEALTH_TOPICS.intersection(topics)) and slots.get("handoff_health_consent") != "yes"
    )
    shown_topics = tuple(t for t in topics if not (health_withheld and t in HEALTH_TOPICS))
    words = slots.get("handoff_description")
    if health_withheld:
        words_text = ui("value_health_withheld")
    else:
        words_text = ui("value_not_given") if words in (None, SKIPPED) else f"«{words}»"
    contact = Contact.from_slot(slots.get("handoff_contact"))
    name = slots.get("handoff_name")
    urgent = ui("value_urgent" if slots.get("handoff_urgency") == "urgent" else "value_not_urgent")
    lines = [
        ui("handoff_confirm_title"),
        f"📍 {ui('label_place')}: {place_text}",
        f"🗂 {ui('label_topics')}: {_topic_names(store, language, shown_topics)}",
        f"💬 {ui('label_words')}: {words_text}",
        f"📞 {ui('label_contact')}: {contact.value or ui('value_contact_chat')}",
        f"👤 {ui('label_name')}: {ui('value_not_given') if name in (None, SKIPPED) else name}",
        f"⏱ {ui('label_urgency')}: {urgent}",
    ]
    buttons = tuple(
        _button(store, language, label, value)
        for label, value in (
            ("btn_send", "send"),
            ("btn_edit_place", "edit_place"),
            ("btn_edit_text", "edit_text"),
            ("btn_edit_contact", "edit_contact"),
            ("btn_cancel", "cancel"),
        )
    )
    return Reply("\n".join(lines), buttons)


def sent(
    store: ContentStore, language: str, *, case_id: int, municipality: str | None, days: int, contact: Contact
) -> Reply:
    phrase = store.ui("contact_phrase_chat" if contact.kind == "chat" else "contact_phrase_given", language)
    values = {"case_number": str(case_id), "days": str(days), "contact_phrase": phrase}
    if municipality:
        return Reply(store.ui("handoff_sent", language, municipality=municipality, **values))
    return Reply(store.ui("handoff_sent_biz", language, **values))


def delete_question(store: ContentStore, language: str) -> Reply:
    buttons = (
        _button(store, language, "btn_delete_yes", "delete_yes", DELETE_TRIGGER),
        _button(store, language, "btn_delete_no", "delete_no", DELETE_TRIGGER),
    )
    return Reply(store.ui("delete_confirm_question", language), buttons)
