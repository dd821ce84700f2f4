"""What running students' models in their own processes costs the checks (``autograder.model_host``).

For the cnn reference network and the first_network classifier (untrained: the cost does not
depend on the weights), alternating in one run: loading the saved file and predicting on the
10,000 test images in this process, as the checks did before, and in a confined model process,
as they do now. Also the one-off TensorFlow import the check process no longer pays. Per
notebook, the checks load 2 models (cnn) and 4 (first_network). Run as root to
measure the confined process the judge starts (otherwise it runs unconfined, with prlimit only):

    .venv/bin/python benchmarks/model_host_cost.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

LOADS_PER_NOTEBOOK = {"cnn": 2, "first_network": 4}


def models() -> dict[str, tuple[object, np.ndarray]]:
    import keras

    images = np.random.default_rng(0).random((10_000, 28, 28, 1)).astype("float32")
    cnn = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(32, 3, activation="relu", padding="same"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, activation="relu", padding="same"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.4),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    classifier = keras.Sequential(
        [
            keras.Input((28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    for model in (cnn, classifier):
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return {"cnn": (cnn, images), "first_network": (classifier, images[..., 0])}


def in_process(path: Path, images: np.ndarray) -> float:
    import keras

    from autograder.model_runner import tensorflow_activation_aliases

    started = time.perf_counter()
    aliases = tensorflow_activation_aliases()
    model = keras.models.load_model(path, safe_mode=True, compile=False, custom_objects=aliases)
    model.predict(images, verbose=0)
    return time.perf_counter() - started


def in_model_process(path: Path, images: np.ndarray) -> float:
    from autograder.model_host import ModelView

    started = time.perf_counter()
    view = ModelView(path.read_bytes())
    view.predict(images)
    view.close()
    return time.perf_counter() - started


def tensorflow_import() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import keras"], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="measurements per variant (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        times: dict[tuple[str, str], list[float]] = {}
        imports = [tensorflow_import() for _ in range(args.repeats)]
        for name, (model, images) in models().items():
            path = Path(scratch) / f"{name}.keras"
            model.save(path)
            in_process(path, images)  # warm-up: this process's own TensorFlow start
            for _ in range(args.repeats):
                for variant, measure in (("in process", in_process), ("model process", in_model_process)):
                    times.setdefault((name, variant), []).append(measure(path, images))
    print(f"import keras in a fresh process: {statistics.median(imports):.2f} s (median of {args.repeats})")
    for name, loads in LOADS_PER_NOTEBOOK.items():
        before = statistics.median(times[(name, "in process")])
        after = statistics.median(times[(name, "model process")])
        added = loads * (after - before) - statistics.median(imports)
        print(
            f"{name}: load + predict on 10,000 images: {before:.2f} s in process, {after:.2f} s in a model "
            f"process (+{after - before:.2f} s per load); {loads} loads per notebook: about {added:+.1f} s "
            "per notebook (the check process no longer imports TensorFlow itself)"
        )


if __name__ == "__main__":
    main()
