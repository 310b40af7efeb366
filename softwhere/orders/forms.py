"""Forms of the order desk pages: they parse input only; the actions and pure rules validate."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone

from softwhere.core.widgets import SearchableSelect
from softwhere.customers.models import Organisation, Site

from .choices import LINK_TECHNOLOGY_CHOICES, FeeKind, ItemKind

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local", "class": "form-control form-control-sm"}, format="%Y-%m-%dT%H:%M"
)
TEXT = forms.TextInput(attrs={"class": "form-control form-control-sm"})


def _text(label: str, max_length: int = 60, **kw: object) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, widget=TEXT, **kw)  # type: ignore[arg-type]


class OrderFileForm(forms.Form):
    """Signed documents, RIB and account-opening facts (seed II.B)."""

    quote_signed_on = forms.DateField(label="Devis signé le", required=False, widget=DATE)
    contracts_signed_on = forms.DateField(label="Contrats signés le", required=False, widget=DATE)
    direct_debit_signed_on = forms.DateField(label="Autorisation de prélèvement signée le", required=False, widget=DATE)
    iban = _text("IBAN", 50)
    bic = _text("BIC", 20)
    client_phone = _text("Téléphone client", 30)
    installation_siret = _text("SIRET du site d'installation", 20)
    numbers_postal_code = _text("Code postal des numéros", 10)
    pages_jaunes_form_on = forms.DateField(label="Formulaire Pages Jaunes signé le", required=False, widget=DATE)


class StepForm(forms.Form):
    """One move of one step; the step-specific fields are read by ``actions.move_step``."""

    move = forms.ChoiceField(choices=[("start", "Démarrer"), ("complete", "Terminer"), ("skip", "Passer")])
    note = forms.CharField(required=False, max_length=500)
    findings = forms.CharField(required=False, max_length=500)
    approved = forms.BooleanField(required=False)
    orange_at = forms.DateTimeField(required=False, input_formats=["%Y-%m-%dT%H:%M"])
    sfr_at = forms.DateTimeField(required=False, input_formats=["%Y-%m-%dT%H:%M"])
    delivered_on = forms.DateField(required=False)
    delivery_note_sent_on = forms.DateField(required=False)
    go_ahead_on = forms.DateField(required=False)
    validated_on = forms.DateField(required=False)
    planned_date = forms.DateField(required=False)
    ported_at = forms.DateTimeField(required=False, input_formats=["%Y-%m-%dT%H:%M"])

    DATA_FIELDS = (
        "findings",
        "approved",
        "orange_at",
        "sfr_at",
        "delivered_on",
        "delivery_note_sent_on",
        "go_ahead_on",
        "validated_on",
        "planned_date",
        "ported_at",
    )

    def step_data(self) -> dict[str, object]:
        return {k: self.cleaned_data[k] for k in self.DATA_FIELDS if self.cleaned_data.get(k) not in (None, "")}


class PortabilityQuoteForm(forms.Form):
    operator = forms.CharField(
        label="Opérateur cédant",
        max_length=80,
        widget=forms.TextInput(attrs={"class": "form-control", "list": "operators"}),
    )
    numbers = forms.CharField(
        label="Numéros (NDI et SDA)",
        required=False,
        widget=forms.Textarea(
            attrs={
                "class": "form-control font-monospace",
                "rows": 5,
                "placeholder": "01 76 71 05 00\n0176710507-0176710509",
            }
        ),
        help_text="Un numéro ou une plage « premier-dernier » par ligne.",
    )
    analog_lines = forms.CharField(
        label="Lignes analogiques",
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 2}),
    )
    invoice_numbers = forms.CharField(
        label="Numéros rattachés au NDI sur la facture (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 2}),
        help_text="Pour vérifier qu'aucune SDA n'est oubliée (portabilité partielle impossible).",
    )
    postpone = forms.BooleanField(label="Report", required=False)
    cancel = forms.BooleanField(label="Annulation", required=False)

    @staticmethod
    def lines(value: str) -> list[str]:
        return [line.strip() for line in value.replace(";", "\n").splitlines() if line.strip()]


class FeeForm(forms.Form):
    kind = forms.ChoiceField(
        label="Frais", choices=FeeKind.choices, widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    technology = forms.ChoiceField(
        label="Lien",
        choices=[("", "—"), *LINK_TECHNOLOGY_CHOICES],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    carrier = forms.ChoiceField(
        label="Opérateur de collecte",
        choices=[("", "—"), ("orange", "Orange"), ("sfr", "SFR")],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    pairs = forms.TypedChoiceField(
        label="Paires (SDSL)",
        choices=[("", "—"), ("1", "1"), ("2", "2"), ("4", "4")],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    commitment_months = forms.TypedChoiceField(
        label="Engagement",
        choices=[("", "—"), ("12", "12 mois"), ("36", "36 mois")],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    months_elapsed = forms.IntegerField(
        label="Mois écoulés / d'activité",
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )
    monthly_fee = forms.DecimalField(
        label="Abonnement mensuel (€ HT)",
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.01"}),
    )
    setup_fee = forms.DecimalField(
        label="Frais de mise en service (si devis)",
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )
    desaturation = forms.ChoiceField(
        label="Désaturation",
        choices=[("", "—"), ("mono", "Monopaire"), ("bi", "Bipaire"), ("quadri", "Quadripaire")],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    internal_wiring = forms.BooleanField(label="Desserte interne", required=False)
    desaturation_found_after_orange_check = forms.BooleanField(
        label="Désaturation détectée après la fiabilisation d'Orange", required=False
    )
    feasibility_not_done = forms.BooleanField(label="Étude Orange pas encore faite", required=False)
    direction = forms.ChoiceField(
        label="Sens",
        choices=[("", "—"), ("upgrade", "Upgrade"), ("downgrade", "Downgrade")],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    pairs_change = forms.BooleanField(label="Changement du nombre de paires", required=False)
    hours = forms.DecimalField(
        label="Heures d'AMO",
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.5"}),
    )
    price = forms.DecimalField(
        label="Prix GTR étendue fibre",
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )


class SizingForm(forms.Form):
    stations = forms.IntegerField(
        label="Postes téléphoniques",
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )
    traffic_erlangs = forms.FloatField(
        label="Trafic à l'heure chargée (erlangs)",
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.01"}),
    )
    blocking = forms.FloatField(
        label="Blocage visé",
        required=False,
        initial=0.01,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.001"}),
    )


ITEM_ROWS = 6

#: What each kind of item takes, shown beside the item rows (``services.items.normalize_parameters`` checks it).
ITEM_PARAMETER_HELP = {
    "adsl": "carrier=orange|sfr, support_number=…, distance_m, attenuation_db",
    "adsl_nue": "carrier=orange|sfr, eligibility_number=…, distance_m, attenuation_db",
    "sdsl": "carrier, eligibility_number, pairs=1|2|4, commitment_months=12|36, desaturation=mono|bi|quadri",
    "fibre": "carrier=…, commitment_months=12|36, bandwidth",
    "opios": "lan_data / lan_voice en JSON {network, gateway, dhcp, dhcp_range} ; vides : plans par défaut",
    "ipvpn": "lan_data et lan_voice en JSON (obligatoires)",
    "vpn_nomade": "users",
    "ip29": "link",
    "gtr_extended": "technology=sdsl|fibre, price",
    "sip_trunk": "simultaneous_calls, plan=classique|illimite_fixes|illimite_fixes_mobiles",
    "centrex": "seats, plan",
    "sda": "count",
    "special_number": "number",
    "fax_to_mail": "email, after_portability=oui|non",
    "mail_to_fax": "destination",
    "ivr": "scenario",
    "pages_jaunes": "number",
}


def parse_parameters(text: str) -> dict[str, Any]:
    """``clé=valeur`` lines; a ``{…}`` value is JSON (LAN plans), oui/non are booleans."""
    params: dict[str, Any] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise forms.ValidationError(f"Ligne {number} : « clé=valeur » attendu.")
        value = value.strip()
        parsed: Any = value
        if value.startswith("{"):
            try:
                parsed = json.loads(value)
            except json.JSONDecodeError as exc:
                raise forms.ValidationError(f"Ligne {number} : JSON invalide pour {key.strip()}.") from exc
        elif value.lower() in ("oui", "true", "non", "false"):
            parsed = value.lower() in ("oui", "true")
        params[key.strip()] = parsed
    return params


class OrderCreateForm(OrderFileForm):
    """File intake: the company, the items with their parameters, the file's documents and, if any, the mandate."""

    organisation = forms.ModelChoiceField(
        label="Client",
        queryset=Organisation.objects.none(),
        # Choosing the client redraws its sites (HTMX): a desk has tens of thousands of sites.
        widget=SearchableSelect(
            attrs={
                "class": "form-select form-select-sm",
                "hx-get": reverse_lazy("orders:create"),
                "hx-trigger": "change",
                "hx-target": "#order-site",
                "hx-select": "#order-site",
                "hx-swap": "outerHTML",
            }
        ),
    )
    site = forms.ModelChoiceField(
        label="Site d'installation",
        queryset=Site.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    received_at = forms.DateTimeField(
        label="Reçue le",
        required=False,
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text="Vide : maintenant.",
    )
    billing_address = forms.CharField(
        label="Adresse de facturation (si différente du siège)",
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 2}),
    )
    notes = forms.CharField(
        label="Notes", required=False, widget=forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 2})
    )
    # Portability mandate (seed VI), optional.
    port_operator = forms.CharField(
        label="Opérateur cédant",
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "list": "operators"}),
    )
    port_numbers = forms.CharField(
        label="Numéros à porter (NDI et SDA)",
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control form-control-sm font-monospace", "rows": 3}),
        help_text="Un numéro ou une plage « premier-dernier » par ligne.",
    )
    port_analog_lines = forms.CharField(
        label="Lignes analogiques",
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control form-control-sm font-monospace", "rows": 2}),
    )
    port_invoice_numbers = forms.CharField(
        label="Numéros rattachés au NDI sur la facture",
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control form-control-sm font-monospace", "rows": 2}),
    )
    port_mandate_signed_on = forms.DateField(label="Mandat signé le", required=False, widget=DATE)
    port_mandate_stamped = forms.BooleanField(label="Mandat tamponné", required=False)
    port_carrier_invoice_date = forms.DateField(
        label="Date de la facture de l'opérateur cédant", required=False, widget=DATE
    )

    FILE_FIELDS = (
        "quote_signed_on",
        "contracts_signed_on",
        "direct_debit_signed_on",
        "iban",
        "bic",
        "client_phone",
        "installation_siret",
        "numbers_postal_code",
        "pages_jaunes_form_on",
        "billing_address",
        "notes",
    )

    def __init__(self, *args: Any, organisations: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        # Only the chosen client's sites: offered, and accepted (a site of another company is refused).
        source = self.data if self.is_bound else self.initial
        try:
            org_id = int(source.get("organisation") or 0)
        except (TypeError, ValueError):
            org_id = 0
        self.fields["site"].queryset = sites.filter(organisation_id=org_id) if org_id else sites.none()  # type: ignore[attr-defined]
        kinds = [("", "—"), *ItemKind.choices]
        for i in range(ITEM_ROWS):
            self.fields[f"item_{i}_kind"] = forms.ChoiceField(
                label="Élément",
                choices=kinds,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"item_{i}_quantity"] = forms.IntegerField(
                label="Quantité",
                min_value=1,
                initial=1,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            )
            self.fields[f"item_{i}_parameters"] = forms.CharField(
                label="Paramètres",
                required=False,
                widget=forms.Textarea(
                    attrs={
                        "class": "form-control form-control-sm font-monospace",
                        "rows": 2,
                        "placeholder": "clé=valeur, une par ligne",
                    }
                ),
            )

    def item_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"item_{i}_kind"], self[f"item_{i}_quantity"], self[f"item_{i}_parameters"]) for i in range(ITEM_ROWS)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        items = []
        for i in range(ITEM_ROWS):
            kind = data.get(f"item_{i}_kind")
            raw = data.get(f"item_{i}_parameters") or ""
            if not kind:
                if raw.strip():
                    self.add_error(f"item_{i}_kind", "Choisissez le type d'élément de ces paramètres.")
                continue
            try:
                params = parse_parameters(raw)
            except forms.ValidationError as exc:
                self.add_error(f"item_{i}_parameters", exc)
                continue
            items.append({"kind": kind, "quantity": data.get(f"item_{i}_quantity") or 1, "parameters": params})
        data["items"] = items
        received = data.get("received_at")
        if received and received > timezone.now():
            self.add_error("received_at", "La date de réception est dans le futur.")
        if not data.get("port_operator") and (data.get("port_numbers") or data.get("port_analog_lines")):
            self.add_error("port_operator", "Opérateur cédant obligatoire pour une portabilité.")
        return data

    def order_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        facts = {k: d[k] for k in self.FILE_FIELDS}
        # Empty text stays blank, empty dates stay None.
        facts = {k: ("" if v is None and not k.endswith("_on") else v) for k, v in facts.items()}
        return {
            "organisation": d["organisation"],
            "site": d["site"],
            "items": d["items"],
            "received_at": d.get("received_at"),
            **facts,
        }

    def portability_kwargs(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if not d.get("port_operator"):
            return None
        lines = PortabilityQuoteForm.lines
        return {
            "operator": d["port_operator"],
            "numbers": lines(d["port_numbers"]),
            "analog_lines": lines(d["port_analog_lines"]),
            "invoice_numbers": lines(d["port_invoice_numbers"]) or None,
            "mandate_signed_on": d["port_mandate_signed_on"],
            "mandate_stamped": d["port_mandate_stamped"],
            "carrier_invoice_date": d["port_carrier_invoice_date"],
        }
