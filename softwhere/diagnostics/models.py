"""Service sheets (seed 004's Scribe page), SSH access (credentials, bastions, known hosts),
the evidence of every check, and the observation watches that check by themselves.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from softwhere.core.models import TimeStampedModel
from softwhere.core.scoping import ScopedQuerySet

from . import crypto
from .choices import (
    AcceptanceProfile,
    CredentialKind,
    DiagnosticKind,
    Topology,
    Trigger,
    Vendor,
    Verdict,
    WatchStatus,
)


class OfEquipmentQuerySet(ScopedQuerySet):
    scope_path = "equipment__site__organisation"


class DeviceCredential(TimeStampedModel):
    """A login for routers or bastions; the secret is encrypted and never displayed back."""

    name = models.CharField("nom", max_length=80, unique=True)
    username = models.CharField("identifiant", max_length=80)
    kind = models.CharField("type", max_length=12, choices=CredentialKind.choices, default=CredentialKind.PASSWORD)
    secret_token = models.TextField(editable=False, blank=True)
    rotated_at = models.DateTimeField("secret modifié le", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "identifiant d'équipement"
        verbose_name_plural = "identifiants d'équipements"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.username})"

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_token)

    def set_secret(self, plain: str) -> None:
        self.secret_token = crypto.encrypt(plain)
        self.rotated_at = timezone.now()

    def reveal(self) -> str:
        """Only the SSH transport calls this, right before connecting."""
        return crypto.decrypt(self.secret_token)


class Bastion(TimeStampedModel):
    """The jump host (« rebond ») the desk goes through to reach customer routers."""

    name = models.CharField("nom", max_length=80, unique=True)
    host = models.CharField("hôte", max_length=255)
    port = models.PositiveIntegerField(
        "port SSH", default=22, validators=[MinValueValidator(1), MaxValueValidator(65535)]
    )
    credential = models.ForeignKey(
        DeviceCredential, verbose_name="identifiant", on_delete=models.PROTECT, related_name="+"
    )
    is_default = models.BooleanField("par défaut", default=False)
    enabled = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "bastion"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.host}:{self.port})"


def fingerprint_of(public_key: str) -> tuple[str, str]:
    """(key type, OpenSSH SHA256 fingerprint) of a « type base64 [comment] » public key line."""
    parts = public_key.split()
    if len(parts) < 2:
        raise ValidationError({"public_key": ["Clé publique attendue : « type base64 », ex. ssh-ed25519 AAAA…"]})
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except ValueError:
        raise ValidationError({"public_key": ["Clé publique illisible (base64 invalide)."]}) from None
    # The key blob starts with its own type (SSH wire format): catches pasted garbage and mismatched lines.
    size = int.from_bytes(blob[:4], "big") if len(blob) >= 4 else -1
    if size <= 0 or blob[4 : 4 + size].decode("ascii", "replace") != parts[0]:
        raise ValidationError(
            {"public_key": [f"Clé publique invalide : le contenu n'est pas une clé de type « {parts[0]} »."]}
        )
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    return parts[0], f"SHA256:{digest}"


class KnownHost(models.Model):
    """A host key the desk trusts: SSH connections to any other key are refused."""

    host = models.CharField("hôte", max_length=255)
    port = models.PositiveIntegerField("port", default=22, validators=[MinValueValidator(1), MaxValueValidator(65535)])
    key_type = models.CharField("type de clé", max_length=40, editable=False)
    public_key = models.TextField("clé publique")
    fingerprint = models.CharField("empreinte", max_length=80, editable=False)
    comment = models.CharField("commentaire", max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("ajoutée le", default=timezone.now)

    class Meta:
        verbose_name = "clé d'hôte SSH"
        verbose_name_plural = "clés d'hôtes SSH"
        ordering = ["host", "port"]
        constraints = [models.UniqueConstraint(fields=["host", "port", "key_type"], name="known_host_unique_key_type")]

    def __str__(self) -> str:
        return f"{self.host}:{self.port} {self.key_type} {self.fingerprint}"

    def clean(self) -> None:
        self.public_key = " ".join(self.public_key.split()[:2])
        self.key_type, self.fingerprint = fingerprint_of(self.public_key)

    def known_hosts_line(self) -> str:
        name = self.host if self.port == 22 else f"[{self.host}]:{self.port}"
        return f"{name} {self.public_key}"


class ServiceSheet(TimeStampedModel):
    """The Scribe page of one end of a service: how to reach and read its router."""

    equipment = models.OneToOneField(
        "inventory.Equipment", verbose_name="équipement", on_delete=models.CASCADE, related_name="service_sheet"
    )
    access = models.ForeignKey(
        "inventory.Access",
        verbose_name="accès",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_sheets",
    )
    service_reference = models.CharField(
        "référence de prestation",
        max_length=60,
        blank=True,
        db_index=True,
        help_text="Commune aux deux extrémités d'un point à point (ex. CD0HGFUXC7).",
    )
    hostname = models.CharField("nom (hostname)", max_length=120, blank=True)
    vendor = models.CharField("constructeur", max_length=20, choices=Vendor.choices, default=Vendor.RAD_ETX)
    device_model = models.CharField("modèle", max_length=60, blank=True)
    admin_ip = models.GenericIPAddressField("IP d'administration")
    ssh_port = models.PositiveIntegerField(
        "port SSH", default=22, validators=[MinValueValidator(1), MaxValueValidator(65535)]
    )
    topology = models.CharField("topologie", max_length=12, choices=Topology.choices, default=Topology.POINT_TO_POINT)
    software_version = models.CharField("version software", max_length=60, blank=True)
    hardware_version = models.CharField("version hardware", max_length=60, blank=True)
    access_bandwidth_mbps = models.DecimalField(
        "débit d'accès (Mb/s)", max_digits=9, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    connection_node = models.CharField("nœud de raccordement", max_length=60, blank=True)
    connection_port = models.CharField("port de raccordement", max_length=60, blank=True)
    nni_port = models.CharField("port NNI", max_length=30, blank=True)
    gateway_ip = models.GenericIPAddressField("IP de la passerelle", null=True, blank=True)
    management_vlan = models.PositiveSmallIntegerField(
        "SVLAN de management", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4094)]
    )
    acceptance_profile = models.CharField(
        "PV de recette vendu", max_length=12, choices=AcceptanceProfile.choices, default=AcceptanceProfile.STANDARD
    )
    carrier_reference = models.CharField("prestation accès (opérateur)", max_length=60, blank=True)
    snmp_location = models.CharField("site client (snmp location)", max_length=120, blank=True)
    device_timezone = models.CharField("fuseau de l'horloge", max_length=40, default="Europe/Paris")
    bastion = models.ForeignKey(
        Bastion,
        verbose_name="bastion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sheets",
        help_text="Vide : bastion par défaut (ou connexion directe s'il n'y en a pas).",
    )
    credential = models.ForeignKey(
        DeviceCredential, verbose_name="identifiant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = OfEquipmentQuerySet.as_manager()

    class Meta:
        verbose_name = "fiche prestation"
        verbose_name_plural = "fiches prestation"
        ordering = ["service_reference", "hostname"]

    def __str__(self) -> str:
        return self.hostname or f"{self.equipment} ({self.admin_ip})"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.device_timezone)

    def peers(self) -> models.QuerySet[ServiceSheet]:
        """The other ends of the same service (the far router of a point-to-point)."""
        if not self.service_reference:
            return ServiceSheet.objects.none()
        return (
            ServiceSheet.objects.filter(service_reference=self.service_reference)
            .exclude(pk=self.pk)
            .select_related("equipment__site")
        )

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        try:
            ZoneInfo(self.device_timezone)
        except (ZoneInfoNotFoundError, ValueError):
            errors["device_timezone"] = ["Fuseau horaire inconnu (ex. Europe/Paris)."]
        if (
            self.access is not None
            and self.equipment_id
            and self.access.site.organisation_id != self.equipment.site.organisation_id
        ):
            errors["access"] = ["Cet accès n'appartient pas au client de l'équipement."]
        if self.topology == Topology.POINT_TO_POINT and self.service_reference:
            others = ServiceSheet.objects.filter(service_reference=self.service_reference).exclude(pk=self.pk)
            if others.count() >= 2:
                errors["service_reference"] = ["Un point à point n'a que deux extrémités."]
        if errors:
            raise ValidationError(errors)


class OfTicketOrEquipmentQuerySet(ScopedQuerySet):
    scope_path = "ticket__organisation"


class ObservationWatch(models.Model):
    """Periodic checks of a ticket in observation, until a new alarm or the end of the period."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="observation_watches")
    #: the « observe » timeline entry that started it: one watch per entry into observation.
    observe_entry = models.OneToOneField(
        "tickets.TimelineEntry", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    started_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    interval_minutes = models.PositiveIntegerField("intervalle (min)", default=60)
    status = models.CharField("statut", max_length=14, choices=WatchStatus.choices, default=WatchStatus.ACTIVE)
    checks_done = models.PositiveIntegerField("vérifications faites", default=0)
    checks_unverified = models.PositiveIntegerField("vérifications impossibles", default=0)
    last_check_at = models.DateTimeField("dernière vérification", null=True, blank=True)
    send_mail = models.BooleanField("envoyer le mail client automatiquement", default=False)
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)

    objects = OfTicketOrEquipmentQuerySet.as_manager()

    class Meta:
        verbose_name = "surveillance d'observation"
        verbose_name_plural = "surveillances d'observation"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.started_at:%Y-%m-%d %H:%M} → {self.ends_at:%Y-%m-%d %H:%M} ({self.status})"


