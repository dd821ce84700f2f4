"""The visible checks' texts shared by several assignments (可见检查的共用文字), and ``Text``.

Each assignment's own texts are in its module, ``autograder.visible.<assignment>``, as its ``TEXTS``
table; here are only the ways every check reports (the labels of a failure's details, the closing line)
and the texts that several assignments' checks use. A check names its text by key and fills its
``str.format`` fields; ``autograder.visible.report`` looks the key up in the module's table and this one
and prints it Chinese first. Code, numbers and units are the same in both languages.
"""

from __future__ import annotations

from typing import NamedTuple


class Text(NamedTuple):
    """One message in Chinese and English; ``str()`` gives "中文 / English"."""

    zh: str
    en: str

    def format(self, **fields: object) -> Text:
        return Text(self.zh.format(**fields), self.en.format(**fields))

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


SHARED: dict[str, Text] = {
    # How every check reports.
    "all_passed": Text("可见检查全部通过", "all visible checks passed"),
    "label.input": Text("输入", "input"),
    "label.got": Text("得到", "got"),
    "label.expected": Text("期望", "expected"),
    "label.warning": Text("警告", "warning"),
    "label.after_call": Text("调用后", "after the call"),
    # Shared by several assignments.
    "wrong_value": Text("值不对", "wrong value"),
    "not_ndarray": Text("返回值不是 NumPy 数组", "the result is not a NumPy array"),
    "input_modified": Text("输入被修改了", "the input was modified"),
    "a_class": Text("一个类", "a class"),
    "must_subclass": Text("{name} 应是 {base} 的子类", "{name} must subclass {base}"),
    "subclasses": Text("{name} 是 {base} 的子类", "{name} subclasses {base}"),
    "not_a_model": Text("{name} 应返回 Keras 模型", "{name} must return a Keras model"),
    "epochs_wrong": Text("训练的 epoch 数应为 {n}", "the number of epochs must be {n}"),
    "epochs_ok": Text("history 记录了 {n} 个 epoch", "epochs in history: {n}"),
}
