"""Start a student's kernel where it cannot reach the grader's secrets.

The kernel runs as an unprivileged user id of its own, in a network namespace with no
interfaces, PID and IPC namespaces of its own (it sees no other process, and no System V
object of another kernel), and a mount namespace with fresh, empty ``/tmp``, ``/var/tmp``,
``/dev/shm`` and ``/run`` and the machine's other Unix sockets covered, with ``no_new_privs``
and umask 077, inside a cgroup that caps the memory and processes of everything it starts
(plus per-process ``prlimit`` caps on address space, processes and CPU time), with a private
working directory and a minimal environment. It talks to the grader over ``ipc`` sockets
in that private directory: TCP loopback would stay inside the empty network namespace.
All of this needs root; when it cannot be had, grading stops with the reason (see
``preflight``) unless the sandbox is turned off explicitly.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Enum, Int, List, Unicode, default, validate
from traitlets.config import Config

from autograder import datasets
from autograder.assignments import is_module_name
from autograder.cgroups import KernelCgroup
from autograder.host_sockets import cover_script, host_sockets

LOCK_DIR = Path("/run/autograder-kernel-ids")  # root-only: a kernel cannot hold or fake a lock
PROBE_STARTUP = "__import__('autograder.probe').probe.install()"
PRELOAD_STARTUP = "__import__('autograder.probe').probe.preload({!r})"  # the module names, validated

# Top-level names in the course directory a student's kernel may read; everything
# else (solutions/, source/, tests/, submitted/, the gradebook, .git ...) is made
# private to the grading user before a kernel starts.
KERNEL_READABLE = {"autograder", "release", ".venv", ".cache", "docs", "README.md", "pyproject.toml"}


# Scratch directories each sandboxed kernel gets empty and private (tmpfs in its mount namespace).
PRIVATE_SCRATCH = ("/tmp", "/var/tmp", "/dev/shm")


class SandboxUnavailable(BaseException):
    """Student kernels cannot be sandboxed here: stop the whole batch.

    A ``BaseException``, so nbgrader's per-submission ``except Exception`` does not turn
    it into one failed student after another.
    """


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


def processes_of(uid: int) -> list[int]:
    """The pids of every live process whose real uid is ``uid`` (zombies run nothing: left out)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        zombie = fields.get("State", "").strip().startswith("Z")
        if int(fields.get("Uid", "-1").split()[0]) == uid and not zombie:
            found.append(int(status.parent.name))
    return found


def kill_processes_of(uid: int) -> int:
    """SIGKILL every process whose real uid is ``uid`` (what a kernel left behind)."""
    killed = 0
    for pid in processes_of(uid):
        try:
            os.kill(pid, signal.SIGKILL)
            killed += 1
        except ProcessLookupError:
            pass
    return killed


