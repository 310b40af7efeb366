"""Worker job handlers of the diagnostics app (autodiscovered by ``softwhere.jobs``)."""

from __future__ import annotations

from softwhere.jobs.models import ScheduledJob
from softwhere.jobs.registry import job_handler

from . import actions


@job_handler(actions.JOB_OBSERVATION_CHECK)
def observation_check(job: ScheduledJob) -> None:
    actions.observation_check(job.payload["watch_id"], job.payload.get("seq", 0))


@job_handler(actions.JOB_DIAGNOSE)
def diagnose(job: ScheduledJob) -> None:
    """« Diagnostiquer » requested from a ticket page (see ``actions.request_diagnosis``)."""
    actions.run_requested_diagnosis(job.payload, job_id=job.pk)
