"""``softwhere demo generate``: realistic rows, reproducible with a seed, searchable at once."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from softwhere.customers.models import Organisation
from softwhere.demo.generate import generate
from softwhere.sla.models import SlaClock
from softwhere.tickets import search
from softwhere.tickets.choices import OPEN_STATUSES, TimelineKind
from softwhere.tickets.models import ChecklistItem, Ticket, TicketSequence, TimelineEntry

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple[str, str, str, str]]:
    return list(Ticket.objects.order_by("id").values_list("subject", "description", "status", "level"))


def test_generated_tickets_look_like_desk_work():
    report = generate(tickets=400, companies=8, seed=11, batch=150)
    assert report.counts["tickets"] == Ticket.objects.count() == 400
    assert Organisation.objects.filter(kind="client").count() == 8
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert len(statuses) >= 6 and statuses & OPEN_STATUSES
    assert Ticket.objects.filter(case__isnull=False).exists() and Ticket.objects.filter(case__isnull=True).exists()
    assert TimelineEntry.objects.filter(kind=TimelineKind.COMMENT).count() == report.counts["commentaires"] > 0
    assert ChecklistItem.objects.filter(done=True).exists() and ChecklistItem.objects.filter(done=False).exists()
    assert SlaClock.objects.count() == Ticket.objects.filter(status__in=OPEN_STATUSES).count()
    # References follow the monthly sequence, so tickets created afterwards do not collide.
    refs = list(Ticket.objects.values_list("reference", flat=True))
    assert len(set(refs)) == 400
    last = max(refs)
    assert TicketSequence.objects.get(period=last[:4]).last_value >= int(last[4:])
    # Generated text is searchable right away, comments included.
    comment = TimelineEntry.objects.filter(kind=TimelineKind.COMMENT).order_by("id").first()
    assert comment is not None
    word = max(search.words_of(comment.body), key=len)
    assert comment.ticket_id in set(search.filter_tickets(Ticket.objects.all(), word).values_list("id", flat=True))
    # One ticket in eight carries a customer reference, found by the search like the desk's own.
    with_ref = Ticket.objects.exclude(client_reference="")
    assert 40 <= with_ref.count() <= 60
    sample = with_ref.order_by("id").first()
    assert sample is not None and sample.client_reference.startswith("CMD-")
    found = search.filter_tickets(Ticket.objects.all(), sample.client_reference.lower()).values_list("id", flat=True)
    assert sample.pk in set(found)


def test_same_seed_same_data_and_a_seed_runs_once():
    sid = transaction.savepoint()
    generate(tickets=120, companies=4, seed=5)
    first = _snapshot()
    transaction.savepoint_rollback(sid)
    generate(tickets=120, companies=4, seed=5)
    assert _snapshot() == first
    with pytest.raises(CommandError, match="graine"):
        call_command("demo", "generate", "--tickets", "10", "--seed", "5")


def test_command_prints_a_summary(capsys):
    call_command("demo", "generate", "--tickets", "50", "--companies", "3", "--seed", "8")
    out = capsys.readouterr().out
    assert "50 tickets" in out and "tickets/s" in out
