"""Links to one record built from Django's reverse asked once (gvia.web.links)."""

from django.urls import clear_script_prefix, reverse, set_script_prefix

from gvia.web.links import id_url


def test_a_link_is_what_reverse_gives_for_every_id_and_script_prefix():
    for name in ("invoice_detail", "message_pdf", "customer_detail"):
        for pk in (1, 42, 1234567):
            assert id_url(name, pk) == reverse(name, args=[pk])
    try:
        set_script_prefix("/gvia/")
        assert id_url("invoice_detail", 7) == reverse("invoice_detail", args=[7]) == "/gvia/invoices/7/"
    finally:
        clear_script_prefix()
    assert id_url("invoice_detail", 7) == "/invoices/7/"
