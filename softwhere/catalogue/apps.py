from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "softwhere.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue"
