"""`gvia import unified FOLDER_OR_ZIP` in a subprocess (issue 18): the report in the user's
language, its JSON, a refusal that names the file, the line and the field, and nothing written."""

from __future__ import annotations

import datetime as dt
import json

from tests.cli.conftest import Gvia
from tests.imports.test_unified_writer import gilboa


def test_import_unified_speaks_and_refuses(tmp_path) -> None:
    g = Gvia(tmp_path)
    r = g("init", "--org", "Gilboa", "--country", "IL", "--admin-email", "owner@gilboa.co.il",
          "--admin-password", "Gvia-test-2026!")
    assert r.code == 0, r.err
    export = gilboa().zip(tmp_path)
    r = g("import", "unified", str(export), "--today", "2026-12-07", "--lang", "en")
    assert r.code == 0, r.err
    assert "Imported: invoices 3, credit notes 1, payments 3" in r.out
    assert "Not imported, documents of type 200: 1" in r.out and "Cancelled documents not imported: 1" in r.out
    assert "no field for the allocation number" in r.out
    r = g("import", "unified", str(export), "--today", "2026-12-07", "--lang", "he", "--format", "json")
    assert r.code == 0, r.err
    shown = json.loads(r.out)
    assert [(p["kind"], p["created"], p["unchanged"]) for p in shown["parts"]] == [
        ("customers", 0, 2), ("invoices", 0, 4), ("payments", 0, 3)]
    assert shown["allocation_numbers_in_file"] is False and shown["charset"] == "ISO-8859-8-i"
    r = g("import", "unified", str(export), "--today", "2026-12-07", "--lang", "he")
    assert r.code == 0 and "יובאו: חשבוניות 3, חשבוניות זיכוי 1, תשלומים 3" in r.out
    assert "אין שדה למספר הקצאה" in r.out

    bad = gilboa()
    bad.document(305, "5009", dt.date(2026, 7, 1), "", "בלי מפתח", "100")     # no customer key (1225)
    r = g("import", "unified", str(bad.write(tmp_path / "bad")), "--today", "2026-12-07", "--lang", "he")
    assert r.code == 1
    assert "BKMVDATA.TXT" in r.err and "שורה 17" in r.err and "שדה C100 1225" in r.err
    assert "השדה ריק" in r.err
