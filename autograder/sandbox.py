"""Start a student's kernel where it cannot reach the grader's secrets.

When grading runs as root, the kernel runs as an unprivileged user id of its own in a
network namespace with no interfaces, under memory and process limits, with a private
working directory and a minimal environment. It talks to the grader over ``ipc``
sockets in that private directory: TCP loopback would stay inside the empty network
namespace. Without root none of this is possible, and the grader says so.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Enum, Int, Unicode, default

from autograder import datasets

PROBE_STARTUP = "__import__('autograder.probe').probe.install()"

# Top-level names in the course directory a student's kernel may read; everything
# else (solutions/, source/, tests/, submitted/, the gradebook, .git ...) is made
# private to the grading user before a kernel starts.
KERNEL_READABLE = {"autograder", "release", ".venv", ".cache", "docs", "README.md", "pyproject.toml"}


def parse_bytes(size: str) -> int:
    """Bytes in a size such as ``4G``, ``512M`` or ``1073741824`` (prlimit wants plain bytes)."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    text = size.strip().upper().removesuffix("IB").removesuffix("B")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def running_as_root() -> bool:
    return os.geteuid() == 0


def package_checkout() -> Path | None:
    """The course checkout this package is loaded from (an editable install), if any.

    A kernel imports ``autograder`` from there, so it must be protected like the course
    being graded even when grading happens in a copy (the demo, the tests).
    """
    root = Path(__file__).resolve().parents[1]
    return root if (root / "solutions").is_dir() else None


def kill_processes_of(uid: int) -> int:
    """SIGKILL every process whose real uid is ``uid`` (what a kernel left behind)."""
    killed = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            uid_line = next(line for line in status.read_text().splitlines() if line.startswith("Uid:"))
        except (OSError, StopIteration):
            continue
        if int(uid_line.split()[1]) == uid:
            try:
                os.kill(int(status.parent.name), signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
    return killed


def protect_course(root: Path) -> list[str]:
    """Make every top-level entry not in ``KERNEL_READABLE`` unreadable to other users."""
    changed = []
    for entry in sorted(root.iterdir()):
        if entry.name in KERNEL_READABLE or entry.is_symlink():
            continue
        mode = stat.S_IMODE(entry.stat().st_mode)
        if mode & 0o077:
            entry.chmod(mode & 0o700)
            changed.append(entry.name)
    return changed


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run sandboxed (see the module docstring)."""

    sandbox = Enum(
        ["auto", "off"],
        "auto",
        help="auto: sandbox the kernel when grading as root, warn otherwise; off: never (trusted use only).",
    ).tag(config=True)
    kernel_uid = Int(
        64000,
        help="User id the kernel runs as when grading as root. Use an id no one else uses: every process "
        "left with it when a kernel stops is killed.",
    ).tag(config=True)
    kernel_gid = Int(64000, help="Group id the kernel runs as when grading as root.").tag(config=True)
    isolate_network = Bool(True, help="Run the kernel in a network namespace with no network.").tag(
        config=True
    )
    memory_limit = Unicode("4G", help="Address-space cap for the kernel (prlimit --as).").tag(config=True)
    process_limit = Int(4096, help="Process and thread cap for the kernel user (prlimit --nproc).").tag(
        config=True
    )
    data_dir = Unicode(help="Read-only data caches (KERAS_HOME, scipy-data) offered to the kernel.").tag(
        config=True
    )

    _private_dir: Path | None = None

    @default("data_dir")
    def _data_dir_default(self) -> str:
        return str(datasets.cache_root())

    @property
    def sandboxed(self) -> bool:
        return self.sandbox == "auto" and running_as_root()

    @property
    def work_dir(self) -> Path:
        assert self._private_dir is not None
        return self._private_dir / "work"

    def _prepare_private_dir(self) -> None:
        if self._private_dir is not None:
            return  # a restart keeps the same sockets, so the clients reconnect
        self._private_dir = Path(tempfile.mkdtemp(prefix="autograder-kernel-"))
        for sub in ("work", "tmp"):
            (self._private_dir / sub).mkdir()
        if self.sandboxed:
            for path in (self._private_dir, self._private_dir / "work", self._private_dir / "tmp"):
                os.chown(path, self.kernel_uid, self.kernel_gid)
        self.transport = "ipc"
        self.ip = str(self._private_dir / "ipc")
        self.connection_file = str(self._private_dir / "connection.json")

    def _kernel_env(self) -> dict[str, str]:
        work = str(self.work_dir)
        data = Path(self.data_dir)
        return {
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "USER": "student",
            "LOGNAME": "student",
            "HOME": work,
            "TMPDIR": str(self._private_dir / "tmp"),
            "IPYTHONDIR": os.path.join(work, ".ipython"),
            "MPLCONFIGDIR": os.path.join(work, ".matplotlib"),
            "MPLBACKEND": "Agg",
            "KERAS_HOME": str(data / "keras"),
            "XDG_CACHE_HOME": str(data),
            "PYTHONHASHSEED": "0",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "NBGRADER_EXECUTION": "autograde",
        }

    def _wrapper(self) -> list[str]:
        if not self.sandboxed:
            return []
        wrapper = []
        if self.isolate_network:
            wrapper += ["unshare", "--net", "--"]
        wrapper += [
            "prlimit",
            f"--as={parse_bytes(self.memory_limit)}",
            f"--nproc={self.process_limit}",
            "--",
        ]
        wrapper += [
            "setpriv",
            f"--reuid={self.kernel_uid}",
            f"--regid={self.kernel_gid}",
            "--clear-groups",
            "--",
        ]
        return wrapper

    async def _async_pre_start_kernel(self, **kw):  # type: ignore[override]
        if self.sandboxed:
            if self.kernel_uid in (0, os.getuid()):
                raise ValueError(f"kernel_uid {self.kernel_uid} is not an unprivileged, unused user id")
            kill_processes_of(self.kernel_uid)
        self._prepare_private_dir()
        kw["cwd"] = str(self.work_dir)
        kw["env"] = self._kernel_env()
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        if self.sandboxed:
            os.chown(self.connection_file, self.kernel_uid, self.kernel_gid)
        else:
            self.log.warning(
                "Grading without a sandbox (not root, or sandbox=off): the student's kernel runs as %s "
                "and could read anything this user can, including solutions/.",
                os.environ.get("USER", "this user"),
            )
        kernel_cmd = self._wrapper() + kernel_cmd + [f"--IPKernelApp.exec_lines={[PROBE_STARTUP]!r}"]
        return kernel_cmd, kw

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if self.sandboxed:  # processes the student started in their own session outlive the kernel
            kill_processes_of(self.kernel_uid)
        if not restart and self._private_dir is not None:
            shutil.rmtree(self._private_dir, ignore_errors=True)
            self._private_dir = None

    def preflight(self) -> str | None:
        """Why a sandboxed kernel could not start here, or None when it can."""
        if not self.sandboxed:
            return None
        command = self._wrapper() + [sys.executable, "-c", "import autograder.probe, ipykernel"]
        result = subprocess.run(
            command, capture_output=True, text=True, check=False, cwd="/", env={"PATH": "/usr/bin:/bin"}
        )
        if result.returncode == 0:
            return None
        return (
            f"the sandboxed kernel (uid {self.kernel_uid}) cannot start Python from {sys.executable}: "
            f"{result.stderr.strip()[-500:]}\nEvery directory above the course and its .venv must be "
            "traversable by other users (chmod o+x), or set SandboxedKernelManager.sandbox = 'off' "
            "for a trusted run."
        )
