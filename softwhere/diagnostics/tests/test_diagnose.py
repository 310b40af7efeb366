"""« Diagnostiquer » from a ticket on a two-site point-to-point: both routers, through the bastion."""

from __future__ import annotations

import logging
from datetime import datetime
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from softwhere.core import testing as t
from softwhere.core.models import AuditEntry
from softwhere.core.tests.api_client import api_client
from softwhere.diagnostics import actions
from softwhere.diagnostics.choices import DiagnosticKind, Verdict
from softwhere.diagnostics.models import DiagnosticRun
from softwhere.inventory.choices import EquipmentKind
from softwhere.jobs.choices import JobStatus
from softwhere.jobs.worker import Worker
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.choices import ServiceState, TicketStatus, TimelineKind
from softwhere.tickets.models import Ticket
from softwhere.tickets.transitions import TicketError

from .conftest import BASTION_PASSWORD, DEVICE_PASSWORD, assert_no_secret, make_ticket

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def ticket(world: SimpleNamespace, p2p: SimpleNamespace) -> Any:
    return make_ticket(world, p2p)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_diagnose_reads_both_ends_through_the_bastion(
    p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace
) -> None:
    report = actions.diagnose_ticket(ticket, actor=world.n1)
    assert [i.sheet for i in report.items] == [p2p.sheet_a, p2p.sheet_b]  # B found through the service sheet
    for item in report.items:
        assert item.ping is not None and item.ping.verdict == Verdict.REACHABLE
        assert item.alarm_log is not None and item.verdict == Verdict.STABLE
        assert item.message.startswith("stable depuis le 16/06/2025")
    assert {port for _, port in p2p.fake_bastion.forwards} == {p2p.dev_a.port, p2p.dev_b.port}
    assert len(p2p.fake_bastion.execs) == 2  # one ping per router, from the bastion
    entries = ticket.timeline.filter(kind=TimelineKind.DIAGNOSTIC)
    assert entries.count() == 4 and DiagnosticRun.objects.filter(ticket=ticket).count() == 4
    alarm_entries = [e for e in entries if e.data["kind"] == DiagnosticKind.ALARM_LOG]
    assert all("stable depuis le 16/06/2025" in e.body for e in alarm_entries)
    assert all(e.author == world.n1 and e.visibility == "internal" for e in entries)


