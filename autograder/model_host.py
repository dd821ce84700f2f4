"""A student's saved model, loaded and run in a confined process of its own, never in the grader's.

Safe mode keeps student code out of a loaded model, not its cost: a model with no weights at
all passes any parameter budget and can still ask for tens of GB per ``predict`` (a chain of
``UpSampling2D``), or compute for hours. Run in the check process, it would take that process
(every later check of the notebook) or the machine down. So the models run in a process of
their own (:mod:`autograder.model_runner`, started with the course's Python): as root it runs
as a user id of the kernels' pool, with no
network, its own PID, IPC and mount namespaces, a cgroup capping its memory and processes,
``prlimit`` caps on address space and CPU time, and a wall-time limit on every request. When
it runs out of any of them it is killed, and only the check that asked fails, with the reason
(``CheckFailed``: ``model_out_of_memory``, ``model_time_limit``, ``model_cpu_limit``,
``model_process_died``). Arrays cross as ``.npy`` bytes read with ``allow_pickle=False``.

One process can hold several models (TensorFlow's import, seconds of CPU, is paid once): the
views that share it are given a way to get a host (``hosts``), and when another model's request
killed their process they load themselves again in a new one, so a model that broke its process
costs only the checks that use it.

The checks use a :class:`ModelView` where they used a ``keras.Model``: the facts they read
(layers, shapes, ``built``, ``count_params()``) come with the load, and ``predict``, calling the
model and a layer's activation are requests to the process.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

import autograder
from autograder.cgroups import KernelCgroup
from autograder.checks import CheckFailed
from autograder.model_runner import load_array, read_frame, write_frame
from autograder.sandbox import claim_pool_id, confined_command, kill_processes_of, outlived, running_as_root

MAX_REPLY_BYTES = 16 * 1024 * 1024  # an array a check asked for (10,000 x 10 probabilities: 400 kB)
OUT_OF_MEMORY_ERRORS = {"ResourceExhaustedError", "MemoryError"}
# The CPU limit's SIGXCPU (which ends the process) comes this long before its SIGKILL, so the two
# deaths can be told apart (a SIGKILL is the OOM killer's, or the wall-time limit's).
CPU_GRACE_SECONDS = 5


def gibibytes(size: int) -> str:
    return f"{size / (1 << 30):g} GiB"


@dataclass(frozen=True)
class ModelLimits:
    """What one model's process may use (the judge passes its configuration to the checks as JSON)."""

    memory_bytes: int = 2 << 30  # all its processes together (cgroup)
    address_space_bytes: int = 4 << 30  # each process (prlimit --as); TensorFlow alone needs about 3 GiB
    cpu_seconds: int = 600  # its whole life (prlimit --cpu)
    load_seconds: float = 300.0  # wall time of starting the process (its import), and of loading a model
    call_seconds: float = 300.0  # wall time of one request after that
    processes: int = 512  # processes and threads (TensorFlow starts a few dozen)
    # Confined (namespaces, cgroup, a pool user id) when the grader runs as root and sandboxes kernels.
    sandboxed: bool = field(default_factory=running_as_root)
    isolate_network: bool = True
    first_uid: int = 64000  # the kernels' pool (SandboxedKernelManager.kernel_uid ...)
    first_gid: int = 64000
    pool_size: int = 64
    # The kernels' private directories (SandboxedKernelManager.kernel_root): a student's kernel can make
    # sockets there, so the socket scan skips it for model processes as it does for kernels (and shares
    # their scan: one key for both).
    kernel_root: str = ""

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ModelLimits:
        return cls(**json.loads(text))


def _child_env(tmp: str) -> dict[str, str]:
    return {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": tmp,
        "TMPDIR": tmp,
        "KERAS_HOME": os.path.join(tmp, ".keras"),
        "PYTHONPATH": str(Path(autograder.__file__).resolve().parents[1]),  # this very autograder
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "CUDA_VISIBLE_DEVICES": "",
    }


