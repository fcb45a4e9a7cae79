"""A real IMAP server on loopback for the mail-fetch tests: Debian's Dovecot, started with a
throwaway configuration and mailbox (plain login, no TLS, one static user), stopped after.

Skipped with the reason when Dovecot is not installed, unless HILLTRACK_REQUIRE_DOVECOT=1
(.ci/run installs dovecot-imapd and sets it)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.mailserver import free_port

USER, PASSWORD = "capture", "capture-password"


@dataclass(frozen=True)
class Dovecot:
    port: int
    folder: Path

    def config(self, **overrides: object) -> dict[str, object]:
        return {
            "IMAP_SERVER": "127.0.0.1",
            "IMAP_PORT": self.port,
            "IMAP_SECURITY": "none",
            "IMAP_USERNAME": USER,
            "IMAP_PASSWORD": PASSWORD,
            "IMAP_FOLDER": "INBOX",
            **overrides,
        }


def dovecot_binary() -> str:
    found = shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
    )
    if found is None:
        if os.environ.get("HILLTRACK_REQUIRE_DOVECOT") == "1":
            pytest.fail("Dovecot is not installed (apt-get install -y dovecot-imapd)")
        pytest.skip(
            "Dovecot is not installed (apt-get install -y dovecot-imapd); .ci/run installs it"
        )
    return found


def _conf(folder: Path, port: int) -> str:
    return f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{folder}/mail/%u
first_valid_uid = 1
default_internal_user = dovecot
default_login_user = dovenull
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={folder}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


@contextmanager
def running_dovecot() -> Iterator[Dovecot]:
    binary = dovecot_binary()
    # Not under pytest's 0700 temporary folders: the mail processes run as the dovecot user.
    folder = Path(tempfile.mkdtemp(prefix="hilltrack-dovecot-"))
    folder.chmod(0o755)
    for sub in ("mail", "home", "state"):
        (folder / sub).mkdir()
        shutil.chown(folder / sub, "dovecot", "dovecot")
    port = free_port()
    conf = folder / "dovecot.conf"
    conf.write_text(_conf(folder, port))
    process = subprocess.Popen([binary, "-F", "-c", str(conf)])
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (
                        (folder / "dovecot.log").read_text()
                        if (folder / "dovecot.log").exists()
                        else ""
                    )
                    pytest.fail(f"Dovecot did not start: {log[-2000:]}")
                time.sleep(0.1)
        yield Dovecot(port, folder)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)
