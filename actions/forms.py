"""Choice forms: ask the residence status or the school stage before answering (choices.yml)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions._common import entity_value, form_trigger_intent, language_of, send
from bot.content import choice_question, load_choices, load_store, match_option


class _ChoiceFormValidation:
    """Fills the choice slot from a button (entity) or from free text (keywords, typos).

    Mixed into a ``FormValidationAction`` (a mixin, because the action server registers every Action
    subclass). Subclasses set ``choice``: the choice name in choices.yml, which is also the slot name;
    the domain declares that slot with a ``custom`` mapping and the form ``<choice>_form``.
    """

    choice: str

    def name(self) -> str:
        return f"validate_{self.choice}_form"

    async def extract_slot(self, tracker: Tracker) -> dict[str, Any]:
        value = entity_value(tracker, self.choice)
        choice = load_choices()[self.choice]
        if value not in choice.option_ids():
            value = match_option(choice, tracker.latest_message.get("text") or "")
        return {self.choice: value} if value else {}


class ValidateResidenceStatusForm(_ChoiceFormValidation, FormValidationAction):
    choice = "residence_status"

    async def extract_residence_status(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        return await self.extract_slot(tracker)


class ValidateSchoolStageForm(_ChoiceFormValidation, FormValidationAction):
    choice = "school_stage"

    async def extract_school_stage(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        return await self.extract_slot(tracker)


class _AskChoice:
    """Asks the question of a choice with one button per option (``action_ask_<choice>``); a mixin."""

    choice: str

    def name(self) -> str:
        return f"action_ask_{self.choice}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        trigger = form_trigger_intent(tracker, f"{self.choice}_form") or "nlu_fallback"
        send(dispatcher, [choice_question(load_store(), self.choice, language_of(tracker), trigger)])
        return []


class ActionAskResidenceStatus(_AskChoice, Action):
    choice = "residence_status"


class ActionAskSchoolStage(_AskChoice, Action):
    choice = "school_stage"
