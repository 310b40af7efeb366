"""Ticket lifecycle through the API: every allowed transition at least once, refusals leave the DB unchanged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from softwhere.catalogue.models import ResolutionCase
from softwhere.core.tests.api_client import api_client
from softwhere.tickets import actions
from softwhere.tickets.models import ChecklistItem, Ticket, TimelineEntry
from softwhere.tickets.transitions import available_transitions

CASE = "incident_internet_perte_wan"


def _go(ticket: Ticket, actor: Any, *steps: tuple[str, dict[str, Any]]) -> Ticket:
    for name, params in steps:
        ticket = actions.transition_ticket(ticket, name, actor=actor, **params)
    return ticket


def _qualified(world: Any, ticket: Ticket) -> Ticket:
    return actions.qualify_ticket(ticket, actor=world.n1, case=ResolutionCase.objects.get(pk=CASE))


# state name → how to bring a fresh ACME ticket there
SETUPS: dict[str, Callable[[Any, Ticket], Ticket]] = {
    "new": lambda w, t: t,
    "new_qualified": lambda w, t: _qualified(w, t),
    "in_progress": lambda w, t: _go(t, w.n1, ("take", {})),
    "in_progress_qualified": lambda w, t: _go(_qualified(w, t), w.n1, ("take", {})),
    "escalated": lambda w, t: _go(_qualified(w, t), w.n1, ("escalate", {"reason": "Test ligne opérateur"})),
    "waiting_client": lambda w, t: _go(t, w.n1, ("take", {}), ("wait_client", {"reason": "Absent"})),
    "waiting_carrier_escalated": lambda w, t: _go(
        _qualified(w, t), w.n2, ("escalate", {"reason": "N2"}), ("wait_carrier", {"carrier_ticket_reference": "OR1"})
    ),
    "resolved": lambda w, t: _go(_qualified(w, t), w.n1, ("take", {}), ("resolve", {"resolution": "Redémarrage"})),
    "closure_requested": lambda w, t: _go(
        _qualified(w, t), w.n1, ("take", {}), ("resolve", {"resolution": "OK"}), ("request_closure", {})
    ),
    "closed": lambda w, t: _go(
        _qualified(w, t), w.n1, ("take", {}), ("resolve", {"resolution": "OK"}), ("close", {})
    ),
    "cancelled": lambda w, t: _go(t, w.n1, ("cancel", {"reason": "Doublon"})),
}


def _ticket_in(world: Any, state: str, organisation: Any = None) -> Ticket:
    org = organisation or world.acme
    ticket = actions.create_ticket(
        actor=world.n1, organisation=org, subject="Plus d'internet", service_state="interrompu",
        site=world.acme_site if org == world.acme else None,
    )
    return SETUPS[state](world, ticket)


def _snapshot(ticket: Ticket) -> tuple[Any, ...]:
    return (
        Ticket.objects.filter(pk=ticket.pk).values().get(),
        list(TimelineEntry.objects.filter(ticket=ticket).values_list("id", flat=True)),
        list(ChecklistItem.objects.filter(ticket=ticket).values()),
    )


FUTURE = "FUTURE"
PAST = "PAST"


def _params(body: dict[str, Any]) -> dict[str, Any]:
    now = timezone.now()
    values = {FUTURE: (now + timedelta(days=2)).isoformat(), PAST: (now - timedelta(hours=1)).isoformat()}
    return {k: values.get(v, v) if isinstance(v, str) else v for k, v in body.items()}


ALLOWED = [
    # (source setup, actor, body, expected status, expected level)
    ("new", "n1", {"transition": "take"}, "in_progress", "n1"),
    ("new_qualified", "n1", {"transition": "escalate", "reason": "Checklist non concluante"}, "escalated", "n2"),
    ("escalated", "n2", {"transition": "return_to_n1", "reason": "Problème local"}, "in_progress", "n1"),
    ("in_progress", "n1", {"transition": "wait_client", "reason": "Client injoignable"}, "waiting_client", "n1"),
    ("in_progress", "n1", {"transition": "wait_carrier", "carrier": "Orange", "carrier_ticket_reference": "OR-42"},
     "waiting_carrier", "n1"),
    ("waiting_client", "n1", {"transition": "resume"}, "in_progress", "n1"),
    ("waiting_carrier_escalated", "n2", {"transition": "resume"}, "escalated", "n2"),
    ("in_progress_qualified", "n1", {"transition": "resolve", "resolution": "Synchro rétablie"}, "resolved", "n1"),
    ("in_progress_qualified", "n1", {"transition": "observe", "observation_until": FUTURE}, "observation", "n1"),
    ("resolved", "n1", {"transition": "request_closure"}, "closure_requested", "n1"),
    ("resolved", "client_user", {"transition": "close"}, "closed", "n1"),
    ("resolved", "partner_user", {"transition": "close"}, "closed", "n1"),
    ("closure_requested", "supervisor", {"transition": "close"}, "closed", "n1"),
    ("new", "n1", {"transition": "cancel", "reason": "Doublon"}, "cancelled", "n1"),
    ("closed", "client_user", {"transition": "reopen", "reason": "Toujours en panne"}, "in_progress", "n1"),
]


@pytest.mark.parametrize(("setup", "actor", "body", "status", "level"), ALLOWED,
                         ids=[f"{a[2]['transition']}-from-{a[0]}-by-{a[1]}" for a in ALLOWED])
def test_allowed_transition(world, setup, actor, body, status, level):
    ticket = _ticket_in(world, setup, world.partner_client if actor == "partner_user" else world.acme)
    user = getattr(world, actor)
    response = api_client(user).post(f"/api/v1/tickets/{ticket.reference}/transitions/", _params(body))
    assert response.status_code == 200, response.json()
    got = response.json()
    assert (got["status"], got["level"]) == (status, level)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.level) == (status, level)
    entry = TimelineEntry.objects.filter(ticket=ticket, kind="status").last()
    assert entry.data["transition"] == body["transition"] and entry.author == user
    assert {t["name"] for t in got["available_transitions"]} == {
        t.name for t in available_transitions(ticket, user)
    }


def test_transition_side_effects(world):
    """Fields the transitions fill in: assignee on take, carrier reference, resolution, observation end."""
    ticket = _ticket_in(world, "new_qualified")
    client = api_client(world.n1)
    url = f"/api/v1/tickets/{ticket.reference}/transitions/"
    assert client.post(url, {"transition": "take"}).json()["assignee"]["id"] == world.n1.pk
    body = client.post(url, {"transition": "wait_carrier", "carrier_ticket_reference": "OR-7"}).json()
    assert body["carrier_ticket_reference"] == "OR-7"
    client.post(url, {"transition": "resume"})
    until = timezone.now() + timedelta(days=1)
    body = client.post(url, {"transition": "observe", "observation_until": until.isoformat()}).json()
    ticket.refresh_from_db()
    assert ticket.observation_until == until and ticket.resolved_at is not None
    assert body["observation_until"] is not None


REFUSED = [
    # (source setup, actor, body, HTTP status, error code)
    ("in_progress", "n1", {"transition": "take"}, 409, "transition_not_allowed"),
    ("new", "n1", {"transition": "resume"}, 409, "transition_not_allowed"),
    ("closed", "n1", {"transition": "cancel", "reason": "x"}, 409, "transition_not_allowed"),
    ("cancelled", "n1", {"transition": "reopen", "reason": "x"}, 409, "transition_not_allowed"),
    ("new", "n1", {"transition": "escalate", "reason": "x"}, 409, "case_required"),
    ("in_progress", "n1", {"transition": "resolve", "resolution": "ok"}, 409, "case_required"),
    ("in_progress_qualified", "n1", {"transition": "escalate"}, 409, "checklist_incomplete"),
    ("in_progress_qualified", "n1", {"transition": "resolve"}, 409, "resolution_required"),
    ("in_progress_qualified", "n1", {"transition": "resolve", "resolution": "   "}, 409, "resolution_required"),
    ("in_progress", "n1", {"transition": "wait_client"}, 409, "reason_required"),
    ("new", "n1", {"transition": "cancel"}, 409, "reason_required"),
    ("resolved", "client_user", {"transition": "reopen"}, 409, "reason_required"),
    ("in_progress", "n1", {"transition": "wait_carrier"}, 409, "carrier_reference_required"),
    ("in_progress_qualified", "n1", {"transition": "observe", "observation_until": PAST}, 409,
     "transition_not_allowed"),
    ("new", "client_user", {"transition": "take"}, 403, "role_not_allowed"),
    ("resolved", "partner_user", {"transition": "request_closure"}, 403, "role_not_allowed"),
    ("escalated", "n1", {"transition": "return_to_n1", "reason": "x"}, 403, "n2_required"),
    ("escalated", "n1", {"transition": "resolve", "resolution": "ok"}, 403, "n2_required"),
]


@pytest.mark.parametrize(("setup", "actor", "body", "http", "code"), REFUSED,
                         ids=[f"{r[2]['transition']}-from-{r[0]}-by-{r[1]}-{r[4]}" for r in REFUSED])
def test_refused_transition_changes_nothing(world, setup, actor, body, http, code):
    org = world.partner_client if actor == "partner_user" else world.acme
    ticket = _ticket_in(world, setup, org)
    before = _snapshot(ticket)
    response = api_client(getattr(world, actor)).post(f"/api/v1/tickets/{ticket.reference}/transitions/",
                                                      _params(body))
    assert response.status_code == http, response.json()
    assert response.json()["code"] == code and response.json()["detail"]
    assert _snapshot(ticket) == before


def test_unknown_transition_is_400(world):
    ticket = _ticket_in(world, "new")
    before = _snapshot(ticket)
    response = api_client(world.n1).post(f"/api/v1/tickets/{ticket.reference}/transitions/", {"transition": "fly"})
    assert response.status_code == 400 and "transition" in response.json()
    assert _snapshot(ticket) == before


def test_transition_on_foreign_ticket_is_404(world):
    ticket = _ticket_in(world, "resolved", world.other)
    before = _snapshot(ticket)
    response = api_client(world.client_user).post(f"/api/v1/tickets/{ticket.reference}/transitions/",
                                                  {"transition": "close"})
    assert response.status_code == 404
    assert _snapshot(ticket) == before


def test_client_sees_only_client_transitions(world):
    ticket = _ticket_in(world, "resolved")
    detail = api_client(world.client_user).get(f"/api/v1/tickets/{ticket.reference}/").json()
    assert detail["available_transitions"] == [
        {"name": "close", "label": "Clôturer", "parameters": []},
        {"name": "reopen", "label": "Rouvrir", "parameters": ["reason"]},
    ]
    agent = api_client(world.n1).get(f"/api/v1/tickets/{ticket.reference}/").json()
    assert {t["name"] for t in agent["available_transitions"]} == {"observe", "request_closure", "close", "reopen"}
