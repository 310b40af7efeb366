"""Every state change of the communications: sending, delivering, receiving, following up.

Outbound messages are written (rows + ticket timeline) in the caller's transaction and
delivered after commit; a failed delivery is retried by a durable job. Follow-up timers
are ``softwhere.jobs`` rows, cancelled as soon as the ticket leaves the awaited state.
Ticket state changes go through ``softwhere.tickets.actions`` only.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename

from softwhere.customers.models import Contact
from softwhere.jobs.actions import cancel, schedule
from softwhere.jobs.system import system_user
from softwhere.jobs.worker import backoff
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.choices import Channel, ServiceState, TicketStatus, TimelineKind, Visibility
from softwhere.tickets.models import Ticket, TimelineEntry
from softwhere.tickets.transitions import TicketError, TicketErrorCode

from . import backends, conf
from .choices import (
    Audience,
    ChannelMode,
    CommunicationContext,
    Direction,
    FollowUpKind,
    FollowUpState,
    InboundOutcome,
    MessageChannel,
    MessageStatus,
    TemplatePurpose,
)
from .models import Attachment, FollowUp, InboundMail, Message, MessageTemplate
from .services import followup as plan_service
from .services.headers import mail_header, sms_header
from .services.inbound import (
    ParsedMail,
    UnparseableMail,
    closure_reply_confirms,
    is_carrier_mail,
    parse_mail,
    reference_candidates,
    strip_quoted,
)
from .services.recipients import Recipient, contact_recipient, dedupe, parse_recipients, restrict
from .services.rendering import RenderError, render_text

logger = logging.getLogger("softwhere.comms")

JOB_DELIVER = "comms.deliver"
JOB_FOLLOWUP = "comms.followup"

WORKING = (TicketStatus.IN_PROGRESS, TicketStatus.ESCALATED)
AWAITING_CLOSURE = (TicketStatus.RESOLVED, TicketStatus.CLOSURE_REQUESTED)
FINISHED = (TicketStatus.CLOSED, TicketStatus.CANCELLED)
SMS_MAX_CHARS = 612  # four concatenated SMS

#: Template used by each automatic step.
FOLLOWUP_PURPOSES = {
    (FollowUpKind.CLIENT_ANSWER, plan_service.REMINDER): TemplatePurpose.REMINDER,
    (FollowUpKind.CLOSURE, plan_service.REMINDER): TemplatePurpose.CLOSURE_REMINDER,
    (FollowUpKind.CLIENT_ANSWER, plan_service.NOTICE): TemplatePurpose.AUTO_CLOSE_NOTICE,
    (FollowUpKind.CLOSURE, plan_service.NOTICE): TemplatePurpose.AUTO_CLOSE_NOTICE,
}
REQUEST_PURPOSES: dict[str, tuple[str, ...]] = {
    FollowUpKind.CLIENT_ANSWER: (TemplatePurpose.INFORMATION_REQUEST, TemplatePurpose.ACTION_REQUEST),
    FollowUpKind.CLOSURE: (TemplatePurpose.CLOSURE_REQUEST,),
}


# --- recipients and rendering --------------------------------------------------------------------------


def client_contacts(ticket: Ticket) -> list[Contact]:
    """Who hears about a ticket: its reporter (else the company's technical contacts) and the partner's."""
    contacts: list[Contact] = []
    if ticket.reporter is not None:
        contacts.append(ticket.reporter)
    else:
        tech = [c for c in Contact.objects.filter(organisation_id=ticket.organisation_id) if "technique" in c.roles]
        on_site = [c for c in tech if ticket.site_id and c.site_id in (ticket.site_id, None)]
        contacts += on_site or tech
    partner_id = ticket.organisation.partner_id
    if partner_id:
        partner = list(Contact.objects.filter(organisation_id=partner_id))
        contacts += [c for c in partner if "technique" in c.roles] or partner[:1]
    return contacts


def default_recipients(ticket: Ticket, template: MessageTemplate, mode: str | None = None) -> list[Recipient]:
    """Team templates: their configured addresses. Client templates: contacts, by their preferred channel."""
    mode = mode or template.channels
    if template.audience == Audience.TEAM:
        recipients, _ = parse_recipients(template.default_recipients)
        return dedupe(restrict(recipients, mode))
    out = []
    for contact in client_contacts(ticket):
        r = contact_recipient(
            name=str(contact),
            email=contact.email,
            mobile=contact.mobile,
            preferred=contact.preferred_channel,
            mode=mode,
        )
        if r is not None:
            out.append(r)
    return dedupe(out)


def template_for(purpose: str) -> MessageTemplate | None:
    return MessageTemplate.objects.filter(purpose=purpose, is_active=True).order_by("family", "position").first()


def _local(dt: datetime | None) -> str:
    return f"{timezone.localtime(dt):%d/%m/%Y à %H:%M}" if dt else ""


def message_context(
    ticket: Ticket | None,
    *,
    actor: Any = None,
    information: str = "",
    grouped_outage: bool = False,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    site = ticket.site if ticket is not None else None
    site_name, city = (site.name, site.city) if site is not None else ("", "")
    header = sms = ""
    if ticket is not None:
        header = mail_header(
            brand=conf.brand(),
            reference=ticket.reference,
            client_reference=ticket.client_reference,
            site=site_name,
            city=city,
        )
        sms = sms_header(brand=conf.brand(), reference=ticket.reference, site=site_name, city=city)
    agent = actor.get_full_name() if actor is not None and getattr(actor, "pk", None) else ""
    context: dict[str, Any] = {
        "header": header,
        "sms_header": sms,
        "reference": ticket.reference if ticket else "",
        "ticket_subject": ticket.subject if ticket else "",
        "organisation": ticket.organisation.name if ticket else "",
        "site": site_name,
        "city": city,
        "status": ticket.get_status_display() if ticket else "",
        "resolution": ticket.resolution if ticket else "",
        "information": information.strip(),
        "grouped_outage": grouped_outage,
        "agent": agent,
        "signature": conf.signature(),
        "web_form_url": conf.public_url() + reverse("portal:create"),
        "ticket_url": conf.public_url() + reverse("portal:detail", args=[ticket.reference]) if ticket else "",
        "max_reminders": conf.max_reminders(),
        "auto_close_hours": int(conf.auto_close_hours()),
    }
    context.update(extra or {})
    return context


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    sms: str


def render_message(template: MessageTemplate, context: dict[str, Any]) -> Rendered:
    try:
        subject = " ".join(render_text(template.subject_template, context).split())[:300]
        body = render_text(template.body_template, context)
        sms_source = template.sms_template or "{{ sms_header }}\n{{ information }}"
        sms = render_text(sms_source, context)[:SMS_MAX_CHARS]
    except RenderError as exc:
        raise ValidationError({"template": [str(exc)]}) from exc
    return Rendered(subject=subject or context.get("header", ""), body=body, sms=sms)


def preview_message(
    ticket: Ticket,
    template: MessageTemplate,
    *,
    actor: Any,
    information: str = "",
    grouped_outage: bool | None = None,
) -> Rendered:
    grouped = template.grouped_outage if grouped_outage is None else grouped_outage
    return render_message(
        template, message_context(ticket, actor=actor, information=information, grouped_outage=grouped)
    )


# --- sending -------------------------------------------------------------------------------------------


def _domain() -> str:
    sender = conf.mail_from()
    return sender.rsplit("@", 1)[-1] if "@" in sender else "softwhere.example"


def _timeline(message: Message, *, automatic: bool, author: Any, attachments: list[str] | None = None) -> TimelineEntry:
    """The exchange as the ticket shows it: who, channel, recipients, subject, text.

    ``attachments``: the file names when the caller knows them (an outbound message has none), else read.
    """
    assert message.ticket is not None
    icon, verb = ("✉", "Mail") if message.channel == MessageChannel.MAIL else ("📱", "SMS")
    if message.direction == Direction.OUTBOUND:
        what = f" ({message.template.code} {message.template.name})" if message.template else ""
        head = f"{icon} {verb} envoyé{what}{' automatiquement' if automatic else ''} à : {message.recipients_text()}"
    else:
        head = f"{icon} {verb} reçu de {message.sender}" + (f" ({message.contact})" if message.contact else "")
    lines = [head]
    if message.subject and message.channel == MessageChannel.MAIL:
        lines.append(f"Objet : {message.subject}")
    text = "\n".join(lines) + "\n\n" + message.body
    if attachments is None:
        attachments = [a.filename for a in message.attachments.all()] if message.pk else []
    if attachments:
        text += "\n\nPièces jointes : " + ", ".join(attachments)
    client = message.audience == Audience.CLIENT
    return TimelineEntry.objects.create(
        ticket=message.ticket,
        kind=TimelineKind.COMMENT,
        author=author,
        visibility=Visibility.PUBLIC if client else Visibility.INTERNAL,
        body=text,
        data={
            "comms_message": message.pk,
            "channel": message.channel,
            "direction": message.direction,
            "template": message.template.code if message.template else None,
            "recipients": message.recipients,
            # A mail written by an agent to the client answers them (SLA first response); automatic ones do not.
            "sla_response": bool(message.direction == Direction.OUTBOUND and client and not automatic),
        },
    )


def _outbound(
    *,
    ticket: Ticket | None,
    channel: str,
    template: MessageTemplate | None,
    purpose: str,
    audience: str,
    recipients: list[dict[str, str]],
    subject: str,
    body: str,
    author: Any,
    automatic: bool,
    in_reply_to: str = "",
) -> Message:
    message = Message.objects.create(
        ticket=ticket,
        direction=Direction.OUTBOUND,
        channel=channel,
        template=template,
        purpose=purpose,
        audience=audience,
        sender=conf.mail_from() if channel == MessageChannel.MAIL else str(conf._get("COMMS_SMS_SENDER", "")),
        recipients=recipients,
        subject=subject if channel == MessageChannel.MAIL else "",
        body=body,
        status=MessageStatus.PENDING,
        author=author if getattr(author, "pk", None) else None,
        automatic=automatic,
        message_id=make_msgid(domain=_domain()) if channel == MessageChannel.MAIL else "",
        in_reply_to=in_reply_to,
    )
    if ticket is not None:
        _timeline(message, automatic=automatic, author=None if automatic else author, attachments=[])
    pk = message.pk
    # The first retry is written with the message, in the same transaction: if the process dies
    # between the commit and the after-commit send, the worker still sends it (once: row lock).
    schedule(JOB_DELIVER, timezone.now() + backoff(1), {"message_id": pk}, dedupe_key=_safety_net_key(pk))
    transaction.on_commit(lambda: _deliver_after_commit(pk))
    return message


def _safety_net_key(message_id: int) -> str:
    return f"{JOB_DELIVER}:{message_id}:net"


def send_templated_message(
    ticket: Ticket,
    template: MessageTemplate,
    *,
    actor: Any,
    information: str = "",
    recipients: list[Recipient] | None = None,
    channels: str | None = None,
    grouped_outage: bool | None = None,
    context: str | None = None,
    chain_to_closure: bool | None = None,
    automatic: bool = False,
    extra: dict[str, Any] | None = None,
) -> list[Message]:
    """Send ``template`` about ``ticket`` by mail and/or SMS, with seed 004's form parameters.

    ``context="gel"`` puts a worked ticket in « attente client » (its follow-up starts from
    that transition); ``chain_to_closure`` then asks the client to confirm the closure.
    """
    if not automatic and not getattr(actor, "is_agent", False):
        raise TicketError(TicketErrorCode.ROLE_NOT_ALLOWED, "Seul un agent peut envoyer un message.")
    mode = channels or template.channels
    context = context or template.context
    chain = template.chain_to_closure if chain_to_closure is None else chain_to_closure
    grouped = template.grouped_outage if grouped_outage is None else grouped_outage
    errors: dict[str, list[str]] = {}
    if not template.is_active:
        errors["template"] = ["Ce modèle est désactivé."]
    if mode not in ChannelMode.values:
        errors["channels"] = ["Mode de communication inconnu."]
    if context not in CommunicationContext.values:
        errors["context"] = ["Contexte inconnu."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update(of=("self",)).select_related("organisation", "site").get(pk=ticket.pk)
        if ticket.status in FINISHED and not automatic:
            raise TicketError(TicketErrorCode.TRANSITION_NOT_ALLOWED, "Ticket terminé : rouvrez-le pour écrire.")
        if context == CommunicationContext.FREEZE and ticket.status not in (*WORKING, TicketStatus.WAITING_CLIENT):
            errors["context"] = [
                f"Gel impossible depuis l'état « {ticket.get_status_display()} » : le ticket doit être en cours."
            ]
        if chain and ticket.status not in (TicketStatus.RESOLVED, TicketStatus.OBSERVATION):
            errors["chain_to_closure"] = [
                "Enchaînement vers la clôture : le ticket doit être rétabli ou en observation."
            ]
        chosen = dedupe(
            restrict(default_recipients(ticket, template, mode) if recipients is None else recipients, mode)
        )
        if not chosen:
            errors["recipients"] = ["Aucun destinataire joignable par ce mode de communication."]
        if errors:
            raise ValidationError(errors)
        rendered = render_message(
            template,
            message_context(ticket, actor=actor, information=information, grouped_outage=grouped, extra=extra),
        )
        author = system_user() if automatic else actor
        messages = []
        mails = [{"name": r.name, "address": r.email} for r in chosen if r.email]
        phones = [{"name": r.name, "address": r.phone} for r in chosen if r.phone]
        for channel, rows, body in (
            (MessageChannel.MAIL, mails, rendered.body),
            (MessageChannel.SMS, phones, rendered.sms),
        ):
            if rows:
                messages.append(
                    _outbound(
                        ticket=ticket,
                        channel=channel,
                        template=template,
                        purpose=template.purpose,
                        audience=template.audience,
                        recipients=rows,
                        subject=rendered.subject,
                        body=body,
                        author=author,
                        automatic=automatic,
                    )
                )
        if context == CommunicationContext.FREEZE and ticket.status in WORKING:
            reason = f"{template.name} envoyée au client."
            if information.strip():
                reason += f"\n{information.strip()[:500]}"
            ticket_actions.transition_ticket(ticket, "wait_client", actor=author, reason=reason)
        if chain:
            ticket_actions.transition_ticket(ticket, "request_closure", actor=author)
    return messages


# --- delivery ------------------------------------------------------------------------------------------


def _deliver_after_commit(message_id: int) -> None:
    """First delivery attempt, right after the commit; never raises into the caller's request."""
    try:
        deliver_message(message_id)
    except Exception:
        # The first retry was scheduled with the message: the worker takes it from there.
        logger.exception("message %s: delivery attempt crashed; the worker will retry", message_id)


def deliver_message(message_id: int) -> str:
    """Send a pending message once; on failure keep it pending and schedule a retry (a durable job).

    The row lock makes concurrent attempts (after-commit hook and retry job) send at most once;
    SMS numbers already served are remembered, so a retry only sends to the others.
    """
    with transaction.atomic():
        # The ticket comes with the row (its reference heads the mail); only the message is locked.
        message = Message.objects.select_for_update(of=("self",)).select_related("ticket").filter(pk=message_id).first()
        if message is None or message.status != MessageStatus.PENDING:
            return message.status if message else "missing"
        message.attempts += 1
        try:
            if message.channel == MessageChannel.MAIL:
                headers = {"X-SoftWhere-Ticket": message.ticket.reference} if message.ticket else {}
                if message.in_reply_to:
                    headers.update({"In-Reply-To": message.in_reply_to, "References": message.in_reply_to})
                if message.automatic:
                    headers["Auto-Submitted"] = "auto-generated"
                backends.send_mail_message(
                    subject=message.subject,
                    body=message.body,
                    sender=message.sender,
                    to=[r["address"] for r in message.recipients],
                    message_id=message.message_id,
                    reply_to=conf.reply_to(),
                    headers=headers,
                )
                message.delivered_to = [r["address"] for r in message.recipients]
            else:
                gateway = backends.sms_backend()
                for row in message.recipients:
                    if row["address"] not in message.delivered_to:
                        gateway.send(row["address"], message.body)
                        message.delivered_to = [*message.delivered_to, row["address"]]
        except backends.DeliveryError as exc:
            message.last_error = str(exc)[:2000]
            if message.attempts >= conf.max_delivery_attempts():
                message.status = MessageStatus.FAILED
                logger.error("message %s: delivery failed for good: %s", message.pk, exc)
            else:
                cancel(_safety_net_key(message.pk))  # the backoff retry below replaces it
                schedule(
                    JOB_DELIVER,
                    timezone.now() + backoff(message.attempts),
                    {"message_id": message.pk},
                    dedupe_key=f"{JOB_DELIVER}:{message.pk}:{message.attempts}",
                )
                logger.warning("message %s: delivery failed (%s), retry scheduled", message.pk, exc)
            message.save(update_fields=["attempts", "last_error", "status", "delivered_to"])
            return message.status
        message.status = MessageStatus.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "last_error", "status", "delivered_to", "sent_at"])
        cancel(_safety_net_key(message.pk))  # sent: the safety net is not needed (a running one is left alone)
    return MessageStatus.SENT


