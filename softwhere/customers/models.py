"""Who we support: organisations (operator, partners, clients), their contacts and sites."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from softwhere.core.models import TimeStampedModel
from softwhere.core.scoping import OrganisationQuerySet, OwnedByOrganisationQuerySet
from softwhere.core.validators import (
    normalize_address_line,
    normalize_city,
    normalize_phone,
    normalize_postal_code,
    normalize_siret,
)

from .choices import WEEKDAYS, ContactRole, OrganisationKind, PreferredChannel


class PostalAddress(models.Model):
    """A French postal address stored in its normalised (AFNOR) form."""

    address_line1 = models.CharField("adresse", max_length=38)
    address_line2 = models.CharField("complément d'adresse", max_length=38, blank=True)
    postal_code = models.CharField("code postal", max_length=5)
    city = models.CharField("commune", max_length=60)

    class Meta:
        abstract = True

    def normalize_address(self) -> None:
        errors: dict[str, Any] = {}
        for field, fn in (
            ("address_line1", normalize_address_line),
            ("address_line2", normalize_address_line),
            ("postal_code", normalize_postal_code),
            ("city", normalize_city),
        ):
            value = getattr(self, field)
            if not value and field == "address_line2":
                continue
            try:
                setattr(self, field, fn(value))
            except ValidationError as exc:
                errors[field] = exc.messages
        if not self.address_line1 and "address_line1" not in errors:
            errors["address_line1"] = ["Adresse obligatoire."]
        if errors:
            raise ValidationError(errors)

    @property
    def address_text(self) -> str:
        parts = [self.address_line1, self.address_line2, f"{self.postal_code} {self.city}"]
        return "\n".join(p for p in parts if p)


class Organisation(TimeStampedModel, PostalAddress):
    kind = models.CharField("type", max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.CLIENT)
    name = models.CharField("raison sociale", max_length=200)
    siret = models.CharField("SIRET", max_length=14, unique=True, null=True, blank=True)
    partner = models.ForeignKey(
        "self",
        verbose_name="partenaire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clients",
        limit_choices_to={"kind": OrganisationKind.PARTNER},
    )
    is_active = models.BooleanField("active", default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]
        # (name) alone serves the default order: the grid's company select reads the first 200 names of every
        # kind but operators, which (kind, name) cannot walk in name order (5 ms seq scan + sort at 10 000).
        indexes = [models.Index(fields=["kind", "name"]), models.Index(fields=["name"], name="customers_org_name_idx")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            self.normalize_address()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if self.siret:
            try:
                self.siret = normalize_siret(self.siret)
            except ValidationError as exc:
                errors["siret"] = exc.messages
        elif self.kind != OrganisationKind.OPERATOR:
            errors["siret"] = ["SIRET obligatoire pour un partenaire ou un client."]
        if self.partner_id and self.kind != OrganisationKind.CLIENT:
            errors["partner"] = ["Seul un client peut être rattaché à un partenaire."]
        if self.partner_id and self.partner is not None and self.partner.kind != OrganisationKind.PARTNER:
            errors["partner"] = ["L'organisation choisie n'est pas un partenaire."]
        if errors:
            raise ValidationError(errors)


class Site(TimeStampedModel, PostalAddress):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField("nom", max_length=120)
    opening_hours = models.JSONField(
        "horaires d'ouverture",
        default=dict,
        blank=True,
        help_text='Par jour (lun…dim), des plages "HH:MM-HH:MM", par ex. {"lun": ["08:00-12:00", "14:00-18:00"]}.',
    )
    access_notes = models.TextField("consignes d'accès", blank=True)

    objects = OwnedByOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "site"
        ordering = ["organisation__name", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="site_unique_name_per_org")]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})" if self.city else self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            self.normalize_address()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        try:
            self.opening_hours = validate_opening_hours(self.opening_hours)
        except ValidationError as exc:
            errors["opening_hours"] = exc.messages
        if errors:
            raise ValidationError(errors)

    @property
    def opening_hours_text(self) -> str:
        return " ; ".join(f"{day} {', '.join(r)}" for day, r in self.opening_hours.items() if r) or "—"


_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]|24):([0-5]\d)$")


def validate_opening_hours(value: Any) -> dict[str, list[str]]:
    """Weekday → ordered, non-overlapping "HH:MM-HH:MM" ranges."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ValidationError("Horaires : un objet {jour: [plages]} est attendu.")
    result: dict[str, list[str]] = {}
    for day in WEEKDAYS:
        ranges = value.get(day) or []
        if not isinstance(ranges, list):
            raise ValidationError(f"Horaires du {day} : une liste de plages est attendue.")
        last_end = -1
        for r in ranges:
            m = _RANGE.match(str(r))
            if not m:
                raise ValidationError(f"Plage horaire invalide « {r} » ({day}) : format HH:MM-HH:MM.")
            start = int(m.group(1)) * 60 + int(m.group(2))
            end = int(m.group(3)) * 60 + int(m.group(4))
            if end <= start or start < last_end:
                raise ValidationError(f"Plages du {day} incohérentes ou qui se chevauchent.")
            last_end = end
        if ranges:
            result[day] = [str(r) for r in ranges]
    unknown = set(value) - set(WEEKDAYS)
    if unknown:
        raise ValidationError(f"Jours inconnus : {', '.join(sorted(unknown))} (attendu : {', '.join(WEEKDAYS)}).")
    return result


class Contact(TimeStampedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts")
    first_name = models.CharField("prénom", max_length=80, blank=True)
    last_name = models.CharField("nom", max_length=80)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True, help_text="Stocké au format E.164.")
    mobile = models.CharField("mobile", max_length=20, blank=True, help_text="Stocké au format E.164.")
    roles = models.JSONField("rôles", default=list, blank=True)
    preferred_channel = models.CharField(
        "canal préféré", max_length=10, choices=PreferredChannel.choices, default=PreferredChannel.MAIL
    )

    objects = OwnedByOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "contact"
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}".strip()

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for field in ("phone", "mobile"):
            value = getattr(self, field)
            if value:
                try:
                    setattr(self, field, normalize_phone(value))
                except ValidationError as exc:
                    errors[field] = exc.messages
        bad_roles = [r for r in self.roles or [] if r not in ContactRole.values]
        if not isinstance(self.roles, list) or bad_roles:
            errors["roles"] = [f"Rôle inconnu : {', '.join(map(str, bad_roles))}."]
        else:
            self.roles = [r for r in ContactRole.values if r in self.roles]
        if self.site_id and self.site is not None and self.site.organisation_id != self.organisation_id:
            errors["site"] = ["Ce site n'appartient pas à l'organisation du contact."]
        if self.preferred_channel in (PreferredChannel.SMS, PreferredChannel.BOTH) and not self.mobile:
            errors["mobile"] = ["Un mobile est requis pour recevoir des SMS."]
        if self.preferred_channel in (PreferredChannel.MAIL, PreferredChannel.BOTH) and not self.email:
            errors["email"] = ["Un e-mail est requis pour recevoir des mails."]
        if errors:
            raise ValidationError(errors)

    def role_labels(self) -> list[str]:
        return [ContactRole(r).label for r in self.roles]
