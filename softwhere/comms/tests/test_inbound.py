"""Inbound mail: threading by reference, attachments, unknown senders, rejects, new tickets, the SMTP receiver."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from contextlib import AbstractContextManager
from email.message import EmailMessage
from typing import Any

import pytest
from django.core import mail

from softwhere.comms import actions
from softwhere.comms.choices import InboundOutcome, MessageStatus
from softwhere.comms.inbound_server import Spool, make_controller
from softwhere.comms.models import InboundMail, Message
from softwhere.tickets.choices import Channel, TicketStatus
from softwhere.tickets.models import Ticket

from .conftest import free_port, open_ticket, reply_mail

pytestmark = pytest.mark.django_db
Committed = Callable[[], AbstractContextManager[Any]]


def with_attachment(sender: str, subject: str) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "support@softwhere.example", subject
    msg["Message-ID"] = "<photo-1@boulangerie-martin.example>"
    msg.set_content("Voici la photo des voyants.")
    msg.add_attachment(b"\x89PNG fake image", maintype="image", subtype="png", filename="voyants box.png")
    return msg.as_bytes()


def test_reply_is_threaded_by_the_reference_in_the_subject_with_its_attachment(
    world: Any, people: Any, committed: Committed, settings: Any
) -> None:
    ticket = open_ticket(world, people, committed)
    inbound = actions.receive_message(
        with_attachment("louise@boulangerie-martin.example", f"TR: SOFTWHERE INFO INCIDENT {ticket.reference} / Site")
    )
    assert (inbound.outcome, inbound.ticket_id) == (InboundOutcome.THREADED, ticket.pk)
    message = inbound.stored_message
    assert message is not None and message.status == MessageStatus.RECEIVED
    assert message.contact == people.client and message.body == "Voici la photo des voyants."
    [attachment] = message.attachments.all()
    assert (attachment.filename, attachment.content_type, attachment.size) == ("voyants box.png", "image/png", 15)
    with attachment.file.open("rb") as fh:
        assert fh.read() == b"\x89PNG fake image"
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    entry = ticket.timeline.get(data__comms_message=message.pk)
    assert entry.body.startswith("✉ Mail reçu de louise@boulangerie-martin.example (MARTIN Louise)")
    assert "Pièces jointes : voyants box.png" in entry.body
    with inbound.raw.open("rb") as fh:
        assert b"voyants box.png" in fh.read()  # the raw mail is archived as received


def test_reply_to_a_sent_mail_is_threaded_by_in_reply_to(world: Any, people: Any, committed: Committed) -> None:
    ticket = open_ticket(world, people, committed)
    ack = Message.objects.get(ticket=ticket)
    inbound = actions.receive_message(
        reply_mail("marc.roux@integrateur-sud.example", "Re: votre demande", "Merci.", in_reply_to=ack.message_id)
    )
    assert (inbound.outcome, inbound.ticket_id) == (InboundOutcome.THREADED, ticket.pk)


def test_unknown_sender_gets_the_web_form_link_once(
    world: Any, people: Any, committed: Committed, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SOFTWHERE_PUBLIC_URL = "https://desk.softwhere.example"
    ticket = open_ticket(world, people, committed)
    mail.outbox.clear()
    raw = reply_mail("inconnu@ailleurs.example", f"RE: SOFTWHERE INFO INCIDENT {ticket.reference}", "Bonjour")
    with committed():
        inbound = actions.receive_message(raw)
    assert inbound.outcome == InboundOutcome.AUTO_ANSWERED and inbound.ticket_id is None
    assert "Expéditeur inconnu pour ce ticket." in inbound.reason
    [answer] = mail.outbox
    assert answer.to == ["inconnu@ailleurs.example"]
    assert "https://desk.softwhere.example/portail/nouveau/" in answer.body
    assert answer.extra_headers["Auto-Submitted"] == "auto-generated"
    assert not ticket.messages.filter(direction="in").exists()  # nothing injected into the ticket
    with committed():
        again = actions.receive_message(reply_mail("inconnu@ailleurs.example", "Autre", "Encore"))
    assert again.outcome == InboundOutcome.IGNORED and len(mail.outbox) == 1  # no mail loop


def test_auto_replies_are_never_answered(db: None, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    raw = reply_mail(
        "robot@ailleurs.example", "Absent du bureau", "Je suis absent.", extra="Auto-Submitted: auto-replied\r\n"
    )
    inbound = actions.receive_message(raw)
    assert inbound.outcome == InboundOutcome.IGNORED and not Message.objects.exists()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "Message vide."),
        (b"Subject: sans expediteur\r\n\r\ncorps\r\n", "Expéditeur absent ou illisible."),
        (
            b"From: support@softwhere.example\r\nSubject: x\r\n\r\nboucle\r\n",
            "Boucle : message émis par SoftWhere lui-même.",
        ),
    ],
)
def test_rejected_mails_are_archived_with_their_reason(db: None, settings: Any, raw: bytes, reason: str) -> None:
    settings.DEFAULT_FROM_EMAIL = "support@softwhere.example"
    inbound = actions.receive_message(raw)
    assert (inbound.outcome, inbound.reason) == (InboundOutcome.REJECTED, reason)
    with InboundMail.objects.get().raw.open("rb") as fh:
        assert fh.read() == raw


def test_known_contact_without_reference_opens_a_mail_ticket(
    world: Any, people: Any, committed: Committed, settings: Any, triage_model: Any
) -> None:
    settings.COMMS_PREQUALIFY = True
    with committed():
        inbound = actions.receive_message(
            reply_mail(
                "louise@boulangerie-martin.example",
                "Plus de connexion internet",
                "La box clignote rouge depuis ce matin.",
            )
        )
    assert inbound.outcome == InboundOutcome.NEW_TICKET
    ticket = Ticket.objects.get(pk=inbound.ticket_id)
    assert (ticket.channel, ticket.reporter, ticket.organisation) == (Channel.MAIL, people.client, world.partner_client)
    assert ticket.subject == "Plus de connexion internet" and ticket.status == TicketStatus.NEW
    [prediction] = ticket.triage_predictions.all()  # softwhere.triage pre-qualified it
    # Internet down with the box's LED red: loss of the WAN link, service interrupted (seed 000).
    assert prediction.case_id == "incident_internet_perte_wan"
    assert (ticket.case_id, ticket.service_state) == ("incident_internet_perte_wan", "interrompu")
    assert ticket.messages.filter(direction="in").count() == 1
    assert ticket.messages.filter(purpose="acknowledgement").exists()  # the opening confirmation with the number


def test_smtp_receiver_spools_then_processes(world: Any, people: Any, committed: Committed, tmp_path: Any) -> None:
    ticket = open_ticket(world, people, committed)
    spool = Spool(tmp_path / "inbox")
    port = free_port()
    controller = make_controller(spool, host="127.0.0.1", port=port)
    controller.start()
    try:
        with smtplib.SMTP("127.0.0.1", port) as client:
            client.sendmail(
                "louise@boulangerie-martin.example",
                ["support@softwhere.example"],
                reply_mail(
                    "louise@boulangerie-martin.example", f"Re: INFO INCIDENT {ticket.reference}", "Ça remarche."
                ),
            )
    finally:
        controller.stop()
    assert spool.process() == 1
    assert spool.process() == 0  # processed files move to cur/
    inbound = InboundMail.objects.get()
    assert (inbound.outcome, inbound.ticket_id) == (InboundOutcome.THREADED, ticket.pk)


def test_cli_ingest_and_retry(world: Any, people: Any, committed: Committed, tmp_path: Any, capsys: Any) -> None:
    from django.core.management import call_command

    ticket = open_ticket(world, people, committed)
    path = tmp_path / "reply.eml"
    path.write_bytes(reply_mail("louise@boulangerie-martin.example", f"INFO INCIDENT {ticket.reference}", "Merci"))
    call_command("comms", "ingest", str(path))
    assert '"outcome": "threaded"' in capsys.readouterr().out
    call_command("comms", "retry")
    assert "0 message(s) retenté(s)." in capsys.readouterr().out


def test_inbound_mail_text_is_found_by_ticket_search(world: Any, people: Any, committed: Committed) -> None:
    """The client's words in a mail are searchable (accents folded): the mail is a comment on its ticket."""
    from softwhere.tickets.search import filter_tickets

    ticket = open_ticket(world, people, committed)
    assert not filter_tickets(Ticket.objects.all(), "onduleur").exists()
    raw = reply_mail("louise@boulangerie-martin.example", f"RE: {ticket.reference}", "L'onduleur a grillé cette nuit.")
    actions.receive_message(raw)
    assert list(filter_tickets(Ticket.objects.all(), "onduleur")) == [ticket]
    assert list(filter_tickets(Ticket.objects.all(), "grille")) == [ticket]