def retry_stale_messages(older_than: timedelta = timedelta(minutes=10)) -> int:
    """Messages still pending long after their commit (the process died before delivering): try again."""
    count = 0
    limit = timezone.now() - older_than
    for pk in Message.objects.filter(status=MessageStatus.PENDING, created_at__lt=limit).values_list("pk", flat=True):
        deliver_message(pk)
        count += 1
    return count


# --- automatic follow-up (seed 001 VII) ------------------------------------------------------------------


def _plan(kind: str) -> list[plan_service.Step]:
    return plan_service.plan(
        kind,
        reminder_hours=conf.reminder_hours(),
        max_reminders=conf.max_reminders(),
        auto_close_hours=conf.auto_close_hours(),
    )


def _schedule_step(followup: FollowUp, index: int, *, now: datetime) -> None:
    """The next step is due one interval after the previous one ran (a late worker never bunches reminders)."""
    steps = _plan(followup.kind)
    if index >= len(steps):
        return
    gap = steps[index].after - (steps[index - 1].after if index else timedelta(0))
    schedule(
        JOB_FOLLOWUP,
        now + gap,
        {"followup_id": followup.pk, "ticket_id": followup.ticket_id, "step": index},
        dedupe_key=f"{JOB_FOLLOWUP}:{followup.pk}:{index}",
    )


