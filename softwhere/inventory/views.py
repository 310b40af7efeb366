"""Read views of the technical inventory (equipment); edits go through the Django admin."""

from __future__ import annotations

import ipaddress
from contextlib import suppress

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render

from softwhere.core.validators import normalize_mac
from softwhere.core.views import AuthedRequest

from .choices import EquipmentKind
from .models import Equipment


@login_required
def equipment_list(request: AuthedRequest) -> HttpResponse:
    """Every piece of equipment the user may see; search by serial, MAC, hostname, IP, brand or model."""
    qs = Equipment.objects.visible_to(request.user).select_related("site__organisation", "service")
    term = request.GET.get("q", "").strip()
    if term:
        cond = (
            Q(serial_number__icontains=term)
            | Q(hostname__icontains=term)
            | Q(brand__icontains=term)
            | Q(model__icontains=term)
            | Q(site__name__icontains=term)
            | Q(site__organisation__name__icontains=term)
        )
        with suppress(ValidationError):  # not a MAC address: the other criteria still apply
            cond |= Q(mac_address=normalize_mac(term))
        with suppress(ValueError):
            cond |= Q(management_ip=str(ipaddress.ip_address(term)))
        qs = qs.filter(cond)
    kind = request.GET.get("type", "")
    if kind in EquipmentKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("site__organisation__name", "site__name", "kind", "pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "inventory/equipment_list.html",
        {"page": page, "term": term, "kind": kind, "kinds": EquipmentKind.choices},
    )
