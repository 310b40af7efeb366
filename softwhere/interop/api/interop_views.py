"""Inter-operator endpoints: the Interop'Fibre TMF621 profile (we are the OI, or the OC's listener) and v2.0.

The caller authenticates with its token; the token's user is the ``inbound_user`` of
exactly one ``InteropPeer``, which decides who is talking (403 otherwise).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import status
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import inbound, outbound
from ..choices import HubApi, Role
from ..models import InteropPeer, Signalisation
from ..services import lifecycle, tmf, v2_xml
from .base import TmfError, TmfView, check_body, int_param, paged
from .tmf_ticket_views import DATE_FILTERS, HubDetailView, HubView, _date


def peer_of(request: Request) -> InteropPeer:
    peer = InteropPeer.objects.filter(inbound_user_id=request.user.pk, is_active=True).first()
    if peer is None:
        raise TmfError(403, "Forbidden", "Ce compte n'est rattaché à aucun opérateur interop actif.")
    return peer


def _signalisations(peer: InteropPeer) -> Any:
    return Signalisation.objects.filter(peer=peer, role=Role.OI).select_related("peer")


class InteropTicketListView(TmfView):
    def get(self, request: Request) -> Response:
        peer = peer_of(request)
        qs = _signalisations(peer).order_by("-created_at", "-id")
        params = request.query_params
        if "status" in params:
            target = lifecycle.FROM_TMF_STATUS.get(params["status"])
            if target is None:
                raise TmfError(400, "Bad Request", "status : valeur hors TroubleTicketStatusType")
            statuses = [s for s, t in lifecycle.TMF_STATUS.items() if t == params["status"]]
            qs = qs.filter(status__in=statuses)
        for key, value in params.items():
            field, _, op = key.partition(".")
            if field in DATE_FILTERS and op in ("", "gt", "gte", "lt", "lte"):
                qs = qs.filter(**{DATE_FILTERS[field] + (f"__{op}" if op else ""): _date(str(value), key)})
        offset = int_param(request, "offset", 0, maximum=10**9)
        limit = int_param(request, "limit", 50, maximum=1000)
        total = qs.count()
        items = [
            tmf.select_fields(outbound.interop_resource(s), params.get("fields")) for s in qs[offset : offset + limit]
        ]
        return paged(request, items, total)

    def post(self, request: Request) -> Response:
        peer = peer_of(request)
        body = check_body(request.data, required=("description", "ticketType", "severity"))
        sig, reasons = inbound.interop_create(peer, body)
        if sig is None:
            raise TmfError(
                400, "Bad Request", " ; ".join(reasons)[:65535], code=(reasons[0].split(" ")[0] if reasons else None)
            )
        resource = outbound.interop_resource(sig)
        response = Response(resource, status=status.HTTP_201_CREATED)
        response["Location"] = resource["href"]
        return response


class InteropTicketDetailView(TmfView):
    def _get(self, request: Request, ticket_id: str) -> tuple[InteropPeer, Signalisation]:
        peer = peer_of(request)
        return peer, get_object_or_404(_signalisations(peer), oi_reference=ticket_id)

    def get(self, request: Request, ticket_id: str) -> Response:
        _peer, sig = self._get(request, ticket_id)
        return Response(tmf.select_fields(outbound.interop_resource(sig), request.query_params.get("fields")))

    def patch(self, request: Request, ticket_id: str) -> Response:
        peer, sig = self._get(request, ticket_id)
        patch = check_body(request.data)
        sig = inbound.interop_patch(peer, sig, patch)
        return Response(outbound.interop_resource(sig))


class InteropHubView(HubView):
    api = HubApi.INTEROP

    def post(self, request: Request) -> Response:
        peer_of(request)
        return super().post(request)


class InteropHubDetailView(HubDetailView):
    api = HubApi.INTEROP


class InteropListenerView(TmfView):
    """We are the OC: the OI's hub posts its events to ``{callback}/{eventType}``."""

    def post(self, request: Request, event_type: str) -> Response:
        peer = peer_of(request)
        body = request.data
        if not isinstance(body, dict) or not isinstance(body.get("event"), dict):
            raise TmfError(400, "Bad Request", "événement TMF621 attendu")
        inbound.interop_event(peer, event_type, body)
        return Response(status=status.HTTP_201_CREATED)


class XmlParser(BaseParser):
    media_type = "application/xml"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data: bytes = stream.read() if stream is not None else b""
        return data


class TextXmlParser(XmlParser):
    media_type = "text/xml"


class V2View(APIView):
    """SAV FTTH v2.0: CreateTroubleTicketByValue / SetTroubleTicketByValue, one XML document per POST."""

    schema = None
    parser_classes = [XmlParser, TextXmlParser]

    def post(self, request: Request) -> HttpResponse:
        peer = InteropPeer.objects.filter(inbound_user_id=request.user.pk, is_active=True).first()
        if peer is None:
            body = v2_xml.build_ack(
                v2_xml.CREATE_RESPONSE,
                {
                    "Result": "KO",
                    "AcknowledgementTime": timezone.now(),
                    "ErrorCode": "EMETTEUR_INCONNU",
                    "ErrorText": "compte non rattaché à un opérateur interop",
                },
            )
            return HttpResponse(body, status=403, content_type=v2_xml.CONTENT_TYPE)
        data = request.data if isinstance(request.data, bytes) else b""
        return HttpResponse(inbound.receive_v2(peer, data), content_type=v2_xml.CONTENT_TYPE)