def start_followup(ticket: Ticket, kind: str) -> FollowUp:
    """Start (or keep) the follow-up cycle of ``kind`` for ``ticket`` and schedule its first step."""
    now = timezone.now()
    with transaction.atomic():
        Ticket.objects.select_for_update().get(pk=ticket.pk)
        active = FollowUp.objects.filter(ticket=ticket, kind=kind, state=FollowUpState.ACTIVE).first()
        if active is not None:
            return active
        request = (
            Message.objects.filter(ticket=ticket, direction=Direction.OUTBOUND, purpose__in=REQUEST_PURPOSES[kind])
            .order_by("-created_at", "-id")
            .first()
        )
        followup = FollowUp.objects.create(ticket=ticket, kind=kind, started_at=now, request_message=request)
        _schedule_step(followup, 0, now=now)
    return followup


def stop_followups(ticket_id: int, *, kinds: tuple[str, ...], state: str, reason: str) -> int:
    """End the active cycles of ``kinds`` and cancel their pending timers."""
    stopped = 0
    with transaction.atomic():
        for followup in FollowUp.objects.select_for_update().filter(
            ticket_id=ticket_id, kind__in=kinds, state=FollowUpState.ACTIVE
        ):
            followup.state = state
            followup.ended_at = timezone.now()
            followup.end_reason = reason[:200]
            followup.save(update_fields=["state", "ended_at", "end_reason"])
            cancel(kind=JOB_FOLLOWUP, followup_id=followup.pk)
            stopped += 1
    return stopped


