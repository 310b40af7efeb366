"""Shared plumbing of our TMF621 endpoints: JSON/merge-patch parsing, TMF Error bodies, paging.

These views are not part of the desk's OpenAPI document (``schema = None``): their
contract is the TM Forum / Interop'Fibre specification they implement, and the tests
check them against it.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from softwhere.tickets.transitions import TicketError, TicketErrorCode

from ..actions import InteropError
from ..services import tmf


class MergePatchParser(JSONParser):
    media_type = "application/merge-patch+json"


class TmfError(Exception):
    def __init__(self, status_code: int, reason: str, message: str = "", code: str | None = None) -> None:
        super().__init__(reason)
        self.status_code, self.reason, self.message, self.code = status_code, reason, message, code


def _messages(exc: DjangoValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ; ".join(f"{field} : {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ; ".join(exc.messages)


_FORBIDDEN_CHARS = re.compile("[\x00\ud800-\udfff]")


def _clean_text(value: Any, where: str) -> None:
    """NUL and lone surrogates cannot be stored (PostgreSQL) nor re-encoded: refuse them up front."""
    if isinstance(value, str):
        if _FORBIDDEN_CHARS.search(value):
            raise TmfError(400, "Bad Request", f"{where} : caractère interdit (NUL ou substitut UTF-16 isolé)")
    elif isinstance(value, dict):
        for key, item in value.items():
            _clean_text(key, where)
            _clean_text(item, where)
    elif isinstance(value, list):
        for item in value:
            _clean_text(item, where)


class TmfView(APIView):
    schema = None  # documented by the TMF621 specification, not by the desk's schema
    parser_classes = [JSONParser, MergePatchParser]
    renderer_classes = [JSONRenderer]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        for key, values in request.query_params.lists():
            _clean_text([key, *values], "paramètre de requête")
        _clean_text(list(kwargs.values()), "chemin")

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, TmfError):
            body, code = tmf.error(exc.status_code, exc.reason, exc.message, exc.code), exc.status_code
        elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            body, code = tmf.error(401, "Unauthorized", str(exc.detail)), 401
        elif isinstance(exc, exceptions.PermissionDenied):
            body, code = tmf.error(403, "Forbidden", str(exc.detail)), 403
        elif isinstance(exc, Http404 | exceptions.NotFound):
            body, code = tmf.error(404, "Not Found", "Ressource inconnue."), 404
        elif isinstance(exc, exceptions.MethodNotAllowed):
            body, code = tmf.error(405, "Method Not allowed", str(exc.detail)), 405
        elif isinstance(exc, exceptions.ParseError | exceptions.UnsupportedMediaType | exceptions.ValidationError):
            body, code = tmf.error(400, "Bad Request", str(exc.detail)), 400
        elif isinstance(exc, DjangoValidationError):
            body, code = tmf.error(400, "Bad Request", _messages(exc)), 400
        elif isinstance(exc, TicketError):
            forbidden = exc.code in (TicketErrorCode.ROLE_NOT_ALLOWED, TicketErrorCode.N2_REQUIRED)
            code = 403 if forbidden else 409
            body = tmf.error(code, "Forbidden" if forbidden else "Conflict", exc.message, str(exc.code))
        elif isinstance(exc, InteropError):
            body, code = tmf.error(409, "Conflict", exc.message, exc.code), 409
        else:
            return super().handle_exception(exc)
        response = Response(body, status=code)
        if code == 401:
            response["WWW-Authenticate"] = 'Token realm="api"'
        return response


def int_param(request: Request, name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise TmfError(400, "Bad Request", f"{name} : entier attendu") from None
    if value < minimum or (maximum is not None and value > maximum):
        raise TmfError(400, "Bad Request", f"{name} : valeur hors limites")
    return value


def paged(request: Request, items: list[dict[str, Any]], total: int) -> Response:
    response = Response(items, status=status.HTTP_200_OK)
    response["X-Total-Count"] = str(total)
    response["X-Result-Count"] = str(len(items))
    return response


STRING_FIELDS = (
    "name",
    "description",
    "severity",
    "ticketType",
    "priority",
    "statusChangeReason",
    "externalId",
    "@type",
    "@baseType",
    "@schemaLocation",
    "requestedResolutionDate",
    "expectedResolutionDate",
)
ARRAY_FIELDS = (
    "note",
    "relatedEntity",
    "relatedParty",
    "attachment",
    "externalIdentifier",
    "troubleTicketRelationship",
    "troubleTicketCharacteristic",
)


def check_body(body: Any, *, required: tuple[str, ...] = ()) -> dict[str, Any]:
    """The light validation the TMF schema implies: an object, typed first-level attributes, required ones present."""
    if not isinstance(body, dict):
        raise TmfError(400, "Bad Request", "un objet JSON est attendu")
    _clean_text(body, "corps")
    missing = [name for name in required if name not in body]
    if missing:
        raise TmfError(400, "Bad Request", f"attributs obligatoires absents : {', '.join(missing)}")
    for name in STRING_FIELDS:
        if name in body and not isinstance(body[name], str):
            raise TmfError(400, "Bad Request", f"{name} : chaîne attendue")
    for name in ARRAY_FIELDS:
        if name in body and (
            not isinstance(body[name], list) or not all(isinstance(item, dict) for item in body[name])
        ):
            raise TmfError(400, "Bad Request", f"{name} : tableau d'objets attendu")
    if "status" in body and body["status"] not in tmf.TICKET_STATUS_TO_TMF.values() and body["status"] != "rejected":
        raise TmfError(400, "Bad Request", "status : valeur hors TroubleTicketStatusType")
    for item_list in body.get("note") or []:
        for key in ("text", "author", "id", "@type"):
            if key in item_list and not isinstance(item_list[key], str):
                raise TmfError(400, "Bad Request", f"note.{key} : chaîne attendue")
    return body
