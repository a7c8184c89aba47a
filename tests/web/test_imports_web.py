"""The import pages: upload, match columns, preview with errors per row (nothing written), commit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gvia.store.models import AuditRecord, Customer, ImportRun, Invoice, MappingPreset

pytestmark = pytest.mark.django_db

HEADER = "מס' לקוח,שם לקוח,מס' חשבונית,תאריך,תאריך פירעון,סכום,מטבע\n"
GOOD = HEADER + ("C001,אלון שיווק,INV-5001,01/03/2026,31/03/2026,\"1,250.00\",ILS\n"
                 "C004,דלתא בע\"מ,INV-5002,02/03/2026,01/04/2026,800,ILS\n")
BAD = HEADER + ("C001,אלון שיווק,INV-5001,01/03/2026,31/03/2026,\"1,250.00\",ILS\n"
                "C004,דלתא בע\"מ,INV-5002,31/02/2026,31/03/2026,800,ILS\n"
                "C004,דלתא בע\"מ,INV-5003,01/03/2026,31/03/2026,abc,XXX\n")
ODD_HEADERS = "Client,Who,Doc no,Issued,Pay by,Total\nC001,Alon,INV-6001,01/03/2026,31/03/2026,99.50\n"


def upload(client, content: str, name: str = "invoices.csv", kind: str = "invoices", preset: str = ""):
    r = client.post("/imports/", {"kind": kind, "preset": preset,
                                  "file": SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")})
    assert r.status_code == 302, r.content.decode()[:2000]
    return r["Location"]


def mapping_of(response) -> dict[str, str]:
    form = response.context["form"]
    return {name: form[f"col_{name}"].value() or "" for name in form.field_names}


def test_detected_columns_and_sample_rows_are_shown(as_collector, world):
    url = upload(as_collector, GOOD)
    r = as_collector.get(url)
    assert r.status_code == 200
    cols = mapping_of(r)
    assert {k: v for k, v in cols.items() if v} == {
        "customer_ref": "#1", "customer_name": "#2", "invoice_number": "#3", "issue_date": "#4",
        "due_date": "#5", "amount": "#6", "currency": "#7"}
    assert r.context["sample"][0][:3] == ["C001", "אלון שיווק", "INV-5001"]
    html = r.content.decode()
    for field in ("invoice_number", "amount"):
        assert f'<label for="id_col_{field}">' in html


def preview_data(cols: dict[str, str], **extra) -> dict:
    data = {f"col_{k}": v for k, v in cols.items()}
    data.update(action="preview", date_format="", save_as="")
    data.update(extra)
    return data


def test_preview_of_a_bad_file_lists_each_problem_and_writes_nothing(as_collector, world):
    before = (Invoice.objects.count(), Customer.objects.count(), ImportRun.objects.count())
    url = upload(as_collector, BAD)
    cols = mapping_of(as_collector.get(url))
    r = as_collector.post(url, preview_data(cols))
    assert r.status_code == 400
    problems = {(p.row, p.value) for p in r.context["problems"]}
    assert (3, "31/02/2026") in problems and (4, "abc") in problems and (4, "XXX") in problems
    assert all(p.row != 2 for p in r.context["problems"])        # the good row is not blamed
    html = r.content.decode()
    assert "שום דבר לא נשמר" in html
    assert 'data-testid="import-commit"' not in html
    assert (Invoice.objects.count(), Customer.objects.count(), ImportRun.objects.count()) == before
    # committing anyway is refused the same way
    r = as_collector.post(url, preview_data(cols, action="commit"))
    assert r.status_code == 400
    assert (Invoice.objects.count(), Customer.objects.count(), ImportRun.objects.count()) == before


def test_preview_then_commit(as_collector, world):
    url = upload(as_collector, GOOD)
    cols = mapping_of(as_collector.get(url))
    r = as_collector.post(url, preview_data(cols))
    assert r.status_code == 200
    report = r.context["report"]
    assert (report.rows, report.created, report.customers_created, report.dry_run) == (2, 2, 1, True)
    assert not Invoice.objects.filter(number__in=["INV-5001", "INV-5002"]).exists()
    assert 'data-testid="import-commit"' in r.content.decode()

    r = as_collector.post(url, preview_data(cols, action="commit", save_as="הנהח\"ש"))
    assert r.status_code == 302 and r["Location"] == "/imports/done/"
    inv = Invoice.objects.get(number="INV-5001")
    assert (inv.amount_minor, inv.open_minor, inv.currency, str(inv.due_date)) == (125000, 125000, "ILS", "2026-03-31")
    assert Customer.objects.get(ref="C004").name == 'דלתא בע"מ'
    assert AuditRecord.objects.filter(action="import.invoices", actor="collector@a.test").count() == 1
    preset = MappingPreset.objects.get(name="הנהח\"ש")
    assert preset.columns["invoice_number"] == "מס' חשבונית"   # saved by header, not by position
    done = as_collector.get("/imports/done/")
    assert done.status_code == 200 and "2" in done.content.decode()
    assert as_collector.get(url).status_code == 404             # the staged file is gone from the session


def test_columns_chosen_by_hand(as_collector, world):
    url = upload(as_collector, ODD_HEADERS)
    r = as_collector.get(url)
    assert r.context["problems"]                     # required columns were not recognised
    cols = {name: "" for name in mapping_of(r)}
    cols.update(customer_ref="#1", customer_name="#2", invoice_number="#3", issue_date="#4", due_date="#5",
                amount="#6")
    r = as_collector.post(url, preview_data(cols))
    assert r.status_code == 200 and r.context["report"].created == 1
    r = as_collector.post(url, preview_data(cols, action="commit"))
    assert r.status_code == 302
    inv = Invoice.objects.get(number="INV-6001")
    assert (inv.amount_minor, inv.currency) == (9950, "ILS")        # the organization's currency


def test_saved_preset_is_offered_and_used(as_collector, world):
    from gvia.services.context import Ctx
    from gvia.services.ledger import imports

    imports.save_preset(Ctx(world.org_a, world.collector, "collector"), "invoices", "odd",
                        {"customer_ref": "Client", "customer_name": "Who", "invoice_number": "Doc no",
                         "issue_date": "Issued", "due_date": "Pay by", "amount": "Total"}, None)
    assert "odd" in as_collector.get("/imports/").content.decode()
    url = upload(as_collector, ODD_HEADERS, preset="odd")
    r = as_collector.get(url)
    assert not r.context["problems"]
    assert mapping_of(r)["invoice_number"] == "#3"


def test_discard_forgets_the_file(as_collector, world):
    url = upload(as_collector, GOOD)
    r = as_collector.post(url, {"action": "discard"})
    assert r.status_code == 302
    assert as_collector.get(url).status_code == 404


def test_an_unreadable_file_is_explained(as_collector, world):
    url = upload(as_collector, "<html><body>not a sheet</body></html>", name="export.xls")
    r = as_collector.get(url)
    assert r.status_code == 400
    assert "שום דבר לא נשמר" in r.content.decode()


def test_upload_form_needs_a_file_and_a_kind(as_collector, world):
    r = as_collector.post("/imports/", {"kind": "invoices"})
    assert r.status_code == 400 and r.context["form"].errors["file"]
    r = as_collector.post("/imports/", {"kind": "everything", "file": SimpleUploadedFile("a.csv", b"a,b\n1,2\n")})
    assert r.status_code == 400 and r.context["form"].errors["kind"]


def test_a_payment_from_an_unknown_customer_needs_the_box_ticked(as_collector, world):
    file = "מס' לקוח,תאריך,סכום,אסמכתא\nZ-404,01/11/2026,450.00,T-2\n"
    url = upload(as_collector, file, name="bank.csv", kind="payments")
    page = as_collector.get(url)
    html = page.content.decode()
    assert 'name="create_customers"' in html and 'name="negative_as_credit_notes"' not in html
    assert "ליצור את הלקוחות שבקובץ" in html              # the box says what it does, in Hebrew
    cols = mapping_of(page)
    r = as_collector.post(url, preview_data(cols, action="commit"))
    assert r.status_code == 400
    assert [(p.row, p.value) for p in r.context["problems"]] == [(2, "Z-404")]
    assert not Customer.objects.filter(ref="Z-404").exists()
    r = as_collector.post(url, preview_data(cols, action="commit", create_customers="on"))
    assert r.status_code == 302
    assert Customer.objects.filter(ref="Z-404").exists()


def test_an_invoices_file_offers_to_read_negative_rows_as_credit_notes(as_collector, world):
    file = GOOD.replace('"1,250.00"', "-120.00")
    url = upload(as_collector, file)
    page = as_collector.get(url)
    assert 'name="negative_as_credit_notes"' in page.content.decode()
    cols = mapping_of(page)
    r = as_collector.post(url, preview_data(cols, action="commit"))
    assert r.status_code == 400 and [p.row for p in r.context["problems"]] == [2]
    r = as_collector.post(url, preview_data(cols, action="commit", negative_as_credit_notes="on"))
    assert r.status_code == 302
    assert Invoice.objects.get(number="INV-5001").kind == "credit_note"


def test_the_import_page_words_a_files_own_problems_in_hebrew(as_collector, world):
    twice = GOOD + "C004,דלתא בע\"מ,INV-5002,02/03/2026,01/04/2026,800,ILS\n"
    url = upload(as_collector, twice)
    r = as_collector.post(url, preview_data(mapping_of(as_collector.get(url))))
    page = r.content.decode()
    assert r.status_code == 400
    assert "מספר החשבונית הזה מופיע בקובץ פעמיים (לראשונה בשורה" in page
    assert "appears twice" not in page
    bank = upload(as_collector, "מס' לקוח,תאריך,סכום,אסמכתא\nZ-404,01/11/2026,450.00,T-2\n", name="bank.csv",
                  kind="payments")
    page = as_collector.post(bank, preview_data(mapping_of(as_collector.get(bank)))).content.decode()
    assert "סמנו את התיבה ליצירת לקוחות חדשים" in page and "--create-customers" not in page
