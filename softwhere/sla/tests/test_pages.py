"""SLA pages for every role: scoping, client and carrier filters, charts, CSV/PDF penalty report."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from softwhere.catalogue.models import ResolutionCase
from softwhere.core import testing as t
from softwhere.inventory.models import Access
from softwhere.tickets import actions
from softwhere.tickets.models import Ticket

from .conftest import paris

Committed = Callable[[], AbstractContextManager[Any]]


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cut(world: Any, committed: Committed, organisation: Any, access: Access, at: str, subject: str) -> Ticket:
    with time_machine.travel(paris(at), tick=False), committed():
        return actions.create_ticket(
            actor=world.n1,
            organisation=organisation,
            subject=subject,
            service_state="interrompu",
            services=[access],
            case=ResolutionCase.objects.order_by("number").first(),
        )


def restore(world: Any, committed: Committed, ticket: Ticket, at: str) -> None:
    with time_machine.travel(paris(at), tick=False), committed():
        actions.transition_ticket(ticket, "take", actor=world.n1)
        actions.transition_ticket(ticket, "resolve", actor=world.n1, resolution="Rétabli")


@pytest.fixture
def outages(world: Any, committed: Committed) -> dict[str, Ticket]:
    """Monday 30 Nov 2026 09:00: ACME's Orange fibre and the partner's client's SFR SDSL are cut (GTR due 13:00)."""
    sfr = t.make_access(world.partner_site, "sdsl", carrier="SFR", monthly_fee=Decimal("120.00"))
    return {
        "acme": cut(world, committed, world.acme, world.acme_access, "2026-11-30 09:00", "Fibre coupée siège"),
        "partner": cut(world, committed, world.partner_client, sfr, "2026-11-30 09:00", "SDSL coupée boutique"),
    }


def shown(response: Any, ticket: Ticket) -> bool:
    assert response.status_code == 200
    return ticket.reference in response.content.decode()


@pytest.mark.parametrize(
    ("user", "sees_acme", "sees_partner_client"),
    [
        ("supervisor", True, True),
        ("n1", True, True),
        ("partner_user", False, True),
        ("client_user", True, False),
        ("other_client_user", False, False),
    ],
)
def test_breached_and_at_risk_are_scoped_by_role(
    world: Any, outages: dict[str, Ticket], user: str, sees_acme: bool, sees_partner_client: bool
) -> None:
    client = login(getattr(world, user))
    with time_machine.travel(paris("2026-11-30 12:30"), tick=False):
        at_risk = client.get(reverse("sla:at-risk"), {"minutes": "45"})
    with time_machine.travel(paris("2026-11-30 14:00"), tick=False):
        breached = client.get(reverse("sla:breached"))
    for page in (at_risk, breached):
        assert shown(page, outages["acme"]) is sees_acme
        assert shown(page, outages["partner"]) is sees_partner_client


def test_client_links_go_to_the_portal(world: Any, outages: dict[str, Ticket]) -> None:
    with time_machine.travel(paris("2026-11-30 14:00"), tick=False):
        page = login(world.client_user).get(reverse("sla:breached")).content.decode()
    assert f'href="/portail/{outages["acme"].reference}/"' in page
    assert "/tickets/" not in page.split("sla-clocks", 1)[1]


def test_out_of_scope_client_filter_is_a_404(world: Any, outages: dict[str, Ticket]) -> None:
    partner = login(world.partner_user)
    assert partner.get(reverse("sla:breached"), {"organisation": world.acme.pk}).status_code == 404
    assert partner.get(reverse("sla:breached"), {"organisation": world.partner_client.pk}).status_code == 200
    assert partner.get(reverse("sla:charts"), {"organisation": world.acme.pk}).status_code == 404
    assert partner.get(reverse("sla:penalty-report-pdf"), {"organisation": world.other.pk}).status_code == 404


@pytest.mark.parametrize(
    ("carrier", "acme", "partner"),
    [
        ("Orange", True, False),
        ("France Télécom", True, False),  # an alias of the configured carrier
        ("SFR", False, True),
        ("", True, True),
        ("Bouygues", False, False),  # not configured: plain text search
    ],
)
def test_breached_filter_per_carrier(
    world: Any, outages: dict[str, Ticket], carrier: str, acme: bool, partner: bool
) -> None:
    with time_machine.travel(paris("2026-11-30 14:00"), tick=False):
        page = login(world.supervisor).get(reverse("sla:breached"), {"carrier": carrier})
    assert (shown(page, outages["acme"]), shown(page, outages["partner"])) == (acme, partner)


