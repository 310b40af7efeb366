"""OpenAPI description of the error bodies every endpoint may return.

``DeskAutoSchema`` adds the 400/401/403/404 responses the exception handler
(``errors.py``) produces, so the published contract lists them once for all
operations; 409 is declared explicitly on the ticket operations that can refuse.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.drainage import get_override, has_override
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_serializer
from rest_framework import serializers

from softwhere.tickets.transitions import TicketErrorCode

_ERROR_CODE_LABELS = {
    TicketErrorCode.TRANSITION_NOT_ALLOWED: "Impossible dans l'état actuel du ticket",
    TicketErrorCode.UNKNOWN_TRANSITION: "Transition inconnue",
    TicketErrorCode.ROLE_NOT_ALLOWED: "Rôle insuffisant (HTTP 403)",
    TicketErrorCode.N2_REQUIRED: "Réservé au niveau 2 (HTTP 403)",
    TicketErrorCode.CHECKLIST_INCOMPLETE: "Checklist N1 incomplète et aucun motif d'escalade",
    TicketErrorCode.CASE_REQUIRED: "Ticket pas encore qualifié (cas de résolution)",
    TicketErrorCode.REASON_REQUIRED: "Motif obligatoire",
    TicketErrorCode.RESOLUTION_REQUIRED: "Résolution obligatoire",
    TicketErrorCode.CARRIER_REFERENCE_REQUIRED: "Référence du ticket opérateur obligatoire",
    TicketErrorCode.CLIENT_CONTACT_REQUIRED: "Contact client obligatoire",
}
TICKET_ERROR_CODES = [(code.value, _ERROR_CODE_LABELS.get(code, code.value)) for code in TicketErrorCode]


@extend_schema_serializer(description="Erreur d'authentification, de droits ou objet introuvable.")
class ErrorSerializer(serializers.Serializer):

    detail = serializers.CharField(help_text="Message en français destiné à l'utilisateur.")
    code = serializers.CharField(required=False, help_text="Code stable, pour les refus liés au rôle.")
    field = serializers.CharField(required=False, help_text="Champ concerné, le cas échéant.")


@extend_schema_serializer(description="Opération refusée par le cycle de vie du ticket ; rien n'a été modifié.")
class TicketErrorSerializer(serializers.Serializer):

    code = serializers.ChoiceField(choices=TICKET_ERROR_CODES, help_text="Code stable du refus.")
    detail = serializers.CharField(help_text="Message en français destiné à l'utilisateur.")
    field = serializers.CharField(required=False, help_text="Paramètre à compléter, le cas échéant.")


class ValidationErrorSerializer(serializers.Serializer):
    """Field name → list of messages (``non_field_errors`` for the whole object).

    Nested values (an object keyed by sub-field, e.g. one LED of a reading) keep
    the same shape. The schema is given by ``ValidationErrorSchema`` below.
    """


class ValidationErrorSchema(OpenApiSerializerExtension):
    target_class = ValidationErrorSerializer

    def map_serializer(self, auto_schema: AutoSchema, direction: Any) -> dict[str, Any]:
        return {
            "type": "object",
            "description": "Erreurs par champ : liste de messages, ou objet par sous-champ.",
            "additionalProperties": {
                "anyOf": [
                    {"type": "array", "items": {"type": "string"}},
                    {"type": "object", "additionalProperties": True},
                ]
            },
            "example": {"siret": ["SIRET invalide : 14 chiffres avec une clé de contrôle correcte."]},
        }


VALIDATION_ERROR = OpenApiResponse(ValidationErrorSerializer, description="Données invalides.")
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Jeton absent, inconnu ou révoqué.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Rôle insuffisant pour cette action.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Objet inexistant ou hors de votre périmètre.")
CONFLICT = OpenApiResponse(TicketErrorSerializer, description="Opération refusée par le cycle de vie du ticket.")


class DeskAutoSchema(AutoSchema):
    """AutoSchema that documents the error responses shared by every operation."""

    def get_description(self) -> str:  # type: ignore[override]  # drf-spectacular's signature
        # Docstrings are written for developers (in English); operations are described
        # for API users with extend_schema(summary=..., description=...).
        return ""

    def _map_basic_serializer(self, serializer: Any, direction: Any) -> dict[str, Any]:
        # Same rule for components: only descriptions given with extend_schema_serializer.
        schema: dict[str, Any] = super()._map_basic_serializer(serializer, direction)
        schema.pop("description", None)
        if has_override(serializer, "description"):
            schema["description"] = get_override(serializer, "description")
        return schema

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        defaults: dict[str, OpenApiResponse] = {"401": UNAUTHENTICATED, "403": FORBIDDEN, "404": NOT_FOUND}
        if self.method in ("POST", "PUT", "PATCH") or (self._is_list_view() and getattr(self.view, "filter_backends", None)):
            # Writes validate their body; filtered lists validate their query parameters.
            defaults["400"] = VALIDATION_ERROR
        for code, response in defaults.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return dict(sorted(responses.items()))
