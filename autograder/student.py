"""The hidden checks' handle on a student's running kernel.

A :class:`StudentKernel` sends data-only requests to the probe in the kernel
(:mod:`autograder.probe`) and decodes the replies with :mod:`autograder.codec`. It never
executes code it receives and never unpickles. Every way a call can go wrong (the name
is missing, the function raised, it ran too long, the kernel died) becomes an exception
that the feedback knows how to explain.

Requests travel in a probe *session* when the kernel accepts one (see :mod:`autograder.probe`):
framed JSON over a Unix socket the grader listens on, about fifty times cheaper than a Jupyter
message each. A session that cannot be opened or breaks leaves the kernel to Jupyter messages,
which carry the same requests.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import TYPE_CHECKING, Any

from jupyter_client import BlockingKernelClient

from autograder import codec
from autograder.codec import Handle
from autograder.probe import FRAME_HEADER, OUTPUT_LIMIT, TARGET

if TYPE_CHECKING:
    from autograder.model_host import ModelHost, ModelLimits


class StudentProblem(Exception):
    """Something about the student's code, not about the values it returned."""

    key = "student_problem"

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(f"{name}: {detail}" if detail else name)
        self.name = name
        self.detail = detail


class Missing(StudentProblem):
    key = "missing"


class NotCallable(StudentProblem):
    key = "not_callable"


class Raised(StudentProblem):
    key = "raised"


class TimedOut(StudentProblem):
    key = "timed_out"


class KernelGone(StudentProblem):
    key = "kernel_gone"


@dataclass
class Call:
    """What one call of a student's function gave back."""

    value: Any
    warnings: list[dict] = field(default_factory=list)
    stdout: str = ""
    seconds: float = 0.0
    args_after: list[Any] | None = None


def _encoded(args: tuple, kwargs: dict) -> dict:
    """A request's arguments as data (see :mod:`autograder.codec`)."""
    return {
        "args": [codec.to_data(a) for a in args],
        "kwargs": {k: codec.to_data(v) for k, v in kwargs.items()},
    }


def _readable(channel: socket.socket, seconds: float) -> bool:
    """Whether ``channel`` has something to read (or was closed) within ``seconds``."""
    poller = select.poll()
    poller.register(channel, select.POLLIN)
    return bool(poller.poll(seconds * 1000))


class SessionBroken(Exception):
    """The probe session ended mid-request (the kernel closed it or sent something unreadable)."""


class Session:
    """The grader's end of a probe session: one request at a time, framed JSON both ways."""

    def __init__(self, channel: socket.socket, alive: Any) -> None:
        self.channel = channel
        self.alive = alive  # () -> bool: is the kernel process still there

    def close(self) -> None:
        self.channel.close()

    def ask(self, request: dict, timeout: float) -> tuple[dict | None, str]:
        """(reply or None on timeout, what the request printed)."""
        nonce = uuid.uuid4().hex
        payload = codec.dumps({**request, "nonce": nonce}).encode()
        deadline = time.monotonic() + timeout
        try:
            self.channel.settimeout(timeout)
            self.channel.sendall(FRAME_HEADER.pack(len(payload)) + payload, socket.MSG_NOSIGNAL)
            header = self._receive(FRAME_HEADER.size, deadline, request)
            if header is None:
                return None, ""
            (size,) = FRAME_HEADER.unpack(header)
            if size > codec.MAX_PAYLOAD_BYTES:
                raise codec.DecodeError(f"payload of {size} bytes exceeds {codec.MAX_PAYLOAD_BYTES}")
            body = self._receive(size, deadline, request)
            if body is None:
                return None, ""
        except OSError as error:
            raise SessionBroken(str(error)) from None
        reply = codec.loads(body)
        if reply.get("nonce") != nonce:
            raise SessionBroken("a reply to another request")
        stdout = reply.pop("stdout", "")
        return reply, stdout[:OUTPUT_LIMIT] if isinstance(stdout, str) else ""

    def _receive(self, size: int, deadline: float, request: dict) -> bytes | None:
        """``size`` bytes, or None when the deadline passes first."""
        data = bytearray()
        while len(data) < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if not _readable(self.channel, min(remaining, 1.0)):
                if not self.alive():
                    raise KernelGone(request.get("name", "kernel"), "the kernel process has exited")
                continue
            chunk = self.channel.recv(min(size - len(data), 1 << 20))
            if not chunk:
                raise SessionBroken("the kernel closed the session")
            data += chunk
        return bytes(data)


