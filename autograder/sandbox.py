"""Start a student's kernel where it cannot reach the grader's secrets.

When grading runs as root, the kernel runs as an unprivileged user id of its own in a
network namespace with no interfaces, under memory and process limits, with a private
working directory and a minimal environment. It talks to the grader over ``ipc``
sockets in that private directory: TCP loopback would stay inside the empty network
namespace. Without root none of this is possible, and the grader says so.
"""

from __future__ import annotations

import fcntl
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

LOCK_DIR = Path("/run/autograder-kernel-ids")  # root-only: a kernel cannot hold or fake a lock
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
        help="First user id of the pool kernels run as when grading as root. Use ids no one else uses: "
        "every process left with a kernel's id when it stops is killed.",
    ).tag(config=True)
    kernel_gid = Int(64000, help="First group id of the pool, paired with kernel_uid.").tag(config=True)
    uid_pool_size = Int(
        64, help="How many consecutive ids kernels may use, so concurrent graders never share one."
    ).tag(config=True)
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
    _claimed: tuple[int, int, int] | None = None  # (uid, gid, lock file descriptor)

    @default("data_dir")
    def _data_dir_default(self) -> str:
        return str(datasets.cache_root())

    @property
    def sandboxed(self) -> bool:
        return self.sandbox == "auto" and running_as_root()

    @property
    def uid(self) -> int:
        """The user id this manager's kernel runs as (claimed from the pool on first use)."""
        return self._claim()[0]

    @property
    def gid(self) -> int:
        return self._claim()[1]

    def _claim(self) -> tuple[int, int, int]:
        """Lock the first free id of the pool for this manager until its kernel stops for good.

        Leftover processes are killed by uid, so two kernels alive at once (parallel graders,
        a demo during the tests) must never share one.
        """
        if self._claimed is None:
            if self.kernel_uid in (0, os.getuid()) or self.kernel_gid == 0:
                raise ValueError(f"kernel_uid {self.kernel_uid} is not an unprivileged, unused user id")
            LOCK_DIR.mkdir(mode=0o700, exist_ok=True)
            for offset in range(self.uid_pool_size):
                lock = os.open(LOCK_DIR / f"{self.kernel_uid + offset}.lock", os.O_CREAT | os.O_RDWR, 0o600)
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(lock)
                    continue
                self._claimed = (self.kernel_uid + offset, self.kernel_gid + offset, lock)
                break
            else:
                raise RuntimeError(
                    f"all {self.uid_pool_size} kernel user ids from {self.kernel_uid} are in use"
                )
        return self._claimed

    def _release(self) -> None:
        if self._claimed is not None:
            os.close(self._claimed[2])
            self._claimed = None

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
                os.chown(path, self.uid, self.gid)
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
            f"--reuid={self.uid}",
            f"--regid={self.gid}",
            "--clear-groups",
            "--",
        ]
        return wrapper

    async def _async_pre_start_kernel(self, **kw):  # type: ignore[override]
        if self.sandboxed:
            kill_processes_of(self.uid)
        self._prepare_private_dir()
        kw["cwd"] = str(self.work_dir)
        kw["env"] = self._kernel_env()
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        if self.sandboxed:
            os.chown(self.connection_file, self.uid, self.gid)
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
            kill_processes_of(self.uid)
        if not restart:
            if self._private_dir is not None:
                shutil.rmtree(self._private_dir, ignore_errors=True)
                self._private_dir = None
            self._release()

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
            f"the sandboxed kernel (uid {self.uid}) cannot start Python from {sys.executable}: "
            f"{result.stderr.strip()[-500:]}\nEvery directory above the course and its .venv must be "
            "traversable by other users (chmod o+x), or set SandboxedKernelManager.sandbox = 'off' "
            "for a trusted run."
        )
