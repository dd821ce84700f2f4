"""The process that loads and runs a student's saved models for the grader (``-m autograder.model_runner``).

A model of built-in layers runs no student code, but it can still ask for tens of GB per call
(an ``UpSampling2D`` chain has no weights) or compute for hours. So the grader never runs it in
its own process: :mod:`autograder.model_host` starts this one, confined and with limits, and
talks to it over stdin/stdout in frames of one JSON line and an optional ``.npy`` payload
(``np.save``/``np.load`` with ``allow_pickle=False`` on both sides: no pickle crosses).

Requests: ``load`` (the ``.keras`` file's bytes; the reply is the model's number and the facts the
checks read), ``predict`` and ``call`` (that number and an input array), ``activation`` (a layer's
activation on an array), ``unload`` (numbers no check uses any more). One process holds the models
of one notebook's checks: TensorFlow is imported once, not once per model.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import sys
from typing import Any, BinaryIO

import numpy as np

MAX_HEADER_BYTES = 64 * 1024
MAX_PAYLOAD_BYTES = 512 * 1024 * 1024  # a model file (200 MB at most) or an input array


def tensorflow_activation_aliases() -> dict[str, Any]:
    """Keras's own functions under the names TensorFlow's save under: ``activation=tf.nn.softmax``
    (the course notes' spelling) is saved as the function ``softmax_v2``, which safe mode does not
    know. Mapping that name to ``keras.activations.softmax`` runs no student code."""
    import keras

    return {"softmax_v2": keras.activations.softmax, "log_softmax_v2": keras.activations.log_softmax}


def write_frame(stream: BinaryIO, header: dict[str, Any], payload: np.ndarray | bytes | None = None) -> None:
    """One frame: a JSON line (with the payload's length) and the payload: an array as ``.npy`` bytes,
    or bytes as they are (the model file)."""
    if isinstance(payload, np.ndarray):
        buffer = io.BytesIO()
        np.save(buffer, payload, allow_pickle=False)
        payload = buffer.getvalue()
    payload = payload or b""
    stream.write(json.dumps({**header, "length": len(payload)}).encode() + b"\n" + payload)
    stream.flush()


def read_frame(stream: BinaryIO, max_payload: int = MAX_PAYLOAD_BYTES) -> tuple[dict[str, Any], bytes] | None:
    """The next frame's header and payload bytes; None at the end of the stream. ValueError when the
    frame is malformed or over the limits."""
    line = stream.readline(MAX_HEADER_BYTES + 1)
    if not line:
        return None
    if not line.endswith(b"\n"):
        raise ValueError("frame header too long or cut off")
    header = json.loads(line)
    length = header.get("length") if isinstance(header, dict) else None
    if not isinstance(length, int) or not 0 <= length <= max_payload:
        raise ValueError(f"frame payload of {length!r} bytes (at most {max_payload})")
    payload = stream.read(length)
    if len(payload) != length:
        raise ValueError("frame payload cut off")
    return header, payload


def load_array(payload: bytes) -> np.ndarray:
    """An array from ``.npy`` bytes, never unpickling (object arrays are refused), and never bigger than
    the bytes it came in (a header may declare any shape: NumPy would allocate it before reading)."""
    stream = io.BytesIO(payload)
    version = np.lib.format.read_magic(stream)
    read_header = (
        np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    )
    shape, _, dtype = read_header(stream)
    if dtype.hasobject:
        raise ValueError("object arrays are refused")
    if math.prod(shape) * dtype.itemsize > len(payload) - stream.tell():
        raise ValueError(f"the header declares a {shape} array the data does not hold")
    stream.seek(0)
    return np.load(stream, allow_pickle=False)


def _shape(value: Any) -> Any:
    """A shape (or nested shapes) as JSON: lists of ints and None."""
    if value is None or isinstance(value, int):
        return value
    return [_shape(v) for v in value]


def _fact(read: Any) -> Any:
    try:
        return read()
    except Exception:  # noqa: BLE001 (a model without this fact: the check says so)
        return None


def facts(model: Any) -> dict[str, Any]:
    """What the checks read from a model, besides running it."""

    def first_input_shape() -> Any:
        inputs = model.inputs
        return _shape(tuple(inputs[0].shape)) if inputs else None

    def layer(item: Any) -> dict[str, Any]:
        units = getattr(item, "units", None)
        return {
            "kind": type(item).__name__,
            "units": units if isinstance(units, int) else None,
            "has_activation": callable(getattr(item, "activation", None)),
        }

    built = bool(model.built)
    return {
        "built": built,
        "count_params": _fact(model.count_params) if built else None,
        "input_shape": _fact(lambda: _shape(model.input_shape)),
        "output_shape": _fact(lambda: _shape(model.output_shape)),
        "first_input_shape": _fact(first_input_shape),
        "layers": [layer(item) for item in model.layers],
    }


def answer(model: Any, header: dict[str, Any], payload: bytes) -> np.ndarray:
    """The array a ``predict``, ``call`` or ``activation`` request asks for."""
    x = load_array(payload)
    operation = header.get("op")
    if operation == "predict":
        return np.asarray(model.predict(x, verbose=0))
    if operation == "call":
        return np.asarray(model(x))
    if operation == "activation":
        return np.asarray(model.layers[int(header["layer"])].activation(x))
    raise ValueError(f"unknown request {operation!r}")


def serve(requests: BinaryIO, replies: BinaryIO) -> None:
    """Answer requests until stdin closes; a model is named by the number its ``load`` answered."""
    import keras

    # Ready: the import (seconds) is over. The grader times it apart from the first load, so a process
    # started ahead (autograder.models) and one started on demand give a load the same time.
    write_frame(replies, {"ok": True, "ready": True})
    models: dict[int, Any] = {}
    while (frame := read_frame(requests)) is not None:
        header, payload = frame
        try:
            if header.get("op") == "load":
                path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "model.keras")
                try:
                    with open(path, "wb") as file:
                        file.write(payload)
                    model = keras.models.load_model(
                        path, safe_mode=True, compile=False, custom_objects=tensorflow_activation_aliases()
                    )
                finally:  # a refused file must not stay in the memory-backed /tmp
                    with contextlib.suppress(OSError):
                        os.unlink(path)
                number = len(models) + 1
                models[number] = model
                write_frame(replies, {"ok": True, "model": number, "facts": facts(model)})
            elif header.get("op") == "unload":
                for number in header.get("models") or []:
                    models.pop(number, None)
                write_frame(replies, {"ok": True})
            elif header.get("model") not in models:
                raise ValueError("no such model loaded")
            else:
                write_frame(replies, {"ok": True}, answer(models[header["model"]], header, payload))
        except Exception as error:  # noqa: BLE001 (whatever the model raises, the grader is told)
            write_frame(replies, {"ok": False, "error": type(error).__name__, "message": str(error)[:500]})


def main() -> None:
    # The replies get their own descriptor; anything TensorFlow or Keras prints goes to stderr.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, replies)


if __name__ == "__main__":
    main()
