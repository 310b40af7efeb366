"""The current user and their API tokens."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from softwhere.core.api.serializers import RefSerializer
from softwhere.customers.api.serializers import OrganisationRefSerializer

from ..models import ApiToken, User


@extend_schema_serializer(description="Utilisateur (forme courte).")
class UserRefSerializer(RefSerializer):
    """Short form embedded in tickets, timelines and catalogue edits."""

    full_name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ("id", "username", "full_name", "role")
        read_only_fields = fields


class PeerUserRefSerializer(UserRefSerializer):
    """A user reference that client and partner users see only for people of their own side.

    The portal shows the desk's agents as « Support SoftWhere »; the API must not disclose
    their names and logins either. Such a reference is ``null`` for them (the schema already
    allows it: no assignee, unknown author), whole for the desk's own staff.
    """

    def to_representation(self, instance: User) -> Any:
        viewer = getattr(self.context.get("request"), "user", None)
        if viewer is not None and not getattr(viewer, "is_desk_staff", False) and instance.is_desk_staff:
            return None
        return super().to_representation(instance)


@extend_schema_serializer(description="L'utilisateur connecté, son rôle et ses droits.")
class MeSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    is_desk_staff = serializers.BooleanField(read_only=True, help_text="Équipe du support : voit toutes les entreprises.")
    is_agent = serializers.BooleanField(read_only=True, help_text="Peut traiter les tickets.")
    is_n2 = serializers.BooleanField(read_only=True, help_text="Peut traiter les tickets escaladés en N2.")

    class Meta:
        model = User
        fields = ("id", "username", "first_name", "last_name", "email", "role", "organisation", "is_desk_staff",
                  "is_agent", "is_n2")
        read_only_fields = fields


@extend_schema_serializer(description="Jeton d'API : seul son préfixe est conservé en clair.")
class ApiTokenSerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields: tuple[str, ...] = ("id", "name", "prefix", "created_at", "last_used_at", "revoked_at", "is_active")
        read_only_fields: tuple[str, ...] = ("id", "prefix", "created_at", "last_used_at", "revoked_at", "is_active")


@extend_schema_serializer(description="Jeton d'API créé : la clé complète n'est affichée qu'une fois.")
class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="La clé complète, affichée cette seule fois.")

    class Meta(ApiTokenSerializer.Meta):
        fields = (*ApiTokenSerializer.Meta.fields, "key")
        read_only_fields = fields
