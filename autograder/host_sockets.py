"""The machine's filesystem Unix sockets, which a student's kernel must not connect to.

Connecting to a Unix socket needs only write permission on the socket file, and services
leave world-writable ones (a local PostgreSQL gradebook's, a desktop session's). The
sandbox already gives each kernel empty ``/run``, ``/tmp``, ``/var/tmp`` and ``/dev/shm``,
where nearly all of them live. The rest are found here, by a scan of the mounted file
systems, and covered with ``/dev/null`` in the kernel's mount namespace: ``connect`` then
fails with "connection refused", and the kernel, unprivileged, cannot unmount the cover.

The scan takes about a second of CPU on this machine, so it is reused for ``RESCAN_AFTER``
seconds, by every grader process on the machine: a root-only file keeps the last one, and a
lock lets one process scan while the others wait for its result (a batch's workers and every
check run that starts a model process would otherwise each scan). A socket made after the scan
is reachable until the next one (docs/trust-model.md says so).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shlex
import stat
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path

# Never scanned: kernel file systems, and the directories every kernel gets empty ones of.
HIDDEN_FROM_KERNELS = ("/proc", "/sys", "/run", "/tmp", "/var/tmp", "/dev/shm")
RESCAN_AFTER = 60.0  # seconds
# Each cover is one line of the sandbox's start-up script, which the kernel's command line carries.
MAX_COVERED = 500
# The last scan, shared by the machine's grader processes (root's, like the kernels' directories).
SHARED_SCANS = Path("/var/lib/autograder/host-sockets")
LOCK_PATIENCE = 130.0  # seconds a process waits for another's scan (find's own limit is 120 s)
MAX_SHARED_BYTES = 4 << 20  # a larger shared scan is not read (each process then scans for itself)

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
        if not _fresh(scanned_at):
            scanned_at, sockets = _shared_scan(skip)
            _scans[skip] = (scanned_at, sockets)
    return sockets


def _fresh(scanned_at: float) -> bool:
    return 0 <= time.monotonic() - scanned_at < RESCAN_AFTER


def _scan(skip: tuple[str, ...]) -> tuple[float, list[str]]:
    started = time.monotonic()  # a socket made while find runs may be missed: the scan is as old as its start
    return started, find_sockets(skip)


def _shared_scan(skip: tuple[str, ...]) -> tuple[float, list[str]]:
    """A fresh scan from the machine's shared file, or a new one, written there for the others. Whatever
    goes wrong with the file (a read-only or full disk, a lock held too long) costs only a scan of its own."""
    folder = _shared_folder()
    if folder is None:
        return _scan(skip)
    try:
        # The mount namespace is in the key: a grader that sees other file systems makes its own scan.
        seen_from = os.readlink("/proc/self/ns/mnt")
        key = hashlib.sha256("\0".join([seen_from, *skip]).encode()).hexdigest()[:16]
        lock = _locked(folder / f"{key}.lock")
    except OSError:
        return _scan(skip)
    if lock is None:
        return _scan(skip)
    try:
        shared = _read_scan(folder / f"{key}.json", skip)
        if shared is not None and _fresh(shared[0]):
            return shared
        scanned_at, sockets = _scan(skip)
        _write_scan(folder / f"{key}.json", skip, scanned_at, sockets)
        return scanned_at, sockets
    finally:
        os.close(lock)


def _locked(path: Path) -> int | None:
    """``path`` opened and locked, so one process scans and the others then read what it found; None if
    it is not a private file of root's, or stays locked past LOCK_PATIENCE (a scan takes seconds)."""
    lock = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    info = os.fstat(lock)
    if not stat.S_ISREG(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o077:
        os.close(lock)
        return None
    deadline = time.monotonic() + LOCK_PATIENCE
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return lock
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(lock)
                return None
            time.sleep(0.05)
        except OSError:
            os.close(lock)
            raise


def _shared_folder() -> Path | None:
    """SHARED_SCANS when this process is root, the folder is root's alone and its parent writable by root
    alone (nobody else can plant a scan or hold its lock); None otherwise (each process scans for itself)."""
    if os.geteuid() != 0:
        return None
    try:
        SHARED_SCANS.mkdir(mode=0o700, parents=True, exist_ok=True)
        for folder, others in ((SHARED_SCANS, 0o077), (SHARED_SCANS.parent, 0o022)):
            info = os.lstat(folder)
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & others:
                return None
    except OSError:
        return None
    return SHARED_SCANS


def _boot_id() -> str:
    """This boot's id: time.monotonic() starts again at a reboot, so a scan from another boot is stale."""
    return Path("/proc/sys/kernel/random/boot_id").read_text().strip()


def _read_scan(path: Path, skip: tuple[str, ...]) -> tuple[float, list[str]] | None:
    """The scan in ``path`` if root wrote it (a regular file of root's, private) on this boot for ``skip``."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o077:
            return None
        try:
            scan = json.loads(stream.read(MAX_SHARED_BYTES))
            scanned_at, sockets = float(scan["scanned_at"]), scan["sockets"]
            if scan["boot"] != _boot_id() or scan["skip"] != list(skip):
                return None
        except (ValueError, TypeError, KeyError, OSError):
            return None
    if not isinstance(sockets, list) or not all(isinstance(path, str) for path in sockets):
        return None
    return scanned_at, sockets


def _write_scan(path: Path, skip: tuple[str, ...], scanned_at: float, sockets: list[str]) -> None:
    with contextlib.suppress(OSError):
        scan = {"boot": _boot_id(), "skip": list(skip), "scanned_at": scanned_at, "sockets": sockets}
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".scan-")  # mode 0600
        try:
            with os.fdopen(descriptor, "w") as stream:
                json.dump(scan, stream)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


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
