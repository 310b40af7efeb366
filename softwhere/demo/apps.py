from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "softwhere.demo"
    label = "demo"
    verbose_name = "Jeu de démonstration"
