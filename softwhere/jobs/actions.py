"""Scheduling API: the only way to create or cancel durable jobs.

``schedule`` joins the caller's transaction, so a job exists if and only if the
state change that wanted it committed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import connections, router
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
    job = ScheduledJob(dedupe_key=dedupe_key, **fields)
    if _insert_unless_key_taken(job):
        return job
    return ScheduledJob.objects.get(dedupe_key=dedupe_key)


def _insert_unless_key_taken(job: ScheduledJob) -> bool:
    """``INSERT … ON CONFLICT (dedupe_key) DO NOTHING RETURNING id``; whether the row was inserted.

    One round trip for a new key, where get_or_create took four (SELECT, SAVEPOINT, INSERT,
    RELEASE) and ``bulk_create(ignore_conflicts=True)`` cannot return the id. A ticket event
    schedules three or four keyed jobs (SLA checkpoints, message safety net). A concurrent
    insert of the same key makes ours wait for its commit, then do nothing; the caller then
    reads the row that holds the key. Both PostgreSQL and SQLite (≥ 3.35) speak this SQL.
    """
    alias = router.db_for_write(ScheduledJob)
    conn = connections[alias]
    meta = ScheduledJob._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    q = conn.ops.quote_name
    sql = (
        f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({q(meta.get_field('dedupe_key').column)}) DO NOTHING RETURNING {q(meta.pk.column)}"
    )
    params = [f.get_db_prep_save(f.pre_save(job, True), conn) for f in fields]
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    job.pk = row[0]
    job._state.adding = False
    job._state.db = alias
    return True


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
