"""The ticket-event outbox: an event exists iff its change committed, and is delivered exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from softwhere.comms.models import Message
from softwhere.jobs.choices import JobStatus
from softwhere.jobs.models import ScheduledJob
from softwhere.jobs.worker import Worker
from softwhere.sla.models import SlaClock
from softwhere.tickets import actions, events
from softwhere.tickets.models import Ticket
from softwhere.tickets.signals import ticket_event

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2025, 6, 19, 10, 0, tzinfo=PARIS)


@pytest.fixture
def seen() -> Iterator[list[tuple[int, str]]]:
    received: list[tuple[int, str]] = []

    def record(sender: Any, *, ticket_id: int, event: str, **_: Any) -> None:
        received.append((ticket_id, event))

    ticket_event.connect(record, dispatch_uid="test-events-record")
    yield received
    ticket_event.disconnect(dispatch_uid="test-events-record")


@pytest.fixture(autouse=True)
def _mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _create(world: SimpleNamespace, **kw: Any) -> Ticket:
    return actions.create_ticket(
        actor=world.n1,
        organisation=world.acme,
        site=world.acme_site,
        services=[world.acme_access],
        reporter=world.acme_contact,
        subject="ONT sans synchro",
        service_state="interrompu",
        **kw,
    )


def _event_jobs() -> Any:
    return ScheduledJob.objects.filter(kind=events.JOB_EVENT)


def _run_worker() -> int:
    return Worker(worker_id="test").run_pending()


def test_inline_mode_delivers_after_commit_and_leaves_no_job(
    world: SimpleNamespace, seen: list[tuple[int, str]], django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            ticket = _create(world)
            assert seen == [] and _event_jobs().get().status == JobStatus.PENDING  # written with the ticket
        assert seen == [(ticket.pk, "created")]
        assert not _event_jobs().exists()
        assert SlaClock.objects.filter(ticket=ticket).exists()
        assert Message.objects.filter(ticket=ticket, purpose="acknowledgement").count() == 1


def test_inline_event_whose_process_died_is_delivered_once_by_the_worker(
    world: SimpleNamespace, seen: list[tuple[int, str]], django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(NOW, tick=False) as clock:
        # Committed, but the after-commit delivery never ran (the process died).
        with django_capture_on_commit_callbacks(execute=False):
            ticket = _create(world)
        job = _event_jobs().get()
        assert job.due_at == NOW + events.INLINE_GRACE and job.payload["event"] == "created"
        assert _run_worker() == 0 and seen == []  # not before the grace: the acting process may still deliver it
        clock.move_to(NOW + events.INLINE_GRACE + timedelta(seconds=1))
        _run_worker()
        assert seen == [(ticket.pk, "created")]
        assert _event_jobs().get().status == JobStatus.DONE
        _run_worker()
        assert seen == [(ticket.pk, "created")]
        assert Message.objects.filter(ticket=ticket, purpose="acknowledgement").count() == 1


def test_inline_delivery_skips_an_event_the_worker_already_took(
    world: SimpleNamespace, seen: list[tuple[int, str]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _create(world)
    _event_jobs().update(status=JobStatus.RUNNING, locked_by="another-worker")
    callbacks[0]()
    assert seen == []


def test_worker_mode_leaves_the_reactions_to_the_worker(
    world: SimpleNamespace, seen: list[tuple[int, str]], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TICKET_EVENTS = events.WORKER
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            ticket = _create(world)
            actions.transition_ticket(ticket, "take", actor=world.n1)
        assert callbacks == [] and seen == []
        assert not SlaClock.objects.filter(ticket=ticket).exists() and mail.outbox == []
        assert [j.payload["event"] for j in _event_jobs().order_by("id")] == ["created", "transition.take"]
        with django_capture_on_commit_callbacks(execute=True):
            assert _run_worker() == 2
    assert seen == [(ticket.pk, "created"), (ticket.pk, "transition.take")]
    assert set(_event_jobs().values_list("status", flat=True)) == {JobStatus.DONE}
    assert SlaClock.objects.filter(ticket=ticket).exists()
    [ack] = Message.objects.filter(ticket=ticket, purpose="acknowledgement")
    assert ack.status == "sent" and [m.to for m in mail.outbox] == [[world.acme_contact.email]]


def test_worker_mode_a_failing_receiver_does_not_stop_the_others(
    world: SimpleNamespace, seen: list[tuple[int, str]], settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.TICKET_EVENTS = events.WORKER

    def broken(sender: Any, **_: Any) -> None:
        raise RuntimeError("relais SMTP injoignable")

    ticket_event.connect(broken, dispatch_uid="test-events-broken")
    try:
        ticket = _create(world)
        _run_worker()
    finally:
        ticket_event.disconnect(dispatch_uid="test-events-broken")
    assert seen == [(ticket.pk, "created")]
    assert SlaClock.objects.filter(ticket=ticket).exists()
    assert _event_jobs().get().status == JobStatus.DONE
    assert any("broken" in r.getMessage() and r.name == "softwhere.tickets.events" for r in caplog.records)


def test_an_event_rolls_back_with_its_change(world: SimpleNamespace, settings: Any) -> None:
    settings.TICKET_EVENTS = events.WORKER
    with pytest.raises(RuntimeError), transaction.atomic():
        _create(world)
        raise RuntimeError("la suite de la transaction échoue")
    assert not Ticket.objects.exists() and not _event_jobs().exists()
    assert _run_worker() == 0


def test_unknown_mode_is_refused(settings: Any, world: SimpleNamespace) -> None:
    settings.TICKET_EVENTS = "later"
    with pytest.raises(ValueError, match="TICKET_EVENTS"):
        _create(world)
    assert not Ticket.objects.exists()
