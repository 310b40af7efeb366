"""Worker job handlers of the tickets app (autodiscovered by ``softwhere.jobs``)."""

from __future__ import annotations

from softwhere.jobs.models import ScheduledJob
from softwhere.jobs.registry import job_handler

from . import events


@job_handler(events.JOB_EVENT)
def deliver_event(job: ScheduledJob) -> None:
    """An event from the outbox: in ``worker`` mode every event, in ``inline`` mode one its process did not deliver."""
    events.deliver(job.payload)
