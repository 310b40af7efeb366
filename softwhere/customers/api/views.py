"""Organisations, sites and contacts: read in scope, written by inventory editors through actions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view

from softwhere.core.api.viewsets import ScopedActionViewSet

from .. import actions
from ..models import Contact, Organisation, Site
from .filters import ContactFilter, OrganisationFilter, SiteFilter
from .serializers import ContactSerializer, OrganisationSerializer, SiteSerializer


@extend_schema_view(
    list=extend_schema(summary="Organisations visibles"),
    retrieve=extend_schema(summary="Détail d'une organisation"),
    create=extend_schema(summary="Créer une organisation"),
    partial_update=extend_schema(summary="Modifier une organisation"),
)
class OrganisationViewSet(ScopedActionViewSet):
    queryset = Organisation.objects.select_related("partner")
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering_fields = ("name", "created_at")
    ordering = ("name",)
    create_action = actions.create_organisation
    update_action = actions.update_organisation


@extend_schema_view(
    list=extend_schema(summary="Sites visibles"),
    retrieve=extend_schema(summary="Détail d'un site"),
    create=extend_schema(summary="Créer un site"),
    partial_update=extend_schema(summary="Modifier un site"),
)
class SiteViewSet(ScopedActionViewSet):
    queryset = Site.objects.select_related("organisation")
    serializer_class = SiteSerializer
    filterset_class = SiteFilter
    ordering_fields = ("name", "city", "created_at")
    ordering = ("organisation__name", "name")
    create_action = actions.create_site
    update_action = actions.update_site


@extend_schema_view(
    list=extend_schema(summary="Contacts visibles"),
    retrieve=extend_schema(summary="Détail d'un contact"),
    create=extend_schema(summary="Créer un contact"),
    partial_update=extend_schema(summary="Modifier un contact"),
)
class ContactViewSet(ScopedActionViewSet):
    queryset = Contact.objects.select_related("organisation", "site")
    serializer_class = ContactSerializer
    filterset_class = ContactFilter
    ordering_fields = ("last_name", "created_at")
    ordering = ("last_name", "first_name")
    create_action = actions.create_contact
    update_action = actions.update_contact
