from django.apps import AppConfig


class TelephonyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "softwhere.telephony"
    verbose_name = "Téléphonie hébergée (Pack Business Unifié)"
