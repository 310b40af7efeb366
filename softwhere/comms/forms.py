"""Seed 004's template form: « Paramètres du template »."""

from __future__ import annotations

from typing import Any

from django import forms

from .choices import ChannelMode, CommunicationContext
from .models import MessageTemplate
from .services.recipients import Recipient, parse_recipients


class SendMessageForm(forms.Form):
    template = forms.ModelChoiceField(
        label="Modèle",
        queryset=MessageTemplate.objects.filter(is_active=True).order_by("family", "position", "code"),
        to_field_name="code",
    )
    grouped_outage = forms.BooleanField(label="Incident panne groupée ?", required=False)
    context = forms.ChoiceField(label="Contexte de la communication", choices=CommunicationContext.choices)
    information = forms.CharField(
        label="Information donnée au client", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    channels = forms.ChoiceField(label="Mode de communication", choices=ChannelMode.choices)
    recipients = forms.CharField(
        label="Destinataire(s) de SMS et/ou mail",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="NOM,06…,mail@…; — un destinataire par ligne, séparés par « ; ».",
    )
    chain_to_closure = forms.BooleanField(label="Enchaînement vers le modèle de clôture ?", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-check-input" if isinstance(field, forms.BooleanField) else "form-control form-control-sm"
            if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
                css = "form-select form-select-sm"
            field.widget.attrs.setdefault("class", css)
            field.widget.attrs.setdefault("id", f"comms-{name}")

    def clean_recipients(self) -> list[Recipient]:
        recipients, errors = parse_recipients(self.cleaned_data["recipients"])
        if errors:
            raise forms.ValidationError(errors)
        if not recipients:
            raise forms.ValidationError("Indiquez au moins un destinataire.")
        return recipients