class _Process:
    """The child process and what must be undone when it ends (kept apart from ModelHost, so a
    ``weakref.finalize`` can clean up without holding the host alive)."""

    def __init__(self, limits: ModelLimits, idle: bool = False) -> None:
        self.claimed: tuple[int, int, int] | None = None
        self.cgroup: KernelCgroup | None = None
        self.private_tmp: str | None = None
        self.popen: subprocess.Popen | None = None
        try:
            self.popen = self._start(limits, idle)
        except BaseException:
            self.cleanup()
            raise

    def _start(self, limits: ModelLimits, idle: bool) -> subprocess.Popen:
        command = [sys.executable, "-m", "autograder.model_runner"]
        if limits.sandboxed:
            self.claimed = claim_pool_id(limits.first_uid, limits.first_gid, limits.pool_size)
            uid, gid, _ = self.claimed
            kill_processes_of(uid)
            self.cgroup = KernelCgroup(f"model-{uid}")
            procs = self.cgroup.create(limits.memory_bytes, limits.processes)
            if idle:
                self.cgroup.set_cpu_idle(True)
            command = (
                confined_command(
                    uid,
                    gid,
                    procs,
                    scratch_bytes=512 << 20,  # the model file is written here: 200 MB at most
                    address_space=limits.address_space_bytes,
                    processes=limits.processes,
                    cpu_seconds=limits.cpu_seconds,
                    cpu_grace=CPU_GRACE_SECONDS,
                    file_size=256 << 20,
                    isolate_network=limits.isolate_network,
                    skip_sockets_under=(limits.kernel_root,) if limits.kernel_root else (),
                )
                + command
            )
            env = _child_env("/tmp")  # the namespace's own, empty /tmp
        else:
            self.private_tmp = tempfile.mkdtemp(prefix="autograder-model-")
            command = [
                "prlimit",
                f"--as={limits.address_space_bytes}",
                f"--cpu={limits.cpu_seconds}:{limits.cpu_seconds + CPU_GRACE_SECONDS}",
                "--",
                *command,
            ]
            env = _child_env(self.private_tmp)
        return subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd="/",
            env=env,
            start_new_session=True,
        )

    def kill(self) -> None:
        if self.popen is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.popen.pid, signal.SIGKILL)
        if self.cgroup is not None:
            self.cgroup.kill(patience=5.0)

    def out_of_memory_kills(self) -> int:
        return self.cgroup.out_of_memory_kills() if self.cgroup is not None else 0

    def cleanup(self) -> None:
        """Kill it and everything it started, and give back its user id, cgroup and scratch."""
        self.kill()
        if self.popen is not None:
            for stream in (self.popen.stdin, self.popen.stdout):
                with contextlib.suppress(OSError):
                    stream.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=10)
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None
        if self.claimed is not None:
            if not outlived(self.claimed[0]):  # an id whose processes outlived every kill stays locked
                os.close(self.claimed[2])
            self.claimed = None
        if self.private_tmp is not None:
            shutil.rmtree(self.private_tmp, ignore_errors=True)
            self.private_tmp = None


