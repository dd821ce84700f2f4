"""What the ``activations`` checks say, in Chinese and English: their titles and failure messages.

A check raises ``CheckFailed(key, ...)`` with a key from ``MESSAGES`` (or one of the engine's generic
keys in ``autograder.feedback``) and names its title with ``@check(title=...)``; the grader fills the
``str.format`` fields when it writes feedback.
"""

from autograder.feedback import ENGINE_TEXTS

MESSAGES: dict[str, dict[str, str]] = {}

TITLES: dict[str, dict[str, str]] = {
    "values": {"zh": "普通输入上的取值", "en": "values on ordinary inputs"},
    "extremes": {
        "zh": "极端输入（|x| 可达 1e4）：无溢出警告、无 NaN/inf",
        "en": "extreme inputs (|x| up to 1e4): no overflow warning, NaN or inf",
    },
    "shape_and_type": {
        "zh": "返回 NumPy 数组且形状与输入相同（也接受 Python 标量）",
        "en": "returns a NumPy array of the input's shape (Python scalars accepted)",
    },
    "no_mutation": {"zh": "不修改输入数组", "en": "does not change its input array"},
}

TEXTS = ENGINE_TEXTS.extended(MESSAGES, TITLES)