def _expected_statuses(kind: str) -> tuple[str, ...]:
    return (TicketStatus.WAITING_CLIENT,) if kind == FollowUpKind.CLIENT_ANSWER else AWAITING_CLOSURE


def _send_automatic(ticket: Ticket, purpose: str, extra: dict[str, Any]) -> list[Message]:
    template = template_for(purpose)
    if template is None:
        logger.warning("no active template for %s: ticket %s not notified", purpose, ticket.reference)
        return []
    try:
        return send_templated_message(
            ticket,
            template,
            actor=None,
            automatic=True,
            context=CommunicationContext.FREE,
            chain_to_closure=False,
            extra=extra,
        )
    except ValidationError as exc:  # e.g. nobody reachable: the follow-up goes on, the timeline says nothing was sent
        logger.info("ticket %s: %s not sent: %s", ticket.reference, purpose, exc)
        return []


def run_followup_step(followup_id: int, index: int) -> str:
    """Run one step of a cycle (reminder, auto-close notice or closure); what was done, for the logs."""
    now = timezone.now()
    ticket_id = FollowUp.objects.filter(pk=followup_id).values_list("ticket_id", flat=True).first()
    if ticket_id is None:
        return "missing"
    with transaction.atomic():
        # Ticket first, then the cycle: the same lock order as the senders.
        ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
        followup = FollowUp.objects.select_for_update().get(pk=followup_id)
        if followup.state != FollowUpState.ACTIVE:
            return "stale"
        if ticket.status not in _expected_statuses(followup.kind):
            stop_followups(
                ticket.pk, kinds=(followup.kind,), state=FollowUpState.CANCELLED, reason="État du ticket changé."
            )
            return "stale"
        steps = _plan(followup.kind)
        if index >= len(steps):
            return "stale"
        step = steps[index]
        request = followup.request_message
        extra = {
            "reminder_number": step.number,
            "request_subject": request.subject if request else "",
            "request_date": _local(request.created_at if request else followup.started_at),
            "auto_close_at": _local(now + timedelta(hours=conf.auto_close_hours())),
        }
        if step.action == plan_service.CLOSE:
            _auto_close(ticket, followup)
            return "closed"
        _send_automatic(ticket, FOLLOWUP_PURPOSES[(followup.kind, step.action)], extra)
        if step.action == plan_service.REMINDER:
            followup.reminders_sent = step.number
        else:
            followup.notice_sent_at = now
        followup.save(update_fields=["reminders_sent", "notice_sent_at"])
        _schedule_step(followup, index + 1, now=now)
    return step.action


