"""Choice forms: ask the residence status or the school stage before answering (choices.yml)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions._common import entity_value, form_trigger_intent, language_of, send
from bot.content import choice_question, load_choices, load_store, match_option


class _ChoiceFormValidation(FormValidationAction):
    """Fills the choice slot from a button (entity) or from free text (keywords, typos).

    Subclasses set ``choice``: the choice name in choices.yml, which is also the slot name; the domain
    declares that slot with a ``custom`` mapping and the form ``<choice>_form``.
    """

    choice: str

    def name(self) -> str:
        return f"validate_{self.choice}_form"

    async def extract_slot(self, tracker: Tracker) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != self.choice and tracker.active_loop.get("name"):
            return {}
        value = entity_value(tracker, self.choice)
        choice = load_choices()[self.choice]
        if value not in choice.option_ids():
            value = match_option(choice, tracker.latest_message.get("text") or "")
        return {self.choice: value} if value else {}


class ValidateResidenceStatusForm(_ChoiceFormValidation):
    choice = "residence_status"

    async def extract_residence_status(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        return await self.extract_slot(tracker)


class ValidateSchoolStageForm(_ChoiceFormValidation):
    choice = "school_stage"

    async def extract_school_stage(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        return await self.extract_slot(tracker)


class _AskChoice(Action):
    """Asks the question of a choice with one button per option (``action_ask_<choice>``)."""

    choice: str

    def name(self) -> str:
        return f"action_ask_{self.choice}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        trigger = form_trigger_intent(tracker, f"{self.choice}_form") or "nlu_fallback"
        send(dispatcher, [choice_question(load_store(), self.choice, language_of(tracker), trigger)])
        return []


class ActionAskResidenceStatus(_AskChoice):
    choice = "residence_status"


class ActionAskSchoolStage(_AskChoice):
    choice = "school_stage"
