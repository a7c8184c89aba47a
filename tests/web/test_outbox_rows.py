"""The outbox's rows, written by gvia.web.outbox_rows instead of templates: the list's rows the
markup the list's loop wrote, and a message's row (gvia/outbox/_row.html, the worklist's message
sections) the markup its template wrote (both kept here as the reference), in both languages, each
value escaped, with the owner's badge, what a held message waits for and the actions each reader
may take."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from gvia.web.day import MessageRow
from gvia.web.outbox_rows import items_html, rows_html

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


#: gvia/outbox/_row.html as it was, a template
ITEM = """{% load gvia %}{% with here=request.get_full_path pdf_url=row.pdf_url approve_url=row.approve_url reject_url=row.reject_url resolve_url=row.resolve_url %}<li class="msg-row status-{{ row.status }}" id="msg-{{ row.id }}" data-testid="message-row" data-status="{{ row.status }}"{% if inplace %} role="status"{% endif %}>
  <div class="msg-main">
    <p class="msg-who"><a href="{{ row.customer_url }}">{{ row.customer_name }}</a> <span class="sub">{{ row.customer_ref|ltr }}</span>
      <span class="badge badge-{{ row.status }}">{{ "outbox.status."|add:row.status|tr }}</span>{% if row.needs_owner %} <span class="badge badge-owner">{% t "message.needs_owner" %}</span>{% endif %}</p>
    <p class="msg-what">{{ "doc."|add:row.document|tr }} · {{ "channel."|add:row.channel|tr }}{% if row.stage %} · {{ row.stage }}{% endif %} · {% t "message.planned_for" day=row.planned_for %}</p>
    {% if row.free_text %}<blockquote class="free-text" dir="auto">{{ row.free_text|linebreaksbr }}</blockquote>{% endif %}
    {% if row.last_error %}<p class="sub error-text">{{ row.last_error }}</p>{% endif %}
    {% if row.held_for %}<div class="card-note is-warning" data-testid="held-for">
      <p>{% t "held.cannot_approve" %}</p>
      <ul class="plain-list">{% for code, url in row.held_items %}<li><a href="{{ url }}">{{ "held."|add:code|tr }}</a></li>{% endfor %}</ul>
    </div>{% endif %}
    {% if note_key %}<p class="message message-success">{% t note_key name=row.customer_name %}</p>{% endif %}
    {% if error %}<p class="message message-error" dir="auto">{{ error }}</p>{% endif %}
    {% if row.status == "rejected" %}<p><a href="{{ row.customer_url }}#case" data-testid="after-rejection">{% t "message.rejected_choose" %}</a></p>{% endif %}
  </div>
  <div class="msg-actions">
    <p class="links"><a href="{{ pdf_url }}" target="_blank" rel="noopener">{% t "message.preview_pdf" %}</a> · <a href="{{ pdf_url }}?download=1">{% t "message.download_pdf" %}</a> · <a href="{{ row.detail_url }}">{% t "message.details" %}</a></p>
    {% if row.status == "awaiting_approval" %}
      {% if request.access.is_owner or request.access.can_change and not row.needs_owner %}
      <form method="post" action="{{ approve_url }}" class="inline-form" hx-post="{{ approve_url }}" hx-target="#msg-{{ row.id }}" hx-swap="outerHTML">
        {% csrf_token %}<input type="hidden" name="next" value="{{ here }}">
        <button type="submit" class="btn btn-primary" data-testid="approve">{% t "message.approve" %}</button>
      </form>
      <details class="reject"><summary class="btn btn-danger-quiet">{% t "message.reject" %}</summary>
        <form method="post" action="{{ reject_url }}" hx-post="{{ reject_url }}" hx-target="#msg-{{ row.id }}" hx-swap="outerHTML">
          {% csrf_token %}<input type="hidden" name="next" value="{{ here }}">
          <div class="field"><label for="reject-{{ row.id }}">{% t "case.field.decision_reason" %}</label><input type="text" id="reject-{{ row.id }}" name="reason" required></div>
          <button type="submit" class="btn btn-danger-quiet">{% t "message.reject_confirm" %}</button>
        </form>
      </details>
      {% elif request.access.can_change %}<p class="sub">{% t "message.owner_only" %}</p>{% endif %}
    {% elif row.status == "failed" or row.status == "uncertain" %}{% if request.access.can_change %}
      <form method="post" action="{{ resolve_url }}" class="inline-form" hx-post="{{ resolve_url }}" hx-target="#msg-{{ row.id }}" hx-swap="outerHTML">
        {% csrf_token %}<input type="hidden" name="next" value="{{ here }}">
        <button type="submit" name="sent" value="1" class="btn">{% t "message.it_arrived" %}</button>
        <button type="submit" name="sent" value="0" class="btn">{% t "message.send_again" %}</button>
      </form>{% endif %}
    {% endif %}
  </div>
  <details class="pdf-inline"><summary>{% t "message.show_pdf_here" %}</summary><iframe src="{{ pdf_url }}" loading="lazy" title="{% t 'message.pdf_title' %}"></iframe></details>
</li>{% endwith %}
"""  # noqa: E501 — the template's lines as they were, compared verbatim

ROWS = [row(), row(id=8, needs_owner=True, held_for=("org_tax_id", "customer_address"), free_text="a <b>\nline"),
        row(id=9, status="failed", channel="sms", document="final_notice", stage="", last_error="refused <x>"),
        row(id=10, status="uncertain", customer_ref=""), row(id=11, status="rejected"), row(id=12, status="sent")]


def request_of(is_owner: bool, can_change: bool):
    request = RequestFactory().get("/worklist/?show=approvals&page=3&x=<y>")
    request.access = SimpleNamespace(is_owner=is_owner, can_change=can_change)
    return request


@pytest.mark.parametrize("lang", ["he", "en"])
@pytest.mark.parametrize("is_owner, can_change", [(True, True), (False, True), (False, False)])
def test_a_message_row_is_the_markup_its_template_wrote(lang, is_owner, can_change):
    request = request_of(is_owner, can_change)
    loop = "{% for row in rows %}" + ITEM + "{% endfor %}"
    with translation.override(lang):
        for csrf_token in ("tok<en>", None):
            context = {"rows": ROWS, "request": request, "csrf_token": csrf_token}
            expected = engines["django"].from_string(loop).render(context)
            assert items_html(ROWS, request, csrf_token) == expected
            shown = engines["django"].from_string('{% load outbox_tags %}{% message_items rows %}').render(context)
            assert shown == expected
    assert "&lt;i&gt;co&lt;/i&gt;" in expected and 'data-testid="held-for"' in expected
    assert ('data-testid="approve"' in expected) == (is_owner or can_change)


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_row_answering_in_place_is_the_markup_its_template_wrote(lang):
    request = request_of(False, True)
    with translation.override(lang):
        for extra in ({"inplace": True, "note_key": "message.approved", "error": ""},
                      {"inplace": True, "note_key": "", "error": "cannot <send>"}, {}):
            for one in ROWS:
                context = {"row": one, "request": request, "csrf_token": "t", **extra}
                expected = engines["django"].from_string(ITEM).render(context)
                assert render_to_string("gvia/outbox/_row.html", context) == expected
