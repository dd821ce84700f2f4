"""A student's saved model runs in a confined process of its own (``autograder.model_host``).

Real Keras models, saved as a kernel saves them; the process is started as the judge starts it
(as root: a pool user id, namespaces, a cgroup). A model that runs out of memory or time costs
the check that ran it, with the reason, and this process (the check process) goes on.
"""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from autograder import feedback
from autograder.checks import CheckFailed
from autograder.model_host import ModelHost, ModelLimits, ModelView

IMAGES = np.random.default_rng(0).random((4, 28, 28, 1)).astype("float32")


def saved(model, tmp_path) -> bytes:
    """The ``.keras`` file's bytes, as ``autograder.models.saved_model`` hands them over."""
    path = tmp_path / f"model-{id(model)}.keras"
    model.save(path)
    return path.read_bytes()


def small_cnn():
    import keras

    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(4, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def memory_bomb():
    """7,850 weights, and every image blown up to 28,000 x 28,000 floats (3.1 GB): 4 images ask 12.5 GB."""
    import keras

    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.UpSampling2D(1000),
            keras.layers.MaxPooling2D(1000),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def test_an_honest_model_answers_as_it_does_in_process(tmp_path):
    import keras

    model = small_cnn()
    view = ModelView(saved(model, tmp_path))
    try:
        # The same computation on the same machine: the same numbers, to the bit.
        np.testing.assert_array_equal(view.predict(IMAGES), model.predict(IMAGES, verbose=0))
        np.testing.assert_array_equal(view(IMAGES), np.asarray(model(IMAGES)))
        assert view.built and view.count_params() == model.count_params() == 6810
        assert (view.input_shape, view.output_shape) == ((None, 28, 28, 1), (None, 10))
        assert view.first_input_shape == (None, 28, 28, 1)
        assert [(layer.kind, layer.units) for layer in view.layers] == [
            ("Conv2D", None), ("MaxPooling2D", None), ("Flatten", None), ("Dense", 10)
        ]  # fmt: skip
        probe = np.array([[-2.0, 0.0, 3.0]], dtype="float32")
        softmax = keras.activations.softmax(probe)
        np.testing.assert_allclose(view.layers[3].activation(probe), softmax, rtol=1e-6)
        np.testing.assert_array_equal(view.layers[0].activation(probe), np.maximum(probe, 0))
        assert view.layers[2].activation is None  # Flatten has none
    finally:
        view.close()


def test_a_model_keras_refuses_in_safe_mode_is_not_loadable(tmp_path):
    import keras

    model = keras.Sequential([keras.Input((3,)), keras.layers.Lambda(lambda x: x * 2)])
    with pytest.raises(CheckFailed) as refused:
        ModelView(saved(model, tmp_path))
    assert refused.value.key == "model_not_loadable" and "Lambda" in refused.value.fields["detail"]


@pytest.mark.parametrize(
    "limits",
    [
        # TensorFlow's allocation fails at the address-space cap: the model raises, the process lives on.
        ModelLimits(memory_bytes=1 << 30),
        # The address space is let through: the cgroup's memory cap stops it, the process is killed.
        pytest.param(
            ModelLimits(memory_bytes=1 << 30, address_space_bytes=64 << 30),
            marks=pytest.mark.skipif(os.geteuid() != 0, reason="the cgroup needs root"),
        ),
    ],
    ids=["address-space", "cgroup"],
)
def test_a_weightless_model_asking_for_tens_of_gb_costs_only_its_own_check(tmp_path, limits):
    bomb = memory_bomb()
    assert bomb.count_params() == 7850  # within any parameter budget
    view = ModelView(saved(bomb, tmp_path), limits)
    try:
        with pytest.raises(CheckFailed) as failed:
            view.predict(IMAGES)
        assert failed.value.key == "model_out_of_memory", failed.value.fields
        text = feedback.message(failed.value.key, ["zh", "en"], **failed.value.fields)
        assert "内存" in text and "more than the memory limit (1 GiB)" in text
        assert "model.predict on an array of shape (4, 28, 28, 1)" in text
        assert view.count_params() == 7850  # what was read at load stays: the budget check still passes
    finally:
        view.close()
    # This process (the checks') is untouched, and the next model runs as usual.
    honest = ModelView(saved(small_cnn(), tmp_path), limits)
    try:
        assert honest.predict(IMAGES).shape == (4, 10)
    finally:
        honest.close()


@pytest.mark.skipif(os.geteuid() != 0, reason="the cgroup needs root")
def test_models_share_a_process_and_one_that_kills_it_costs_only_its_own_checks(tmp_path):
    """A notebook's models are loaded in one process (TensorFlow imported once). The model that
    kills it is tried once more in a process of its own (the limits were shared) and fails there
    too; the others are loaded again in a new shared process and answer as before."""
    limits = ModelLimits(memory_bytes=1 << 30, address_space_bytes=64 << 30)  # the cgroup kills
    shared: list[ModelHost] = []
    alone: list[ModelHost] = []

    def hosts(alone_: bool = False) -> ModelHost:
        if alone_:
            alone.append(ModelHost(limits))
            return alone[-1]
        if not shared or shared[-1].failure is not None:
            shared.append(ModelHost(limits))
        return shared[-1]

    honest_model = small_cnn()
    expected = honest_model.predict(IMAGES, verbose=0)
    try:
        honest = ModelView(saved(honest_model, tmp_path), hosts=lambda alone=False: hosts(alone))
        bomb = ModelView(saved(memory_bomb(), tmp_path), hosts=lambda alone=False: hosts(alone))
        assert honest.host is bomb.host and len(shared) == 1 and honest.number != bomb.number
        np.testing.assert_array_equal(honest.predict(IMAGES), expected)
        with pytest.raises(CheckFailed) as failed:
            bomb.predict(IMAGES)
        assert failed.value.key == "model_out_of_memory", failed.value.fields
        assert len(alone) == 1 and bomb.host is alone[0]  # failed again on its own: its own fault
        with pytest.raises(CheckFailed):  # the bomb's later checks fail the same way, at once
            bomb.predict(IMAGES[:1])
        assert len(alone) == 1
        np.testing.assert_array_equal(honest.predict(IMAGES), expected)  # loaded again, elsewhere
        assert len(shared) == 2 and honest.host is shared[1] and honest.host.loaded == {honest.number}
        del bomb
    finally:
        for host in shared + alone:
            host.close()


def test_a_model_that_computes_for_minutes_is_stopped_at_the_wall_time_limit(tmp_path):
    import keras

    slow = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.UpSampling2D(36),  # 1,008 x 1,008
            keras.layers.Conv2D(64, 9, padding="same"),
            keras.layers.Conv2D(64, 9, padding="same"),  # 3.3e11 multiplications per image
            keras.layers.Conv2D(64, 9, padding="same"),
            keras.layers.GlobalMaxPooling2D(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    view = ModelView(saved(slow, tmp_path), ModelLimits(call_seconds=3))
    started = time.monotonic()
    with pytest.raises(CheckFailed) as failed:
        view.predict(IMAGES[:1])
    assert failed.value.key == "model_time_limit" and failed.value.fields["seconds"] == "3"
    assert time.monotonic() - started < 30
    assert view.host._process.popen.poll() is not None  # killed, not left computing
    started = time.monotonic()
    with pytest.raises(CheckFailed) as again:  # the same check asking again is not kept waiting
        view.predict(IMAGES[:1])
    assert again.value.key == "model_time_limit" and time.monotonic() - started < 1


def test_a_model_process_past_its_cpu_time_is_stopped_with_that_reason(tmp_path):
    """Two CPU seconds are not enough to even import TensorFlow (about 4.5): the load is what stops."""
    with pytest.raises(CheckFailed) as failed:
        ModelView(saved(small_cnn(), tmp_path), ModelLimits(cpu_seconds=2))
    assert failed.value.key == "model_cpu_limit" and failed.value.fields["what"] == "loading the model"


@pytest.mark.skipif(os.geteuid() != 0, reason="confinement needs root")
def test_the_model_runs_as_a_pool_user_without_network_in_its_own_cgroup(tmp_path, outside_tmp):
    """...with the machine's Unix sockets covered, except under the kernels' directories, where a student's
    kernel could make as many as it likes (to push real ones past the cover's cap, or to cost a scan)."""
    kernel_root, elsewhere = outside_tmp / "model-kernels", outside_tmp / "model-service"
    for socket_path in (kernel_root / "kernel-64001" / "student.sock", elsewhere / "service.sock"):
        socket_path.parent.mkdir(parents=True)
        socket.socket(socket.AF_UNIX).bind(str(socket_path))
    view = ModelView(saved(small_cnn(), tmp_path), ModelLimits(kernel_root=str(kernel_root)))
    try:
        process = view.host._process
        pids = process.cgroup.pids()
        assert pids, "the model's processes are in its cgroup"
        shell = [Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") for pid in pids]
        script = next(argv[2].decode() for argv in shell if argv[:2] == [b"sh", b"-c"])
        assert str(elsewhere / "service.sock") in script and str(kernel_root) not in script
        # The shell that set up the namespaces (pid 1 there) stays root; the model's Python does not.
        python = [pid for pid in pids if Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:3] == [
            sys.executable.encode(), b"-m", b"autograder.model_runner"
        ]]  # fmt: skip
        assert len(python) == 1
        lines = Path(f"/proc/{python[0]}/status").read_text().splitlines()
        status = dict(line.split(":", 1) for line in lines if ":" in line)
        uid = int(status["Uid"].split()[0])
        assert uid == process.claimed[0] and uid >= 64000 and status["NoNewPrivs"].strip() == "1"
        for namespace in ("net", "pid", "mnt", "ipc"):
            assert os.readlink(f"/proc/{python[0]}/ns/{namespace}") != os.readlink(
                f"/proc/self/ns/{namespace}"
            )
    finally:
        view.close()
    assert not process.cgroup and not any(Path(f"/proc/{pid}").exists() for pid in python)
