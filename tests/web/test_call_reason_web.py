"""The call forms ask why the customer has not paid (issue 17): the answer becomes the case's reason
for non-payment (source "call"); the choices in the page's language; a reason outside the list is
refused with the form's errors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gvia.store.models import Activity, Case

pytestmark = pytest.mark.django_db


def test_a_call_with_a_reason(as_collector, world):
    page = as_collector.get(f"/customers/{world.c1.id}/").content.decode()
    assert 'name="nonpayment"' in page and "למה לא שילמו (אם נאמר)" in page and "תזרים מזומנים" in page
    url = reverse("call_log", args=[world.c1.id])
    r = as_collector.post(url, {"outcome": "no_answer", "nonpayment": "wrong_contact"})
    assert r.status_code == 302
    case = Case.objects.get(customer_id=world.c1.id)
    assert (case.nonpayment_reason, case.nonpayment_source) == ("wrong_contact", "call")
    calls_before = Activity.objects.filter(customer_id=world.c1.id, kind="call").count()
    bad = as_collector.post(url, {"outcome": "no_answer", "nonpayment": "lazy"})
    assert bad.status_code == 400
    assert Activity.objects.filter(customer_id=world.c1.id, kind="call").count() == calls_before
    assert Case.objects.get(customer_id=world.c1.id).nonpayment_reason == "wrong_contact"
