"""Thin API views over ``comms.actions``: templates, a ticket's messages, preview and send."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from softwhere.comms import actions
from softwhere.comms.choices import Audience
from softwhere.comms.models import Message, MessageTemplate
from softwhere.comms.services.recipients import Recipient, format_recipients, parse_recipients
from softwhere.core.api.permissions import IsDeskStaff
from softwhere.core.api.schema import CONFLICT
from softwhere.tickets.models import Ticket

from .serializers import MessageSerializer, MessageTemplateSerializer, PreviewSerializer, SendMessageRequestSerializer


def visible_messages(ticket: Ticket, user: Any) -> QuerySet[Message]:
    """Clients and partners see their exchange, not the messages to internal teams."""
    qs = Message.objects.filter(ticket=ticket).select_related("template", "author").prefetch_related("attachments")
    if not user.is_desk_staff:
        qs = qs.filter(audience=Audience.CLIENT)
    return qs.order_by("-created_at", "-id")


def _template(code: str) -> MessageTemplate:
    template = MessageTemplate.objects.filter(code=code, is_active=True).first()
    if template is None:
        raise ValidationError({"template": ["Modèle inconnu ou désactivé."]})
    return template


def _recipients(text: str | None) -> list[Recipient] | None:
    if text is None or not text.strip():
        return None
    recipients, errors = parse_recipients(text)
    if errors:
        raise ValidationError({"recipients": errors})
    return recipients


@extend_schema_view(get=extend_schema(summary="Modèles de messages", operation_id="comms_templates_list"))
class TemplateListView(generics.ListAPIView[MessageTemplate]):
    serializer_class = MessageTemplateSerializer
    permission_classes = [IsDeskStaff]
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[MessageTemplate]:
        return MessageTemplate.objects.filter(is_active=True).order_by("family", "position", "code")


class TicketMessagesView(APIView):
    @extend_schema(
        summary="Messages du ticket",
        operation_id="tickets_messages_list",
        responses={200: MessageSerializer(many=True)},
    )
    def get(self, request: Request, reference: str) -> Response:
        ticket = get_object_or_404(Ticket.objects.visible_to(request.user), reference=reference)
        return Response(MessageSerializer(visible_messages(ticket, request.user), many=True).data)

    @extend_schema(
        summary="Envoyer un message à partir d'un modèle",
        description="Mail et/ou SMS ; envoyés après l'enregistrement. Le contexte « gel » met le ticket en attente client.",
        operation_id="tickets_messages_create",
        request=SendMessageRequestSerializer,
        responses={201: MessageSerializer(many=True), 409: CONFLICT},
    )
    def post(self, request: Request, reference: str) -> Response:
        ticket = get_object_or_404(Ticket.objects.visible_to(request.user), reference=reference)
        body = SendMessageRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        messages = actions.send_templated_message(
            ticket,
            _template(data["template"]),
            actor=request.user,
            information=data.get("information", ""),
            recipients=_recipients(data.get("recipients")),
            channels=data.get("channels"),
            grouped_outage=data.get("grouped_outage"),
            context=data.get("context"),
            chain_to_closure=data.get("chain_to_closure"),
        )
        return Response(MessageSerializer(messages, many=True).data, status=status.HTTP_201_CREATED)


class TicketMessagePreviewView(APIView):
    permission_classes = [IsDeskStaff]

    @extend_schema(
        summary="Aperçu d'un message",
        operation_id="tickets_messages_preview_create",
        request=SendMessageRequestSerializer,
        responses={200: PreviewSerializer},
    )
    def post(self, request: Request, reference: str) -> Response:
        ticket = get_object_or_404(Ticket.objects.visible_to(request.user), reference=reference)
        body = SendMessageRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        template = _template(data["template"])
        rendered = actions.preview_message(
            ticket,
            template,
            actor=request.user,
            information=data.get("information", ""),
            grouped_outage=data.get("grouped_outage"),
        )
        recipients = actions.default_recipients(ticket, template, data.get("channels"))
        return Response(
            PreviewSerializer(
                {
                    "subject": rendered.subject,
                    "body": rendered.body,
                    "sms": rendered.sms,
                    "recipients": format_recipients(recipients),
                }
            ).data
        )
