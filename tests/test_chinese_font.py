"""Plots show Chinese (#21 point 4): with the CJK font bin/setup installs, matplotlib draws a Chinese
title, axis labels, tick labels and legend without a missing glyph, and the class report's figures too.
The rendered picture is kept in ``test-artifacts/plots/`` to look at."""

from __future__ import annotations

import io
import re
import warnings

import matplotlib
import pytest

from autograder import report
from autograder.assignments import texts_for
from autograder.chinese_font import CJK_FAMILIES, cjk_family, use_chinese_font
from autograder.classroom import repo_root

matplotlib.use("Agg")

ARTIFACTS = repo_root() / "test-artifacts" / "plots"


@pytest.fixture
def default_fonts():
    """matplotlib's own settings, restored afterwards (other tests plot too)."""
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        yield


def _figure():
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot([1, 2, 3], [0.92, 0.55, 0.31], label="训练集上的损失 (loss)")
    ax.set_title("损失函数随训练轮数下降 · Loss per epoch")
    ax.set_xlabel("训练轮数 (epoch)")
    ax.set_ylabel("损失函数的值 −")
    ax.set_xticks([1, 2, 3], ["卷积", "池化", "过拟合"])
    ax.legend()
    return figure


def _saved(figure, file_format: str) -> bytes:
    """The figure drawn in ``file_format``; a missing glyph is an error, not a warning."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure.savefig(buffer, format=file_format, bbox_inches="tight")
    return buffer.getvalue()


def _fonts_in_pdf(pdf: bytes) -> set[str]:
    """The fonts a PDF draws with ("DejaVuSans"), without the subset prefix ("ABCDEF+")."""
    return {name.split(b"+")[-1].decode() for name in re.findall(rb"/BaseFont /([\w+-]+)", pdf)}


def test_without_a_chinese_font_matplotlib_draws_boxes_and_says_so(default_fonts):
    """The control: matplotlib's default font has no Chinese, and the check below does notice."""
    import matplotlib.pyplot as plt

    figure = _figure()
    with pytest.raises(UserWarning, match=r"Glyph \d+ .* missing from font"):
        _saved(figure, "png")
    plt.close(figure)


def test_chinese_labels_are_drawn_with_the_cjk_font(default_fonts):
    import matplotlib.pyplot as plt

    use_chinese_font()
    family = cjk_family()
    assert family in CJK_FAMILIES and family in plt.rcParams["font.family"]
    figure = _figure()
    png = _saved(figure, "png")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "chinese-labels.png").write_bytes(png)
    fonts = _fonts_in_pdf(_saved(figure, "pdf"))
    plt.close(figure)
    # Latin text stays in DejaVu Sans; the Chinese glyphs come from the CJK font.
    assert {"DejaVuSans", family.replace(" ", "")} <= fonts


def test_a_font_installed_after_matplotlib_listed_the_fonts_is_found(monkeypatch):
    """On a machine where matplotlib ran before bin/setup installed the font, its cached font list lacks
    it: the font is added from its file."""
    from matplotlib import font_manager

    listed = font_manager.fontManager.ttflist
    monkeypatch.setattr(
        font_manager.fontManager, "ttflist", [f for f in listed if f.name not in CJK_FAMILIES]
    )
    family = cjk_family()
    assert family in CJK_FAMILIES
    assert family in {f.name for f in font_manager.fontManager.ttflist}


def _class_report() -> report.ClassReport:
    texts = texts_for(repo_root(), "activations")  # its check titles, in Chinese and English
    checks = [
        report.CheckStats("activations", "sigmoid", "values", "values", 4, 1, texts=texts),
        report.CheckStats("activations", "sigmoid", "extremes", "extremes", 4, 3, texts=texts),
    ]
    scores = [report.ScoreRow(s, "activations", score, 12.0) for s, score in (("ada", 12.0), ("李雷", 7.5))]
    return report.ClassReport(
        "激活函数", [report.AssignmentReport("activations", 12.0, scores, checks, texts=texts)]
    )


def test_the_class_report_draws_its_chinese_check_titles(default_fonts):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        page = report.render_html(_class_report())
    assert page.count("data:image/png;base64,") == 2  # the score spread and the failing checks


def test_the_class_report_would_draw_boxes_without_the_font(default_fonts, monkeypatch):
    """The control for the test above: its figure of failing checks does have Chinese to draw."""
    monkeypatch.setattr(report, "use_chinese_font", lambda: None)
    with warnings.catch_warnings(), pytest.raises(UserWarning, match="missing from font"):
        warnings.simplefilter("error")
        report.render_html(_class_report())
