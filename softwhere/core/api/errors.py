"""Map domain errors to HTTP: validation → 400 with field messages, refused transition → 409."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from softwhere.tickets.transitions import TicketError, TicketErrorCode


def validation_error_detail(exc: DjangoValidationError) -> dict[str, Any]:
    """Django's ``__all__`` key becomes DRF's ``non_field_errors`` so clients see one convention."""
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if hasattr(exc, "error_dict"):
        return {
            (non_field if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {non_field: exc.messages}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TicketError):
        code = (
            status.HTTP_403_FORBIDDEN
            if exc.code in (TicketErrorCode.ROLE_NOT_ALLOWED, TicketErrorCode.N2_REQUIRED)
            else status.HTTP_409_CONFLICT
        )
        body: dict[str, Any] = {"code": str(exc.code), "detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=code)
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        return Response({"detail": str(exc) or "Action non autorisée."}, status=status.HTTP_403_FORBIDDEN)
    return drf_exception_handler(exc, context)
