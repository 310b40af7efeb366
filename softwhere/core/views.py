"""Home redirect, health check, and the permission helpers shared by every server-rendered view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

if TYPE_CHECKING:
    from softwhere.accounts.models import User


class AuthedRequest(HttpRequest):
    """An HttpRequest behind ``login_required``: ``user`` is a real desk user."""

    user: User


_V = TypeVar("_V", bound=Callable[..., HttpResponse])


def staff_required(view: _V) -> _V:
    """Operator staff only (agents, supervisors, ADV, admins); client and partner users get a 403."""

    @wraps(view)
    def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_desk_staff:
            raise PermissionDenied("Page réservée aux équipes du support.")
        return view(request, *args, **kwargs)

    return cast(_V, login_required(wrapper))


def error_messages(exc: Exception) -> list[str]:
    """French, user-facing lines for a refused action (TicketError, ValidationError, PermissionDenied)."""
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    message = getattr(exc, "message", None) or str(exc)
    return [str(message) or "Action refusée."]


def add_errors_to_form(form: forms.BaseForm, exc: ValidationError) -> None:
    """Attach an action's ValidationError to the matching form fields (others become form-level errors)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        if field in form.fields or field == NON_FIELD_ERRORS:
            form.add_error(None if field == NON_FIELD_ERRORS else field, errors)
        else:
            form.add_error(None, errors)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Agents land on the ticket grid, client and partner users on their portal."""
    if request.user.is_desk_staff:  # type: ignore[union-attr]
        return redirect("tickets:list")
    return redirect("portal:list")


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
