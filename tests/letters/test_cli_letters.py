"""The real `gvia letter`, `gvia casefile` and `gvia letters batch` commands, run in a subprocess
against a SQLite database built with `gvia import`; the PDFs they write are read back.

The books (hand-computed, letters dated 23/11/2026): C-100 "מאפיית השרון בע״מ", invoices SH-1
4,250.00 due 31/07, SH-2 1,980.40 due 04/09, SH-3 12,000.00 due 10/10; payment 5,000.00 on
15/10 (oldest first: SH-1 paid, SH-2 750.00) -> open SH-2 1,230.40, SH-3 12,000.00; 13,230.40.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from tests.cli.conftest import Gvia
from tests.documents.pdftext import pdf_text

pytestmark = pytest.mark.slow

INVOICES = (
    "customer_ref,customer_name,customer_tax_id,customer_address,customer_language,invoice_number,"
    "issue_date,due_date,amount\n"
    'C-100,מאפיית השרון בע״מ,515000115,"רחוב הגפן 7, כפר סבא",he,SH-1,2026-07-01,2026-07-31,4250.00\n'
    'C-100,מאפיית השרון בע״מ,515000115,"רחוב הגפן 7, כפר סבא",he,SH-2,2026-08-05,2026-09-04,1980.40\n'
    'C-100,מאפיית השרון בע״מ,515000115,"רחוב הגפן 7, כפר סבא",he,SH-3,2026-09-10,2026-10-10,12000.00\n'
)
PAYMENTS = "customer_ref,date,amount,reference\nC-100,2026-10-15,5000.00,TRF-77\n"


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> Gvia:
    """One database for the module's tests (each command starts Python, Django and Typst anew)."""
    tmp = tmp_path_factory.mktemp("cli-letters")
    g = Gvia(tmp)
    r = g("init", "--org", "Demo", "--country", "IL", "--admin-email", "owner@demo.co.il",
          "--admin-password", "Gvia-test-2026!")
    assert r.code == 0, r.err
    (tmp / "invoices.csv").write_text(INVOICES, encoding="utf-8")
    (tmp / "payments.csv").write_text(PAYMENTS, encoding="utf-8")
    for kind in ("invoices", "payments"):
        r = g("import", kind, str(tmp / f"{kind}.csv"))
        assert r.code == 0, r.err
    con = sqlite3.connect(tmp / "gvia.db")
    con.execute("update gvia_organization set tax_id='514567899', address=?, phone='03-5550123', "
                "email='billing@demo.co.il', signatory_name='רונית כהן', bank_details=?",
                ("רחוב הרצל 1\nתל אביב 6100000", "בנק: לאומי (10)\nסניף: 800\nחשבון: 12345678"))
    con.commit()
    con.close()
    return g


def test_gvia_letter_writes_the_pdf_of_each_document(books: Gvia, tmp_path):
    out = tmp_path / "warning.pdf"
    r = books("letter", "C-100", "--document", "warning_letter", "--lang", "he", "--as-of", "2026-11-23",
              "--out", str(out))
    assert r.code == 0, r.err
    got = pdf_text(out.read_bytes())
    for element in ("מאפיית השרון בע״מ", "SH-2 | 05/08/2026 | 04/09/2026 | ₪1,980.40 | ₪1,230.40 | 80",
                    "SH-3 | 10/09/2026 | 10/10/2026 | ₪12,000.00 | ₪12,000.00 | 44", "סה״כ לתשלום | ₪13,230.40",
                    "לא יאוחר מיום 07/12/2026", "בדואר רשום עם אישור מסירה", "מספר חשבון | 12345678"):
        assert element in got, element
    assert "SH-1 " not in got

    r = books("letter", "C-100", "--document", "statement", "--lang", "en", "--as-of", "2026-11-23",
              "--out", str(tmp_path / "st.pdf"))
    assert r.code == 0, r.err
    got = pdf_text((tmp_path / "st.pdf").read_bytes())
    assert "15/10/2026 | Payment | TRF-77 | ₪5,000.00 | ₪13,230.40" in got
    assert "Closing balance | ₪13,230.40" in got

    r = books("letter", "C-100", "--document", "letter_of_claim", "--lang", "en", "--as-of", "2026-11-23",
              "--out", str(tmp_path / "loc.pdf"))
    assert r.code == 0, r.err
    got = pdf_text((tmp_path / "loc.pdf").read_bytes())
    assert "Please reply within 30 days of the date of this letter, that is by 23/12/2026." in got
    assert "Total due | ₪13,230.40" in got and "Reply Form" in got


def test_gvia_letter_refuses_what_it_cannot_write(books: Gvia, tmp_path):
    r = books("letter", "C-100", "--document", "courtesy", "--as-of", "2026-06-01", "--out", str(tmp_path / "x.pdf"))
    assert r.code != 0 and "nothing to write about" in (r.err + r.out)
    assert not (tmp_path / "x.pdf").exists()


def test_gvia_casefile_says_what_is_missing(books: Gvia, tmp_path):
    out = tmp_path / "case.pdf"
    r = books("casefile", "C-100", "--as-of", "2026-11-23", "--out", str(out))
    assert r.code == 0, r.err
    got = pdf_text(out.read_bytes())
    assert "אין בתיק הסכם חתום" in got and "לא נשלח מכתב התראה" in got
    assert "לתשלום עד מועד התיק | ₪13,230.40" in got


