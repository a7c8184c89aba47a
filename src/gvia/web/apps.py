from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gvia.web"
    label = "gvia_web"
