"""The models and the migrations say the same: a model changed without its migration would
leave a database made by the migrations different from what the code reads."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db   # makemigrations reads the migrations applied, to check their history
def test_no_model_change_lacks_its_migration():
    out = io.StringIO()
    # --check exits non-zero (SystemExit) when a migration is missing; --dry-run writes nothing
    call_command("makemigrations", "gvia", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
