"""Admin of the diagnostics configuration. Secrets are typed in, never displayed; runs are read-only evidence."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from . import actions
from .models import Bastion, DeviceCredential, DiagnosticRun, KnownHost, ObservationWatch, ServiceSheet


class CredentialForm(forms.ModelForm):
    secret = forms.CharField(
        label="secret",
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Laisser vide pour conserver le secret enregistré. Il n'est jamais réaffiché.",
    )

    class Meta:
        model = DeviceCredential
        fields = ("name", "username", "kind")


@admin.register(DeviceCredential)
class DeviceCredentialAdmin(admin.ModelAdmin):
    form = CredentialForm
    list_display = ("name", "username", "kind", "rotated_at")
    readonly_fields = ("rotated_at",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        actions.save_credential(
            actor=request.user,
            credential=obj if change else None,
            name=data["name"],
            username=data["username"],
            kind=data["kind"],
            secret=data.get("secret") or None,
        )


@admin.register(Bastion)
class BastionAdmin(admin.ModelAdmin):
    list_display = ("name", "host", "port", "is_default", "enabled")


@admin.register(KnownHost)
class KnownHostAdmin(admin.ModelAdmin):
    list_display = ("host", "port", "key_type", "fingerprint", "comment", "created_at")
    search_fields = ("host", "fingerprint")
    readonly_fields = ("key_type", "fingerprint", "added_by", "created_at")


@admin.register(ServiceSheet)
class ServiceSheetAdmin(admin.ModelAdmin):
    list_display = ("__str__", "service_reference", "admin_ip", "vendor", "topology", "software_version")
    list_filter = ("vendor", "topology")
    search_fields = ("hostname", "service_reference", "carrier_reference", "admin_ip")
    raw_id_fields = ("equipment", "access")


@admin.register(DiagnosticRun)
class DiagnosticRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "kind", "target", "verdict", "trigger", "actor", "ticket")
    list_filter = ("kind", "verdict", "trigger")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ObservationWatch)
class ObservationWatchAdmin(admin.ModelAdmin):
    list_display = ("ticket", "status", "started_at", "ends_at", "checks_done", "checks_unverified")
    list_filter = ("status",)
