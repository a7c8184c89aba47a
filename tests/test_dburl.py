from pathlib import Path

import pytest

from gvia.dburl import BadDatabaseURL, parse_database_url


def test_sqlite_relative_path_is_under_base_dir():
    cfg = parse_database_url("sqlite:///var/gvia.db", Path("/srv/app"))
    assert cfg["ENGINE"] == "django.db.backends.sqlite3"
    assert cfg["NAME"] == "/srv/app/var/gvia.db"
    assert "journal_mode=WAL" in cfg["OPTIONS"]["init_command"]


def test_sqlite_absolute_path():
    assert parse_database_url("sqlite:////tmp/x.db")["NAME"] == "/tmp/x.db"


def test_postgresql_url():
    cfg = parse_database_url("postgresql://postgres:s%40cret@127.0.0.1:5432/test")
    assert (cfg["ENGINE"], cfg["USER"], cfg["PASSWORD"], cfg["HOST"], cfg["PORT"], cfg["NAME"]) == (
        "django.db.backends.postgresql", "postgres", "s@cret", "127.0.0.1", "5432", "test")


@pytest.mark.parametrize("url", ["mysql://x/y", "sqlite://", "nonsense"])
def test_unsupported_urls_are_refused_with_a_clear_message(url):
    with pytest.raises(BadDatabaseURL) as e:
        parse_database_url(url)
    assert "sqlite:///" in str(e.value) or "no file name" in str(e.value)