def test_carrier_alias_does_not_match_inside_words(world: Any, committed: Committed) -> None:
    """ "FT" is an alias of Orange; an access of "SoftWhere" must not count as Orange."""
    own = t.make_access(world.acme_site, carrier="SoftWhere")
    ticket = cut(world, committed, world.acme, own, "2026-11-30 09:00", "Accès opérateur propre")
    with time_machine.travel(paris("2026-11-30 14:00"), tick=False):
        orange = login(world.supervisor).get(reverse("sla:breached"), {"carrier": "Orange", "kind": "gtr"})
    assert not shown(orange, ticket)


@pytest.mark.parametrize(("minutes", "shown_at_1230"), [("20", False), ("30", True), ("45", True), ("abc", True)])
def test_at_risk_window_is_any_number_of_minutes(
    world: Any, outages: dict[str, Ticket], minutes: str, shown_at_1230: bool
) -> None:
    with time_machine.travel(paris("2026-11-30 12:30"), tick=False):  # GTR due at 13:00
        page = login(world.n1).get(reverse("sla:at-risk"), {"minutes": minutes, "kind": "gtr"})
    assert shown(page, outages["acme"]) is shown_at_1230


def test_carriers_page_lists_overdue_escalations_and_deadlines(
    world: Any, outages: dict[str, Ticket], committed: Committed
) -> None:
    with time_machine.travel(paris("2026-11-30 10:00"), tick=False), committed():
        actions.transition_ticket(outages["partner"], "take", actor=world.n1)
        actions.transition_ticket(
            outages["partner"], "wait_carrier", actor=world.n1, carrier="SFR", carrier_ticket_reference="SFR-5521"
        )
    client = login(world.supervisor)
    with time_machine.travel(paris("2026-12-03 09:00"), tick=False):  # 72 h later is 3 Dec 10:00
        on_time = client.get(reverse("sla:carriers"), {"hors_delai": "1"}).content.decode()
    with time_machine.travel(paris("2026-12-03 11:00"), tick=False):
        late = client.get(reverse("sla:carriers"), {"hors_delai": "1", "carrier": "SFR"}).content.decode()
        orange = client.get(reverse("sla:carriers"), {"carrier": "Orange"}).content.decode()
    assert "SFR-5521" not in on_time
    assert "SFR-5521" in late and "03/12/2026 10:00" in late
    assert "SFR-5521" not in orange
    # The contractual deadlines of seed 001 are listed with their configuration.
    assert re.search(r"<strong>Orange</strong> : 48 h", late) and re.search(r"<strong>SFR</strong> : 72 h", late)
    partner_page = login(world.partner_user).get(reverse("sla:carriers")).content.decode()
    assert outages["partner"].reference in partner_page
    assert login(world.client_user).get(reverse("sla:carriers")).content.decode().count("SFR-5521") == 0


@pytest.fixture
def penalties(world: Any, outages: dict[str, Ticket], committed: Committed) -> None:
    """ACME restored at 16:00 (T = 7 h: 40 % of 250 € in November), the partner's client on Tuesday at 10:00
    (T = 9 h on Monday + 2 h: 100 % of 120 € in December)."""
    restore(world, committed, outages["acme"], "2026-11-30 16:00")
    restore(world, committed, outages["partner"], "2026-12-01 10:00")


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def csv_total(content: bytes, month: str) -> Decimal:
    rows = csv.DictReader(io.StringIO(content.decode().removeprefix("\ufeff")), delimiter=";")
    return sum((Decimal(r["penalite_eur"].replace(",", ".")) for r in rows), Decimal("0"))


def pdf_total(text: str) -> Decimal:
    match = re.search(r"Total des pénalités : ([\d\s\xa0]+,\d\d)", text)
    assert match, text
    return Decimal(re.sub(r"\s", "", match.group(1)).replace(",", "."))


