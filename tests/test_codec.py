"""The data channel's encoding: plain data round-trips, nothing else becomes an object."""

from __future__ import annotations

import base64
import io
import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder import codec

NUMERIC = st.sampled_from(["float32", "float64", "int8", "int64", "uint8", "bool", "complex128"])


@given(hnp.arrays(NUMERIC, hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)))
def test_numeric_arrays_round_trip_with_dtype_and_shape(array):
    back = codec.from_data(json.loads(codec.dumps(codec.to_data(array))))
    assert back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)


@pytest.mark.parametrize(
    "value",
    [None, True, 0, -(2**70), 1.5, float("inf"), float("nan"), "文本", [1, 2.0], (3, "x"), {"a": [1]}],
)
def test_plain_python_values_round_trip(value):
    back = codec.from_data(json.loads(codec.dumps(codec.to_data(value))))
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(back)
    else:
        assert back == value and type(back) is type(value)


def test_numpy_scalars_stay_numpy_scalars():
    back = codec.from_data(codec.to_data(np.float32(2.5)))
    assert isinstance(back, np.float32) and back == 2.5


def test_objects_arrive_as_opaque_descriptions_never_as_objects():
    class Sneaky:
        def __repr__(self):
            return "sneaky"

    for value in (Sneaky(), np.array([Sneaky()], dtype=object), print):
        back = codec.from_data(codec.to_data(value))
        assert isinstance(back, codec.Opaque)


def test_a_pickled_npy_payload_is_refused():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    payload = {"kind": "ndarray", "npy": base64.b64encode(buffer.getvalue()).decode()}
    with pytest.raises(ValueError, match="pickle"):
        codec.from_data(payload)


@pytest.mark.parametrize(
    "payload",
    [{"kind": "eval", "value": "1"}, ["not", "a", "dict"], {"kind": "int", "value": "9" * 500}],
)
def test_malformed_payloads_raise_decode_error(payload):
    with pytest.raises(codec.DecodeError):
        codec.from_data(payload)


def test_deep_nesting_is_refused():
    data = {"kind": "none"}
    for _ in range(codec.MAX_DEPTH + 5):
        data = {"kind": "list", "items": [data]}
    with pytest.raises(codec.DecodeError):
        codec.from_data(data)


def test_oversized_messages_are_refused_before_parsing():
    with pytest.raises(codec.DecodeError):
        codec.loads("[" * (codec.MAX_PAYLOAD_BYTES + 1))


def test_handles_name_kept_objects_and_become_them_again_only_in_the_kernel():
    kept = {3: object()}
    described = codec.handle_data(3, kept[3])
    seen_by_grader = codec.from_data(described)
    assert isinstance(seen_by_grader, codec.Handle) and seen_by_grader.id == 3
    sent_back = codec.to_data([seen_by_grader])
    assert codec.from_data(sent_back, kept=kept) == [kept[3]]
    with pytest.raises(KeyError):
        codec.from_data(codec.to_data(codec.Handle(4, "x", "")), kept=kept)
