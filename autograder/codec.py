"""Data-only encoding of values that cross between the grader and a student's kernel.

Everything is JSON. Arrays travel as base64 ``.npy`` bytes and are read back with
``allow_pickle=False``, so decoding what a student's kernel sent can never run code.
Anything that is not plain data arrives as an :class:`Opaque` description (type name
and a short repr) instead of an object. An object a check asked the kernel to keep (a
Keras loss or model, say) arrives as a :class:`Handle`: a number that names it in the
kernel, which the check can send back as an argument or call methods on. Only the
probe, in the kernel, turns a handle back into the object.
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_PAYLOAD_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 8
MAX_ITEMS = 100_000
REPR_LIMIT = 300
STRING_LIMIT = 200_000


class DecodeError(ValueError):
    """A payload that is not well-formed data (too big, too deep or of an unknown kind)."""


@dataclass(frozen=True)
class Opaque:
    """Stands in for a value that is not plain data, such as a function or a custom object."""

    type_name: str
    text: str

    def __repr__(self) -> str:
        return f"<{self.type_name}: {self.text}>"


def _array_to_b64(array: np.ndarray) -> str:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _b64_to_array(text: str) -> np.ndarray:
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    return np.load(io.BytesIO(raw), allow_pickle=False)


def _short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as error:  # a student's __repr__ may raise
        text = f"<repr failed: {type(error).__name__}>"
    return text if len(text) <= REPR_LIMIT else text[: REPR_LIMIT - 3] + "..."


def _type_name(value: Any) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" else kind.__qualname__


def to_data(value: Any, depth: int = 0) -> dict:
    """Describe ``value`` as JSON-ready data, never raising on odd objects."""
    if depth > MAX_DEPTH:
        return {"kind": "opaque", "type": _type_name(value), "repr": "(nested too deeply)"}
    if isinstance(value, Handle):  # the grader passing a kept object back to the kernel
        return {"kind": "handle", "id": value.id}
    if value is None:
        return {"kind": "none"}
    if isinstance(value, np.generic) and np.asarray(value).dtype.kind in "biufc":
        return {"kind": "npscalar", "npy": _array_to_b64(np.asarray(value))}
    if isinstance(value, bool):
        return {"kind": "bool", "value": value}
    if isinstance(value, int):
        return {"kind": "int", "value": int.__repr__(value)}
    if isinstance(value, float):
        return {"kind": "float", "value": float.__repr__(value)}
    if isinstance(value, str):
        return {"kind": "str", "value": value[:STRING_LIMIT]}
    if isinstance(value, np.ndarray) and value.dtype.kind in "biufc":
        return {"kind": "ndarray", "npy": _array_to_b64(value)}
    if isinstance(value, (list, tuple)):
        items = [to_data(item, depth + 1) for item in value[:MAX_ITEMS]]
        return {"kind": type(value).__name__, "items": items}
    if isinstance(value, dict):
        pairs = list(value.items())[:MAX_ITEMS]
        return {"kind": "dict", "items": [[str(k), to_data(v, depth + 1)] for k, v in pairs]}
    if hasattr(value, "numpy") and callable(value.numpy):  # a TensorFlow tensor or variable
        try:
            array = np.asarray(value.numpy())
            if array.dtype.kind in "biufc":
                return {"kind": "tensor", "type": _type_name(value), "npy": _array_to_b64(array)}
        except Exception:
            pass
    return {"kind": "opaque", "type": _type_name(value), "repr": _short_repr(value)}


@dataclass(frozen=True)
class Handle:
    """An object kept in the student's kernel, known to the grader only by number and description."""

    id: int
    type_name: str
    text: str

    def __repr__(self) -> str:
        return f"<{self.type_name} #{self.id}: {self.text}>"


def handle_data(id: int, value: Any) -> dict:
    """How the probe describes an object it keeps as handle ``id``."""
    return {"kind": "handle", "id": id, "type": _type_name(value), "repr": _short_repr(value)}


@dataclass(frozen=True)
class Tensor:
    """A tensor the student returned, as its type name and its values."""

    type_name: str
    value: np.ndarray


def from_data(data: Any, depth: int = 0, kept: dict[int, Any] | None = None) -> Any:
    """Rebuild a value from :func:`to_data` output; only plain data comes back.

    ``kept`` is the probe's table of kept objects: in the kernel a handle becomes its
    object again; in the grader (no table) it stays a :class:`Handle`.
    """
    if depth > MAX_DEPTH + 1 or not isinstance(data, dict):
        raise DecodeError("malformed value")
    kind = data.get("kind")
    if kind == "none":
        return None
    if kind == "bool":
        return bool(data["value"])
    if kind == "int":
        text = str(data["value"])
        if len(text) > 400:
            raise DecodeError("integer too long")
        return int(text)
    if kind == "float":
        return float(str(data["value"]))
    if kind == "str":
        return str(data["value"])
    if kind == "ndarray":
        return _b64_to_array(data["npy"])
    if kind == "npscalar":
        return _b64_to_array(data["npy"])[()]
    if kind == "tensor":
        return Tensor(str(data.get("type", "tensor")), _b64_to_array(data["npy"]))
    if kind in ("list", "tuple"):
        items = [from_data(item, depth + 1, kept) for item in data["items"]]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {str(k): from_data(v, depth + 1, kept) for k, v in data["items"]}
    if kind == "handle":
        if kept is not None:
            return kept[int(data["id"])]
        return Handle(
            int(data["id"]), str(data.get("type", "?"))[:200], str(data.get("repr", ""))[:REPR_LIMIT]
        )
    if kind == "opaque":
        return Opaque(str(data.get("type", "?"))[:200], str(data.get("repr", ""))[:REPR_LIMIT])
    raise DecodeError(f"unknown value kind {kind!r}")


def dumps(data: dict) -> str:
    """JSON text for a message; non-finite floats are already strings in our encoding."""
    return json.dumps(data, allow_nan=False)


def loads(text: str | bytes) -> dict:
    """Parse an untrusted message, refusing oversized payloads."""
    if len(text) > MAX_PAYLOAD_BYTES:
        raise DecodeError(f"payload of {len(text)} bytes exceeds {MAX_PAYLOAD_BYTES}")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise DecodeError("payload is not an object")
    return data
