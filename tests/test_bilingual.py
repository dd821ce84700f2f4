"""Everything a student reads is Chinese first with English beside it (#21 point 6): the release
notebooks' Markdown cells follow the bilingual format, and every visible-check message has both languages.
The checker itself is tested on small cells: a good one passes and each kind of bad one is caught."""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
import pkgutil
import re
import string
import textwrap

import nbformat
import numpy as np
import pytest

import autograder.visible
from autograder import bilingual
from autograder.classroom import SOLUTION_MARKERS, repo_root
from autograder.visible import activations, convolution
from autograder.visible.messages import SHARED, Text
from solutions.activations import reference as activations_reference
from solutions.convolution import reference as convolution_reference

REPO = repo_root()
RELEASED = sorted(p.relative_to(REPO) for p in (REPO / "release").glob("*/*.ipynb"))

# ---------------------------------------------------------------- the release notebooks


@pytest.mark.parametrize("notebook", RELEASED, ids=str)
def test_every_student_facing_markdown_cell_is_chinese_then_english(notebook):
    cells = nbformat.read(REPO / notebook, as_version=4).cells
    problems = bilingual.notebook_problems(cells)
    assert problems == [], f"{notebook} does not follow the bilingual format:\n" + "\n".join(problems)


# What a plot shows: titles, axis labels and legend entries. A label that is only code or maths
# ("relu(x)", "sigmoid σ(x)", "x") needs no translation; one with English words needs Chinese beside it.
PLOT_TEXT_CALLS = {"title", "set_title", "suptitle", "xlabel", "ylabel", "set_xlabel", "set_ylabel"}
PLOT_TEXT_KEYWORDS = {"label", "title", "xlabel", "ylabel"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _literal_text(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):  # f"图片 image {index}": the literal parts
        return " ".join(part.value for part in node.values if isinstance(part, ast.Constant))
    return ""


def plot_labels_without_chinese(source: str) -> list[str]:
    """Plot texts in ``source`` that have English words and no Chinese."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        texts = [_literal_text(node.args[0])] if name in PLOT_TEXT_CALLS and node.args else []
        texts += [_literal_text(k.value) for k in node.keywords if k.arg in PLOT_TEXT_KEYWORDS]
        found += [t for t in texts if t and not CJK.search(t) and _has_english_words(t)]
    return found


def _has_english_words(text: str) -> bool:
    """Words, not code: "value" or "training accuracy", not "relu(x)", "x" or "sigmoid σ(x)" (a formula
    with the function's name)."""
    calls = re.compile(r"\w+\([^)]*\)")
    words = [w for w in re.findall(r"[A-Za-z]+", calls.sub(" ", text)) if len(w) >= 2]
    if calls.search(text):
        return len(words) > 1
    return any(len(word) >= 3 for word in words)


@pytest.mark.parametrize("notebook", RELEASED, ids=str)
def test_every_plot_label_a_student_sees_has_chinese(notebook):
    cells = nbformat.read(REPO / notebook, as_version=4).cells
    code = [SOLUTION_MARKERS.sub("", c.source) for c in cells if c.cell_type == "code"]
    labels = [label for source in code for label in plot_labels_without_chinese(source)]
    assert labels == [], f"{notebook}: plot texts in English only: {labels}"


@pytest.mark.parametrize(
    "source, caught",
    [
        ('plt.title("accuracy per epoch")', True),
        ('plt.ylabel("value")', True),
        ('ax.plot(x, y, label="training accuracy")', True),
        ('ax.set_title(f"image {i}: {name}")', True),
        ('ax.plot(x, y, label="derivative tanh\'(x)")', True),
        ('plt.title("每轮的准确率 · accuracy per epoch")', False),
        ('plt.plot(xs, relu(xs), label="relu(x)")', False),
        ('plt.plot(xs, sigmoid(xs), label="sigmoid σ(x)")', False),
        ('plt.xlabel("x")', False),
    ],
)
def test_the_plot_label_check_catches_english_only_labels(source, caught):
    assert bool(plot_labels_without_chinese(source)) == caught


# ---------------------------------------------------------------- the checker on small cells

GOOD = """\
## 2. 子类化 keras.losses.Loss · Subclassing keras.losses.Loss

实现 `CustomMSE`：它是 `keras.losses.Loss` 的子类 (subclass)，默认的 `regularization_factor` 为 0.1。
损失函数先计算均方误差，再加上正则化项：

$$L = \\frac{1}{n}\\sum (y - \\hat y)^2 + \\lambda \\cdot \\frac{1}{n}\\sum (0.5 - \\hat y)^2$$

```python
loss = CustomMSE(regularization_factor=0.1)
```

> 课程笔记：自定义损失函数要继承 Loss 类。

---

Implement `CustomMSE`, a subclass of `keras.losses.Loss` whose default `regularization_factor` is 0.1.
The loss (损失函数) is the mean squared error plus the regularization term of the formula above.
"""


def _cell(source: str, **nbgrader) -> dict:
    return {"cell_type": "markdown", "metadata": {"nbgrader": nbgrader} if nbgrader else {}, "source": source}


def test_a_bilingual_cell_passes():
    assert bilingual.markdown_problems(GOOD) == []


def test_a_heading_only_cell_passes():
    assert bilingual.markdown_problems("## 3. 用自定义损失训练 · Training with your loss\n") == []


def test_a_cell_with_nothing_to_read_passes():
    assert bilingual.markdown_problems("![](figure.png)\n") == []


ENGLISH = "Implement `relu(x)`: return the maximum of 0 and x elementwise, with the same rules as above."
CHINESE = "实现 `relu(x)`：逐元素返回 0 和 x 中较大的一个，输入、输出规则同上。"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (ENGLISH, "English without Chinese"),
        # English with Chinese terms in brackets is still English (the notebooks before #21).
        (
            "Implement the activation function (激活函数) `relu` and its derivative (导数) here.",
            "English without Chinese",
        ),
        (CHINESE, "Chinese without English"),
        (f"{CHINESE}\n\n{ENGLISH}", "no '---' line"),
        (f"{CHINESE}\n\n---\n\n{ENGLISH}\n\n---\n\n{ENGLISH}", "'---' lines"),
        (f"## ReLU\n\n{CHINESE}\n\n---\n\n{ENGLISH}", "heading in English only"),
        (f"## 修正线性单元 ReLU\n\n{CHINESE}\n\n---\n\n{ENGLISH}", "heading without ' · '"),
        (f"## 修正线性单元 · 整流\n\n{CHINESE}\n\n---\n\n{ENGLISH}", "heading without English"),
        (f"{ENGLISH}\n\n---\n\n{ENGLISH}", "the part before '---' is not Chinese"),
        (f"{CHINESE}\n\n---\n\n{CHINESE}", "the part after '---' is not English"),
        (
            f"{CHINESE}\n\n---\n\nImplement `relu(x)`: return 逐元素 the larger of 0 and x, as above.",
            "Chinese outside brackets",
        ),
        (f"{CHINESE * 4}\n\n---\n\nImplement it.", "do not say the same"),
    ],
    ids=[
        "english-only",
        "english-with-bracketed-chinese",
        "chinese-only",
        "no-separator",
        "two-separators",
        "english-heading",
        "heading-without-dot",
        "heading-without-english",
        "english-before-separator",
        "chinese-after-separator",
        "chinese-in-english-part",
        "english-part-too-short",
    ],
)
def test_each_kind_of_bad_cell_is_caught(source, reason):
    problems = bilingual.markdown_problems(source)
    assert any(reason in p for p in problems), problems


