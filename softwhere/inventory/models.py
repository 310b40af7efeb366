"""What we support on each site: services (accesses, voice, mobile lines) and equipment.

Services use multi-table inheritance: a ticket points at ``Service`` whatever its
kind, while each kind keeps its own typed columns.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from softwhere.core.models import TimeStampedModel
from softwhere.core.scoping import OfVoiceServiceQuerySet, OnSiteQuerySet
from softwhere.core.validators import normalize_iccid, normalize_mac, normalize_mobile, normalize_phone

from .choices import (
    GTR_ELIGIBLE_TECHNOLOGIES,
    AccessTechnology,
    CommitmentMonths,
    EquipmentKind,
    GtrOption,
    NumberRangeKind,
    ServiceKind,
    ServiceStatus,
    SimKind,
    VoiceKind,
)


class Service(TimeStampedModel):
    site = models.ForeignKey("customers.Site", on_delete=models.PROTECT, related_name="services")
    kind = models.CharField("type", max_length=10, choices=ServiceKind.choices, editable=False)
    label = models.CharField("libellé", max_length=120, blank=True)
    status = models.CharField("statut", max_length=12, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    carrier = models.CharField("opérateur de collecte", max_length=60, blank=True)
    carrier_reference = models.CharField(
        "référence opérateur", max_length=60, blank=True, db_index=True, help_text="Référence de prestation ou NDI."
    )
    commitment_months = models.PositiveSmallIntegerField(
        "engagement", choices=CommitmentMonths.choices, null=True, blank=True
    )
    commitment_start = models.DateField("début d'engagement", null=True, blank=True)
    monthly_fee = models.DecimalField(
        "abonnement mensuel HT (€)",
        max_digits=9,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )

    objects = OnSiteQuerySet.as_manager()

    class Meta:
        verbose_name = "service"
        ordering = ["site__name", "kind", "label"]

    def __str__(self) -> str:
        return self.label or f"{self.get_kind_display()} {self.carrier_reference}".strip()

    @property
    def organisation_id(self) -> int:
        return self.site.organisation_id

    def specific(self) -> Service:
        """The Access / VoiceService / MobileLine row behind this service."""
        for attr in ("access", "voiceservice", "mobileline"):
            try:
                return getattr(self, attr)
            except models.ObjectDoesNotExist:
                continue
        return self

    def clean(self) -> None:
        if self.commitment_start and not self.commitment_months:
            raise ValidationError({"commitment_months": ["Durée d'engagement requise avec une date de début."]})


class Access(Service):
    technology = models.CharField("technologie", max_length=12, choices=AccessTechnology.choices)
    pairs = models.PositiveSmallIntegerField(
        "nombre de paires", null=True, blank=True, help_text="SDSL : 1, 2 ou 4 paires."
    )
    bandwidth_down_mbps = models.DecimalField("débit descendant (Mb/s)", max_digits=8, decimal_places=2, null=True, blank=True)
    bandwidth_up_mbps = models.DecimalField("débit montant (Mb/s)", max_digits=8, decimal_places=2, null=True, blank=True)
    gtr_option = models.CharField("option GTR", max_length=10, choices=GtrOption.choices, default=GtrOption.NONE)

    class Meta:
        verbose_name = "accès internet"
        verbose_name_plural = "accès internet"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.kind = ServiceKind.ACCESS
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = {}
        if self.technology == AccessTechnology.SDSL:
            if self.pairs not in (1, 2, 4):
                errors["pairs"] = ["Un accès SDSL a 1, 2 ou 4 paires."]
        elif self.pairs:
            errors["pairs"] = ["Le nombre de paires ne concerne que le SDSL."]
        if self.gtr_option != GtrOption.NONE and self.technology not in GTR_ELIGIBLE_TECHNOLOGIES:
            errors["gtr_option"] = ["La GTR ne s'applique qu'aux accès SDSL et fibre."]
        if errors:
            raise ValidationError(errors)


class VoiceService(Service):
    voice_kind = models.CharField("type de service voix", max_length=12, choices=VoiceKind.choices)
    simultaneous_calls = models.PositiveSmallIntegerField("appels simultanés", null=True, blank=True)
    seats = models.PositiveSmallIntegerField("postes Centrex", null=True, blank=True)
    fax_email = models.EmailField("adresse fax to mail", blank=True)

    class Meta:
        verbose_name = "service voix"
        verbose_name_plural = "services voix"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.kind = ServiceKind.VOICE
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.voice_kind == VoiceKind.SIP_TRUNK and not self.simultaneous_calls:
            raise ValidationError({"simultaneous_calls": ["Nombre d'appels simultanés requis pour un trunk SIP."]})
        if self.voice_kind == VoiceKind.FAX_TO_MAIL and not self.fax_email:
            raise ValidationError({"fax_email": ["Adresse e-mail de réception requise pour le fax to mail."]})


class NumberRange(models.Model):
    """A block of numbers carried by a voice service: the NDI or an SDA range (first–last, E.164)."""

    voice_service = models.ForeignKey(VoiceService, on_delete=models.CASCADE, related_name="number_ranges")
    kind = models.CharField("type", max_length=4, choices=NumberRangeKind.choices)
    first_number = models.CharField("premier numéro", max_length=20)
    last_number = models.CharField("dernier numéro", max_length=20)

    objects = OfVoiceServiceQuerySet.as_manager()

    class Meta:
        verbose_name = "plage de numéros"
        verbose_name_plural = "plages de numéros"
        ordering = ["first_number"]
        indexes = [models.Index(fields=["first_number", "last_number"])]

    def __str__(self) -> str:
        if self.first_number == self.last_number:
            return f"{self.get_kind_display()} {self.first_number}"
        return f"{self.get_kind_display()} {self.first_number} → {self.last_number}"

    @property
    def size(self) -> int:
        return int(self.last_number[1:]) - int(self.first_number[1:]) + 1

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        for field in ("first_number", "last_number"):
            try:
                setattr(self, field, normalize_phone(getattr(self, field)))
            except ValidationError as exc:
                errors[field] = exc.messages
        if errors:
            raise ValidationError(errors)
        if self.first_number[:-4] != self.last_number[:-4] or self.last_number < self.first_number:
            raise ValidationError(
                {"last_number": ["La plage doit être croissante et tenir dans un même bloc de 10 000 numéros."]}
            )
        if self.kind == NumberRangeKind.NDI and self.first_number != self.last_number:
            raise ValidationError({"last_number": ["Un NDI est un numéro unique."]})


class MobileLine(Service):
    msisdn = models.CharField("numéro mobile (MSISDN)", max_length=20, unique=True)
    sim_kind = models.CharField("type de SIM", max_length=5, choices=SimKind.choices, default=SimKind.SIM)
    iccid = models.CharField("ICCID", max_length=20, blank=True)
    apn = models.CharField("APN", max_length=100, blank=True)
    roaming_enabled = models.BooleanField("roaming activé", default=False)
    fleet = models.CharField("flotte", max_length=80, blank=True)

    class Meta:
        verbose_name = "ligne mobile"
        verbose_name_plural = "lignes mobiles"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.kind = ServiceKind.MOBILE
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = {}
        try:
            self.msisdn = normalize_mobile(self.msisdn)
        except ValidationError as exc:
            errors["msisdn"] = exc.messages
        if self.iccid:
            try:
                self.iccid = normalize_iccid(self.iccid)
            except ValidationError as exc:
                errors["iccid"] = exc.messages
        elif self.sim_kind == SimKind.SIM:
            errors["iccid"] = ["ICCID requis pour une carte SIM physique."]
        if errors:
            raise ValidationError(errors)


class Equipment(TimeStampedModel):
    site = models.ForeignKey("customers.Site", on_delete=models.PROTECT, related_name="equipment")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="equipment", verbose_name="service"
    )
    kind = models.CharField("type", max_length=12, choices=EquipmentKind.choices)
    brand = models.CharField("marque", max_length=60, blank=True)
    model = models.CharField("modèle", max_length=80, blank=True)
    serial_number = models.CharField("numéro de série", max_length=60, blank=True, db_index=True)
    firmware = models.CharField("firmware", max_length=60, blank=True)
    mac_address = models.CharField("adresse MAC", max_length=17, blank=True)
    management_ip = models.GenericIPAddressField("IP d'administration", null=True, blank=True)
    warranty_end = models.DateField("fin de garantie", null=True, blank=True)
    hostname = models.CharField("nom d'hôte", max_length=100, blank=True)

    objects = OnSiteQuerySet.as_manager()

    class Meta:
        verbose_name = "équipement"
        verbose_name_plural = "équipements"
        ordering = ["site__name", "kind", "brand", "model"]

    def __str__(self) -> str:
        name = " ".join(p for p in (self.brand, self.model) if p) or self.get_kind_display()
        return f"{name} {self.serial_number}".strip()

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.mac_address:
            try:
                self.mac_address = normalize_mac(self.mac_address)
            except ValidationError as exc:
                errors["mac_address"] = exc.messages
        if self.service_id and self.service is not None and self.service.site_id != self.site_id:
            errors["service"] = ["Ce service n'est pas sur le site de l'équipement."]
        if errors:
            raise ValidationError(errors)
