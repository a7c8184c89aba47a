"""The customer's page's URLs, included at the root by :mod:`gvia.web.urls` (``p/<token>/``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("p/<str:token>/", views.portal_page, name="portal_page"),
    path("p/<str:token>/statement.pdf", views.portal_statement, name="portal_statement"),
]
