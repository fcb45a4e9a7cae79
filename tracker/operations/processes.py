"""Which process owns a piece of work, and whether that process still runs.

Imports, jobs and letters record their owner as "host:pid", so that after a crash the work a
dead process held on this host is released at once, not after a timeout.
"""

from __future__ import annotations

import os
import socket


def this_process() -> str:
    """This host and process id, as written on the work it claims."""
    return f"{socket.gethostname()}:{os.getpid()}"


def process_is_gone(owner: str | None) -> bool:
    """True when ``owner`` was a process on this host that no longer runs."""
    host, _, pid = (owner or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another server's: only a timeout can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, under another user
    return False
