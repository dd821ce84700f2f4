"""The student-kernel end of the judge's data channel.

The judge starts every student kernel with :func:`install`, which registers a Jupyter
comm target before any student code runs. Hidden checks (in the trusted grader process)
open a comm with a JSON request such as "call ``sigmoid`` with this array"; the probe
looks the name up in the notebook's namespace, calls it, and sends back only data
(see :mod:`autograder.codec`). Requests arrive as comm messages, not as code to
execute, so input transformers or a rewritten ``exec`` in the student's kernel cannot
turn them into something else. Nothing here can see the reference solution: it lives
in another process the kernel cannot reach.

A Jupyter message costs the two processes about 2.7 ms of CPU, 50 times what a call of a
small function does, and a check makes one call per hypothesis example. So the judge opens
a *session*: one comm request whose handler connects to a Unix socket the grader listens on
(root's, mode 0600 and owned by this kernel's user) and answers requests read from it, the same
data-only requests, until the grader closes it. Output written to ``sys.stdout`` and
``sys.stderr`` is captured per request there; a check that reads output written around them
(a logging handler, a file descriptor) asks by message (``StudentKernel.call(printed=True)``).
"""

from __future__ import annotations

import inspect
import io
import socket
import struct
import sys
import time
import traceback
import warnings
from typing import Any

import numpy as np

from autograder import codec

TARGET = "autograder.probe"
OUTPUT_LIMIT = 20_000  # characters of print output kept per request
FRAME_HEADER = struct.Struct(">I")  # a session's messages: 4-byte length, then the JSON text
_KEPT: dict[int, Any] = {}  # objects a check asked to keep, by handle number


class _Refused(Exception):
    """A request the probe answers without calling anything; ``reply`` says why."""

    def __init__(self, reply: dict) -> None:
        super().__init__(reply)
        self.reply = reply


def _raised(error: BaseException, **extra: Any) -> dict:
    """The reply for an exception the student's code (or a lookup) raised."""
    return {
        "status": "raised",
        "error": type(error).__name__,
        "message": str(error)[:500],
        "traceback": traceback.format_exc(limit=-3)[-2000:],
        **extra,
    }


def _namespace() -> dict:
    from IPython import get_ipython

    return get_ipython().user_ns


def _describe_warning(item: warnings.WarningMessage) -> dict:
    return {"category": item.category.__name__, "message": str(item.message)[:300]}


def _target(request: dict) -> Any:
    """The object a request is about: a kept object or a notebook name, then attributes."""
    if "handle" in request:
        if int(request["handle"]) not in _KEPT:
            raise _Refused({"status": "missing", "name": f"#{request['handle']}"})
        target = _KEPT[int(request["handle"])]
    else:
        target = _namespace().get(str(request["name"]))
        if target is None:
            raise _Refused({"status": "missing", "name": str(request["name"])})
    try:
        for attribute in request.get("attributes", []):
            target = getattr(target, str(attribute))
    except AttributeError as error:
        raise _Refused(_raised(error)) from None
    return target


def _result(value: Any, keep: bool) -> dict:
    """A returned value as data, or as a handle when the check asked to keep it."""
    if not keep:
        return codec.to_data(value)
    number = len(_KEPT) + 1
    _KEPT[number] = value
    return codec.handle_data(number, value)


def _arguments(request: dict) -> tuple[list, dict]:
    try:
        args = [codec.from_data(item, kept=_KEPT) for item in request.get("args", [])]
        kwargs = {str(k): codec.from_data(v, kept=_KEPT) for k, v in request.get("kwargs", {}).items()}
    except KeyError as unknown:  # a handle this kernel never kept
        raise _Refused({"status": "missing", "name": f"#{unknown.args[0]}"}) from None
    return args, kwargs


def _call(request: dict) -> dict:
    name = str(request.get("name", f"#{request.get('handle')}"))
    target = _target(request)
    if not callable(target):
        return {"status": "not_callable", "name": name, "type": type(target).__name__}
    args, kwargs = _arguments(request)
    started = time.perf_counter()
    with (
        warnings.catch_warnings(record=True) as caught,
        np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"),
    ):
        warnings.simplefilter("always")
        try:
            value = target(*args, **kwargs)
        except BaseException as error:  # KeyboardInterrupt is the judge's time limit
            return _raised(error, warnings=[_describe_warning(w) for w in caught[:20]])
    reply: dict[str, Any] = {
        "status": "returned",
        "value": _result(value, bool(request.get("keep"))),
        "seconds": time.perf_counter() - started,
        "warnings": [_describe_warning(w) for w in caught[:20]],
    }
    if request.get("return_args"):
        reply["args_after"] = [codec.to_data(item) for item in args]
    return reply


def _source(request: dict) -> dict:
    """The source code of a function the notebook defines (IPython keeps cell sources)."""
    name = str(request["name"])
    target = _namespace().get(name)
    if target is None:
        return {"status": "missing", "name": name}
    try:
        text = inspect.getsource(target)
    except (OSError, TypeError) as error:
        return {"status": "raised", "error": type(error).__name__, "message": str(error)[:300]}
    return {"status": "returned", "value": codec.to_data(text[:100_000])}


