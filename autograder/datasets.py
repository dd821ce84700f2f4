"""Offline copies of the course's data sets, found where the standard loaders look.

``keras.datasets.fashion_mnist.load_data()`` reads ``$KERAS_HOME/datasets/fashion-mnist``
and ``scipy.datasets.ascent()`` reads pooch's ``scipy-data`` cache, so linking the
files there keeps the notebooks' standard loading code working without a network.
Set-up is idempotent: run it as often as you like.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
from pathlib import Path

import numpy as np

FASHION_MNIST_DEBIAN = Path("/usr/share/datasets/fashion-mnist")
FASHION_MNIST_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)
ASCENT_CANDIDATES = (Path("../shared/data/ascent.dat"),)


def cache_root() -> Path:
    """The course's own data cache, readable by sandboxed kernels."""
    return Path(os.environ.get("AUTOGRADER_DATA_DIR", Path.cwd() / ".cache")).resolve()


def _fashion_mnist(prefix: str) -> tuple[np.ndarray, np.ndarray]:
    folders = [cache_root() / "keras" / "datasets" / "fashion-mnist", FASHION_MNIST_DEBIAN]
    images_file = f"{prefix}-images-idx3-ubyte.gz"
    folder = next((f for f in folders if (f / images_file).exists()), FASHION_MNIST_DEBIAN)
    with gzip.open(folder / images_file) as fh:
        images = np.frombuffer(fh.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(folder / f"{prefix}-labels-idx1-ubyte.gz") as fh:
        labels = np.frombuffer(fh.read(), np.uint8, offset=8)
    return images, labels


def fashion_mnist_test() -> tuple[np.ndarray, np.ndarray]:
    """Fashion-MNIST's 10,000 test images (uint8, N×28×28) and labels, read without TensorFlow.

    For hidden checks, which evaluate a student's model on images the grader chooses.
    """
    return _fashion_mnist("t10k")


def fashion_mnist_train() -> tuple[np.ndarray, np.ndarray]:
    """Fashion-MNIST's 60,000 training images and labels, as ``keras.datasets`` gives them."""
    return _fashion_mnist("train")


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() and target.resolve() == source.resolve():
        return
    if target.exists() or target.is_symlink():
        target.unlink()
    target.symlink_to(source.resolve())


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        shutil.copyfile(source, target)


def set_up(keras_homes: list[Path], cache_dirs: list[Path], ascent: Path | None) -> list[str]:
    """Link Fashion-MNIST into each Keras home and copy ascent into each cache dir."""
    report = []
    missing = [name for name in FASHION_MNIST_FILES if not (FASHION_MNIST_DEBIAN / name).exists()]
    if missing:
        report.append(f"Fashion-MNIST: missing {missing} (apt-get install dataset-fashion-mnist)")
    else:
        for home in keras_homes:
            for name in FASHION_MNIST_FILES:
                _link(FASHION_MNIST_DEBIAN / name, home / "datasets" / "fashion-mnist" / name)
            report.append(f"Fashion-MNIST: linked into {home / 'datasets' / 'fashion-mnist'}")
    if ascent is None or not ascent.exists():
        report.append("ascent: no local ascent.dat found; scipy.datasets.ascent() will need a network")
    else:
        for cache in cache_dirs:
            _copy(ascent, cache / "scipy-data" / "ascent.dat")
            report.append(f"ascent: cached in {cache / 'scipy-data'}")
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ascent", type=Path, help="path to ascent.dat (default: ../shared/data/ascent.dat)")
    args = parser.parse_args(argv)
    ascent = args.ascent or next((p for p in ASCENT_CANDIDATES if p.exists()), None)
    home = Path.home()
    user_keras = Path(os.environ.get("KERAS_HOME", home / ".keras"))
    user_cache = Path(os.environ.get("XDG_CACHE_HOME", home / ".cache"))
    course = cache_root()
    for line in set_up([course / "keras", user_keras], [course, user_cache], ascent):
        print(line)


if __name__ == "__main__":
    main()
