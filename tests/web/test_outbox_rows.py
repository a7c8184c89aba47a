"""The outbox list's rows, written by gvia.web.outbox_rows instead of the template's loop: the
same markup the loop wrote (kept here as the reference), in both languages, each value escaped,
with the owner's badge and what a held message waits for."""

from datetime import date

import pytest
from django.template import engines
from django.utils import translation

from gvia.web.day import MessageRow
from gvia.web.outbox_rows import rows_html

#: the loop gvia/outbox/list.html had
LOOP = """{% load gvia %}{% for row in rows %}<tr data-testid="outbox-row" data-status="{{ row.status }}">
      <td><a href="{{ row.detail_url }}">{{ row.id|ltr }}</a></td>
      <td><a href="{{ row.customer_url }}">{{ row.customer_name }}</a> <span class="sub">{{ row.customer_ref|ltr }}</span></td>
      <td>{{ "doc."|add:row.document|tr }} <span class="sub">{{ "channel."|add:row.channel|tr }}</span></td>
      <td>{{ row.stage }}</td><td>{{ row.planned_for|day }}</td>
      <td><span class="badge badge-{{ row.status }}">{{ "outbox.status."|add:row.status|tr }}</span>{% if row.needs_owner %} <span class="badge badge-owner">{% t "message.needs_owner" %}</span>{% endif %}
        {% if row.held_for %}<div class="held-for" data-testid="held-for"><p class="sub">{% t "held.cannot_approve" %}</p>
          <ul class="plain-list">{% for code, url in row.held_items %}<li><a href="{{ url }}">{{ "held."|add:code|tr }}</a></li>{% endfor %}</ul></div>{% endif %}</td>
    </tr>{% endfor %}"""  # noqa: E501 — the template's lines as they were, compared verbatim


def row(**kw) -> MessageRow:
    values = dict(id=7, customer_id=3, customer_ref="C<3>", customer_name='א"ב & <i>co</i>', stage="Stage <1>",
                  channel="email", document="reminder", planned_for=date(2026, 12, 7), status="awaiting_approval",
                  needs_owner=False, free_text="", subject="", last_error="", attempts=0)
    values.update(kw)
    return MessageRow(**values)


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_rows_are_the_markup_the_template_wrote(lang):
    rows = [row(), row(id=8, needs_owner=True, status="held", held_for=("org_tax_id", "customer_address")),
            row(id=9, status="failed", channel="sms", document="final_notice", stage="")]
    with translation.override(lang):
        expected = engines["django"].from_string(LOOP).render({"rows": rows})
        assert rows_html(rows) == expected
    assert "&lt;i&gt;co&lt;/i&gt;" in expected and 'data-testid="held-for"' in expected
