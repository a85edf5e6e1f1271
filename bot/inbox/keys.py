"""The inbox application's state keys (one module, so the app and the views share them)."""

from __future__ import annotations

import jinja2
from aiohttp import web

from bot.config import Settings
from bot.handoff.db import Database
from bot.handoff.roster import Roster
from bot.inbox.ratelimit import LoginLimiter

SETTINGS = web.AppKey("inbox_settings", Settings)
DB = web.AppKey("inbox_db", Database)
ROSTER = web.AppKey("inbox_roster", Roster)
LIMITER = web.AppKey("inbox_login_limiter", LoginLimiter)
TEMPLATES = web.AppKey("inbox_templates", jinja2.Environment)
