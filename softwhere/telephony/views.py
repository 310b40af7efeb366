"""Self-care pages of the hosted telephony (« Pack Business Unifié ») for a company's manager.

Three menus as in the seed: « Gérer votre offre » (plans, sites), « Gérer votre service »
(calendars, announcements, pickup groups) and « Gérer vos lignes » (search by name or
number and by site), plus « Où va cet appel ? ». Pages are scoped with ``visible_to``
(other companies are a 404); every change calls one function of actions.py.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from softwhere.core.views import AuthedRequest, add_errors_to_form, error_messages
from softwhere.customers.choices import OrganisationKind
from softwhere.customers.models import Organisation
from softwhere.customers.views import company_search

from . import actions
from .choices import LineKind, Option, Plan
from .forms import (
    CalendarEditor,
    CallGroupForm,
    DirectoryContactForm,
    IvrForm,
    LibraryAnnouncementForm,
    LineAnnouncementForm,
    LineCreateForm,
    LineServicesForm,
    PickupGroupForm,
    SimulateForm,
)
from .models import (
    Announcement,
    Calendar,
    CallGroup,
    DirectoryContact,
    Ivr,
    Line,
    Offer,
    PickupGroup,
    TelephonySite,
)
from .services.calendar import PARIS
from .services.document import ensure_pseudo_site, export_document
from .services.numbers import normalize_number
from .services.simulator import state_from_dict


def _company(request: AuthedRequest, org_id: int) -> Organisation:
    return get_object_or_404(Organisation.objects.visible_to(request.user), pk=org_id)


def _page(
    request: AuthedRequest, template: str, org: Organisation, menu: str, status: int = 200, **context: Any
) -> HttpResponse:
    return render(
        request,
        template,
        {"org": org, "menu": menu, "can_edit": actions.can_edit(request.user, org), **context},
        status=status,
    )


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """A client goes straight to its company; staff and partners choose one."""
    if request.user.organisation_id and request.user.role == "client":
        return redirect("telephony:offer", org_id=request.user.organisation_id)
    orgs = Organisation.objects.visible_to(request.user).exclude(kind=OrganisationKind.OPERATOR)
    term = request.GET.get("q", "").strip()
    if term:
        orgs = company_search(orgs, term)
    # A page of 50 and a search box: an operator's desk serves thousands of companies.
    page = Paginator(orgs.order_by("name", "pk").only("id", "name"), 50).get_page(request.GET.get("page"))
    with_offer = set(
        Offer.objects.filter(organisation_id__in=[o.pk for o in page]).values_list("organisation_id", flat=True)
    )
    return render(request, "telephony/home.html", {"page": page, "term": term, "with_offer": with_offer})


@login_required
def offer(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _company(request, org_id)
    subscription = Offer.objects.filter(organisation=org).first()
    lines = Line.objects.filter(organisation=org)
    used = Counter(lines.values_list("kind", flat=True))
    assigned = {
        Plan.FIXE: used["fixe"],
        Plan.NUMERO_FIXE_MOBILE: used["numero_fixe_mobile"],
        Plan.ANALOGIQUE: used["analogique"],
        Plan.GROUPEMENT: CallGroup.objects.filter(organisation=org).count(),
        Plan.AVI: Ivr.objects.filter(organisation=org).count(),
    }
    subscribed = subscription.plans if subscription else {}
    plans = [(p.label, subscribed.get(p.value, 0), assigned[p], subscribed.get(p.value, 0) - assigned[p]) for p in Plan]
    collab = Counter(lines.values_list("collaboration", flat=True))
    taken = subscription.options if subscription else {}
    options = [
        (o.label, taken.get(o.value, 0), collab[o.value], taken.get(o.value, 0) - collab[o.value]) for o in Option
    ]
    sites = _sites_with_counts(org)
    if request.method == "POST" and "rename" in request.POST:
        site = get_object_or_404(
            TelephonySite.objects.visible_to(request.user), pk=request.POST.get("site"), organisation=org
        )
        try:
            if request.POST.get("rename") == "delete":
                actions.delete_site(site, actor=request.user)
                messages.success(request, f"Site « {site.name} » supprimé.")
            else:
                actions.rename_site(site, actor=request.user, name=request.POST.get("name", ""))
                messages.success(request, "Nom du site modifié.")
        except ValidationError as exc:
            for m in error_messages(exc):
                messages.error(request, m)
        return redirect("telephony:offer", org_id=org.pk)
    return _page(
        request,
        "telephony/offer.html",
        org,
        "offre",
        plans=plans,
        options=options,
        sites=sites,
        total=(sum(p[1] for p in plans), sum(p[3] for p in plans)),
    )


def _sites_with_counts(org: Organisation) -> list[TelephonySite]:
    sites = list(TelephonySite.objects.filter(organisation=org).select_related("customer_site"))
    counts = Counter(Line.objects.filter(organisation=org).values_list("site_id", flat=True))
    counts.update(CallGroup.objects.filter(organisation=org).values_list("site_id", flat=True))
    counts.update(Ivr.objects.filter(organisation=org).values_list("site_id", flat=True))
    for s in sites:
        s.line_count = counts[s.pk]
    return sites


@login_required
def service(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _company(request, org_id)
    calendars = Calendar.objects.filter(organisation=org)
    library = [
        (site, actions.announcement_usage(site), {a.name: a.pk for a in site.announcements.all()})
        for site in TelephonySite.objects.filter(organisation=org, is_mobile_pseudo_site=False)
    ]
    pickups = PickupGroup.objects.filter(organisation=org).select_related("site").prefetch_related("members")
    return _page(
        request, "telephony/service.html", org, "service", calendars=calendars, library=library, pickups=pickups
    )


@login_required
def calendar_create(request: AuthedRequest, org_id: int) -> HttpResponse:
    return _calendar_page(request, _company(request, org_id), None)


@login_required
def calendar_edit(request: AuthedRequest, org_id: int, pk: int) -> HttpResponse:
    org = _company(request, org_id)
    calendar = get_object_or_404(Calendar.objects.visible_to(request.user), pk=pk, organisation=org)
    return _calendar_page(request, org, calendar)


def _calendar_page(request: AuthedRequest, org: Organisation, calendar: Calendar | None) -> HttpResponse:
    """Every schedule, closure period and closure day of a calendar, saved together by one action."""
    editor = CalendarEditor(request.POST or None, calendar=calendar)
    if request.method == "POST" and editor.is_valid():
        try:
            if calendar is None:
                saved = actions.create_calendar(org, actor=request.user, **editor.action_kwargs())
            else:
                saved = actions.update_calendar(calendar, actor=request.user, **editor.action_kwargs())
        except ValidationError as exc:
            editor.add_action_errors(exc)
        else:
            done = "créé" if calendar is None else "modifié"
            messages.success(request, f"Calendrier « {saved.name} » {done}.")
            return redirect("telephony:service", org_id=org.pk)
    title = "Nouveau calendrier" if calendar is None else f"Modifier le calendrier « {calendar.name} »"
    return _page(
        request,
        "telephony/calendar_form.html",
        org,
        "service",
        editor=editor,
        title=title,
        status=400 if editor.has_errors else 200,
    )


@login_required
def calendar_delete(request: AuthedRequest, org_id: int, pk: int) -> HttpResponse:
    org = _company(request, org_id)
    calendar = get_object_or_404(Calendar.objects.visible_to(request.user), pk=pk, organisation=org)
    if request.method == "POST":
        try:
            actions.delete_calendar(calendar, actor=request.user)
            messages.success(request, f"Calendrier « {calendar.name} » supprimé.")
        except ValidationError as exc:
            messages.error(request, error_messages(exc)[0])
    return redirect("telephony:service", org_id=org.pk)


@login_required
def lines(request: AuthedRequest, org_id: int) -> HttpResponse:
    """« Gérer vos lignes » : by site, or a search on name, first name or number."""
    org = _company(request, org_id)
    term = request.GET.get("q", "").strip()
    site_id = request.GET.get("site", "")
    qs = Line.objects.visible_to(request.user).filter(organisation=org).select_related("site")
    groups = CallGroup.objects.visible_to(request.user).filter(organisation=org).select_related("site")
    ivrs = Ivr.objects.visible_to(request.user).filter(organisation=org).select_related("site")
    if term:
        digits = normalize_number(term).lstrip("+")
        number_q = (
            Q(number__contains=digits[2:] if digits.startswith("33") else digits) if digits.isdigit() else Q(pk=None)
        )
        qs = qs.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(name__icontains=term)
            | Q(short_number=term)
            | number_q
        )
        groups = groups.filter(Q(name__icontains=term) | number_q)
        ivrs = ivrs.filter(Q(name__icontains=term) | number_q)
    if site_id.isdigit():
        qs, groups, ivrs = qs.filter(site_id=site_id), groups.filter(site_id=site_id), ivrs.filter(site_id=site_id)
    return _page(
        request,
        "telephony/lines.html",
        org,
        "lignes",
        lines=qs,
        groups=groups,
        ivrs=ivrs,
        term=term,
        site_id=site_id,
        sites=_sites_with_counts(org),
    )


@login_required
def line_detail(request: AuthedRequest, org_id: int, pk: int) -> HttpResponse:
    org = _company(request, org_id)
    line = get_object_or_404(Line.objects.visible_to(request.user).select_related("site"), pk=pk, organisation=org)
    form = None
    if actions.can_edit(request.user, org):
        calendars = list(Calendar.objects.filter(organisation=org).values_list("name", flat=True))
        form = LineServicesForm(request.POST or None, line=line, calendars=calendars)
        if request.method == "POST" and form.is_valid():
            try:
                actions.update_line(line, actor=request.user, services=form.services_payload(), **form.changes())
            except ValidationError as exc:
                add_errors_to_form(form, exc)
            else:
                messages.success(request, "Services de la ligne enregistrés.")
                return redirect("telephony:line", org_id=org.pk, pk=line.pk)
    doc_line = export_document(org)["lines"]
    services = next(x["services"] for x in doc_line if x["number"] == line.number)
    memberships = line.group_memberships.select_related("group")
    announcement_form = None
    if form is not None and line.kind in ("fixe", "mobile"):
        announcement_form = LineAnnouncementForm(
            calendars=list(Calendar.objects.filter(organisation=org).values_list("name", flat=True))
        )
    return _page(
        request,
        "telephony/line_detail.html",
        org,
        "lignes",
        announcement_form=announcement_form,
        line=line,
        s=services,
        memberships=memberships,
        form=form,
        status=400 if form is not None and form.errors else 200,
    )


def _available_plans(org: Organisation) -> dict[str, int | None]:
    """Plans left per line kind (subscribed minus assigned, as on « Gérer votre offre »); mobiles take none."""
    subscription = Offer.objects.filter(organisation=org).first()
    subscribed = subscription.plans if subscription else {}
    used = Counter(Line.objects.filter(organisation=org).values_list("kind", flat=True))
    left: dict[str, int | None] = {
        kind: int(subscribed.get(kind, 0)) - used[kind]
        for kind in (Plan.FIXE, Plan.NUMERO_FIXE_MOBILE, Plan.ANALOGIQUE)
    }
    return {**left, "mobile": None}


@login_required
def line_create(request: AuthedRequest, org_id: int) -> HttpResponse:
    """« Ajouter une ligne » for the manager; the plan count and identity rules are the action's."""
    org = _company(request, org_id)
    sites, _ = _choices(org)
    form = LineCreateForm(request.POST or None, sites=sites, available=_available_plans(org))
    if request.method == "POST" and form.is_valid():
        kwargs = form.action_kwargs()
        if kwargs["kind"] == LineKind.MOBILE:
            site = ensure_pseudo_site(org)
        else:
            site = get_object_or_404(TelephonySite, pk=form.cleaned_data["site"], organisation=org)
        try:
            line = actions.create_line(org, actor=request.user, site=site, **kwargs)
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            messages.success(request, f"Ligne {line.number} créée.")
            return redirect("telephony:line", org_id=org.pk, pk=line.pk)
    return _page(
        request,
        "telephony/form.html",
        org,
        "lignes",
        form=form,
        title="Nouvelle ligne",
        testid="line-form",
        status=400 if form.errors else 200,
    )


