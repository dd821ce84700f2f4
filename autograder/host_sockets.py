"""The machine's filesystem Unix sockets, which a student's kernel must not connect to.

Connecting to a Unix socket needs only write permission on the socket file, and services
leave world-writable ones (a local PostgreSQL gradebook's, a desktop session's). The
sandbox already gives each kernel empty ``/run``, ``/tmp``, ``/var/tmp`` and ``/dev/shm``,
where nearly all of them live. The rest are found here, by a scan of the mounted file
systems, and covered with ``/dev/null`` in the kernel's mount namespace: ``connect`` then
fails with "connection refused", and the kernel, unprivileged, cannot unmount the cover.

The scan takes about a second on this machine, so a grader process reuses it for
``RESCAN_AFTER`` seconds: a socket made after the scan is reachable until the next one
(docs/trust-model.md says so).
"""

from __future__ import annotations

import logging
import shlex
import subprocess
import threading
import time
from collections.abc import Iterable

# Never scanned: kernel file systems, and the directories every kernel gets empty ones of.
HIDDEN_FROM_KERNELS = ("/proc", "/sys", "/run", "/tmp", "/var/tmp", "/dev/shm")
RESCAN_AFTER = 60.0  # seconds
# Each cover is one line of the sandbox's start-up script, which the kernel's command line carries.
MAX_COVERED = 500

log = logging.getLogger(__name__)
_lock = threading.Lock()
_scans: dict[tuple[str, ...], tuple[float, list[str]]] = {}


def find_sockets(skip: Iterable[str]) -> list[str]:
    """Every Unix socket on the machine's mounted file systems outside ``skip``, sorted."""
    pruned: list[str] = []
    for directory in skip:
        pruned += [*(["-o"] if pruned else []), "-path", directory]
    command = ["find", "/", "(", *pruned, ")", "-prune", "-o", "-type", "s", "-print0"]
    found = subprocess.run(command, capture_output=True, check=False, timeout=120)
    return sorted(path.decode("utf-8", "surrogateescape") for path in found.stdout.split(b"\0") if path)


def host_sockets(also_skip: Iterable[str] = ()) -> list[str]:
    """The sockets to cover, from a scan at most ``RESCAN_AFTER`` seconds old."""
    skip = tuple(sorted({*HIDDEN_FROM_KERNELS, *also_skip}))
    with _lock:
        scanned_at, sockets = _scans.get(skip, (float("-inf"), []))
        if time.monotonic() - scanned_at >= RESCAN_AFTER:
            sockets = find_sockets(skip)
            _scans[skip] = (time.monotonic(), sockets)
    return sockets


def cover_script(sockets: list[str]) -> str:
    """Shell lines, run as root in the kernel's mount namespace, that put /dev/null over each socket.

    A socket gone since the scan is skipped; past ``MAX_COVERED`` the rest stay reachable and the
    log says so, since the script must fit on a command line.
    """
    if len(sockets) > MAX_COVERED:
        log.warning(
            "%d Unix sockets on this machine; kernels get the first %d covered. Sockets outside /run and "
            "/tmp are reachable from students' kernels: move them, or grade on a machine without them.",
            len(sockets), MAX_COVERED,
        )  # fmt: skip
    return "".join(
        f"mount --bind /dev/null {shlex.quote(path)} 2>/dev/null || true\n" for path in sockets[:MAX_COVERED]
    )
