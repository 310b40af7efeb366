"""The resolution catalogue: the 69 cases of seed 000, loaded from a versioned data file."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from .choices import CaseDomain, CaseFamily

EDITABLE_FIELDS = ("title", "symptoms", "n1_checks", "n2_actions", "examples")


class CatalogueLoad(models.Model):
    """One load of ``data/cases.yaml`` (file version and checksum), kept for traceability."""

    version = models.CharField(max_length=40)
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.version} ({self.loaded_at:%Y-%m-%d})"


class ResolutionCase(models.Model):
    """A resolution case. ``file_*`` keep the data-file version; the live fields may be edited by a supervisor."""

    id = models.SlugField("identifiant", max_length=60, primary_key=True)
    number = models.PositiveSmallIntegerField("numéro", unique=True)
    family = models.CharField("famille", max_length=16, choices=CaseFamily.choices)
    domain = models.CharField("domaine", max_length=16, choices=CaseDomain.choices)
    heading = models.CharField("intitulé complet", max_length=200)
    title = models.CharField("titre", max_length=200)
    symptoms = models.JSONField("symptômes fréquents", default=list)
    n1_checks = models.JSONField("vérifications / actions N1", default=list)
    n2_actions = models.JSONField("actions / résolutions N2", default=list)
    examples = models.JSONField("exemples (anonymisés)", default=list)
    is_active = models.BooleanField("actif", default=True)

    file_version = models.CharField("version du fichier", max_length=40)
    file_data = models.JSONField("contenu du fichier", default=dict)
    revision = models.PositiveIntegerField("révision", default=0)
    edited_at = models.DateTimeField("modifié le", null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "cas de résolution"
        verbose_name_plural = "cas de résolution"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.heading}"

    @property
    def is_edited(self) -> bool:
        return any(getattr(self, f) != self.file_data.get(f) for f in EDITABLE_FIELDS)

    def as_export(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "family": self.family,
            "domain": self.domain,
            "heading": self.heading,
            "title": self.title,
            "symptoms": self.symptoms,
            "n1_checks": self.n1_checks,
            "n2_actions": self.n2_actions,
            "examples": self.examples,
            "file_version": self.file_version,
            "revision": self.revision,
        }