@login_required
def group_detail(request: AuthedRequest, org_id: int, pk: int) -> HttpResponse:
    org = _company(request, org_id)
    group = get_object_or_404(
        CallGroup.objects.visible_to(request.user).select_related("site"), pk=pk, organisation=org
    )
    if request.method == "POST":
        line = get_object_or_404(Line, pk=request.POST.get("line"), organisation=org)
        try:
            actions.set_presence(group, line, actor=request.user, present=request.POST.get("present") == "1")
        except ValidationError as exc:
            messages.error(request, error_messages(exc)[0])
        return redirect("telephony:group", org_id=org.pk, pk=group.pk)
    members = group.members.select_related("line")
    return _page(request, "telephony/group_detail.html", org, "lignes", group=group, members=members)


def _choices(org: Organisation) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    sites = [(str(s.pk), s.name) for s in TelephonySite.objects.filter(organisation=org, is_mobile_pseudo_site=False)]
    members = [
        (line.number, f"{line.display_name} — {line.number}")
        for line in Line.objects.filter(organisation=org, kind__in=["fixe", "mobile"])
    ]
    return sites, members


def _group_settings(d: dict[str, Any]) -> dict[str, Any]:
    """The queue settings shared by the create and edit forms of a call group."""
    return {
        "distribution": d["distribution"],
        "max_rings": d["max_rings"],
        "max_waiting_calls": d["max_waiting_calls"],
        "max_wait_seconds": d["max_wait_seconds"],
        "overflow_mode": d["overflow_mode"],
        "overflow_number": normalize_number(d["overflow_number"] or ""),
        "inter_call_delay_enabled": d["inter_call_delay_enabled"],
        "inter_call_delay_seconds": d["inter_call_delay_seconds"],
    }


