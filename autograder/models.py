"""A student's trained Keras model, brought into the grader so checks measure it themselves.

Asking the kernel for a model's accuracy, or even for its predictions, trusts the kernel:
an object that only looks like a model can look up the test labels and answer anything.
Instead the kernel saves the model (``model.save``) into its own working directory and
the grader loads the file with Keras's ``safe_mode`` and ``compile=False``: only
built-in layers, no Python code (Lambda layers, custom classes) is run on load. The
checks then predict with that copy, in the trusted process.
"""

from __future__ import annotations

import os
import stat
import tempfile
import uuid
from pathlib import Path
from typing import Any

from autograder.checks import CheckFailed
from autograder.codec import Handle
from autograder.student import StudentKernel

MAX_MODEL_BYTES = 200 * 1024 * 1024


def trained_model(student: StudentKernel, model: str | Handle) -> Any:
    """The student's model as a ``keras.Model`` in this process, or CheckFailed saying why not."""
    if student.work_dir is None:
        raise CheckFailed("model_not_loadable", detail="the grader did not pass the kernel's directory")
    path = student.work_dir / f"graded-{uuid.uuid4().hex}.keras"
    student.call(model, str(path), method="save")
    with tempfile.TemporaryDirectory(prefix="autograder-model-") as private:
        copy = Path(private) / "model.keras"
        try:
            copy_regular_file(path, copy)
        except OSError as error:
            raise CheckFailed(
                "model_not_loadable", detail=f"model.save() left no usable file ({error})"
            ) from None
        finally:
            path.unlink(missing_ok=True)
        import keras

        try:
            return keras.models.load_model(copy, safe_mode=True, compile=False)
        except Exception as error:  # noqa: BLE001 (whatever Keras refuses, the reason is shown)
            raise CheckFailed("model_not_loadable", detail=f"{type(error).__name__}: {error}"[:300]) from None


def copy_regular_file(source: Path, target: Path) -> None:
    """Copy a file the kernel wrote, refusing links and oversized files (the kernel controls it)."""
    descriptor = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(descriptor, "rb") as reader:
        info = os.fstat(reader.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError("not a regular file")
        if info.st_size > MAX_MODEL_BYTES:
            raise OSError(f"over {MAX_MODEL_BYTES} bytes")
        target.write_bytes(reader.read(MAX_MODEL_BYTES + 1))
