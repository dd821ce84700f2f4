"""The student-kernel end of the judge's data channel.

The judge starts every student kernel with :func:`install`, which registers a Jupyter
comm target before any student code runs. Hidden checks (in the trusted grader process)
open a comm with a JSON request such as "call ``sigmoid`` with this array"; the probe
looks the name up in the notebook's namespace, calls it, and sends back only data
(see :mod:`autograder.codec`). Requests arrive as comm messages, not as code to
execute, so input transformers or a rewritten ``exec`` in the student's kernel cannot
turn them into something else. Nothing here can see the reference solution: it lives
in another process the kernel cannot reach.
"""

from __future__ import annotations

import inspect
import time
import traceback
import warnings
from typing import Any

import numpy as np

from autograder import codec

TARGET = "autograder.probe"


def _namespace() -> dict:
    from IPython import get_ipython

    return get_ipython().user_ns


def _describe_warning(item: warnings.WarningMessage) -> dict:
    return {"category": item.category.__name__, "message": str(item.message)[:300]}


def _call(request: dict) -> dict:
    name = str(request["name"])
    target = _namespace().get(name)
    if target is None:
        return {"status": "missing", "name": name}
    for attribute in request.get("attributes", []):
        target = getattr(target, str(attribute))
    if not callable(target):
        return {"status": "not_callable", "name": name, "type": type(target).__name__}
    args = [codec.from_data(item) for item in request.get("args", [])]
    kwargs = {str(key): codec.from_data(value) for key, value in request.get("kwargs", {}).items()}
    started = time.perf_counter()
    with (
        warnings.catch_warnings(record=True) as caught,
        np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"),
    ):
        warnings.simplefilter("always")
        try:
            value = target(*args, **kwargs)
        except BaseException as error:  # KeyboardInterrupt is the judge's time limit
            return {
                "status": "raised",
                "error": type(error).__name__,
                "message": str(error)[:500],
                "traceback": traceback.format_exc(limit=-3)[-2000:],
                "warnings": [_describe_warning(w) for w in caught[:20]],
            }
    reply: dict[str, Any] = {
        "status": "returned",
        "value": codec.to_data(value),
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


def handle(request: dict) -> dict:
    """Answer one request; any failure becomes an error reply, never an exception."""
    try:
        if request.get("op") == "ping":
            return {"status": "pong"}
        if request.get("op") == "call":
            return _call(request)
        if request.get("op") == "source":
            return _source(request)
        return {"status": "error", "message": f"unknown op {request.get('op')!r}"}
    except BaseException as error:
        return {"status": "error", "message": f"{type(error).__name__}: {error}"[:500]}


def _on_comm_open(comm: Any, message: dict) -> None:
    request = message["content"]["data"]
    reply = handle(request if isinstance(request, dict) else {})
    reply["nonce"] = request.get("nonce") if isinstance(request, dict) else None
    comm.send({"reply": codec.dumps(reply)})
    comm.close()


def install() -> None:
    """Register the probe's comm target in this kernel (run before student code)."""
    from comm import get_comm_manager

    get_comm_manager().register_target(TARGET, _on_comm_open)