def test_the_checker_names_the_cell_and_skips_written_answers():
    cells = [
        _cell(GOOD, grade_id="explain_custom_mse"),
        {"cell_type": "code", "metadata": {}, "source": "x = 1  # English only is fine in code"},
        _cell("YOUR ANSWER HERE", grade_id="answer_overfitting", solution=True, grade=True),
        _cell(ENGLISH, grade_id="explain_relu"),
    ]
    assert bilingual.notebook_problems(cells) == [
        "cell 3 (explain_relu): English without Chinese (no '---' line, no Chinese part)"
    ]


def test_code_math_tables_and_quotes_are_not_weighed_as_language():
    english_code = "```python\n" + "model.fit(x_train, y_train, epochs=5, verbose=0)\n" * 20 + "```\n"
    table = "| Function | Points |\n|---|---|\n| `sigmoid` | 2 |\n"
    source = f"{CHINESE}\n\n{english_code}\n{table}\n$$a = g(z)$$\n\n---\n\n{ENGLISH}"
    assert bilingual.markdown_problems(source) == []


# ---------------------------------------------------------------- visible-check messages

# Every module of autograder.visible, found as Python finds them (no list kept by hand): the assignments'
# modules, each with its checks and the table of their texts (TEXTS), and messages.py and report.py.
VISIBLE_MODULES = {
    info.name: importlib.import_module(f"autograder.visible.{info.name}")
    for info in pkgutil.iter_modules(autograder.visible.__path__)
}
NOT_ASSIGNMENTS = {"messages", "report"}
ASSIGNMENTS = sorted(set(VISIBLE_MODULES) - NOT_ASSIGNMENTS)
# Each table of texts: the shared one (messages.py) and every assignment's own.
TABLES = {"messages": SHARED, **{name: VISIBLE_MODULES[name].TEXTS for name in ASSIGNMENTS}}


