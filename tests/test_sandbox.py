"""The student's kernel as the judge starts it: its own uid, no network, no secrets, a probe."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from autograder import host_sockets, sandbox
from autograder.codec import Handle
from autograder.sandbox import SandboxedKernelManager, parse_bytes, protect_course
from autograder.student import KernelGone, Missing, Raised, StudentKernel, TimedOut

PROBE_CODE = """
import os, socket
def whoami():
    return os.getuid()
def connect(host, port):
    try:
        socket.create_connection((host, port), timeout=2).close()
        return "connected"
    except OSError as error:
        return type(error).__name__
def read(path):
    try:
        return open(path).read()
    except OSError as error:
        return type(error).__name__
def write(path, text):
    try:
        open(path, "w").write(text)
        return "written"
    except OSError as error:
        return type(error).__name__
def limits():
    import resource
    names = ("RLIMIT_AS", "RLIMIT_NPROC", "RLIMIT_CPU", "RLIMIT_FSIZE")
    return {name: resource.getrlimit(getattr(resource, name))[1] for name in names}
def double(x):
    return x * 2
def fails(x):
    raise ValueError("bad input")
def detach():
    import subprocess
    return subprocess.Popen(["sleep", "600"], start_new_session=True).pid
def slow(x):
    while True:
        pass
class Counter:
    def __init__(self, start=0):
        self.value = start
    def add(self, n):
        self.value += n
        return self.value
class Hangs:
    def on_epoch_end(self, epoch, logs=None):
        while True:
            pass
def type_of(obj):
    return type(obj).__name__
def chatty(x):
    print("步骤 step", x)
    return x
import logging
_log = logging.getLogger("student")
_log.addHandler(logging.StreamHandler())  # bound to the sys.stderr of the cell that made it
_log.setLevel(logging.INFO)
def logs(x):
    _log.info("停止 stopping %s", x)
    return x
def default_sigpipe():
    import signal
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # a command-line idiom: a write to a closed pipe kills
def spins(x):
    while True:
        pass
def cut_the_grader_off():
    import gc
    unix = [s for s in gc.get_objects() if isinstance(s, socket.socket) and s.family == socket.AF_UNIX]
    for channel in unix:
        channel.close()
    return len(unix)
import tensorflow as tf  # imported up front: a cold import can outlast the fixture's 3 s call limit
def tf_mean_square(x):
    return tf.reduce_mean(tf.square(tf.convert_to_tensor(x)))
def np_mean_square(x):
    import numpy as np
    return np.mean(np.square(np.asarray(x)))