def _auto_close(ticket: Ticket, followup: FollowUp) -> None:
    robot = system_user()
    if followup.kind == FollowUpKind.CLIENT_ANSWER:
        reason = f"Clôture automatique : sans retour du client après {followup.reminders_sent} relance(s)."
    else:
        reason = "Clôture automatique : fin de l'incident non confirmée par le client."
    _send_automatic(ticket, TemplatePurpose.AUTO_CLOSED, {"close_reason": reason})
    followup.state = FollowUpState.CLOSED
    followup.ended_at = timezone.now()
    followup.end_reason = reason[:200]
    followup.save(update_fields=["state", "ended_at", "end_reason"])
    if ticket.status == TicketStatus.WAITING_CLIENT:
        if ticket.case_id:
            ticket = ticket_actions.transition_ticket(ticket, "resolve", actor=robot, resolution=reason)
        else:  # never qualified: « Clôturer » needs a resolution case, so the ticket is cancelled instead
            ticket_actions.transition_ticket(ticket, "cancel", actor=robot, reason=reason)
            return
    ticket_actions.transition_ticket(ticket, "close", actor=robot, reason=reason)


# --- reactions to ticket events -------------------------------------------------------------------------


def acknowledge_ticket(ticket_id: int) -> list[Message]:
    """Seed 001 VII: « un mail de confirmation de l'ouverture du ticket d'incident avec numéro de ticket »."""
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is None or ticket.channel == Channel.INTEROP or ticket.status in FINISHED:
        return []
    if Message.objects.filter(ticket=ticket, purpose=TemplatePurpose.ACKNOWLEDGEMENT, automatic=True).exists():
        return []
    return _send_automatic(ticket, TemplatePurpose.ACKNOWLEDGEMENT, {})


