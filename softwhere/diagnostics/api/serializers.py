"""Diagnostics API payloads. Secrets are write-only: no response ever carries one back."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from softwhere.jobs.choices import JobStatus

from ..choices import CredentialKind, Verdict
from ..models import Bastion, DeviceCredential, DiagnosticRun, KnownHost, ServiceSheet


@extend_schema_serializer(
    description="Vérification (ping, traceroute, journal d'alarmes, redémarrage) et sa lecture ; la sortie brute est dans le détail."
)
class DiagnosticRunSerializer(serializers.ModelSerializer):
    """One check (ping, traceroute, alarm log, reboot) and its reading; the raw output is on the detail."""

    ticket: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, allow_null=True
    )
    actor: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = DiagnosticRun
        fields: tuple[str, ...] = (
            "id",
            "ticket",
            "equipment",
            "sheet",
            "kind",
            "trigger",
            "actor",
            "target",
            "via",
            "command",
            "verdict",
            "message",
            "error_code",
            "parsed",
            "started_at",
            "finished_at",
        )
        read_only_fields: tuple[str, ...] = fields


@extend_schema_serializer(
    description="Vérification avec sa sortie brute complète, telle que l'équipement l'a affichée."
)
class DiagnosticRunDetailSerializer(DiagnosticRunSerializer):
    """One check with its whole raw output, as the device printed it."""

    class Meta(DiagnosticRunSerializer.Meta):
        fields = (*DiagnosticRunSerializer.Meta.fields, "raw_output")
        read_only_fields = fields


@extend_schema_serializer(
    description="Fiche prestation d'un équipement (page Scribe) : IP d'administration, topologie, version, débit, raccordement."
)
class ServiceSheetSerializer(serializers.ModelSerializer):
    """Service sheet of an equipment (seed 004's Scribe page): how to reach and read its router."""

    class Meta:
        model = ServiceSheet
        fields = (
            "id",
            "equipment",
            "access",
            "service_reference",
            "hostname",
            "vendor",
            "device_model",
            "admin_ip",
            "ssh_port",
            "topology",
            "software_version",
            "hardware_version",
            "access_bandwidth_mbps",
            "connection_node",
            "connection_port",
            "nni_port",
            "gateway_ip",
            "management_vlan",
            "acceptance_profile",
            "carrier_reference",
            "snmp_location",
            "device_timezone",
            "bastion",
            "credential",
            "created_at",
            "updated_at",
        )
        read_only_fields: tuple[str, ...] = ("id", "created_at", "updated_at")
        # Model-level validation (full_clean in the action) reports field errors; skip DRF's unique check.
        validators: list[object] = []


@extend_schema_serializer(description="Modification d'une fiche prestation (l'équipement ne change pas).")
class ServiceSheetUpdateSerializer(ServiceSheetSerializer):
    """Service sheet changes (the equipment cannot change)."""

    class Meta(ServiceSheetSerializer.Meta):
        read_only_fields = ("id", "equipment", "created_at", "updated_at")


@extend_schema_serializer(
    description="Identifiant de routeur ou de bastion ; le secret est en écriture seule et stocké chiffré."
)
class CredentialSerializer(serializers.ModelSerializer):
    """Login for routers or bastions; the secret is write-only and stored encrypted."""

    secret = serializers.CharField(
        write_only=True,
        required=False,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text="Mot de passe ou clé privée : enregistré chiffré, jamais renvoyé.",
    )
    has_secret = serializers.BooleanField(read_only=True)
    kind = serializers.ChoiceField(choices=CredentialKind.choices, required=False)

    class Meta:
        model = DeviceCredential
        fields = ("id", "name", "username", "kind", "secret", "has_secret", "rotated_at", "created_at", "updated_at")
        read_only_fields = ("id", "has_secret", "rotated_at", "created_at", "updated_at")


@extend_schema_serializer(description="Clé d'hôte SSH de confiance : toute autre clé est refusée.")
class KnownHostSerializer(serializers.ModelSerializer):
    """SSH host key trusted by the desk; connections to any other key are refused."""

    class Meta:
        model = KnownHost
        fields = ("id", "host", "port", "public_key", "key_type", "fingerprint", "comment", "created_at")
        read_only_fields = ("id", "key_type", "fingerprint", "created_at")
        validators: list[object] = []


@extend_schema_serializer(description="Bastion (rebond) par lequel le desk joint les routeurs clients.")
class BastionSerializer(serializers.ModelSerializer):
    """Jump host (« rebond ») the desk goes through to reach customer routers."""

    class Meta:
        model = Bastion
        fields = ("id", "name", "host", "port", "credential", "is_default", "enabled", "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")


@extend_schema_serializer(description="Verdict d'un équipement après « Diagnostiquer ».")
class EquipmentVerdictSerializer(serializers.Serializer):
    """Verdict of one equipment after « Diagnostiquer »."""

    equipment = serializers.IntegerField()
    hostname = serializers.CharField()
    admin_ip = serializers.CharField()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    message = serializers.CharField(help_text="Ex. « stable depuis le 16/06/2025 ».")
    runs = serializers.ListField(child=serializers.IntegerField(), help_text="Vérifications enregistrées.")


def _values(choices: Any) -> str:
    return ", ".join(f"{value} ({label})" for value, label in choices)


@extend_schema_serializer(
    description=(
        "Demande « Diagnostiquer » exécutée en arrière-plan : interrogez poll_url jusqu'à ce que status "
        "vaille done (résultat et vérifications présents) ou failed."
    )
)
class DiagnosisRequestSerializer(serializers.Serializer):
    """A queued « Diagnostiquer »: the job's state and, once the worker is done, its report and runs.

    ``status`` is a plain string (values in its help) so no new enum component clashes
    with the job statuses published elsewhere.
    """

    id = serializers.IntegerField(help_text="Identifiant de la demande.")
    ticket = serializers.CharField(help_text="Référence du ticket.")
    status = serializers.CharField(help_text=f"État de la demande : {_values(JobStatus.choices)}.")
    status_label = serializers.CharField()
    requested_at = serializers.DateTimeField()
    done_at = serializers.DateTimeField(allow_null=True, help_text="null tant que la demande n'est pas traitée.")
    poll_url = serializers.CharField(help_text="Adresse à interroger (GET) pour suivre la demande.")
    outcome = serializers.CharField(
        allow_null=True,
        help_text=(
            "Une fois traitée : done (diagnostic exécuté), refused (ticket terminé ou compte désactivé entre-temps) "
            "ou no_ticket ; null avant."
        ),
    )
    detail = serializers.CharField(allow_blank=True, help_text="Explication en cas de refus ou d'échec.")
    equipment = EquipmentVerdictSerializer(many=True, help_text="Verdict par équipement concerné (vide avant la fin).")
    without_sheet = serializers.ListField(
        child=serializers.CharField(), help_text="Équipements concernés sans fiche prestation."
    )
    runs = DiagnosticRunSerializer(many=True, help_text="Vérifications enregistrées par cette demande.")


@extend_schema_serializer(description="Demande de redémarrage confirmée (N2).")
class RebootRequestSerializer(serializers.Serializer):
    """A confirmed reboot request (N2 only)."""

    sheet = serializers.IntegerField(help_text="Fiche prestation de l'équipement à redémarrer.")
    confirmation = serializers.CharField(help_text="Nom d'hôte (ou IP) recopié pour confirmer.")
    reason = serializers.CharField(help_text="Motif, conservé dans l'historique et l'audit.")
