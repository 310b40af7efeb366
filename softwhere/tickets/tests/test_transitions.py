"""The lifecycle table: every allowed transition applied through the action, and refused ones change nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from softwhere.catalogue.models import ResolutionCase
from softwhere.tickets import actions
from softwhere.tickets.choices import Level, TicketStatus
from softwhere.tickets.models import Ticket, TimelineEntry
from softwhere.tickets.transitions import TRANSITIONS, TicketError, TicketErrorCode

S = TicketStatus

# (transition, source, expected target, level of the ticket)
ALLOWED = [
    ("take", S.NEW, S.IN_PROGRESS, Level.N1),
    ("escalate", S.NEW, S.ESCALATED, Level.N1),
    ("escalate", S.IN_PROGRESS, S.ESCALATED, Level.N1),
    ("return_to_n1", S.ESCALATED, S.IN_PROGRESS, Level.N2),
    ("wait_client", S.IN_PROGRESS, S.WAITING_CLIENT, Level.N1),
    ("wait_client", S.ESCALATED, S.WAITING_CLIENT, Level.N2),
    ("wait_carrier", S.IN_PROGRESS, S.WAITING_CARRIER, Level.N1),
    ("wait_carrier", S.ESCALATED, S.WAITING_CARRIER, Level.N2),
    ("resume", S.WAITING_CLIENT, S.IN_PROGRESS, Level.N1),
    ("resume", S.WAITING_CLIENT, S.ESCALATED, Level.N2),
    ("resume", S.WAITING_CARRIER, S.IN_PROGRESS, Level.N1),
    ("resume", S.WAITING_CARRIER, S.ESCALATED, Level.N2),
    ("resolve", S.IN_PROGRESS, S.RESOLVED, Level.N1),
    ("resolve", S.ESCALATED, S.RESOLVED, Level.N2),
    ("resolve", S.WAITING_CARRIER, S.RESOLVED, Level.N1),
    ("resolve", S.WAITING_CLIENT, S.RESOLVED, Level.N1),
    ("observe", S.IN_PROGRESS, S.OBSERVATION, Level.N1),
    ("observe", S.ESCALATED, S.OBSERVATION, Level.N2),
    ("observe", S.WAITING_CARRIER, S.OBSERVATION, Level.N2),
    ("observe", S.RESOLVED, S.OBSERVATION, Level.N1),
    ("request_closure", S.RESOLVED, S.CLOSURE_REQUESTED, Level.N1),
    ("request_closure", S.OBSERVATION, S.CLOSURE_REQUESTED, Level.N2),
    ("close", S.RESOLVED, S.CLOSED, Level.N1),
    ("close", S.OBSERVATION, S.CLOSED, Level.N2),
    ("close", S.CLOSURE_REQUESTED, S.CLOSED, Level.N1),
    ("cancel", S.NEW, S.CANCELLED, Level.N1),
    ("cancel", S.IN_PROGRESS, S.CANCELLED, Level.N1),
    ("cancel", S.WAITING_CLIENT, S.CANCELLED, Level.N1),
    ("reopen", S.RESOLVED, S.IN_PROGRESS, Level.N1),
    ("reopen", S.OBSERVATION, S.ESCALATED, Level.N2),
    ("reopen", S.CLOSURE_REQUESTED, S.IN_PROGRESS, Level.N1),
    ("reopen", S.CLOSED, S.ESCALATED, Level.N2),
]

PARAMS: dict[str, dict[str, Any]] = {
    "escalate": {"reason": "Checklist non applicable, client VIP"},
    "return_to_n1": {"reason": "Relevés complémentaires à faire sur site"},
    "wait_client": {"reason": "Attente des relevés de voyants"},
    "wait_carrier": {"carrier_ticket_reference": "FT-123456", "carrier": "Orange"},
    "resolve": {"resolution": "ONT remplacé, synchro PON OK"},
    "cancel": {"reason": "Doublon"},
    "reopen": {"reason": "Nouvelle coupure"},
}


def make_ticket(world: Any, status: str, level: str) -> Ticket:
    ticket = actions.create_ticket(
        actor=world.n1,
        organisation=world.acme,
        site=world.acme_site,
        subject="Plus d'accès fibre",
        service_state="interrompu",
        services=[world.acme_access],
        case=ResolutionCase.objects.get(pk="incident_materiel_ont"),
    )
    # Put the ticket directly in the source state under test: the table is what we exercise.
    Ticket.objects.filter(pk=ticket.pk).update(status=status, level=level)
    ticket.refresh_from_db()
    return ticket


def test_table_covers_every_transition() -> None:
    assert {name for name, *_ in ALLOWED} == set(TRANSITIONS)
    for t in TRANSITIONS.values():
        covered = {src for name, src, _, _ in ALLOWED if name == t.name}
        assert covered == set(t.sources), t.name


@pytest.mark.parametrize(("name", "source", "target", "level"), ALLOWED)
def test_allowed_transition(world: Any, name: str, source: str, target: str, level: str) -> None:
    ticket = make_ticket(world, source, level)
    actor = world.n2 if level == Level.N2 else world.n1
    before = ticket.timeline.count()
    ticket = actions.transition_ticket(ticket, name, actor=actor, **PARAMS.get(name, {}))
    ticket.refresh_from_db()
    assert ticket.status == target
    entry = ticket.timeline.order_by("-id").first()
    assert ticket.timeline.count() == before + 1
    assert entry is not None and entry.kind == "status" and entry.author == actor
    assert entry.data == {"transition": name, "from": source, "to": target, "reason": PARAMS.get(name, {}).get("reason", "")}


def _all_refused() -> list[tuple[str, str]]:
    return [(t.name, s.value) for t in TRANSITIONS.values() for s in TicketStatus if s not in t.sources]


@pytest.mark.parametrize(("name", "source"), _all_refused())
def test_refused_from_wrong_state_changes_nothing(world: Any, name: str, source: str) -> None:
    ticket = make_ticket(world, source, Level.N2)
    snapshot = Ticket.objects.filter(pk=ticket.pk).values().get()
    entries = TimelineEntry.objects.count()
    with pytest.raises(TicketError) as exc:
        actions.transition_ticket(ticket, name, actor=world.supervisor, **PARAMS.get(name, {}))
    assert exc.value.code == TicketErrorCode.TRANSITION_NOT_ALLOWED
    assert Ticket.objects.filter(pk=ticket.pk).values().get() == snapshot
    assert TimelineEntry.objects.count() == entries


def test_escalation_requires_n1_checklist_or_reason(world: Any) -> None:
    ticket = make_ticket(world, S.IN_PROGRESS, Level.N1)
    with pytest.raises(TicketError) as exc:
        actions.transition_ticket(ticket, "escalate", actor=world.n1)
    assert exc.value.code == TicketErrorCode.CHECKLIST_INCOMPLETE
    assert Ticket.objects.get(pk=ticket.pk).status == S.IN_PROGRESS
    for item in ticket.checklist_items.filter(level=Level.N1):
        actions.set_checklist_item(item, actor=world.n1, done=True)
    ticket = actions.transition_ticket(ticket, "escalate", actor=world.n1)
    assert (ticket.status, ticket.level) == (S.ESCALATED, Level.N2)


def test_escalation_requires_a_case(world: Any) -> None:
    ticket = actions.create_ticket(
        actor=world.n1, organisation=world.acme, subject="Coupure", service_state="interrompu"
    )
    with pytest.raises(TicketError) as exc:
        actions.transition_ticket(ticket, "escalate", actor=world.n1, reason="urgent")
    assert exc.value.code == TicketErrorCode.CASE_REQUIRED


@pytest.mark.parametrize(
    ("name", "params", "code"),
    [
        ("resolve", {}, TicketErrorCode.RESOLUTION_REQUIRED),
        ("resolve", {"resolution": "   "}, TicketErrorCode.RESOLUTION_REQUIRED),
        ("wait_client", {}, TicketErrorCode.REASON_REQUIRED),
        ("wait_carrier", {}, TicketErrorCode.CARRIER_REFERENCE_REQUIRED),
        ("cancel", {}, TicketErrorCode.REASON_REQUIRED),
        ("nope", {}, TicketErrorCode.UNKNOWN_TRANSITION),
    ],
)
def test_parameter_guards(world: Any, name: str, params: dict[str, Any], code: TicketErrorCode) -> None:
    ticket = make_ticket(world, S.IN_PROGRESS, Level.N1)
    with pytest.raises(TicketError) as exc:
        actions.transition_ticket(ticket, name, actor=world.n1, **params)
    assert exc.value.code == code
    assert Ticket.objects.get(pk=ticket.pk).status == S.IN_PROGRESS


def test_escalated_ticket_is_resolved_by_n2_only(world: Any) -> None:
    ticket = make_ticket(world, S.ESCALATED, Level.N2)
    with pytest.raises(TicketError) as exc:
        actions.transition_ticket(ticket, "resolve", actor=world.n1, resolution="fait")
    assert exc.value.code == TicketErrorCode.N2_REQUIRED
    ticket = actions.transition_ticket(ticket, "resolve", actor=world.n2, resolution="fait")
    assert ticket.status == S.RESOLVED and ticket.resolved_at is not None


@pytest.mark.parametrize("name", ["take", "resolve", "escalate", "cancel", "request_closure"])
def test_client_cannot_work_tickets(world: Any, name: str) -> None:
    ticket = make_ticket(world, TRANSITIONS[name].sources.__iter__().__next__(), Level.N1)
    with pytest.raises(TicketError) as exc:
        actions.transition_ticket(ticket, name, actor=world.client_user, **PARAMS.get(name, {}))
    assert exc.value.code == TicketErrorCode.ROLE_NOT_ALLOWED


def test_client_may_confirm_closure_and_reopen(world: Any) -> None:
    ticket = make_ticket(world, S.CLOSURE_REQUESTED, Level.N1)
    ticket = actions.transition_ticket(ticket, "close", actor=world.client_user)
    assert ticket.status == S.CLOSED and ticket.closed_at is not None
    ticket = actions.transition_ticket(ticket, "reopen", actor=world.client_user, reason="Toujours en panne")
    assert ticket.status == S.IN_PROGRESS and ticket.closed_at is None


def test_take_assigns_the_agent(world: Any) -> None:
    ticket = make_ticket(world, S.NEW, Level.N1)
    ticket = actions.transition_ticket(ticket, "take", actor=world.n1)
    assert ticket.assignee == world.n1


def test_observation_end_must_be_future(world: Any) -> None:
    ticket = make_ticket(world, S.RESOLVED, Level.N1)
    with pytest.raises(TicketError):
        actions.transition_ticket(
            ticket, "observe", actor=world.n1, observation_until=timezone.now() - timedelta(hours=1)
        )
    until = timezone.now() + timedelta(days=3)
    ticket = actions.transition_ticket(ticket, "observe", actor=world.n1, observation_until=until)
    assert ticket.status == S.OBSERVATION and ticket.observation_until == until


def test_wait_carrier_records_carrier_reference(world: Any) -> None:
    ticket = make_ticket(world, S.IN_PROGRESS, Level.N1)
    ticket = actions.transition_ticket(ticket, "wait_carrier", actor=world.n1, **PARAMS["wait_carrier"])
    assert (ticket.carrier, ticket.carrier_ticket_reference) == ("Orange", "FT-123456")
    ticket = actions.transition_ticket(ticket, "resume", actor=world.n1)
    # Already known: a second wait needs no new reference.
    ticket = actions.transition_ticket(ticket, "wait_carrier", actor=world.n1)
    assert ticket.status == S.WAITING_CARRIER