@pytest.mark.parametrize(
    ("subject", "carrier"),
    [
        ("SAV FTTH - SIGNALEMENT_ORAN_SWHR_20261204093000.csv", True),
        ("RE: sav ftth - AR_SWHR_ORAN_20261204.csv", True),
        ("Question sur le SAV FTTH de notre site", False),
        ("SOFTWHERE INFO INCIDENT 2612000001", False),
    ],
)
def test_carrier_subjects_are_recognised(subject: str, carrier: bool) -> None:
    from softwhere.comms.services.inbound import is_carrier_mail

    assert is_carrier_mail(subject) is carrier


def test_inter_operator_files_go_to_the_carrier_gateway_not_to_the_client_flow(db: None) -> None:
    """A v1.0a file by mail is journaled by interop (here refused: unknown OI); no web-form auto-answer."""
    from softwhere.interop.models import InteropMessage

    raw = reply_mail("sav@oi-inconnu.example", "SAV FTTH - SIGNALEMENT_XXXX_SWHR_20261204.csv", "voir PJ")
    inbound = actions.receive_message(raw)
    assert inbound.outcome == InboundOutcome.CARRIER
    [record] = InteropMessage.objects.all()
    assert record.status == "rejected" and "non configuré" in record.reason
    assert "Rejeté" in inbound.reason
    assert mail.outbox == []
    assert not Ticket.objects.exists()
