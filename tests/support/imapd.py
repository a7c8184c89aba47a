"""A real IMAP server on loopback for tests: Debian's dovecot, with a private configuration.

:func:`start_dovecot` writes a dovecot configuration into a temporary directory — its own base,
state and log directories, users and passwords from a file (plaintext login allowed, since it
listens on 127.0.0.1 only), maildir mailboxes under the directory — and starts ``dovecot -F`` on
a free loopback port, as the user running the tests. Messages are delivered with IMAP APPEND
(:meth:`Dovecot.append`), as a mail server would file them. ``tools/ensure-dovecot`` installs
dovecot when missing (``make test``); without it the IMAP tests skip, and under CI fail.
"""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Dovecot:
    host: str
    port: int
    root: Path
    process: subprocess.Popen[bytes]
    run: Path
    users: dict[str, str] = field(default_factory=dict)

    def add_user(self, user: str, password: str) -> None:
        """A mailbox user: a passwd-file of its own (dovecot reads a file it has not seen at once,
        while a changed one may wait for the next second), so no restart."""
        if user in self.users:
            raise ValueError(f"{user} exists already")
        self.users[user] = password
        (self.run / "users" / user).write_text(f"{user}:{{PLAIN}}{password}\n")

    def connect(self, user: str) -> imaplib.IMAP4:
        imap = imaplib.IMAP4(self.host, self.port)
        imap.login(user, self.users[user])
        return imap

    def append(self, user: str, message: bytes, folder: str = "INBOX") -> None:
        """Deliver ``message`` into ``user``'s ``folder`` (created when missing) with IMAP APPEND."""
        imap = self.connect(user)
        try:
            if folder != "INBOX":
                imap.create(folder)
            typ, data = imap.append(folder, "", None, message)
            assert typ == "OK", data
        finally:
            imap.logout()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.run, ignore_errors=True)


def start_dovecot(root: Path) -> Dovecot:
    if DOVECOT is None:
        raise FileNotFoundError("dovecot is not installed (tools/ensure-dovecot installs Debian's dovecot-imapd)")
    root.mkdir(parents=True, exist_ok=True)
    for sub in ("state",):
        (root / sub).mkdir(exist_ok=True)
    # the sockets' directory, and the passwords file: a short path (a UNIX socket's path is
    # limited to ~108 bytes) that the login and auth processes can reach
    run = Path(tempfile.mkdtemp(prefix="gvia-dovecot-"))
    run.chmod(0o755)
    uid, gid = os.getuid(), os.getgid()
    user = pwd.getpwuid(uid).pw_name
    group = grp.getgrgid(gid).gr_name
    # dovecot will not run its login and internal processes as root: as root (a container, CI)
    # they run as the users Debian's package creates (dovenull, dovecot), the mail as root
    login_user, internal_user, internal_group = (("dovenull", "dovecot", "dovecot") if uid == 0
                                                 else (user, user, group))
    if uid == 0:  # nor the mail processes: they run as dovecot, their mail in the reachable directory
        uid, gid = pwd.getpwnam("dovecot").pw_uid, grp.getgrnam("dovecot").gr_gid
    (run / "home").mkdir()
    os.chown(run / "home", uid, gid)
    port = _free_port()
    (run / "users").mkdir()
    conf = root / "dovecot.conf"
    conf.write_text(f"""
protocols = imap
listen = 127.0.0.1
base_dir = {run}
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = {uid}
first_valid_gid = {gid}
mail_location = maildir:{run}/home/%u/Maildir
mail_uid = {uid}
mail_gid = {gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {run}/users/%u
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={run}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  chroot =
  unix_listener stats-reader {{
    user = {internal_user}
  }}
  unix_listener stats-writer {{
    user = {internal_user}
  }}
}}
""")
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL,
                               stderr=open(root / "dovecot.stderr", "wb"))
    server = Dovecot("127.0.0.1", port, root, process, run)
    for _ in range(200):  # wait until it listens (or has died), at most ~10 s
        if process.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.stop()
    log = "".join(p.read_text(errors="replace") for p in (root / "dovecot.stderr", root / "dovecot.log")
                  if p.exists())
    raise RuntimeError(f"dovecot did not start on 127.0.0.1:{port}:\n{log}")