@login_required
def group_create(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _company(request, org_id)
    sites, members = _choices(org)
    form = CallGroupForm(request.POST or None, sites=sites, lines=members)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            group = actions.create_call_group(
                org,
                actor=request.user,
                site=TelephonySite.objects.get(pk=d["site"], organisation=org),
                name=d["name"],
                number=d["number"],
                members=d["members"],
                **_group_settings(d),
            )
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"Groupement d'appels « {group.name} » créé.")
            return redirect("telephony:group", org_id=org.pk, pk=group.pk)
    return _page(
        request,
        "telephony/form.html",
        org,
        "lignes",
        form=form,
        title="Nouveau groupement d'appels",
        testid="group-form",
    )


@login_required
def ivr_create(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _company(request, org_id)
    sites, _ = _choices(org)
    destinations = [(g.number, f"Groupement {g.name}") for g in CallGroup.objects.filter(organisation=org)]
    destinations += [(line.number, line.display_name) for line in Line.objects.filter(organisation=org)]
    form = IvrForm(
        request.POST or None,
        request.FILES or None,
        sites=sites,
        calendars=list(Calendar.objects.filter(organisation=org).values_list("name", flat=True)),
        destinations=destinations,
    )
    if request.method == "POST" and form.is_valid():
        try:
            ivr = _create_ivr(request, org, form.cleaned_data)
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"Accueil vocal interactif « {ivr.name} » créé.")
            return redirect("telephony:lines", org_id=org.pk)
    return _page(
        request,
        "telephony/form.html",
        org,
        "lignes",
        form=form,
        title="Nouvel accueil vocal interactif",
        testid="ivr-form",
        multipart=True,
        destinations=destinations,
    )


