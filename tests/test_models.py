"""``autograder.models``: what the grader accepts as a file the kernel saved (no kernel needed)."""

from __future__ import annotations

import pytest

from autograder import models


def test_a_link_planted_by_the_kernel_is_not_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("reference answers")
    (tmp_path / "model.keras").symlink_to(secret)
    with pytest.raises(OSError):
        models.copy_regular_file(tmp_path / "model.keras", tmp_path / "copy.keras")
    assert not (tmp_path / "copy.keras").exists()


def test_a_directory_or_an_oversized_file_is_refused(tmp_path, monkeypatch):
    (tmp_path / "dir.keras").mkdir()
    with pytest.raises(OSError):
        models.copy_regular_file(tmp_path / "dir.keras", tmp_path / "copy.keras")
    monkeypatch.setattr(models, "MAX_MODEL_BYTES", 10)
    (tmp_path / "big.keras").write_bytes(b"x" * 11)
    with pytest.raises(OSError, match="over 10 bytes"):
        models.copy_regular_file(tmp_path / "big.keras", tmp_path / "copy.keras")


def test_a_regular_file_is_copied(tmp_path):
    (tmp_path / "model.keras").write_bytes(b"PK zip")
    models.copy_regular_file(tmp_path / "model.keras", tmp_path / "copy.keras")
    assert (tmp_path / "copy.keras").read_bytes() == b"PK zip"