def request_closure(ticket_id: int) -> FollowUp | None:
    """The incident is resolved: ask the client and the partner to confirm, and start the closure cycle."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None or ticket.status not in AWAITING_CLOSURE:
            return None
        if FollowUp.objects.filter(ticket=ticket, kind=FollowUpKind.CLOSURE, state=FollowUpState.ACTIVE).exists():
            return None
        _send_automatic(ticket, TemplatePurpose.CLOSURE_REQUEST, {})
        return start_followup(ticket, FollowUpKind.CLOSURE)


def sync_followups(ticket_id: int) -> None:
    """Stop the cycles the ticket's current state no longer calls for; start the one it now calls for."""
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is None:
        return
    if ticket.status != TicketStatus.WAITING_CLIENT:
        state = FollowUpState.ANSWERED if ticket.status in WORKING else FollowUpState.CANCELLED
        stop_followups(ticket.pk, kinds=(FollowUpKind.CLIENT_ANSWER,), state=state, reason=ticket.get_status_display())
    if ticket.status not in AWAITING_CLOSURE:
        state = FollowUpState.ANSWERED if ticket.status == TicketStatus.CLOSED else FollowUpState.CANCELLED
        stop_followups(ticket.pk, kinds=(FollowUpKind.CLOSURE,), state=state, reason=ticket.get_status_display())
    if ticket.status == TicketStatus.WAITING_CLIENT:
        start_followup(ticket, FollowUpKind.CLIENT_ANSWER)


def client_replied(ticket: Ticket, *, text: str, via: str) -> str:
    """A reply from the client: un-freeze a ticket waiting for them, or settle a pending closure request."""
    robot = system_user()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.status == TicketStatus.WAITING_CLIENT:
            stop_followups(ticket.pk, kinds=(FollowUpKind.CLIENT_ANSWER,), state=FollowUpState.ANSWERED, reason=via)
            ticket_actions.transition_ticket(ticket, "resume", actor=robot, reason=f"Réponse du client ({via}).")
            return "resumed"
        if ticket.status in AWAITING_CLOSURE:
            stop_followups(ticket.pk, kinds=(FollowUpKind.CLOSURE,), state=FollowUpState.ANSWERED, reason=via)
            if closure_reply_confirms(text):
                ticket_actions.transition_ticket(
                    ticket, "close", actor=robot, reason=f"Clôture confirmée par le client ({via})."
                )
                return "closed"
            ticket_actions.transition_ticket(
                ticket, "reopen", actor=robot, reason=f"Le client signale que le problème persiste ({via})."
            )
            return "reopened"
    return "none"