def test_page_shows_stable_since_16_june_and_chart(
    p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    client = _client(world.n1)
    with time_machine.travel(datetime(2025, 6, 19, 10, 0, tzinfo=PARIS), tick=True):  # « traité le 19/06/2025 »
        response = client.post(reverse("diagnostics:diagnose", args=[ticket.reference]))
        pending = client.get(reverse("diagnostics:panel", args=[ticket.reference])).content.decode()
        assert Worker(worker_id="test").run_pending() == 1
        panel = client.get(reverse("diagnostics:panel", args=[ticket.reference]))
    assert response.status_code == 302 and response["Location"].endswith(f"/tickets/{ticket.reference}/#diagnostics")
    # Queued, not run inside the request: the panel polls until the worker is done.
    assert 'data-status="pending"' in pending and 'hx-trigger="every 2s"' in pending
    assert "stable depuis" not in pending
    html = panel.content.decode()
    assert 'data-status="done"' in html and 'hx-trigger="every 2s"' not in html
    assert html.count('data-testid="diag-message">stable depuis le 16/06/2025') == 2
    assert "RTE-INU_MOIRA_EVPN_LA1-CD0HGFUXC7" in html and "extrémité distante" in html
    assert "<svg" in html and 'data-testid="diag-chart"' in html
    assert "<title>16/06 16:10:44 Remote defect indication (RDI) Cleared</title>" in html  # site A's clear
    assert "<title>16/06 16:08:43 Loss of continuity (LOC) Minor</title>" in html  # site B's raise
    assert "GREJ2" in html and "4001" in html and "1000 Mb/s" in html  # the Scribe sheet
    assert_no_secret(html, caplog.text)
    # The evidence page shows the raw output whole, with no secret.
    run = DiagnosticRun.objects.filter(ticket=ticket, kind=DiagnosticKind.ALARM_LOG).first()
    assert run is not None
    page = client.get(reverse("diagnostics:run", args=[run.pk])).content.decode()
    assert "Loss of continuity (LOC)" in page or "Remote defect indication (RDI)" in page
    assert_no_secret(page)
    # HTMX posts get the refreshed panel back, polling; a second click while queued queues nothing more.
    fragment = client.post(reverse("diagnostics:diagnose", args=[ticket.reference]), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and 'id="diagnostics"' in fragment.content.decode()
    assert 'hx-trigger="every 2s"' in fragment.content.decode()
    client.post(reverse("diagnostics:diagnose", args=[ticket.reference]), HTTP_HX_REQUEST="true")
    assert actions.diagnosis_jobs(ticket).count() == 2


def test_requested_diagnosis_runs_on_the_worker_as_the_agent(
    p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace
) -> None:
    job = actions.request_diagnosis(ticket, actor=world.n1)
    assert actions.request_diagnosis(ticket, actor=world.n2) == job  # one request in flight per ticket
    assert DiagnosticRun.objects.count() == 0
    assert Worker(worker_id="test").run_pending() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    runs = DiagnosticRun.objects.filter(ticket=ticket)
    assert runs.count() == 4 and {r.actor for r in runs} == {world.n1}
    assert {r.verdict for r in runs if r.kind == DiagnosticKind.ALARM_LOG} == {Verdict.STABLE}
    with pytest.raises(TicketError):
        actions.request_diagnosis(ticket, actor=world.adv)


def test_requested_diagnosis_on_a_ticket_closed_meanwhile(
    p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace
) -> None:
    actions.request_diagnosis(ticket, actor=world.n1)
    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.CLOSED)
    assert Worker(worker_id="test").run_pending() == 1
    assert DiagnosticRun.objects.count() == 0
    entry = ticket.timeline.filter(kind=TimelineKind.DIAGNOSTIC).get()
    assert entry.body == "Diagnostic demandé non exécuté : Ticket terminé : diagnostic impossible."


def test_panel_inclusion_tag_for_the_ticket_page(p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace) -> None:
    actions.diagnose_ticket(ticket, actor=world.n1)
    request = RequestFactory().get("/")
    request.user = world.n2
    html = Template("{% load diagnostics %}{% diagnostics_panel ticket %}").render(
        RequestContext(request, {"ticket": ticket})
    )
    assert "stable depuis le 16/06/2025" in html and "Diagnostiquer" in html and "Redémarrer" in html
    request.user = world.adv  # staff, not an agent: sees, cannot run
    html = Template("{% load diagnostics %}{% diagnostics_panel ticket %}").render(
        RequestContext(request, {"ticket": ticket})
    )
    assert "stable depuis le 16/06/2025" in html and 'data-testid="diagnose"' not in html


def test_access_rules(p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace) -> None:
    assert _client(world.client_user).post(reverse("diagnostics:diagnose", args=[ticket.reference])).status_code == 403
    other = ticket_actions.create_ticket(
        actor=world.n1, organisation=world.other, subject="x", service_state=ServiceState.INTERRUPTED
    )
    assert _client(world.n1).get(reverse("diagnostics:panel", args=["0000000000"])).status_code == 404
    assert _client(world.n1).get(reverse("diagnostics:panel", args=[other.reference])).status_code == 200
    with pytest.raises(TicketError):
        actions.diagnose_ticket(ticket, actor=world.adv)
    assert DiagnosticRun.objects.count() == 0


def test_ticket_without_service_sheet(world: SimpleNamespace) -> None:
    router = t.make_equipment(world.acme_site, kind=EquipmentKind.ROUTER)
    ticket = ticket_actions.create_ticket(
        actor=world.n1, organisation=world.acme, subject="x", service_state=ServiceState.DEGRADED, equipment=[router]
    )
    report = actions.diagnose_ticket(ticket, actor=world.n1)
    assert report.items == [] and report.without_sheet == [router]
    entry = ticket.timeline.filter(kind=TimelineKind.DIAGNOSTIC).get()
    assert "aucun équipement concerné n'a de fiche prestation" in entry.body


def test_reboot_is_n2_confirmed_and_audited(p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace) -> None:
    with pytest.raises(TicketError):
        actions.reboot_equipment(
            p2p.sheet_a, ticket=ticket, actor=world.n1, confirmation=p2p.sheet_a.hostname, reason="x"
        )
    with pytest.raises(Exception, match="Recopiez"):
        actions.reboot_equipment(p2p.sheet_a, ticket=ticket, actor=world.n2, confirmation="oui", reason="bagots")
    assert not p2p.dev_a.rebooted and p2p.dev_a.commands == []
    run = actions.reboot_equipment(
        p2p.sheet_a, ticket=ticket, actor=world.n2, confirmation=p2p.sheet_a.hostname, reason="bagots persistants"
    )
    assert run.verdict == Verdict.DONE and p2p.dev_a.rebooted
    assert p2p.dev_a.commands[-2:] == ["admin reboot", "yes"]
    assert "Are you sure? [yes/no]" in run.raw_output
    assert AuditEntry.objects.filter(action="equipment.reboot_requested", object_id=str(p2p.router_a.pk)).exists()
    assert AuditEntry.objects.get(action="equipment.reboot").changes["verdict"] == "done"
    entry = ticket.timeline.filter(kind=TimelineKind.DIAGNOSTIC).last()
    assert (
        entry is not None
        and entry.author == world.n2
        and "Redémarrage" in entry.body
        and "bagots persistants" in entry.body
    )
    # Diagnostics never send the reboot: the read-only checks leave the device alone.
    p2p.dev_b.commands.clear()
    actions.diagnose_ticket(ticket, actor=world.n2)
    assert "admin reboot" not in p2p.dev_b.commands


def test_reboot_view(p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace) -> None:
    url = reverse("diagnostics:reboot", args=[ticket.reference, p2p.sheet_b.pk])
    response = _client(world.n2).post(url, {"confirmation": "faux", "reason": "test"}, follow=True)
    assert "Recopiez exactement" in response.content.decode() and not p2p.dev_b.rebooted
    _client(world.n2).post(url, {"confirmation": p2p.sheet_b.hostname, "reason": "bagots"})
    assert p2p.dev_b.rebooted


# --- API ---------------------------------------------------------------------------------------------------


def test_api_diagnose_is_queued_then_polled(p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace) -> None:
    client = api_client(world.n1)
    response = client.post(f"/api/v1/diagnostics/tickets/{ticket.reference}/diagnose/")
    assert response.status_code == 202, response.content
    queued = response.json()
    assert (queued["status"], queued["outcome"], queued["equipment"], queued["runs"]) == ("pending", None, [], [])
    poll = urlparse(queued["poll_url"]).path
    assert poll == f"/api/v1/diagnostics/requests/{queued['id']}/" and response["Location"] == queued["poll_url"]
    # Nothing ran inside the request; a second call while queued returns the same request.
    assert DiagnosticRun.objects.count() == 0
    again = client.post(f"/api/v1/diagnostics/tickets/{ticket.reference}/diagnose/")
    assert again.status_code == 202 and again.json()["id"] == queued["id"]
    assert client.get(poll).json()["status"] == "pending"

    assert Worker(worker_id="test").run_pending() == 1
    body = client.get(poll).json()
    assert (body["status"], body["outcome"], body["ticket"]) == ("done", "done", ticket.reference)
    assert [e["verdict"] for e in body["equipment"]] == ["stable", "stable"]
    assert [e["equipment"] for e in body["equipment"]] == [p2p.sheet_a.equipment_id, p2p.sheet_b.equipment_id]
    assert all(e["message"].startswith("stable depuis le 16/06/2025") for e in body["equipment"])
    assert len(body["runs"]) == 4 and {(r["trigger"], r["actor"]) for r in body["runs"]} == {("api", "n1")}
    assert sorted(r["id"] for r in body["runs"]) == sorted(i for e in body["equipment"] for i in e["runs"])

    runs = client.get("/api/v1/diagnostics/runs/", {"ticket": ticket.reference, "kind": "alarm_log"}).json()
    assert runs["count"] == 2 and all("raw_output" not in r for r in runs["results"])
    detail = client.get(f"/api/v1/diagnostics/runs/{runs['results'][0]['id']}/").json()
    assert "show configure reporting alarm-log" in detail["raw_output"]
    for payload in (body, runs, detail):
        assert_no_secret(payload)
    assert api_client(world.client_user).get(poll).status_code == 403
    assert api_client(world.client_user).get("/api/v1/diagnostics/runs/").status_code == 403
    assert client.get(f"/api/v1/diagnostics/requests/{queued['id'] + 1000}/").status_code == 404


def test_api_diagnose_refused_by_the_worker_and_by_the_request(
    p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace
) -> None:
    client = api_client(world.n1)
    poll = urlparse(client.post(f"/api/v1/diagnostics/tickets/{ticket.reference}/diagnose/").json()["poll_url"]).path
    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.CLOSED)
    assert Worker(worker_id="test").run_pending() == 1
    body = client.get(poll).json()
    assert (body["status"], body["outcome"], body["runs"]) == ("done", "refused", [])
    assert body["detail"] == "Ticket terminé : diagnostic impossible."
    # Once closed, the request itself is refused (409) and an ADV user may not diagnose (403).
    refused = client.post(f"/api/v1/diagnostics/tickets/{ticket.reference}/diagnose/")
    assert refused.status_code == 409 and refused.json()["code"] == "transition_not_allowed"
    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.NEW)
    assert api_client(world.adv).post(f"/api/v1/diagnostics/tickets/{ticket.reference}/diagnose/").status_code == 403


