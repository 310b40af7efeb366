"""Orders received by the order desk (ADV), their flow steps, portability requests and partner commissions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from softwhere.core.models import TimeStampedModel
from softwhere.core.scoping import OwnedByOrganisationQuerySet, ScopedQuerySet
from softwhere.core.validators import normalize_phone, normalize_postal_code, normalize_siret

from .choices import STEP_CODE_CHOICES, InvoiceStatus, ItemKind, OrderStatus, PortabilityStatus, StepState
from .services import completeness, eligibility, flow, items, leadtimes
from .services.calendar import local_date
from .services.money import QuoteError


class OfOrderQuerySet(ScopedQuerySet):
    scope_path = "order__organisation"


class OfPartnerQuerySet(ScopedQuerySet):
    """Commission rows belong to a partner: partner users see their own, clients none."""

    scope_path = "partner"


class Order(TimeStampedModel):
    """One order file (« demande d'ouverture de compte ») for a client company, Data and/or Voice."""

    reference = models.CharField("référence", max_length=20, unique=True, editable=False, blank=True)
    organisation = models.ForeignKey(
        "customers.Organisation", verbose_name="client", on_delete=models.PROTECT, related_name="orders"
    )
    partner = models.ForeignKey(
        "customers.Organisation",
        verbose_name="partenaire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner_orders",
    )
    site = models.ForeignKey(
        "customers.Site",
        verbose_name="site d'installation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    status = models.CharField("statut", max_length=12, choices=OrderStatus.choices, default=OrderStatus.RECEIVED)
    received_at = models.DateTimeField("reçue le")
    ack_due_at = models.DateTimeField("accusé de réception dû le")
    acknowledged_at = models.DateTimeField("accusé de réception le", null=True, blank=True)
    processing_started_at = models.DateTimeField("traitement démarré le", null=True, blank=True)
    # File (seed II.B).
    quote_signed_on = models.DateField("devis signé le", null=True, blank=True)
    contracts_signed_on = models.DateField("contrats signés le", null=True, blank=True)
    direct_debit_signed_on = models.DateField("autorisation de prélèvement signée le", null=True, blank=True)
    iban = models.CharField("IBAN", max_length=34, blank=True)
    bic = models.CharField("BIC", max_length=11, blank=True)
    pages_jaunes_form_on = models.DateField("formulaire Pages Jaunes signé le", null=True, blank=True)
    billing_address = models.TextField(
        "adresse de facturation", blank=True, help_text="Vide : l'adresse de l'organisation."
    )
    client_phone = models.CharField("téléphone client", max_length=20, blank=True)
    numbers_postal_code = models.CharField("code postal des numéros géographiques", max_length=5, blank=True)
    installation_siret = models.CharField("SIRET du site d'installation", max_length=14, blank=True)
    # Flow dates.
    link_delivered_on = models.DateField("lien livré le", null=True, blank=True)
    delivery_note_sent_on = models.DateField("bon de livraison du lien envoyé le", null=True, blank=True)
    contest_deadline = models.DateField("fin du délai de contestation", null=True, blank=True)
    link_contested_at = models.DateTimeField("lien contesté le", null=True, blank=True)
    voice_go_ahead_on = models.DateField("feu vert VoIP le", null=True, blank=True)
    expected_delivery_on = models.DateField("livraison prévue le", null=True, blank=True)
    delivery_deadline_on = models.DateField("en retard après le", null=True, blank=True)
    delivered_on = models.DateField("livrée le", null=True, blank=True)
    notes = models.TextField("notes", blank=True)

    objects = OwnedByOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "commande"
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self) -> str:
        return f"{self.reference or 'Commande'} – {self.organisation}"

    def clean_fields(self, exclude: Any = None) -> None:
        """Normalise IBAN, BIC, SIRET, phone and postal code first, so their length checks see the stored form."""
        errors: dict[str, Any] = {}
        for field, fn in (("iban", completeness.normalize_iban), ("bic", completeness.normalize_bic)):
            value = getattr(self, field)
            if value:
                try:
                    setattr(self, field, fn(value))
                except QuoteError as exc:
                    errors[field] = [exc.message]
        for field, normalize in (
            ("installation_siret", normalize_siret),
            ("client_phone", normalize_phone),
            ("numbers_postal_code", normalize_postal_code),
        ):
            value = getattr(self, field)
            if value:
                try:
                    setattr(self, field, normalize(value))
                except ValidationError as exc:
                    errors[field] = exc.messages
        try:
            super().clean_fields(exclude=[*(exclude or []), *errors])
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.site_id and self.site is not None and self.site.organisation_id != self.organisation_id:
            errors["site"] = ["Ce site n'appartient pas au client de la commande."]
        if self.partner_id and self.partner is not None and self.partner.kind != "partner":
            errors["partner"] = ["L'organisation choisie n'est pas un partenaire."]
        if errors:
            raise ValidationError(errors)

    # --- Derived facts ----------------------------------------------------------------------------------

    def item_kinds(self) -> set[str]:
        return {item.kind for item in self.items.all()}

    def link_items(self) -> list[OrderItem]:
        return [item for item in self.items.all() if item.kind in items.LINK_KINDS]

    @property
    def has_link(self) -> bool:
        return bool(self.link_items())

    @property
    def has_voice(self) -> bool:
        return bool(self.item_kinds() & {"sip_trunk", "centrex", "sda", "special_number"})

    @property
    def active_portability(self) -> PortabilityRequest | None:
        return next((p for p in self.portability_requests.all() if p.status != PortabilityStatus.CANCELLED), None)

    def flow_scope(self) -> flow.FlowScope:
        links = self.link_items()
        return flow.FlowScope(
            has_link=bool(links),
            has_voice=self.has_voice,
            has_portability=self.active_portability is not None,
            has_fax_after_portability=any(
                i.kind == "fax_to_mail" and i.parameters.get("after_portability") for i in self.items.all()
            ),
            needs_appointment=any(i.kind in flow.APPOINTMENT_TECHNOLOGIES for i in links),
        )

    def file_facts(self, today: date) -> completeness.FileFacts:
        org = self.organisation
        roles: set[str] = set()
        for contact in org.contacts.all():
            if contact.email:
                roles.update(contact.roles or [])
        missing_numbers = []
        for item in self.link_items():
            key = "support_number" if item.kind == "adsl" else "eligibility_number"
            if item.kind != "fibre" and not item.parameters.get(key):
                missing_numbers.append(item.get_kind_display())
        portability = self.active_portability
        return completeness.FileFacts(
            today=today,
            quote_signed_on=self.quote_signed_on,
            contracts_signed_on=self.contracts_signed_on,
            direct_debit_signed_on=self.direct_debit_signed_on,
            iban=self.iban,
            bic=self.bic,
            company_name=org.name,
            siret=org.siret or "",
            billing_address=self.billing_address or org.address_text,
            client_phone=self.client_phone,
            contact_roles_with_email=roles,
            has_voice=self.has_voice,
            numbers_postal_code=self.numbers_postal_code,
            has_link=self.has_link,
            links_missing_number=missing_numbers,
            installation_siret=self.installation_siret,
            installation_address=self.site.address_text if self.site else "",
            has_portability=portability is not None,
            mandate_signed_on=portability.mandate_signed_on if portability else None,
            mandate_stamped=bool(portability and portability.mandate_stamped),
            carrier_invoice_date=portability.carrier_invoice_date if portability else None,
            fax_items_without_email=sum(
                1 for i in self.items.all() if i.kind == "fax_to_mail" and not i.parameters.get("email")
            ),
            has_pages_jaunes="pages_jaunes" in self.item_kinds(),
            pages_jaunes_form_on=self.pages_jaunes_form_on,
        )

    def eligibility_hints(self) -> list[tuple[OrderItem, list[eligibility.Hint]]]:
        """Warnings per link (VoIP on a weak line, pairs or desaturation); never blocking."""
        with_voice = self.has_voice
        out = []
        for item in self.link_items():
            hints = [
                h
                for h in eligibility.eligibility_hints(
                    item.kind,
                    distance_m=item.parameters.get("distance_m"),
                    attenuation_db=item.parameters.get("attenuation_db"),
                    with_voice=with_voice,
                )
                if h.level == "warning"
            ]
            if hints:
                out.append((item, hints))
        return out

    def missing_items(self, today: date) -> list[completeness.Missing]:
        return completeness.missing_items(self.file_facts(today))

    def plan_input(self) -> leadtimes.PlanInput:
        start = local_date(self.processing_started_at or self.received_at)
        portability = self.active_portability
        kinds = self.item_kinds()
        return leadtimes.PlanInput(
            start=start,
            links=tuple((i.kind, str(i.parameters.get("carrier", ""))) for i in self.link_items()),
            voice=bool(kinds & {"sip_trunk", "centrex", "sda"}),
            special_numbers="special_number" in kinds,
            fax="fax_to_mail" in kinds or "mail_to_fax" in kinds,
            fax_after_portability=self.flow_scope().has_fax_after_portability,
            portability=portability is not None,
            pages_jaunes="pages_jaunes" in kinds,
            link_delivered_on=self.link_delivered_on,
            voice_go_ahead_on=self.voice_go_ahead_on,
            portability_validated_on=portability.validated_on if portability else None,
            portability_done_on=portability.ported_on if portability else None,
        )

    def milestones(self) -> list[leadtimes.Milestone]:
        return leadtimes.plan(self.plan_input())

    def is_late(self, today: date) -> bool:
        return leadtimes.is_late(self.delivery_deadline_on, today, self.status == OrderStatus.DELIVERED)

    def ack_is_late(self, now: Any) -> bool:
        return (self.acknowledged_at or now) > self.ack_due_at

    def billing_starts_on(self, today: date) -> date | None:
        """Link billing starts at delivery once the 3-business-day contest window passed without contest."""
        if not self.link_delivered_on or not self.contest_deadline or self.link_contested_at:
            return None
        return self.link_delivered_on if today > self.contest_deadline else None

    def steps_by_code(self) -> dict[str, OrderStep]:
        return {s.code: s for s in self.steps.all()}


class OrderItem(models.Model):
    """One ordered service with its parameters (validated and defaulted by ``services.items``)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField("type", max_length=20, choices=ItemKind.choices)
    quantity = models.PositiveSmallIntegerField("quantité", default=1, validators=[MinValueValidator(1)])
    parameters = models.JSONField("paramètres", default=dict, blank=True)

    objects = OfOrderQuerySet.as_manager()

    class Meta:
        verbose_name = "élément de commande"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} × {self.quantity}" if self.quantity > 1 else self.get_kind_display()

    def clean(self) -> None:
        try:
            self.parameters = items.normalize_parameters(self.kind, self.parameters)
        except QuoteError as exc:
            raise ValidationError({"parameters": [exc.message]}) from exc

    @property
    def is_data(self) -> bool:
        return self.kind in items.DATA_KINDS


class OrderStep(models.Model):
    """One of the 11 steps of seed II.E c for one order: state, dates, owner."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField("n°")
    code = models.CharField("étape", max_length=20, choices=STEP_CODE_CHOICES)
    state = models.CharField("état", max_length=16, choices=StepState.choices, default=StepState.PENDING)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="responsable",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_label = models.CharField("intervenant", max_length=60, blank=True)
    started_at = models.DateTimeField("démarrée le", null=True, blank=True)
    done_at = models.DateTimeField("terminée le", null=True, blank=True)
    due_at = models.DateTimeField("échéance", null=True, blank=True)
    data = models.JSONField("données", default=dict, blank=True)
    note = models.TextField("note", blank=True)

    objects = OfOrderQuerySet.as_manager()

    class Meta:
        verbose_name = "étape de commande"
        ordering = ["order", "number"]
        constraints = [models.UniqueConstraint(fields=["order", "code"], name="order_step_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"

    @property
    def definition(self) -> flow.StepDef:
        return flow.BY_CODE[flow.StepCode(self.code)]

    @property
    def label(self) -> str:
        return self.definition.label


class PortabilityRequest(TimeStampedModel):
    """A portability mandate (NDI and every SDA, per the donor's invoice) and its quote."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="portability_requests")
    operator = models.CharField("opérateur cédant", max_length=80, help_text="Tel qu'au tableau des conventions.")
    numbers = models.JSONField("numéros (NDI et SDA)", default=list, blank=True)
    analog_lines = models.JSONField("lignes analogiques", default=list, blank=True)
    invoice_numbers = models.JSONField("numéros sur la facture", default=list, blank=True)
    mandate_signed_on = models.DateField("mandat signé le", null=True, blank=True)
    mandate_stamped = models.BooleanField("mandat tamponné", default=False)
    carrier_invoice_date = models.DateField("date de la facture de l'opérateur cédant", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=PortabilityStatus.choices, default=PortabilityStatus.DRAFT
    )
    quote = models.JSONField("devis", default=dict, blank=True)
    total_eur = models.DecimalField("coût € HT", max_digits=9, decimal_places=2, default=Decimal(0))
    validated_on = models.DateField("validée et fiabilisée le", null=True, blank=True)
    planned_date = models.DateField("date prévue", null=True, blank=True)
    ported_on = models.DateField("portée le", null=True, blank=True)
    ported_at = models.DateTimeField("portabilité validée à", null=True, blank=True)
    postponements = models.PositiveSmallIntegerField("reports", default=0)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)

    objects = OfOrderQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de portabilité"
        verbose_name_plural = "demandes de portabilité"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"Portabilité {self.operator} ({len(self.numbers) + len(self.analog_lines)} numéros)"


class CommissionStatement(models.Model):
    """Commissions generated for a partner in one month (€ HT), as shown in its « commissions » tab."""

    partner = models.ForeignKey("customers.Organisation", on_delete=models.PROTECT, related_name="commissions")
    month = models.DateField("mois", help_text="Premier jour du mois.")
    amount = models.DecimalField("commissions € HT", max_digits=10, decimal_places=2)
    detail = models.JSONField("détail", default=list, blank=True)

    objects = OfPartnerQuerySet.as_manager()

    class Meta:
        verbose_name = "commissions du mois"
        ordering = ["partner", "month"]
        constraints = [models.UniqueConstraint(fields=["partner", "month"], name="commission_unique_month")]

    def __str__(self) -> str:
        return f"{self.partner} {self.month:%m/%Y} : {self.amount} €"


class CommissionInvoice(TimeStampedModel):
    """A quarterly commission invoice submitted by a partner, checked against the rule of seed X.B."""

    partner = models.ForeignKey("customers.Organisation", on_delete=models.PROTECT, related_name="commission_invoices")
    year = models.PositiveSmallIntegerField("année")
    quarter = models.PositiveSmallIntegerField("trimestre")
    invoice_number = models.CharField("n° de facture", max_length=40)
    invoice_date = models.DateField("date de facture")
    lines = models.JSONField("lignes", default=list)
    status = models.CharField("contrôle", max_length=10, choices=InvoiceStatus.choices)
    problems = models.JSONField("anomalies", default=list, blank=True)

    objects = OfPartnerQuerySet.as_manager()

    class Meta:
        verbose_name = "facture de commissions"
        ordering = ["-year", "-quarter", "-id"]

    def __str__(self) -> str:
        return f"{self.partner} T{self.quarter} {self.year} ({self.invoice_number})"
