"""What the ``convolution`` checks say, in Chinese and English: their titles and failure messages.

A check raises ``CheckFailed(key, ...)`` with a key from ``MESSAGES`` (or one of the engine's generic
keys in ``autograder.feedback``) and names its title with ``@check(title=...)``; the grader fills the
``str.format`` fields when it writes feedback.
"""

from autograder.feedback import ENGINE_TEXTS

MESSAGES: dict[str, dict[str, str]] = {
    "pixel_differs": {
        "zh": "像素 ({x}, {y}) 不对：得到 {got}，期望 {expected}。输入中它的 3×3 邻域是 {neighbourhood}。",
        "en": "wrong pixel at ({x}, {y}): got {got}, expected {expected}. Its 3×3 neighbourhood in the input "
        "is {neighbourhood}.",
    },
    "wrong_dtype": {
        "zh": "返回数组的 dtype 是 {got}，题目要求 {expected}。",
        "en": "the returned array's dtype is {got}; the notebook asks for {expected}.",
    },
    "pool_differs": {
        "zh": "池化结果 ({x}, {y}) 不对：得到 {got}，期望 {expected}，即输入中 2×2 区块 {block} 的最大值。",
        "en": "wrong pooled value at ({x}, {y}): got {got}, expected {expected}, the max of the input's 2×2 "
        "block {block}.",
    },
    "pixel_loop": {
        "zh": "第 {line} 行有遍历像素的 Python 循环（{code}）：请用 NumPy 切片代替（只允许遍历 9 个卷积核位置的循环）。",
        "en": "line {line} has a Python loop over pixels ({code}); use NumPy slicing instead (only a loop over "
        "the nine kernel taps is allowed).",
    },
    "not_defined_in_notebook": {
        "zh": "笔记本里找不到 `def {name}(...)`：请在解答单元格中用 def 定义它。",
        "en": "there is no `def {name}(...)` in your notebook: define it with def in its solution cell.",
    },
    "calls_slow_version": {
        "zh": "第 {line} 行调用了 `{callee}`：快速版本需要自己用切片实现。",
        "en": "line {line} calls `{callee}`; the fast version must do the work itself with slicing.",
    },
    "speedup": {
        "zh": "在 512×512 的 ascent 图像上：你的快速版本用时 {fast:.3f} 秒，慢速版本 {slow:.2f} 秒，快 {ratio:.0f} 倍（仅供参考，不计分）。",
        "en": "on the 512×512 ascent image your fast version took {fast:.3f} s and the loop version {slow:.2f} s: "
        "{ratio:.0f}× faster (information only, no points).",
    },
}

TITLES: dict[str, dict[str, str]] = {
    "no_mutation": {"zh": "不修改输入数组", "en": "does not change its input array"},
    "matches_reference": {
        "zh": "与参考答案一致（3×3 到 64×64 的图像，整数和浮点卷积核，权重 0、0.1、1、2.5）",
        "en": "matches the reference (images 3×3 to 64×64, integer and float kernels, weights 0, 0.1, 1, 2.5)",
    },
    "agrees_with_correlate2d": {
        "zh": "内部像素与 scipy.signal.correlate2d（转置卷积核）一致",
        "en": "interior agrees with scipy.signal.correlate2d on the transposed kernel",
    },
    "rejects_bad_input": {
        "zh": "对错误的形状或类型抛出 ValueError",
        "en": "raises ValueError for wrong shapes or dtypes",
    },
    "pool_values": {"zh": "奇数和偶数尺寸上的池化结果", "en": "pooled values on odd and even sizes"},
    "no_pixel_loops": {
        "zh": "没有遍历像素的 Python 循环，也不调用 convolve3x3（根据源代码判断）",
        "en": "no Python loop over pixels and no call to convolve3x3 (decided from the source)",
    },
    "speedup": {"zh": "速度（仅供参考）", "en": "speed (information only)"},
}

TEXTS = ENGINE_TEXTS.extended(MESSAGES, TITLES)
