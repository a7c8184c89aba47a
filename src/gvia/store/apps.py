from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "gvia.store"
    label = "gvia"
    verbose_name = "gvia"
    default_auto_field = "django.db.models.BigAutoField"
