"""The case managers' inbox: handed-off cases, read and answered in German (server-rendered, no JS)."""

from bot.inbox.app import create_inbox_app

__all__ = ["create_inbox_app"]
