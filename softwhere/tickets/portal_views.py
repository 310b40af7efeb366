"""Client portal: client and partner users follow and open their own tickets.

Only PUBLIC timeline entries are shown here; desk staff are sent to the agent
pages instead. Every ticket comes from ``visible_to``, so a foreign one is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from softwhere.core.views import AuthedRequest, add_errors_to_form, error_messages
from softwhere.customers.models import Contact

from . import actions
from .choices import FINISHED_STATUSES, OPEN_STATUSES, Channel, Visibility
from .forms import PortalCommentForm, PortalTicketForm, TransitionForm
from .models import Ticket
from .transitions import TRANSITIONS, TicketError, available_transitions

_V = TypeVar("_V", bound=Callable[..., HttpResponse])

PORTAL_STATUS_FILTERS = {"ouverts": "En cours", "termines": "Terminés", "tous": "Tous"}


def portal_user_required(view: _V) -> _V:
    """Client and partner users only; agents are sent to the same page of the desk."""

    @wraps(view)
    def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_desk_staff:
            if "reference" in kwargs:
                return redirect("tickets:detail", kwargs["reference"])
            return redirect("tickets:list")
        return view(request, *args, **kwargs)

    return cast(_V, login_required(wrapper))


def _get_ticket(request: AuthedRequest, reference: str) -> Ticket:
    return get_object_or_404(
        Ticket.objects.visible_to(request.user).select_related("organisation", "site"), reference=reference
    )


@portal_user_required
def portal_list(request: AuthedRequest) -> HttpResponse:
    etat = request.GET.get("etat", "ouverts")
    if etat not in PORTAL_STATUS_FILTERS:
        etat = "ouverts"
    qs = Ticket.objects.visible_to(request.user).select_related("organisation", "site")
    if etat == "ouverts":
        qs = qs.exclude(status__in=FINISHED_STATUSES)
    elif etat == "termines":
        qs = qs.filter(status__in=FINISHED_STATUSES)
    term = request.GET.get("q", "").strip()
    if term:
        qs = qs.filter(Q(reference__istartswith=term) | Q(subject__icontains=term) | Q(site__name__icontains=term))
    page = Paginator(qs.order_by("-created_at", "-id"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/list.html",
        {"page": page, "etat": etat, "filters": PORTAL_STATUS_FILTERS, "term": term,
         "open_statuses": OPEN_STATUSES, "multi_org": request.user.role == "partner"},
    )


@portal_user_required
def portal_create(request: AuthedRequest) -> HttpResponse:
    form = PortalTicketForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        site = form.cleaned_data["site"]
        # The user's own contact card, when the company has one with the same e-mail, becomes the reporter.
        reporter = (
            Contact.objects.filter(organisation_id=site.organisation_id, email__iexact=request.user.email).first()
            if request.user.email
            else None
        )
        try:
            ticket = actions.create_ticket(
                actor=request.user,
                organisation=site.organisation,
                site=site,
                subject=form.cleaned_data["subject"],
                description=form.cleaned_data["description"],
                service_state=form.cleaned_data["service_state"],
                channel=Channel.WEB,
                reporter=reporter,
                client_reference=form.cleaned_data["client_reference"],
            )
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"Votre demande {ticket.reference} est enregistrée. Nous revenons vers vous.")
            return redirect("portal:detail", ticket.reference)
    return render(request, "portal/create.html", {"form": form})


@portal_user_required
def portal_detail(request: AuthedRequest, reference: str) -> HttpResponse:
    ticket = _get_ticket(request, reference)
    timeline = ticket.timeline.filter(visibility=Visibility.PUBLIC).select_related("author").order_by("-created_at", "-id")
    transitions = [t for t in available_transitions(ticket, request.user) if t.client_allowed]
    return render(
        request,
        "portal/detail.html",
        {
            "ticket": ticket,
            "timeline": timeline,
            "transitions": transitions,
            "comment_form": PortalCommentForm(),
            "can_comment": ticket.status not in FINISHED_STATUSES,
        },
    )


def _refused(request: AuthedRequest, exc: Exception) -> None:
    for line in error_messages(exc):
        messages.error(request, line)


@require_POST
@portal_user_required
def portal_comment(request: AuthedRequest, reference: str) -> HttpResponse:
    ticket = _get_ticket(request, reference)
    form = PortalCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Le message est vide.")
    else:
        try:
            actions.add_comment(ticket, actor=request.user, body=form.cleaned_data["body"])
        except (TicketError, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(request, "Message envoyé au support.")
    return redirect("portal:detail", ticket.reference)


CLIENT_SUCCESS = {"close": "Merci : le ticket est clôturé.", "reopen": "Le ticket est rouvert ; le support est prévenu."}


@require_POST
@portal_user_required
def portal_transition(request: AuthedRequest, reference: str, name: str) -> HttpResponse:
    """Confirm closure or reopen; any other transition is refused by the lifecycle rules."""
    ticket = _get_ticket(request, reference)
    form = TransitionForm(request.POST, prefix=name)
    if name not in TRANSITIONS or not form.is_valid():
        messages.error(request, "Action impossible.")
        return redirect("portal:detail", ticket.reference)
    try:
        actions.transition_ticket(ticket, name, actor=request.user, reason=form.cleaned_data.get("reason") or "")
    except (TicketError, ValidationError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, CLIENT_SUCCESS.get(name, "C'est fait."))
    return redirect("portal:detail", ticket.reference)