"""


@pytest.fixture(scope="module")
def kernel(outside_tmp):
    """A sandboxed kernel with PROBE_CODE run in it, and a secret only root may read."""
    assert os.geteuid() == 0, "sandbox tests need root"
    secret_dir = outside_tmp / "course"
    secret_dir.mkdir()
    (secret_dir / "solutions").mkdir()
    (secret_dir / "solutions" / "reference.py").write_text("ANSWER = 42\n")
    secret_dir.chmod(0o755)
    protect_course(secret_dir)
    loop = asyncio.new_event_loop()
    manager = SandboxedKernelManager(kernel_name="python3")
    assert manager.preflight() is None
    loop.run_until_complete(manager.start_kernel())
    client = manager.blocking_client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    reply = client.execute_interactive(PROBE_CODE, timeout=120)
    assert reply["content"]["status"] == "ok"
    student = StudentKernel(manager.connection_file, manager.provisioner.process.pid, call_timeout=3)
    yield student, secret_dir, manager
    student.close()
    client.stop_channels()
    loop.run_until_complete(manager.shutdown_kernel(now=True))
    loop.close()


def test_kernel_runs_as_its_own_unprivileged_user(kernel):
    student, _, manager = kernel
    assert student.call("whoami").value == manager.uid != 0


def test_kernel_has_no_network_not_even_loopback(kernel):
    student, _, _ = kernel
    assert student.call("connect", "127.0.0.1", 22).value != "connected"


def test_kernel_cannot_read_protected_course_files(kernel):
    student, course, _ = kernel
    assert student.call("read", str(course / "solutions" / "reference.py")).value == "PermissionError"


def test_kernel_has_scratch_directories_of_its_own(kernel, tmp_path):
    student, _, _ = kernel
    (tmp_path / "grader-file").write_text("mine")
    assert student.call("read", str(tmp_path / "grader-file")).value == "FileNotFoundError"
    for scratch in ("/tmp", "/var/tmp", "/dev/shm"):
        name = f"{scratch}/left-by-kernel-{os.getpid()}"
        assert student.call("write", name, "x").value == "written"
        assert not Path(name).exists(), f"{scratch} of the kernel is the machine's"


def test_kernel_and_its_children_share_one_memory_and_process_budget(kernel):
    _, _, manager = kernel
    launched = manager.provisioner.process.pid  # unshare; its child is the namespace's first process
    first = int(Path(f"/proc/{launched}/task/{launched}/children").read_text().split()[0])
    assert first in manager.cgroup.pids()
    memory = manager.cgroup.dirs["memory"]
    limit_file = "memory.max" if manager.cgroup.version == 2 else "memory.limit_in_bytes"
    assert int((memory / limit_file).read_text()) == parse_bytes(manager.memory_limit)
    assert int((manager.cgroup.dirs["pids"] / "pids.max").read_text()) == manager.process_limit
    # a CPU group per kernel (equal shares however many threads each runs), in a parent group that
    # weighs as much as two of the grader's busy processes
    cpu = manager.cgroup.dirs["cpu"]
    weight_file, weight = ("cpu.weight", "200") if manager.cgroup.version == 2 else ("cpu.shares", "2048")
    assert (cpu.parent / weight_file).read_text().strip() == weight
    assert first in {int(pid) for pid in (cpu / "cgroup.procs").read_text().split()}


def test_each_kernel_process_has_its_own_caps(kernel):
    student, _, manager = kernel
    assert student.call("limits").value == {
        "RLIMIT_AS": parse_bytes(manager.memory_limit),
        "RLIMIT_NPROC": manager.process_limit,
        "RLIMIT_CPU": manager.cpu_limit,
        "RLIMIT_FSIZE": parse_bytes(manager.file_size_limit),
    }


def test_kernel_works_in_a_private_directory_it_cannot_rearrange(kernel):
    """The kernel owns work/, not the directory around it: it cannot swap work/ for a link, or replace
    the connection file the grader reads as root."""
    student, _, manager = kernel
    private = manager.work_dir.parent
    assert manager.work_dir.stat().st_uid == manager.uid
    assert (private.stat().st_uid, oct(private.stat().st_mode & 0o777)) == (0, "0o711")
    connection = Path(manager.connection_file)
    assert (connection.stat().st_uid, oct(connection.stat().st_mode & 0o777)) == (0, "0o640")
    assert student.call("write", str(connection), "{}").value == "PermissionError"
    assert student.call("write", str(private / "work-replacement"), "x").value == "PermissionError"


def test_calls_pass_arrays_and_report_what_went_wrong(kernel):
    student, _, _ = kernel
    np.testing.assert_array_equal(student.call("double", np.arange(3.0)).value, [0.0, 2.0, 4.0])
    with pytest.raises(Missing):
        student.call("no_such_function", 1)
    with pytest.raises(Raised, match="ValueError: bad input"):
        student.call("fails", 1)
    with pytest.raises(TimedOut):
        student.call("slow", 1)
    with pytest.raises(TimedOut):  # not waited for a second time
        student.call("slow", 1)
    assert student.call("double", 2).value == 4  # the interrupt left the kernel usable


def test_calls_travel_in_a_session_and_keep_what_they_print(kernel):
    """One Jupyter message opens a session; every call after it is a framed request on a Unix socket
    (about 0.3 ms instead of 2.7 ms), and what a call prints still comes back with it."""
    student, _, _ = kernel
    assert student.call("chatty", 3).stdout == "步骤 step 3\n"
    assert student.session is not None
    assert not list(student.session_folder.glob("probe-*.sock"))  # gone once the kernel connected


def test_a_kernel_that_cuts_its_session_is_still_graded_by_jupyter_messages(kernel):
    student, _, _ = kernel
    try:
        assert student.call("double", 1).value == 2 and student.session is not None
        student.call("cut_the_grader_off")  # its session broke: the call is made again by message
        assert student.session is None and not student.sessions
        assert student.call("chatty", 5).stdout == "步骤 step 5\n"
    finally:
        student.sessions = True
    assert student.call("double", 2).value == 4 and student.session is not None  # a new session


def test_output_written_around_sys_stdout_comes_back_when_a_check_asks_for_it(kernel):
    """A session captures sys.stdout and sys.stderr only; a check that reads what a call prints asks
    by message, which brings back a logging handler's output too, and the next call opens a session."""
    student, _, _ = kernel
    assert student.call("logs", 1).stdout == ""
    assert student.call("logs", 2, printed=True).stdout == "停止 stopping 2\n"
    assert student.call("double", 2).value == 4 and student.session is not None


