from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gvia.web"
    label = "gvia_web"

    # Nothing is imported here: the timeline's providers and the dashboard's panels are loaded with
    # the views that show them (gvia.web.timeline, gvia.web.dashboard_panels), so that
    # command-line work does not import the web's pages. The words are in the web catalogs (gvia.web.i18n).
