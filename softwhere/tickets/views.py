"""Agent desk: the ticket grid, the new-ticket form, the ticket page and its actions.

Views stay thin: they scope objects with ``visible_to``, parse a form, call one
function of ``tickets.actions`` and turn its refusals into French messages.
A refused action changes nothing (each action runs in one transaction).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from softwhere.accounts.models import User
from softwhere.catalogue import leds
from softwhere.catalogue.models import ResolutionCase
from softwhere.comms.views import panel_context as comms_panel_context
from softwhere.core.validators import format_phone_national
from softwhere.core.views import AuthedRequest, add_errors_to_form, error_messages, staff_required
from softwhere.interop import actions as interop_actions
from softwhere.interop.actions import InteropError
from softwhere.interop.choices import Role as InteropRole
from softwhere.interop.models import ServedAccess, Signalisation
from softwhere.interop.services.lifecycle import FINAL as SIGNALISATION_FINAL
from softwhere.inventory.choices import AccessTechnology, GtrOption, ServiceKind
from softwhere.inventory.models import Equipment, Service
from softwhere.sla.api.views import live_clock_payload
from softwhere.sla.models import CarrierEscalation
from softwhere.sla.snapshots import live_clocks
from softwhere.triage import actions as triage_actions
from softwhere.triage.models import TriageCorrection, TriagePrediction

from . import actions, search
from .choices import FINISHED_STATUSES, OPEN_STATUSES, Level, ServiceState, TicketStatus
from .forms import (
    TRANSITION_FIELDS,
    AssignForm,
    ChecklistItemForm,
    CommentForm,
    LedReadingForm,
    OiEscalationForm,
    QualifyForm,
    TicketCreateForm,
    TicketEditForm,
    TicketFilterForm,
    TransitionForm,
    default_observation_end,
)
from .models import ChecklistItem, Ticket
from .transitions import TRANSITIONS, TicketError, available_transitions

logger = logging.getLogger(__name__)

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
            expr = expr.copy()
            if desc:
                expr.reverse_ordering()
            out.append(expr)
        elif getattr(expr, "name", "") in _NOT_NULL:
            # Plain ASC/DESC on non-null columns so PostgreSQL reads the composite indexes both ways.
            out.append(expr.desc() if desc else expr.asc())
        else:
            out.append(expr.desc(nulls_last=True) if desc else expr.asc(nulls_last=True))
    last_desc = bool(getattr(out[-1], "descending", False))
    return [*out, F("id").desc() if last_desc else F("id").asc()]


_NOT_NULL = {"reference", "priority", "created_at", "level", "status"}


def search_tickets(qs: QuerySet[Ticket], term: str) -> QuerySet[Ticket]:
    """Kept for callers of the former helper: the grid now uses ``tickets.search``."""
    return search.filter_tickets(qs, term)


def _filtered_tickets(
    request: AuthedRequest,
) -> tuple[TicketFilterForm, QuerySet[Ticket], str, str, int | None]:
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
    risque = f.get("sla")
    if risque:
        qs = qs.filter(pk__in=_sla_ticket_ids(risque))
    term = (f.get("q") or "").strip()
    sort = f.get("tri") or ""
    count: int | None = None
    if term:
        found = search.search(qs, term, header_only=not request.user.is_desk_staff)
        qs, count = found.queryset, found.capped_count
    if sort or not term:  # with a search and no explicit sort, keep the relevance order
        sort = sort or DEFAULT_SORT
        qs = qs.order_by(*_ordering(sort))
    return form, _grid_rows(qs), sort or "pertinence", term, count


def _grid_rows(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return qs.select_related("organisation", "site", "case", "assignee").only(*GRID_COLUMNS)


#: What a grid row shows (tickets/_grid.html). The rest of the rows (descriptions, the cases' checklists and
#: data files, the users' passwords…) stays in the database: at 50 rows a page, loading and decoding it was a
#: fifth of the page's time.
GRID_COLUMNS = (
    "reference", "subject", "priority", "service_state", "status", "level", "created_at",
    "organisation__name", "site__name", "case__number", "case__heading", "case__title",
    "assignee__username", "assignee__first_name", "assignee__last_name",
)  # fmt: skip


def _sla_ticket_ids(risque: str) -> QuerySet[Any]:
    """Tickets with a running clock due within two hours ("risque") or already past due ("depasse")."""
    from softwhere.sla.choices import ClockState
    from softwhere.sla.models import SlaClock

    now = timezone.now()
    clocks = SlaClock.objects.filter(state=ClockState.RUNNING, stopped_at__isnull=True)
    if risque == "risque":
        clocks = clocks.filter(due_at__gt=now, due_at__lte=now + timedelta(hours=2))
    else:
        clocks = SlaClock.objects.filter(
            Q(state=ClockState.BREACHED, stopped_at__isnull=True) | Q(state=ClockState.RUNNING, due_at__lte=now)
        )
    return clocks.values("ticket_id")


class CappedPaginator:
    """Offset pages without COUNT(*) over the table: the count stops at ``search.COUNT_CAP``.

    A page reads PAGE_SIZE + 1 rows in index order to know whether a next page exists.
    """

    def __init__(
        self,
        qs: QuerySet[Ticket],
        per_page: int,
        count: int | None = None,
        *,
        ids_first: QuerySet[Ticket] | None = None,
    ) -> None:
        self.qs, self.per_page = qs, per_page
        #: ``ids_first``: the ids of the first COUNT_CAP + 1 matches in page order, read once; a page's rows
        #: are then read by id from the ``ids_first`` queryset, without the filters that found them.
        self.ids: list[int] | None = None
        self.id_rows = ids_first
        if ids_first is not None and count is None:
            # One ordered read of the ids serves both the count and the page. For a filter that keeps a few
            # hundred tickets scattered over the table (SLA at risk), the planner otherwise joins companies,
            # sites, cases and agents to every match before sorting, and the count reads the matches again.
            self.ids = list(qs.values_list("pk", flat=True)[: search.COUNT_CAP + 1])
            count = len(self.ids)
        self.count = search.capped_count(qs) if count is None else count
        self.capped = self.count > search.COUNT_CAP
        self.num_pages = None if self.capped else max(1, -(-self.count // per_page))

    @property
    def count_label(self) -> str:
        if self.capped:
            return f"plus de {search.COUNT_CAP:,} tickets".replace(",", "\u202f")
        return f"{self.count} ticket{'s' if self.count > 1 else ''}"

    def get_page(self, number: Any) -> CappedPage:
        try:
            page = max(1, int(number))
        except (TypeError, ValueError):
            page = 1
        if self.num_pages is not None:
            page = min(page, self.num_pages)
        offset = (page - 1) * self.per_page
        end = offset + self.per_page + 1
        if self.ids is not None and self.id_rows is not None and (end <= len(self.ids) or not self.capped):
            found = {t.pk: t for t in self.id_rows.filter(pk__in=self.ids[offset:end])}
            rows = [found[pk] for pk in self.ids[offset:end] if pk in found]
        elif offset == 0:
            rows = list(self.qs[: self.per_page + 1])
        else:
            # Deeper pages walk the index for the ids alone, then read whole rows for those 51 only: the
            # join with companies, sites, cases and agents no longer runs for every skipped row
            # (page 20: 8 → 1 ms of SQL at 1 000 000 tickets).
            rows = self._rows(list(self.qs.values_list("pk", flat=True)[offset:end]))
        return CappedPage(self, page, rows[: self.per_page], has_next=len(rows) > self.per_page)

    def _rows(self, ids: list[int]) -> list[Ticket]:
        """Whole rows for ``ids``, in the order of ``ids``, with ``qs``'s annotations (search snippets)."""
        if not ids:
            return []
        found = {t.pk: t for t in self.qs.order_by().filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]