def test_a_kernel_that_restored_sigpipe_survives_a_call_that_timed_out(kernel):
    """The interrupted call's reply goes to a session the grader closed: no SIGPIPE may kill the kernel."""
    student, _, _ = kernel
    student.call("default_sigpipe")
    with pytest.raises(TimedOut):
        student.call("spins", 1)
    assert student.call("double", 3).value == 6 and student.gone_reason is None


def test_within_one_check_a_method_that_hung_is_not_waited_for_on_a_new_object(kernel):
    """A check that makes a fresh callback per hypothesis example waits for a hanging method once,
    not once per example; the next check, which may call it differently, waits again."""
    student, _, _ = kernel
    student.check = "test_callbacks.py::test_stops_above_threshold"
    try:
        with pytest.raises(TimedOut, match="no answer within"):
            student.call(student.call("Hangs", keep=True).value, 0, method="on_epoch_end")
        second = student.call("Hangs", keep=True).value
        with pytest.raises(TimedOut, match="an earlier call ran past"):
            student.call(second, 0, method="on_epoch_end")
        student.check = "test_callbacks.py::test_keeps_training_below_threshold"
        with pytest.raises(TimedOut, match="no answer within"):
            student.call(second, 0, method="on_epoch_end")
    finally:
        student.check = ""
    assert student.call("double", 2).value == 4  # the interrupts left the kernel usable


def test_objects_stay_in_the_kernel_and_are_used_through_handles(kernel):
    student, _, _ = kernel
    counter = student.call("Counter", 5, keep=True).value
    assert isinstance(counter, Handle) and counter.type_name.endswith("Counter")
    assert student.call(counter, 2, method="add").value == 7
    assert student.get(counter, "value") == 7
    assert student.call("type_of", counter).value == "Counter"  # a handle as an argument is the object
    assert isinstance(student.get(counter, "add", keep=True), Handle)
    with pytest.raises(Missing):
        student.call(Handle(10_000, "Counter", ""), 1, method="add")
    with pytest.raises(Missing):
        student.call("type_of", Handle(10_001, "Counter", ""))
    assert student.call(counter, 1, method="add").value == 8  # the kernel is still answering
    with pytest.raises(Raised, match="AttributeError"):
        student.get(counter, "no_such_attribute")
    with pytest.raises(Raised, match="AttributeError"):
        student.call(counter, method="no_such_method")
    assert student.call(counter, 0, method="add").value == 8  # still answering after both


def test_gradients_are_taken_in_the_kernel_and_none_through_numpy(kernel):
    student, _, _ = kernel
    x = np.array([1.0, 2.0, 3.0])
    value, gradient = student.gradient("tf_mean_square", x, wrt=0)
    np.testing.assert_allclose(value.value, 14 / 3)
    np.testing.assert_allclose(gradient.value, 2 * x / 3)
    value, gradient = student.gradient("np_mean_square", x, wrt=0)
    assert gradient is None and float(value) == pytest.approx(14 / 3)


