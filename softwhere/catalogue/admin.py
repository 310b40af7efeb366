from django.contrib import admin

from softwhere.core.admin import ReadOnlyAdmin

from .models import CatalogueLoad, ResolutionCase


@admin.register(ResolutionCase)
class ResolutionCaseAdmin(ReadOnlyAdmin):
    """Read-only here: supervisors edit cases in the desk, which keeps revisions and the audit trail."""

    list_display = ("number", "id", "family", "domain", "title", "revision", "is_active")
    list_filter = ("family", "domain", "is_active")
    search_fields = ("id", "heading")


@admin.register(CatalogueLoad)
class CatalogueLoadAdmin(ReadOnlyAdmin):
    list_display = ("version", "loaded_at", "created", "updated", "checksum")
