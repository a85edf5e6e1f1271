"""The case list and the case page: German labels, filters, claiming, states, CSRF, audit log."""

from __future__ import annotations

import pytest

from bot.handoff.models import AuditEntry, Case, Message
from tests.inbox.support import at, audit, case, count, login_as, new_case, page_token, post


async def _html(client, path: str) -> str:
    response = await client.get(f"/inbox{path}")
    assert response.status == 200
    return await response.text()


async def test_list_shows_german_labels_berlin_time_flags_and_assignee(client, db, roster):
    case_id = new_case(
        db,
        roster,
        "Paderborn",
        "Kernstadt",
        topics=("ask_housing", "ask_psychological_help"),
        health_consent=True,
        urgency="urgent",
        emergency=True,
    )
    with db.session() as session:
        session.get(Case, case_id).created_at = at(2026, 1, 15, 9, 30)  # 10:30 in Berlin
    await login_as(client, "katrin")
    html = await _html(client, "/")
    row = html[html.index(f'href="/inbox/cases/{case_id}"') :]
    row = row[: row.index("</tr>")]
    for text in (
        "15.01.2026 10:30",
        "Paderborn, Kernstadt",
        "Wohnen / Auszug aus der Unterkunft, Psychologische Hilfe",
        "Arabisch",
        "neu",
        "Katrin Musterfrau",
        "Notfall",
        "Gesundheit",
        "dringend",
    ):
        assert text in row, text


async def test_list_is_newest_first(client, db, roster):
    first, second = new_case(db, roster), new_case(db, roster)
    await login_as(client, "katrin")
    html = await _html(client, "/")
    assert html.index(f"/inbox/cases/{second}") < html.index(f"/inbox/cases/{first}")


async def test_list_filters_by_state_and_mine(client, db, roster):
    mine = new_case(db, roster, "Paderborn", "Kernstadt")  # Katrin Musterfrau (Mitte)
    colleague = new_case(db, roster, "Paderborn", "Elsen")  # Jonas Beispielmann (Nord)
    closed = new_case(db, roster, "Paderborn", "Kernstadt")
    await login_as(client, "katrin")
    await post(client, f"/cases/{closed}/state", await page_token(client, closed), state="closed")

    def shown(html: str) -> set[int]:
        return {c for c in (mine, colleague, closed) if f'href="/inbox/cases/{c}"' in html}

    assert shown(await _html(client, "/")) == {mine, colleague}  # default: every state but closed
    assert shown(await _html(client, "/?status=all")) == {mine, colleague, closed}
    assert shown(await _html(client, "/?status=closed")) == {closed}
    assert shown(await _html(client, "/?status=open")) == {mine, colleague}
    assert shown(await _html(client, "/?status=all&mine=1")) == {mine, closed}
    assert "Keine Fälle für diese Auswahl." in await _html(client, "/?status=waiting")


async def test_claim_makes_me_the_assignee(client, db, roster):
    case_id = new_case(db, roster, "Paderborn", "Kernstadt")
    await login_as(client, "jonas")
    response = await post(client, f"/cases/{case_id}/claim", await page_token(client, case_id))
    assert response.status == 303
    assert response.headers["Location"] == f"/inbox/cases/{case_id}"
    assert (case(db, case_id).assignee, case(db, case_id).state) == ("cm-paderborn-nord", "claimed")
    html = await _html(client, f"/cases/{case_id}")
    assert "übernommen" in html
    assert "Jonas Beispielmann" in html
    assert audit(db, case_id, "jonas") == ["view", "claim", "view"]


async def test_states_waiting_closed_and_reopened(client, db, roster):
    case_id = new_case(db, roster, "Paderborn", "Kernstadt")
    await login_as(client, "katrin")
    token = await page_token(client, case_id)

    assert (await post(client, f"/cases/{case_id}/state", token, state="waiting")).status == 303
    assert case(db, case_id).state == "waiting"
    assert "wartet auf Antwort" in await _html(client, f"/cases/{case_id}")

    assert (await post(client, f"/cases/{case_id}/state", token, state="closed")).status == 303
    assert case(db, case_id).state == "closed"
    assert case(db, case_id).closed_at is not None
    html = await _html(client, f"/cases/{case_id}")
    assert "geschlossen" in html
    assert 'name="text"' not in html  # no reply to a closed case

    assert (await post(client, f"/cases/{case_id}/state", token, state="reopen")).status == 303
    assert case(db, case_id).state == "claimed"  # it has an assignee
    assert case(db, case_id).closed_at is None
    assert [a for a in audit(db, case_id, "katrin") if a != "view"] == ["state", "state", "state"]


@pytest.mark.parametrize("state", ["reopen", "nonsense", ""])
async def test_a_state_that_does_not_fit_is_refused_in_german(client, db, roster, state):
    case_id = new_case(db, roster, "Paderborn", "Kernstadt")
    await login_as(client, "katrin")
    response = await post(client, f"/cases/{case_id}/state", await page_token(client, case_id), state=state)
    assert response.status == 409
    assert 'class="error"' in await response.text()
    assert case(db, case_id).state == "open"


ACTIONS = {
    "claim": ("/cases/{case}/claim", {}),
    "state": ("/cases/{case}/state", {"state": "closed"}),
    "reassign": ("/cases/{case}/reassign", {"assignee": "cm-bueren"}),
    "reply": ("/cases/{case}/reply", {"text": "Guten Tag"}),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("token", [None, "", "wrong"])
async def test_post_without_the_right_csrf_token_is_403_and_changes_nothing(
    client, db, roster, action, token
):
    case_id = new_case(db, roster, None, None)  # BIZ queue: the coordinator may do everything
    await login_as(client, "nora")
    real = await page_token(client, case_id)
    path, data = ACTIONS[action]
    form = dict(data) if token is None else {**data, "csrf": real + token if token else ""}
    response = await client.post(f"/inbox{path.format(case=case_id)}", data=form, allow_redirects=False)
    assert response.status == 403
    assert "Nicht erlaubt" in await response.text()
    row = case(db, case_id)
    assert (row.state, row.assignee, row.closed_at) == ("open", None, None)
    assert count(db, Message) == 1  # the user's first message only
    assert audit(db, case_id, "nora") == ["view"]


async def test_the_csrf_token_of_another_session_does_not_work(client, db, roster):
    case_id = new_case(db, roster, "Paderborn", "Kernstadt")
    await login_as(client, "jonas")
    jonas_token = await page_token(client, case_id)
    await login_as(client, "katrin")
    response = await post(client, f"/cases/{case_id}/claim", jonas_token)
    assert response.status == 403
    assert case(db, case_id).state == "open"


async def test_every_view_and_change_is_audited_without_content(client, db, roster):
    case_id = new_case(db, roster, None, None, description="geheime Beschreibung")
    await login_as(client, "nora")
    token = await page_token(client, case_id)
    await post(client, f"/cases/{case_id}/claim", token)
    await post(client, f"/cases/{case_id}/reassign", token, assignee="cm-borchen")
    await post(client, f"/cases/{case_id}/state", token, state="waiting")
    await post(client, f"/cases/{case_id}/reply", token, text="Vertraulicher Antworttext")
    assert audit(db, case_id, "nora") == ["view", "claim", "reassign", "state", "draft"]
    with db.session() as session:
        details = [e.detail or "" for e in session.query(AuditEntry).filter_by(case_id=case_id)]
    assert not any("geheim" in d or "Vertraulich" in d for d in details)
    assert "to=cm-borchen" in details
    assert "state=waiting" in details
