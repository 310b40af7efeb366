"""The resolution catalogue and the LED memos over the API (desk staff only)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from softwhere.accounts.api.serializers import UserRefSerializer
from softwhere.core.api.serializers import RefSerializer

from ..choices import LedDevice, LedState
from ..models import ResolutionCase

LINES_HELP = "Liste de lignes de texte (une chaîne avec des retours à la ligne est aussi acceptée)."


@extend_schema_serializer(description="Cas de résolution (forme courte).")
class CaseRefSerializer(RefSerializer):
    """Short form embedded in tickets."""

    class Meta:
        model = ResolutionCase
        fields = ("id", "number", "family", "domain", "heading")
        read_only_fields = fields


@extend_schema_serializer(description="Cas de résolution du catalogue : symptômes, vérifications N1, actions N2, exemples.")
class ResolutionCaseSerializer(serializers.ModelSerializer):
    symptoms = serializers.ListField(child=serializers.CharField(), read_only=True)
    n1_checks = serializers.ListField(child=serializers.CharField(), read_only=True)
    n2_actions = serializers.ListField(child=serializers.CharField(), read_only=True)
    examples = serializers.ListField(child=serializers.CharField(), read_only=True)
    edited_by = UserRefSerializer(read_only=True, allow_null=True)
    is_edited = serializers.BooleanField(read_only=True, help_text="Textes différents de ceux du fichier.")

    class Meta:
        model = ResolutionCase
        fields = ("id", "number", "family", "domain", "heading", "title", "symptoms", "n1_checks", "n2_actions",
                  "examples", "is_active", "is_edited", "file_version", "revision", "edited_at", "edited_by")
        read_only_fields = fields


@extend_schema_serializer(description="Modification des textes d'un cas (superviseur, administrateur).")
class ResolutionCaseEditSerializer(serializers.Serializer):
    """Supervisor edit: only the texts and the active flag; the file version is kept for comparison."""

    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    symptoms = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False, help_text=LINES_HELP)
    n1_checks = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False, help_text=LINES_HELP)
    n2_actions = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False, help_text=LINES_HELP)
    examples = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False, help_text=LINES_HELP)
    is_active = serializers.BooleanField(required=False)


@extend_schema_serializer(description="Un état de voyant et sa signification.")
class LedStateMeaningSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=LedState.choices)
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    meaning = serializers.CharField()


@extend_schema_serializer(description="Un voyant du mémo et ses états prévus.")
class LedSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Clé du voyant dans un relevé (power, pon, los…).")
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    states = LedStateMeaningSerializer(many=True, help_text="États prévus par le mémo pour ce voyant.")


@extend_schema_serializer(description="Mémo des voyants d'un équipement (ONT ou routeur).")
class LedMemoSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LedDevice.choices)
    title = serializers.CharField()
    report_label = serializers.CharField(help_text="Libellé de compte rendu à trous du mémo.")
    leds = LedSerializer(many=True)


@extend_schema_serializer(description="Mémos des voyants ONT et routeur, avec les couleurs de référence.")
class LedMemosSerializer(serializers.Serializer):
    colours = LedStateMeaningSerializer(many=True, help_text="Couleurs de référence.")
    devices = LedMemoSerializer(many=True)
