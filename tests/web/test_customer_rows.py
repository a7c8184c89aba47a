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


#: the loop gvia/customers/_results.html had
LOOP = """{% load gvia %}{% for c in rows %}
      <tr>
        <td><a href="{% url 'customer_detail' c.id %}" class="customer-link">{{ c.name }}</a>{% if c.do_not_chase %} <span class="badge badge-hold">{% t "customers.hold" %}</span>{% endif %}{% if c.credit_hold %} <span class="badge badge-overdue">{% t "credit_hold.badge" %}</span>{% endif %}
          {% if c.tax_id %}<div class="sub">{{ c.tax_id|ltr }}</div>{% endif %}</td>
        <td>{{ c.ref|ltr }}</td>
        <td class="amount">{% for code in c.balance.open %}<div>{{ c.balance.open|get_money:code|money }}</div>{% empty %}<span class="muted">—</span>{% endfor %}</td>
        <td class="amount">{% for code in c.balance.overdue %}<div class="late">{{ c.balance.overdue|get_money:code|money }}</div>{% empty %}<span class="muted">—</span>{% endfor %}</td>
        <td class="amount">{% if c.balance.days_overdue %}{{ c.balance.days_overdue|num }}{% else %}<span class="muted">—</span>{% endif %}</td>
      </tr>
    {% endfor %}"""  # noqa: E501 — the template's lines as they were, compared verbatim


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_rows_are_the_markup_the_template_wrote(lang):
    from django.template import engines
    from django.utils import translation

    from gvia.core.money import Money, Totals
    from gvia.web.customer_rows import rows_html
    from gvia.web.queries import Balance, CustomerRow

    owing = Balance(Totals([Money.of("1250.5", "ILS"), Money.of("-3", "USD")]), Totals([Money.of("100", "ILS")]), 42)
    rows = [CustomerRow(1, "R<1>", "A & <b>B</b>", "51-<2>", "", "", True, owing, True),
            CustomerRow(22, "R2", 'ש"ב', "", "", "", False, Balance(), False)]
    with translation.override(lang):
        assert rows_html(rows) == engines["django"].from_string(LOOP).render({"rows": rows})
