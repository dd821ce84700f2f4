"""What the grader accepts as a model file the kernel saved (no kernel needed).

``trained_model`` reads the file with ``autograder.intake.read_regular_file``; these check
that a kernel cannot make the grader follow a link, block on a FIFO or read a folder.
"""

from __future__ import annotations

import os

import pytest

from autograder import models
from autograder.intake import read_regular_file
from autograder.model_host import ModelLimits


def test_a_link_planted_by_the_kernel_is_not_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("reference answers")
    (tmp_path / "model.keras").symlink_to(secret)
    with pytest.raises(OSError):
        read_regular_file(tmp_path / "model.keras", 1000)


def test_a_fifo_or_a_folder_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "fifo.keras")
    with pytest.raises(OSError, match="not a regular file"):
        read_regular_file(tmp_path / "fifo.keras", 1000)
    (tmp_path / "dir.keras").mkdir()
    with pytest.raises(OSError, match="not a regular file"):
        read_regular_file(tmp_path / "dir.keras", 1000)


def test_a_regular_file_is_read_up_to_one_byte_past_the_limit(tmp_path):
    (tmp_path / "model.keras").write_bytes(b"x" * 50)
    assert read_regular_file(tmp_path / "model.keras", 100) == b"x" * 50
    assert len(read_regular_file(tmp_path / "model.keras", 10)) == 11  # the caller sees it is too big


def test_compile_settings_are_named_as_keras_saves_them():
    """The three spellings a course's students use: a string, a loss object, a plain function."""
    import keras

    from autograder.models import compile_setting_name

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(
        optimizer=keras.optimizers.SGD(),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=["accuracy", keras.metrics.sparse_categorical_accuracy],
    )
    saved = model.get_compile_config()
    assert compile_setting_name(saved["optimizer"]) == "SGD"
    assert compile_setting_name(saved["loss"]) == "SparseCategoricalCrossentropy"
    assert [compile_setting_name(m) for m in saved["metrics"]] == ["accuracy", "sparse_categorical_accuracy"]
    assert compile_setting_name(42) is None


def bomb(path, members: dict[str, int]) -> None:
    """A zip whose members unpack to the given sizes (zeros compress a thousandfold)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, size in members.items():
            with archive.open(name, "w", force_zip64=True) as member:
                chunk = b"\0" * (1 << 20)
                for _ in range(size >> 20):
                    member.write(chunk)
                member.write(b"\0" * (size & ((1 << 20) - 1)))


@pytest.mark.parametrize(
    "members, reason",
    [
        ({"config.json": 10, "model.weights.h5": 2 * models.MAX_UNPACKED_BYTES}, "unpacks to"),
        ({"config.json": 2 * models.MAX_CONFIG_BYTES}, "config.json is"),
        ({f"f{i}": 1 for i in range(models.MAX_MEMBERS + 1)}, r"files \(at most"),
    ],
    ids=["zip-bomb", "huge-config", "many-files"],
)
def test_a_model_archive_is_checked_before_anything_is_unpacked(tmp_path, members, reason):
    path = tmp_path / "model.keras"
    bomb(path, members)
    assert path.stat().st_size < 2 * 1024 * 1024  # small on disk: only the headers tell
    with pytest.raises(models.UnsafeArchive, match=reason):
        models.read_model_config(path)


def test_a_real_model_archive_passes(tmp_path):
    import keras

    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
    model.save(tmp_path / "model.keras")
    assert models.read_model_config(tmp_path / "model.keras")["class_name"] == "Sequential"


class FakeHost:
    """Stands in for a model process: records what the run does with it."""

    def __init__(self, limits=None, started_ahead=False, alive=True):
        self.limits, self.started_ahead, self._alive = limits or ModelLimits(), started_ahead, alive
        self.taken = self.closed = False

    def alive(self):
        return self._alive

    def take(self):
        self.taken = True

    def close(self):
        self.closed = True


@pytest.mark.parametrize("case", ["same limits", "other limits", "died"])
def test_a_model_process_started_ahead_serves_the_run_only_if_started_with_its_limits(
    monkeypatch, tmp_path, case
):
    monkeypatch.chdir(tmp_path)  # the check run's folder: the hint for the next run is left there
    monkeypatch.setattr(models, "ModelHost", FakeHost)
    limits = ModelLimits(call_seconds=30.0)
    ahead = FakeHost(
        ModelLimits(call_seconds=60.0) if case == "other limits" else limits, alive=case != "died"
    )
    monkeypatch.setattr(models, "_started_ahead", ahead)
    host = models._new_host(limits)
    if case == "same limits":
        assert host is ahead and ahead.taken and not ahead.closed
    else:
        assert host is not ahead and ahead.closed and host.limits == limits
    assert models._started_ahead is None
    assert (tmp_path / models.USED_A_MODEL_PROCESS).exists()
