"""Forms of the SSH access pages: they only parse input, ``actions`` validates and audits."""

from __future__ import annotations

from typing import Any

from django import forms

from .choices import CredentialKind
from .models import DeviceCredential


class CredentialForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=80)
    username = forms.CharField(label="Identifiant", max_length=80)
    kind = forms.ChoiceField(label="Type", choices=CredentialKind.choices)
    secret = forms.CharField(
        label="Secret (mot de passe ou clé privée)",
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Jamais réaffiché. Laisser vide pour conserver le secret enregistré.",
    )


class BastionForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=80)
    host = forms.CharField(label="Hôte", max_length=255)
    port = forms.IntegerField(label="Port SSH", min_value=1, max_value=65535, initial=22)
    credential = forms.ModelChoiceField(label="Identifiant", queryset=DeviceCredential.objects.all())
    is_default = forms.BooleanField(label="Bastion par défaut", required=False)
    enabled = forms.BooleanField(label="Actif", required=False, initial=True)

    def action_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class KnownHostForm(forms.Form):
    host = forms.CharField(label="Hôte", max_length=255)
    port = forms.IntegerField(label="Port", min_value=1, max_value=65535, initial=22)
    public_key = forms.CharField(
        label="Clé publique",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Une ligne « type base64 », ex. ssh-ed25519 AAAA… (ssh-keyscan ou /etc/ssh/ssh_host_*.pub).",
    )
    comment = forms.CharField(label="Commentaire", max_length=200, required=False)
