from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "softwhere.core"
    label = "core"
    verbose_name = "Socle"
