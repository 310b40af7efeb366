from django.contrib import admin

from softwhere.core.admin import InventoryEditorAdmin

from .models import Contact, Organisation, Site


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0
    fields = ("name", "address_line1", "postal_code", "city")
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(InventoryEditorAdmin):
    list_display = ("name", "kind", "siret", "city", "partner", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("partner",)
    search_fields = ("name", "siret", "city")
    autocomplete_fields = ("partner",)
    inlines = [SiteInline]


@admin.register(Site)
class SiteAdmin(InventoryEditorAdmin):
    list_display = ("name", "organisation", "postal_code", "city")
    list_select_related = ("organisation",)
    search_fields = ("name", "city", "organisation__name")
    autocomplete_fields = ("organisation",)


@admin.register(Contact)
class ContactAdmin(InventoryEditorAdmin):
    list_display = ("__str__", "organisation", "site", "phone", "mobile", "email", "preferred_channel")
    list_select_related = ("organisation", "site")
    search_fields = ("last_name", "first_name", "email", "phone", "mobile", "organisation__name")
    autocomplete_fields = ("organisation", "site")
