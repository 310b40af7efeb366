"""A job handler for the worker tests: each execution leaves one AuditEntry row (the effect to count).

Payload: ``sleep`` seconds to block during the first ``sleep_attempts`` attempts (to kill the
worker while it holds the job), ``fail_attempts`` attempts that raise after writing their effect
(which must then be rolled back).
"""

from __future__ import annotations

import time

from softwhere.core.models import AuditEntry
from softwhere.jobs.models import ScheduledJob
from softwhere.jobs.registry import job_handler

PROBE = "test.probe"


@job_handler(PROBE)
def probe(job: ScheduledJob) -> None:
    if job.attempts <= job.payload.get("sleep_attempts", 1):
        time.sleep(job.payload.get("sleep", 0))
    AuditEntry.objects.create(
        action=PROBE, object_type="jobs.scheduledjob", object_id=str(job.pk), object_repr=f"attempt {job.attempts}"
    )
    if job.attempts <= job.payload.get("fail_attempts", 0):
        raise RuntimeError(f"probe failure on attempt {job.attempts}")