def _queue_letters(g: Gvia, n: int) -> None:
    """Queue ``n`` reminder letters for C-100, as the daily run would (through Django)."""
    code = (
        "from datetime import date\n"
        "from gvia.cli.bootstrap import setup_django\n"
        f"setup_django({g.db!r})\n"
        "from gvia.store.models import Customer, OutboxMessage\n"
        "c = Customer.objects.get(ref='C-100')\n"
        f"for i in range({n}):\n"
        "    OutboxMessage.objects.create(organization=c.organization, customer=c, idempotency_key=f'manual:{i}',\n"
        "        channel='letter', document='reminder', language='he', status='queued',\n"
        "        planned_for=date(2026, 11, 23))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("GVIA_")}
    env["GVIA_HOME"] = str(g.tmp)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=g.tmp)
    assert proc.returncode == 0, proc.stderr


def test_gvia_letters_batch_on_two_processes_marks_them_sent(books: Gvia, tmp_path):
    _queue_letters(books, 4)
    out = tmp_path / "print"
    r = books("letters", "batch", "--as-of", "2026-11-23", "--processes", "2", "--out", str(out))
    assert r.code == 0, r.err
    assert "4 letters to print" in r.out
    con = sqlite3.connect(books.tmp / "gvia.db")
    assert con.execute("select status, count(*) from gvia_outboxmessage group by status").fetchall() == [("sent", 4)]
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 5 and "print-batch-2026-11-23.pdf" in files
    batch = pdf_text((out / "print-batch-2026-11-23.pdf").read_bytes())
    assert batch.count("סה״כ לתשלום | ₪13,230.40") == 4
    assert "4 מכתבים להדפסה ולמשלוח." in batch
    r = books("letters", "batch", "--as-of", "2026-11-23", "--out", str(tmp_path / "again"))
    assert r.code == 0 and "0 letters to print" in r.out


def test_gvia_legal_names_the_first_filing_day_of_the_filing_clock(books: Gvia):
    import json

    r = books("legal", "C-100", "--now", "2026-11-23", "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    # no s.81A1 notice posted yet: judged on the day a notice delivered today would allow (+31)
    assert data["filing_day"] == "2026-12-24" and data["notice"]["code"] == "not_posted"
    assert data["filing_allowed"] is None            # no notice: the day cannot be told yet
    assert data["notice"]["counts_from"] == "delivery" and "81A1" in data["notice"]["source_en"]
    fixed = next(x for x in data["routes"] if x["code"] == "execution_office_fixed_sum")
    assert fixed["fits"] is False and data["written_basis"] is False   # no contract or undertaking on file
    r = books("legal", "C-100", "--now", "2026-11-23", "--lang", "en")
    assert r.code == 0, r.err
    assert "No s.81A1 notice has been posted" in r.out and "stricter" in r.out
    assert "no explicit written contract or undertaking is on file" in r.out
    # the routes' reasons in Hebrew (issue 13): worded from the cli catalog, no English sentence
    r = books("legal", "C-100", "--now", "2026-11-23", "--lang", "he")
    assert r.code == 0, r.err
    assert "אין בתיק חוזה או התחייבות מפורשים בכתב" in r.out
    assert "written contract" not in r.out and "is within" not in r.out and "is more than" not in r.out


def test_gvia_legal_writes_the_filing_pack_and_names_the_routes_in_the_reader_s_language(books: Gvia, tmp_path):
    import json

    r = books("legal", "C-100", "--now", "2026-11-23", "--lang", "he", "--pack", str(tmp_path / "pack"))
    assert r.code == 0, r.err
    # the routes' names come from the catalog (issue 15)
    assert "הוצאה לפועל: תביעה על סכום קצוב" in r.out and "בית משפט השלום" in r.out
    assert "Execution Office" not in r.out
    # what to check for each route, in Hebrew too
    assert "מה לבדוק" in r.out and "רק אדם פרטי רשאי להגיש תביעה קטנה" in r.out
    files = sorted(p.name for p in (tmp_path / "pack").iterdir())
    assert files == ["filing-pack-C-100-2026-12-24.json", "filing-pack-C-100-2026-12-24.pdf"]
    data = json.loads((tmp_path / "pack" / files[0]).read_text(encoding="utf-8"))
    assert data["document"] == "filing_pack" and data["customer"] == "C-100"
    assert data["claim"] == "13230.40" or float(data["claim"]) >= 13230.40
    codes = [b["code"] for b in data["blockers"]]
    assert "no_written_basis" in codes and "not_posted" in codes
    assert data["form_fields"] is None
    text = pdf_text((tmp_path / "pack" / files[1]).read_bytes())
    assert "תיק הגשה לתביעה על סכום קצוב" in text and "אין בתיק חוזה או התחייבות בכתב" in text
    r = books("legal", "C-100", "--now", "2026-11-23", "--lang", "en", "--format", "json")
    names = {x["code"]: x["name"] for x in json.loads(r.out)["routes"]}
    assert names["small_claims_court"] == "Small claims court"
