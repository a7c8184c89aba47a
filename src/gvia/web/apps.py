from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gvia.web"
    label = "gvia_web"

    def ready(self) -> None:
        # the words of the engine's pages, and what the case adds to the timeline and dashboard
        from . import case_timeline, dashboard_panels, words  # noqa: F401
