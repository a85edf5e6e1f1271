"""``python -m bot inbox ...``: creating logins, listing them, changing passwords."""

from __future__ import annotations

import io
import sys

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.handoff.models import StaffSession, StaffUser
from tests.inbox.support import login, login_as

NEW_PASSWORD = "neues-passwort-fuer-anna"


@pytest.fixture
def cli_env(monkeypatch, db):
    """The CLI reads the database from the environment, like in production; the roster is the example."""
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.delenv("KIM_ROSTER", raising=False)

    def run(*argv: str, stdin: str = "") -> int:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        return main(["inbox", *argv])

    return run


async def test_added_user_can_log_in(cli_env, client, capsys):
    assert (
        cli_env(
            "add-user", "anna", "--roster-id", "cm-altenbeken", "--password-stdin", stdin=NEW_PASSWORD + "\n"
        )
        == 0
    )
    out = capsys.readouterr()
    assert "anna" in out.out
    assert NEW_PASSWORD not in out.out + out.err
    response = await login(client, "anna", NEW_PASSWORD)
    assert response.status == 303
    assert "Anna Beispiel" in await (await client.get("/inbox/")).text()


def test_password_is_asked_twice_with_getpass(cli_env, db, monkeypatch, capsys):
    answers = iter([NEW_PASSWORD, NEW_PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert cli_env("add-user", "anna", "--roster-id", "cm-altenbeken") == 1
    assert "differ" in capsys.readouterr().err
    answers = iter([NEW_PASSWORD, NEW_PASSWORD])
    assert cli_env("add-user", "anna", "--roster-id", "cm-altenbeken") == 0
    with db.session() as session:
        assert session.execute(select(StaffUser.username)).scalars().all() == ["anna"]


@pytest.mark.parametrize(
    ("argv", "password", "error"),
    [
        (("anna", "--roster-id", "cm-altenbeken"), "kurz", "at least 12 characters"),
        (("anna", "--roster-id", "nicht-im-roster"), NEW_PASSWORD, "nicht-im-roster"),
        (("Anna Beispiel", "--roster-id", "cm-altenbeken"), NEW_PASSWORD, "username"),
    ],
)
def test_add_user_refuses_with_a_clear_error(cli_env, db, capsys, argv, password, error):
    assert cli_env("add-user", *argv, "--password-stdin", stdin=password) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert error in err
    with db.session() as session:
        assert session.execute(select(StaffUser)).first() is None


def test_duplicate_username_is_refused(cli_env, db, capsys):
    assert (
        cli_env("add-user", "anna", "--roster-id", "cm-altenbeken", "--password-stdin", stdin=NEW_PASSWORD)
        == 0
    )
    assert (
        cli_env("add-user", "anna", "--roster-id", "cm-borchen", "--password-stdin", stdin=NEW_PASSWORD) == 1
    )
    assert "exists already" in capsys.readouterr().err
    with db.session() as session:
        assert session.execute(select(StaffUser.roster_id)).scalars().all() == ["cm-altenbeken"]


def test_list_users_shows_roster_person_and_no_hash(cli_env, db, capsys):
    cli_env("add-user", "anna", "--roster-id", "cm-altenbeken", "--password-stdin", stdin=NEW_PASSWORD)
    capsys.readouterr()
    assert cli_env("list-users") == 0
    out = capsys.readouterr().out
    assert "anna\tcm-altenbeken\tAnna Beispiel, case_manager, Altenbeken" in out
    assert "argon2" not in out


async def test_set_password_changes_it_and_ends_the_sessions(cli_env, client, db, capsys):
    await login_as(client, "katrin")
    assert cli_env("set-password", "katrin", "--password-stdin", stdin=NEW_PASSWORD) == 0
    with db.session() as session:
        assert session.execute(select(StaffSession)).first() is None
    assert (await client.get("/inbox/", allow_redirects=False)).status == 303
    assert (await login(client, "katrin")).status == 401
    assert (await login(client, "katrin", NEW_PASSWORD)).status == 303


def test_set_password_for_unknown_user_fails(cli_env, capsys):
    assert cli_env("set-password", "niemand", "--password-stdin", stdin=NEW_PASSWORD) == 1
    assert "no user" in capsys.readouterr().err
