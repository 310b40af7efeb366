from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "softwhere.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .text import register_sqlite_fold

        connection_created.connect(register_sqlite_fold, dispatch_uid="softwhere_fold")
