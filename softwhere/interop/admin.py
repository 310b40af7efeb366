from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from .models import Hub, InteropMessage, InteropPeer, Notice, ServedAccess, Signalisation


class ServedAccessInline(admin.TabularInline):
    model = ServedAccess
    extra = 0
    raw_id_fields = ("access",)


class InteropPeerForm(forms.ModelForm):
    """The token is typed in, stored encrypted, never displayed back (like diagnostics credentials)."""

    new_auth_token = forms.CharField(
        label="jeton envoyé",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text="Envoyé en « Authorization: Token … ». Laisser vide pour conserver le jeton enregistré.",
    )
    clear_auth_token = forms.BooleanField(label="supprimer le jeton enregistré", required=False)
    endpoint_url = forms.URLField(
        label="URL de ses web services", required=False, max_length=300, assume_scheme="https"
    )
    callback_url = forms.URLField(
        label="notre URL de rappel pour lui", required=False, max_length=300, assume_scheme="https"
    )

    class Meta:
        model = InteropPeer
        fields = (
            "name",
            "code",
            "peer_role",
            "protocol",
            "is_active",
            "local_code",
            "mail_address",
            "local_mail_address",
            "smtp_host",
            "smtp_port",
            "endpoint_url",
            "callback_url",
            "inbound_user",
            "remote_hub_id",
            "auto_accept_resolution",
        )

    def save(self, commit: bool = True) -> Any:
        peer = super().save(commit=False)
        if self.cleaned_data.get("clear_auth_token"):
            peer.auth_token = ""
        elif self.cleaned_data.get("new_auth_token"):
            peer.auth_token = self.cleaned_data["new_auth_token"]
        if commit:
            peer.save()
        return peer


@admin.register(InteropPeer)
class InteropPeerAdmin(admin.ModelAdmin):
    form = InteropPeerForm
    list_display = ("name", "code", "peer_role", "protocol", "is_active", "has_auth_token")
    list_filter = ("peer_role", "protocol", "is_active")
    inlines = [ServedAccessInline]
    raw_id_fields = ("inbound_user",)


@admin.register(Signalisation)
class SignalisationAdmin(admin.ModelAdmin):
    list_display = ("oc_reference", "oi_reference", "peer", "role", "protocol", "status", "closure_code", "created_at")
    list_filter = ("role", "protocol", "status")
    search_fields = ("oc_reference", "oi_reference", "reference_prise", "reference_prestation")
    raw_id_fields = ("ticket", "access")


@admin.register(InteropMessage)
class InteropMessageAdmin(admin.ModelAdmin):
    """The journal is evidence: read-only."""

    list_display = ("created_at", "direction", "protocol", "kind", "status", "peer", "filename")
    list_filter = ("direction", "protocol", "kind", "status")
    search_fields = ("filename", "subject", "reason")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(Notice)
admin.site.register(Hub)