def outlived(uid: int, patience: float = 5.0) -> list[int]:
    """The processes of ``uid`` still alive after killing them again and again for ``patience`` s."""
    deadline = time.monotonic() + patience
    while kill_processes_of(uid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return processes_of(uid)


# Lock files of ids whose processes outlived every kill: held until this grader exits, so no later
# kernel of this run shares an id with what is left.
_QUARANTINED: list[int] = []
_SWEPT: set[tuple[str, int, int]] = set()  # kernel roots cleared of stale directories by this process


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


def claim_pool_id(first_uid: int, first_gid: int, pool_size: int) -> tuple[int, int, int]:
    """(uid, gid, lock descriptor): the first id of the pool no other live process of the grader holds.

    The lock (a root-only file under ``LOCK_DIR``) is held until the descriptor is closed: student
    kernels and the processes that run students' saved models (``autograder.model_host``) take ids
    from the same pool, so no two of them alive at once share one.
    """
    if first_uid in (0, os.getuid()) or first_gid == 0:
        raise ValueError(f"kernel_uid {first_uid} is not an unprivileged, unused user id")
    for offset in range(pool_size):
        lock = _lock_id(first_uid + offset)
        if lock is not None:
            return first_uid + offset, first_gid + offset, lock
    raise RuntimeError(f"all {pool_size} kernel user ids from {first_uid} are in use")


def _lock_id(uid: int) -> int | None:
    """The descriptor holding ``uid``'s lock, or None when a live process of a grader holds it."""
    LOCK_DIR.mkdir(mode=0o700, exist_ok=True)
    lock = os.open(LOCK_DIR / f"{uid}.lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(lock)
        return None
    return lock


def remove_stale_kernel_dirs(kernel_root: Path, first_uid: int, pool_size: int) -> list[Path]:
    """Remove the private directories kernels left when their grader was killed (SIGKILL, a pool
    worker ended by its pool) before it could clean up: a directory whose ``work/`` belongs to an id
    of the pool that no live grader holds. The id's lock is held while its directory is removed, so
    no kernel can be given the id meanwhile; a directory of a live kernel (its id locked) is kept."""
    removed = []
    for private in sorted(Path(kernel_root).glob("kernel-*")):
        try:
            owner = (private / "work").lstat().st_uid
        except OSError:  # being made, or not a kernel's: left alone
            continue
        if not first_uid <= owner < first_uid + pool_size:
            continue
        try:
            lock = _lock_id(owner)
        except OSError:
            continue
        if lock is None:  # a live kernel's (or model process's) id
            continue
        try:
            shutil.rmtree(private, ignore_errors=True)
            removed.append(private)
        finally:
            os.close(lock)
    return removed


def confined_command(
    uid: int,
    gid: int,
    cgroup_procs: list[Path],
    *,
    scratch_bytes: int,
    address_space: int,
    processes: int,
    cpu_seconds: int,
    cpu_grace: int = 0,
    file_size: int,
    isolate_network: bool,
    skip_sockets_under: tuple[str, ...] = (),
) -> list[str]:
    """The command prefix that runs a program as ``uid`` in its own namespaces, cgroup and limits.

    As root inside the new namespaces: private scratch file systems, /run hidden (its sockets,
    such as a local PostgreSQL's, and the world-writable /run/lock), the machine's other Unix
    sockets covered (autograder/host_sockets.py), join the cgroup, files private to the uid by
    default, then drop to the limits and the user id. The shell stays the namespace's first
    process: when it ends, Linux kills every process left in the namespace, so nothing forked
    there outlives or outruns it. ``cpu_grace``: seconds between the CPU limit's SIGXCPU and SIGKILL,
    so a process's death tells which it was.
    """
    script = "set -e\n" + "".join(
        f"mount -t tmpfs -o size={scratch_bytes},mode=1777,nosuid,nodev tmpfs {d}\n" for d in PRIVATE_SCRATCH
    )
    script += "mount -t tmpfs -o size=1M,mode=0755,nosuid,nodev,noexec tmpfs /run\n"
    script += cover_script(host_sockets(also_skip=skip_sockets_under))
    script += "".join(f"echo $$ > {shlex.quote(str(procs))}\n" for procs in cgroup_procs)
    # ipykernel exits when its parent's pid becomes 1, which in the namespace is the shell from the
    # start; 1 tells it there is no parent to watch (--kill-child ends the program with unshare).
    script += 'umask 077\nexport JPY_PARENT_PID=1\n"$@"'
    # setpriv --pdeathsig: unshare, and with it the namespace, is killed when the grader process that
    # started it dies (Ctrl-C, a crash, the OOM killer), so nothing confined outlives the run.
    wrapper = ["setpriv", "--pdeathsig", "KILL", "--"]
    wrapper += ["unshare", "--mount", "--ipc", "--pid", "--fork", "--kill-child", "--mount-proc"]
    wrapper += [*(["--net"] if isolate_network else []), "--", "sh", "-c", script, "sandbox"]
    wrapper += [
        "prlimit",
        f"--as={address_space}",
        f"--nproc={processes}",
        f"--cpu={cpu_seconds}:{cpu_seconds + cpu_grace}" if cpu_grace else f"--cpu={cpu_seconds}",
        f"--fsize={file_size}",
        "--",
    ]
    wrapper += ["setpriv", "--no-new-privs", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--"]
    return wrapper


class StartOutput:
    """What a sandboxed kernel's process chain writes to stderr until the kernel is ready: the wrapper's
    own errors (unshare, mount, prlimit) and Python's, the only clue when a kernel dies before it answers.
    A thread drains the pipe so the kernel never blocks on it; only the last ``limit`` bytes are kept,
    and nothing after ``stop_keeping()`` (from then on it is the student's own output)."""

    def __init__(self, stream, limit: int = 2000) -> None:
        self._tail = bytearray()
        self._limit = limit
        self._keeping = True
        threading.Thread(target=self._drain, args=(stream,), daemon=True).start()

    def _drain(self, stream) -> None:
        with contextlib.suppress(OSError, ValueError):
            while chunk := stream.read1(65536):
                if self._keeping:
                    self._tail = (self._tail + chunk)[-self._limit :]

    def stop_keeping(self) -> None:
        self._keeping = False
        self._tail = bytearray()

    def text(self, seconds: float = 1.0) -> str:
        """The kept output, after giving a dying process ``seconds`` to finish writing."""
        time.sleep(seconds)
        return bytes(self._tail).decode("utf-8", errors="replace").strip()


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run sandboxed (see the module docstring)."""

    sandbox = Enum(
        ["required", "off"],
        "required",
        help="required: grading stops when the kernel cannot be sandboxed (not root, no namespaces or "
        "cgroups); off: never sandbox (only for submissions you trust).",
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
    memory_limit = Unicode(
        "4G",
        help="Memory cap: for all the kernel's processes together (cgroup) and for each one's address "
        "space (prlimit --as).",
    ).tag(config=True)
    address_space_limit = Unicode(
        "",
        help="Address-space cap of each of the kernel's processes (prlimit --as), so one huge allocation "
        "fails with MemoryError instead of the kernel being killed; empty: memory_limit.",
    ).tag(config=True)
    process_limit = Int(
        4096, help="Process and thread cap for the kernel (cgroup pids.max and prlimit --nproc)."
    ).tag(config=True)
    cpu_limit = Int(3600, help="CPU seconds each kernel process may use (prlimit --cpu).").tag(config=True)
    file_size_limit = Unicode("1G", help="Largest file a kernel process may write (prlimit --fsize).").tag(
        config=True
    )
    tmp_size = Unicode("1G", help="Size of the kernel's private /tmp, /var/tmp and /dev/shm (tmpfs).").tag(
        config=True
    )
    kernel_root = Unicode(
        "/var/lib/autograder/kernels",
        help="Where kernels' private directories are made (root-owned, so a kernel cannot write beside "
        "its own).",
    ).tag(config=True)
    data_dir = Unicode(help="Read-only data caches (KERAS_HOME, scipy-data) offered to the kernel.").tag(
        config=True
    )
    preload = List(
        Unicode(),
        help="Modules the kernel imports as it starts, before any student cell (an assignment's "
        "grading.toml names what its notebook imports, e.g. tensorflow): a kernel started ahead, "
        "while the previous notebook is checked, then has them ready.",
    ).tag(config=True)

    @validate("preload")
    def _module_names(self, proposal: dict) -> list[str]:
        for name in proposal["value"]:
            if not is_module_name(name):  # it is written into a line of Python the kernel runs
                raise ValueError(f"preload: {name!r} is not a module name")
        return proposal["value"]

    # Started ahead for a notebook not yet known: it gets only CPU no other kernel or grader wants until
    # a notebook takes it (``take``), so starting it never slows the notebooks being graded.
    started_ahead = False
    _private_dir: Path | None = None
    _claimed: tuple[int, int, int] | None = None  # (uid, gid, lock file descriptor)
    _cgroup: KernelCgroup | None = None
    start_output: StartOutput | None = None  # stderr until the kernel is ready (sandboxed only)

    @default("data_dir")
    def _data_dir_default(self) -> str:
        return str(datasets.cache_root())

    @property
    def sandboxed(self) -> bool:
        return self.sandbox == "required"

    @property
    def cgroup(self) -> KernelCgroup:
        if self._cgroup is None:
            self._cgroup = KernelCgroup(f"kernel-{self.uid}")
        return self._cgroup

    def out_of_memory_kills(self) -> int:
        """Processes of this kernel killed for using up its memory, since it (re)started."""
        return self.cgroup.out_of_memory_kills() if self.sandboxed else 0

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
            self._claimed = claim_pool_id(self.kernel_uid, self.kernel_gid, self.uid_pool_size)
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
        base = Path(self.kernel_root if self.sandboxed else tempfile.gettempdir())
        base.mkdir(mode=0o711, parents=True, exist_ok=True)
        if self.sandboxed:  # root's, so a kernel cannot put anything beside its own directory
            os.chown(base, 0, 0)
            base.chmod(0o711)
        # The private directory stays root's (0711): the kernel may use work/, tmp/, ipc/ and keras/
        # in it, but cannot replace them or the connection file, which the grader acts on as root.
        self._private_dir = Path(tempfile.mkdtemp(prefix="kernel-", dir=base))
        self._private_dir.chmod(0o711)
        for sub in ("work", "tmp", "ipc"):
            (self._private_dir / sub).mkdir()
        keras_home = self._link_keras_datasets()
        if self.sandboxed:  # the kernel's alone: a classmate's kernel graded at once cannot look in
            for sub in ("work", "tmp", "ipc"):
                os.chown(self._private_dir / sub, self.uid, self.gid)
                (self._private_dir / sub).chmod(0o700)
            for path in [keras_home, *keras_home.rglob("*")]:
                os.chown(path, self.uid, self.gid, follow_symlinks=False)
            keras_home.chmod(0o700)
        self.transport = "ipc"
        self.ip = str(self._private_dir / "ipc" / "kernel")
        self.connection_file = str(self._private_dir / "connection.json")

    def _link_keras_datasets(self) -> Path:
        """A Keras home of the kernel's own, with links to the data cache's data sets.

        Keras only looks in ``$KERAS_HOME`` when it may write there (otherwise it falls back
        to ``/tmp/.keras``, empty in the sandbox and downloading), so the shared read-only
        cache cannot be ``KERAS_HOME`` itself.
        """
        assert self._private_dir is not None
        home = self._private_dir / "keras"
        shared = Path(self.data_dir) / "keras"
        (home / "datasets").mkdir(parents=True)
        for source in sorted(shared.glob("datasets/*/*")):
            target = home / source.relative_to(shared)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(source.resolve())
        return home

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
            "KERAS_HOME": str(self._private_dir / "keras"),
            "XDG_CACHE_HOME": str(data),
            "PYTHONHASHSEED": "0",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "NBGRADER_EXECUTION": "autograde",
        }

    def _wrapper(self, cgroup_procs: list[Path]) -> list[str]:
        """The command prefix that sandboxes the kernel; ``cgroup_procs``: the files it joins."""
        if not self.sandboxed:
            return []
        return confined_command(
            self.uid,
            self.gid,
            cgroup_procs,
            scratch_bytes=parse_bytes(self.tmp_size),
            address_space=parse_bytes(self.address_space_limit or self.memory_limit),
            processes=self.process_limit,
            cpu_seconds=self.cpu_limit,
            file_size=parse_bytes(self.file_size_limit),
            isolate_network=self.isolate_network,
            skip_sockets_under=(str(self.kernel_root),),
        )

    def _remove_stale_dirs_once(self) -> None:
        """Once per grader process, before it claims an id (an id it held would keep that id's stale
        directories), remove what kernels of killed graders left in ``kernel_root``."""
        swept = (str(Path(self.kernel_root).resolve()), self.kernel_uid, self.uid_pool_size)
        if swept in _SWEPT or self._claimed is not None:
            return
        _SWEPT.add(swept)
        stale = remove_stale_kernel_dirs(Path(self.kernel_root), self.kernel_uid, self.uid_pool_size)
        if stale:
            self.log.info("Removed %d directories left by kernels of killed graders", len(stale))

    async def _async_pre_start_kernel(self, **kw):  # type: ignore[override]
        cgroup_procs = []
        if self.sandboxed:
            self._remove_stale_dirs_once()
            kill_processes_of(self.uid)
            cgroup_procs = self.cgroup.create(parse_bytes(self.memory_limit), self.process_limit)
            if self.started_ahead:
                self.cgroup.set_cpu_idle(True)
        self._prepare_private_dir()
        kw["cwd"] = str(self.work_dir)
        kw["env"] = self._kernel_env()
        if self.sandboxed:  # the kernel's own output must not reach the TA's terminal or logs: stderr is
            kw["stdout"] = subprocess.DEVNULL  # kept only until the kernel is ready (StartOutput)
            kw["stderr"] = subprocess.PIPE
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        if self.sandboxed:  # root's file in root's directory; the kernel's group may only read it
            os.chown(self.connection_file, 0, self.gid, follow_symlinks=False)
            os.chmod(self.connection_file, 0o640, follow_symlinks=False)
        else:
            self.log.warning(
                "Grading without a sandbox (not root, or sandbox=off): the student's kernel runs as %s "
                "and could read anything this user can, including solutions/.",
                os.environ.get("USER", "this user"),
            )
        startup = [PROBE_STARTUP] + ([PRELOAD_STARTUP.format(self.preload)] if self.preload else [])
        kernel_cmd = self._wrapper(cgroup_procs) + kernel_cmd + [f"--IPKernelApp.exec_lines={startup!r}"]
        return kernel_cmd, kw

    async def _async_post_start_kernel(self, **kw) -> None:  # type: ignore[override]
        process = self.provisioner.process if self.provisioner else None
        if self.sandboxed and process is not None and process.stderr is not None:
            self.start_output = StartOutput(process.stderr)
        await super()._async_post_start_kernel(**kw)

    def take(self) -> None:
        """A notebook takes this kernel started ahead: from now on it weighs as much as any kernel."""
        self.started_ahead = False
        if self.sandboxed:
            self.cgroup.set_cpu_idle(False)

    def start_problem(self, seconds: float = 1.0) -> str:
        """Why the kernel may have failed to start, in its own (or its wrapper's) words; "" if silent."""
        return self.start_output.text(seconds) if self.start_output is not None else ""

    def started(self) -> None:
        """The kernel answered: what it writes from now on is the student's, and is not kept."""
        if self.start_output is not None:
            self.start_output.stop_keeping()

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        """Kill what the kernel left, and (unless restarting) remove its directory, cgroup and id.

        Idempotent: nbclient calls it directly when the kernel is already dead, and
        ``shutdown_kernel`` calls it again otherwise.
        """
        await super()._async_cleanup_resources(restart=restart)
        if self.sandboxed and self._claimed is not None:  # processes left by the student outlive the kernel
            self.cgroup.kill()
            kill_processes_of(self.uid)
        if not restart:
            if self._private_dir is not None:
                shutil.rmtree(self._private_dir, ignore_errors=True)
                self._private_dir = None
            if self.sandboxed and self._claimed is not None:
                self.cgroup.remove()
                self._cgroup = None
                left = outlived(self.uid)
                if left:
                    self.log.error(
                        "Kernel id %s still has processes %s after clean-up: it is taken out of the pool "
                        "until this grader stops.",
                        self.uid,
                        left[:10],
                    )
                    _QUARANTINED.append(self._claimed[2])
                    self._claimed = None
            self._release()

    # jupyter_client binds cleanup_resources to its own method, skipping the override above.
    cleanup_resources = _async_cleanup_resources

    def preflight(self) -> str | None:
        """Why a sandboxed kernel could not start here, or None when it can.

        Run before a batch's first kernel: a machine that cannot sandbox must stop the
        batch with this reason, not grade every student 0 (or grade them unsandboxed).
        """
        if not self.sandboxed:
            return None
        off = "set SandboxedKernelManager.sandbox = 'off' (e.g. --SandboxedKernelManager.sandbox=off) "
        off += "to grade without isolation, only for submissions you trust."
        if not running_as_root():
            return f"the student's kernel can only be sandboxed when grading runs as root; grade as root, or {off}"
        try:
            procs = self.cgroup.create(parse_bytes(self.memory_limit), self.process_limit)
        except OSError as error:
            return f"cannot make a cgroup for the kernel's memory and process caps ({error}); {off}"
        try:
            command = self._wrapper(procs) + [sys.executable, "-c", "import autograder.probe, ipykernel"]
            result = subprocess.run(
                command, capture_output=True, text=True, check=False, cwd="/", env={"PATH": "/usr/bin:/bin"}
            )
        finally:
            self.cgroup.remove()
        if result.returncode == 0:
            return None
        return (
            f"the sandboxed kernel (uid {self.uid}) cannot start Python from {sys.executable}: "
            f"{result.stderr.strip()[-500:]}\nIt needs Linux namespaces (unshare --mount --net) and every "
            f"directory above the course and its .venv traversable by other users (chmod o+x). Or {off}"
        )


def course_location_problem(course_root: str | os.PathLike) -> str | None:
    """Why a sandboxed kernel could not see the course directory, or None.

    A kernel's /tmp, /var/tmp and /dev/shm are empty ones of its own, so a course under them is
    invisible to it: the data caches linked from the course vanish and every training cell fails on
    a download. Grading from there must stop before anything is written, saying why.
    """
    real = Path(course_root).resolve()
    for scratch in PRIVATE_SCRATCH:
        base = Path(scratch).resolve()
        if real == base or base in real.parents:
            return (
                f"the course directory {real} is under {scratch}, which every sandboxed student kernel "
                f"replaces with an empty {scratch} of its own: the kernels would not see the course's data "
                "caches, and every cell that loads Fashion-MNIST or ascent would fail on a download. Move "
                "the course directory elsewhere (for example /srv/course or a home directory) and grade there."
            )
    return None


def sandbox_problem(config: Config | None = None, course_root: str | os.PathLike | None = None) -> str | None:
    """Why student kernels cannot be sandboxed with this configuration (see ``preflight``) or cannot
    see ``course_root`` (see ``course_location_problem``), or None."""
    manager = SandboxedKernelManager(config=config) if config is not None else SandboxedKernelManager()
    try:
        if manager.sandboxed and course_root is not None:
            problem = course_location_problem(course_root)
            if problem:
                return problem
        return manager.preflight()
    finally:
        manager._release()
