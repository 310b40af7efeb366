"""The ticket page's communications panel: choose a template, check the recipients, preview, send."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from softwhere.core.views import AuthedRequest, add_errors_to_form, error_messages, staff_required
from softwhere.tickets.models import Ticket
from softwhere.tickets.transitions import TicketError

from . import actions
from .api.views import visible_messages
from .forms import SendMessageForm
from .models import Attachment, FollowUp, MessageTemplate
from .services.recipients import format_recipients


def initial_for(ticket: Ticket, template: MessageTemplate | None) -> dict[str, Any]:
    """The form as the template presets it, recipients from the contacts' preferred channels."""
    template = template or MessageTemplate.objects.filter(is_active=True, code="CLT5").first()
    if template is None:
        return {}
    return {
        "template": template.code,
        "grouped_outage": template.grouped_outage,
        "context": template.context,
        "channels": template.channels,
        "chain_to_closure": template.chain_to_closure,
        "recipients": format_recipients(actions.default_recipients(ticket, template)),
    }


def panel_context(
    ticket: Ticket, user: Any, form: SendMessageForm | None = None, preview: Any = None
) -> dict[str, Any]:
    can_send = bool(getattr(user, "is_agent", False))
    if form is None and can_send:
        form = SendMessageForm(initial=initial_for(ticket, None))
    return {
        "ticket": ticket,
        "form": form if can_send else None,
        "preview": preview,
        "comms_messages": list(visible_messages(ticket, user)[:50]),
        "followups": list(FollowUp.objects.filter(ticket=ticket, state="active")),
    }


def _ticket(request: AuthedRequest, reference: str) -> Ticket:
    return get_object_or_404(Ticket.objects.visible_to(request.user), reference=reference)


def _panel(request: AuthedRequest, ticket: Ticket, **kw: Any) -> HttpResponse:
    return render(request, "comms/_panel.html", {**panel_context(ticket, request.user, **kw), "request": request})


@staff_required
def prefill(request: AuthedRequest, reference: str) -> HttpResponse:
    """HTMX: the form preset by the chosen template."""
    ticket = _ticket(request, reference)
    template = MessageTemplate.objects.filter(is_active=True, code=request.GET.get("template", "")).first()
    return _panel(request, ticket, form=SendMessageForm(initial=initial_for(ticket, template)))


@staff_required
@require_POST
def send(request: AuthedRequest, reference: str) -> HttpResponse:
    ticket = _ticket(request, reference)
    form = SendMessageForm(request.POST)
    if not form.is_valid():
        return _panel(request, ticket, form=form)
    data = form.cleaned_data
    if request.POST.get("preview"):
        try:
            preview = actions.preview_message(
                ticket,
                data["template"],
                actor=request.user,
                information=data["information"],
                grouped_outage=data["grouped_outage"],
            )
        except ValidationError as exc:
            add_errors_to_form(form, exc)
            preview = None
        return _panel(request, ticket, form=form, preview=preview)
    try:
        sent = actions.send_templated_message(
            ticket,
            data["template"],
            actor=request.user,
            information=data["information"],
            recipients=data["recipients"],
            channels=data["channels"],
            grouped_outage=data["grouped_outage"],
            context=data["context"],
            chain_to_closure=data["chain_to_closure"],
        )
    except ValidationError as exc:
        add_errors_to_form(form, exc)
        return _panel(request, ticket, form=form)
    except TicketError as exc:
        form.add_error(None, error_messages(exc))
        return _panel(request, ticket, form=form)
    messages.success(request, f"{len(sent)} message(s) envoyé(s) : {data['template'].name}.")
    url = reverse("tickets:detail", args=[ticket.reference]) + "#communications"
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
def attachment(request: AuthedRequest, pk: int) -> FileResponse:
    """Download a received attachment; the ticket must be in the user's scope (404 otherwise)."""
    item = get_object_or_404(Attachment.objects.select_related("message__ticket"), pk=pk)
    ticket = item.message.ticket
    if ticket is None or not Ticket.objects.visible_to(request.user).filter(pk=ticket.pk).exists():
        raise Http404
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.filename, content_type=item.content_type
    )
