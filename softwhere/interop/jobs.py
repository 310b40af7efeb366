"""Worker job handlers of the carrier gateway (autodiscovered by ``softwhere.jobs``)."""

from __future__ import annotations

from softwhere.jobs.models import ScheduledJob
from softwhere.jobs.registry import job_handler

from . import outbound


@job_handler(outbound.JOB_SEND)
def send_message(job: ScheduledJob) -> None:
    """Send one journaled outbound message; raising makes the queue retry it later with backoff."""
    outbound.deliver(job.payload["message_id"], final_attempt=job.attempts >= job.max_attempts)
