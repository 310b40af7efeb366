"""Issue 4, point 3: real SMTP server, real worker code path, time moved forward by the test.

Opening → confirmation mail; information request → 3 reminders → auto-close notice → closed;
a client reply in between un-freezes the ticket instead; resolution → closure request → reminder
→ notice → closed, or closed at once on the client's confirmation.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from softwhere.comms import actions
from softwhere.comms.choices import FollowUpKind, FollowUpState, InboundOutcome, MessageStatus
from softwhere.comms.models import FollowUp, Message, MessageTemplate
from softwhere.jobs.actions import pending_jobs
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.choices import TicketStatus
from softwhere.tickets.models import Ticket

from .conftest import T0, Collector, open_ticket, reply_mail

pytestmark = pytest.mark.django_db
Committed = Callable[[], AbstractContextManager[Any]]
H = timedelta(hours=1)


def ask_information(ticket: Ticket, world: Any, committed: Committed) -> Ticket:
    with committed():
        actions.send_templated_message(
            ticket,
            MessageTemplate.objects.get(code="CLT3"),
            actor=world.n1,
            information="Merci de nous indiquer l'état des voyants de la box (Power, PON, LOS).",
        )
    ticket.refresh_from_db()
    return ticket


def test_opening_sends_the_confirmation_to_client_and_partner(
    world: Any, people: Any, committed: Committed, smtp_server: Collector
) -> None:
    with time_machine.travel(T0, tick=False):
        ticket = open_ticket(world, people, committed)
    [mail] = smtp_server.mails
    assert str(mail["Subject"]).strip() == (
        f"SOFTWHERE INFO INCIDENT {ticket.reference} / Votre référence : / Site : Boutique - Ville : LYON"
    )
    assert sorted(smtp_server.envelopes[0][1]) == [
        "louise@boulangerie-martin.example",
        "marc.roux@integrateur-sud.example",
    ]
    body = mail.get_body(("plain",)).get_content()
    assert f"le ticket d'incident n° {ticket.reference} est ouvert" in body
    message = Message.objects.get(ticket=ticket)
    assert (message.status, message.automatic, message.message_id) == (
        MessageStatus.SENT,
        True,
        str(mail["Message-ID"]),
    )
    entry = ticket.timeline.get(data__comms_message=message.pk)
    assert entry.visibility == "public" and entry.author is None
    assert "✉ Mail envoyé (CLT0 Accusé de réception – ouverture du ticket) automatiquement à" in entry.body
    assert "louise@boulangerie-martin.example" in entry.body and f"Objet : {message.subject}" in entry.body
    assert entry.data["sla_response"] is False  # an automatic acknowledgement is not the desk's first response


def test_information_request_three_reminders_notice_then_auto_close(
    world: Any, people: Any, committed: Committed, run_worker: Callable[[], int], smtp_server: Collector
) -> None:
    with time_machine.travel(T0, tick=False):
        ticket = open_ticket(world, people, committed)
        ticket = ask_information(ticket, world, committed)
    assert ticket.status == TicketStatus.WAITING_CLIENT
    assert len(smtp_server.mails) == 2 and "l'état des voyants" in smtp_server.bodies()[1]
    followup = FollowUp.objects.get(ticket=ticket, kind=FollowUpKind.CLIENT_ANSWER)

    expected = [
        (24, "Relance n° 1 sur 3"),
        (48, "Relance n° 2 sur 3"),
        (72, "Relance n° 3 sur 3"),
        (96, "sera clôturé automatiquement dans 24 heures, le 05/12/2026 à 09:00"),
    ]
    for hours, text in expected:
        before = len(smtp_server.mails)
        with time_machine.travel(T0 + hours * H - timedelta(minutes=1), tick=False):
            run_worker()
        assert len(smtp_server.mails) == before, f"nothing is due before {hours} h"
        with time_machine.travel(T0 + hours * H, tick=False):
            assert run_worker() >= 1
        assert len(smtp_server.mails) == before + 1
        assert text in smtp_server.bodies()[-1]
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.WAITING_CLIENT
    followup.refresh_from_db()
    assert followup.reminders_sent == 3 and followup.notice_sent_at == T0 + 96 * H

    with time_machine.travel(T0 + 120 * H, tick=False):
        run_worker()
    ticket.refresh_from_db()
    followup.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED and ticket.closed_at == T0 + 120 * H
    assert followup.state == FollowUpState.CLOSED
    assert "sans retour du client après 3 relance(s)" in smtp_server.bodies()[-1]
    assert len(smtp_server.mails) == 2 + 4 + 1
    close = ticket.timeline.get(data__transition="close")
    assert close.author is not None and close.author.username == "systeme"
    # Closed without a confirmation: no closure request cycle is started afterwards.
    assert not FollowUp.objects.filter(ticket=ticket, state=FollowUpState.ACTIVE).exists()
    assert not pending_jobs(actions.JOB_FOLLOWUP).exists()


def test_client_reply_unfreezes_the_ticket_and_stops_the_reminders(
    world: Any, people: Any, committed: Committed, run_worker: Callable[[], int], smtp_server: Collector
) -> None:
    with time_machine.travel(T0, tick=False):
        ticket = open_ticket(world, people, committed)
        ticket = ask_information(ticket, world, committed)
    with time_machine.travel(T0 + 24 * H, tick=False):
        run_worker()
    assert "Relance n° 1 sur 3" in smtp_server.bodies()[-1]
    subject = smtp_server.subjects()[-1]
    with time_machine.travel(T0 + 30 * H, tick=False), committed():
        inbound = actions.receive_message(
            reply_mail(
                "Louise Martin <Louise@Boulangerie-Martin.example>",
                f"RE: {subject}",
                "Bonjour,\nPower vert, PON rouge clignotant.\n\n> Relance n° 1 sur 3",
            )
        )
    assert (inbound.outcome, inbound.ticket_id) == (InboundOutcome.THREADED, ticket.pk)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    resume = ticket.timeline.get(data__transition="resume")
    assert "Réponse du client (mail)" in resume.body
    followup = FollowUp.objects.get(ticket=ticket)
    assert (followup.state, followup.reminders_sent) == (FollowUpState.ANSWERED, 1)
    assert not pending_jobs(actions.JOB_FOLLOWUP).exists()
    sent = len(smtp_server.mails)
    with time_machine.travel(T0 + 10 * 24 * H, tick=False):
        run_worker()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS and len(smtp_server.mails) == sent


def resolve(ticket: Ticket, world: Any, committed: Committed) -> Ticket:
    with committed():
        return ticket_actions.transition_ticket(ticket, "resolve", actor=world.n1, resolution="ONT remplacé.")


def test_resolution_closure_request_reminder_notice_then_closed(
    world: Any, people: Any, committed: Committed, run_worker: Callable[[], int], smtp_server: Collector
) -> None:
    with time_machine.travel(T0, tick=False):
        ticket = open_ticket(world, people, committed)
        ticket = resolve(ticket, world, committed)
    assert ticket.status == TicketStatus.RESOLVED
    assert "est résolu.\nRésolution : ONT remplacé." in smtp_server.bodies()[-1]
    steps = [(24, "pas encore reçu votre confirmation"), (48, "sera clôturé automatiquement dans 24 heures")]
    for hours, text in steps:
        with time_machine.travel(T0 + hours * H, tick=False):
            run_worker()
        assert text in smtp_server.bodies()[-1]
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.RESOLVED
    with time_machine.travel(T0 + 72 * H - timedelta(minutes=1), tick=False):
        run_worker()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED
    with time_machine.travel(T0 + 72 * H, tick=False):
        run_worker()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert "fin de l'incident non confirmée par le client" in smtp_server.bodies()[-1]
    assert len(smtp_server.mails) == 1 + 1 + 2 + 1


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ("Bonjour, tout fonctionne, merci.", TicketStatus.CLOSED),
        ("Bonjour, le problème persiste depuis ce matin.", TicketStatus.IN_PROGRESS),
    ],
)
def test_client_confirmation_closes_at_once_and_a_refusal_reopens(
    world: Any,
    people: Any,
    committed: Committed,
    run_worker: Callable[[], int],
    smtp_server: Collector,
    answer: str,
    status: str,
) -> None:
    with time_machine.travel(T0, tick=False):
        ticket = open_ticket(world, people, committed)
        ticket = resolve(ticket, world, committed)
    request = Message.objects.filter(ticket=ticket, purpose="closure_request").get()
    with time_machine.travel(T0 + 2 * H, tick=False), committed():
        actions.receive_message(
            reply_mail("marc.roux@integrateur-sud.example", "Re: votre ticket", answer, in_reply_to=request.message_id)
        )
    ticket.refresh_from_db()
    assert ticket.status == status
    assert FollowUp.objects.get(ticket=ticket, kind=FollowUpKind.CLOSURE).state == FollowUpState.ANSWERED
    sent = len(smtp_server.mails)
    with time_machine.travel(T0 + 5 * 24 * H, tick=False):
        run_worker()
    assert len(smtp_server.mails) == sent  # no reminder, no notice