def test_a_dead_kernel_is_reported_not_waited_for():
    dead = StudentKernel.__new__(StudentKernel)
    dead.gone_reason, dead.timed_out, dead.kernel_pid = None, set(), 2**22 + 12345
    with pytest.raises(KernelGone):
        dead.call("anything")


def test_kernels_alive_at_once_never_share_a_user_id(kernel):
    _, _, running = kernel
    other = SandboxedKernelManager(kernel_name="python3")
    other_uid = other.uid
    other._release()
    assert other_uid != running.uid and other_uid >= other.kernel_uid
    again = SandboxedKernelManager(kernel_name="python3")
    assert again.uid == other_uid  # a released id is free again
    again._release()


def test_a_kernel_that_dies_while_starting_says_why():
    """Its wrapper's or Python's own words reach the reason (not /dev/null): here no thread can start."""

    async def start() -> str:
        manager = SandboxedKernelManager(kernel_name="python3", process_limit=1)
        with contextlib.suppress(Exception):
            await manager.start_kernel()
        problem = manager.start_problem(seconds=3.0)
        await manager.shutdown_kernel(now=True)
        return problem

    assert "fork" in asyncio.run(start()).lower()


def test_what_a_kernel_writes_once_it_answers_is_not_kept():
    read, write = os.pipe()
    output = sandbox.StartOutput(os.fdopen(read, "rb"))
    os.write(write, b"sandbox: mount failed\n")
    assert output.text(seconds=0.5) == "sandbox: mount failed"
    output.stop_keeping()
    os.write(write, b"the student's own stderr\n" * 1000)
    os.close(write)
    assert output.text(seconds=0.5) == ""


@pytest.mark.parametrize(
    "text, size", [("4G", 4 << 30), ("512M", 512 << 20), ("1073741824", 1 << 30), ("2GiB", 2 << 30)]
)
def test_memory_sizes_are_given_to_prlimit_in_bytes(text, size):
    assert parse_bytes(text) == size


def test_protect_course_leaves_only_public_parts_readable(tmp_path):
    for name in ("solutions", "source", "tests", "release", "autograder", ".venv"):
        (tmp_path / name).mkdir(mode=0o755)
    (tmp_path / "gradebook.db").write_text("")
    (tmp_path / "gradebook.db").chmod(0o644)
    protect_course(tmp_path)
    private = {p.name for p in tmp_path.iterdir() if not p.stat().st_mode & 0o077}
    assert private == {"solutions", "source", "tests", "gradebook.db"}


def test_processes_a_kernel_leaves_behind_are_killed_when_it_stops():
    loop = asyncio.new_event_loop()
    # An id range of its own: once released, a grader running beside the tests may claim an id of the pool.
    manager = SandboxedKernelManager(
        kernel_name="python3", kernel_uid=65100, kernel_gid=65100, uid_pool_size=1
    )
    loop.run_until_complete(manager.start_kernel())
    client = manager.blocking_client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    client.execute_interactive(PROBE_CODE, timeout=120)
    student = StudentKernel(manager.connection_file, manager.provisioner.process.pid)
    uid, before = manager.uid, len(sandbox.processes_of(manager.uid))
    student.call("detach")  # its pid is one in the kernel's PID namespace, not the host's: not used
    assert len(sandbox.processes_of(uid)) == before + 1
    student.close()
    client.stop_channels()
    loop.run_until_complete(manager.shutdown_kernel(now=True))
    loop.close()
    assert sandbox.processes_of(uid) == []


FORKED_HOGS = """
import os, time
children = []
for _ in range(3):
    pid = os.fork()
    if pid == 0:
        hog = b"x" * (450 * 2**20)  # within each process's own cap; together past the kernel's
        time.sleep(20)
        os._exit(0)
    children.append(pid)
time.sleep(8)
"""


