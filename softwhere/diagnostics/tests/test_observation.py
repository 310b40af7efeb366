"""Observation that checks itself, with time moved forward: a new alarm reopens, a clean period drafts the mail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from softwhere.catalogue.models import ResolutionCase
from softwhere.diagnostics.actions import JOB_OBSERVATION_CHECK, observation_check
from softwhere.diagnostics.choices import Trigger, WatchStatus
from softwhere.diagnostics.models import DiagnosticRun, ObservationWatch
from softwhere.jobs.choices import JobStatus
from softwhere.jobs.models import ScheduledJob
from softwhere.jobs.worker import Worker
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.choices import TicketStatus, TimelineKind

from .conftest import assert_no_secret, make_ticket

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2025, 6, 19, 10, 0, tzinfo=PARIS)  # « le ticket est traité le 19/06/2025 »

NEW_LOC = (
    "15     Loss of continuity (LOC)\n\n2025-06-19 4.1.24.14 defRemoteCCM Minor\n12:31:05.00 not-applicable\n"
    "16     Loss of continuity (LOC)\n\n2025-06-19 4.1.24.14 defRemoteCCM Cleared\n12:31:50.00 Resolved\n"
)


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(START, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _six_hour_checks(settings: Any) -> None:
    settings.DIAGNOSTICS_OBSERVATION_INTERVAL_MINUTES = 360


def _observe(world: SimpleNamespace, p2p: SimpleNamespace, capture: Any, **kw: Any) -> Any:
    with capture(execute=True):  # the events are delivered as after real commits (acknowledgement, SLA clocks)
        ticket = make_ticket(world, p2p)
        ticket_actions.qualify_ticket(
            ticket, actor=world.n1, case=ResolutionCase.objects.get(pk="sav_internet_coupures")
        )
        ticket_actions.transition_ticket(ticket, "take", actor=world.n1)
    mail.outbox.clear()
    with capture(execute=True):
        ticket = ticket_actions.transition_ticket(
            ticket, "observe", actor=world.n1, observation_until=START + timedelta(hours=24), **kw
        )
    return ticket


def _run_worker() -> int:
    """Run every due job; how many observation checks ran (ticket events due by then are delivered too)."""
    before = _jobs().filter(status=JobStatus.DONE).count()
    Worker(worker_id="test").run_pending()
    return _jobs().filter(status=JobStatus.DONE).count() - before


def _jobs() -> Any:
    return ScheduledJob.objects.filter(kind=JOB_OBSERVATION_CHECK).order_by("due_at", "id")


def test_entering_observation_starts_a_watch(
    world: SimpleNamespace, p2p: SimpleNamespace, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = _observe(world, p2p, django_capture_on_commit_callbacks)
    watch = ObservationWatch.objects.get(ticket=ticket)
    assert watch.status == WatchStatus.ACTIVE and watch.ends_at == START + timedelta(hours=24)
    assert watch.interval_minutes == 360
    [job] = _jobs()
    assert job.payload == {"watch_id": watch.pk, "seq": 0} and job.status == JobStatus.PENDING
    entry = ticket.timeline.filter(kind=TimelineKind.DIAGNOSTIC).get()
    assert (
        "Surveillance automatique : ping et journal d'alarmes toutes les 360 min jusqu'au 20/06/2025 10:00"
        in entry.body
    )


def test_clean_period_drafts_the_client_information_mail(
    world: SimpleNamespace, p2p: SimpleNamespace, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = _observe(world, p2p, django_capture_on_commit_callbacks)
    watch = ObservationWatch.objects.get(ticket=ticket)
    assert _run_worker() == 1  # the first check, right away
    watch.refresh_from_db()
    assert watch.checks_done == 1 and watch.status == WatchStatus.ACTIVE
    runs = DiagnosticRun.objects.filter(watch=watch)
    assert runs.count() == 4 and set(runs.values_list("trigger", flat=True)) == {Trigger.OBSERVATION}
    assert {r.actor.username for r in runs} == {"systeme"}  # type: ignore[union-attr]

    # Move the clock through the period: a check every six hours, the last one ten minutes before the end.
    for hours in (6, 12, 18):
        clock.move_to(START + timedelta(hours=hours, minutes=5 * hours))
        assert _run_worker() == 1
    clock.move_to(START + timedelta(hours=23, minutes=55))
    assert _run_worker() == 1
    watch.refresh_from_db()
    assert watch.status == WatchStatus.CLEAN and watch.checks_done == 5
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OBSERVATION  # the draft is for the agent; nothing sent
    draft = ticket.timeline.filter(kind=TimelineKind.DIAGNOSTIC, data__outcome="clean").get()
    assert (
        "Suite à la mise en observation, de notre côté il n'y a pas eu de coupures depuis le 16/06/2025." in draft.body
    )
    assert draft.data["mail_draft"]["to"] == "jb.sibut@example.fr" and draft.data["sent"] is False
    assert draft.data["mail_draft"]["body"].startswith("Bonjour SIBUT Jean-Baptiste,")
    assert draft.visibility == "internal" and mail.outbox == []
    assert all(j.status == JobStatus.DONE for j in _jobs())
    for entry in ticket.timeline.all():
        assert_no_secret(entry.body, entry.data)


def test_clean_period_can_send_the_mail_when_the_agent_chose_so(
    world: SimpleNamespace, p2p: SimpleNamespace, clock: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ticket = _observe(world, p2p, django_capture_on_commit_callbacks)
    ObservationWatch.objects.filter(ticket=ticket).update(send_mail=True)
    watch = ObservationWatch.objects.get(ticket=ticket)
    clock.move_to(START + timedelta(hours=23, minutes=55))
    with django_capture_on_commit_callbacks(execute=True):
        assert observation_check(watch.pk, 0) == "clean"
    [sent] = mail.outbox
    assert sent.to == ["jb.sibut@example.fr"] and "pas eu de coupures depuis le 16/06/2025" in sent.body


def test_new_alarm_on_the_peer_reopens_the_ticket(
    world: SimpleNamespace, p2p: SimpleNamespace, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = _observe(world, p2p, django_capture_on_commit_callbacks)
    watch = ObservationWatch.objects.get(ticket=ticket)
    _run_worker()
    # The far router (not even named on the ticket) logs a new LOC at 12:31.
    p2p.dev_b.alarm_log += NEW_LOC
    clock.move_to(START + timedelta(hours=6, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert _run_worker() == 1
    ticket.refresh_from_db()
    watch.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS and watch.status == WatchStatus.REOPENED
    reopen = ticket.timeline.filter(kind=TimelineKind.STATUS, data__transition="reopen").get()
    assert reopen.author is not None and reopen.author.username == "systeme"
    assert "RTE-INU_MOIRA_EVPN_LA1-CD0HGFUXC7 : 2 nouvelle(s) alarme(s)" in reopen.body
    assert "Loss of continuity (LOC) defRemoteCCM Minor le 19/06/2025 12:31:05" in reopen.body
    evidence = ticket.timeline.filter(kind=TimelineKind.DIAGNOSTIC, data__outcome="reopened").get()
    [run] = DiagnosticRun.objects.filter(pk__in=evidence.data["evidence_runs"])
    assert run.sheet == p2p.sheet_b and "12:31:05.00" in run.raw_output
    # The watch stops: no further check is scheduled.
    assert not _jobs().filter(status=JobStatus.PENDING).exists()


def test_equipment_unreachable_during_observation_reopens(
    world: SimpleNamespace, p2p: SimpleNamespace, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = _observe(world, p2p, django_capture_on_commit_callbacks)
    watch = ObservationWatch.objects.get(ticket=ticket)
    p2p.fake_bastion.down.add("127.0.0.1")
    p2p.dev_a.silent = True
    assert observation_check(watch.pk, 0) == "reopened"
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert "injoignable" in ticket.timeline.filter(kind=TimelineKind.STATUS).last().body  # type: ignore[union-attr]


def test_desk_side_failures_do_not_reopen_but_spoil_the_mail(
    world: SimpleNamespace, p2p: SimpleNamespace, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = _observe(world, p2p, django_capture_on_commit_callbacks)
    watch = ObservationWatch.objects.get(ticket=ticket)
    p2p.bastion_cred.secret_token = "garbage"
    p2p.bastion_cred.save()
    assert observation_check(watch.pk, 0) == "scheduled"
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OBSERVATION
    clock.move_to(START + timedelta(hours=23, minutes=55))
    assert observation_check(watch.pk, 1) == "inconclusive"
    end = ticket.timeline.filter(kind=TimelineKind.DIAGNOSTIC, data__outcome="inconclusive").get()
    assert "Mail client non préparé" in end.body


def test_watch_stops_when_the_ticket_leaves_observation(
    world: SimpleNamespace, p2p: SimpleNamespace, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = _observe(world, p2p, django_capture_on_commit_callbacks)
    watch = ObservationWatch.objects.get(ticket=ticket)
    ticket_actions.transition_ticket(ticket, "close", actor=world.n1)
    assert observation_check(watch.pk, 0) == "left_observation"
    watch.refresh_from_db()
    assert watch.status == WatchStatus.STOPPED and not DiagnosticRun.objects.exists()


def test_agent_chooses_to_send_the_mail_from_the_panel(
    world: SimpleNamespace, p2p: SimpleNamespace, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.test import Client
    from django.urls import reverse

    ticket = _observe(world, p2p, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(world.n1)
    panel = client.get(reverse("diagnostics:panel", args=[ticket.reference])).content.decode()
    assert "mail client préparé si aucune coupure" in panel
    client.post(reverse("diagnostics:watch_mail", args=[ticket.reference]), {"send_mail": "1"})
    watch = ObservationWatch.objects.get(ticket=ticket)
    assert watch.send_mail
    entry = ticket.timeline.filter(kind=TimelineKind.DIAGNOSTIC, data__send_mail=True).get()
    assert entry.author == world.n1 and "envoyé automatiquement" in entry.body
    client.force_login(world.adv)  # staff but not an agent
    client.post(reverse("diagnostics:watch_mail", args=[ticket.reference]), {"send_mail": "0"})
    watch.refresh_from_db()
    assert watch.send_mail


def test_ticket_without_reachable_equipment_gets_no_watch(
    world: SimpleNamespace, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = ticket_actions.create_ticket(
        actor=world.n1, organisation=world.acme, subject="Ligne mobile", service_state="degrade"
    )
    ticket_actions.qualify_ticket(ticket, actor=world.n1, case=ResolutionCase.objects.get(pk="sav_internet_coupures"))
    ticket_actions.transition_ticket(ticket, "take", actor=world.n1)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_actions.transition_ticket(ticket, "observe", actor=world.n1)
    assert not ObservationWatch.objects.exists() and not _jobs().exists()
    assert not ticket.timeline.filter(kind=TimelineKind.DIAGNOSTIC).exists()
