from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "softwhere.inventory"
    label = "inventory"
    verbose_name = "Inventaire"