# --- inbound mail --------------------------------------------------------------------------------------


def _store_inbound(parsed: ParsedMail, ticket: Ticket, contact: Contact | None) -> Message:
    message = Message.objects.create(
        ticket=ticket,
        direction=Direction.INBOUND,
        channel=MessageChannel.MAIL,
        purpose="",
        audience=Audience.CLIENT,
        sender=parsed.sender,
        recipients=[{"name": "", "address": a} for a in parsed.to],
        subject=parsed.subject[:300],
        body=strip_quoted(parsed.text) or parsed.text.strip(),
        status=MessageStatus.RECEIVED,
        contact=contact,
        message_id=parsed.message_id[:255],
        in_reply_to=(parsed.in_reply_to[0] if parsed.in_reply_to else "")[:255],
        sent_at=timezone.now(),
    )
    for name, content_type, payload in parsed.attachments:
        safe = get_valid_filename(name)[:120] or "piece-jointe.bin"
        attachment = Attachment(
            message=message, filename=name[:200], content_type=content_type[:120], size=len(payload)
        )
        attachment.file.save(f"{uuid.uuid4().hex[:12]}-{safe}", ContentFile(payload), save=False)
        attachment.save()
    _timeline(message, automatic=False, author=None)
    return message


def _find_ticket(parsed: ParsedMail) -> Ticket | None:
    if parsed.in_reply_to:
        ticket_id = (
            Message.objects.filter(message_id__in=parsed.in_reply_to, ticket__isnull=False)
            .values_list("ticket_id", flat=True)
            .first()
        )
        if ticket_id is not None:
            return Ticket.objects.get(pk=ticket_id)
    prefix = str(conf._get("TICKET_REFERENCE_PREFIX", ""))
    for reference in reference_candidates(parsed.subject, prefix):
        ticket = Ticket.objects.filter(reference=reference).first()
        if ticket is not None:
            return ticket
    return None


def _contact_for(sender: str, ticket: Ticket | None) -> Contact | None:
    """The contact behind ``sender``: of the ticket's company or its partner when there is a ticket."""
    contacts = Contact.objects.filter(email__iexact=sender).select_related("organisation")
    if ticket is not None:
        org = ticket.organisation
        contacts = contacts.filter(Q(organisation_id=org.pk) | Q(organisation_id=org.partner_id))
    return contacts.order_by("id").first()


def _auto_answer(parsed: ParsedMail, inbound: InboundMail) -> str:
    """Seed 001 VII.B: « Ces derniers recevront un mail contenant un lien menant à un formulaire »."""
    if parsed.automatic:
        return InboundOutcome.IGNORED
    already = any(
        r.get("address") == parsed.sender
        for rows in Message.objects.filter(
            purpose=TemplatePurpose.WEB_FORM, created_at__gte=timezone.now() - timedelta(hours=24)
        ).values_list("recipients", flat=True)
        for r in rows
    )
    if already:
        inbound.reason = "Réponse automatique déjà envoyée à cette adresse depuis moins de 24 h."
        return InboundOutcome.IGNORED
    template = template_for(TemplatePurpose.WEB_FORM)
    if template is None:
        inbound.reason = "Aucun modèle de réponse automatique actif."
        return InboundOutcome.IGNORED
    context = message_context(None, extra={"original_subject": parsed.subject})
    rendered = render_message(template, context)
    subject = rendered.subject if rendered.subject.strip() else f"Re: {parsed.subject}"
    _outbound(
        ticket=None,
        channel=MessageChannel.MAIL,
        template=template,
        purpose=TemplatePurpose.WEB_FORM,
        audience=Audience.CLIENT,
        recipients=[{"name": parsed.sender_name, "address": parsed.sender}],
        subject=subject,
        body=rendered.body,
        author=None,
        automatic=True,
        in_reply_to=parsed.message_id[:255],
    )
    return InboundOutcome.AUTO_ANSWERED


