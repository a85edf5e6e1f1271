"""Who sees which case: a case manager never reads another municipality's case; the coordinator sees all."""

from __future__ import annotations

import pytest

from bot.handoff import service
from bot.handoff.models import Message, OutboxItem
from tests.inbox.support import audit, case, count, csrf_of, drafts, login_as, new_case, page_token, post

ROUTES = {
    "page": ("GET", "/cases/{case}", {}),
    "claim": ("POST", "/cases/{case}/claim", {}),
    "state": ("POST", "/cases/{case}/state", {"state": "closed"}),
    "reassign": ("POST", "/cases/{case}/reassign", {"assignee": "cm-paderborn-mitte"}),
    "reply": ("POST", "/cases/{case}/reply", {"text": "Guten Tag"}),
    "send": ("POST", "/cases/{case}/drafts/{draft}/send", {}),
    "discard": ("POST", "/cases/{case}/drafts/{draft}/discard", {}),
}


@pytest.fixture
def cases(db, roster):
    return {
        "paderborn": new_case(db, roster, "Paderborn", "Kernstadt"),
        "bueren": new_case(db, roster, "Büren", None, language="uk", description="Потрібна квартира"),
        "biz": new_case(db, roster, None, None, language="en", description="We need a flat"),
    }


async def _list_html(client, query: str = "") -> str:
    response = await client.get(f"/inbox/{query}")
    assert response.status == 200
    return await response.text()


def _link(case_id: int) -> str:
    return f'href="/inbox/cases/{case_id}"'


def _snapshot(db, case_id: int) -> tuple:
    row = case(db, case_id)
    return (row.state, row.assignee, row.closed_at, count(db, Message), count(db, OutboxItem))


async def _call(client, route: str, case_id: int, draft_id: int, token: str):
    method, path, data = ROUTES[route]
    path = path.format(case=case_id, draft=draft_id)
    if method == "GET":
        return await client.get(f"/inbox{path}")
    return await post(client, path, token, **data)


async def test_case_manager_lists_only_cases_of_their_municipality(client, cases):
    await login_as(client, "katrin")
    html = await _list_html(client, "?status=all")
    assert _link(cases["paderborn"]) in html
    assert _link(cases["bueren"]) not in html
    assert _link(cases["biz"]) not in html
    assert "Büren" not in html


async def test_colleague_of_the_same_municipality_sees_the_case_too(client, cases):
    await login_as(client, "jonas")  # Paderborn Nord; the case went to Paderborn Mitte
    assert _link(cases["paderborn"]) in await _list_html(client)
    assert (await client.get(f"/inbox/cases/{cases['paderborn']}")).status == 200


@pytest.mark.parametrize("route", ROUTES)
async def test_another_municipalitys_case_is_not_found_on_every_route(client, db, cases, route):
    bueren = cases["bueren"]
    draft_id = service.create_draft(db, bueren, "eva", "Guten Tag")
    await login_as(client, "katrin")
    token = csrf_of(await _list_html(client))
    before = _snapshot(db, bueren)

    response = await _call(client, route, bueren, draft_id, token)

    assert response.status == 404
    assert "Nicht gefunden" in await response.text()
    assert "Потрібна" not in await response.text()
    assert _snapshot(db, bueren) == before
    assert [(d.id, d.state) for d in drafts(db, bueren)] == [(draft_id, "pending")]
    assert audit(db, bueren, actor="katrin") == []


@pytest.mark.parametrize("route", ["send", "discard"])
async def test_a_draft_is_only_reachable_through_its_own_case(client, db, cases, route):
    draft_id = service.create_draft(db, cases["bueren"], "nora", "Guten Tag")
    await login_as(client, "nora")
    token = csrf_of(await _list_html(client))
    response = await _call(client, route, cases["paderborn"], draft_id, token)
    assert response.status == 404
    assert drafts(db, cases["bueren"])[0].state == "pending"


async def test_coordinator_sees_every_case_including_the_biz_queue(client, cases):
    await login_as(client, "nora")
    html = await _list_html(client)
    for case_id in cases.values():
        assert _link(case_id) in html
    assert "BIZ-Warteschlange" in html
    for case_id in cases.values():
        assert (await client.get(f"/inbox/cases/{case_id}")).status == 200


async def test_coordinator_reassigns_and_the_new_case_manager_then_sees_the_case(client, db, cases):
    biz = cases["biz"]
    await login_as(client, "nora")
    response = await post(
        client, f"/cases/{biz}/reassign", await page_token(client, biz), assignee="cm-bueren"
    )
    assert response.status == 303
    assert response.headers["Location"] == f"/inbox/cases/{biz}"
    assert case(db, biz).assignee == "cm-bueren"
    assert audit(db, biz, actor="nora") == ["view", "reassign"]
    page = await (await client.get(f"/inbox/cases/{biz}")).text()
    assert "Eva Exempel" in page

    await login_as(client, "eva")
    assert _link(biz) in await _list_html(client, "?mine=1")
    assert (await client.get(f"/inbox/cases/{biz}")).status == 200


async def test_coordinator_can_only_reassign_to_a_case_manager_of_the_roster(client, db, cases):
    biz = cases["biz"]
    await login_as(client, "nora")
    token = await page_token(client, biz)
    for assignee in ("biz-coordination", "nobody"):
        response = await post(client, f"/cases/{biz}/reassign", token, assignee=assignee)
        assert response.status == 409
        assert "aus der Liste wählen" in await response.text()
    assert case(db, biz).assignee is None


async def test_case_manager_cannot_reassign(client, db, cases):
    paderborn = cases["paderborn"]
    await login_as(client, "katrin")
    page = await (await client.get(f"/inbox/cases/{paderborn}")).text()
    assert "Neu zuweisen" not in page
    response = await post(client, f"/cases/{paderborn}/reassign", csrf_of(page), assignee="cm-paderborn-nord")
    assert response.status == 403
    assert case(db, paderborn).assignee == "cm-paderborn-mitte"
    assert "reassign" not in audit(db, paderborn)


async def test_coordinator_page_offers_the_case_managers_to_reassign_to(client, cases):
    await login_as(client, "nora")
    page = await (await client.get(f"/inbox/cases/{cases['paderborn']}")).text()
    assert "Neu zuweisen" in page
    assert '<option value="cm-bueren"' in page
    assert 'value="biz-coordination"' not in page
