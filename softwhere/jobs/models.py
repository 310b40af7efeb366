"""Durable timers: one row per action to run at a given time, executed by ``softwhere worker``."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from .choices import JobStatus


class ScheduledJob(models.Model):
    """A job of ``kind`` due at ``due_at``; ``dedupe_key`` makes scheduling idempotent.

    ``locked_by``/``locked_until`` form a lease: a worker that dies while holding a
    job leaves it ``running`` with a lease that expires, and the job is then claimed
    again. ``done`` is written in the same transaction as the handler's effects.
    """

    kind = models.CharField("type", max_length=80, db_index=True)
    payload = models.JSONField("paramètres", default=dict, blank=True)
    due_at = models.DateTimeField("échéance")
    status = models.CharField("statut", max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    attempts = models.PositiveIntegerField("tentatives", default=0)
    max_attempts = models.PositiveIntegerField("tentatives maximum", default=5)
    locked_by = models.CharField("verrouillée par", max_length=120, blank=True)
    locked_until = models.DateTimeField("bail jusqu'au", null=True, blank=True)
    dedupe_key = models.CharField("clé d'unicité", max_length=200, unique=True, null=True, blank=True)
    last_error = models.TextField("dernière erreur", blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    done_at = models.DateTimeField("terminée le", null=True, blank=True)

    class Meta:
        verbose_name = "tâche planifiée"
        verbose_name_plural = "tâches planifiées"
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["status", "locked_until"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.due_at:%Y-%m-%d %H:%M} ({self.status})"