class ModelHost:
    """One confined process holding loaded models; every request has a wall-time limit."""

    def __init__(self, limits: ModelLimits | None = None, started_ahead: bool = False) -> None:
        """``started_ahead``: started before any check asked for it (``autograder.models``), on the
        smallest CPU weight until :meth:`take` (so it never slows what is being graded meanwhile)."""
        self.limits = limits or ModelLimits()
        self._process = _Process(self.limits, idle=started_ahead)
        self._finalizer = weakref.finalize(self, self._process.cleanup)
        self.failure: CheckFailed | None = None  # once the process is gone, every request fails so
        self.failed_model: int | None = None  # the model whose request it was (None: a load)
        self._ready = False  # its "ready" (the import done) read
        self.loaded: set[int] = set()  # the models it holds, by number
        self._forgotten: list[int] = []  # models no view uses any more, unloaded before the next request

    def alive(self) -> bool:
        """Whether its process still runs (a process started ahead may have died waiting)."""
        popen = self._process.popen
        return self.failure is None and popen is not None and popen.poll() is None

    def take(self) -> None:
        """A check run uses this process started ahead: from now on it weighs as much as any."""
        if self._process.cgroup is not None:
            self._process.cgroup.set_cpu_idle(False)

    def forget(self, number: int) -> None:
        """Unload model ``number`` before the next request (safe to call from a finalizer: it sends
        nothing itself, so it cannot cut into a request under way)."""
        if number in self.loaded:
            self.loaded.discard(number)
            self._forgotten.append(number)

    def close(self) -> None:
        self._finalizer()

    def request(
        self, header: dict[str, Any], payload: np.ndarray | bytes | None, what: str
    ) -> dict[str, Any]:
        """Send one request; its reply header (with ``array`` when one came back).

        CheckFailed when the process died, ran out of a limit, or the model raised.
        """
        if self.failure is not None:
            raise self.failure
        if not self._ready:  # its import, timed on its own (load_seconds), whenever it was started
            ready, _ = self._exchange(None, None, self.limits.load_seconds, what)  # (said as before)
            if not ready.get("ready"):
                self.failure = CheckFailed(
                    "model_process_died", what=what, detail="it did not say it was ready"
                )
                self.close()
                raise self.failure
            self._ready = True
        if self._forgotten:
            forgotten, self._forgotten = self._forgotten, []
            self.request({"op": "unload", "models": forgotten}, None, "unloading models")
        seconds = self.limits.load_seconds if header.get("op") == "load" else self.limits.call_seconds
        reply, data = self._exchange(header, payload, seconds, what)
        if not reply.get("ok"):
            error, message = str(reply.get("error")), str(reply.get("message"))[:300]
            if error in OUT_OF_MEMORY_ERRORS:
                raise CheckFailed("model_out_of_memory", what=what, limit=gibibytes(self.limits.memory_bytes))
            raise ModelRaised(error, message, what)
        if header.get("op") == "load" and isinstance(reply.get("model"), int):
            self.loaded.add(reply["model"])
        if reply.get("length"):
            try:
                reply["array"] = load_array(data)
            except (ValueError, MemoryError) as problem:
                raise ModelRaised("ValueError", f"unreadable result ({problem})", what) from None
        return reply

    def _exchange(
        self, header: dict[str, Any] | None, payload: np.ndarray | bytes | None, seconds: float, what: str
    ) -> tuple[dict[str, Any], bytes]:
        """Send ``header`` (None: send nothing) and read one frame, within ``seconds``; on time-out,
        death or a garbled frame the process is killed and closed, and CheckFailed says why."""
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            self._process.kill()

        timer = threading.Timer(seconds, expire)
        timer.start()
        try:
            if header is not None:
                write_frame(self._process.popen.stdin, header, payload)
            frame = read_frame(self._process.popen.stdout, MAX_REPLY_BYTES)
        except Exception:  # noqa: BLE001 - a garbled frame (deep JSON, too big) means a process gone wrong
            frame = None
        finally:
            timer.cancel()
            timer.join()  # expire() must not still be killing while close() removes the cgroup
        if frame is None or expired.is_set():
            self.failure = self._why_gone(what, seconds if expired.is_set() else None)
            self.failed_model = header.get("model") if header is not None else None
            self.close()
            raise self.failure
        return frame

    def _why_gone(self, what: str, timed_out_after: float | None) -> CheckFailed:
        if timed_out_after is not None:
            return CheckFailed("model_time_limit", what=what, seconds=f"{timed_out_after:g}")
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.popen.wait(timeout=10)
        if self._process.out_of_memory_kills():
            return CheckFailed("model_out_of_memory", what=what, limit=gibibytes(self.limits.memory_bytes))
        status = self._process.popen.returncode
        if status in (-signal.SIGXCPU, 128 + signal.SIGXCPU):
            return CheckFailed("model_cpu_limit", what=what, seconds=self.limits.cpu_seconds)
        return CheckFailed("model_process_died", what=what, detail=f"exit status {status}")


class ModelRaised(CheckFailed):
    """The student's model raised an exception of its own when run (``kind`` is its type's name)."""

    def __init__(self, kind: str, message: str, what: str) -> None:
        super().__init__("model_raised", what=what, detail=f"{kind}: {message}")
        self.kind = kind


def _as_tuple(shape: Any) -> Any:
    return tuple(_as_tuple(item) for item in shape) if isinstance(shape, list) else shape


def describe_input(x: np.ndarray) -> str:
    return f"an array of shape {x.shape}, dtype {x.dtype}"


@dataclass
class LayerView:
    """One layer of a model as the checks see it: its class name, ``units``, and its activation
    (run in the model's process)."""

    kind: str
    units: int | None
    index: int
    model: ModelView
    has_activation: bool

    @property
    def activation(self) -> Any:
        """A function that runs this layer's activation on an array, or None when the layer has none."""
        if not self.has_activation:
            return None

        def run(x: np.ndarray) -> np.ndarray:
            x = np.asarray(x)
            what = f"layer {self.index}'s activation on {describe_input(x)}"
            return self.model.request({"op": "activation", "layer": self.index}, x, what)["array"]

        return run