def test_diagnosis_request_reads_only_diagnose_jobs(world: SimpleNamespace) -> None:
    """The poll endpoint must not disclose other background jobs by id."""
    from softwhere.jobs.actions import schedule

    other = schedule(actions.JOB_OBSERVATION_CHECK, timezone.now(), {"watch_id": 0, "seq": 0})
    assert api_client(world.n1).get(f"/api/v1/diagnostics/requests/{other.pk}/").status_code == 404


def test_api_credentials_never_show_the_secret(world: SimpleNamespace) -> None:
    admin = api_client(world.admin)
    created = admin.post(
        "/api/v1/diagnostics/credentials/", {"name": "routeurs", "username": "jmartial", "secret": DEVICE_PASSWORD}
    )
    assert created.status_code == 201, created.content
    assert created.json()["has_secret"] is True and "secret" not in created.json()
    cid = created.json()["id"]
    for response in (
        admin.get("/api/v1/diagnostics/credentials/"),
        admin.get(f"/api/v1/diagnostics/credentials/{cid}/"),
        admin.patch(f"/api/v1/diagnostics/credentials/{cid}/", {"secret": BASTION_PASSWORD}),
        admin.get("/api/schema/", {"format": "json"}),
    ):
        assert response.status_code == 200
        assert_no_secret(response.content.decode())
    refused = api_client(world.n1).post(
        "/api/v1/diagnostics/credentials/", {"name": "x", "username": "y", "secret": "zzz-secret"}
    )
    assert refused.status_code == 403


def test_api_service_sheet_and_known_hosts(world: SimpleNamespace) -> None:
    router = t.make_equipment(world.acme_site, kind=EquipmentKind.ROUTER)
    n1 = api_client(world.n1)
    created = n1.post(
        "/api/v1/diagnostics/service-sheets/",
        {"equipment": router.pk, "admin_ip": "10.47.1.1", "topology": "p2p", "management_vlan": 4001},
    )
    assert created.status_code == 201, created.content
    bad = n1.patch(f"/api/v1/diagnostics/service-sheets/{created.json()['id']}/", {"management_vlan": 5000})
    assert bad.status_code == 400 and "management_vlan" in bad.json()
    admin = api_client(world.admin)
    kh = admin.post(
        "/api/v1/diagnostics/known-hosts/",
        {
            "host": "10.47.1.1",
            "public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
        },
    )
    assert kh.status_code == 201 and kh.json()["fingerprint"].startswith("SHA256:")
    assert admin.delete(f"/api/v1/diagnostics/known-hosts/{kh.json()['id']}/").status_code == 204