class DiagnosticRun(models.Model):
    """One check on one equipment: who ran it, the command, the whole raw output and its reading."""

    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="diagnostic_runs"
    )
    equipment = models.ForeignKey(
        "inventory.Equipment", null=True, blank=True, on_delete=models.SET_NULL, related_name="diagnostic_runs"
    )
    sheet = models.ForeignKey(ServiceSheet, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs")
    watch = models.ForeignKey(ObservationWatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs")
    kind = models.CharField("type", max_length=12, choices=DiagnosticKind.choices)
    trigger = models.CharField("déclenché par", max_length=12, choices=Trigger.choices, default=Trigger.AGENT)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target = models.CharField("cible", max_length=255, blank=True)
    via = models.CharField("depuis", max_length=255, blank=True)
    command = models.TextField("commande", blank=True)
    raw_output = models.TextField("sortie brute", blank=True)
    parsed = models.JSONField("lecture", default=dict, blank=True)
    verdict = models.CharField("verdict", max_length=12, choices=Verdict.choices)
    message = models.TextField("résumé", blank=True)
    error_code = models.CharField("code d'erreur", max_length=30, blank=True)
    started_at = models.DateTimeField("début", default=timezone.now, db_index=True)
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    timeline_entry = models.ForeignKey(
        "tickets.TimelineEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OfTicketOrEquipmentQuerySet.as_manager()

    class Meta:
        verbose_name = "vérification"
        verbose_name_plural = "vérifications"
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["ticket", "-started_at"]), models.Index(fields=["equipment", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target} : {self.get_verdict_display()}"

    @property
    def duration_ms(self) -> int | None:
        if self.finished_at is None:
            return None
        return int((self.finished_at - self.started_at).total_seconds() * 1000)

    def as_evidence(self) -> dict[str, Any]:
        """What the timeline entry keeps of the run (the raw output stays whole on the run)."""
        return {
            "diagnostic_run": self.pk,
            "kind": self.kind,
            "equipment": self.equipment_id,
            "target": self.target,
            "via": self.via,
            "command": self.command,
            "verdict": self.verdict,
            "error_code": self.error_code,
            "trigger": self.trigger,
        }