def test_memory_is_capped_for_the_kernel_and_its_children_together():
    """Forking does not multiply the memory cap: the cgroup's OOM killer steps in."""
    loop = asyncio.new_event_loop()
    manager = SandboxedKernelManager(kernel_name="python3", memory_limit="1G", address_space_limit="4G")
    loop.run_until_complete(manager.start_kernel())
    client = manager.blocking_client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        assert manager.out_of_memory_kills() == 0
        client.execute_interactive(FORKED_HOGS, timeout=60)
        assert manager.out_of_memory_kills() >= 1
    finally:
        client.stop_channels()
        loop.run_until_complete(manager.shutdown_kernel(now=True))
        loop.close()


def test_a_kernel_that_died_is_still_cleaned_up():
    """nbclient only calls cleanup_resources for a dead kernel: the id, cgroup and directory must go."""
    loop = asyncio.new_event_loop()
    manager = SandboxedKernelManager(kernel_name="python3")
    loop.run_until_complete(manager.start_kernel())
    uid, private, cgroup = manager.uid, manager.work_dir.parent, manager.cgroup
    os.kill(manager.provisioner.process.pid, 9)
    manager.provisioner.process.wait()
    loop.run_until_complete(manager.cleanup_resources())
    loop.run_until_complete(manager.cleanup_resources())  # idempotent
    loop.close()
    assert not private.exists()
    assert not any(directory.exists() for directory in cgroup.dirs.values())
    again = SandboxedKernelManager(kernel_name="python3")
    assert again.uid == uid  # the id was released
    again._release()


NEIGHBOUR_CODE = """
import ctypes, os, socket
libc = ctypes.CDLL(None, use_errno=True)
def processes():
    return sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
def command_lines():
    found = []
    for pid in processes():
        try:
            found.append(open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\\0", b" ").decode())
        except OSError:
            pass
    return found
def shared_memory(key, create):
    flags = 0o1000 | 0o666 if create else 0  # IPC_CREAT
    return libc.shmget(key, 4096 if create else 0, flags)
def connect_unix(path):
    try:
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(path)
        return "connected"
    except OSError as error:
        return type(error).__name__
def listen_unix(path):
    global server
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    server.listen()
    return oct(os.stat(path).st_mode & 0o777)
def write(path, text):
    try:
        with open(path, "w") as f:
            f.write(text)
        return oct(os.stat(path).st_mode & 0o777)
    except OSError as error:
        return type(error).__name__
def exists(path):
    return os.path.exists(path)
def reachable_sockets(own):  # every socket it sees outside its own directory that accepts a connection
    import subprocess
    found = subprocess.run(["find", "/", "(", "-path", "/proc", "-o", "-path", "/sys", ")", "-prune",
                            "-o", "-type", "s", "-print0"], capture_output=True).stdout.split(bytes(1))
    paths = [p.decode() for p in found if p and not p.decode().startswith(own)]
    return [p for p in paths if connect_unix(p) == "connected"]
def no_new_privs():
    return next(line.split()[1] for line in open("/proc/self/status") if line.startswith("NoNewPrivs"))
"""


# Ids of the pool's default range are claimed by the grading batches running beside these tests:
# this test takes ids of its own so that the later kernel is sure to get the earlier one's id.
TEST_UIDS = {"kernel_uid": 64500, "kernel_gid": 64500, "uid_pool_size": 2}


def start_kernel(code: str, **ids: int) -> tuple:
    """(manager, student, loop, client) of a sandboxed kernel that has run ``code``."""
    loop = asyncio.new_event_loop()
    manager = SandboxedKernelManager(kernel_name="python3", **ids)
    loop.run_until_complete(manager.start_kernel())
    client = manager.blocking_client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    assert client.execute_interactive(code, timeout=60)["content"]["status"] == "ok"
    return manager, StudentKernel(manager.connection_file, manager.provisioner.process.pid), loop, client


