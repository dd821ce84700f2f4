"""The scan for the machine's Unix sockets (covered in every kernel) is shared by the grader processes
on the machine, and only a recent scan root wrote on this boot is believed."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from autograder import host_sockets

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the shared scan is root's")


def scan_in_a_new_process(skip: str, *, may_scan: bool, rescan_after: float = 60.0) -> list[str] | None:
    """What ``host_sockets`` gives a fresh grader process; None if it had to scan and ``may_scan`` is False."""
    code = "import json\nfrom autograder import host_sockets as h\n"
    code += f"h.RESCAN_AFTER = {rescan_after!r}\n"
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
    """A socket of the machine's, one process's scan that found it, and where that scan is shared."""
    folder = outside_tmp / f"service-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(folder / "service.sock"))
    skip = f"/nothing-here-{uuid.uuid4().hex}"  # a skip list of its own, so no other scan is shared with it
    first = scan_in_a_new_process(skip, may_scan=True)
    assert str(folder / "service.sock") in first
    key = hashlib.sha256("\0".join(sorted({*host_sockets.HIDDEN_FROM_KERNELS, skip})).encode()).hexdigest()[
        :16
    ]
    shared = host_sockets.SHARED_SCANS / f"{key}.json"
    yield skip, first, shared
    listener.close()
    for path in (shared, shared.with_suffix(".lock")):
        path.unlink(missing_ok=True)


def test_a_second_grader_process_uses_the_first_ones_scan(scanned):
    skip, first, shared = scanned
    assert scan_in_a_new_process(skip, may_scan=False) == first
    assert oct(shared.stat().st_mode & 0o777) == "0o600" and shared.stat().st_uid == 0


def test_a_scan_older_than_rescan_after_is_made_again(scanned):
    skip, _, _ = scanned
    assert scan_in_a_new_process(skip, may_scan=False, rescan_after=0.0) is None


@pytest.mark.parametrize(
    "tampering", ["readable by others", "not root's", "another boot's", "another skip list"]
)
def test_a_shared_scan_is_believed_only_if_root_wrote_it_on_this_boot(scanned, tampering):
    skip, _, shared = scanned
    if tampering == "readable by others":
        shared.chmod(0o644)
    elif tampering == "not root's":
        os.chown(shared, 65534, 65534)
    else:
        scan = json.loads(shared.read_text())
        scan["boot" if tampering == "another boot's" else "skip"] = ["planted"]
        shared.write_text(json.dumps(scan))
    assert scan_in_a_new_process(skip, may_scan=False) is None
