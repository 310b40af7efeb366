"""API (responses validated against the OpenAPI schema), the ticket page panel, SMS and delivery retries."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from softwhere.comms import actions
from softwhere.comms.choices import MessageStatus
from softwhere.comms.models import Message, MessageTemplate
from softwhere.core import testing as t
from softwhere.core.tests.api_client import api_client
from softwhere.jobs.actions import pending_jobs
from softwhere.tickets.choices import TicketStatus

from .conftest import open_ticket
from .test_sms_and_rules import gateway  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
Committed = Callable[[], AbstractContextManager[Any]]


@pytest.fixture(autouse=True)
def _locmem(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_templates_list_for_staff_only(world: Any) -> None:
    response = api_client(world.n1).get("/api/v1/comms/templates/")
    assert response.status_code == 200
    codes = [row["code"] for row in response.json()]
    assert {"CLT0", "CLT2", "CLT3", "CLT4", "CLT5", "CLT6", "CLT7", "INT-A0", "INT-A1", "INT-A2", "INT-A3"} <= set(
        codes
    )
    assert api_client(world.client_user).get("/api/v1/comms/templates/").status_code == 403


def test_send_preview_and_list_through_the_api(world: Any, people: Any, committed: Committed) -> None:
    ticket = open_ticket(world, people, committed)
    url = f"/api/v1/tickets/{ticket.reference}/messages/"
    client = api_client(world.n1)
    preview = client.post(url + "preview/", {"template": "CLT5", "information": "Technicien sur site à 14 h."})
    assert preview.status_code == 200
    assert preview.json()["subject"].startswith(f"SOFTWHERE INFO INCIDENT {ticket.reference}")
    assert "Technicien sur site à 14 h." in preview.json()["body"]
    assert preview.json()["recipients"].splitlines() == [
        "MARTIN Louise,louise@boulangerie-martin.example;",
        "ROUX Marc,marc.roux@integrateur-sud.example;",
    ]
    mail.outbox.clear()
    with committed():
        response = client.post(
            url,
            {
                "template": "CLT3",
                "information": "Photo des voyants ?",
                "recipients": "Louise,louise@boulangerie-martin.example;",
            },
        )
    assert response.status_code == 201
    [sent] = response.json()
    assert (sent["template"], sent["recipients"], sent["author"]) == (
        "CLT3",
        [{"name": "Louise", "address": "louise@boulangerie-martin.example"}],
        "n1",
    )
    [outgoing] = mail.outbox
    assert outgoing.to == ["louise@boulangerie-martin.example"] and "Photo des voyants ?" in outgoing.body
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING_CLIENT  # CLT3 freezes the ticket
    listed = api_client(world.partner_user).get(url)
    assert listed.status_code == 200 and [m["template"] for m in listed.json()] == ["CLT3", "CLT0"]
    assert listed.json()[0]["status"] == MessageStatus.SENT


def test_api_refusals(world: Any, people: Any, committed: Committed) -> None:
    ticket = open_ticket(world, people, committed)
    url = f"/api/v1/tickets/{ticket.reference}/messages/"
    assert api_client(world.partner_user).post(url, {"template": "CLT5"}).status_code == 403
    assert api_client(world.other_client_user).get(url).status_code == 404
    bad = api_client(world.n1).post(url, {"template": "CLT5", "recipients": "Sans adresse;"})
    assert bad.status_code == 400 and bad.json()["recipients"] == ["Ni mail ni téléphone pour : Sans adresse"]
    unknown = api_client(world.n1).post(url, {"template": "NOPE"})
    assert unknown.status_code == 400 and "template" in unknown.json()
    with committed():
        actions.send_templated_message(
            ticket, MessageTemplate.objects.get(code="CLT3"), actor=world.n1, information="?"
        )
    frozen = api_client(world.n1).post(url, {"template": "CLT6", "chain_to_closure": True})
    assert frozen.status_code == 400 and "chain_to_closure" in frozen.json()


def test_team_messages_stay_internal(world: Any, people: Any, committed: Committed) -> None:
    ticket = open_ticket(world, people, committed)
    with committed():
        [message] = actions.send_templated_message(
            ticket, MessageTemplate.objects.get(code="INT-A2"), actor=world.n1, information="Analyse des logs."
        )
    assert message.recipients == [{"name": "Équipe support", "address": "support-n2@softwhere.example"}]
    assert ticket.timeline.get(data__comms_message=message.pk).visibility == "internal"
    partner_view = api_client(world.partner_user).get(f"/api/v1/tickets/{ticket.reference}/messages/").json()
    assert "INT-A2" not in [m["template"] for m in partner_view]


def test_sms_goes_through_the_http_gateway_by_preference(
    world: Any,
    people: Any,
    committed: Committed,
    settings: Any,
    gateway: Any,  # noqa: F811
) -> None:
    url, handler = gateway
    settings.COMMS_SMS_BACKEND, settings.COMMS_SMS_URL = "http", url
    people.client.mobile, people.client.preferred_channel = "06 12 34 56 78", "both"
    people.client.full_clean()
    people.client.save()
    ticket = open_ticket(world, people, committed)
    with committed():
        sent = actions.send_templated_message(
            ticket, MessageTemplate.objects.get(code="CLT5"), actor=world.n1, information="Rétablissement prévu à 16 h."
        )
    sms = next(m for m in sent if m.channel == "sms")
    sms.refresh_from_db()
    assert sms.status == MessageStatus.SENT and sms.delivered_to == ["+33612345678"]
    [call] = [c for c in handler.received if "16 h" in c["body"]["text"]]
    assert call["body"]["to"] == "+33612345678"
    assert call["body"]["text"] == (
        f"SOFTWHERE INFO INCIDENT {ticket.reference} Site Boutique Ville : LYON\nRétablissement prévu à 16 h."
    )


def test_failed_delivery_is_retried_by_a_durable_job(
    world: Any, people: Any, committed: Committed, settings: Any, run_worker: Callable[[], int]
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on discard
    ticket = open_ticket(world, people, committed)
    ack = Message.objects.get(ticket=ticket)
    assert (ack.status, ack.attempts) == (MessageStatus.PENDING, 1) and ack.last_error
    [job] = pending_jobs(actions.JOB_DELIVER)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the relay is back
    with time_machine.travel(job.due_at + timedelta(seconds=1), tick=False):
        run_worker()
    ack.refresh_from_db()
    assert (ack.status, ack.attempts, ack.last_error) == (MessageStatus.SENT, 2, "")
    assert len(mail.outbox) == 1 and ack.sent_at is not None and ack.sent_at <= timezone.now() + timedelta(hours=1)
    headers = mail.outbox[0].extra_headers
    assert headers["X-SoftWhere-Ticket"] == ticket.reference and headers["Auto-Submitted"] == "auto-generated"


def test_a_delivery_reads_the_message_and_its_ticket_in_one_query(
    world: Any, people: Any, committed: Committed, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # the first attempt fails: the message stays pending
    ticket = open_ticket(world, people, committed)
    ack = Message.objects.get(ticket=ticket)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as queries:
        assert actions.deliver_message(ack.pk) == MessageStatus.SENT
    assert not [q for q in queries if "tickets_ticket" in q["sql"] and "comms_message" not in q["sql"]]
    assert mail.outbox[0].extra_headers["X-SoftWhere-Ticket"] == ticket.reference


def test_panel_on_the_ticket_page_prefills_previews_and_sends(world: Any, people: Any, committed: Committed) -> None:
    ticket = open_ticket(world, people, committed)
    web = Client()
    web.force_login(world.n1)
    page = web.get(f"/tickets/{ticket.reference}/")
    panel_url = f"/tickets/{ticket.reference}/panneau/comms/"
    assert page.status_code == 200 and f'hx-get="{panel_url}"'.encode() in page.content  # fetched once shown
    html = web.get(panel_url).content.decode()
    assert 'data-testid="comms-panel"' in html
    assert "louise@boulangerie-martin.example" in html and "CLT0" in html
    prefill = web.get(f"/communications/tickets/{ticket.reference}/modele/", {"template": "INT-A0"})
    assert "intervention@softwhere.example" in prefill.content.decode()
    form = {
        "template": "CLT5",
        "context": "libre",
        "channels": "mail",
        "information": "Point à 17 h.",
        "recipients": "Louise,louise@boulangerie-martin.example;",
    }
    preview = web.post(f"/communications/tickets/{ticket.reference}/envoyer/", {**form, "preview": "1"})
    assert 'data-testid="comms-preview"' in preview.content.decode() and "Point à 17 h." in preview.content.decode()
    assert Message.objects.filter(ticket=ticket).count() == 1  # a preview sends nothing
    with committed():
        sent = web.post(f"/communications/tickets/{ticket.reference}/envoyer/", form)
    assert sent.status_code == 302 and sent["Location"].endswith("#communications")
    assert Message.objects.filter(ticket=ticket, template__code="CLT5", status=MessageStatus.SENT).count() == 1
    partner = Client()
    partner.force_login(world.partner_user)
    assert partner.post(f"/communications/tickets/{ticket.reference}/envoyer/", form).status_code == 403


def test_demo_adds_sent_messages(db: None) -> None:
    from softwhere.demo.actions import load_demo

    result = load_demo()
    assert result.counts["messages"] >= 2
    assert Message.objects.filter(status=MessageStatus.SENT).count() == result.counts["messages"]


def test_partner_user_of_other_scope_cannot_download_attachment(world: Any) -> None:
    other = t.make_user("client", world.other, "lecteur")
    web = Client()
    web.force_login(other)
    assert web.get("/communications/pieces-jointes/999/").status_code == 404


def test_message_is_sent_once_even_if_the_process_dies_before_sending(
    world: Any, people: Any, committed: Committed, django_capture_on_commit_callbacks: Any, run_worker: Any
) -> None:
    """The commit is done but the after-commit send is lost (process killed): the worker sends it, once."""
    ticket = open_ticket(world, people, committed)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False):  # the callbacks die with the process
        [message] = actions.send_templated_message(
            ticket,
            MessageTemplate.objects.get(code="CLT5"),
            actor=world.n1,
            information="Point à 17 h.",
            channels="mail",
        )
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and mail.outbox == []
    assert run_worker() == 0  # not due yet: a message being sent right now is not raced
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        run_worker()
        run_worker()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1
    assert [m.subject for m in mail.outbox] == [message.subject]
    assert not pending_jobs(actions.JOB_DELIVER).exists()


def test_a_message_sent_at_once_leaves_no_job_behind(world: Any, people: Any, committed: Committed) -> None:
    ticket = open_ticket(world, people, committed)
    assert Message.objects.filter(ticket=ticket, status=MessageStatus.SENT).exists()
    assert not pending_jobs(actions.JOB_DELIVER).exists()
