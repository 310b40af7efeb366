"""The ticket lifecycle as data: one table of transitions, their guards and error codes.

``check_transition`` is pure (no database writes) so the UI can show exactly the
actions that would succeed, and ``actions.transition_ticket`` applies them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Protocol

from .choices import Level
from .choices import TicketStatus as S


class TicketErrorCode(enum.StrEnum):
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    UNKNOWN_TRANSITION = "unknown_transition"
    ROLE_NOT_ALLOWED = "role_not_allowed"
    N2_REQUIRED = "n2_required"
    CHECKLIST_INCOMPLETE = "checklist_incomplete"
    CASE_REQUIRED = "case_required"
    REASON_REQUIRED = "reason_required"
    RESOLUTION_REQUIRED = "resolution_required"
    CARRIER_REFERENCE_REQUIRED = "carrier_reference_required"
    CLIENT_CONTACT_REQUIRED = "client_contact_required"


class TicketError(Exception):
    """A refused ticket operation; ``code`` is stable for API clients, ``message`` is French for people."""

    def __init__(self, code: TicketErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: back to the working state of the ticket's level
    requires: tuple[str, ...] = field(default_factory=tuple)
    client_allowed: bool = False


WORKING = frozenset({S.IN_PROGRESS, S.ESCALATED})
TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("take", "Prendre en charge", frozenset({S.NEW}), S.IN_PROGRESS),
        Transition("escalate", "Escalader en N2", frozenset({S.NEW, S.IN_PROGRESS}), S.ESCALATED, ("n1_done_or_reason",)),
        Transition("return_to_n1", "Renvoyer en N1", frozenset({S.ESCALATED}), S.IN_PROGRESS, ("reason", "n2")),
        Transition("wait_client", "Mettre en attente client", WORKING, S.WAITING_CLIENT, ("reason",)),
        Transition("wait_carrier", "Mettre en attente opérateur", WORKING, S.WAITING_CARRIER, ("carrier_reference",)),
        Transition("resume", "Reprendre", frozenset({S.WAITING_CLIENT, S.WAITING_CARRIER}), None),
        Transition(
            "resolve",
            "Déclarer rétabli",
            frozenset({S.IN_PROGRESS, S.ESCALATED, S.WAITING_CARRIER, S.WAITING_CLIENT}),
            S.RESOLVED,
            ("case", "resolution", "level_role"),
        ),
        Transition(
            "observe",
            "Mettre en observation",
            frozenset({S.IN_PROGRESS, S.ESCALATED, S.WAITING_CARRIER, S.RESOLVED}),
            S.OBSERVATION,
            ("case", "level_role"),
        ),
        Transition(
            "request_closure", "Demander la clôture", frozenset({S.RESOLVED, S.OBSERVATION}), S.CLOSURE_REQUESTED
        ),
        Transition(
            "close",
            "Clôturer",
            frozenset({S.RESOLVED, S.OBSERVATION, S.CLOSURE_REQUESTED}),
            S.CLOSED,
            ("case",),
            client_allowed=True,
        ),
        Transition("cancel", "Annuler", frozenset({S.NEW, S.IN_PROGRESS, S.WAITING_CLIENT}), S.CANCELLED, ("reason",)),
        Transition(
            "reopen",
            "Rouvrir",
            frozenset({S.RESOLVED, S.OBSERVATION, S.CLOSURE_REQUESTED, S.CLOSED}),
            None,
            ("reason",),
            client_allowed=True,
        ),
    )
}


class TicketLike(Protocol):
    status: str
    level: str
    case_id: str | None
    carrier_ticket_reference: str

    def n1_checklist_complete(self) -> bool: ...


class ActorLike(Protocol):
    is_agent: bool
    is_n2: bool


def target_of(transition: Transition, ticket: TicketLike) -> str:
    if transition.target is not None:
        return transition.target
    return S.ESCALATED if ticket.level == Level.N2 else S.IN_PROGRESS


def check_transition(ticket: TicketLike, name: str, actor: Any, params: dict[str, Any]) -> Transition:
    """Raise TicketError if ``actor`` may not apply transition ``name`` to ``ticket`` with ``params``."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TicketError(TicketErrorCode.UNKNOWN_TRANSITION, f"Transition inconnue : {name}.", "transition")
    if ticket.status not in transition.sources:
        raise TicketError(
            TicketErrorCode.TRANSITION_NOT_ALLOWED,
            f"« {transition.label} » est impossible depuis l'état « {S(ticket.status).label} ».",
        )
    if not actor.is_agent and not transition.client_allowed:
        raise TicketError(TicketErrorCode.ROLE_NOT_ALLOWED, f"Votre rôle ne permet pas : {transition.label}.")
    reason = (params.get("reason") or "").strip()
    for req in transition.requires:
        if req == "reason" and not reason:
            raise TicketError(TicketErrorCode.REASON_REQUIRED, "Un motif est obligatoire.", "reason")
        if req == "n2" and not actor.is_n2:
            raise TicketError(TicketErrorCode.N2_REQUIRED, "Action réservée au niveau 2.")
        if req == "level_role" and ticket.level == Level.N2 and actor.is_agent and not actor.is_n2:
            raise TicketError(TicketErrorCode.N2_REQUIRED, "Ticket escaladé : action réservée au niveau 2.")
        if req == "case" and not ticket.case_id:
            raise TicketError(
                TicketErrorCode.CASE_REQUIRED, "Qualifiez d'abord le ticket (cas de résolution).", "case"
            )
        if req == "resolution" and not (params.get("resolution") or "").strip():
            raise TicketError(
                TicketErrorCode.RESOLUTION_REQUIRED, "Décrivez la résolution apportée.", "resolution"
            )
        if req == "carrier_reference" and not (
            (params.get("carrier_ticket_reference") or "").strip() or ticket.carrier_ticket_reference
        ):
            raise TicketError(
                TicketErrorCode.CARRIER_REFERENCE_REQUIRED,
                "Indiquez la référence du ticket opérateur.",
                "carrier_ticket_reference",
            )
        if req == "n1_done_or_reason":
            if not ticket.case_id:
                raise TicketError(
                    TicketErrorCode.CASE_REQUIRED, "Qualifiez d'abord le ticket (cas de résolution).", "case"
                )
            if not ticket.n1_checklist_complete() and not reason:
                raise TicketError(
                    TicketErrorCode.CHECKLIST_INCOMPLETE,
                    "Checklist N1 incomplète : terminez-la ou indiquez le motif de l'escalade.",
                    "reason",
                )
    return transition


def available_transitions(ticket: TicketLike, actor: Any) -> list[Transition]:
    """Transitions whose source and role fit (parameter guards are checked on submit)."""
    out = []
    for t in TRANSITIONS.values():
        if ticket.status not in t.sources or (not actor.is_agent and not t.client_allowed):
            continue
        if "n2" in t.requires and not actor.is_n2:
            continue
        if "level_role" in t.requires and ticket.level == Level.N2 and not actor.is_n2:
            continue
        out.append(t)
    return out