def test_the_visible_modules_are_found():
    assert {"activations", "convolution", "messages", "report"} <= set(VISIBLE_MODULES)
    assert len(ASSIGNMENTS) >= 7


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_assignment_says_its_texts_and_the_shared_ones(name):
    module = VISIBLE_MODULES[name]
    assert module.TEXTS and all(isinstance(text, Text) for text in module.TEXTS.values())
    assert not module.TEXTS.keys() & SHARED.keys()
    assert module.say.texts == {**SHARED, **module.TEXTS}


TABLE_KEYS = [(table, key) for table in TABLES for key in sorted(TABLES[table])]


@pytest.mark.parametrize(("table", "key"), TABLE_KEYS, ids=[f"{table}:{key}" for table, key in TABLE_KEYS])
def test_every_visible_check_message_has_both_languages(table, key):
    assert bilingual.message_problems(*TABLES[table][key]) == []


def _keys_named(source: str) -> set[str]:
    """The strings of a module outside its TEXTS table (a key may be passed through a helper)."""
    tree = ast.parse(source)
    table = _table_nodes(tree)
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in table
    }


def test_each_text_is_used_and_only_shared_texts_are_shared():
    """An assignment's texts are said by its own checks; messages.py keeps the texts report.py says and
    those of several assignments."""
    named = {
        name: _keys_named((REPO / "autograder" / "visible" / f"{name}.py").read_text())
        for name in ASSIGNMENTS
    }
    for name in ASSIGNMENTS:
        unused = sorted(set(VISIBLE_MODULES[name].TEXTS) - named[name])
        assert unused == [], f"{name}.TEXTS has texts its checks never say: {unused}"
    said_by_report = {"all_passed"} | {key for key in SHARED if key.startswith("label.")}
    for key in set(SHARED) - said_by_report:
        users = [name for name in ASSIGNMENTS if key in named[name]]
        assert len(users) >= 2, f"{key!r} is used by {users}: move it to that assignment's TEXTS"


@pytest.mark.parametrize(
    ("pair", "reason"),
    [
        (Text("all visible checks passed", "all visible checks passed"), "the Chinese text has no Chinese"),
        (Text("可见检查全部通过", "可见检查全部通过"), "the English text has no English"),
        (Text("可见检查全部通过", "all passed / 全部通过"), "the English text has Chinese"),
        (Text("训练的 epoch 数应为 {n}", "the number of epochs must be {count}"), "different fields"),
        (Text("应在 20 个 epoch 以内超过 0.9", "must pass 0.9 within 10 epochs"), "different numbers"),
    ],
)
def test_a_one_language_message_is_caught(pair, reason):
    assert any(reason in p for p in bilingual.message_problems(*pair))


SAYS = {"passed", "note", "fail", "failure", "text"}  # the Reporter's methods that take a message key


