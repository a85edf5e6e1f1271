"""Handoff to a KIM case manager: consented intake, cases in a database, routing, German summary."""

from bot.handoff.db import Database, database
from bot.handoff.roster import Person, Roster, RosterError, load_roster
from bot.handoff.summary import Intake, german_summary

__all__ = [
    "Database",
    "Intake",
    "Person",
    "Roster",
    "RosterError",
    "database",
    "german_summary",
    "load_roster",
]
