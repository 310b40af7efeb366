"""Our TMF621 Trouble Ticket API over desk tickets (partners, clients and carriers), v5 and v4.

Thin views: scope with ``visible_to``, translate the TMF request, call ``tickets.actions``
(or ``interop`` hub actions), render with ``tmf_tickets.render``. Status changes requested by
PATCH become our lifecycle transitions (table in docs/interop.md). One set of views serves
both versions: ``tmf_urls`` mounts them with ``tmf_api=tmf.V5`` or ``tmf.V4``, the object
that names what the two specifications shape differently.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.shortcuts import get_object_or_404
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from softwhere.customers.models import Organisation
from softwhere.inventory.models import Service
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.choices import Channel, TicketStatus, Visibility
from softwhere.tickets.models import Ticket

from .. import tmf_tickets
from ..choices import HubApi
from ..models import Hub, TmfTicketData
from ..services import tmf
from .base import TmfError, TmfView, check_body, int_param, paged

ORDERABLE = {"creationDate": "created_at", "lastUpdate": "updated_at", "id": "reference"}
DATE_FILTERS = {"creationDate": "created_at", "lastUpdate": "updated_at"}
STATUS_FILTER = {
    tmf_status: [s for s, t in tmf.TICKET_STATUS_TO_TMF.items() if t == tmf_status]
    for tmf_status in set(tmf.TICKET_STATUS_TO_TMF.values())
}


def _visible(request: Request) -> Any:
    return Ticket.objects.visible_to(request.user).select_related("tmf").prefetch_related("services")


def _date(value: str, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise TmfError(400, "Bad Request", f"{name} : date ISO 8601 attendue") from None
    if parsed.tzinfo is None:
        raise TmfError(400, "Bad Request", f"{name} : fuseau horaire requis")
    try:
        return parsed.astimezone(UTC)  # PostgreSQL refuses offsets beyond ±15:59
    except (OverflowError, ValueError):
        raise TmfError(400, "Bad Request", f"{name} : date hors limites") from None


class TroubleTicketListView(TmfView):
    tmf_api = tmf.V5

    def get(self, request: Request) -> Response:
        qs = _visible(request)
        params = request.query_params
        if "status" in params:
            wanted = [s.strip() for s in params["status"].split(",")]
            statuses = [s for w in wanted for s in STATUS_FILTER.get(w, [])]
            qs = qs.filter(status__in=statuses)
        for key, value in params.items():
            field, _, op = key.partition(".")
            if field in DATE_FILTERS and op in ("", "gt", "gte", "lt", "lte"):
                lookup = DATE_FILTERS[field] + (f"__{op}" if op else "")
                qs = qs.filter(**{lookup: _date(str(value), key)})
        if "externalId" in params:
            qs = qs.filter(tmf__external_identifiers__icontains=params["externalId"])
        sort = params.get("sort", "-creationDate") or "-creationDate"
        order = []
        for part in sort.split(","):
            desc = part.startswith("-")
            column = ORDERABLE.get(part.lstrip("-+ "))
            if column is None:
                raise TmfError(400, "Bad Request", f"sort : attribut non triable « {part} »")
            order.append(f"-{column}" if desc else column)
        qs = qs.order_by(*order, "-id")
        offset = int_param(request, "offset", 0, maximum=10**9)
        limit = int_param(request, "limit", 50, minimum=0, maximum=1000)
        total = qs.count()
        page = qs[offset : offset + limit]
        items = [tmf.select_fields(tmf_tickets.render(t, self.tmf_api), params.get("fields")) for t in page]
        return paged(request, items, total)

    def post(self, request: Request) -> Response:
        api = self.tmf_api
        body = check_body(request.data, required=api.required)
        user = request.user
        organisation = _organisation_for(request, body, api)
        services = _services_for(request, body, api)
        with transaction.atomic():
            ticket = ticket_actions.create_ticket(
                actor=user,
                organisation=organisation,
                subject=(body.get("name") or body["description"] or "Ticket TMF621").strip()[:200] or "Ticket TMF621",
                description=body["description"],
                service_state=tmf.severity_to_state(body["severity"]),
                priority=tmf.PRIORITY_FROM_TMF.get(str(body.get("priority", "")).lower(), 3),
                channel=Channel.INTEROP,
                services=services,
            )
            TmfTicketData.objects.create(
                ticket=ticket,
                ticket_type=body["ticketType"][:255],
                severity=body["severity"][:50],
                name=str(body.get("name") or "")[:255],
                external_identifiers=api.external_identifiers(body),
            )
            for note in body.get("note") or []:
                if str(note.get("text") or "").strip():
                    ticket_actions.add_comment(ticket, actor=user, body=str(note["text"]), visibility=Visibility.PUBLIC)
        ticket = _visible(request).get(pk=ticket.pk)
        resource = tmf_tickets.render(ticket, api)
        response = Response(
            tmf.select_fields(resource, request.query_params.get("fields")), status=status.HTTP_201_CREATED
        )
        response["Location"] = resource["href"]
        return response


def _organisation_for(request: Request, body: dict[str, Any], api: tmf.TicketApi) -> Organisation:
    """The customer: a client user's own company, else the « customer » related party in the caller's scope."""
    user = request.user
    wanted = None
    for party in body.get("relatedParty") or []:
        if party.get("role") == "customer":
            wanted = str(api.referred(party, party=True).get("id") or "")
    scope = Organisation.objects.visible_to(user)
    if wanted:
        org = scope.filter(pk=int(wanted)).first() if wanted.isdigit() else scope.filter(name=wanted).first()
        if org is None:
            raise TmfError(400, "Bad Request", "relatedParty customer : organisation inconnue")
        return org
    own = getattr(user, "organisation", None)
    if own is not None and not getattr(user, "is_desk_staff", False):
        return own
    raise TmfError(400, "Bad Request", "relatedParty de rôle « customer » requis")


def _services_for(request: Request, body: dict[str, Any], api: tmf.TicketApi) -> list[Service]:
    ids = []
    for item in body.get("relatedEntity") or []:
        entity = api.referred(item)
        if str(entity.get("@referredType", "")) in ("Service", "Access") and str(entity.get("id", "")).isdigit():
            ids.append(int(entity["id"]))
    services = list(Service.objects.visible_to(request.user).filter(pk__in=ids))
    if len(services) != len(set(ids)):
        raise TmfError(400, "Bad Request", "relatedEntity : service inconnu")
    return services


# PATCH status → our transition (the target TMF status decides; the current state picks among candidates).
STATUS_TRANSITIONS = {
    "closed": ("close",),
    "cancelled": ("cancel",),
    "resolved": ("resolve",),
    "pending": ("wait_client",),
    "held": ("wait_carrier",),
    "inProgress": ("take", "resume", "reopen"),
}


class TroubleTicketDetailView(TmfView):
    tmf_api = tmf.V5

    def get_ticket(self, request: Request, ticket_id: str) -> Ticket:
        return get_object_or_404(_visible(request), reference=ticket_id)

    def get(self, request: Request, ticket_id: str) -> Response:
        ticket = self.get_ticket(request, ticket_id)
        return Response(tmf.select_fields(tmf_tickets.render(ticket, self.tmf_api), request.query_params.get("fields")))

    def delete(self, request: Request, ticket_id: str) -> Response:
        self.get_ticket(request, ticket_id)
        raise TmfError(405, "Method Not allowed", "Un ticket ne se supprime pas : annulez-le (status cancelled).")

    def patch(self, request: Request, ticket_id: str) -> Response:
        ticket = self.get_ticket(request, ticket_id)
        patch = check_body(request.data)
        current = tmf_tickets.render(ticket, self.tmf_api)
        wanted = tmf.merge_patch(current, patch)
        user = request.user
        with transaction.atomic():
            known = {n["id"] for n in current["note"]}
            for note in wanted.get("note") or []:
                if isinstance(note, dict) and note.get("id") not in known and str(note.get("text") or "").strip():
                    ticket_actions.add_comment(ticket, actor=user, body=str(note["text"]), visibility=Visibility.PUBLIC)
            changes: dict[str, Any] = {}
            if wanted.get("description") != current["description"]:
                changes["description"] = str(wanted.get("description") or "")
            if wanted.get("name") != current["name"] and wanted.get("name"):
                changes["subject"] = str(wanted["name"])[:200]
            if wanted.get("severity") != current["severity"] and wanted.get("severity"):
                changes["service_state"] = tmf.severity_to_state(str(wanted["severity"]))
            if wanted.get("priority") != current["priority"] and wanted.get("priority"):
                priority = tmf.PRIORITY_FROM_TMF.get(str(wanted["priority"]).lower())
                if priority is None:
                    raise TmfError(400, "Bad Request", "priority : Critical, High, Medium ou Low")
                changes["priority"] = priority
            if changes:
                ticket_actions.update_ticket(ticket, actor=user, **changes)
            target = wanted.get("status")
            if target and target != current["status"]:
                _apply_status(ticket, str(target), str(wanted.get("statusChangeReason") or ""), user)
        ticket = self.get_ticket(request, ticket_id)
        return Response(tmf.select_fields(tmf_tickets.render(ticket, self.tmf_api), request.query_params.get("fields")))


def _apply_status(ticket: Ticket, target: str, reason: str, user: Any) -> None:
    candidates = STATUS_TRANSITIONS.get(target)
    if not candidates:
        raise TmfError(409, "Conflict", f"passage à « {target} » impossible par l'API")
    from softwhere.tickets.transitions import TRANSITIONS

    name = next((n for n in candidates if ticket.status in TRANSITIONS[n].sources), candidates[0])
    params: dict[str, Any] = {"reason": reason or f"Demande TMF621 : {target}"}
    if name == "resolve":
        params["resolution"] = reason or "Résolu (TMF621)"
    if name == "wait_carrier":
        params["carrier_ticket_reference"] = reason
    if name == "reopen" and ticket.status == TicketStatus.CLOSED and not reason:
        params["reason"] = "Réouverture demandée par l'API TMF621"
    ticket_actions.transition_ticket(ticket, name, actor=user, **params)


class HubView(TmfView):
    api = HubApi.TMF621_V5

    def post(self, request: Request) -> Response:
        body = check_body(request.data, required=("callback",))
        callback = body.get("callback")
        query = body.get("query") or ""
        if (
            not isinstance(callback, str)
            or urlsplit(callback).scheme not in ("http", "https")
            or not urlsplit(callback).netloc
        ):
            raise TmfError(400, "Bad Request", "callback : URL http(s) attendue")
        if not isinstance(query, str):
            raise TmfError(400, "Bad Request", "query : chaîne attendue")
        hub = Hub.objects.create(
            api=self.api, owner_id=int(request.user.pk or 0), callback=callback[:2048], query=query[:2048]
        )
        response = Response(_hub(hub), status=status.HTTP_201_CREATED)
        response["Location"] = f"{request.path.rstrip('/')}/{hub.pk}"
        return response


def _hub(hub: Hub) -> dict[str, Any]:
    body = {"@type": "Hub", "id": str(hub.pk), "callback": hub.callback}
    if hub.query:
        body["query"] = hub.query
    return body


class HubDetailView(TmfView):
    api = HubApi.TMF621_V5

    def _get(self, request: Request, hub_id: str) -> Hub:
        return get_object_or_404(Hub, pk=_uuid(hub_id), api=self.api, owner=request.user)

    def get(self, request: Request, hub_id: str) -> Response:
        return Response(_hub(self._get(request, hub_id)))

    def delete(self, request: Request, hub_id: str) -> Response:
        self._get(request, hub_id).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


def _uuid(value: str) -> Any:
    import uuid

    try:
        return uuid.UUID(value)
    except ValueError:
        raise TmfError(404, "Not Found", "Abonnement inconnu.") from None
