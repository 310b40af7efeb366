"""SLA API per ticket, supervision pages and the monthly penalty report (CSV)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from softwhere.catalogue.models import ResolutionCase
from softwhere.core import testing as t
from softwhere.core.tests.api_client import api_client
from softwhere.sla.models import SlaClock
from softwhere.tickets import actions
from softwhere.tickets.models import Ticket

from .conftest import paris

Committed = Callable[[], AbstractContextManager[Any]]


@pytest.fixture
def restored(world: Any, committed: Committed) -> Ticket:
    """ACME's fibre cut on Friday 27 Nov 2026 17:00, restored on Monday at 14:00 (T = 7 h: 40 %)."""
    case = ResolutionCase.objects.order_by("number").first()
    with time_machine.travel(paris("2026-11-27 17:00"), tick=False), committed():
        ticket = actions.create_ticket(
            actor=world.n1,
            organisation=world.acme,
            site=world.acme_site,
            subject="Fibre coupée",
            service_state="interrompu",
            services=[world.acme_access],
            case=case,
        )
    with time_machine.travel(paris("2026-11-30 08:10"), tick=False), committed():
        actions.transition_ticket(ticket, "take", actor=world.n1)
    with time_machine.travel(paris("2026-11-30 14:00"), tick=False), committed():
        actions.transition_ticket(ticket, "resolve", actor=world.n1, resolution="Réparation")
    return ticket


def api(user: Any) -> APIClient:
    """A client whose every response is checked against the published OpenAPI schema."""
    return api_client(user)


def test_ticket_sla_endpoint(world: Any, restored: Ticket) -> None:
    with time_machine.travel(paris("2026-12-01 09:00"), tick=False):
        response = api(world.n1).get(f"/api/v1/tickets/{restored.reference}/sla/")
    assert response.status_code == 200
    body = response.json()
    by_kind = {c["kind"]: c for c in body["clocks"]}
    assert set(by_kind) == {"gtr", "first_response", "resolution"}
    gtr = by_kind["gtr"]
    assert gtr["state"] == "breached"
    assert gtr["consumed_minutes"] == 420
    assert gtr["remaining_minutes"] == -180
    assert gtr["penalty"] == {"percent": 40, "amount_eur": "100.00", "monthly_fee_eur": "250.00"}
    assert gtr["access"]["id"] == world.acme_access.pk
    assert by_kind["first_response"]["state"] == "met"
    assert by_kind["first_response"]["penalty"] is None
    assert body["penalty_total_eur"] == "100.00"
    assert body["auto_close_at"] is None


def test_ticket_sla_endpoint_is_live_for_running_clocks(world: Any, committed: Committed) -> None:
    with time_machine.travel(paris("2026-11-27 17:00"), tick=False), committed():
        ticket = actions.create_ticket(
            actor=world.n1,
            organisation=world.acme,
            subject="Coupure",
            service_state="interrompu",
            services=[world.acme_access],
        )
    with time_machine.travel(paris("2026-11-30 12:00"), tick=False):
        gtr = next(
            c
            for c in api(world.n1).get(f"/api/v1/tickets/{ticket.reference}/sla/").json()["clocks"]
            if c["kind"] == "gtr"
        )
    assert (gtr["state"], gtr["consumed_minutes"], gtr["penalty"]["percent"]) == ("breached", 300, 20)


def test_ticket_sla_endpoint_is_scoped(world: Any, restored: Ticket) -> None:
    assert api(world.client_user).get(f"/api/v1/tickets/{restored.reference}/sla/").status_code == 200
    assert api(world.other_client_user).get(f"/api/v1/tickets/{restored.reference}/sla/").status_code == 404
    assert api_client().get(f"/api/v1/tickets/{restored.reference}/sla/").status_code in (401, 403)


def test_clock_list_is_scoped_like_the_sla_pages(world: Any, restored: Ticket) -> None:
    """Staff see every clock; a client sees its own tickets' clocks, another client none (as on the pages)."""
    response = api(world.supervisor).get("/api/v1/sla/clocks/", {"kind": "gtr"})
    assert response.status_code == 200
    assert [r["ticket"] for r in response.json()["results"]] == [restored.reference]
    all_refs = {r["ticket"] for r in api(world.supervisor).get("/api/v1/sla/clocks/").json()["results"]}
    own = api(world.client_user).get("/api/v1/sla/clocks/")
    assert own.status_code == 200
    assert {r["ticket"] for r in own.json()["results"]} == {restored.reference} <= all_refs
    assert api(world.other_client_user).get("/api/v1/sla/clocks/").json()["results"] == []
    assert api_client().get("/api/v1/sla/clocks/").status_code in (401, 403)


def report_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_penalty_report_command(world: Any, restored: Ticket, tmp_path: Any) -> None:
    out = tmp_path / "report.csv"
    call_command("sla", "penalty-report", "--month", "2026-11", "--output", str(out))
    raw = out.read_text(encoding="utf-8")
    assert raw.startswith("\ufeffclient;ticket;")
    rows = report_rows(raw)
    assert len(rows) == 1
    row = rows[0]
    assert row["client"] == "ACME Industries"
    assert row["ticket"] == restored.reference
    assert (row["detecte_le"], row["retabli_le"]) == ("2026-11-27 17:00", "2026-11-30 14:00")
    assert (row["duree_minutes"], row["duree"], row["penalite_pourcent"]) == ("420", "7h00", "40")
    assert (row["redevance_mensuelle_eur"], row["penalite_eur"]) == ("250,00", "100,00")
    december = io.StringIO()
    call_command("sla", "penalty-report", "--month", "2026-12", stdout=december)
    assert report_rows(december.getvalue()) == []


