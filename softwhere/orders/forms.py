"""Forms of the order desk pages: they parse input only; the actions and pure rules validate."""

from __future__ import annotations

from django import forms

from .choices import LINK_TECHNOLOGY_CHOICES, FeeKind

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control form-control-sm"},
                               format="%Y-%m-%dT%H:%M")
TEXT = forms.TextInput(attrs={"class": "form-control form-control-sm"})


def _text(label: str, max_length: int = 60, **kw: object) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, widget=TEXT, **kw)  # type: ignore[arg-type]


class OrderFileForm(forms.Form):
    """Signed documents, RIB and account-opening facts (seed II.B)."""

    quote_signed_on = forms.DateField(label="Devis signé le", required=False, widget=DATE)
    contracts_signed_on = forms.DateField(label="Contrats signés le", required=False, widget=DATE)
    direct_debit_signed_on = forms.DateField(label="Autorisation de prélèvement signée le", required=False,
                                             widget=DATE)
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

    DATA_FIELDS = ("findings", "approved", "orange_at", "sfr_at", "delivered_on", "delivery_note_sent_on",
                   "go_ahead_on", "validated_on", "planned_date", "ported_at")

    def step_data(self) -> dict[str, object]:
        return {k: self.cleaned_data[k] for k in self.DATA_FIELDS if self.cleaned_data.get(k) not in (None, "")}


class PortabilityQuoteForm(forms.Form):
    operator = forms.CharField(label="Opérateur cédant", max_length=80,
                               widget=forms.TextInput(attrs={"class": "form-control", "list": "operators"}))
    numbers = forms.CharField(
        label="Numéros (NDI et SDA)", required=False,
        widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 5,
                                     "placeholder": "01 76 71 05 00\n0176710507-0176710509"}),
        help_text="Un numéro ou une plage « premier-dernier » par ligne.",
    )
    analog_lines = forms.CharField(label="Lignes analogiques", required=False,
                                   widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 2}))
    invoice_numbers = forms.CharField(
        label="Numéros rattachés au NDI sur la facture (facultatif)", required=False,
        widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 2}),
        help_text="Pour vérifier qu'aucune SDA n'est oubliée (portabilité partielle impossible).",
    )
    postpone = forms.BooleanField(label="Report", required=False)
    cancel = forms.BooleanField(label="Annulation", required=False)

    @staticmethod
    def lines(value: str) -> list[str]:
        return [line.strip() for line in value.replace(";", "\n").splitlines() if line.strip()]


class FeeForm(forms.Form):
    kind = forms.ChoiceField(label="Frais", choices=FeeKind.choices,
                             widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    technology = forms.ChoiceField(label="Lien", choices=[("", "—"), *LINK_TECHNOLOGY_CHOICES], required=False,
                                   widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    carrier = forms.ChoiceField(label="Opérateur de collecte", choices=[("", "—"), ("orange", "Orange"),
                                                                       ("sfr", "SFR")], required=False,
                                widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    pairs = forms.TypedChoiceField(label="Paires (SDSL)", choices=[("", "—"), ("1", "1"), ("2", "2"), ("4", "4")],
                                   coerce=int, empty_value=None, required=False,
                                   widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    commitment_months = forms.TypedChoiceField(label="Engagement", choices=[("", "—"), ("12", "12 mois"),
                                                                           ("36", "36 mois")],
                                               coerce=int, empty_value=None, required=False,
                                               widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    months_elapsed = forms.IntegerField(label="Mois écoulés / d'activité", required=False, min_value=0,
                                        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}))
    monthly_fee = forms.DecimalField(label="Abonnement mensuel (€ HT)", required=False, min_value=0,
                                     widget=forms.NumberInput(attrs={"class": "form-control form-control-sm",
                                                                     "step": "0.01"}))
    setup_fee = forms.DecimalField(label="Frais de mise en service (si devis)", required=False, min_value=0,
                                   widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}))
    desaturation = forms.ChoiceField(label="Désaturation", choices=[("", "—"), ("mono", "Monopaire"),
                                                                    ("bi", "Bipaire"), ("quadri", "Quadripaire")],
                                     required=False,
                                     widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    internal_wiring = forms.BooleanField(label="Desserte interne", required=False)
    desaturation_found_after_orange_check = forms.BooleanField(
        label="Désaturation détectée après la fiabilisation d'Orange", required=False)
    feasibility_not_done = forms.BooleanField(label="Étude Orange pas encore faite", required=False)
    direction = forms.ChoiceField(label="Sens", choices=[("", "—"), ("upgrade", "Upgrade"),
                                                         ("downgrade", "Downgrade")], required=False,
                                  widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    pairs_change = forms.BooleanField(label="Changement du nombre de paires", required=False)
    hours = forms.DecimalField(label="Heures d'AMO", required=False, min_value=0,
                               widget=forms.NumberInput(attrs={"class": "form-control form-control-sm",
                                                               "step": "0.5"}))
    price = forms.DecimalField(label="Prix GTR étendue fibre", required=False, min_value=0,
                               widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}))


class SizingForm(forms.Form):
    stations = forms.IntegerField(label="Postes téléphoniques", required=False, min_value=1,
                                  widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}))
    traffic_erlangs = forms.FloatField(label="Trafic à l'heure chargée (erlangs)", required=False, min_value=0,
                                       widget=forms.NumberInput(attrs={"class": "form-control form-control-sm",
                                                                       "step": "0.01"}))
    blocking = forms.FloatField(label="Blocage visé", required=False, initial=0.01, min_value=0,
                                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm",
                                                                "step": "0.001"}))