def _get(request: dict) -> dict:
    """An attribute of a kept object or notebook name (``attributes`` is the path)."""
    return {"status": "returned", "value": _result(_target(request), bool(request.get("keep")))}


def _gradient(request: dict) -> dict:
    """Call the target under a ``tf.GradientTape``; send back the value and its gradient.

    ``wrt`` is the index of the argument to differentiate by, or ``"trainable_variables"``
    for the target's own trainable variables (a layer's weights, read after the call so
    that weights built by that call count). A gradient is None where the result does not
    depend on it through TensorFlow operations (NumPy in between breaks the tape).
    """
    import tensorflow as tf

    target = _target(request)
    args, kwargs = _arguments(request)
    wrt = request.get("wrt", 0)
    try:
        if wrt == "trainable_variables":
            with tf.GradientTape() as tape:
                value = target(*args, **kwargs)
            sources = list(target.trainable_variables)
        else:
            sources = args[int(wrt)] = tf.convert_to_tensor(args[int(wrt)])
            with tf.GradientTape() as tape:
                tape.watch(sources)
                value = target(*args, **kwargs)
        gradient = tape.gradient(value, sources) if tf.is_tensor(value) else None
    except BaseException as error:  # KeyboardInterrupt is the judge's time limit
        return _raised(error)
    return {"status": "returned", "value": codec.to_data({"value": value, "gradient": gradient})}


def handle(request: dict) -> dict:
    """Answer one request; any failure becomes an error reply, never an exception."""
    try:
        if request.get("op") == "ping":
            return {"status": "pong"}
        if request.get("op") == "call":
            return _call(request)
        if request.get("op") == "source":
            return _source(request)
        if request.get("op") == "get":
            return _get(request)
        if request.get("op") == "gradient":
            return _gradient(request)
        return {"status": "error", "message": f"unknown op {request.get('op')!r}"}
    except _Refused as refused:
        return refused.reply
    except BaseException as error:
        return {"status": "error", "message": f"{type(error).__name__}: {error}"[:500]}


class _Output(io.TextIOBase):
    """What a request prints, up to OUTPUT_LIMIT characters (``sys.stdout`` while it runs)."""

    encoding = "utf-8"

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self.size < OUTPUT_LIMIT:
            self.parts.append(str(text)[: OUTPUT_LIMIT - self.size])
        self.size += len(text)
        return len(text)

    def text(self) -> str:
        return "".join(self.parts)


def _answered(request: dict) -> dict:
    """One session request's reply, with what it printed."""
    output, saved = _Output(), (sys.stdout, sys.stderr)
    try:
        sys.stdout = sys.stderr = output
        reply = (
            handle(request) if request.get("op") != "session" else {"status": "error", "message": "nested"}
        )
    finally:
        sys.stdout, sys.stderr = saved
    return reply | {"nonce": request.get("nonce"), "stdout": output.text()}


def _receive(channel: socket.socket, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        chunk = channel.recv(min(size - len(data), 1 << 20))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def _serve(request: dict) -> dict:
    """Answer requests from the grader's socket at ``request["path"]`` until it closes it."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as channel:
        try:
            channel.connect(str(request.get("path")))
            while (header := _receive(channel, FRAME_HEADER.size)) is not None:
                (size,) = FRAME_HEADER.unpack(header)
                if size > codec.MAX_PAYLOAD_BYTES or (text := _receive(channel, size)) is None:
                    break
                reply = codec.dumps(_answered(codec.loads(text))).encode()
                channel.sendall(FRAME_HEADER.pack(len(reply)) + reply, socket.MSG_NOSIGNAL)  # no SIGPIPE
        except BaseException as error:  # the grader gone, or its interrupt between calls: session over
            return {"status": "error", "message": f"{type(error).__name__}: {error}"[:300]}
    return {"status": "pong"}


def _on_comm_open(comm: Any, message: dict) -> None:
    request = message["content"]["data"]
    if isinstance(request, dict) and request.get("op") == "session":
        reply = _serve(request)
    else:
        reply = handle(request if isinstance(request, dict) else {})
    reply["nonce"] = request.get("nonce") if isinstance(request, dict) else None
    comm.send({"reply": codec.dumps(reply)})
    comm.close()


def install() -> None:
    """Register the probe's comm target in this kernel (run before student code)."""
    from comm import get_comm_manager

    get_comm_manager().register_target(TARGET, _on_comm_open)


def preload(modules: list[str]) -> None:
    """Import ``modules`` (the assignment's ``preload``) as the kernel starts, binding no name in the
    notebook: a notebook that never imports ``keras`` must not find it defined. A module that cannot
    be imported ends the kernel, so its start fails loudly (a grader sees why) instead of leaving a
    half-imported package for the student's own import to trip on."""
    import importlib
    import os

    for name in modules:
        try:
            importlib.import_module(name)
        except BaseException as error:  # noqa: BLE001 (any failure: the kernel must not be used)
            # To the kernel's own stderr (which the grader keeps until the kernel is ready), not to fd 2:
            # ipykernel has that forward to the notebook, which no one reads before a cell runs.
            stderr = getattr(sys.stderr, "_original_stdstream_copy", None) or 2
            os.write(stderr, f"preload: cannot import {name}: {type(error).__name__}: {error}\n".encode())
            os._exit(3)
