"""Stored telephony configuration of a company (seed 003, « Pack Business Unifié »).

The models keep the shape of the JSON document (``schema/telephony.schema.json``):
services, hardware and IVR menus are JSON fragments of that document, and calendars
and announcements are referenced by name, as in the selfcare. Every change goes
through ``actions.py``, which re-checks the whole company with ``services/rules.py``
inside the transaction, so a stored configuration always passes the seed's rules.
"""

from __future__ import annotations

from django.db import models

from softwhere.core.models import TimeStampedModel
from softwhere.core.scoping import ScopedQuerySet

from .choices import (
    DEFAULT_GROUP_RINGS,
    DEFAULT_MAX_WAIT_SECONDS,
    DEFAULT_MAX_WAITING_CALLS,
    MOBILE_PSEUDO_SITE,
    AudioFormat,
    Collaboration,
    DistributionMode,
    IvrMode,
    LineKind,
    OverflowMode,
)


class OwnedQuerySet(ScopedQuerySet):
    scope_path = "organisation"


class OfGroupQuerySet(ScopedQuerySet):
    scope_path = "group__organisation"


class Offer(TimeStampedModel):
    """Plans and options subscribed (« Gérer votre offre ») ; assigned counts are derived from the lines."""

    organisation = models.OneToOneField(
        "customers.Organisation", on_delete=models.CASCADE, related_name="telephony_offer"
    )
    plans = models.JSONField("forfaits souscrits", default=dict, blank=True)
    options = models.JSONField("options souscrites", default=dict, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "offre Pack Business"

    def __str__(self) -> str:
        return f"Offre de {self.organisation}"


class TelephonySite(TimeStampedModel):
    """A telephony site: its own name (the only editable field) over a customer site's address."""

    organisation = models.ForeignKey("customers.Organisation", on_delete=models.CASCADE, related_name="telephony_sites")
    customer_site = models.ForeignKey(
        "customers.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="telephony_sites"
    )
    name = models.CharField("nom", max_length=120)
    is_mobile_pseudo_site = models.BooleanField(default=False)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "site de téléphonie"
        ordering = ["is_mobile_pseudo_site", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="telephony_site_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def postal_code(self) -> str:
        return self.customer_site.postal_code if self.customer_site else ""

    @property
    def address_text(self) -> str:
        if self.is_mobile_pseudo_site or not self.customer_site:
            return ""
        s = self.customer_site
        return f"{s.address_line1} {s.postal_code} {s.city}"


class Calendar(TimeStampedModel):
    organisation = models.ForeignKey(
        "customers.Organisation", on_delete=models.CASCADE, related_name="telephony_calendars"
    )
    name = models.CharField("nom du calendrier", max_length=120)
    schedules = models.JSONField("horaires d'ouverture", default=list)
    closure_periods = models.JSONField("périodes de fermeture", default=list, blank=True)
    closure_days = models.JSONField("jours de fermeture", default=list, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "calendrier"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="telephony_calendar_unique_name")]

    def __str__(self) -> str:
        return self.name

    def as_document(self) -> dict[str, object]:
        return {
            "name": self.name,
            "schedules": self.schedules,
            "closure_periods": self.closure_periods,
            "closure_days": self.closure_days,
        }


class Announcement(TimeStampedModel):
    """An uploaded MP3/WAV: in a site's library (call groups, IVR) or owned by one user line.

    Default announcements are not stored: they are constants (choices.DEFAULT_ANNOUNCEMENTS).
    """

    organisation = models.ForeignKey(
        "customers.Organisation", on_delete=models.CASCADE, related_name="telephony_announcements"
    )
    site = models.ForeignKey(
        TelephonySite, null=True, blank=True, on_delete=models.PROTECT, related_name="announcements"
    )
    line = models.ForeignKey("Line", null=True, blank=True, on_delete=models.CASCADE, related_name="announcements")
    name = models.CharField("nom", max_length=120)
    format = models.CharField(max_length=3, choices=AudioFormat.choices)
    duration_seconds = models.FloatField("durée (s)")
    size = models.PositiveIntegerField("taille (octets)", default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    content = models.BinaryField("fichier audio", default=b"")

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "annonce"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PickupGroup(TimeStampedModel):
    organisation = models.ForeignKey("customers.Organisation", on_delete=models.CASCADE, related_name="pickup_groups")
    site = models.ForeignKey(TelephonySite, on_delete=models.PROTECT, related_name="pickup_groups")
    name = models.CharField("nom", max_length=120)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "groupe d'interception"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Line(TimeStampedModel):
    """A fixed, fixed-number-for-mobile, mobile (« PABX Mobile ») or analogue line."""

    organisation = models.ForeignKey("customers.Organisation", on_delete=models.CASCADE, related_name="telephony_lines")
    site = models.ForeignKey(TelephonySite, on_delete=models.PROTECT, related_name="lines")
    kind = models.CharField("forfait", max_length=20, choices=LineKind.choices)
    number = models.CharField("numéro", max_length=20, unique=True)
    short_number = models.CharField("numéro court", max_length=9, blank=True)
    first_name = models.CharField("prénom", max_length=80, blank=True)
    last_name = models.CharField("nom", max_length=80, blank=True)
    email = models.EmailField("e-mail", blank=True)
    name = models.CharField("nom de la ligne", max_length=120, blank=True)
    associated_mobile = models.CharField("ligne mobile associée", max_length=20, blank=True)
    collaboration = models.CharField(max_length=30, choices=Collaboration.choices, default=Collaboration.AUCUNE)
    hardware = models.JSONField("matériel", default=dict, blank=True)
    services = models.JSONField("services", default=dict, blank=True)
    pickup_group = models.ForeignKey(
        PickupGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "ligne"
        ordering = ["last_name", "first_name", "name", "number"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.number})"

    @property
    def display_name(self) -> str:
        return f"{self.last_name} {self.first_name}".strip() or self.name or self.number

    @property
    def is_mobile(self) -> bool:
        return self.kind == LineKind.MOBILE


class CallGroup(TimeStampedModel):
    organisation = models.ForeignKey("customers.Organisation", on_delete=models.CASCADE, related_name="call_groups")
    site = models.ForeignKey(TelephonySite, on_delete=models.PROTECT, related_name="call_groups")
    name = models.CharField("nom du groupe", max_length=120)
    number = models.CharField("numéro du groupe", max_length=20, unique=True)
    distribution = models.CharField(
        "mode de distribution", max_length=20, choices=DistributionMode.choices, default=DistributionMode.POSTE_LIBRE
    )
    max_rings = models.PositiveSmallIntegerField("nombre de sonneries maximum", default=DEFAULT_GROUP_RINGS)
    inter_call_delay_enabled = models.BooleanField("délai inter-appels", default=False)
    inter_call_delay_seconds = models.PositiveIntegerField("durée du délai inter-appels (s)", null=True, blank=True)
    max_waiting_calls = models.PositiveSmallIntegerField(
        "nombre maximum d'appels en attente", default=DEFAULT_MAX_WAITING_CALLS
    )
    max_wait_seconds = models.PositiveIntegerField(
        "temps d'attente maximum avant débordement (s)", default=DEFAULT_MAX_WAIT_SECONDS
    )
    overflow_mode = models.CharField("mode de débordement", max_length=20, default=OverflowMode.DISSUASION)
    overflow_number = models.CharField("numéro de débordement", max_length=20, blank=True)
    welcome = models.JSONField("annonce d'accueil", default=dict, blank=True)
    hold = models.JSONField("annonce d'attente", default=dict, blank=True)
    closing_calendar = models.CharField("calendrier de fermeture", max_length=120, blank=True)
    closing_number = models.CharField("renvoi pendant la fermeture", max_length=20, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "groupement d'appels"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


class CallGroupMember(models.Model):
    group = models.ForeignKey(CallGroup, on_delete=models.CASCADE, related_name="members")
    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="group_memberships")
    position = models.PositiveSmallIntegerField(default=0)
    present = models.BooleanField("présent", default=True)

    objects = OfGroupQuerySet.as_manager()

    class Meta:
        ordering = ["group", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["group", "line"], name="telephony_member_once")]

    def __str__(self) -> str:
        return f"{self.line} dans {self.group}"


class Ivr(TimeStampedModel):
    """An interactive voice response (accueil vocal interactif): two levels, keys 1 to 9."""

    organisation = models.ForeignKey("customers.Organisation", on_delete=models.CASCADE, related_name="ivrs")
    site = models.ForeignKey(TelephonySite, on_delete=models.PROTECT, related_name="ivrs")
    name = models.CharField("nom", max_length=120)
    number = models.CharField("numéro", max_length=20, unique=True)
    enabled = models.BooleanField("activé", default=True)
    mode = models.CharField(max_length=20, choices=IvrMode.choices, default=IvrMode.UNIQUE)
    calendar = models.CharField("calendrier", max_length=120, blank=True)
    open_menu = models.JSONField("menu (heures d'ouverture)", default=dict)
    closed_menu = models.JSONField("menu (heures de fermeture)", null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "accueil vocal interactif"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


class DirectoryContact(TimeStampedModel):
    """External directory of the company (« 500 au maximum »), with an optional short number."""

    organisation = models.ForeignKey(
        "customers.Organisation", on_delete=models.CASCADE, related_name="telephony_contacts"
    )
    name = models.CharField("nom", max_length=120)
    number = models.CharField("numéro", max_length=20)
    short_number = models.CharField("numéro court", max_length=9, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "contact de l'annuaire externe"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


__all__ = ["MOBILE_PSEUDO_SITE"]