def _fields(text: Text) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text.zh) if field}


def _table_nodes(tree: ast.AST) -> set[int]:
    """The nodes of a module's TEXTS table (its own texts, in Chinese and English)."""
    return {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Assign, ast.AnnAssign))
        and any(
            isinstance(target, ast.Name) and target.id == "TEXTS"
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
        and node.value is not None
        for inner in ast.walk(node.value)
    }


def texts_outside_the_table(source: str, table: dict[str, Text], prints: bool = False) -> list[str]:
    """Where a visible-check module says something without a key of its ``table`` (its TEXTS and the shared
    ones): a literal key that is not in the table or whose fields the call does not fill exactly, a print()
    or AssertionError() of its own (only report.py may print), Chinese in a string outside TEXTS."""
    tree = ast.parse(source)
    in_table = _table_nodes(tree)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            if name in SAYS:
                key = node.args[0] if node.args else None
                keys = [key.body, key.orelse] if isinstance(key, ast.IfExp) else [key]
                # A name is a key passed through (a helper's parameter); what it prints is tested below.
                if not all(
                    isinstance(k, ast.Name) or isinstance(k, ast.Constant) and k.value in table for k in keys
                ):
                    found.append(f"line {node.lineno}: {name}() without a key of its table")
                    continue
                given = {keyword.arg for keyword in node.keywords} - {"value"}
                for k in keys:
                    if isinstance(k, ast.Constant) and None not in given and given != _fields(table[k.value]):
                        found.append(f"line {node.lineno}: {name}({k.value!r}) fills {sorted(given)}")
            elif name in ("print", "AssertionError") and isinstance(node.func, ast.Name) and not prints:
                found.append(f"line {node.lineno}: {name}() of its own")
        literal = (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and id(node) not in in_table
        )
        if literal and bilingual.han_count(node.value):
            found.append(f"line {node.lineno}: Chinese in a string outside TEXTS")
    return found


@pytest.mark.parametrize("name", sorted(set(VISIBLE_MODULES) - {"messages"}))
def test_visible_checks_take_every_text_from_their_table(name):
    module = VISIBLE_MODULES[name]
    table = SHARED if name == "report" else module.say.texts
    source = (REPO / "autograder" / "visible" / f"{name}.py").read_text()
    assert texts_outside_the_table(source, table, prints=name == "report") == []


def test_a_text_outside_the_table_is_caught():
    source = textwrap.dedent(
        '''
        """Docstrings may say 可见检查."""
        TEXTS: dict[str, Text] = {"right_value": Text("取值正确", "right value")}
        def check(f, wrong):
            say.passed("all_passed")
            say.passed("right_value" if wrong else "no such key")
            say.passed("epochs_ok", count=3)
            note("act.right_value")
            print("  ✓ all visible checks passed")
            raise AssertionError("值不对 / wrong value")
        '''
    )
    table = {**SHARED, "right_value": Text("取值正确", "right value")}
    assert texts_outside_the_table(source, table) == [
        "line 6: passed() without a key of its table",
        "line 7: passed('epochs_ok') fills ['count']",
        "line 8: note() without a key of its table",
        "line 9: print() of its own",
        "line 10: AssertionError() of its own",
        "line 10: Chinese in a string outside TEXTS",
    ]