class CappedPage:
    def __init__(self, paginator: CappedPaginator, number: int, rows: list[Ticket], *, has_next: bool) -> None:
        self.paginator, self.number, self.object_list = paginator, number, rows
        self._has_next = has_next

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


@staff_required
def ticket_list(request: AuthedRequest) -> HttpResponse:
    """The grid of seed 004: one line per ticket, filters, column sort and search."""
    term = request.GET.get("q", "").strip()
    if term and not request.htmx:  # type: ignore[attr-defined]
        exact = Ticket.objects.visible_to(request.user).filter(reference=term).only("reference").first()
        if exact is not None:
            return redirect("tickets:detail", exact.reference)
    form, qs, sort, term, count = _filtered_tickets(request)
    # The SLA filters keep a few hundred tickets scattered over the table: see CappedPaginator.
    ids_first = _grid_rows(Ticket.objects.visible_to(request.user)) if form.cleaned_data.get("sla") else None
    page = CappedPaginator(qs, PAGE_SIZE, count, ids_first=ids_first).get_page(request.GET.get("page"))
    for ticket in page:
        ticket.search_html = search.highlight(getattr(ticket, "search_snippet", ""))
    columns = []
    for key, label in COLUMNS:
        active = sort.lstrip("-") == key
        descending = active and sort.startswith("-")
        columns.append(
            {
                "key": key,
                "label": label,
                "active": active,
                "descending": descending,
                "next": f"-{key}" if active and not descending else key,
            }
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
                    client_reference=data["client_reference"],
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
    # The two agents (assignee, creator) in one query of their own: planning the ticket joined with six
    # tables cost PostgreSQL more (≈ 2 ms) than running it. The case's data file is not shown on the page.
    qs = (
        Ticket.objects.visible_to(request.user)
        .select_related("organisation", "site", "case", "reporter")
        .defer("case__file_data", "case__examples")
    )
    ticket = get_object_or_404(qs, reference=reference)
    agents = User.objects.in_bulk([pk for pk in (ticket.assignee_id, ticket.created_by_id) if pk is not None])
    for descriptor, pk in ((Ticket.assignee, ticket.assignee_id), (Ticket.created_by, ticket.created_by_id)):
        descriptor.field.set_cached_value(ticket, agents.get(pk) if pk is not None else None)
    return ticket


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
            {
                "name": t.name,
                "label": t.label,
                "style": style,
                "icon": icon,
                "fields": [form[f] for f in TRANSITION_FIELDS.get(t.name, ())],
            }
        )
    site_equipment = Equipment.objects.filter(site_id=ticket.site_id) if ticket.site_id else None
    available = list(site_equipment) if site_equipment is not None else []
    readings = list(ticket.led_readings.select_related("recorded_by", "equipment"))
    memos = leds.load_memos()
    led_forms = []
    for kind, memo in memos.items():
        done_before = any(r.device == kind and r.phase == "before" for r in readings)
        led_forms.append(
            LedReadingForm(
                memo=memo,
                equipment=site_equipment,
                available=available,
                initial={"phase": "after" if done_before else "before"},
            )
        )
    edit_form = TicketEditForm(initial={f: getattr(ticket, f) for f in TicketEditForm.base_fields})
    return {
        "triage": _panel("triage", lambda: _triage_panel(ticket)),
        "diagnostics_url": reverse("diagnostics:panel", args=[ticket.reference]),
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


# --- Panels of other apps on the ticket page ---------------------------------------------------------------


def _panel(name: str, build: Callable[[], dict[str, Any] | None]) -> dict[str, Any] | None:
    """Build one app's panel; a failure shows « indisponible » instead of breaking the whole ticket page."""
    try:
        return build()
    except Exception:
        logger.exception("ticket page: %s panel failed", name)
        return {"error": True}


def _sla_panel(ticket: Ticket, now: datetime) -> dict[str, Any]:
    """Clocks replayed from the timeline at ``now`` (same payload as the SLA API), carrier deadlines, penalties."""
    clocks = [live_clock_payload(c) for c in live_clocks(ticket, now)]
    for clock in clocks:
        target = clock["target_minutes"] or 1
        clock["used_percent"] = max(0, min(100, round(clock["consumed_minutes"] * 100 / target)))
    escalations = list(CarrierEscalation.objects.filter(ticket=ticket).order_by("started_at"))
    for esc in escalations:
        esc.overdue = esc.is_overdue(now)
    return {
        "clocks": clocks,
        "escalations": escalations,
        "penalty_total": sum((c["penalty"]["amount_eur"] for c in clocks if c["penalty"]), Decimal("0")),
        "now": now,
    }


def _local(iso: str) -> str:
    try:
        return timezone.localtime(datetime.fromisoformat(iso)).strftime("%d/%m/%Y %H:%M")
    except (TypeError, ValueError):
        return iso


def triage_facts(entities: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Extracted facts as (French label, displayable values), only the kinds that were found."""
    e = entities or {}
    facts: list[tuple[str, list[str]]] = [
        ("Numéros de téléphone", [format_phone_national(p) for p in e.get("phones", [])]),
        (
            "Plages de numéros",
            [
                f"{format_phone_national(r['start'])} → {format_phone_national(r['end'])} ({r['count']} n°)"
                for r in e.get("number_ranges", [])
            ],
        ),
        ("Adresses IP", [*e.get("ipv4", []), *e.get("ipv6", [])]),
        ("Adresses MAC", list(e.get("macs", []))),
        ("SIRET", list(e.get("sirets", []))),
        (
            "Références de tickets",
            [
                r["reference"] if r.get("issuer") == "softwhere" else f"{r['reference']} ({r.get('issuer')})"
                for r in e.get("ticket_refs", [])
            ],
        ),
        ("Opérateurs", list(e.get("carriers", []))),
        ("Équipements", [" ".join(p for p in (q.get("brand"), q.get("model")) if p) for q in e.get("equipment", [])]),
        ("Voyants", [str(led.get("text", "")) for led in e.get("leds", [])]),
        ("Dates et heures", [f"« {t.get('text', '')} » : {_local(t.get('at', ''))}" for t in e.get("times", [])]),
    ]
    return [(label, values) for label, values in facts if values]


def _triage_panel(ticket: Ticket) -> dict[str, Any] | None:
    """The latest stored prediction: top 3 with confidence, « à qualifier » below the threshold, facts, agent choice."""
    prediction: TriagePrediction | None = triage_actions.latest_prediction(ticket)
    if prediction is None:
        return None
    top = prediction.top[:3]
    cases = ResolutionCase.objects.in_bulk([t["case"] for t in top])
    choice = (
        TriageCorrection.objects.filter(ticket=ticket, created_at__gte=prediction.created_at)
        .select_related("agent", "chosen_case")
        .order_by("-created_at", "-id")
        .first()
    )
    return {
        "prediction": prediction,
        "to_qualify": prediction.case_id is None,
        "confidence": round(prediction.confidence * 100),
        "threshold": round(prediction.threshold * 100),
        "top": [
            {
                "case": cases.get(t["case"]),
                "case_id": t["case"],
                "percent": round(float(t["score"]) * 100),
                "proposed": t["case"] == prediction.case_id,
                "current": t["case"] == ticket.case_id,
            }
            for t in top
        ],
        "facts": triage_facts(prediction.entities),
        "choice": choice,
    }


def _interop_panel(ticket: Ticket, user: Any) -> dict[str, Any] | None:
    """The escalation form, when an agent may signal this ticket's fibre access to an OI (journal: interop's tag)."""
    if not (user.is_agent and ticket.is_open):
        return None
    if Signalisation.objects.filter(ticket=ticket).exclude(status__in=SIGNALISATION_FINAL).exists():
        return None  # one open signalisation at a time (``escalate_to_oi`` would return it)
    peers = sorted(
        {
            str(name)
            for name in ServedAccess.objects.filter(
                access__in=ticket.services.all(),
                access__technology=AccessTechnology.FIBRE,
                peer__is_active=True,
                peer__peer_role=InteropRole.OI,
            ).values_list("peer__name", flat=True)
        }
    )
    if not peers:
        return None
    return {"peers": peers, "form": OiEscalationForm()}


@staff_required
def ticket_detail(request: AuthedRequest, reference: str) -> HttpResponse:
    ticket = _get_ticket(request, reference)
    return render(request, "tickets/detail.html", _ticket_context(request, ticket))


# The panels the ticket page fetches once shown (``tickets/_lazy_panel.html``): SLA clocks replayed from the
# timeline, the mails and SMS, the inter-operator exchange. Together they cost as much as the rest of the page;
# each is its own request, so the agent reads the ticket without waiting for them.
LAZY_PANELS: dict[str, tuple[str, Callable[[AuthedRequest, Ticket], dict[str, Any]]]] = {
    "sla": (
        "tickets/_panel_sla.html",
        lambda request, ticket: {"sla": _panel("sla", lambda: _sla_panel(ticket, timezone.now()))},
    ),
    "interop": (
        "tickets/_panel_interop.html",
        lambda request, ticket: {"interop": _panel("interop", lambda: _interop_panel(ticket, request.user))},
    ),
    "comms": ("comms/_panel.html", lambda request, ticket: comms_panel_context(ticket, request.user)),
}


@staff_required
def ticket_panel(request: AuthedRequest, reference: str, name: str) -> HttpResponse:
    """One lazy panel of the ticket page (HTMX fragment)."""
    if name not in LAZY_PANELS:
        raise Http404("Panneau inconnu.")
    ticket = get_object_or_404(
        Ticket.objects.visible_to(request.user).select_related("organisation", "site"), reference=reference
    )
    template, build = LAZY_PANELS[name]
    return render(request, template, {"ticket": ticket, **build(request, ticket)})


@staff_required
def ticket_timeline(request: AuthedRequest, reference: str) -> HttpResponse:
    """Timeline fragment, re-fetched by HTMX after a checklist tick."""
    ticket = _get_ticket(request, reference)
    return render(request, "tickets/_timeline.html", {"ticket": ticket, "timeline": _timeline(ticket)})


def _attempt(request: AuthedRequest, action: Callable[[], Any], success: str) -> bool:
    """Run one action; a refusal becomes French error messages (the action's transaction changed nothing)."""
    try:
        action()
    except (TicketError, ValidationError, PermissionDenied, InteropError) as exc:
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
        {
            "item": item,
            "ticket": ticket,
            "error": error,
            "can_work": request.user.is_agent and ticket.is_open,
            "is_n2": request.user.is_n2,
            # Out-of-band refresh of the "3/4 · en cours" counter in the card header.
            "progress_oob": True,
            "n1_total": n1_items.count(),
            "n1_done": n1_items.filter(done=True).count(),
        },
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


@require_POST
@staff_required
def triage_choice(request: AuthedRequest, reference: str) -> HttpResponse:
    """Accept one of triage's proposals or correct it: stored for the next training, then the ticket is qualified."""
    ticket = _get_ticket(request, reference)
    form = QualifyForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(ticket, "triage")
    case = form.cleaned_data["case"]
    _attempt(
        request,
        lambda: triage_actions.record_agent_choice(ticket, actor=request.user, case=case),
        f"Choix enregistré, ticket qualifié : {case.number}. {case.title}",
    )
    return _back(ticket, "triage")


@require_POST
@staff_required
def triage_run(request: AuthedRequest, reference: str) -> HttpResponse:
    """Run triage on a ticket that has no proposal yet (e.g. opened by phone); above the threshold it qualifies."""
    ticket = _get_ticket(request, reference)
    if not request.user.is_agent:
        raise PermissionDenied("Action réservée aux agents du support.")
    prediction = triage_actions.prequalify_ticket(ticket, actor=request.user)
    if prediction.case_id:
        messages.success(request, f"Triage : cas proposé avec {round(prediction.confidence * 100)} % de confiance.")
    else:
        messages.info(request, "Triage : confiance insuffisante, ticket à qualifier.")
    return _back(ticket, "triage")


@require_POST
@staff_required
def escalate_oi(request: AuthedRequest, reference: str) -> HttpResponse:
    """Signal the ticket's fibre access to the infrastructure operator (OI) that serves it."""
    ticket = _get_ticket(request, reference)
    form = OiEscalationForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(ticket, "interop")
    data = form.cleaned_data
    _attempt(
        request,
        lambda: interop_actions.escalate_to_oi(
            ticket, actor=request.user, nature=data["nature"] or None, preloc=data["preloc"], comment=data["comment"]
        ),
        "Signalisation déposée auprès de l'OI.",
    )
    return _back(ticket, "interop")
