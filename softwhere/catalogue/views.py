"""Catalogue browser (the 69 resolution cases and the LED memo) and the supervisor edit form."""

from __future__ import annotations

import unicodedata
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from softwhere.accounts.choices import CATALOGUE_EDITORS
from softwhere.core.views import AuthedRequest, add_errors_to_form, error_messages, staff_required

from . import actions, leds
from .choices import CaseDomain, CaseFamily
from .forms import LIST_FIELDS, CaseEditForm
from .models import EDITABLE_FIELDS, ResolutionCase


def can_edit_catalogue(user: Any) -> bool:
    return bool(user.is_superuser or user.role in CATALOGUE_EDITORS)


def _fold(text: str) -> str:
    """Lower case without accents, so « defaut » finds « défaut »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _haystack(case: ResolutionCase) -> str:
    parts = [case.id, case.heading, str(case.number), *case.symptoms, *case.n1_checks, *case.n2_actions, *case.examples]
    return _fold(" ".join(parts))


@staff_required
def case_list(request: AuthedRequest) -> HttpResponse:
    """All cases grouped by family then domain; search is accent-insensitive over every text of a case."""
    term = request.GET.get("q", "").strip()
    family = request.GET.get("famille", "")
    cases = list(ResolutionCase.objects.order_by("number"))
    if family in CaseFamily.values:
        cases = [c for c in cases if c.family == family]
    if term:
        words = _fold(term).split()
        cases = [c for c in cases if all(w in _haystack(c) for w in words)]
    family_order = {v: i for i, v in enumerate(CaseFamily.values)}
    cases.sort(key=lambda c: (family_order.get(c.family, 99), c.number))
    groups = []
    for fam, fam_cases in groupby(cases, key=lambda c: c.family):
        fam_list = list(fam_cases)
        domains = []
        for dom, dom_cases in groupby(sorted(fam_list, key=lambda c: (c.domain, c.number)), key=lambda c: c.domain):
            domains.append({"domain": dom, "label": CaseDomain(dom).label, "cases": list(dom_cases)})
        domains.sort(key=lambda d: d["cases"][0].number)
        groups.append({"family": fam, "label": CaseFamily(fam).label, "domains": domains, "count": len(fam_list)})
    return render(
        request,
        "catalogue/case_list.html",
        {"groups": groups, "term": term, "family": family, "families": CaseFamily.choices,
         "total": len(cases), "can_edit": can_edit_catalogue(request.user)},
    )


@staff_required
def case_detail(request: AuthedRequest, pk: str) -> HttpResponse:
    case = get_object_or_404(ResolutionCase.objects.select_related("edited_by"), pk=pk)
    return render(
        request,
        "catalogue/case_detail.html",
        {"case": case, "can_edit": can_edit_catalogue(request.user),
         "open_tickets": case.tickets.exclude(status__in=("closed", "cancelled")).count()},
    )


@staff_required
def case_edit(request: AuthedRequest, pk: str) -> HttpResponse:
    """Edit the live texts; the data-file version is shown beside each field for comparison."""
    if not can_edit_catalogue(request.user):
        raise PermissionDenied("Seul un superviseur peut modifier le catalogue.")
    case = get_object_or_404(ResolutionCase, pk=pk)
    form = CaseEditForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, "Aucune modification.")
            return redirect("catalogue:detail", case.pk)
        try:
            case = actions.edit_case(case, actor=request.user, **changes)
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"Cas {case.number} enregistré (révision {case.revision}).")
            return redirect("catalogue:detail", case.pk)
    file_values = {f: case.file_data.get(f) for f in EDITABLE_FIELDS}
    rows = [
        {"field": form[name], "file": file_values.get(name), "is_list": name in LIST_FIELDS,
         "changed": getattr(case, name) != file_values.get(name)}
        for name in ("title", *LIST_FIELDS)
    ]
    return render(request, "catalogue/case_edit.html", {"case": case, "form": form, "rows": rows})


@require_POST
@staff_required
def case_reset(request: AuthedRequest, pk: str) -> HttpResponse:
    case = get_object_or_404(ResolutionCase, pk=pk)
    try:
        case = actions.reset_case_to_file(case, actor=request.user)
    except (PermissionDenied, ValidationError) as exc:
        for line in error_messages(exc):
            messages.error(request, line)
    else:
        messages.success(request, f"Cas {case.number} rétabli dans sa version du fichier ({case.file_version}).")
    return redirect("catalogue:detail", case.pk)


@staff_required
def led_memo(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/leds.html",
        {"memos": list(leds.load_memos().values()), "colours": leds.reference_colours()},
    )
