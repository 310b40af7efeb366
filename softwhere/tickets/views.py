"""Agent desk: the ticket grid, the new-ticket form, the ticket page and its actions.

Views stay thin: they scope objects with ``visible_to``, parse a form, call one
function of ``tickets.actions`` and turn its refusals into French messages.
A refused action changes nothing (each action runs in one transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from softwhere.catalogue import leds
from softwhere.core.validators import normalize_phone
from softwhere.core.views import AuthedRequest, add_errors_to_form, error_messages, staff_required
from softwhere.customers.models import Contact
from softwhere.inventory.choices import GtrOption, ServiceKind
from softwhere.inventory.models import Equipment, MobileLine, NumberRange, Service

from . import actions
from .choices import FINISHED_STATUSES, OPEN_STATUSES, Level, ServiceState, TicketStatus
from .forms import (
    TRANSITION_FIELDS,
    AssignForm,
    ChecklistItemForm,
    CommentForm,
    LedReadingForm,
    QualifyForm,
    TicketCreateForm,
    TicketEditForm,
    TicketFilterForm,
    TransitionForm,
    default_observation_end,
)
from .models import ChecklistItem, Ticket
from .transitions import TRANSITIONS, TicketError, available_transitions

PAGE_SIZE = 50

# --- Ticket grid -----------------------------------------------------------------------------------------


def _declared_order(field: str, values: list[str]) -> Case:
    """Sort a choice column in its business order (e.g. interrompu before dégradé), not alphabetically."""
    return Case(*(When(**{field: v}, then=Value(i)) for i, v in enumerate(values)), output_field=IntegerField())


# Grid columns (sort key, header) in seed 004's order; "age" ascending means youngest first.
COLUMNS: list[tuple[str, str]] = [
    ("reference", "Référence"),
    ("societe", "Raison sociale"),
    ("site", "Site"),
    ("cas", "Cas"),
    ("service", "État du service"),
    ("etat", "État"),
    ("niveau", "Niveau"),
    ("age", "Âge"),
    ("affecte", "Affecté à"),
    ("priorite", "Priorité"),
]


def _sort_expressions(key: str) -> list[Any]:
    sorts: dict[str, list[Any]] = {
        "reference": [F("reference")],
        "societe": [F("organisation__name"), F("created_at")],
        "site": [F("site__name"), F("created_at")],
        "cas": [F("case__number"), F("created_at")],
        "service": [_declared_order("service_state", list(ServiceState.values)), F("created_at")],
        "etat": [_declared_order("status", list(TicketStatus.values)), F("created_at")],
        "niveau": [F("level"), F("created_at")],
        "age": [F("created_at").desc()],
        "affecte": [F("assignee__last_name"), F("assignee__username")],
        "priorite": [F("priority"), F("created_at")],
    }
    return sorts[key]


DEFAULT_SORT = "priorite"


def _ordering(sort: str) -> list[Any]:
    desc = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in dict(COLUMNS):
        key, desc = DEFAULT_SORT, False
    exprs = _sort_expressions(key)
    out = []
    for expr in exprs:
        if hasattr(expr, "descending"):  # already an OrderBy: flip it for a descending column
            out.append(expr.copy().reverse_ordering() if desc else expr)
        else:
            out.append(expr.desc(nulls_last=True) if desc else expr.asc(nulls_last=True))
    return [*out, F("id").desc()]


def search_tickets(qs: QuerySet[Ticket], term: str) -> QuerySet[Ticket]:
    """Reference, company, carrier reference, or any phone number (contacts, number ranges, mobile lines)."""
    term = term.strip()
    service_links = Ticket.services.through.objects
    cond = (
        Q(reference__istartswith=term)
        | Q(organisation__name__icontains=term)
        | Q(carrier_ticket_reference__icontains=term)
        | Q(subject__icontains=term)
        | Q(
            pk__in=service_links.filter(
                service__in=Service.objects.filter(carrier_reference__icontains=term).values("pk")
            ).values("ticket_id")
        )
    )
    digits = sum(ch.isdigit() for ch in term)
    if digits >= 9:
        try:
            e164 = normalize_phone(term)
        except ValidationError:
            e164 = ""
        if e164:
            ranges = NumberRange.objects.filter(first_number__lte=e164, last_number__gte=e164)
            mobiles = MobileLine.objects.filter(msisdn=e164)
            cond |= Q(organisation__in=Contact.objects.filter(Q(phone=e164) | Q(mobile=e164)).values("organisation"))
            cond |= Q(site__in=ranges.values("voice_service__site")) | Q(site__in=mobiles.values("site"))
            number_services = Service.objects.filter(
                Q(pk__in=ranges.values("voice_service")) | Q(pk__in=mobiles.values("pk"))
            )
            cond |= Q(pk__in=service_links.filter(service__in=number_services.values("pk")).values("ticket_id"))
    return qs.filter(cond)


def _filtered_tickets(request: AuthedRequest) -> tuple[TicketFilterForm, QuerySet[Ticket], str, str]:
    data = request.GET.copy()
    data.setdefault("etat", "tous" if data.get("q") else "ouverts")
    form = TicketFilterForm(data, user=request.user)
    qs = Ticket.objects.visible_to(request.user)
    form.is_valid()  # an invalid filter is ignored; the valid ones still apply
    f: dict[str, Any] = form.cleaned_data
    etat = f.get("etat") or "ouverts"
    if etat == "ouverts":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif etat == "actifs":
        qs = qs.exclude(status__in=FINISHED_STATUSES)
    elif etat in TicketStatus.values:
        qs = qs.filter(status=etat)
    if f.get("niveau"):
        qs = qs.filter(level=f["niveau"])
    if f.get("service"):
        qs = qs.filter(service_state=f["service"])
    if f.get("organisation"):
        qs = qs.filter(organisation=f["organisation"])
    affecte = f.get("affecte")
    if affecte == "moi":
        qs = qs.filter(assignee=request.user)
    elif affecte == "aucun":
        qs = qs.filter(assignee__isnull=True)
    elif affecte:
        qs = qs.filter(assignee_id=affecte)
    famille = f.get("famille")
    if famille == "aucun":
        qs = qs.filter(case__isnull=True)
    elif famille:
        qs = qs.filter(case__family=famille)
    if f.get("cas"):
        qs = qs.filter(case_id=f["cas"])
    term = (f.get("q") or "").strip()
    if term:
        qs = search_tickets(qs, term)
    sort = f.get("tri") or DEFAULT_SORT
    qs = qs.select_related("organisation", "site", "case", "assignee").order_by(*_ordering(sort))
    return form, qs, sort, term


@staff_required
def ticket_list(request: AuthedRequest) -> HttpResponse:
    """The grid of seed 004: one line per ticket, filters, column sort and search."""
    term = request.GET.get("q", "").strip()
    if term and not request.htmx:  # type: ignore[attr-defined]
        exact = Ticket.objects.visible_to(request.user).filter(reference=term).only("reference").first()
        if exact is not None:
            return redirect("tickets:detail", exact.reference)
    form, qs, sort, term = _filtered_tickets(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    columns = []
    for key, label in COLUMNS:
        active = sort.lstrip("-") == key
        descending = active and sort.startswith("-")
        columns.append(
            {"key": key, "label": label, "active": active, "descending": descending,
             "next": f"-{key}" if active and not descending else key}
        )
    context = {"form": form, "page": page, "columns": columns, "term": term}
    template = "tickets/_grid.html" if request.htmx else "tickets/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


# --- New ticket -------------------------------------------------------------------------------------------


@staff_required
def ticket_create(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        form = TicketCreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = actions.create_ticket(
                    actor=request.user,
                    organisation=data["organisation"],
                    site=data["site"],
                    services=data["services"],
                    equipment=data["equipment"],
                    reporter=data["reporter"],
                    subject=data["subject"],
                    description=data["description"],
                    service_state=data["service_state"],
                    priority=data["priority"],
                    channel=data["channel"],
                    case=data["case"],
                )
            except ValidationError as exc:
                add_errors_to_form(form, exc)
            else:
                messages.success(request, f"Ticket {ticket.reference} créé.")
                return redirect("tickets:detail", ticket.reference)
    else:
        # GET also serves the HTMX refresh of the dependent fields (organisation → site → services).
        initial: dict[str, Any] = {k: request.GET.get(k) for k in request.GET if k not in ("services", "equipment")}
        initial["services"] = request.GET.getlist("services")
        initial["equipment"] = request.GET.getlist("equipment")
        initial.setdefault("priority", 3)
        initial.setdefault("channel", "phone")
        form = TicketCreateForm(initial=initial, user=request.user)
    return render(request, "tickets/create.html", {"form": form})


# --- Ticket page ------------------------------------------------------------------------------------------


def _get_ticket(request: AuthedRequest, reference: str) -> Ticket:
    qs = Ticket.objects.visible_to(request.user).select_related(
        "organisation", "site", "case", "assignee", "created_by", "reporter"
    )
    return get_object_or_404(qs, reference=reference)


TRANSITION_STYLE: dict[str, tuple[str, str]] = {
    "take": ("btn-primary", "hand-index"),
    "escalate": ("btn-outline-danger", "arrow-up-circle"),
    "return_to_n1": ("btn-outline-secondary", "arrow-down-circle"),
    "wait_client": ("btn-outline-secondary", "hourglass-split"),
    "wait_carrier": ("btn-outline-secondary", "building"),
    "resume": ("btn-outline-primary", "play-circle"),
    "resolve": ("btn-success", "check-circle"),
    "observe": ("btn-outline-success", "eye"),
    "request_closure": ("btn-outline-secondary", "envelope-check"),
    "close": ("btn-dark", "lock"),
    "cancel": ("btn-outline-secondary", "x-circle"),
    "reopen": ("btn-outline-primary", "arrow-counterclockwise"),
}


TRANSITION_DONE: dict[str, str] = {
    "take": "Ticket pris en charge.",
    "escalate": "Ticket escaladé en N2.",
    "return_to_n1": "Ticket renvoyé en N1.",
    "wait_client": "Ticket en attente du client.",
    "wait_carrier": "Ticket en attente de l'opérateur.",
    "resume": "Traitement repris.",
    "resolve": "Ticket déclaré rétabli.",
    "observe": "Ticket mis en observation.",
    "request_closure": "Clôture demandée au client.",
    "close": "Ticket clôturé.",
    "cancel": "Ticket annulé.",
    "reopen": "Ticket rouvert.",
}


def _timeline(ticket: Ticket, public_only: bool = False) -> QuerySet[Any]:
    qs = ticket.timeline.select_related("author").order_by("-created_at", "-id")
    return qs.filter(visibility="public") if public_only else qs


def _ticket_context(request: AuthedRequest, ticket: Ticket) -> dict[str, Any]:
    user = request.user
    services = list(
        ticket.services.select_related("access", "voiceservice", "mobileline").prefetch_related(
            "voiceservice__number_ranges"
        )
    )
    equipment = list(ticket.equipment.all())
    accesses: list[Any] = [s.specific() for s in services if s.kind == ServiceKind.ACCESS]
    gtr_from_site = False
    if not accesses and ticket.site_id:
        site_services = Service.objects.filter(site_id=ticket.site_id, kind=ServiceKind.ACCESS).select_related("access")
        accesses = [s.specific() for s in site_services]
        gtr_from_site = True
    gtr = [a for a in accesses if getattr(a, "gtr_option", GtrOption.NONE) != GtrOption.NONE]

    checklist = list(ticket.checklist_items.select_related("done_by"))
    transitions = []
    for t in available_transitions(ticket, user):
        style, icon = TRANSITION_STYLE.get(t.name, ("btn-outline-secondary", "arrow-right"))
        form = TransitionForm(
            prefix=t.name,
            initial={
                "carrier": ticket.carrier,
                "carrier_ticket_reference": ticket.carrier_ticket_reference,
                "observation_until": default_observation_end(),
            },
        )
        transitions.append(
            {"name": t.name, "label": t.label, "style": style, "icon": icon,
             "fields": [form[f] for f in TRANSITION_FIELDS.get(t.name, ())]}
        )
    site_equipment = Equipment.objects.filter(site_id=ticket.site_id) if ticket.site_id else None
    readings = list(ticket.led_readings.select_related("recorded_by", "equipment"))
    memos = leds.load_memos()
    led_forms = []
    for kind, memo in memos.items():
        done_before = any(r.device == kind and r.phase == "before" for r in readings)
        led_forms.append(
            LedReadingForm(memo=memo, equipment=site_equipment, initial={"phase": "after" if done_before else "before"})
        )
    edit_form = TicketEditForm(
        initial={f: getattr(ticket, f) for f in TicketEditForm.base_fields}
    )
    return {
        "ticket": ticket,
        "services": services,
        "equipment": equipment,
        "gtr": gtr,
        "gtr_from_site": gtr_from_site,
        "transitions": transitions,
        "checklist_n1": [i for i in checklist if i.level == Level.N1],
        "checklist_n2": [i for i in checklist if i.level == Level.N2],
        "n1_complete": bool(checklist) and all(i.done for i in checklist if i.level == Level.N1),
        "n1_total": sum(1 for i in checklist if i.level == Level.N1),
        "n1_done": sum(1 for i in checklist if i.level == Level.N1 and i.done),
        "can_work": user.is_agent and ticket.is_open,
        "is_n2": user.is_n2,
        "timeline": _timeline(ticket),
        "readings": readings,
        "led_forms": led_forms,
        "led_memos": memos,
        "comment_form": CommentForm(),
        "assign_form": AssignForm(initial={"assignee": ticket.assignee_id}),
        "qualify_form": QualifyForm(initial={"case": ticket.case_id}),
        "edit_form": edit_form,
    }


@staff_required
def ticket_detail(request: AuthedRequest, reference: str) -> HttpResponse:
    ticket = _get_ticket(request, reference)
    return render(request, "tickets/detail.html", _ticket_context(request, ticket))


@staff_required
def ticket_timeline(request: AuthedRequest, reference: str) -> HttpResponse:
    """Timeline fragment, re-fetched by HTMX after a checklist tick."""
    ticket = _get_ticket(request, reference)
    return render(request, "tickets/_timeline.html", {"ticket": ticket, "timeline": _timeline(ticket)})


def _attempt(request: AuthedRequest, action: Callable[[], Any], success: str) -> bool:
    """Run one action; a refusal becomes French error messages (the action's transaction changed nothing)."""
    try:
        action()
    except (TicketError, ValidationError, PermissionDenied) as exc:
        for line in error_messages(exc):
            messages.error(request, line)
        return False
    messages.success(request, success)
    return True


def _back(ticket: Ticket, anchor: str = "") -> HttpResponse:
    return redirect(reverse("tickets:detail", args=[ticket.reference]) + (f"#{anchor}" if anchor else ""))


def _form_errors(request: AuthedRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label} : {error}" if label else error)


@require_POST
@staff_required
def ticket_transition(request: AuthedRequest, reference: str, name: str) -> HttpResponse:
    ticket = _get_ticket(request, reference)
    if name not in TRANSITIONS:
        raise Http404("Transition inconnue.")
    form = TransitionForm(request.POST, prefix=name)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(ticket)
    _attempt(
        request,
        lambda: actions.transition_ticket(ticket, name, actor=request.user, **form.params(name)),
        TRANSITION_DONE.get(name, f"{TRANSITIONS[name].label} : fait."),
    )
    return _back(ticket)


@require_POST
@staff_required
def ticket_qualify(request: AuthedRequest, reference: str) -> HttpResponse:
    ticket = _get_ticket(request, reference)
    form = QualifyForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(ticket)
    case = form.cleaned_data["case"]
    _attempt(
        request,
        lambda: actions.qualify_ticket(ticket, actor=request.user, case=case),
        f"Ticket qualifié : {case.number}. {case.title}",
    )
    return _back(ticket, "checklist")


@require_POST
@staff_required
def ticket_assign(request: AuthedRequest, reference: str) -> HttpResponse:
    ticket = _get_ticket(request, reference)
    form = AssignForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(ticket)
    assignee = form.cleaned_data["assignee"]
    _attempt(
        request,
        lambda: actions.assign_ticket(ticket, actor=request.user, assignee=assignee),
        f"Ticket affecté à {assignee}." if assignee else "Ticket désaffecté.",
    )
    return _back(ticket)


@require_POST
@staff_required
def ticket_comment(request: AuthedRequest, reference: str) -> HttpResponse:
    ticket = _get_ticket(request, reference)
    form = CommentForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(ticket, "historique")
    _attempt(
        request,
        lambda: actions.add_comment(
            ticket, actor=request.user, body=form.cleaned_data["body"], visibility=form.cleaned_data["visibility"]
        ),
        "Commentaire ajouté.",
    )
    return _back(ticket, "historique")


@require_POST
@staff_required
def ticket_edit(request: AuthedRequest, reference: str) -> HttpResponse:
    ticket = _get_ticket(request, reference)
    form = TicketEditForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(ticket)
    changes = {f: v for f, v in form.cleaned_data.items() if getattr(ticket, f) != v}
    if not changes:
        messages.info(request, "Aucune modification.")
        return _back(ticket)
    _attempt(request, lambda: actions.update_ticket(ticket, actor=request.user, **changes), "Ticket mis à jour.")
    return _back(ticket)


@require_POST
@staff_required
def checklist_item(request: AuthedRequest, reference: str, item_id: int) -> HttpResponse:
    """Tick / untick a checklist line with its note; answers HTMX with the redrawn line."""
    ticket = _get_ticket(request, reference)
    items: QuerySet[ChecklistItem] = ChecklistItem.objects.visible_to(request.user)
    item = get_object_or_404(items, ticket=ticket, pk=item_id)
    form = ChecklistItemForm(request.POST)
    error = ""
    changed = False
    if form.is_valid():
        try:
            actions.set_checklist_item(
                item, actor=request.user, done=form.cleaned_data["done"], note=form.cleaned_data["note"]
            )
            changed = True
        except (TicketError, ValidationError) as exc:
            error = " ".join(error_messages(exc))
    else:
        error = "Saisie invalide."
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, error)
        return _back(ticket, "checklist")
    item.refresh_from_db()
    ticket.refresh_from_db()
    n1_items = ChecklistItem.objects.filter(ticket=ticket, level=Level.N1)
    response = render(
        request,
        "tickets/_checklist_item.html",
        {"item": item, "ticket": ticket, "error": error,
         "can_work": request.user.is_agent and ticket.is_open, "is_n2": request.user.is_n2,
         # Out-of-band refresh of the "3/4 · en cours" counter in the card header.
         "progress_oob": True, "n1_total": n1_items.count(), "n1_done": n1_items.filter(done=True).count()},
    )
    if changed:
        response["HX-Trigger"] = "timelineChanged"
    return response


@require_POST
@staff_required
def led_reading(request: AuthedRequest, reference: str, device: str) -> HttpResponse:
    ticket = _get_ticket(request, reference)
    memos = leds.load_memos()
    if device not in memos:
        raise Http404("Équipement inconnu.")
    site_equipment = Equipment.objects.filter(site_id=ticket.site_id) if ticket.site_id else None
    form = LedReadingForm(request.POST, memo=memos[device], equipment=site_equipment)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(ticket, "voyants")
    states = form.states()
    _attempt(
        request,
        lambda: actions.record_led_reading(
            ticket,
            actor=request.user,
            device=device,
            phase=form.cleaned_data["phase"],
            states=states,
            equipment=form.cleaned_data["equipment"],
        ),
        "Relevé enregistré : " + leds.report_label(device, states, form.cleaned_data["phase"]),
    )
    return _back(ticket, "voyants")
