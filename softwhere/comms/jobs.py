"""Worker job handlers of the communications (autodiscovered by ``softwhere.jobs``)."""

from __future__ import annotations

from softwhere.jobs.models import ScheduledJob
from softwhere.jobs.registry import job_handler

from . import actions


@job_handler(actions.JOB_DELIVER)
def deliver(job: ScheduledJob) -> None:
    """Retry a delivery; a new failure schedules the next retry itself (so the job is done either way)."""
    actions.deliver_message(job.payload["message_id"])


@job_handler(actions.JOB_FOLLOWUP)
def followup_step(job: ScheduledJob) -> None:
    actions.run_followup_step(job.payload["followup_id"], job.payload["step"])
