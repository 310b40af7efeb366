"""Read views of the customer inventory: companies, their contacts and sites.

Open to every signed-in user, scoped by ``visible_to``: staff see every company,
a partner its own and its clients', a client only its own; others are a 404.
Edits go through the Django admin (INVENTORY_EDITORS).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from softwhere.core.text import Folded, fold_name
from softwhere.core.views import AuthedRequest
from softwhere.inventory.models import Equipment, Service
from softwhere.tickets.choices import OPEN_STATUSES
from softwhere.tickets.models import Ticket

from .choices import OrganisationKind
from .models import Contact, Organisation, Site


def _count(qs: object) -> Coalesce:
    """A correlated COUNT subquery: one number per row without multiplying joins."""
    return Coalesce(Subquery(qs, output_field=IntegerField()), 0)  # type: ignore[arg-type]


def _open_tickets_of(**outer: str) -> object:
    return (
        Ticket.objects.filter(status__in=OPEN_STATUSES, **{k: OuterRef(v) for k, v in outer.items()})
        .order_by()
        .values(*outer.keys())
        .annotate(n=Count("pk"))
        .values("n")
    )


def company_search(qs: QuerySet[Organisation], term: str) -> QuerySet[Organisation]:
    """Name (accents and case ignored) or city contains the term, or the SIRET starts with it (spaces ignored)."""
    return qs.annotate(folded_name=Folded("name")).filter(
        Q(folded_name__contains=fold_name(term)) | Q(siret__startswith=term.replace(" ", "")) | Q(city__icontains=term)
    )


OPTION_LIMIT = 50


@login_required
def company_options(request: AuthedRequest) -> HttpResponse:
    """``<option>`` list of matching companies for ``core.widgets.SearchableSelect`` (HTMX)."""
    field = request.GET.get("champ", "")
    term = request.GET.get(f"{field}_recherche", "").strip() if field else ""
    qs = Organisation.objects.visible_to(request.user).exclude(kind=OrganisationKind.OPERATOR)
    if request.GET.get("actifs") == "1":
        qs = qs.filter(is_active=True)
    companies = (
        list(company_search(qs, term).order_by("name", "pk").only("id", "name")[: OPTION_LIMIT + 1]) if term else []
    )
    return render(
        request,
        "customers/_options.html",
        {
            "empty": request.GET.get("vide", ""),
            "companies": companies[:OPTION_LIMIT],
            "more": len(companies) > OPTION_LIMIT,
            "term": term,
        },
    )


@login_required
def company_list(request: AuthedRequest) -> HttpResponse:
    qs = Organisation.objects.visible_to(request.user).exclude(kind=OrganisationKind.OPERATOR)
    term = request.GET.get("q", "").strip()
    if term:
        qs = company_search(qs, term)
    kind = request.GET.get("type", "")
    if kind in OrganisationKind.values:
        qs = qs.filter(kind=kind)
    sites = (
        Site.objects.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = qs.select_related("partner").annotate(
        site_count=_count(sites), open_tickets=_count(_open_tickets_of(organisation="pk"))
    )
    page = Paginator(qs.order_by("name"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "customers/company_list.html",
        {
            "page": page,
            "term": term,
            "kind": kind,
            "kinds": [c for c in OrganisationKind.choices if c[0] != "operator"],
        },
    )


@login_required
def company_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organisation.objects.visible_to(request.user).select_related("partner"), pk=pk)
    contacts = Contact.objects.visible_to(request.user).filter(organisation=org).select_related("site")
    sites = (
        Site.objects.visible_to(request.user)
        .filter(organisation=org)
        .annotate(
            service_count=_count(
                Service.objects.filter(site=OuterRef("pk"))
                .order_by()
                .values("site")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            open_tickets=_count(_open_tickets_of(site="pk")),
        )
    )
    tickets = (
        Ticket.objects.visible_to(request.user)
        .filter(organisation=org)
        .select_related("site", "case", "assignee")
        .order_by("-created_at")[:20]
    )
    clients = org.clients.visible_to(request.user).order_by("name") if org.kind == OrganisationKind.PARTNER else None
    return render(
        request,
        "customers/company_detail.html",
        {"org": org, "contacts": contacts, "sites": sites, "tickets": tickets, "clients": clients},
    )


@login_required
def site_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(Site.objects.visible_to(request.user).select_related("organisation"), pk=pk)
    services = (
        Service.objects.visible_to(request.user)
        .filter(site=site)
        .select_related("access", "voiceservice", "mobileline")
        .prefetch_related(Prefetch("voiceservice__number_ranges"))
    )
    equipment = Equipment.objects.visible_to(request.user).filter(site=site).select_related("service")
    contacts = Contact.objects.visible_to(request.user).filter(site=site)
    tickets = (
        Ticket.objects.visible_to(request.user)
        .filter(site=site)
        .select_related("case", "assignee")
        .order_by("-created_at")[:20]
    )
    return render(
        request,
        "customers/site_detail.html",
        {
            "site": site,
            "services": [s.specific() for s in services],
            "equipment": equipment,
            "contacts": contacts,
            "tickets": tickets,
        },
    )