class ModelView:
    """A student's model loaded in a process of its own (see the module docstring), as the checks use it."""

    def __init__(
        self,
        data: bytes,
        limits: ModelLimits | None = None,
        hosts: Callable[..., ModelHost] | None = None,
    ) -> None:
        """Load the ``.keras`` file's bytes in the shared host ``hosts()`` gives (``hosts(alone=True)``:
        a new one of its own), or, without ``hosts``, in a host of its own.

        CheckFailed ``model_not_loadable`` when Keras refuses the file in safe mode.
        """
        self._hosts = hosts
        self._failure: CheckFailed | None = None  # a reload failed: every later request fails so
        self._alone = False  # judged again in a process of its own after the shared one died
        self._saved: IO[bytes] | None = None  # the file's bytes, for a reload (on disk, not in memory)
        if hosts is not None:
            self._saved = tempfile.TemporaryFile()
            self._saved.write(data)
        self.host = hosts() if hosts else ModelHost(limits)
        try:
            reply = self._load(data)
        except ModelRaised as refused:
            if hosts is None:
                self.host.close()
            raise CheckFailed("model_not_loadable", detail=refused.fields["detail"][:300]) from None
        facts = reply.get("facts") if isinstance(reply.get("facts"), dict) else {}
        self.built = bool(facts.get("built"))
        self.input_shape = _as_tuple(facts.get("input_shape"))
        self.output_shape = _as_tuple(facts.get("output_shape"))
        self.first_input_shape = _as_tuple(facts.get("first_input_shape"))  # model.inputs[0].shape
        self._count_params = facts.get("count_params")
        self.layers = [
            LayerView(
                kind=str(layer.get("kind")),
                units=layer.get("units") if isinstance(layer.get("units"), int) else None,
                index=index,
                model=self,
                has_activation=bool(layer.get("has_activation")),
            )
            for index, layer in enumerate(facts.get("layers") or [])
            if isinstance(layer, dict)
        ]

    def _load(self, data: bytes) -> dict[str, Any]:
        reply = self.host.request({"op": "load"}, data, "loading the model")
        self.number = reply.get("model")
        if self._hosts is not None and isinstance(self.number, int):
            weakref.finalize(self, self.host.forget, self.number)
        return reply

    def _move(self, host: ModelHost) -> None:
        """Load this model again in ``host``; if that fails, every later request fails the same way."""
        assert self._saved is not None
        self.host = host
        self._saved.seek(0)
        try:
            self._load(self._saved.read())
        except CheckFailed as failure:
            self._failure = failure
            raise

    def request(self, header: dict[str, Any], payload: np.ndarray | None, what: str) -> dict[str, Any]:
        """A request about this model. In a shared process: when another model's request killed it,
        this model is loaded again in a new one first; when this model's request killed it while it
        held other models too, the request is tried once more in a process of its own (the limits
        were shared), and only a failure there is this model's."""
        if self._failure is not None:
            raise self._failure
        if self._hosts and self.host.failure is not None and self.host.failed_model != self.number:
            self._move(self._hosts())
        shared_with = len(self.host.loaded) - 1
        try:
            return self.host.request({**header, "model": self.number}, payload, what)
        except CheckFailed:
            died_here = self.host.failure is not None and self.host.failed_model == self.number
            if not (self._hosts and died_here and shared_with > 0 and not self._alone):
                raise
        self._alone = True
        self._move(self._hosts(alone=True))
        return self.host.request({**header, "model": self.number}, payload, what)

    def count_params(self) -> int:
        """The number of weights (ValueError for a model never built, as Keras says)."""
        if not isinstance(self._count_params, int):
            raise ValueError("the model has not been built, so it has no weights yet")
        return self._count_params

    def predict(self, x: np.ndarray) -> np.ndarray:
        """``model.predict(x, verbose=0)``, run in the model's process."""
        x = np.asarray(x)
        return self.request({"op": "predict"}, x, f"model.predict on {describe_input(x)}")["array"]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """``np.asarray(model(x))``, run in the model's process."""
        x = np.asarray(x)
        return self.request({"op": "call"}, x, f"model(x) on {describe_input(x)}")["array"]

    def close(self) -> None:
        """End its process, unless it is shared (that one ends with the check run)."""
        if self._hosts is None:
            self.host.close()