def test_penalty_report_filters_by_client(world: Any, restored: Ticket, committed: Committed) -> None:
    other_access = t.make_access(world.other_site, monthly_fee=Decimal("500"))
    case = ResolutionCase.objects.order_by("number").first()
    with time_machine.travel(paris("2026-11-02 09:00"), tick=False), committed():
        other = actions.create_ticket(
            actor=world.n1,
            organisation=world.other,
            subject="Coupure",
            service_state="interrompu",
            services=[other_access],
            case=case,
        )
    with time_machine.travel(paris("2026-11-03 09:00"), tick=False), committed():
        actions.transition_ticket(other, "take", actor=world.n1)
        actions.transition_ticket(other, "resolve", actor=world.n1, resolution="OK")
    everything = io.StringIO()
    call_command("sla", "penalty-report", "--month", "2026-11", stdout=everything)
    assert [(r["client"], r["penalite_eur"]) for r in report_rows(everything.getvalue())] == [
        ("ACME Industries", "100,00"),
        ("Autre Société", "300,00"),  # exactly 10 h: still 60 %
    ]
    one = io.StringIO()
    call_command("sla", "penalty-report", "--month", "2026-11", "--organisation", str(world.other.pk), stdout=one)
    assert [r["client"] for r in report_rows(one.getvalue())] == ["Autre Société"]


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_penalty_report_view(world: Any, restored: Ticket) -> None:
    response = login(world.supervisor).get(reverse("sla:penalty-report"), {"month": "2026-11"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="penalites-gtr-2026-11.csv"' in response["Content-Disposition"]
    assert [r["ticket"] for r in report_rows(response.content.decode())] == [restored.reference]
    # A client sees only its own penalties; another client none.
    assert (
        len(
            report_rows(
                login(world.client_user).get(reverse("sla:penalty-report"), {"month": "2026-11"}).content.decode()
            )
        )
        == 1
    )
    assert (
        report_rows(
            login(world.other_client_user).get(reverse("sla:penalty-report"), {"month": "2026-11"}).content.decode()
        )
        == []
    )
    assert login(world.supervisor).get(reverse("sla:penalty-report"), {"month": "novembre"}).status_code == 400


def test_at_risk_and_breached_pages(world: Any, committed: Committed) -> None:
    with time_machine.travel(paris("2026-11-30 09:00"), tick=False), committed():
        ticket = actions.create_ticket(
            actor=world.n1,
            organisation=world.acme,
            subject="Coupure siège",
            service_state="interrompu",
            services=[world.acme_access],
        )
    with time_machine.travel(paris("2026-11-30 12:00"), tick=False):  # GTR due at 13:00
        client = login(world.n1)
        soon = client.get(reverse("sla:at-risk"), {"minutes": "60"})
        later = client.get(reverse("sla:at-risk"), {"minutes": "30", "kind": "gtr"})
    assert soon.status_code == 200
    assert ticket.reference in soon.content.decode()
    assert ticket.reference not in later.content.decode()
    with time_machine.travel(paris("2026-11-30 13:30"), tick=False):
        breached = client.get(reverse("sla:breached"), {"organisation": str(world.acme.pk)})
        other_client = client.get(reverse("sla:breached"), {"organisation": str(world.other.pk)})
    assert ticket.reference in breached.content.decode()
    # Shown at request time even though the worker has not recomputed the clock since 09:00.
    assert "4 h 30 / 4 h" in breached.content.decode()
    assert "20 % · 50,00 €" in breached.content.decode()
    assert ticket.reference not in other_client.content.decode()


def test_clients_and_carriers_pages(world: Any, restored: Ticket) -> None:
    client = login(world.supervisor)
    page = client.get(reverse("sla:clients"), {"month": "2026-11"}).content.decode()
    assert "ACME Industries" in page and "100,00 €" in page
    assert client.get(reverse("sla:carriers")).status_code == 200


def test_pages_need_a_login() -> None:
    assert Client().get(reverse("sla:breached")).status_code == 302  # to the login page


def test_breached_list_is_paged_soonest_breach_first(world: Any, committed: Committed) -> None:
    """At a million tickets there are thousands of late clocks: 50 a page, the oldest deadline first."""
    with time_machine.travel(paris("2026-11-30 09:00"), tick=False), committed():
        tickets = [
            actions.create_ticket(
                actor=world.n1, organisation=world.acme, subject=f"Coupure {n:02d}", service_state="interrompu"
            )
            for n in range(55)
        ]
    SlaClock.objects.filter(ticket__in=tickets).update(due_at=paris("2026-11-30 10:00"))
    first_due = tickets[7]
    SlaClock.objects.filter(ticket=first_due).update(due_at=paris("2026-11-30 09:30"))
    clocks = SlaClock.objects.filter(ticket__in=tickets).count()
    assert clocks >= 55
    with time_machine.travel(paris("2026-12-02 12:00"), tick=False):
        client = login(world.n1)
        first = client.get(reverse("sla:breached")).content.decode()
        second = client.get(reverse("sla:breached"), {"page": "2"}).content.decode()
    assert f"{clocks} compteurs" in first and "Suivante" in first
    rows_first = first.count('class="ref"')
    assert rows_first == 50 and second.count('class="ref"') == min(50, clocks - 50)
    assert first.index(first_due.reference) < first.index(tickets[0].reference)
