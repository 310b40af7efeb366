"""Bench-only job handler for ``bench/timers.py``: each execution leaves one AuditEntry row.

Loaded by the workers with ``softwhere worker --import timer_handlers`` (``bench/`` on
``PYTHONPATH``). The row is written in the worker's transaction, together with the
job's ``done`` mark, so "exactly once" is checkable afterwards: one row per job.
"""

from __future__ import annotations

from softwhere.core.models import AuditEntry
from softwhere.jobs.models import ScheduledJob
from softwhere.jobs.registry import job_handler

KIND = "bench.followup"


@job_handler(KIND)
def followup(job: ScheduledJob) -> None:
    AuditEntry.objects.create(
        action=KIND,
        object_type="jobs.scheduledjob",
        object_id=str(job.pk),
        object_repr=f"ticket {job.payload.get('ticket', '?')} attempt {job.attempts}",
    )