def stop_kernel(manager, student, loop, client) -> None:
    student.close()
    client.stop_channels()
    loop.run_until_complete(manager.shutdown_kernel(now=True))
    loop.close()


def world_writable_directories() -> list[str]:
    """Found, not guessed: every directory anyone may write in, on the machine's own file system."""
    found = subprocess.run(
        ["find", "/", "-xdev", "-perm", "-0002", "-type", "d"], capture_output=True, text=True, check=False
    )
    return sorted(found.stdout.split())


def listening_socket(path: Path) -> socket.socket:
    """A Unix socket anyone may connect to, as a local PostgreSQL's is."""
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(path))
    path.chmod(0o777)
    listener.listen()
    return listener


def test_kernels_graded_at_once_cannot_see_each_other_and_leave_nothing_behind(monkeypatch, outside_tmp):
    """Two classmates' kernels alive together: neither sees the other's processes, files, shared
    memory or sockets, nor a socket of the machine's (in /run, or anywhere else); a later kernel on
    the same uid finds nothing the earlier one wrote anywhere it could write."""
    host_socket = Path(f"/run/autograder-test-{os.getpid()}.sock")
    elsewhere = outside_tmp / f"sockets-{os.getpid()}"  # a service's socket outside /run and /tmp
    elsewhere.mkdir(mode=0o755)
    elsewhere.chmod(0o755)
    listeners = [listening_socket(host_socket), listening_socket(elsewhere / "service.sock")]
    monkeypatch.setattr(host_sockets, "RESCAN_AFTER", 0.0)  # the kernels scan after the sockets exist
    first = start_kernel(NEIGHBOUR_CODE, **TEST_UIDS)
    second = start_kernel(NEIGHBOUR_CODE, **TEST_UIDS)
    try:
        (a_manager, a, *_), (b_manager, b, *_) = first, second
        for me, other in ((a, b_manager), (b, a_manager)):
            assert len(me.call("processes").value) < 10, "a kernel sees only its own processes"
            assert not any(str(other.work_dir.parent) in line for line in me.call("command_lines").value)
        assert a.call("write", str(a_manager.work_dir / "model.keras"), "weights").value == "0o600"
        assert b.call("exists", str(a_manager.work_dir / "model.keras")).value is False
        assert oct(a_manager.work_dir.stat().st_mode & 0o777) == "0o700"
        assert a.call("listen_unix", str(a_manager.work_dir / "a.sock")).value == "0o700"
        assert b.call("connect_unix", str(a_manager.work_dir / "a.sock")).value != "connected"
        assert a.call("connect_unix", str(host_socket)).value != "connected"
        assert a.call("connect_unix", str(elsewhere / "service.sock")).value != "connected"
        reachable = a.call("reachable_sockets", str(a_manager.work_dir.parent)).value
        assert reachable == [], "a kernel can connect to a socket of the machine's"
        assert a.call("shared_memory", 0x5EED, True).value >= 0
        assert b.call("shared_memory", 0x5EED, False).value == -1, "System V memory crosses kernels"
        assert a.call("no_new_privs").value == "1"
        planted = [f"{directory}/left-by-{a_manager.uid}" for directory in world_writable_directories()]
        planted += [str(a_manager.work_dir / "left"), "/run/lock/left", "/dev/shm/left"]
        for path in planted:
            a.call("write", path, "for whoever comes next")
        uid, gid = a_manager.uid, a_manager.gid
    finally:
        stop_kernel(*first)
        stop_kernel(*second)
        for listener in listeners:
            listener.close()
        host_socket.unlink()
        shutil.rmtree(elsewhere)
    later = start_kernel(NEIGHBOUR_CODE, kernel_uid=uid, kernel_gid=gid, uid_pool_size=1)
    try:
        assert not [path for path in planted if later[1].call("exists", path).value]
        assert not [path for path in planted if Path(path).exists()]
        assert later[1].call("shared_memory", 0x5EED, False).value == -1
    finally:
        stop_kernel(*later)


