"""Signalisation lifecycle as data, and its mapping to v2.0 (JSR-91) and TMF621 statuses.

``TRANSITIONS`` is the union every protocol may use; ``INTEROP_TRANSITIONS`` is the
stricter table of the Interop'Fibre TMF621 profile, enforced on its PATCH requests.
"""

from __future__ import annotations

from ..choices import SignalisationStatus as S

FINAL = frozenset({S.CLOSED, S.CANCELLED, S.REJECTED})

TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.ACKNOWLEDGED, S.REJECTED, S.CANCELLED}),
    # v1.0a has no « prise en charge » message: a closure may follow the AR directly.
    S.ACKNOWLEDGED: frozenset({S.IN_PROGRESS, S.REJECTED, S.CANCELLED, S.CANCELLATION_REQUESTED, S.RESOLVED, S.CLOSED}),
    S.IN_PROGRESS: frozenset({S.PENDING, S.HELD, S.RESOLVED, S.CLOSED, S.CANCELLATION_REQUESTED}),
    S.PENDING: frozenset({S.IN_PROGRESS, S.RESOLVED, S.CLOSED, S.CANCELLATION_REQUESTED}),
    S.HELD: frozenset({S.IN_PROGRESS, S.RESOLVED, S.CLOSED, S.CANCELLATION_REQUESTED}),
    # « Prise en compte de la demande d'annulation par l'OI : clôture de l'incident »; or refused.
    S.CANCELLATION_REQUESTED: frozenset({S.CANCELLED, S.CLOSED, S.IN_PROGRESS}),
    S.RESOLVED: frozenset({S.CLOSED, S.IN_PROGRESS}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REJECTED: frozenset(),
}

# The Interop'Fibre profile (brief of issue 6): acknowledged → inProgress/rejected/cancelled;
# inProgress ⇄ pending/held; inProgress → resolved; resolved → closed (accepted) or inProgress (refused).
INTEROP_TRANSITIONS: dict[str, frozenset[str]] = {
    S.ACKNOWLEDGED: frozenset({S.IN_PROGRESS, S.REJECTED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.PENDING, S.HELD, S.RESOLVED}),
    S.PENDING: frozenset({S.IN_PROGRESS}),
    S.HELD: frozenset({S.IN_PROGRESS}),
    S.RESOLVED: frozenset({S.CLOSED, S.IN_PROGRESS}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REJECTED: frozenset(),
}


def can_move(source: str, target: str, *, interop: bool = False) -> bool:
    table = INTEROP_TRANSITIONS if interop else TRANSITIONS
    return target in table.get(source, frozenset())


# --- TMF621 (Interop profile and v5) ----------------------------------------------------------------------
TMF_STATUS = {
    S.SUBMITTED: "acknowledged",
    S.ACKNOWLEDGED: "acknowledged",
    S.REJECTED: "rejected",
    S.IN_PROGRESS: "inProgress",
    S.PENDING: "pending",
    S.HELD: "held",
    S.CANCELLATION_REQUESTED: "inProgress",
    S.RESOLVED: "resolved",
    S.CLOSED: "closed",
    S.CANCELLED: "cancelled",
}
FROM_TMF_STATUS = {
    "acknowledged": S.ACKNOWLEDGED,
    "rejected": S.REJECTED,
    "inProgress": S.IN_PROGRESS,
    "pending": S.PENDING,
    "held": S.HELD,
    "resolved": S.RESOLVED,
    "closed": S.CLOSED,
    "cancelled": S.CANCELLED,
}

# --- v2.0 (JSR-91 trouble states of the seed) --------------------------------------------------------------
V2_QUEUED, V2_OPENACTIVE, V2_CLOSED, V2_CANCELLING = "QUEUED", "OPENACTIVE", "CLOSED", "CANCELLATION_IN_PROGRESS"
V2_STATUS = {
    S.SUBMITTED: V2_QUEUED,
    S.ACKNOWLEDGED: V2_QUEUED,
    S.REJECTED: V2_CLOSED,
    S.IN_PROGRESS: V2_OPENACTIVE,
    S.PENDING: V2_OPENACTIVE,
    S.HELD: V2_OPENACTIVE,
    S.CANCELLATION_REQUESTED: V2_CANCELLING,
    S.RESOLVED: V2_OPENACTIVE,
    S.CLOSED: V2_CLOSED,
    S.CANCELLED: V2_CLOSED,
}

# v2.0 transactions (seed 002, annexe 3) and who may send them.
SOLVING = "CASE_SOLVING_NOTIFICATION"  # OI: prise en charge → OPENACTIVE
SU_INFO = "SU_CASE_INFORMATION_NOTIFICATION"  # OI: suivi, RDV, état de résolution
CO_INFO = "CO_CASE_INFORMATION_NOTIFICATION"  # OC: message, coordonnées client, dates de RDV
CANCEL = "CASE_CANCELATION"  # OC: annulation (ticket pas encore pris en charge)
CANCEL_REQUEST = "CASE_CANCELATION_REQUEST"  # OC: demande d'annulation (ticket pris en charge)
SOLVED = "CASE_SOLVED_NOTIFICATION"  # OI: clôture avec code RET/ABS/STT/ERR
V2_TRANSACTIONS = {
    SOLVING: "oi",
    SU_INFO: "oi",
    SOLVED: "oi",
    CO_INFO: "oc",
    CANCEL: "oc",
    CANCEL_REQUEST: "oc",
}
