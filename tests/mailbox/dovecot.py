"""A private Dovecot IMAP server for tests and the benchmark (issue 15 item 7).

Started as a process of its own (``dovecot -F``) with a configuration in a temporary
directory, on a free loopback port, without TLS (``ssl = no``: loopback only) and with one
user from a passwd-file whose mail is a maildir in the same directory. Run as root, the
server's helper processes use Debian's ``dovecot``/``dovenull`` users (Dovecot refuses to
run its login process as root); otherwise everything runs as the current user.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess  # nosec B404 — starts the local test server only
import tempfile
import time
from pathlib import Path

from imapclient import IMAPClient

DOVECOT = "/usr/sbin/dovecot"
USER = "postfach"
PASSWORD = "test-geheim"  # nosec B105 — a throwaway test server on loopback


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Dovecot:
    """One running Dovecot; ``start()``/``stop()``, ``client()``, ``deliver(raw)``."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory or tempfile.mkdtemp(prefix="dmk-dovecot-"))
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def _users(self) -> tuple[str, str, str, int, int]:
        """(internal user, its group, login user, mail uid, mail gid)."""
        if os.geteuid() == 0:
            internal = pwd.getpwnam("dovecot")
            login = "dovenull"
            return (
                "dovecot",
                grp.getgrgid(internal.pw_gid).gr_name,
                login,
                internal.pw_uid,
                internal.pw_gid,
            )
        me = pwd.getpwuid(os.geteuid())
        group = grp.getgrgid(os.getegid()).gr_name
        return me.pw_name, group, me.pw_name, os.geteuid(), os.getegid()

    def _write_config(self) -> Path:
        internal, group, login, uid, gid = self._users()
        base = self.directory
        for name in ("run", "state", "mail", "home"):
            (base / name).mkdir(parents=True, exist_ok=True)
        for name in ("mail", "home"):
            os.chown(base / name, uid, gid)
        os.chmod(base, 0o755)  # noqa: S103 — the server's own users must reach the mail below
        (base / "passwd").write_text(
            f"{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{base / 'home'}\n", encoding="utf-8"
        )
        os.chmod(base / "passwd", 0o644)
        config = base / "dovecot.conf"
        config.write_text(
            f"""base_dir = {base / "run"}
state_dir = {base / "state"}
log_path = {base / "dovecot.log"}
info_log_path = {base / "dovecot.log"}
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
first_valid_uid = 1
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{base / "mail"}/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base / "passwd"}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {base / "passwd"}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
""",
            encoding="utf-8",
        )
        return config

    def start(self) -> Dovecot:
        config = self._write_config()
        self.process = subprocess.Popen(  # nosec B603 — fixed local binary and arguments
            [DOVECOT, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    "dovecot did not start: " + (self.process.stderr.read() or b"").decode()
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("dovecot did not open its port in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None

    def client(self) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=30)
        client.login(USER, PASSWORD)
        return client

    def deliver(self, *raws: bytes) -> None:
        """Put mails into the INBOX (IMAP APPEND, RFC 3501 §6.3.11)."""
        client = self.client()
        try:
            for raw in raws:
                client.append("INBOX", raw)
        finally:
            client.logout()

    def clear(self) -> None:
        """Remove every mail of every folder."""
        client = self.client()
        try:
            for _flags, _delim, name in client.list_folders():
                client.select_folder(name)
                uids = client.search(["ALL"])
                if uids:
                    client.delete_messages(uids)
                    client.expunge()
        finally:
            client.logout()

    def flags(self) -> dict[int, tuple[bytes, ...]]:
        """The flags of each mail in the INBOX, by UID."""
        client = self.client()
        try:
            client.select_folder("INBOX", readonly=True)
            return {
                uid: tuple(flags) for uid, flags in client.get_flags(client.search(["ALL"])).items()
            }
        finally:
            client.logout()

    def raw_message(self) -> bytes:
        """The bytes of the only mail in the INBOX, as IMAP returns them (``BODY[]``)."""
        client = self.client()
        try:
            client.select_folder("INBOX", readonly=True)
            fetched = client.fetch(client.search(["ALL"]), [b"BODY.PEEK[]"])
            assert len(fetched) == 1, len(fetched)
            return next(iter(fetched.values()))[b"BODY[]"]
        finally:
            client.logout()

    def config(self, **overrides: object):
        from dmk.mailbox.fetching import ImapConfig

        values = {
            "host": "127.0.0.1",
            "port": self.port,
            "user": USER,
            "password": PASSWORD,
            "folder": "INBOX",
            "security": "none",
        }
        values.update(overrides)
        return ImapConfig(**values)  # type: ignore[arg-type]

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