def _create_ivr(request: AuthedRequest, org: Organisation, d: dict[str, Any]) -> Ivr:
    """Upload the announcement(s) into the site's library, then create the IVR (one transaction each)."""
    site = TelephonySite.objects.get(pk=d["site"], organisation=org)
    keys = [{"key": str(k), "number": normalize_number(d[f"key_{k}"])} for k in range(1, 10) if d.get(f"key_{k}")]

    def upload(upload_file: Any, suffix: str) -> str:
        name = f"{d['name']} - {suffix}"
        existing = site.announcements.filter(name=name).first()
        data = upload_file.read()
        if existing:
            actions.replace_library_announcement(existing, actor=request.user, data=data)
        else:
            actions.add_library_announcement(site, actor=request.user, name=name, data=data)
        return name

    open_menu = {"announcement": upload(d["announcement"], "accueil"), "keys": keys}
    closed_menu = None
    if d["calendar"]:
        closed = (
            upload(d["closed_announcement"], "fermeture") if d.get("closed_announcement") else open_menu["announcement"]
        )
        closed_menu = {"announcement": closed, "keys": keys}
    return actions.create_ivr(
        org,
        actor=request.user,
        site=site,
        name=d["name"],
        number=d["number"],
        mode="calendrier" if d["calendar"] else "unique",
        calendar=d["calendar"],
        open_menu=open_menu,
        closed_menu=closed_menu,
    )