def _lines_and_failure(check, *args):
    """What a visible check prints, and the message of its failure (or None)."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        try:
            check(*args)
        except AssertionError as error:
            return printed.getvalue().splitlines(), str(error)
    return printed.getvalue().splitlines(), None


def _overflowing_sigmoid(x):
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def _mutating_relu(x):
    x = np.asarray(x, dtype=float)
    x[x < 0] = 0
    return x


def _flat_relu(x):
    return np.maximum(np.asarray(x, dtype=float), 0).ravel()


def _border_changing_convolution(image, kernel, weight=1.0):
    if image.dtype != np.uint8:
        raise ValueError("uint8 only")
    out = convolution_reference.convolve3x3(image, kernel, weight)
    out[0, 0] = out[0, 0] ^ 1
    return out


def _accepting_convolution(image, kernel, weight=1.0):
    return convolution_reference.convolve3x3(image.astype(np.uint8), kernel, weight)


def _looping_fast_convolution(image, kernel, weight=1.0):
    out = np.empty_like(image)
    for row in range(image.shape[0]):
        out[row] = convolution_reference.convolve3x3(image, kernel, weight)[row]
    return out


def _off_by_one_fast_convolution(image, kernel, weight=1.0):
    out = convolution_reference.convolve3x3_fast(image, kernel, weight)
    out[5, 7] = out[5, 7] ^ 1
    return out


RUNS = {
    "sigmoid": (activations.check_sigmoid, activations_reference.sigmoid),
    "sigmoid_derivative": (activations.check_sigmoid_derivative, activations_reference.sigmoid_derivative),
    "relu": (activations.check_relu, activations_reference.relu),
    "tanh": (activations.check_tanh, activations_reference.tanh),
    "overflowing sigmoid": (activations.check_sigmoid, _overflowing_sigmoid),
    "sigmoid returning a list": (activations.check_sigmoid, lambda x: [0.5]),
    "mutating relu": (activations.check_relu, _mutating_relu),
    "flattening relu": (activations.check_relu, _flat_relu),
    "relu as the derivative": (activations.check_relu_derivative, activations_reference.relu),
    "convolve3x3": (convolution.check_convolve3x3, convolution_reference.convolve3x3),
    "border-changing convolve3x3": (convolution.check_convolve3x3, _border_changing_convolution),
    "float-accepting convolve3x3": (convolution.check_convolve3x3, _accepting_convolution),
    "max_pool2x2": (convolution.check_max_pool2x2, convolution_reference.max_pool2x2),
    "max_pool2x2 returning a list": (convolution.check_max_pool2x2, lambda image: [[5, 8], [9, 4]]),
    "convolve3x3_fast": (
        convolution.check_convolve3x3_fast,
        convolution_reference.convolve3x3_fast,
        convolution_reference.convolve3x3,
    ),
    "convolve3x3_fast with a pixel loop": (
        convolution.check_convolve3x3_fast,
        _looping_fast_convolution,
        convolution_reference.convolve3x3,
    ),
    "convolve3x3_fast off by one": (
        convolution.check_convolve3x3_fast,
        _off_by_one_fast_convolution,
        convolution_reference.convolve3x3,
    ),
}


PASSING = {"sigmoid", "sigmoid_derivative", "relu", "tanh", "convolve3x3", "max_pool2x2", "convolve3x3_fast"}


@pytest.mark.parametrize("run", RUNS)
def test_what_visible_checks_print_is_chinese_then_english(run):
    """Every ✓ line and information line, every failure's message and its labels, passing and failing."""
    check, *args = RUNS[run]
    lines, failed = _lines_and_failure(check, *args)
    assert lines or failed, "the check printed nothing"
    for line in lines:
        if any(c.isalpha() for c in line):  # not the continuation of a printed array
            assert bilingual.printed_line_problem(line.strip()) is None
    assert (failed is None) == (run in PASSING), failed
    if failed is not None:
        message, *details = failed.splitlines()
        assert bilingual.printed_line_problem(message) is None
        labels = [line.split(":")[0].split() for line in details if line.startswith("  ") and ":" in line]
        for words in labels:
            if words and bilingual.han_count(words[0]):
                assert len(words) >= 2 and bilingual.english_words(" ".join(words[1:])), details


def test_a_one_language_printed_line_is_caught():
    assert bilingual.printed_line_problem("✓ all visible checks passed")
    assert bilingual.printed_line_problem("✓ 可见检查全部通过")
    assert bilingual.printed_line_problem("✓ 可见检查全部通过 / 全部通过")
    assert bilingual.printed_line_problem("✓ 可见检查全部通过 / all visible checks passed") is None


