"""Pages of the gateway: the signalisations work queue (OI role: what OCs deposit with us; OC role: ours),
one signalisation with its moves and journal, the journal of one operator, one message as exchanged.

Staff only; every move is one function of ``actions`` (views only parse and report).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from softwhere.core.views import AuthedRequest, add_errors_to_form, staff_required

from . import actions, forms
from .choices import Role
from .choices import SignalisationStatus as S
from .models import InteropMessage, InteropPeer, Signalisation
from .services import lifecycle
from .services.formats import FormatError, Slot


def journal_context(messages_qs: Any) -> dict[str, Any]:
    return {"journal": list(messages_qs.select_related("peer", "signalisation").order_by("created_at", "id"))}


@staff_required
def signalisations(request: AuthedRequest) -> HttpResponse:
    """Work queue: open signalisations first; ``?role=oi`` (default) or ``oc``, ``?etat=`` a status, ``?tout=1``."""
    role = request.GET.get("role", Role.OI)
    if role not in Role.values:
        role = Role.OI
    qs = Signalisation.objects.filter(role=role).select_related("peer", "ticket")
    status = request.GET.get("etat", "")
    if status in S.values:
        qs = qs.filter(status=status)
    elif not request.GET.get("tout"):
        qs = qs.exclude(status__in=lifecycle.FINAL)
    page = Paginator(qs.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "interop/signalisations.html",
        {"page": page, "role": role, "status": status, "statuses": S.choices, "peers": InteropPeer.objects.all()},
    )


def _forms(sig: Signalisation, data: Any = None, bound: str = "") -> dict[str, django_forms.Form]:
    """The moves open to us on ``sig`` (by role and state); only the submitted one is bound."""

    def make(name: str, cls: type[django_forms.Form], **initial: Any) -> django_forms.Form:
        return cls(data if bound == name else None, initial=initial, prefix=name)

    if sig.is_final:
        return {}
    out: dict[str, django_forms.Form] = {}
    if sig.role == Role.OI:
        if sig.status == S.ACKNOWLEDGED:
            out["take"] = make("take", forms.TakeChargeForm)
        out["inform"] = make("inform", forms.OiInformationForm, info_type="INFORMATION")
        out["close"] = make(
            "close", forms.ClosureForm, code="STT02" if sig.status == S.CANCELLATION_REQUESTED else "RET01"
        )
        return out
    if sig.oi_reference:
        out["inform"] = make("inform", forms.OcInformationForm, info_type="INFORMATION")
        out["answer"] = make("answer", forms.AppointmentAnswerForm)
    out["relaunch"] = make("relaunch", forms.RelaunchForm)
    if sig.status == S.RESOLVED:
        out["refuse"] = make("refuse", forms.ReasonForm)
    if sig.status != S.CANCELLATION_REQUESTED:
        out["cancel"] = make("cancel", forms.ReasonForm)
    return out


def _move(request: AuthedRequest, sig: Signalisation, name: str, data: dict[str, Any]) -> Callable[[], Any] | None:
    user = request.user
    if name == "take":
        return lambda: actions.oi_take_charge(sig, actor=user, resolution_state=data["resolution_state"])
    if name == "inform" and sig.role == Role.OI:
        return lambda: actions.oi_send_information(
            sig,
            actor=user,
            info_type=data["info_type"],
            text=data["text"],
            proposals=data["proposals"],
            appointment=data["appointment"],
            appointment_id=data["appointment_id"],
            resolution_state=data["resolution_state"],
            status=data["status"] or None,
        )
    if name == "close":
        return lambda: actions.oi_close(
            sig,
            actor=user,
            code=data["code"],
            responsibility=data["responsibility"],
            location=data["location"],
            comment=data["comment"],
        )
    if name == "inform":
        return lambda: actions.oc_send_information(
            sig, actor=user, info_type=data["info_type"], text=data["text"], proposals=data["proposals"]
        )
    if name == "answer":
        accept = data["answer"] == "accept"
        slot = data["proposals"][0] if accept and data["proposals"] else None
        return lambda: actions.oc_answer_appointment(
            sig, actor=user, accept=accept, slot=slot, proposals=data["proposals"], text=data["text"]
        )
    if name == "relaunch":
        return lambda: actions.oc_relaunch(sig, actor=user, text=data["text"])
    if name == "cancel":
        return lambda: actions.oc_cancel(sig, actor=user, reason_text=data["reason"])
    if name == "refuse":
        return lambda: actions.oc_refuse_resolution(sig, actor=user, reason_text=data["reason"])
    if name == "accept":
        return lambda: actions.oc_accept_resolution(sig, actor=user)
    return None


DONE = {
    "take": "Prise en charge envoyée à l'OC.",
    "inform": "Message envoyé.",
    "close": "Clôture envoyée.",
    "answer": "Réponse de rendez-vous envoyée.",
    "relaunch": "Relance envoyée.",
    "cancel": "Annulation envoyée.",
    "refuse": "Résolution refusée.",
    "accept": "Résolution acceptée.",
}


@staff_required
def signalisation(request: AuthedRequest, pk: int) -> HttpResponse:
    sig = get_object_or_404(Signalisation.objects.select_related("peer", "ticket", "access"), pk=pk)
    name = request.POST.get("move", "") if request.method == "POST" else ""
    if name and not request.user.is_agent:
        raise PermissionDenied("Réservé aux agents du support.")
    move_forms = _forms(sig, request.POST, name)
    if name:
        form = move_forms.get(name)
        data: dict[str, Any] | None = {} if name == "accept" and sig.status == S.RESOLVED else None
        if form is not None and form.is_valid():
            data = form.cleaned_data
        move = _move(request, sig, name, data) if data is not None else None
        if move is not None:
            try:
                move()
            except actions.InteropError as exc:
                messages.error(request, exc.message)
            except FormatError as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                if form is None:
                    messages.error(request, " ".join(exc.messages))
                else:
                    add_errors_to_form(form, exc)
                    return _render_detail(request, sig, move_forms, status=400)
            else:
                messages.success(request, DONE[name])
                return redirect("interop:signalisation", pk=sig.pk)
        elif form is not None:
            return _render_detail(request, sig, move_forms, status=400)
    return _render_detail(request, sig, move_forms)


def _render_detail(
    request: AuthedRequest, sig: Signalisation, move_forms: dict[str, django_forms.Form], status: int = 200
) -> HttpResponse:
    context = {
        "sig": sig,
        "forms": move_forms,
        "proposals": [Slot.from_json(p) for p in sig.proposals],
        "appointment": Slot.from_json(sig.appointment) if sig.appointment else None,
        "can_act": request.user.is_agent,
        **journal_context(sig.messages.all()),
    }
    return render(request, "interop/signalisation.html", context, status=status)


@staff_required
def peer_journal(request: AuthedRequest, pk: int) -> HttpResponse:
    peer = get_object_or_404(InteropPeer, pk=pk)
    qs = (
        InteropMessage.objects.filter(peer=peer)
        .select_related("signalisation", "ticket")
        .order_by("-created_at", "-id")
    )
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "interop/peer_journal.html", {"peer": peer, "page": page})


@staff_required
def message(request: AuthedRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(InteropMessage.objects.select_related("peer", "signalisation", "ticket"), pk=pk)
    return render(request, "interop/message.html", {"record": record})
