"""Demo communications: an information mail to a client and a support-team activation, sent through the actions."""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.exceptions import ValidationError
from django.test import override_settings

from softwhere.tickets.choices import TicketStatus

from . import actions
from .models import MessageTemplate


def load(ctx: Any) -> dict[str, int]:
    working = [t for t in ctx.tickets.values() if t.status in (TicketStatus.IN_PROGRESS, TicketStatus.ESCALATED)]
    if not working:
        return {}
    agent = ctx.users.get("n1") or next(u for u in ctx.users.values() if u.is_agent)
    sent = []
    first = working[0]
    # A ticket without any reachable contact: no client mail in the demo.
    with contextlib.suppress(ValidationError):
        sent += actions.send_templated_message(
            first,
            MessageTemplate.objects.get(code="CLT5"),
            actor=agent,
            channels="mail",
            information="Nos équipes analysent les journaux de votre équipement ; prochain point avant 17 h.",
        )
    target = working[-1]
    sent += actions.send_templated_message(
        target,
        MessageTemplate.objects.get(code="INT-A2"),
        actor=agent,
        information="Coupures répétées constatées ; merci d'analyser les journaux d'alarmes du routeur.",
    )
    # The demo has no mail relay: deliver in-memory now, so the messages show as sent.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for message in sent:
            actions.deliver_message(message.pk)
    return {"messages": len(sent)}
