"""Read-only SLA API: a ticket's live clocks and penalties, and the clock list for supervision."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from softwhere.jobs.actions import pending_jobs
from softwhere.sla.actions import JOB_OBSERVATION_CLOSE
from softwhere.sla.choices import ClockKind, ClockState
from softwhere.sla.models import CarrierEscalation, SlaClock
from softwhere.sla.selection import (
    MAX_RISK_MINUTES,
    active_breaches,
    at_risk,
    filter_clocks,
    risk_window,
    scoped_organisation,
)
from softwhere.sla.snapshots import LiveClock, live_clocks
from softwhere.tickets.models import Ticket

from .serializers import SlaClockSerializer, TicketSlaSerializer


def live_clock_payload(live: LiveClock) -> dict[str, Any]:
    snap, planned = live.snapshot, live.planned
    access = planned.access
    payload: dict[str, Any] = {
        "kind": planned.kind,
        "kind_label": ClockKind(planned.kind).label,
        "access": None,
        "calendar": planned.calendar_id,
        "target_minutes": planned.target_minutes,
        "state": snap.state,
        "state_label": ClockState(snap.state).label,
        "started_at": snap.started_at,
        "due_at": snap.due_at,
        "breached_at": snap.breached_at,
        "paused_since": snap.paused_since,
        "stopped_at": snap.stopped_at,
        "consumed_minutes": snap.consumed_minutes,
        "remaining_minutes": planned.target_minutes - snap.consumed_minutes,
        "pauses": [{"start": p.start, "end": p.end, "reason": p.reason} for p in snap.pauses],
        "penalty": None,
    }
    if access is not None:
        payload["access"] = {
            "id": access.pk,
            "name": str(access),
            "technology": access.technology,
            "gtr_option": access.gtr_option,
            "carrier_reference": access.carrier_reference,
        }
        payload["penalty"] = {
            "percent": live.penalty_percent,
            "amount_eur": live.penalty_amount(access.monthly_fee),
            "monthly_fee_eur": access.monthly_fee,
        }
    return payload


@extend_schema(
    summary="Engagements de service d'un ticket",
    description=(
        "Compteurs du ticket calculés à l'instant de la requête : GTR (un par accès SDSL/fibre garanti, "
        "si le service est interrompu), première réponse et résolution, avec leur échéance, le temps consommé "
        "en temps ouvré et, pour la GTR, la pénalité atteinte. Inclut les attentes opérateur et leur délai "
        "de réponse, et la clôture automatique programmée en fin d'observation."
    ),
)
class TicketSlaView(generics.GenericAPIView[Ticket]):
    """SLA of one ticket, computed at request time: clocks, GTR penalty, carrier deadlines, auto-closure."""

    serializer_class = TicketSlaSerializer
    lookup_field = "reference"

    def get_queryset(self) -> QuerySet[Ticket]:
        return Ticket.objects.visible_to(self.request.user)

    def get(self, request: Request, reference: str) -> Response:
        ticket = get_object_or_404(self.get_queryset(), reference=reference)
        now = timezone.now()
        clocks = [live_clock_payload(c) for c in live_clocks(ticket, now)]
        total = sum((c["penalty"]["amount_eur"] for c in clocks if c["penalty"]), Decimal("0"))
        job = pending_jobs(JOB_OBSERVATION_CLOSE, ticket_id=ticket.pk).first()
        data = {
            "reference": ticket.reference,
            "computed_at": now,
            "clocks": clocks,
            "penalty_total_eur": total,
            "carrier_escalations": list(CarrierEscalation.objects.filter(ticket=ticket).order_by("started_at")),
            "auto_close_at": job.due_at if job else None,
        }
        return Response(self.get_serializer(data, context={"now": now}).data)


@extend_schema(
    summary="Compteurs SLA (supervision)",
    description=(
        "Compteurs enregistrés, tels que calculés lors de leur dernier recalcul (à chaque événement du ticket "
        "et à chaque échéance). Mêmes filtres que les pages SLA : compteurs à risque, dépassés, par client et "
        "par opérateur. Un client ou un partenaire ne voit que les compteurs de ses tickets, comme sur les pages SLA."
    ),
    parameters=[
        OpenApiParameter("state", OpenApiTypes.STR, enum=ClockState.values, description="État du compteur."),
        OpenApiParameter("kind", OpenApiTypes.STR, enum=ClockKind.values, description="Type de compteur."),
        OpenApiParameter(
            "at_risk_minutes",
            OpenApiTypes.INT,
            description=(
                "Compteurs en cours dont l'échéance tombe dans les N prochaines minutes "
                f"(borné entre 1 et {MAX_RISK_MINUTES})."
            ),
        ),
        OpenApiParameter(
            "breached",
            OpenApiTypes.BOOL,
            description="true : compteurs dépassés sur des tickets encore en cours de traitement.",
        ),
        OpenApiParameter(
            "organisation",
            OpenApiTypes.INT,
            description="Identifiant du client ; un client inconnu ou hors de votre périmètre répond 404.",
        ),
        OpenApiParameter(
            "carrier",
            OpenApiTypes.STR,
            description=(
                "Opérateur du ticket (ouvert chez lui ou sur l'un de ses accès) ; un opérateur configuré est "
                "reconnu par ses alias (« France Télécom » = Orange)."
            ),
        ),
    ],
)
class SlaClockListView(generics.ListAPIView[SlaClock]):
    """Stored clocks (as of their last computation) for supervision, in the user's scope.

    Filters and scope are those of the SLA pages (``selection``, ``visible_to``), so the API
    and the pages never disagree: a client or partner sees the clocks of its own tickets.
    """

    serializer_class = SlaClockSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[SlaClock]:
        params = self.request.query_params
        user = self.request.user
        qs = SlaClock.objects.visible_to(user).select_related("ticket__organisation")
        if params.get("state") in ClockState.values:
            qs = qs.filter(state=params["state"])
        qs = filter_clocks(
            qs,
            user,
            organisation=scoped_organisation(user, params.get("organisation")),
            kind=params.get("kind") or "",
            carrier=params.get("carrier") or "",
        )
        now = timezone.now()
        if params.get("at_risk_minutes"):
            qs = qs.filter(at_risk(now, risk_window(params["at_risk_minutes"])))
        if (params.get("breached") or "").lower() in ("true", "1"):
            qs = qs.filter(active_breaches(now))
        return qs.order_by("due_at", "id")
