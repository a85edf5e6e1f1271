"""Answer texts: loading, checking and composing them into chat replies."""

from bot.content.choices import Choice, load_choices, match_option
from bot.content.reply import Button, Reply, choice_question, language_picker, topic_replies, ui_reply
from bot.content.store import LANGUAGES, Answer, ContentError, ContentStore, load_store
from bot.content.topics import Topic, load_topics

__all__ = [
    "LANGUAGES",
    "Answer",
    "Button",
    "Choice",
    "ContentError",
    "ContentStore",
    "Reply",
    "Topic",
    "choice_question",
    "language_picker",
    "load_choices",
    "load_store",
    "load_topics",
    "match_option",
    "topic_replies",
    "ui_reply",
]
