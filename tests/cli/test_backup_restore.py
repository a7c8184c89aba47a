"""`gvia backup` never touches the live database, and `gvia restore` asks first (issue 14,
findings 2 and 3). The whole restore of a busy outbox is tests/engine/test_restore.py."""

from __future__ import annotations

import os
import sqlite3


def names(path) -> list:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("select name from gvia_organization order by id")]
    finally:
        con.close()


def test_backup_refuses_the_live_database_by_any_name(gvia_org, tmp_path):
    live = tmp_path / "gvia.db"
    before = live.stat()
    (tmp_path / "link.db").symlink_to(live)
    os.link(live, tmp_path / "hardlink.db")
    for target in (live, tmp_path / "sub" / ".." / "gvia.db", tmp_path / "link.db", tmp_path / "hardlink.db",
                   tmp_path / "gvia.db-wal", tmp_path / "gvia.db.worker.lock"):
        for force in ((), ("--force",)):
            r = gvia_org("backup", str(target), *force)
            assert r.code == 1, (target, force, r.out)
            assert "live database" in r.err, r.err
    after = live.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    assert names(live) == ["Demo"]


def test_backup_replaces_an_existing_file_only_with_force(gvia_org, tmp_path):
    target = tmp_path / "old-backup.db"
    target.write_bytes(b"an older backup")
    r = gvia_org("backup", str(target))
    assert r.code == 1 and "--force" in r.err
    assert target.read_bytes() == b"an older backup"
    r = gvia_org("backup", str(target), "--force")
    assert r.code == 0, r.err
    assert names(target) == ["Demo"]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_restore_asks_first_and_without_a_terminal_needs_yes(gvia_org, tmp_path):
    backup = tmp_path / "backup.db"
    assert gvia_org("backup", str(backup)).code == 0
    second = gvia_org("init", "--org", "Second", "--admin-email", "s@x.co", "--admin-password", "Gvia-test-2026!")
    assert second.code == 0
    for answer in ("y\n", "n\n", ""):
        r = gvia_org("restore", str(backup), input=answer)
        assert r.code == 1, r.out
        assert "--yes" in r.err
    assert names(tmp_path / "gvia.db") == ["Demo", "Second"]            # nothing restored
    r = gvia_org("restore", str(backup), "--yes")
    assert r.code == 0, r.err
    assert names(tmp_path / "gvia.db") == ["Demo"]


def test_restore_refuses_while_a_worker_holds_the_lock_naming_it(gvia_org, tmp_path):
    import fcntl

    backup = tmp_path / "backup.db"
    assert gvia_org("backup", str(backup)).code == 0
    lock = tmp_path / "gvia.db.worker.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, b"4242\n")
        r = gvia_org("restore", str(backup), "--yes")
        assert r.code == 1 and "worker (process 4242)" in r.err, r.err
    finally:
        os.close(fd)
    assert gvia_org("restore", str(backup), "--yes").code == 0
