"""Worker job handlers of the SLA app (autodiscovered by ``softwhere.jobs``)."""

from __future__ import annotations

from softwhere.jobs.models import ScheduledJob
from softwhere.jobs.registry import job_handler

from . import actions


@job_handler(actions.JOB_CLOCK_DUE)
def clock_due(job: ScheduledJob) -> None:
    """A clock reached its deadline or a penalty tier: re-project it (marks the breach, updates the penalty)."""
    actions.sync_ticket(job.payload["ticket_id"])


@job_handler(actions.JOB_CARRIER_DEADLINE)
def carrier_deadline(job: ScheduledJob) -> None:
    actions.alert_carrier_deadline(job.payload["escalation_id"])


@job_handler(actions.JOB_OBSERVATION_CLOSE)
def observation_close(job: ScheduledJob) -> None:
    actions.close_after_observation(job.payload["ticket_id"], job.payload["entry_id"])
