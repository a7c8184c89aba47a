"""The customer list's rows, written by gvia.web.customer_rows instead of the template's loop:
the same markup, each value escaped, the badges and amounts in the reader's language."""

import pytest

from gvia.store.models import Customer

pytestmark = pytest.mark.django_db


def test_a_row_shows_its_customer_escaped_with_its_badges(as_owner, world):
    Customer.objects.create(organization=world.org_a, ref="X<1>", name='<b>"Bold" & co</b>', tax_id="514<2>",
                            do_not_chase=True, credit_hold=True)
    html = as_owner.get("/customers/", {"q": "Bold"}).content.decode()
    c = Customer.objects.get(organization=world.org_a, ref="X<1>")
    assert (f'<td><a href="/customers/{c.id}/" class="customer-link">&lt;b&gt;&quot;Bold&quot; &amp; co&lt;/b&gt;</a>'
            ' <span class="badge badge-hold">') in html
    assert '<span class="badge badge-overdue">' in html
    assert '<div class="sub"><bdi dir="ltr">514&lt;2&gt;</bdi></div>' in html
    assert '<td><bdi dir="ltr">X&lt;1&gt;</bdi></td>' in html
    assert "<b>" not in html.split("<tbody>")[1].split("</tbody>")[0]


def test_amounts_show_per_currency_and_a_dash_when_none(as_owner, world):
    html = as_owner.get("/customers/").content.decode()
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr>") == len(as_owner.get("/customers/").context["result"].rows)
    assert '<bdi dir="ltr" class="num' in body                # an amount, in its isolate
    assert '<td class="amount"><span class="muted">—</span></td>' in body or "late" in body