# The Keras assignments' visible checks, run as a student runs them: the source notebook's imports cell, the
# reference solution cells and the visible-check cells, in notebook order (the training cells are left out:
# they take minutes).
NOTEBOOK_RUNS = {
    "losses": [
        "imports",
        "custom_mean_squared_error",
        "test_custom_mean_squared_error",
        "CustomMSE",
        "test_CustomMSE",
    ],
    "layers": [
        "imports",
        "SimpleDense",
        "test_SimpleDense",
        "ActivityRegularizationLayer",
        "test_ActivityRegularizationLayer",
        "MLP",
        "test_MLP",
    ],
    "callbacks": ["imports", "AccuracyThresholdCallback", "test_AccuracyThresholdCallback"],
    "cnn": ["imports", "preprocess", "test_preprocess", "build_cnn", "test_build_cnn"],
    "first_network": ["imports", "build_fashion_classifier", "test_build_fashion_classifier"],
}


@pytest.mark.parametrize("assignment", NOTEBOOK_RUNS)
def test_keras_visible_checks_pass_the_reference_in_both_languages(assignment):
    cells = {
        cell.metadata["nbgrader"]["grade_id"]: SOLUTION_MARKERS.sub("", cell.source)
        for cell in nbformat.read(REPO / "source" / assignment / f"{assignment}.ipynb", as_version=4).cells
        if cell.cell_type == "code"
    }
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for grade_id in NOTEBOOK_RUNS[assignment]:
            exec(compile(cells[grade_id], f"{assignment}:{grade_id}", "exec"), namespace)  # noqa: S102
    lines = [line for line in printed.getvalue().splitlines() if any(c.isalpha() for c in line)]
    assert lines.count(f"✓ {SHARED['all_passed']}") == sum(
        g.startswith("test_") for g in NOTEBOOK_RUNS[assignment]
    )
    for line in lines:
        assert bilingual.printed_line_problem(line.strip()) is None


def test_a_failing_keras_check_says_why_in_both_languages():
    import keras

    from autograder.visible import callbacks

    class OldKeyCallback(keras.callbacks.Callback):  # reads TF1's 'acc', so it never stops
        def on_epoch_end(self, epoch, logs=None):
            if (logs or {}).get("acc", 0) > 0.9:
                self.model.stop_training = True

    lines, failed = _lines_and_failure(callbacks.check_callback, OldKeyCallback)
    message, *details = failed.splitlines()
    assert message == str(callbacks.TEXTS["stop_at_index_2_acc_key"])
    assert details == ["  得到 got: None", "  期望 expected: 2"]
    assert bilingual.printed_line_problem(lines[0].strip()) is None


@pytest.fixture(scope="module")
def barely_trained():
    """A real Keras classifier after one epoch on 64 random images, its History and the images: every
    training check fails on it, each for its first reason."""
    import keras

    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).random((64, 28, 28)).astype("float32")
    y = np.arange(64) % 10
    model = keras.Sequential(
        [keras.Input(shape=(28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, "softmax")]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=1, verbose=0)
    return model, history, x, y


def _training_runs(model, history, x, y):
    from autograder.visible import callbacks, cnn, first_network, layers, losses

    return {
        "losses": (lambda: losses.check_training(model, history, x, y), losses, "not_custom_mse"),
        "layers": (lambda: layers.check_training(model, history, x, y), layers, "epochs_wrong"),
        "callbacks": (lambda: callbacks.check_training(history, None), callbacks, "last_above"),
        "cnn": (lambda: cnn.check_training(model, x, y), cnn, "below_first_tier"),
        "first_network": (
            lambda: first_network.check_classifier_training(model, history, x, y),
            first_network,
            "epochs_wrong",
        ),
    }


@pytest.mark.parametrize("assignment", ["losses", "layers", "callbacks", "cnn", "first_network"])
def test_training_checks_say_why_in_both_languages(barely_trained, assignment):
    run, module, key = _training_runs(*barely_trained)[assignment]
    lines, failed = _lines_and_failure(run)
    assert failed is not None
    message, *details = failed.splitlines()
    assert message.startswith(module.say.texts[key].zh.split("{")[0])
    assert bilingual.printed_line_problem(message) is None
    assert [line.split(":")[0] for line in details] == ["  得到 got", "  期望 expected"]
    for line in lines:
        assert bilingual.printed_line_problem(line.strip()) is None
