"""Communications test helpers: a real SMTP server on loopback, after-commit execution, the worker in-process."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from softwhere.catalogue.models import ResolutionCase
from softwhere.core import testing as t
from softwhere.jobs.worker import Worker
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.models import Ticket

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)  # a Monday


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Collector:
    """aiosmtpd handler keeping every mail it accepts (parsed), in arrival order."""

    def __init__(self) -> None:
        self.mails: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        self.mails.append(message_from_bytes(raw, policy=policy.default))  # type: ignore[arg-type]
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(m["Subject"]).strip() for m in self.mails]

    def bodies(self) -> list[str]:
        return [m.get_body(("plain",)).get_content().replace("\r\n", "\n") for m in self.mails]  # type: ignore[union-attr]


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Collector]:
    """A real SMTP server on a free loopback port; Django's SMTP backend points at it."""
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "support@softwhere.example"
    try:
        yield collector
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.COMMS_SMS_FILE = tmp_path / "sms.jsonl"
    settings.COMMS_PREQUALIFY = False  # the triage classifier takes seconds to train; one test turns it on


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], AbstractContextManager[Any]]:
    """``with committed(): …`` runs the block's on-commit callbacks (ticket events, deliveries) at its end,
    as a real commit would (pytest-django wraps each test in a transaction that never commits)."""

    @contextmanager
    def block() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return block


@pytest.fixture
def run_worker(committed: Callable[[], AbstractContextManager[Any]]) -> Callable[[], int]:
    """Run every due job once, in this process, through the real worker code path."""

    def run() -> int:
        with committed():
            return Worker(worker_id="test-worker").run_pending()

    return run


@pytest.fixture
def people(world: Any) -> SimpleNamespace:
    """The partner's client (Boulangerie Martin) with its manager, and the partner's technician."""
    client = t.make_contact(
        world.partner_client,
        site=world.partner_site,
        last_name="Martin",
        first_name="Louise",
        email="louise@boulangerie-martin.example",
    )
    partner = t.make_contact(
        world.partner, last_name="Roux", first_name="Marc", email="marc.roux@integrateur-sud.example"
    )
    return SimpleNamespace(client=client, partner=partner)


def open_ticket(world: Any, people: SimpleNamespace, committed: Callable[[], AbstractContextManager[Any]]) -> Ticket:
    case = ResolutionCase.objects.order_by("number").first()
    with committed():
        ticket = ticket_actions.create_ticket(
            actor=world.n1,
            organisation=world.partner_client,
            site=world.partner_site,
            subject="Plus d'internet à la boutique",
            service_state="interrompu",
            reporter=people.client,
            case=case,
        )
    with committed():
        return ticket_actions.transition_ticket(ticket, "take", actor=world.n1)


def reply_mail(sender: str, subject: str, body: str, *, in_reply_to: str = "", extra: str = "") -> bytes:
    headers = f"From: {sender}\r\nTo: support@softwhere.example\r\nSubject: {subject}\r\nMessage-ID: <r{abs(hash((sender, subject, body)))}@client.example>\r\n"
    if in_reply_to:
        headers += f"In-Reply-To: {in_reply_to}\r\n"
    return (headers + extra + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n").encode()


from softwhere.triage.tests.conftest import session_classifier, triage_dir, triage_model  # noqa: E402,F401
