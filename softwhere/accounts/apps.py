from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "softwhere.accounts"
    label = "accounts"
    verbose_name = "Comptes"
