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
import os
import resource
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


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def in_process(path: Path, images: np.ndarray) -> tuple[float, float]:
    """(wall, CPU) seconds of loading and predicting here."""
    import keras

    from autograder.model_runner import tensorflow_activation_aliases

    started, cpu = time.perf_counter(), time.process_time()
    aliases = tensorflow_activation_aliases()
    model = keras.models.load_model(path, safe_mode=True, compile=False, custom_objects=aliases)
    model.predict(images, verbose=0)
    return time.perf_counter() - started, time.process_time() - cpu


def in_model_process(path: Path, images: np.ndarray) -> tuple[float, float]:
    """(wall, CPU) seconds of the same in a model process."""
    from autograder.model_host import ModelView

    started, cpu = time.perf_counter(), time.process_time()
    view = ModelView(path.read_bytes())
    view.predict(images)
    used = process_cpu(view.host._process)
    view.close()
    return time.perf_counter() - started, time.process_time() - cpu + used


def process_cpu(process) -> float:
    """CPU seconds of the model's processes so far (they are killed, not waited for, on close)."""
    pids = process.cgroup.pids() if process.cgroup is not None else {process.popen.pid}
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (all threads)
    return ticks / os.sysconf("SC_CLK_TCK")


def tensorflow_import() -> tuple[float, float]:
    started, cpu = time.perf_counter(), children_cpu()
    subprocess.run([sys.executable, "-c", "import keras"], check=True, capture_output=True)
    return time.perf_counter() - started, children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="measurements per variant (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        imports = [tensorflow_import() for _ in range(args.repeats)]
        for name, (model, images) in models().items():
            path = Path(scratch) / f"{name}.keras"
            model.save(path)
            in_process(path, images)  # warm-up: this process's own TensorFlow start
            for _ in range(args.repeats):
                for variant, measure in (("in process", in_process), ("model process", in_model_process)):
                    times.setdefault((name, variant), []).append(measure(path, images))
    print(f"medians of {args.repeats}; wall time (CPU time)")
    print("import keras in a fresh process: " + shown(imports))
    for name, loads in LOADS_PER_NOTEBOOK.items():
        before, after = times[(name, "in process")], times[(name, "model process")]
        print(f"{name}: load + predict on 10,000 images: {shown(before)} in process,")
        print(f"  {shown(after)} in a model process")
        added = [loads * (median(after, i) - median(before, i)) - median(imports, i) for i in (0, 1)]
        print(
            f"  {loads} loads per notebook, less the TensorFlow import the check process no longer does: "
            f"{added[0]:+.1f} s ({added[1]:+.1f} s CPU) per notebook"
        )


def median(pairs: list[tuple[float, float]], index: int) -> float:
    return statistics.median(pair[index] for pair in pairs)


def shown(pairs: list[tuple[float, float]]) -> str:
    return f"{median(pairs, 0):.2f} s ({median(pairs, 1):.2f} s CPU)"


if __name__ == "__main__":
    main()
