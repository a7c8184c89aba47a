"""Adding a language is adding its catalogs: a user who reads Russian — a language gvia does not
ship, its catalogs in a folder of their own — gets the pages in Russian, and the switch offers
the other languages by their own names."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gvia import locale
from gvia.cli import words
from gvia.store.models import Membership
from tests.support.catalogs import add_language


@pytest.fixture
def russian(tmp_path):
    add_language(tmp_path, "ru")
    with locale.extra_dir(tmp_path):
        yield


def test_a_page_in_a_language_gvia_does_not_ship(russian, client, world):
    Membership.objects.filter(user=world.owner).update(language="ru")
    client.force_login(world.owner)
    html = client.get(reverse("dashboard")).content.decode()
    assert '<html lang="ru" dir="ltr">' in html
    assert "Панель управления" in html and "Клиенты" in html
    assert 'data-testid="lang-he">עברית<' in html and 'data-testid="lang-en">English<' in html


def test_the_switch_offers_it_and_keeps_it(russian, client, world):
    client.force_login(world.owner)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="lang-ru">Русский<' in html
    r = client.post(reverse("set_language"), {"language": "ru", "next": reverse("dashboard")})
    assert r.status_code == 302
    assert "Панель управления" in client.get(reverse("dashboard")).content.decode()


def test_the_command_line_speaks_it(russian):
    try:
        assert "ru" in words.languages()
        words.use("ru")
        assert words.t("refused") == "Отказано:"
    finally:
        words.use("en")
