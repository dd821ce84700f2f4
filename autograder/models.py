"""A student's trained Keras model, brought into the grader so checks measure it themselves.

Asking the kernel for a model's accuracy, or even for its predictions, trusts the kernel:
an object that only looks like a model can look up the test labels and answer anything.
Instead the kernel saves the model (``model.save``) into its own working directory and
the grader reads the file (size-capped, its archive headers checked before anything is
unpacked) and loads it with Keras's ``safe_mode`` and ``compile=False``: only built-in
layers, no Python code (Lambda layers, custom classes) is run on load. Loading and every
``predict`` happen in a confined process (``autograder.model_host``), one for a notebook's
checks, so a model that asks for too much memory or time costs only the checks that run it.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from autograder.checks import CheckFailed
from autograder.codec import Handle
from autograder.intake import read_regular_file
from autograder.model_host import ModelHost, ModelLimits, ModelView
from autograder.student import StudentKernel

MAX_MODEL_BYTES = 200 * 1024 * 1024
# What the grader will decompress of one model file: a zip bomb is refused before Keras opens it.
# (zipfile never yields more of a member than its header declares, so the headers bound the work.)
MAX_UNPACKED_BYTES = 2 * MAX_MODEL_BYTES
MAX_CONFIG_BYTES = 4 * 1024 * 1024
MAX_MEMBERS = 64


@dataclass
class SavedModel:
    """A student's model loaded from its ``.keras`` file, and the compile settings saved with it."""

    model: ModelView
    compile_config: dict[str, Any]


def compile_setting_name(value: Any) -> str | None:
    """A compile setting (loss, optimizer, metric) as saved: "sgd", {"class_name": "SGD", ...},
    or a function by name; None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if value.get("class_name") == "function":
            return str(value.get("config"))
        return str(value.get("class_name"))
    return None


class UnsafeArchive(ValueError):
    """A model file the grader will not unpack: too many members, or too big unpacked."""


def read_model_config(path: Path | BinaryIO) -> Any:
    """``config.json`` of a ``.keras`` archive, after checking what unpacking it would cost."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise UnsafeArchive(f"the saved model has {len(members)} files (at most {MAX_MEMBERS})")
        unpacked = sum(member.file_size for member in members)
        if unpacked > MAX_UNPACKED_BYTES:
            raise UnsafeArchive(f"the saved model unpacks to {unpacked} bytes (at most {MAX_UNPACKED_BYTES})")
        config = archive.getinfo("config.json")
        if config.file_size > MAX_CONFIG_BYTES:
            raise UnsafeArchive(
                f"the saved model's config.json is {config.file_size} bytes (at most {MAX_CONFIG_BYTES})"
            )
        return json.loads(archive.read(config))


# A model process the check server started for this check run before its request came
# (``autograder.check_runner``), while the notebook's cells ran: the run's first model_host() takes it
# if it was started with the run's limits; otherwise it is closed when the run ends.
_started_ahead: ModelHost | None = None
# Left in the check run's working directory when its checks started a model process: the check
# server then starts one ahead for the next run (the next notebook is most likely of the same assignment).
USED_A_MODEL_PROCESS = "used-a-model-process"


def start_model_host_ahead(limits: ModelLimits) -> None:
    """Start this process's model process before any check asks for one (see ``_started_ahead``)."""
    global _started_ahead
    _started_ahead = ModelHost(limits, started_ahead=True)


def close_model_host_started_ahead() -> None:
    """Close the model process started ahead if no check took it."""
    global _started_ahead
    if _started_ahead is not None:
        _started_ahead.close()
        _started_ahead = None


def _new_host(limits: ModelLimits | None) -> ModelHost:
    global _started_ahead
    with contextlib.suppress(OSError):  # only a hint for the next run
        Path(USED_A_MODEL_PROCESS).touch()
    ahead, _started_ahead = _started_ahead, None
    if ahead is not None and ahead.limits == (limits or ModelLimits()) and ahead.alive():
        try:
            ahead.take()
            return ahead
        except OSError:  # its CPU weight cannot be raised: not worth a check's failure
            pass
    if ahead is not None:
        ahead.close()
    return ModelHost(limits)


def model_host(student: StudentKernel, alone: bool = False) -> ModelHost:
    """The process this check run's models are loaded in: one for all of them, and a new one once
    a model broke it; with ``alone``, a new one for a single model. Each notebook's checks run in a
    process of their own, so no other notebook's model is ever in it; the ``student`` fixture
    closes them all when the checks end."""
    if alone or student.model_host is None or student.model_host.failure is not None:
        host = _new_host(student.model_limits)
        student.model_hosts.append(host)
        if alone:
            return host
        student.model_host = host
    return student.model_host


def saved_model(student: StudentKernel, model: str | Handle) -> SavedModel:
    """The student's model loaded in the confined process of the check run (``autograder.model_host``),
    or CheckFailed saying why not."""
    if student.work_dir is None:
        raise CheckFailed("model_not_loadable", detail="the grader did not pass the kernel's directory")
    # Started first: its Python imports TensorFlow while the kernel saves the model.
    model_host(student)
    path = student.work_dir / f"graded-{uuid.uuid4().hex}.keras"
    student.call(model, str(path), method="save")
    try:
        return _loaded(student, path, "model.save()")
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def model_file(student: StudentKernel, path: Path) -> SavedModel:
    """A ``.keras`` file the student's own code wrote (``path`` inside the kernel's directory), loaded as
    :func:`saved_model` loads one, or CheckFailed saying why not."""
    model_host(student)
    return _loaded(student, path, path.name)


def _loaded(student: StudentKernel, path: Path, written_by: str) -> SavedModel:
    data, config = _read_model_file(path, written_by)
    view = ModelView(data, hosts=functools.partial(model_host, student))
    compile_config = config.get("compile_config") if isinstance(config, dict) else None
    return SavedModel(view, compile_config if isinstance(compile_config, dict) else {})


def _read_model_file(path: Path, written_by: str) -> tuple[bytes, Any]:
    """The bytes of a ``.keras`` file (a regular file, size-capped) and its ``config.json``."""
    try:
        data = read_regular_file(path, MAX_MODEL_BYTES)
    except OSError as error:
        raise CheckFailed(
            "model_not_loadable", detail=f"{written_by} left no usable file ({error})"
        ) from None
    if len(data) > MAX_MODEL_BYTES:
        raise CheckFailed("model_not_loadable", detail=f"the saved model is over {MAX_MODEL_BYTES} bytes")
    try:
        return data, read_model_config(io.BytesIO(data))
    except UnsafeArchive as error:
        raise CheckFailed("model_not_loadable", detail=str(error)) from None
    except Exception as error:  # noqa: BLE001 (not a zip, no config.json, not JSON: the reason is shown)
        raise CheckFailed("model_not_loadable", detail=f"{type(error).__name__}: {error}"[:300]) from None
