"""``python -m bot inbox add-user|list-users|set-password``: the inbox's staff accounts.

Passwords are read with getpass (twice) or, with ``--password-stdin``, as one line from stdin
(for scripts); they are never arguments (those end up in shell history and ``ps``) and never printed.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.config import Settings
from bot.handoff.db import Database, database
from bot.handoff.roster import Roster, RosterError, load_roster
from bot.inbox import auth


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="inbox_command", required=True)
    add = sub.add_parser("add-user", help="create a login for a person in the roster")
    add.add_argument("username", help="login name: lower-case letters, digits, '.', '_' or '-'")
    add.add_argument("--roster-id", required=True, help="the person's id in the roster (KIM_ROSTER)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    sub.add_parser("list-users", help="list the logins with their roster person")
    change = sub.add_parser("set-password", help="set a new password (ends the user's sessions)")
    change.add_argument("username")
    change.add_argument("--password-stdin", action="store_true", help="read the password from stdin")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise auth.AccountError("the passwords differ")
    return first


def _list(db: Database, roster: Roster) -> None:
    for account in auth.list_accounts(db):
        person = roster.get(account.roster_id)
        who = (
            f"{person.name}, {person.role}{f', {person.municipality}' if person.municipality else ''}"
            if person
            else "NOT IN THE ROSTER (cannot log in)"
        )
        state = "" if account.active else " [inactive]"
        print(f"{account.username}\t{account.roster_id}\t{who}{state}")


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    try:
        roster = load_roster(settings.roster_path)
        db = database(settings.db_url)
        if args.inbox_command == "list-users":
            _list(db, roster)
        elif args.inbox_command == "add-user":
            username = args.username.strip().lower()
            auth.add_user(db, roster, username, args.roster_id, _password(args.password_stdin))
            print(f"created {username} for {args.roster_id}")
        else:
            auth.set_password(db, args.username.strip().lower(), _password(args.password_stdin))
            print(f"password of {args.username} changed; their sessions were ended")
    except (auth.AccountError, RosterError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
