"""Scheduling API and the worker's claim / execute / retry rules (in-process)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from softwhere.core.models import AuditEntry
from softwhere.jobs import actions
from softwhere.jobs.choices import JobStatus
from softwhere.jobs.models import ScheduledJob
from softwhere.jobs.registry import UnknownJobKind, job_handler
from softwhere.jobs.worker import Outcome, Worker

from .probe_handlers import PROBE

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)


def effects(job: ScheduledJob) -> int:
    return AuditEntry.objects.filter(action=PROBE, object_id=str(job.pk)).count()


def test_schedule_is_idempotent_with_a_dedupe_key() -> None:
    first = actions.schedule(PROBE, T0, {"n": 1}, dedupe_key="reminder:12:1")
    again = actions.schedule(PROBE, T0 + timedelta(hours=1), {"n": 2}, dedupe_key="reminder:12:1")
    assert first.pk == again.pk
    assert (again.due_at, again.payload) == (T0, {"n": 1})  # the first scheduling wins
    assert ScheduledJob.objects.count() == 1
    actions.schedule(PROBE, T0, {"n": 1})
    actions.schedule(PROBE, T0, {"n": 1})
    assert ScheduledJob.objects.count() == 3  # without a key, each call is a job


def test_a_duplicate_key_leaves_the_callers_transaction_usable() -> None:
    """The conflict is absorbed by the INSERT itself: the action that schedules goes on writing."""
    with transaction.atomic():
        first = actions.schedule(PROBE, T0, {"n": 1}, dedupe_key="clock:7")
        again = actions.schedule(PROBE, T0, {"n": 2}, dedupe_key="clock:7")
        AuditEntry.objects.create(action="after", object_id="7")  # would fail in an aborted transaction
    assert again.pk == first.pk and again.payload == {"n": 1}
    assert ScheduledJob.objects.filter(dedupe_key="clock:7").count() == 1
    assert AuditEntry.objects.filter(action="after").exists()


def test_a_new_key_is_scheduled_in_one_statement_and_an_existing_one_read_back() -> None:
    with CaptureQueriesContext(connection) as new:
        job = actions.schedule(PROBE, T0, {"n": 1}, dedupe_key="clock:8")
    assert len(new) == 1 and "ON CONFLICT" in new[0]["sql"]
    stored = ScheduledJob.objects.get(pk=job.pk)  # what the caller holds is the row as stored
    assert (
        (stored.kind, stored.due_at, stored.payload, stored.status, stored.dedupe_key)
        == (
            job.kind,
            job.due_at,
            job.payload,
            job.status,
            job.dedupe_key,
        )
        == (PROBE, T0, {"n": 1}, JobStatus.PENDING, "clock:8")
    )
    assert not job._state.adding
    with CaptureQueriesContext(connection) as taken:
        again = actions.schedule(PROBE, T0 + timedelta(days=1), {"n": 2}, dedupe_key="clock:8")
    assert len(taken) == 2 and (again.pk, again.payload) == (job.pk, {"n": 1})


def test_schedule_refuses_unknown_kind_and_naive_time() -> None:
    with pytest.raises(UnknownJobKind):
        actions.schedule("nobody.handles.this", T0)
    with pytest.raises(ValueError, match="aware"):
        actions.schedule(PROBE, datetime(2026, 11, 30, 9, 0))  # noqa: DTZ001 - on purpose


def test_cancel_by_key_or_payload() -> None:
    a = actions.schedule(PROBE, T0, {"ticket_id": 1}, dedupe_key="a")
    b = actions.schedule(PROBE, T0, {"ticket_id": 2})
    c = actions.schedule(PROBE, T0, {"ticket_id": 2})
    assert actions.cancel("a") == 1
    assert actions.cancel(kind=PROBE, ticket_id=2) == 2
    assert {j.status for j in ScheduledJob.objects.filter(pk__in=[a.pk, b.pk, c.pk])} == {JobStatus.CANCELLED}
    assert actions.pending_jobs(PROBE).count() == 0


def test_worker_runs_due_jobs_in_order_and_once() -> None:
    later = actions.schedule(PROBE, T0 + timedelta(minutes=10))
    sooner = actions.schedule(PROBE, T0)
    worker = Worker(worker_id="w1")
    with time_machine.travel(T0 - timedelta(seconds=1), tick=False):
        assert worker.run_pending() == 0
    with time_machine.travel(T0, tick=False):
        assert worker.run_pending() == 1
        assert worker.run_pending() == 0
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        assert worker.run_pending() == 1
    for job in (sooner, later):
        job.refresh_from_db()
        assert (job.status, job.attempts, job.locked_by, effects(job)) == (JobStatus.DONE, 1, "w1", 1)
    assert sooner.done_at is not None and later.done_at is not None and sooner.done_at < later.done_at


def test_failure_rolls_back_effects_and_retries_with_backoff() -> None:
    job = actions.schedule(PROBE, T0, {"fail_attempts": 2}, max_attempts=5)
    worker = Worker(worker_id="w1")
    with time_machine.travel(T0, tick=False):
        worker.run_pending()
    job.refresh_from_db()
    assert (job.status, job.attempts, effects(job)) == (JobStatus.PENDING, 1, 0)
    assert job.due_at == T0 + timedelta(seconds=30)
    assert "probe failure on attempt 1" in job.last_error
    with time_machine.travel(T0 + timedelta(seconds=30), tick=False):
        worker.run_pending()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.due_at) == (JobStatus.PENDING, 2, T0 + timedelta(seconds=90))
    with time_machine.travel(T0 + timedelta(seconds=90), tick=False):
        worker.run_pending()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.last_error, effects(job)) == (JobStatus.DONE, 3, "", 1)


def test_job_fails_for_good_after_max_attempts() -> None:
    job = actions.schedule(PROBE, T0, {"fail_attempts": 10}, max_attempts=2)
    worker = Worker(worker_id="w1")
    for minutes in (0, 1, 2, 3):
        with time_machine.travel(T0 + timedelta(minutes=minutes), tick=False):
            worker.run_pending()
    job.refresh_from_db()
    assert (job.status, job.attempts, effects(job)) == (JobStatus.FAILED, 2, 0)


def test_expired_lease_is_claimed_again_but_a_live_one_is_not() -> None:
    job = actions.schedule(PROBE, T0)
    crashed = Worker(worker_id="crashed", lease=timedelta(minutes=5))
    with time_machine.travel(T0, tick=False):
        assert crashed.claim_one() == job.pk  # …and the process dies before executing it
    other = Worker(worker_id="w2")
    with time_machine.travel(T0 + timedelta(minutes=4), tick=False):
        assert other.run_pending() == 0
    with time_machine.travel(T0 + timedelta(minutes=5, seconds=1), tick=False):
        assert other.run_pending() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.locked_by, effects(job)) == (JobStatus.DONE, 2, "w2", 1)
    # The crashed worker, if it came back, finds it lost the job.
    assert crashed.execute(job.pk) == Outcome.LOST
    assert effects(job) == 1


def test_job_killing_every_worker_is_abandoned() -> None:
    job = actions.schedule(PROBE, T0, max_attempts=2)
    for i in range(2):
        with time_machine.travel(T0 + timedelta(hours=i), tick=False):
            assert Worker(worker_id=f"dead{i}").claim_one() == job.pk
    with time_machine.travel(T0 + timedelta(hours=5), tick=False):
        assert Worker(worker_id="w").run_pending() == 0
    job.refresh_from_db()
    assert (job.status, effects(job)) == (JobStatus.FAILED, 0)
    assert "Abandonnée" in job.last_error


def test_lost_lease_rolls_back_the_handlers_work() -> None:
    @job_handler("test.steal")
    def steal(job: ScheduledJob) -> None:
        AuditEntry.objects.create(action="test.steal", object_type="x", object_id=str(job.pk), object_repr="x")
        # Another worker took the job over meanwhile (our lease had expired).
        ScheduledJob.objects.filter(pk=job.pk).update(locked_by="thief")

    job = actions.schedule("test.steal", T0)
    with time_machine.travel(T0, tick=False):
        worker = Worker(worker_id="slow")
        job_id = worker.claim_one()
        assert job_id is not None
        assert worker.execute(job_id) == Outcome.LOST
    job.refresh_from_db()
    assert (job.status, job.locked_by) == (JobStatus.RUNNING, "slow")  # everything rolled back
    assert not AuditEntry.objects.filter(action="test.steal").exists()


def test_unknown_kind_at_run_time_is_retried(monkeypatch: Any) -> None:
    job = actions.schedule(PROBE, T0)
    from softwhere.jobs import registry

    monkeypatch.delitem(registry._HANDLERS, PROBE)
    with time_machine.travel(T0, tick=False):
        Worker(worker_id="w").run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING and "no handler registered" in job.last_error


def test_a_burst_of_due_jobs_runs_in_due_order_each_once(settings: Any) -> None:
    settings.JOBS_CLAIM_BATCH = 4
    jobs = [actions.schedule(PROBE, T0 + timedelta(seconds=(7 * i) % 11)) for i in range(11)]
    worker = Worker(worker_id="w1")
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        assert worker.run_pending(limit=6) == 6
        assert worker.run_pending() == 5
    runs = AuditEntry.objects.filter(action=PROBE).order_by("pk").values_list("object_id", flat=True)
    expected = [str(j.pk) for j in sorted(jobs, key=lambda j: (j.due_at, j.pk))]
    assert list(runs) == expected
    assert set(ScheduledJob.objects.values_list("status", "attempts")) == {(JobStatus.DONE, 1)}


# On SQLite the worker claims one job at a time (claim_one); the tests above cover that path on both databases.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="batched claims are PostgreSQL SQL")
def test_one_statement_leases_a_batch_that_another_worker_cannot_take() -> None:
    jobs = [actions.schedule(PROBE, T0 - timedelta(seconds=i)) for i in range(5)]
    future = actions.schedule(PROBE, T0 + timedelta(hours=1))
    worker, other = Worker(worker_id="w1"), Worker(worker_id="w2")
    with time_machine.travel(T0, tick=False):
        with CaptureQueriesContext(connection) as claim:
            claimed = worker.claim_batch(3)
        assert claimed == [j.pk for j in jobs[:-4:-1]]  # the three due first
        assert len(claim) == 2  # the look for expired leases, then the lease itself
        assert other.claim_batch(10) == [jobs[1].pk, jobs[0].pk]
        assert other.claim_batch(10) == []
    leased = ScheduledJob.objects.filter(pk__in=claimed)
    assert {(j.status, j.locked_by, j.attempts, j.locked_until) for j in leased} == {
        (JobStatus.RUNNING, "w1", 1, T0 + worker.lease)
    }
    assert ScheduledJob.objects.get(pk=future.pk).status == JobStatus.PENDING


def test_a_stop_during_a_batch_gives_back_the_jobs_not_started(settings: Any) -> None:
    settings.JOBS_CLAIM_BATCH = 5
    worker = Worker(worker_id="w1")

    @job_handler("test.stop")
    def stop(job: ScheduledJob) -> None:
        AuditEntry.objects.create(action="test.stop", object_id=str(job.pk))
        worker.stop_event.set()  # SIGTERM arrives while the first job runs

    jobs = [actions.schedule("test.stop", T0 + timedelta(seconds=i)) for i in range(4)]
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        assert worker.run_pending() == 1
    first, *rest = (ScheduledJob.objects.get(pk=j.pk) for j in jobs)
    assert (first.status, first.attempts) == (JobStatus.DONE, 1)
    # Due again at once for the next worker, as if never claimed (not left to wait for their lease).
    assert {(j.status, j.attempts, j.locked_by, j.locked_until) for j in rest} == {(JobStatus.PENDING, 0, "", None)}
    assert AuditEntry.objects.filter(action="test.stop").count() == 1
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        assert Worker(worker_id="w2").run_pending() == 3


def test_stop_event_interrupts_the_loop() -> None:
    for _ in range(3):
        actions.schedule(PROBE, timezone.now() - timedelta(seconds=1))
    worker = Worker(worker_id="w")
    worker.stop_event.set()
    assert worker.run_pending() == 0


def test_finished_jobs_past_retention_are_purged_but_keyed_failed_and_recent_ones_stay() -> None:
    with time_machine.travel(T0, tick=False):
        old = actions.schedule(PROBE, T0)
        keyed = actions.schedule(PROBE, T0, dedupe_key="sla:breach:7")
        failed = actions.schedule(PROBE, T0, max_attempts=1)
        cancelled = actions.schedule(PROBE, T0 + timedelta(days=1))
        ScheduledJob.objects.filter(pk=cancelled.pk).update(status=JobStatus.CANCELLED, done_at=T0)
        ScheduledJob.objects.filter(pk__in=[old.pk, keyed.pk]).update(status=JobStatus.DONE, done_at=T0)
        ScheduledJob.objects.filter(pk=failed.pk).update(status=JobStatus.FAILED, done_at=T0)
    with time_machine.travel(T0 + timedelta(days=6), tick=False):
        recent = actions.schedule(PROBE, T0 + timedelta(days=6))
        ScheduledJob.objects.filter(pk=recent.pk).update(status=JobStatus.DONE, done_at=timezone.now())
        pending = actions.schedule(PROBE, T0 + timedelta(days=30))
    with time_machine.travel(T0 + timedelta(days=7, minutes=1), tick=False):
        assert actions.purge_finished(timedelta(days=7), batch=1) == 1
    remaining = set(ScheduledJob.objects.values_list("pk", flat=True))
    assert remaining == {keyed.pk, failed.pk, cancelled.pk, recent.pk, pending.pk}
    # The keyed job's row still stops a second scheduling from running it again.
    assert actions.schedule(PROBE, T0, dedupe_key="sla:breach:7").pk == keyed.pk


def test_the_worker_purges_at_start_then_hourly(settings: Any) -> None:
    settings.JOBS_RETENTION_DAYS = 2
    done = []
    for day in (0, 1):
        with time_machine.travel(T0 + timedelta(days=day), tick=False):
            job = actions.schedule(PROBE, timezone.now())
            ScheduledJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, done_at=timezone.now())
            done.append(job.pk)
    worker = Worker()
    with time_machine.travel(T0 + timedelta(days=3, minutes=-30), tick=False):
        assert worker.housekeep() == 1  # the job of day 0; the one of day 1 is not two days old yet
    with time_machine.travel(T0 + timedelta(days=3, minutes=10), tick=False):
        assert worker.housekeep() == 0  # it is now, but the last purge was less than an hour ago
        assert ScheduledJob.objects.filter(pk=done[1]).exists()
    with time_machine.travel(T0 + timedelta(days=3, minutes=31), tick=False):
        assert worker.housekeep() == 1
    assert not ScheduledJob.objects.exists()
