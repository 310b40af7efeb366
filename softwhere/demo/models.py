"""A marker row per demo load, so ``softwhere demo load`` can tell its own data from real data."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class DemoDataset(models.Model):
    """Written in the same transaction as the demo data: present means "the demo is fully loaded"."""

    version = models.CharField("version", max_length=20)
    loaded_at = models.DateTimeField("chargé le", default=timezone.now)
    forced = models.BooleanField("chargé avec --force", default=False)

    class Meta:
        verbose_name = "jeu de démonstration"
        verbose_name_plural = "jeux de démonstration"
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"démo {self.version} ({self.loaded_at:%Y-%m-%d %H:%M})"
