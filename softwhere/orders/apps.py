from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "softwhere.orders"
    label = "orders"
    verbose_name = "Commandes et portabilités"
