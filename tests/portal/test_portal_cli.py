"""`gvia portal link CUSTOMER_REF [--days N]` prints a link to the customer's page, `gvia portal
revoke CUSTOMER_REF` revokes every link of theirs (issue 16); the real command in a subprocess."""

from __future__ import annotations

import re


def test_link_then_revoke(gvia_org, tmp_path):
    f = tmp_path / "c.csv"
    f.write_text("customer_ref,name,email\nC1,Alon Ltd,ap@alon.co.il\n", encoding="utf-8")
    assert gvia_org("import", "customers", str(f)).code == 0
    r = gvia_org("--lang", "en", "portal", "link", "C1", "--days", "10", "--today", "2026-03-01")
    assert r.code == 0, r.err
    url = re.search(r"http://127\.0\.0\.1:8000/p/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+/", r.out)
    assert url, r.out
    assert "until 3/11/2026" in r.out                  # the command line's English dates
    second = gvia_org("--lang", "he", "portal", "link", "C1")
    assert second.code == 0 and "הקישור פותח את דף הלקוח עד" in second.out
    r = gvia_org("--lang", "en", "portal", "revoke", "C1")
    assert r.code == 0, r.err
    assert "2 links to the page of customer C1 revoked" in r.out
    r = gvia_org("--lang", "he", "portal", "revoke", "C1")
    assert "בוטלו 0 קישורים" in r.out
    unknown = gvia_org("--lang", "en", "portal", "link", "NOPE")
    assert unknown.code == 1 and "There is no customer NOPE" in unknown.err