@pytest.mark.parametrize(
    ("user", "month", "expected_total", "present", "absent"),
    [
        ("supervisor", "2026-11", Decimal("100.00"), ["ACME Industries", "100,00"], ["Boulangerie Martin"]),
        ("supervisor", "2026-12", Decimal("120.00"), ["Boulangerie Martin", "120,00", "100 %"], ["ACME Industries"]),
        ("client_user", "2026-11", Decimal("100.00"), ["ACME Industries", "40 %"], []),
        ("partner_user", "2026-11", Decimal("0.00"), ["Aucune pénalité"], ["ACME Industries"]),
    ],
)
def test_pdf_report_matches_csv(
    world: Any, penalties: None, user: str, month: str, expected_total: Decimal, present: list[str], absent: list[str]
) -> None:
    client = login(getattr(world, user))
    pdf = client.get(reverse("sla:penalty-report-pdf"), {"month": month})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert f'filename="penalites-gtr-{month}.pdf"' in pdf["Content-Disposition"]
    assert pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    for fragment in present:
        assert fragment in text
    for fragment in absent:
        assert fragment not in text
    csv_response = client.get(reverse("sla:penalty-report"), {"month": month})
    assert pdf_total(text) == csv_total(csv_response.content, month) == expected_total


def test_pdf_report_per_client(world: Any, penalties: None) -> None:
    pdf = login(world.supervisor).get(
        reverse("sla:penalty-report-pdf"), {"month": "2026-12", "organisation": world.partner_client.pk}
    )
    text = pdf_text(pdf.content)
    assert "Périmètre : Boulangerie Martin" in text
    assert pdf_total(text) == Decimal("120.00")
    assert login(world.supervisor).get(reverse("sla:penalty-report-pdf"), {"month": "décembre"}).status_code == 400


def test_charts_page_and_images(world: Any, penalties: None) -> None:
    client = login(world.supervisor)
    with time_machine.travel(paris("2026-12-04 09:00"), tick=False):
        page = client.get(reverse("sla:charts"), {"mois": "6"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "juil. 2026" in html and "déc. 2026" in html
    assert reverse("sla:chart", args=["conformite", "svg"]) in html
    assert "100,00 €" in html and "120,00 €" in html
    svg = client.get(reverse("sla:chart", args=["penalites", "svg"]), {"month": "2026-12", "mois": "6"})
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg["Content-Disposition"].startswith("inline")
    body = svg.content.decode()
    assert body.lstrip().startswith("<?xml") and "<svg" in body
    assert "nov. 2026" in body and "ACME Industries" in body and "Boulangerie Martin" in body
    png = client.get(
        reverse("sla:chart", args=["conformite", "png"]), {"month": "2026-12", "mois": "12", "telecharger": "1"}
    )
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert png["Content-Disposition"] == 'attachment; filename="sla-conformite-2026-12.png"'
    assert client.get(reverse("sla:chart", args=["camembert", "png"])).status_code == 404
    assert client.get(reverse("sla:chart", args=["penalites", "gif"])).status_code == 404


def test_chart_images_are_scoped(world: Any, penalties: None) -> None:
    params = {"month": "2026-12", "mois": "6"}
    own = login(world.client_user).get(reverse("sla:chart", args=["penalites", "svg"]), params).content.decode()
    assert "ACME Industries" in own and "Boulangerie Martin" not in own
    page = login(world.partner_user).get(reverse("sla:charts"), params).content.decode()
    assert "120,00 €" in page and "100,00 €" not in page


def test_charts_compliance_per_client(world: Any, penalties: None) -> None:
    with time_machine.travel(paris("2026-12-04 09:00"), tick=False):
        page = login(world.supervisor).get(reverse("sla:charts"), {"month": "2026-12", "mois": "6"})
    table = page.content.decode().split('data-testid="compliance-by-client"', 1)[1]
    # ACME: GTR breached in November (0 %); first response met (taken at once).
    assert re.search(
        r"ACME Industries</td><td>GTR \(rétablissement garanti\)</td>(<td[^>]*>—</td>){4}<td[^>]*>0 %", table
    )


def test_pdf_report_command(world: Any, penalties: None, tmp_path: Any) -> None:
    out = tmp_path / "penalites.pdf"
    call_command("sla", "penalty-report", "--month", "2026-11", "--format", "pdf", "--output", str(out))
    text = pdf_text(out.read_bytes())
    assert "Périmètre : tous les clients" in text and "ACME Industries" in text
    assert pdf_total(text) == Decimal("100.00")
    with pytest.raises(CommandError, match="--output"):
        call_command("sla", "penalty-report", "--month", "2026-11", "--format", "pdf")