class StudentKernel:
    """Calls functions defined in a student's kernel, by name, with data arguments."""

    # The check now running (set by the judge's pytest plugin). Within one check a method that ran
    # out of time is not waited for again on another object of the same class: a check that makes
    # a fresh callback per hypothesis example would otherwise wait once per example.
    check: str = ""

    def __init__(
        self,
        connection_file: str,
        kernel_pid: int | None,
        call_timeout: float = 20.0,
        work_dir: str | None = None,
        model_limits: ModelLimits | None = None,
    ) -> None:
        self.client = BlockingKernelClient()
        self.client.load_connection_file(connection_file)
        self.client.start_channels()
        self.kernel_pid = kernel_pid
        self.call_timeout = call_timeout
        self.work_dir = Path(work_dir) if work_dir else None  # where the kernel can save files for checks
        self.model_limits = model_limits  # how the models it saves are run (autograder.model_host)
        self.model_host: ModelHost | None = None  # the process they run in (autograder.models.model_host)
        self.model_hosts: list[ModelHost] = []  # every one started for it, closed with it
        self.gone_reason: str | None = None
        self.timed_out: set[str] = set()  # what ran out of time once is not waited for again
        self.session_folder = Path(connection_file).parent  # root's in the sandbox; the kernel can enter
        self.session: Session | None = None
        self.sessions = True  # False after a session could not be opened or broke: Jupyter messages only

    def close(self) -> None:
        for host in self.model_hosts:
            host.close()
        self.end_session()
        self.client.stop_channels()

    def end_session(self) -> None:
        """Close the session; the probe's handler then returns and the kernel takes messages again."""
        if self.session is not None:
            self.session.close()
            self.session = None

    def _open_session(self) -> Session | None:
        """Ask the probe to connect to a socket only the kernel's user (and root) may connect to."""
        path = self.session_folder / f"probe-{uuid.uuid4().hex[:16]}.sock"
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(str(path))
            kernel_files = self.session_folder / "ipc"  # the sandbox gives them to the kernel's user
            if os.geteuid() == 0 and kernel_files.is_dir():
                os.chown(path, kernel_files.stat().st_uid, -1)
            path.chmod(0o600)
            listener.listen(1)
            message = self.client.session.msg(
                "comm_open",
                {
                    "comm_id": uuid.uuid4().hex,
                    "target_name": TARGET,
                    "data": {"op": "session", "path": str(path)},
                },
            )
            self.client.shell_channel.send(message)
            deadline = time.monotonic() + 10.0
            while time.monotonic() < deadline and self._alive():
                if _readable(listener, 0.05):
                    channel, _ = listener.accept()
                    return Session(channel, self._alive)
                if self._handled(message["header"]["msg_id"], deadline):
                    return None  # the probe answered without connecting
            return None
        except OSError:
            return None
        finally:
            listener.close()
            path.unlink(missing_ok=True)

    def _handled(self, parent: str, deadline: float) -> bool:
        """Whether the kernel has finished the request ``parent`` (messages about others are skipped)."""
        while time.monotonic() < deadline:
            try:
                msg = self.client.get_iopub_msg(timeout=0)
            except Empty:
                return False
            if (
                msg["parent_header"].get("msg_id") == parent
                and msg["content"].get("execution_state") == "idle"
            ):
                return True

    def _alive(self) -> bool:
        if self.kernel_pid is None:
            return True
        try:
            os.kill(self.kernel_pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def _interrupt(self) -> None:
        """SIGINT to the kernel's process group, as Jupyter interrupts: the sandboxed kernel runs
        under ``unshare``, which is the process launched (``kernel_pid``) and passes no signal on."""
        if self.kernel_pid is not None:
            try:
                os.killpg(os.getpgid(self.kernel_pid), signal.SIGINT)
            except ProcessLookupError:
                pass

    def _request(self, request: dict, timeout: float, by_message: bool = False) -> tuple[dict | None, str]:
        """Send one request; return (reply or None on timeout, captured stdout)."""
        if by_message:
            self.end_session()  # the kernel's shell must be free to take the message
            return self._message(request, timeout)
        if self.session is None and self.sessions:
            self.session = self._open_session()
            self.sessions = self.session is not None
        if self.session is not None:
            try:
                return self.session.ask(request, timeout)
            except SessionBroken:  # the kernel's code closed it: Jupyter messages from now on
                self.end_session()
                self.sessions = False
            except ValueError:  # an unreadable reply (as by message): the session cannot go on
                self.end_session()
                raise
        return self._message(request, timeout)

    def _message(self, request: dict, timeout: float) -> tuple[dict | None, str]:
        """One request as a Jupyter comm message."""
        nonce = uuid.uuid4().hex
        comm_id = uuid.uuid4().hex
        message = self.client.session.msg(
            "comm_open", {"comm_id": comm_id, "target_name": TARGET, "data": {**request, "nonce": nonce}}
        )
        self.client.shell_channel.send(message)
        parent = message["header"]["msg_id"]
        deadline = time.monotonic() + timeout
        stdout: list[str] = []
        reply = None
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None, "".join(stdout)
            try:
                msg = self.client.get_iopub_msg(timeout=min(remaining, 1.0))
            except Empty:
                if not self._alive():
                    raise KernelGone(request.get("name", "kernel"), "the kernel process has exited")
                continue
            if msg["parent_header"].get("msg_id") != parent:
                continue
            kind = msg["msg_type"]
            content = msg["content"]
            if kind == "stream" and sum(map(len, stdout)) < 20_000:
                stdout.append(content.get("text", ""))
            elif kind == "comm_msg" and content.get("comm_id") == comm_id:
                data = content.get("data", {})
                parsed = codec.loads(data.get("reply", "")) if isinstance(data, dict) else {}
                if parsed.get("nonce") == nonce:
                    reply = parsed
            elif kind == "status" and content.get("execution_state") == "idle":
                if reply is None:
                    return {"status": "no_probe"}, "".join(stdout)
                return reply, "".join(stdout)

    def call(
        self,
        target: str | Handle,
        *args: Any,
        method: str = "",
        keep: bool = False,
        return_args: bool = False,
        printed: bool = False,
        **kwargs: Any,
    ) -> Call:
        """Call ``target(*args, **kwargs)`` in the student's kernel and return what came back.

        ``target`` is a name in the notebook or a kept object; ``method`` (dotted) calls an
        attribute of it instead, e.g. ``call(loss, y, p, method="get_config")``. With
        ``keep``, the result stays in the kernel and a :class:`Handle` comes back. With
        ``printed``, the call goes by Jupyter message, which also brings back output written
        around ``sys.stdout`` (a logging handler, ``tf.print``, a file descriptor): for checks
        that read what a call prints.
        """
        name, request = self._about(target, method)
        request |= {"op": "call", **_encoded(args, kwargs), "return_args": return_args, "keep": keep}
        reply, stdout = self._ask(name, request, by_message=printed)
        args_after = [codec.from_data(a) for a in reply["args_after"]] if "args_after" in reply else None
        return Call(
            value=codec.from_data(reply["value"]),
            warnings=list(reply.get("warnings", []))[:20],
            stdout=stdout[-2000:],
            seconds=float(reply.get("seconds", 0.0)),
            args_after=args_after,
        )

    def get(self, target: str | Handle, attribute: str = "", keep: bool = False) -> Any:
        """The value of ``target.attribute`` (dotted) as data, or a :class:`Handle` with ``keep``."""
        name, request = self._about(target, attribute)
        reply, _ = self._ask(name, request | {"op": "get", "keep": keep})
        return codec.from_data(reply["value"])

    def gradient(
        self, target: str | Handle, *args: Any, wrt: int | str = 0, method: str = "", **kwargs: Any
    ) -> tuple[Any, Any]:
        """(value, gradient of value with respect to ``args[wrt]``), computed in the kernel by
        ``tf.GradientTape``; the gradient is None when TensorFlow cannot see the dependence.

        ``wrt="trainable_variables"`` differentiates by the target's trainable variables
        instead (a layer's weights): the gradient is then a list, one entry per variable.
        """
        name, request = self._about(target, method)
        request |= {"op": "gradient", **_encoded(args, kwargs), "wrt": wrt}
        reply, _ = self._ask(name, request)
        result = codec.from_data(reply["value"])
        if not isinstance(result, dict):
            raise KernelGone(name, "the probe sent something that is not a gradient")
        return result.get("value"), result.get("gradient")

    @staticmethod
    def _about(target: str | Handle, attributes: str) -> tuple[str, dict]:
        """The name feedback uses for a request, and the request's target fields."""
        path = [part for part in attributes.split(".") if part]
        if isinstance(target, Handle):
            base, request = target.type_name.rsplit(".", 1)[-1], {"handle": target.id}
        else:
            base, request = target, {"name": target}
        return ".".join([base, *path]), request | {"attributes": path}

    def source(self, name: str) -> str:
        """The source code of the student's function ``name``, for checks decided from code."""
        reply, _ = self._ask(name, {"op": "source", "name": name})
        text = codec.from_data(reply["value"])
        if not isinstance(text, str):
            raise KernelGone(name, "the probe sent something that is not source code")
        return text

    def _ask(self, name: str, request: dict, by_message: bool = False) -> tuple[dict, str]:
        """Send a request about ``name``; turn every way it can fail into a StudentProblem."""
        if self.gone_reason:
            raise KernelGone(name, self.gone_reason)
        keys = {f"{name}#{request.get('handle', '')}"}  # across checks, kept objects time out one by one
        if self.check:
            keys.add(f"{self.check}::{name}")
        if keys & self.timed_out:
            raise TimedOut(name, f"an earlier call ran past {self.call_timeout:g} s")
        if not self._alive():
            self.gone_reason = "the kernel process has exited"
            raise KernelGone(name, self.gone_reason)
        reply, stdout = self._request(request, self.call_timeout, by_message)
        if reply is None:
            self.timed_out |= keys
            self._interrupt()
            self.end_session()  # the probe stops serving it once the interrupted call returns
            late, _ = self._message({"op": "ping"}, 10.0)
            if late is None:
                self.gone_reason = (
                    f"the kernel stopped answering after {name} ran past {self.call_timeout:g} s"
                )
            raise TimedOut(name, f"no answer within {self.call_timeout:g} s")
        status = reply.get("status")
        if status == "missing":
            raise Missing(name)
        if status == "not_callable":
            raise NotCallable(name, str(reply.get("type", "")))
        if status == "raised":
            if reply.get("error") == "KeyboardInterrupt":
                raise TimedOut(name, f"no answer within {self.call_timeout:g} s")
            message = reply.get("message")
            raise Raised(name, f"{reply.get('error')}: {message}" if message else str(reply.get("error")))
        if status == "no_probe":
            raise KernelGone(name, "the kernel no longer answers the grader's probe (was it tampered with?)")
        if status != "returned":
            raise KernelGone(name, str(reply.get("message", status)))
        return reply, stdout
