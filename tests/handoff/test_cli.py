"""``python -m bot db upgrade`` and ``python -m bot cases purge|stats`` on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot.cli import main
from bot.handoff import service
from bot.handoff.db import Database, alembic_config
from bot.handoff.models import Case, utcnow
from bot.handoff.roster import Roster
from tests.handoff.factories import CONTACT, NAME, count, intake


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.delenv("KIM_RETENTION_DAYS", raising=False)


def _close(db: Database, case_id: int, days_ago: float) -> None:
    with db.session() as session:
        case = session.get(Case, case_id)
        case.state = "closed"
        case.closed_at = utcnow() - timedelta(days=days_ago)


def _cases(db: Database, roster: Roster, closed_days_ago: list[float]) -> list[int]:
    ids = []
    for n, days in enumerate(closed_days_ago):
        ids.append(service.create_case(db, roster, intake(channel_user=f"conv-{n}")).case_id)
        _close(db, ids[-1], days)
    return ids


def test_db_upgrade_creates_the_tables(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    fresh = Database(db_url)
    assert "cases" not in inspect(fresh.engine).get_table_names()

    assert main(["db", "upgrade"]) == 0
    assert main(["db", "upgrade"]) == 0  # a second run changes nothing

    head = ScriptDirectory.from_config(alembic_config(db_url)).get_current_head()
    assert capsys.readouterr().out.splitlines() == [f"database schema is at revision {head}"] * 2
    assert {"cases", "messages", "outbox", "audit_log"} <= set(inspect(fresh.engine).get_table_names())


def test_purge_uses_the_configured_retention_period(
    db: Database, roster: Roster, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KIM_RETENTION_DAYS", "30")
    kept = _cases(db, roster, [31, 29, 100])[1]
    open_case = service.create_case(db, roster, intake(channel_user="still-open")).case_id

    assert main(["cases", "purge"]) == 0

    assert capsys.readouterr().out.strip() == "deleted 2 case(s) closed more than 30 days ago"
    assert count(db, Case) == 2
    assert count(db, Case, id=kept) == 1 and count(db, Case, id=open_case) == 1


def test_purge_defaults_to_90_days_and_takes_days(
    db: Database, roster: Roster, capsys: pytest.CaptureFixture[str]
) -> None:
    _cases(db, roster, [91, 89, 8])

    assert main(["cases", "purge"]) == 0
    assert count(db, Case) == 2
    assert main(["cases", "purge", "--days", "7"]) == 0
    assert count(db, Case) == 0
    assert capsys.readouterr().out.splitlines() == [
        "deleted 1 case(s) closed more than 90 days ago",
        "deleted 2 case(s) closed more than 7 days ago",
    ]


@pytest.mark.parametrize("days", ["0", "-3", "ninety"])
def test_purge_refuses_a_nonsense_period(
    db: Database, roster: Roster, days: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _cases(db, roster, [1000])
    with pytest.raises(SystemExit) as info:
        main(["cases", "purge", "--days", days])
    assert info.value.code == 2
    assert "--days" in capsys.readouterr().err
    assert count(db, Case) == 1


def test_stats_prints_counts_and_no_personal_data(
    db: Database, roster: Roster, capsys: pytest.CaptureFixture[str]
) -> None:
    _cases(db, roster, [1])
    service.create_case(db, roster, intake(channel_user="open-1"))
    service.create_case(db, roster, intake(channel_user="open-2", municipality=None))

    assert main(["cases", "stats"]) == 0

    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[:4] == ["cases open: 2", "cases claimed: 0", "cases waiting: 0", "cases closed: 1"]
    assert "mails pending: 3" in lines
    assert "translations pending: 3" in lines
    assert "drafts pending: 0" in lines
    for private in (NAME, CONTACT, "conv-0", "open-1", "Paderborn", "example.org", db.url):
        assert private not in out
