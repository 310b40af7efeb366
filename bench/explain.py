"""EXPLAIN ANALYZE of the ticket grid's and API's common queries: no sequential scan of tickets.

    SOFTWHERE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/softwhere_bench .venv/bin/python bench/explain.py

Builds each view's queryset exactly as the view does (same filter code), asks
PostgreSQL for ``EXPLAIN (ANALYZE, BUFFERS)`` of the page query (LIMIT 51), and prints
JSON then a table: execution time, and whether the ticket table was scanned
sequentially. ``--plans`` prints the full plans. Exit status 1 on any seq scan.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "softwhere.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.db.models import Count  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from softwhere.accounts.models import User  # noqa: E402
from softwhere.tickets.api.filters import TicketFilter  # noqa: E402
from softwhere.tickets.api.views import TicketViewSet  # noqa: E402
from softwhere.tickets.models import Ticket  # noqa: E402
from softwhere.tickets.views import _filtered_tickets  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args()
    user, _ = User.objects.get_or_create(username="bench-agent", defaults={"role": "n2"})
    busy = Ticket.objects.values("organisation_id").annotate(n=Count("id")).order_by("-n").first()
    org = str(busy["organisation_id"]) if busy else "1"
    ref = Ticket.objects.order_by("-id").values_list("reference", flat=True).first() or ""
    client_ref = (
        Ticket.objects.exclude(client_reference="").order_by("-id").values_list("client_reference", flat=True).first()
        or "CMD-"
    )
    grid = {
        "ouverts (défaut, priorité)": {},
        "ouverts d'une équipe (N2)": {"niveau": "n2"},
        "ouverts d'une société": {"organisation": org},
        "ouverts d'un agent": {
            "affecte": str(Ticket.objects.exclude(assignee=None).values_list("assignee", flat=True).first())
        },
        "par état (escaladé)": {"etat": "escalated"},
        "tous, priorité": {"etat": "tous"},
        "tous d'une société, priorité": {"etat": "tous", "organisation": org},
        "tous, par âge": {"etat": "tous", "tri": "-age"},
        "ouverts, plus anciens d'abord": {"tri": "-age"},
        "SLA à risque": {"sla": "risque"},
        "SLA dépassé": {"sla": "depasse"},
        "recherche référence": {"q": ref[:8], "etat": "tous"},
        "recherche référence client": {"q": client_ref.lower(), "etat": "tous"},
        "plein texte": {"q": "coupure fibre", "etat": "tous"},
        "plein texte rare": {"q": "désenregistré", "etat": "tous"},
    }
    factory = RequestFactory()
    queries = {}
    for label, params in grid.items():
        request = factory.get("/tickets/", params)
        request.user = user
        request.htmx = False  # type: ignore[attr-defined]
        _form, qs, *_ = _filtered_tickets(request)  # type: ignore[arg-type]
        queries[f"grille : {label}"] = qs[:51]
    api = {
        "liste": {},
        "société + ouverts": {"organisation": org, "is_open": "true"},
        "état": {"status": "escalated"},
        "états (répétable) + priorité": {"status": ["escalated", "waiting_carrier"], "priority": ["1", "2"]},
        "SLA à risque 60 min": {"sla_at_risk_minutes": "60"},
    }
    for label, params in api.items():
        request = factory.get("/api/v1/tickets/", params)
        request.user = user
        # The view's own queryset (its joins) and filter set: what the API really runs.
        qs = TicketFilter(params, queryset=TicketViewSet.queryset.all(), request=request).qs
        queries[f"API : {label}"] = qs.order_by("-created_at", "-id")[:51]
    results, failed = {}, False
    for label, qs in queries.items():
        plan = qs.explain(analyze=True, buffers=True)
        seq = bool(re.search(r"Seq Scan on tickets_ticket\b", plan))
        ms = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))  # type: ignore[union-attr]
        results[label] = {"execution_ms": ms, "seq_scan_tickets": seq}
        failed |= seq
        if args.plans:
            print(f"--- {label}\n{plan}\n")
    print(json.dumps({"tickets": Ticket.objects.count(), "queries": results}, ensure_ascii=False, indent=1))
    print(f"\n{'requête':<48} {'ms':>8}  seq scan tickets")
    for label, r in results.items():
        print(f"{label:<48} {r['execution_ms']:>8}  {'OUI' if r['seq_scan_tickets'] else 'non'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
