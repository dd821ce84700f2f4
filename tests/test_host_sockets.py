"""The scan for the machine's Unix sockets (covered in every kernel) is shared by the grader processes
on the machine, and only a recent scan root wrote on this boot is believed; anything wrong with the
shared file costs a scan, never a kernel."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the shared scan is root's")


def scan_in_a_new_process(
    shared: Path, skip: str, *, may_scan: bool, rescan_after: float = 60.0, lock_patience: float = 130.0
) -> list[str] | None:
    """What ``host_sockets`` gives a fresh grader process sharing scans in ``shared``; None if it had to
    scan and ``may_scan`` is False."""
    code = "import json, pathlib\nfrom autograder import host_sockets as h\n"
    code += f"h.SHARED_SCANS = pathlib.Path({str(shared)!r})\n"
    code += f"h.RESCAN_AFTER = {rescan_after!r}\nh.LOCK_PATIENCE = {lock_patience!r}\n"
    if not may_scan:
        code += "def refuse(skip):\n    raise SystemExit('scanned')\nh.find_sockets = refuse\n"
    code += f"print(json.dumps(h.host_sockets(also_skip=({skip!r},))))\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0 and done.stderr.strip().endswith("scanned"):
        return None
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def scanned(outside_tmp: Path):
    """A socket of the machine's, and one process's scan that found it, shared in a folder of its own:
    (that folder, the skip list, the scan, its file)."""
    base = outside_tmp / f"sockets-{uuid.uuid4().hex[:8]}"
    base.mkdir(mode=0o755)
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(base / "service.sock"))
    shared = base / "host-sockets"
    skip = "/nothing-here"
    first = scan_in_a_new_process(shared, skip, may_scan=True)
    assert str(base / "service.sock") in first
    (scan_file,) = shared.glob("*.json")
    yield shared, skip, first, scan_file
    listener.close()


def test_a_second_grader_process_uses_the_first_ones_scan(scanned):
    shared, skip, first, scan_file = scanned
    assert scan_in_a_new_process(shared, skip, may_scan=False) == first
    assert oct(scan_file.stat().st_mode & 0o777) == "0o600" and scan_file.stat().st_uid == 0
    assert oct(shared.stat().st_mode & 0o777) == "0o700"


def test_a_scan_older_than_rescan_after_is_made_again(scanned):
    shared, skip, _, _ = scanned
    assert scan_in_a_new_process(shared, skip, may_scan=False, rescan_after=0.0) is None


@pytest.mark.parametrize(
    "tampering",
    ["readable by others", "not root's", "a link", "another boot's", "another skip list", "from the future"],
)
def test_a_shared_scan_is_believed_only_if_root_wrote_it_on_this_boot(scanned, tampering):
    shared, skip, _, scan_file = scanned
    scan = json.loads(scan_file.read_text())
    if tampering == "readable by others":
        scan_file.chmod(0o644)
    elif tampering == "not root's":
        os.chown(scan_file, 65534, 65534)
    elif tampering == "a link":
        scan_file.rename(shared / "elsewhere")
        scan_file.symlink_to(shared / "elsewhere")
    else:
        field, value = {
            "another boot's": ("boot", "another"),
            "another skip list": ("skip", ["/"]),
            "from the future": ("scanned_at", scan["scanned_at"] + 3600),
        }[tampering]
        scan_file.write_text(json.dumps({**scan, field: value}))
    assert scan_in_a_new_process(shared, skip, may_scan=False) is None


@pytest.mark.parametrize(
    "trouble", ["folder open to others", "lock not root's", "lock held", "folder a file"]
)
def test_trouble_with_the_shared_scan_costs_a_scan_not_a_kernel(scanned, trouble):
    """A folder or lock someone else could control is not used, and a lock held too long is not waited
    for: the process scans for itself (and still covers every socket)."""
    shared, skip, _, _ = scanned
    (lock_file,) = shared.glob("*.lock")
    holder = None
    if trouble == "folder open to others":
        shared.chmod(0o755)
    elif trouble == "lock not root's":
        os.chown(lock_file, 65534, 65534)
    elif trouble == "lock held":
        holder = os.open(lock_file, os.O_RDWR)
        fcntl.flock(holder, fcntl.LOCK_EX)
    else:
        for path in shared.iterdir():
            path.unlink()
        shared.rmdir()
        shared.write_text("")
    try:
        assert scan_in_a_new_process(shared, skip, may_scan=False, lock_patience=0.5) is None
        assert str(shared.parent / "service.sock") in scan_in_a_new_process(
            shared, skip, may_scan=True, lock_patience=0.5
        )
    finally:
        if holder is not None:
            os.close(holder)
