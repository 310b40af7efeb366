"""Scheduling API: the only way to create or cancel durable jobs.

``schedule`` joins the caller's transaction, so a job exists if and only if the
state change that wanted it committed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from .choices import JobStatus
from .models import ScheduledJob
from .registry import get_handler


def schedule(
    kind: str,
    due_at: datetime,
    payload: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    *,
    max_attempts: int = 5,
) -> ScheduledJob:
    """Create a job, or return the existing one with the same ``dedupe_key`` unchanged (idempotent)."""
    if timezone.is_naive(due_at):
        raise ValueError("due_at must be timezone-aware")
    get_handler(kind)  # fail at scheduling time on a typo, not hours later in the worker
    fields = {"kind": kind, "due_at": due_at, "payload": payload or {}, "max_attempts": max_attempts}
    if dedupe_key is None:
        return ScheduledJob.objects.create(**fields)
    # INSERT … ON CONFLICT DO NOTHING, then read the row that holds the key (ours or the earlier one):
    # two round trips, where get_or_create took four (SELECT, SAVEPOINT, INSERT, RELEASE). A concurrent
    # insert of the same key makes ours wait for its commit, then do nothing.
    ScheduledJob.objects.bulk_create([ScheduledJob(dedupe_key=dedupe_key, **fields)], ignore_conflicts=True)
    return ScheduledJob.objects.get(dedupe_key=dedupe_key)


def cancel(dedupe_key: str | None = None, *, kind: str | None = None, **payload: Any) -> int:
    """Cancel pending jobs by ``dedupe_key``, or by ``kind`` and payload values (``ticket_id=12``).

    Returns how many were cancelled. Running or finished jobs are left alone.
    """
    if dedupe_key is None and kind is None:
        raise ValueError("cancel needs a dedupe_key or a kind")
    qs = ScheduledJob.objects.filter(status=JobStatus.PENDING)
    if dedupe_key is not None:
        qs = qs.filter(dedupe_key=dedupe_key)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if payload:
        qs = qs.filter(**{f"payload__{key}": value for key, value in payload.items()})
    return qs.update(status=JobStatus.CANCELLED, done_at=timezone.now())


def pending_jobs(kind: str | None = None, **payload: Any) -> Any:
    """Pending jobs, optionally of one kind and matching payload values, soonest first."""
    qs = ScheduledJob.objects.filter(status=JobStatus.PENDING)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if payload:
        qs = qs.filter(**{f"payload__{key}": value for key, value in payload.items()})
    return qs.order_by("due_at", "id")


def purge_finished(older_than: timedelta, *, batch: int = 5000) -> int:
    """Delete jobs done more than ``older_than`` ago that carry no ``dedupe_key``; how many were deleted.

    Ticket events alone leave one done job per ticket change: without this the table grows by millions
    of rows a year. Jobs with a ``dedupe_key`` stay, since their row is what keeps ``schedule`` from
    running them a second time; failed and cancelled jobs stay for the operator to read. Deletes by
    batches, each its own short transaction, so a large backlog never holds long locks.
    """
    cutoff = timezone.now() - older_than
    finished = ScheduledJob.objects.filter(status=JobStatus.DONE, dedupe_key__isnull=True, done_at__lt=cutoff)
    total = 0
    while ids := list(finished.values_list("pk", flat=True)[:batch]):
        total += ScheduledJob.objects.filter(pk__in=ids).delete()[0]
    return total
