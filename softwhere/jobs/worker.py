"""The durable worker: claims due jobs and runs each exactly once.

Two transactions per job:

1. *claim*: mark the job ``running`` with a lease (``locked_by`` = this worker,
   ``locked_until`` = now + lease) and commit. On PostgreSQL the candidate rows are
   read with ``SELECT … FOR UPDATE SKIP LOCKED`` so concurrent workers never wait
   on, nor take, each other's rows, and up to ``batch`` due jobs are leased by one
   ``UPDATE … RETURNING`` (a burst of ticket events costs one claim per batch, not
   five queries and a commit per job); elsewhere a compare-and-set ``UPDATE``
   decides, one job at a time.
2. *execute*: re-read the job under ``FOR UPDATE``, run the handler in a savepoint
   and mark the job ``done`` — all in one transaction. If the process dies, that
   transaction rolls back: the handler's writes vanish with it and the job stays
   ``running`` until its lease expires, when any worker claims it again.

The ``done`` update is conditional on still holding the lease, so a worker whose
lease was taken over (it ran longer than the lease) rolls its work back instead
of committing a second execution.
"""

from __future__ import annotations

import enum
import logging
import os
import secrets
import socket
import threading
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .actions import purge_finished
from .choices import JobStatus
from .models import ScheduledJob
from .registry import get_handler

logger = logging.getLogger("softwhere.jobs")

DEFAULT_LEASE_SECONDS = 300
# Small: a worker killed mid-batch leaves the jobs it had not started to wait for their lease.
DEFAULT_CLAIM_BATCH = 10
MAX_BACKOFF = timedelta(hours=1)
DEFAULT_RETENTION_DAYS = 7
PURGE_EVERY = timedelta(hours=1)


class Outcome(enum.StrEnum):
    DONE = "done"
    RETRY = "retry"
    FAILED = "failed"
    LOST = "lost"  # another worker holds the job now (our lease expired)


class LeaseLost(Exception):
    pass


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … capped at one hour."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _claimable(now: object) -> Q:
    return Q(status=JobStatus.PENDING, due_at__lte=now) | Q(status=JobStatus.RUNNING, locked_until__lt=now)