@login_required
def simulate(request: AuthedRequest, org_id: int) -> HttpResponse:
    """« Où va cet appel ? » on the stored configuration."""
    org = _company(request, org_id)
    form = SimulateForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        d = form.cleaned_data
        state = state_from_dict(d["state"])
        if d["keys"]:
            state.keys = d["keys"]
        at = datetime.combine(d["day"], d["time"], tzinfo=PARIS)
        result = actions.simulate_call(org, d["to"], at, d["caller"] or None, state)
    numbers = [(line.number, line.display_name) for line in Line.objects.filter(organisation=org)]
    numbers += [(g.number, f"Groupement {g.name}") for g in CallGroup.objects.filter(organisation=org)]
    numbers += [(i.number, f"AVI {i.name}") for i in Ivr.objects.filter(organisation=org)]
    return _page(request, "telephony/simulate.html", org, "simulateur", form=form, result=result, numbers=numbers)


@login_required
def group_edit(request: AuthedRequest, org_id: int, pk: int) -> HttpResponse:
    """Change a call group's members and settings; its site and number are fixed (§5.2.2)."""
    org = _company(request, org_id)
    group = get_object_or_404(CallGroup.objects.visible_to(request.user), pk=pk, organisation=org)
    sites, members = _choices(org)
    initial = {f: getattr(group, f) for f in CallGroupForm.base_fields if hasattr(group, f)}
    initial.update(site=str(group.site_id), members=list(group.members.values_list("line__number", flat=True)))
    form = CallGroupForm(request.POST or None, sites=sites, lines=members, initial=initial)
    form.fields["site"].disabled = form.fields["number"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        current = list(group.members.values_list("line__number", flat=True))
        # Keep the members' order (it drives Linéaire and Cyclique); newcomers go last.
        ordered = [n for n in current if n in d["members"]] + [n for n in d["members"] if n not in current]
        try:
            actions.update_call_group(
                group,
                actor=request.user,
                members=ordered,
                name=d["name"],
                **_group_settings(d),
            )
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"Groupement d'appels « {group.name} » modifié.")
            return redirect("telephony:group", org_id=org.pk, pk=group.pk)
    return _page(
        request,
        "telephony/form.html",
        org,
        "lignes",
        form=form,
        title=f"Modifier le groupement « {group.name} »",
        testid="group-form",
    )


def _fixed_lines(org: Organisation) -> list[tuple[str, str]]:
    return [
        (line.number, f"{line.display_name} — {line.number} ({line.site})")
        for line in Line.objects.filter(organisation=org, kind="fixe").select_related("site")
    ]


@login_required
def pickup_edit(request: AuthedRequest, org_id: int, pk: int | None = None) -> HttpResponse:
    """Create or change a pickup group (« Groupes d'interception »): fixed lines of one site."""
    org = _company(request, org_id)
    group = get_object_or_404(PickupGroup.objects.visible_to(request.user), pk=pk, organisation=org) if pk else None
    sites, _ = _choices(org)
    initial: dict[str, Any] = {}
    if group is not None:
        initial = {
            "name": group.name,
            "site": str(group.site_id),
            "members": list(group.members.values_list("number", flat=True)),
        }
    form = PickupGroupForm(request.POST or None, sites=sites, lines=_fixed_lines(org), initial=initial)
    if request.method == "POST" and "delete" in request.POST and group is not None:
        try:
            actions.delete_pickup_group(group, actor=request.user)
        except ValidationError as exc:
            messages.error(request, error_messages(exc)[0])
        else:
            messages.success(request, f"Groupe d'interception « {group.name} » supprimé.")
        return redirect("telephony:service", org_id=org.pk)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            saved = actions.save_pickup_group(
                org,
                actor=request.user,
                name=d["name"],
                members=d["members"],
                group=group,
                site=TelephonySite.objects.get(pk=d["site"], organisation=org),
            )
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"Groupe d'interception « {saved.name} » enregistré.")
            return redirect("telephony:service", org_id=org.pk)
    title = f"Groupe d'interception « {group.name} »" if group else "Nouveau groupe d'interception"
    return _page(
        request,
        "telephony/form.html",
        org,
        "service",
        form=form,
        title=title,
        testid="pickup-form",
        can_delete=group is not None,
        status=400 if form.errors else 200,
    )


