import sqlite3


def test_init_then_refuse_bad_email_with_exit_1(gvia):
    ok = gvia("init", "--org", "Acme", "--admin-email", "a@acme.co.il", "--admin-password", "Gvia-test-2026!")
    assert ok.code == 0, ok.err
    assert "Created organization Acme" in ok.out
    bad = gvia("init", "--org", "Other", "--admin-email", "nope", "--admin-password", "Gvia-test-2026!")
    assert bad.code == 1
    assert "not an e-mail address" in bad.err


def test_wrong_usage_exits_2(gvia):
    r = gvia("aging", "--format", "yaml")
    assert r.code == 2


def test_init_without_terminal_names_missing_flags(gvia):
    r = gvia("init", "--org", "Acme")
    assert r.code == 2
    assert "--admin-email" in r.err and "--admin-password" in r.err


def test_backup_and_restore_roundtrip(gvia_org, tmp_path):
    backup = tmp_path / "backup.db"
    r = gvia_org("backup", str(backup))
    assert r.code == 0, r.err
    con = sqlite3.connect(backup)
    assert con.execute("select name from gvia_organization").fetchall() == [("Demo",)]
    con.close()
    # change the live database, then restore the backup over it
    r = gvia_org("init", "--org", "Second", "--admin-email", "s@x.co", "--admin-password", "Gvia-test-2026!")
    assert r.code == 0
    r = gvia_org("restore", str(backup), "--yes")
    assert r.code == 0, r.err
    live = sqlite3.connect(tmp_path / "gvia.db")
    assert live.execute("select name from gvia_organization").fetchall() == [("Demo",)]


def test_restore_refuses_a_file_that_is_not_a_backup(gvia_org, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"hello, not a database" * 100)
    r = gvia_org("restore", str(junk), "--yes")
    assert r.code == 1
    assert "not a gvia backup" in r.err