@dataclass
class Worker:
    worker_id: str = field(default_factory=default_worker_id)
    lease: timedelta = field(
        default_factory=lambda: timedelta(seconds=getattr(settings, "JOBS_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))
    )
    stop_event: threading.Event = field(default_factory=threading.Event)
    retention: timedelta = field(
        default_factory=lambda: timedelta(days=getattr(settings, "JOBS_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))
    )
    next_purge_at: datetime | None = None  # the first housekeeping runs at start
    batch: int = field(default_factory=lambda: getattr(settings, "JOBS_CLAIM_BATCH", DEFAULT_CLAIM_BATCH))

    # --- claiming ------------------------------------------------------------------------------------

    def claim_one(self) -> int | None:
        """Lease the next claimable job to this worker; its id, or None when nothing is due."""
        skip_locked = connection.features.has_select_for_update_skip_locked
        while True:
            now = timezone.now()
            lease_fields = {
                "status": JobStatus.RUNNING,
                "locked_by": self.worker_id,
                "locked_until": now + self.lease,
                "attempts": F("attempts") + 1,
            }
            if skip_locked:
                with transaction.atomic():
                    job = self._next_candidate(now, skip_locked=True)
                    if job is None:
                        return None
                    if self._give_up_if_exhausted(job, now):
                        continue
                    ScheduledJob.objects.filter(pk=job.pk).update(**lease_fields)
                    return job.pk
            job = self._next_candidate(now, skip_locked=False)
            if job is None:
                return None
            if self._give_up_if_exhausted(job, now):
                continue
            if ScheduledJob.objects.filter(_claimable(now), pk=job.pk).update(**lease_fields):
                return job.pk
            # Another worker won the compare-and-set: look again.

    def claim_batch(self, size: int) -> list[int]:
        """Lease up to ``size`` jobs; their ids in due order, empty when nothing is due.

        Expired leases (a worker died) go through ``claim_one``, which also abandons a job
        that killed every worker; so does any database but PostgreSQL, whose SQL the batch uses
        (``MATERIALIZED`` CTE, ``UPDATE … FROM … RETURNING``).
        """
        if size > 1 and connection.vendor == "postgresql":
            now = timezone.now()
            if not ScheduledJob.objects.filter(status=JobStatus.RUNNING, locked_until__lt=now).exists():
                return self._claim_due(now, size)
        job_id = self.claim_one()
        return [] if job_id is None else [job_id]

    def _claim_due(self, now: datetime, size: int) -> list[int]:
        # The pick is a MATERIALIZED CTE, evaluated once: as an ``IN (… LIMIT n FOR UPDATE SKIP
        # LOCKED)`` subquery the planner may rescan it while the UPDATE runs, and a rescan skips the
        # rows this statement already changed and returns the next ones, leasing more than ``size``.
        q = connection.ops.quote_name
        table = q(ScheduledJob._meta.db_table)
        sql = (
            f"WITH picked AS MATERIALIZED (SELECT {q('id')} FROM {table} "
            f"WHERE {q('status')} = %s AND {q('due_at')} <= %s "
            f"ORDER BY {q('due_at')} LIMIT %s FOR UPDATE SKIP LOCKED) "
            f"UPDATE {table} AS job SET {q('status')} = %s, {q('locked_by')} = %s, {q('locked_until')} = %s, "
            f"{q('attempts')} = job.{q('attempts')} + 1 "
            f"FROM picked WHERE job.{q('id')} = picked.{q('id')} "
            f"RETURNING job.{q('id')}, job.{q('due_at')}"
        )
        params: list[Any] = [JobStatus.PENDING, now, size, JobStatus.RUNNING, self.worker_id, now + self.lease]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [job_id for job_id, _ in sorted(rows, key=lambda row: (row[1], row[0]))]

    def release(self, job_ids: list[int]) -> int:
        """Give back leased jobs not started (stop requested): due again at once, the attempt not counted."""
        return ScheduledJob.objects.filter(pk__in=job_ids, status=JobStatus.RUNNING, locked_by=self.worker_id).update(
            status=JobStatus.PENDING, locked_by="", locked_until=None, attempts=F("attempts") - 1
        )

    @staticmethod
    def _next_candidate(now: object, *, skip_locked: bool) -> ScheduledJob | None:
        """Expired leases first (rare: a worker died), then due jobs by due time.

        Two queries, each walking its own index and stopping at the first row. A single
        ``OR`` of both, ordered by ``(due_at, id)``, made PostgreSQL read and sort every
        due job on each claim: 8 ms per claim with 10 000 timers due at once (bench/timers.py).
        Due jobs are ordered by ``due_at`` alone so the ``(status, due_at)`` index serves the
        order; ties come in index order.
        """
        candidates = (
            ScheduledJob.objects.filter(status=JobStatus.RUNNING, locked_until__lt=now).order_by("due_at", "id"),
            ScheduledJob.objects.filter(status=JobStatus.PENDING, due_at__lte=now).order_by("due_at"),
        )
        for qs in candidates:
            job = (qs.select_for_update(skip_locked=True) if skip_locked else qs).first()
            if job is not None:
                return job
        return None

    def _give_up_if_exhausted(self, job: ScheduledJob, now: object) -> bool:
        """A job whose lease expired after its last allowed attempt killed its workers: stop retrying it."""
        if job.status != JobStatus.RUNNING or job.attempts < job.max_attempts:
            return False
        ScheduledJob.objects.filter(_claimable(now), pk=job.pk).update(
            status=JobStatus.FAILED,
            locked_until=None,
            done_at=now,
            last_error=f"Abandonnée : le processus est mort pendant chacune des {job.attempts} tentatives.",
        )
        logger.error("job %s (%s) abandoned after %s attempts", job.pk, job.kind, job.attempts)
        return True

    # --- execution -----------------------------------------------------------------------------------

    def execute(self, job_id: int) -> Outcome:
        """Run a job this worker has claimed; handler effects and ``done`` commit together."""
        try:
            with transaction.atomic():
                job = (
                    ScheduledJob.objects.select_for_update()
                    .filter(pk=job_id, status=JobStatus.RUNNING, locked_by=self.worker_id)
                    .first()
                )
                if job is None:
                    return Outcome.LOST
                try:
                    handler = get_handler(job.kind)
                    with transaction.atomic():
                        handler(job)
                except Exception as exc:  # the handler's writes were rolled back with its savepoint
                    return self._record_failure(job, exc)
                marked = ScheduledJob.objects.filter(
                    pk=job.pk, status=JobStatus.RUNNING, locked_by=self.worker_id
                ).update(status=JobStatus.DONE, done_at=timezone.now(), locked_until=None, last_error="")
                if marked != 1:
                    raise LeaseLost(job_id)
        except LeaseLost:
            logger.warning("job %s: lease lost before commit, work rolled back", job_id)
            return Outcome.LOST
        logger.info("job %s (%s) done", job.pk, job.kind)
        return Outcome.DONE

    def _record_failure(self, job: ScheduledJob, exc: Exception) -> Outcome:
        now = timezone.now()
        error = "".join(traceback.format_exception(exc))[-5000:]
        final = job.attempts >= job.max_attempts
        ScheduledJob.objects.filter(pk=job.pk, locked_by=self.worker_id).update(
            status=JobStatus.FAILED if final else JobStatus.PENDING,
            due_at=job.due_at if final else now + backoff(job.attempts),
            locked_until=None,
            done_at=now if final else None,
            last_error=error,
        )
        logger.error("job %s (%s) attempt %s failed: %s", job.pk, job.kind, job.attempts, exc)
        return Outcome.FAILED if final else Outcome.RETRY

    # --- loops ---------------------------------------------------------------------------------------

    def run_pending(self, limit: int | None = None) -> int:
        """Claim and run due jobs until none is due (or stop is requested); how many were run."""
        count = 0
        while not self.stop_event.is_set() and (limit is None or count < limit):
            claimed = self.claim_batch(self.batch if limit is None else min(self.batch, limit - count))
            if not claimed:
                break
            for index, job_id in enumerate(claimed):
                if self.stop_event.is_set():
                    self.release(claimed[index:])
                    return count
                try:
                    self.execute(job_id)
                except Exception:
                    # Raised by on-commit hooks of the job's effects (e.g. another app's ticket_event
                    # receiver), or by the database before commit: either way the job row is
                    # consistent (done, or still leased and retried), so keep going.
                    logger.exception("job %s: error outside the handler", job_id)
                count += 1
        return count

    def housekeep(self) -> int:
        """Hourly: delete the finished jobs past retention (``jobs.actions.purge_finished``); how many."""
        now = timezone.now()
        if self.next_purge_at is not None and now < self.next_purge_at:
            return 0
        self.next_purge_at = now + PURGE_EVERY
        purged = purge_finished(self.retention)
        if purged:
            logger.info("worker %s: %s finished jobs older than %s deleted", self.worker_id, purged, self.retention)
        return purged

    def run_forever(self, poll_interval: float = 1.0) -> None:
        logger.info("worker %s started (lease %ss)", self.worker_id, int(self.lease.total_seconds()))
        while not self.stop_event.is_set():
            close_old_connections()
            try:
                self.run_pending()
                self.housekeep()
            except Exception:  # database unreachable, …: keep the worker alive and try again
                logger.exception("worker %s: error while polling", self.worker_id)
            self.stop_event.wait(poll_interval)
        close_old_connections()
        logger.info("worker %s stopped", self.worker_id)
