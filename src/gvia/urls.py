"""The root URL configuration: the REST API under ``/api/v1/`` (:mod:`gvia.api`, issue 18) and
the web application (:mod:`gvia.web.urls`) — here, above both, so that neither entry point
imports the other. The error pages are the web's (in the reader's language)."""

from django.urls import include, path, re_path

from gvia.api.errors import unknown_path
from gvia.api.main import api

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/", unknown_path),          # no such operation: the API's 404 (JSON), not the web's page
    path("", include("gvia.web.urls")),
]

handler400 = "gvia.web.views.errors.bad_request"
handler404 = "gvia.web.views.errors.not_found"
handler500 = "gvia.web.views.errors.server_error"
