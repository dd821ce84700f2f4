"""Matplotlib draws Chinese labels with a CJK font instead of empty boxes (#21 point 4).

Matplotlib's default font (DejaVu Sans) has no Chinese glyphs. ``use_chinese_font`` keeps it for Latin
text and puts a CJK font from the system behind it in ``font.family``; matplotlib draws each glyph the
first font lacks with the second. ``bin/setup`` installs Debian's ``fonts-wqy-zenhei``. The class report calls this
before drawing; a notebook can call it in its imports cell (``from autograder.chinese_font import
use_chinese_font; use_chinese_font()``).
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

# CJK fonts Debian packages, best first, and how their files are named.
CJK_FAMILIES = (
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "AR PL UMing CN",
    # On a student's own computer: Windows, then macOS.
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)
CJK_FILE_NAMES = ("wqy-", "notosanscjk", "sourcehansans", "uming", "msyh", "simhei", "pingfang")
LATIN_FAMILY = "DejaVu Sans"


def _installed(font_manager) -> list[str]:
    names = {entry.name for entry in font_manager.fontManager.ttflist}
    return [family for family in CJK_FAMILIES if family in names]


def cjk_family() -> str | None:
    """The best CJK font family matplotlib can use, or None when the system has none.

    Matplotlib lists the system's fonts once and caches the list, so a font installed after that (by
    ``bin/setup`` on a machine where matplotlib already ran) is added here from its file.
    """
    from matplotlib import font_manager

    found = _installed(font_manager)
    if not found:
        for path in font_manager.findSystemFonts():
            if any(part in Path(path).name.lower() for part in CJK_FILE_NAMES):
                font_manager.fontManager.addfont(path)
        found = _installed(font_manager)
    return found[0] if found else None


class _NoWeightNotice(logging.Filter):
    """Keep out matplotlib's notice that a CJK font has only weight 500 ("Failed to find font weight normal
    for WenQuanYi Zen Hei, now using 500"): that weight is the one meant, and the notice would land on a
    notebook cell's stderr."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (
            message.startswith("findfont: Failed to find font weight")
            and any(family in message for family in CJK_FAMILIES)
        )


def use_chinese_font() -> None:
    """Make matplotlib draw Chinese with the system's CJK font (``cjk_family``), or warn that there is none.

    Returns nothing, so a notebook's imports cell may end with the call and show no output."""
    import matplotlib

    family = cjk_family()
    if family is None:
        warnings.warn(
            "没有找到中文字体，图中的中文会显示成方框：请安装一种中文字体（Debian/Ubuntu：fonts-wqy-zenhei）/ "
            "no Chinese font found, Chinese labels will show as boxes: install one (Debian/Ubuntu: "
            "fonts-wqy-zenhei; bin/setup does it on the course machine)",
            stacklevel=2,
        )
        return
    log = logging.getLogger("matplotlib.font_manager")
    if not any(isinstance(f, _NoWeightNotice) for f in log.filters):
        log.addFilter(_NoWeightNotice())
    # Matplotlib falls back along font.family only, not within a generic family such as "sans-serif".
    matplotlib.rcParams["font.family"] = [LATIN_FAMILY, family, "sans-serif"]
