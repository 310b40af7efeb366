from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "softwhere.customers"
    label = "customers"
    verbose_name = "Clients"