@login_required
def announcement_upload(request: AuthedRequest, org_id: int) -> HttpResponse:
    """Add an announcement to a site's library, or replace the one of the same name wherever it is used."""
    org = _company(request, org_id)
    sites, _ = _choices(org)
    form = LibraryAnnouncementForm(request.POST or None, request.FILES or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        site = TelephonySite.objects.get(pk=d["site"], organisation=org)
        existing = site.announcements.filter(name=d["name"].strip()).first()
        try:
            if existing is not None:
                actions.replace_library_announcement(existing, actor=request.user, data=d["file"].read())
            else:
                actions.add_library_announcement(site, actor=request.user, name=d["name"], data=d["file"].read())
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            done = "remplacée partout où elle est utilisée" if existing else "ajoutée à la bibliothèque"
            messages.success(request, f"Annonce « {d['name'].strip()} » {done}.")
            return redirect("telephony:service", org_id=org.pk)
    return _page(
        request,
        "telephony/form.html",
        org,
        "service",
        form=form,
        title="Télécharger une annonce",
        testid="announcement-form",
        multipart=True,
        status=400 if form.errors else 200,
    )


@login_required
def announcement_delete(request: AuthedRequest, org_id: int, pk: int) -> HttpResponse:
    org = _company(request, org_id)
    announcement = get_object_or_404(
        Announcement.objects.visible_to(request.user), pk=pk, organisation=org, site__isnull=False
    )
    if request.method == "POST":
        try:
            actions.delete_library_announcement(announcement, actor=request.user)
        except ValidationError as exc:
            messages.error(request, error_messages(exc)[0])
        else:
            messages.success(request, f"Annonce « {announcement.name} » supprimée.")
    return redirect("telephony:service", org_id=org.pk)


@login_required
def line_announcement(request: AuthedRequest, org_id: int, pk: int) -> HttpResponse:
    """Welcome / hold / call-waiting announcement of a user line (offered to fixed and mobile lines only)."""
    org = _company(request, org_id)
    line = get_object_or_404(Line.objects.visible_to(request.user), pk=pk, organisation=org)
    if request.method == "POST":
        calendars = list(Calendar.objects.filter(organisation=org).values_list("name", flat=True))
        form = LineAnnouncementForm(request.POST, request.FILES, calendars=calendars)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.set_line_announcement(
                    line,
                    d["slot"],
                    actor=request.user,
                    enabled=d["enabled"],
                    data=d["file"].read() if d["file"] else None,
                    use_default=d["use_default"],
                    interruptible=d["interruptible"],
                    calendar=d["calendar"] or None,
                )
            except ValidationError as exc:
                for m in error_messages(exc):
                    messages.error(request, m)
            else:
                messages.success(request, "Annonce de la ligne enregistrée.")
        else:
            for errors in form.errors.values():
                for text in errors:
                    messages.error(request, str(text))
    return redirect("telephony:line", org_id=org.pk, pk=line.pk)


@login_required
def directory(request: AuthedRequest, org_id: int) -> HttpResponse:
    """The company's external directory (« 500 contacts au maximum »), with optional short numbers."""
    org = _company(request, org_id)
    form = DirectoryContactForm(request.POST or None)
    if request.method == "POST" and "delete" in request.POST:
        contact = get_object_or_404(
            DirectoryContact.objects.visible_to(request.user), pk=request.POST.get("delete"), organisation=org
        )
        actions.delete_directory_contact(contact, actor=request.user)
        messages.success(request, f"Contact « {contact.name} » supprimé.")
        return redirect("telephony:directory", org_id=org.pk)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.add_directory_contact(
                org,
                actor=request.user,
                name=d["name"],
                number=normalize_number(d["number"]),
                short_number=d["short_number"],
            )
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"Contact « {d['name']} » ajouté à l'annuaire.")
            return redirect("telephony:directory", org_id=org.pk)
    contacts = DirectoryContact.objects.filter(organisation=org)
    return _page(
        request,
        "telephony/directory.html",
        org,
        "service",
        form=form,
        contacts=contacts,
        status=400 if form.errors else 200,
    )
