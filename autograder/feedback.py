"""Every text a student reads in feedback, in Chinese and English, in one place.

Messages are looked up by key and filled with ``str.format`` fields. A course author
adding an exercise adds check titles to ``CHECK_TITLES`` (or passes a literal title).
"""

from __future__ import annotations

from collections.abc import Iterable

LANGUAGES = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # How a call into the student's notebook can go wrong.
    "missing": {
        "zh": "笔记本里没有定义 `{name}`：请确认定义它的单元格已运行，且名字没有改动。",
        "en": "`{name}` is not defined in your notebook: run the cell that defines it and keep its name.",
    },
    "not_callable": {
        "zh": "`{name}` 不是函数（它的类型是 {detail}）。",
        "en": "`{name}` is not a function (it is a {detail}).",
    },
    "raised": {
        "zh": "调用 `{name}` 时抛出了异常：{detail}",
        "en": "calling `{name}` raised {detail}",
    },
    "not_implemented": {
        "zh": "`{name}` 还没有实现：请把 `raise NotImplementedError()` 换成你的代码。",
        "en": "`{name}` is not written yet: replace `raise NotImplementedError()` with your code.",
    },
    "timed_out": {
        "zh": "`{name}` 运行超时（{detail}）：是否有死循环或过慢的循环？",
        "en": "`{name}` took too long ({detail}): is there an endless or very slow loop?",
    },
    "kernel_gone": {
        "zh": "你的内核已无法响应，后续检查无法进行：{detail}",
        "en": "your kernel stopped answering, so the remaining checks could not run: {detail}",
    },
    # What a returned value can get wrong.
    "values_differ": {
        "zh": "结果在位置 {index} 处不对：输入 {at_input}，得到 {got}，期望 {expected}。",
        "en": "wrong value at index {index}: for input {at_input} it returned {got}, expected {expected}.",
    },
    "wrong_type": {
        "zh": "返回了 {got}，应返回 NumPy 数组（np.ndarray）。",
        "en": "returned {got}; a NumPy array (np.ndarray) was expected.",
    },
    "wrong_shape": {
        "zh": "返回的形状是 {got}，应与输入相同：{expected}。",
        "en": "returned shape {got}; it must equal the input's shape {expected}.",
    },
    "not_numeric": {
        "zh": "返回了 {got}，不是数值。",
        "en": "returned {got}, which is not numeric.",
    },
    "warned": {
        "zh": "运行时产生了警告：{warning}（例如 np.exp 溢出）。请用数值稳定的写法。",
        "en": "it emitted a warning: {warning} (for example np.exp overflowing); use a numerically stable form.",
    },
    "not_finite": {
        "zh": "结果在位置 {index} 处是 {got}（NaN 或无穷大），期望 {expected}。",
        "en": "the result at index {index} is {got} (NaN or infinite), expected {expected}.",
    },
    "mutated": {
        "zh": "函数修改了输入数组（位置 {index}：原为 {before}，变成 {after}）。请先复制或使用不修改原数组的运算。",
        "en": "the function changed its input array (index {index}: was {before}, became {after}); "
        "work on a copy or use operations that return new arrays.",
    },
    # Summaries and grader-side problems.
    "same_as_above": {"zh": "（同上）", "en": "(same as above)"},
    "failing_input": {"zh": "最小的出错输入：{input}", "en": "smallest failing input: {input}"},
    "cell_score": {"zh": "本题得分 {score:g} / {points:g}", "en": "score {score:g} of {points:g}"},
    "no_credit": {
        "zh": "本题未得分：{reason}",
        "en": "no points for this cell: {reason}",
    },
    "no_checks": {
        "zh": "评分配置错误：找不到这个单元格的隐藏检查（请联系助教）。",
        "en": "grading configuration error: no hidden checks were found for this cell (tell your TA).",
    },
    "grader_error": {
        "zh": "评分程序出错，本题暂记 0 分（请联系助教）：{detail}",
        "en": "the grader itself failed, so this cell scores 0 for now (tell your TA): {detail}",
    },
    "check_error": {
        "zh": "检查未通过：{detail}",
        "en": "check failed: {detail}",
    },
    "kernel_start_failed": {
        "zh": "评分时无法启动内核：{detail}",
        "en": "the grader could not start a kernel for your notebook: {detail}",
    },
    "kernel_died_in_cell": {
        "zh": "运行这个单元格时内核退出了（是否调用了 os._exit、exit() 或占用了过多内存？）。"
        "评分程序重启了内核，重新运行了之前的单元格，并跳过这个单元格继续评分。",
        "en": "the kernel died while running this cell (os._exit, exit(), or too much memory?). The grader "
        "restarted it, re-ran the cells before this one, and went on without this cell.",
    },
    "kernel_restarted_after_timeout": {
        "zh": "这个单元格超时且无法中断，评分程序重启了内核，重新运行了之前的单元格，并跳过这个单元格继续评分。",
        "en": "this cell ran out of time and could not be interrupted, so the grader restarted the kernel, "
        "re-ran the cells before this one, and went on without this cell.",
    },
    "cell_time_limit": {
        "zh": "这个单元格运行超过了 {seconds:g} 秒，已被中断。",
        "en": "this cell ran longer than {seconds:g} s and was interrupted.",
    },
    "notebook_time_limit": {
        "zh": "整个笔记本的运行时间（{seconds:g} 秒）或内核重启次数已用完，这个单元格没有运行。",
        "en": "the notebook's total time ({seconds:g} s) or its kernel restarts were used up, so this cell was not run.",
    },
}

CHECK_TITLES: dict[str, dict[str, str]] = {
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


def message(key: str, languages: Iterable[str] = LANGUAGES, **fields: object) -> str:
    """The message ``key`` in each language, one per line, with ``fields`` filled in."""
    texts = MESSAGES[key]
    return "\n".join(texts[lang].format(**fields) for lang in languages if lang in texts)


def title(name: str, languages: Iterable[str] = LANGUAGES) -> str:
    """A check's title in each language joined by " / ", or ``name`` itself when not catalogued."""
    texts = CHECK_TITLES.get(name)
    if texts is None:
        return name
    return " / ".join(texts[lang] for lang in languages if lang in texts)
