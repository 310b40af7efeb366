from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "softwhere.jobs"
    label = "jobs"
    verbose_name = "Tâches planifiées"

    def ready(self) -> None:
        # Every app may declare handlers in its own ``jobs.py``; import them all so the
        # worker (and the tests) know every kind before the first job is claimed.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")