def _new_ticket_from_mail(parsed: ParsedMail, contact: Contact) -> Ticket:
    ticket = ticket_actions.create_ticket(
        actor=system_user(),
        organisation=contact.organisation,
        site=contact.site if contact.site and contact.site.organisation_id == contact.organisation_id else None,
        subject=(parsed.subject or "Demande reçue par mail")[:200],
        description=strip_quoted(parsed.text)[:10000],
        service_state=ServiceState.DEGRADED,  # to be confirmed: triage proposes one below
        channel=Channel.MAIL,
        reporter=contact,
    )
    if conf._get("COMMS_PREQUALIFY", True):
        try:
            from softwhere.triage.actions import prequalify_ticket
        except ImportError:  # triage is optional
            return ticket
        try:
            with transaction.atomic():
                prequalify_ticket(ticket, actor=None, set_state=True)
        except Exception:  # a triage hiccup must not lose the client's mail
            logger.exception("triage failed for ticket %s created from a mail", ticket.reference)
    return ticket


def _own_addresses() -> set[str]:
    return {a.lower() for a in (conf.mail_from(), conf.reply_to()) if a}


def _hand_to_carrier_gateway(inbound: InboundMail, raw: bytes) -> None:
    """Inter-operator v1.0a files come by mail too: the interop app journals, checks and answers them."""
    from softwhere.interop.inbound import ingest_mail

    records = ingest_mail(raw)
    inbound.outcome = InboundOutcome.CARRIER
    inbound.reason = "; ".join(
        f"{r.get_kind_display()} {r.filename or ''} : {r.get_status_display()}".replace("  ", " ") for r in records
    )[:2000]


def _process(inbound: InboundMail, raw: bytes) -> None:
    try:
        parsed = parse_mail(raw)
    except UnparseableMail as exc:
        inbound.outcome, inbound.reason = InboundOutcome.REJECTED, str(exc)
        return
    inbound.sender, inbound.subject, inbound.message_id = (
        parsed.sender[:254],
        parsed.subject[:300],
        parsed.message_id[:255],
    )
    if parsed.sender in _own_addresses():
        inbound.outcome, inbound.reason = InboundOutcome.REJECTED, "Boucle : message émis par SoftWhere lui-même."
        return
    if (
        parsed.message_id
        and InboundMail.objects.filter(
            message_id=parsed.message_id, outcome__in=[InboundOutcome.THREADED, InboundOutcome.NEW_TICKET]
        )
        .exclude(pk=inbound.pk)
        .exists()
    ):
        inbound.outcome, inbound.reason = InboundOutcome.IGNORED, "Déjà reçu (même Message-ID)."
        return
    if is_carrier_mail(parsed.subject):
        _hand_to_carrier_gateway(inbound, raw)
        return
    ticket = _find_ticket(parsed)
    contact = _contact_for(parsed.sender, ticket)
    if ticket is not None and contact is not None:
        inbound.stored_message = _store_inbound(parsed, ticket, contact)
        inbound.ticket, inbound.outcome = ticket, InboundOutcome.THREADED
        if parsed.automatic:
            inbound.reason = "Réponse automatique du client : le ticket reste en attente."
        else:
            inbound.reason = client_replied(ticket, text=parsed.text, via="mail")
        return
    if ticket is None and contact is not None:
        ticket = _new_ticket_from_mail(parsed, contact)
        inbound.stored_message = _store_inbound(parsed, ticket, contact)
        inbound.ticket, inbound.outcome = ticket, InboundOutcome.NEW_TICKET
        return
    inbound.reason = (
        "Expéditeur inconnu pour ce ticket."
        if ticket is not None
        else "Expéditeur inconnu et aucune référence de ticket."
    ) + (" " + inbound.reason if inbound.reason else "")
    inbound.outcome = _auto_answer(parsed, inbound)


def receive_message(raw: bytes) -> InboundMail:
    """File an inbound mail, then thread it, open a ticket, auto-answer it or reject it.

    The raw bytes are archived first in their own transaction: whatever happens next
    (unreadable mail, processing bug), the mail is kept with the reason.
    """
    with transaction.atomic():
        inbound = InboundMail(outcome=InboundOutcome.PENDING)
        inbound.raw.save(f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:12]}.eml", ContentFile(raw), save=False)
        inbound.save()
    try:
        with transaction.atomic():
            _process(inbound, raw)
            inbound.save()
    except Exception as exc:
        logger.exception("inbound mail %s could not be processed", inbound.pk)
        InboundMail.objects.filter(pk=inbound.pk).update(
            outcome=InboundOutcome.REJECTED, reason=f"Erreur de traitement : {exc.__class__.__name__}: {exc}"[:2000]
        )
    inbound.refresh_from_db()
    return inbound
