from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gvia.web"
    label = "gvia_web"

    # The case's timeline entries and the dashboard's panels are registered when a page first
    # asks for them (see timeline.timeline and panels.collect), so that command-line work does
    # not import the web's pages. The words are in the web catalogs (gvia.web.i18n).