def test_an_id_whose_processes_outlive_the_clean_up_is_not_given_out_again(monkeypatch):
    """Were the id released, the next kernel on it would share it with what is left (and be killed
    with it, or have it killed): it stays out of the pool until this grader stops."""
    ids = {"kernel_uid": 64510, "kernel_gid": 64510, "uid_pool_size": 2}
    loop = asyncio.new_event_loop()
    stuck = SandboxedKernelManager(kernel_name="python3", **ids)
    loop.run_until_complete(stuck.start_kernel())
    uid = stuck.uid
    monkeypatch.setattr(sandbox, "outlived", lambda uid, patience=5.0: [4242])
    loop.run_until_complete(stuck.shutdown_kernel(now=True))
    monkeypatch.undo()
    loop.close()
    following = [SandboxedKernelManager(kernel_name="python3", **ids)]
    assert following[0].uid == uid + 1
    following.append(SandboxedKernelManager(kernel_name="python3", **ids))
    with pytest.raises(RuntimeError, match="are in use"):
        following[1].uid
    following[0]._release()


# A grader that starts a sandboxed kernel, lets the student's code write straight to file
# descriptors 1 and 2 (what a hostile student would aim at the TA's terminal), prints the kernel's
# uid, then waits to be killed.
ORPHANED_GRADER = """
import asyncio, sys, time
from autograder.sandbox import SandboxedKernelManager
loop = asyncio.new_event_loop()
manager = SandboxedKernelManager(kernel_name="python3", kernel_uid=65110, kernel_gid=65110, uid_pool_size=1)
loop.run_until_complete(manager.start_kernel())
client = manager.blocking_client()
client.start_channels()
client.wait_for_ready(timeout=60)
code = "import os\\nos.write(1, b'KERNEL-WROTE-1')\\nos.write(2, b'KERNEL-WROTE-2')"
reply = client.execute_interactive(code, timeout=60, output_hook=lambda message: None)  # not printed here
assert reply["content"]["status"] == "ok"
print(manager.uid, flush=True)
time.sleep(600)
"""


def test_no_kernel_outlives_the_grader_that_started_it_nor_writes_to_its_terminal():
    """A Ctrl-C, crash or OOM kill of the grader takes its kernels with it (a kernel left behind
    would keep the TA's terminal or a caller's pipe open, and hold a student's processes), and a
    student cannot write escape sequences or fake progress lines to the terminal the TA watches."""
    grader = subprocess.Popen(
        [sys.executable, "-c", ORPHANED_GRADER], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert grader.stdout is not None
    uid = int(grader.stdout.readline())
    assert sandbox.processes_of(uid), "the kernel should be running"
    grader.kill()
    out, err = grader.communicate(timeout=30)  # returns only once no process holds the pipes
    assert b"KERNEL-WROTE" not in out + err
    deadline = time.monotonic() + 10
    while sandbox.processes_of(uid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sandbox.processes_of(uid) == []


def test_directories_left_by_killed_graders_are_removed_and_live_kernels_kept(tmp_path):
    """A grader killed before its clean-up leaves its kernels' private directories; the next grader
    removes those whose id no live grader holds, and nothing else."""
    first = 64580  # a range of ids no other test uses
    root = tmp_path / "kernels"
    made = {}
    for name, owner in {"live": first, "stale": first + 1, "not-the-pool": 1000, "being-made": None}.items():
        private = root / f"kernel-{name}"
        (private / "work").mkdir(parents=True)
        if owner is not None:
            os.chown(private / "work", owner, owner)
        else:
            (private / "work").rmdir()
        made[name] = private
    uid, _, lock = sandbox.claim_pool_id(first, first, 4)  # a live kernel's id
    try:
        assert uid == first
        assert sandbox.remove_stale_kernel_dirs(root, first, 4) == [made["stale"]]
    finally:
        os.close(lock)
    assert sorted(p.name for p in root.iterdir()) == [
        "kernel-being-made",
        "kernel-live",
        "kernel-not-the-pool",
    ]
