"""The engine's feedback texts, in Chinese and English, and how any feedback text is filled in.

Messages are looked up by key and filled with ``str.format`` fields. This module holds only what the
engine itself says (a call that failed, a value that differs, the summary table, a notebook that
could not be graded). An assignment's own check titles and messages live with its checks, in
``solutions/<assignment>/texts.py``, as ``ENGINE_TEXTS.extended(MESSAGES, TITLES)``.
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
    "value_differs_for": {
        "zh": "结果不对：返回 {got}，期望 {expected}。",
        "en": "wrong value: it returned {got}, expected {expected}.",
    },
    "value_differs_at": {
        "zh": "结果在位置 {index} 处不对：得到 {got}，期望 {expected}。",
        "en": "wrong value at index {index}: it returned {got}, expected {expected}.",
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
    "did_not_raise": {
        "zh": "对这个无效输入应抛出 {expected}，但函数返回了 {got}。",
        "en": "for this invalid input it should raise {expected}, but it returned {got}.",
    },
    "wrong_error": {
        "zh": "应抛出 {expected}，实际抛出的是 {got}。",
        "en": "it should raise {expected}, but raised {got}.",
    },
    # Summaries and grader-side problems.
    "same_as_above": {"zh": "（同上）", "en": "(same as above)"},
    "failing_input": {"zh": "最小的出错输入：{input}", "en": "smallest failing input: {input}"},
    "unreliable": {
        "zh": "同一个输入再算一次时却通过了：你的代码是否依赖随机数、时间或上一次调用留下的状态？",
        "en": "the same input passed when run again: does your code depend on chance, the clock or "
        "state left by an earlier call?",
    },
    # Saved models the grader loads and runs (autograder.models, autograder.model_host).
    "model_not_loadable": {
        "zh": "评分程序无法载入你的模型（model.save 后用 Keras 安全模式载入，只接受内置层）：{detail}",
        "en": "the grader could not load your model (saved with model.save, loaded in Keras safe mode, "
        "built-in layers only): {detail}",
    },
    "model_raised": {
        "zh": "评分程序运行你的模型（{what}）时，模型出错：{detail}",
        "en": "your model raised an error when the grader ran it ({what}): {detail}",
    },
    "model_out_of_memory": {
        "zh": "评分程序运行你的模型（{what}）时，模型需要的内存超过了上限（{limit}），运行被终止。"
        "参数少的模型也可能在每次调用时分配巨大的中间结果（例如 UpSampling2D、很大的卷积输出）：请检查各层的输出形状。",
        "en": "your model needed more than the memory limit ({limit}) when the grader ran it ({what}), and was "
        "stopped. A model with few weights can still make huge intermediate results on every call (UpSampling2D, "
        "a very large convolution output): check each layer's output shape.",
    },
    "model_time_limit": {
        "zh": "评分程序运行你的模型（{what}）超过了 {seconds} 秒，运行被终止。请检查模型是否过大或过慢。",
        "en": "your model ran longer than {seconds} s when the grader ran it ({what}), and was stopped. Check "
        "whether the model is too big or too slow.",
    },
    "model_cpu_limit": {
        "zh": "评分程序运行你的模型（{what}）时，CPU 时间超过了上限（{seconds} 秒），运行被终止。",
        "en": "your model used more than its CPU time limit ({seconds} s) when the grader ran it ({what}), and "
        "was stopped.",
    },
    "model_process_died": {
        "zh": "评分程序运行你的模型（{what}）的进程意外终止（{detail}），这一项检查不得分。",
        "en": "the process in which the grader ran your model ({what}) stopped unexpectedly ({detail}); this "
        "check scores nothing.",
    },
    # The summary table at the top of a feedback page (autograder.preprocessors.summary).
    "summary_heading": {"zh": "成绩概要", "en": "Summary"},
    "summary_total": {"zh": "总分", "en": "total"},
    "summary_cell": {"zh": "题目", "en": "cell"},
    "summary_points": {"zh": "得分", "en": "points"},
    "summary_to_fix": {"zh": "需要改正", "en": "what to fix"},
    "summary_all_passed": {"zh": "全部通过", "en": "all checks passed"},
    "summary_by_hand": {"zh": "人工评分", "en": "graded by hand"},
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
    "not_finished": {
        "zh": "这项检查没有完成（隐藏检查超时或评分程序出错），记 0 分。",
        "en": "this check did not finish (the hidden checks ran out of time or the grader failed), so it scores 0.",
    },
    "check_error": {
        "zh": "检查未通过：{detail}",
        "en": "check failed: {detail}",
    },
    "kernel_out_of_memory": {
        "zh": "运行这个单元格时内存超过了上限（{limit}），内核被终止。"
        "评分程序重启了内核，重新运行了之前的单元格，并跳过这个单元格继续评分。",
        "en": "this cell used more than the memory limit ({limit}) and the kernel was killed. The grader "
        "restarted it, re-ran the cells before this one, and went on without this cell.",
    },
    "output_truncated": {
        "zh": "输出过多：本单元格超过 {limit} 字节之后的输出已被丢弃。",
        "en": "too much output: everything this cell printed after the first {limit} bytes was dropped.",
    },
    "output_not_shown": {
        "zh": "（此处的输出类型 {types} 可能在网页中运行代码，未显示）",
        "en": "(output of type {types} not shown: it could run code in this page)",
    },
    "notebook_output_over_budget": {
        "zh": "输出过多：整个笔记本的输出（含显示更新）超过了 {limit} 字节，此后的输出已被丢弃。",
        "en": "too much output: the notebook's output (display updates included) passed {limit} bytes, "
        "so everything after this point was dropped.",
    },
    "outputs_removed": {
        "zh": "输出过多：评分后的笔记本超过 {limit} 字节，你的单元格的输出已被删除（评分不受影响）。",
        "en": "too much output: the graded notebook passed {limit} bytes, so your cells' outputs were removed "
        "(the grading is not affected).",
    },
    # A submitted file the grader could not take in as the notebook (autograder.intake).
    "notebook_missing": {
        "zh": "没有找到要提交的笔记本 {expected}（提交的文件夹里有：{found}）。请按发布时的文件名提交。",
        "en": "the notebook {expected} was not handed in (the folder has: {found}); submit it under its released name.",
    },
    "notebook_empty": {
        "zh": "提交的文件 {name} 是空的：请确认保存后再提交。",
        "en": "the submitted file {name} is empty: save the notebook before you submit it.",
    },
    "notebook_unreadable": {
        "zh": "提交的文件 {name} 不是有效的 Jupyter 笔记本（{detail}）。请在 Jupyter 中打开、保存后重新提交。",
        "en": "the submitted file {name} is not a valid Jupyter notebook ({detail}); open it in Jupyter, save and resubmit.",
    },
    "notebook_too_big": {
        "zh": "提交的文件 {name} 太大（{size} 字节），没有评分。请清除输出后重新提交。",
        "en": "the submitted file {name} is too big ({size} bytes) to grade; clear its outputs and resubmit.",
    },
    "graded_instead": {
        "zh": "没有找到 {expected}，已改为评阅你提交的 {found}。下次请使用发布时的文件名。",
        "en": "{expected} was not handed in, so your {found} was graded instead; next time keep the released name.",
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


# Control characters a field's text could use to rewrite what a terminal or page shows (carriage return,
# escape sequences, right-to-left overrides), written out instead.
_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)] if c != ord("\n")}
# Bidi overrides and the line and paragraph separators (str.splitlines() breaks at those and at the C0 and C1
# controls above, NEL among them).
_CONTROL |= {c: f"\\u{c:04x}" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029]}
QUOTE = "│ "


def quoted(value: object) -> object:
    """A field as feedback shows it. Text (often the student's: an exception message, a repr) gets its
    control characters written out, and every line after its first is marked with ``QUOTE``, so it
    cannot pass for a line of the judge's own (a forged "✓ ... [6/6]")."""
    if not isinstance(value, str):
        return value
    return value.translate(_CONTROL).replace("\n", "\n" + QUOTE)


class Texts:
    """A catalogue of messages and check titles, each in every language."""

    def __init__(self, messages: dict[str, dict[str, str]], titles: dict[str, dict[str, str]]) -> None:
        self.messages = messages
        self.titles = titles

    def extended(self, messages: dict[str, dict[str, str]], titles: dict[str, dict[str, str]]) -> Texts:
        """These texts and an assignment's own; an assignment cannot change what the engine says."""
        clash = sorted(set(messages) & set(self.messages) | set(titles) & set(self.titles))
        if clash:
            raise ValueError(f"keys already used by the engine's texts: {', '.join(clash)}")
        return Texts(self.messages | messages, self.titles | titles)

    def message(self, key: str, languages: Iterable[str] = LANGUAGES, **fields: object) -> str:
        """The message ``key`` in each language, one per line, with ``fields`` filled in (``quoted``)."""
        texts = self.messages[key]
        safe = {name: quoted(value) for name, value in fields.items()}
        return "\n".join(texts[lang].format(**safe) for lang in languages if lang in texts)

    def title(self, name: str, languages: Iterable[str] = LANGUAGES) -> str:
        """A check's title in each language joined by " / ", or ``name`` itself when not catalogued."""
        texts = self.titles.get(name)
        if texts is None:
            return name
        return " / ".join(texts[lang] for lang in languages if lang in texts)


ENGINE_TEXTS = Texts(MESSAGES, {})
message = ENGINE_TEXTS.message  # what the engine says, in modules that know no assignment
